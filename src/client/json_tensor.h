// KServe v2 JSON tensor "data" <-> the client's raw tensor bytes (HTTP's JSON fallback, and
// perf/smoke's JSON input files). Pure functions, thread-safe.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace inferd::client {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes `raw` (dense little-endian, BYTES length-prefixed) as a flat JSON array.
Status WriteJsonData(std::string_view datatype, std::string_view raw, JsonWriter& writer);
// Appends the elements of a (possibly nested) JSON array to `raw`; returns the element count.
StatusOr<int64_t> AppendJsonData(std::string_view datatype, const rapidjson::Value& data,
                                 std::string& raw);

}  // namespace inferd::client
