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

namespace {

// The float's shortest round-trip text (a double's would print float noise digits).
void WriteImageScore(float score, rapidjson::Writer<rapidjson::StringBuffer>& writer) {
  if (std::isfinite(score)) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), score).ptr;
    writer.RawValue(text, static_cast<size_t>(end - text), rapidjson::kNumberType);
  } else {
    writer.Null();  // JSON has no NaN or infinity
  }
}

using ImageJsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// "lines": [{"box": [[x, y], ...], "score": s}, ...], with "text" and "confidence" from a reader
void WriteTextLines(const std::vector<core::TextLineBox>& lines, ImageJsonWriter& writer) {
  writer.Key("lines");
  writer.StartArray();
  for (const auto& line : lines) {
    writer.StartObject();
    writer.Key("box");
    writer.StartArray();
    for (const auto& point : line.points) {
      writer.StartArray();
      WriteImageScore(point[0], writer);
      WriteImageScore(point[1], writer);
      writer.EndArray();
    }
    writer.EndArray();
    writer.Key("score");
    WriteImageScore(line.score, writer);
    if (line.text.has_value()) {  // a text reader's line: what it reads
      writer.Key("text");
      writer.String(line.text->text.c_str(),
                    static_cast<rapidjson::SizeType>(line.text->text.size()));
      writer.Key("confidence");
      WriteImageScore(line.text->confidence, writer);
    }
    writer.EndObject();
  }
  writer.EndArray();
}

}  // namespace

std::string TextLinesJson(const std::vector<core::TextLineBox>& lines) {
  rapidjson::StringBuffer buffer;
  ImageJsonWriter writer(buffer);
  writer.StartObject();
  WriteTextLines(lines, writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
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
  if (response.text_lines.has_value()) {  // a text detector or reader: its lines, no classes
    WriteTextLines(*response.text_lines, writer);
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
  }
  if (response.text.has_value()) {  // a text recogniser: {"text", "confidence"}, no classes
    writer.Key("text");
    writer.String(response.text->text.c_str(),
                  static_cast<rapidjson::SizeType>(response.text->text.size()));
    writer.Key("confidence");
    WriteImageScore(response.text->confidence, writer);
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
  }
  writer.Key("predictions");
  writer.StartArray();
  for (const auto& p : response.predictions) {
    writer.StartObject();
    writer.Key("label");
    writer.String(p.label.c_str(), static_cast<rapidjson::SizeType>(p.label.size()));
    writer.Key("index");
    writer.Int64(p.index);
    writer.Key("score");
    WriteImageScore(p.score, writer);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace inferd::frontend::http
