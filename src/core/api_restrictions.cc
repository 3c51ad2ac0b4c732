#include "core/api_restrictions.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

constexpr std::array<std::string_view, kApiCategoryCount> kNames = {
    "health",           "metadata",   "inference", "shared-memory", "model-config",
    "model-repository", "statistics", "trace",     "logging"};

// Compares without an early exit, so the time taken does not tell how much of a guess matched.
bool SameSecret(std::string_view sent, std::string_view expected) {
  unsigned char diff = sent.size() == expected.size() ? 0 : 1;
  const size_t n = std::min(sent.size(), expected.size());
  for (size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(sent[i] ^ expected[i]);
  return diff == 0;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::string_view ApiCategoryName(ApiCategory category) {
  return kNames[static_cast<size_t>(category)];
}

std::optional<ApiCategory> ParseApiCategory(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<ApiCategory>(i);
  }
  return std::nullopt;
}

const std::array<ApiCategory, kApiCategoryCount>& AllApiCategories() {
  static const auto all = [] {
    std::array<ApiCategory, kApiCategoryCount> categories{};
    for (size_t i = 0; i < kApiCategoryCount; ++i) categories[i] = static_cast<ApiCategory>(i);
    return categories;
  }();
  return all;
}

StatusOr<ApiRestrictions> ApiRestrictions::Parse(const std::vector<std::string>& flags,
                                                 std::string_view option, std::string_view kind,
                                                 std::string_view header_prefix) {
  ApiRestrictions restrictions;
  // This Abseil's StrCat takes no std::string_view.
  const std::string option_name(option), kind_name(kind), prefix(header_prefix);
  for (const std::string& flag : flags) {
    const size_t colon = flag.find(':');
    const size_t equals =
        colon == std::string::npos ? std::string::npos : flag.find('=', colon + 1);
    const auto format_error = [&] {
      // The flag's text is left out: it would carry the secret value into the error and logs.
      return absl::InvalidArgumentError(absl::StrCat("--", option_name, " option format is '<",
                                                     kind_name, ">[,<", kind_name,
                                                     ">...]:<key>=<value>'"));
    };
    if (equals == std::string::npos) return format_error();
    const std::string_view categories = std::string_view(flag).substr(0, colon);
    const std::string_view key = std::string_view(flag).substr(colon + 1, equals - colon - 1);
    const std::string_view value = std::string_view(flag).substr(equals + 1);
    if (categories.empty() || key.empty() || value.empty()) return format_error();
    size_t start = 0;
    while (start <= categories.size()) {
      const size_t comma = std::min(categories.find(',', start), categories.size());
      const std::string_view name = categories.substr(start, comma - start);
      start = comma + 1;
      const std::optional<ApiCategory> category = ParseApiCategory(name);
      if (!category.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat("--", option_name, ": unknown restricted ",
                                                       kind_name, " '", std::string(name),
                                                       "' (known: health, metadata, "
                                                       "inference, shared-memory, model-config, "
                                                       "model-repository, statistics, trace, "
                                                       "logging)"));
      }
      auto& slot = restrictions.by_category_[static_cast<size_t>(*category)];
      if (slot.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat("--", option_name, ": restricted ",
                                                       kind_name, " '", std::string(name),
                                                       "' can not be specified in multiple config "
                                                       "groups"));
      }
      slot = Restriction{Lower(absl::StrCat(prefix, std::string(key))), std::string(value)};
    }
  }
  return restrictions;
}

const ApiRestrictions::Restriction* ApiRestrictions::Find(ApiCategory category) const {
  const auto& slot = by_category_[static_cast<size_t>(category)];
  return slot.has_value() ? &*slot : nullptr;
}

bool ApiRestrictions::empty() const {
  return std::none_of(by_category_.begin(), by_category_.end(),
                      [](const auto& slot) { return slot.has_value(); });
}

Status ApiRestrictions::Check(
    ApiCategory category,
    absl::FunctionRef<std::optional<std::string_view>(std::string_view)> header) const {
  const Restriction* restriction = Find(category);
  if (restriction == nullptr) return absl::OkStatus();
  const std::optional<std::string_view> sent = header(restriction->header);
  if (sent.has_value() && SameSecret(*sent, restriction->value)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("This API is restricted, expecting header '", restriction->header, "'"));
}

}  // namespace inferd::core
