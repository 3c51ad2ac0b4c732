#include "frontend/http/json_parse.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace inferd::frontend::http {
namespace {

// Forwards SAX events to the document and fails the parse once nesting passes the limit.
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(rapidjson::Document& doc, int max_depth) : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return Enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return Enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }

  bool too_deep() const { return too_deep_; }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }

  rapidjson::Document& doc_;
  int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

Status ParseJsonInto(std::string_view text, int max_depth, rapidjson::Document& doc) {
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNanAndInfFlag;
  rapidjson::Reader reader;
  bool too_deep = false;
  auto generator = [&](rapidjson::Document& target) {
    DepthLimitedHandler handler(target, max_depth);
    rapidjson::MemoryStream stream(text.data(), text.size());
    const bool ok = !reader.Parse<kFlags>(stream, handler).IsError();
    too_deep = handler.too_deep();
    return ok;
  };
  doc.Populate(generator);
  if (too_deep) {
    return absl::InvalidArgumentError(absl::StrCat("JSON nests deeper than ", max_depth,
                                                   " levels at offset ", reader.GetErrorOffset()));
  }
  if (reader.HasParseError()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "failed to parse JSON: ", rapidjson::GetParseError_En(reader.GetParseErrorCode()),
        " at offset ", reader.GetErrorOffset()));
  }
  return absl::OkStatus();
}

StatusOr<rapidjson::Document> ParseJson(std::string_view text, int max_depth) {
  rapidjson::Document doc;
  RETURN_IF_ERROR(ParseJsonInto(text, max_depth, doc));
  return doc;
}

}  // namespace inferd::frontend::http
