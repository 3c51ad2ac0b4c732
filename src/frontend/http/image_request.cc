#include "frontend/http/image_request.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace inferd::frontend::http {

std::unique_ptr<core::InferenceRequest> MakeImageRequest(std::string model, int64_t version,
                                                         std::shared_ptr<const void> body,
                                                         std::string_view image) {
  auto request = std::make_unique<core::InferenceRequest>();
  request->model_name = std::move(model);
  request->model_version = version;
  request->body = std::move(body);
  request->image = image;
  return request;
}

std::string PredictionsJson(const core::InferenceResponse& response) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("model");
  writer.String(response.model_name.c_str(),
                static_cast<rapidjson::SizeType>(response.model_name.size()));
  writer.Key("version");
  writer.String(std::to_string(response.model_version).c_str());
  writer.Key("predictions");
  writer.StartArray();
  for (const auto& p : response.predictions) {
    writer.StartObject();
    writer.Key("label");
    writer.String(p.label.c_str(), static_cast<rapidjson::SizeType>(p.label.size()));
    writer.Key("index");
    writer.Int64(p.index);
    writer.Key("score");
    // The float's shortest round-trip text (a double's would print float noise digits).
    if (std::isfinite(p.score)) {
      char text[32];
      const auto end = std::to_chars(text, text + sizeof(text), p.score).ptr;
      writer.RawValue(text, static_cast<size_t>(end - text), rapidjson::kNumberType);
    } else {
      writer.Null();  // JSON has no NaN or infinity
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
