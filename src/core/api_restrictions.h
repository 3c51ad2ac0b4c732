// Restricted APIs (Triton's --http-restricted-api / --grpc-restricted-protocol): every HTTP route
// and every gRPC method belongs to one ApiCategory; a category may be restricted to callers that
// send a header with a fixed value. Front ends declare each route's category next to the route
// and ask Check() before the handler runs. Immutable after parsing; thread-safe to read.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "common/status.h"

namespace inferd::core {

// Triton's categories, in its order.
enum class ApiCategory {
  kHealth,
  kMetadata,
  kInference,
  kSharedMemory,
  kModelConfig,
  kModelRepository,
  kStatistics,
  kTrace,
  kLogging,
};
inline constexpr size_t kApiCategoryCount = 9;

// "health", "metadata", ..., as the flags spell them.
std::string_view ApiCategoryName(ApiCategory category);
std::optional<ApiCategory> ParseApiCategory(std::string_view name);
const std::array<ApiCategory, kApiCategoryCount>& AllApiCategories();

class ApiRestrictions {
 public:
  struct Restriction {
    std::string
        header;  // lower case (HTTP/2 metadata keys are; HTTP/1 names compare ignoring case)
    std::string value;
  };

  // Parses flag values "<category>[,<category>...]:<key>=<value>" (Triton's rules: the first ':'
  // ends the categories, the first '=' after it ends the key; none of the three may be empty; a
  // category may appear in one group only). `option` names the flag in errors ("http-restricted-
  // api"); `kind` is "api" or "protocol"; `header_prefix` is prepended to every key (gRPC:
  // "triton-grpc-protocol-"). InvalidArgument with a message naming the flag. Error messages
  // never contain the value.
  static StatusOr<ApiRestrictions> Parse(const std::vector<std::string>& flags,
                                         std::string_view option, std::string_view kind,
                                         std::string_view header_prefix = "");

  // Null when `category` is unrestricted.
  const Restriction* Find(ApiCategory category) const;
  bool empty() const;

  // OK, or PermissionDenied naming the header the call lacks. `header` looks a request header
  // up by (lower-case) name; nullopt when absent.
  Status Check(ApiCategory category,
               absl::FunctionRef<std::optional<std::string_view>(std::string_view)> header) const;

 private:
  std::array<std::optional<Restriction>, kApiCategoryCount> by_category_;
};

}  // namespace inferd::core
