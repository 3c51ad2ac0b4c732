// ParsePipelineSpec: the JSON declaration of a model's image pipeline (docs/preprocessing.md).
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "preprocess/pipeline.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace inferd::preprocess {
namespace {

using rapidjson::Value;

Status Bad(std::string_view key, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("pipeline: '", std::string(key), "' ", std::string(what)));
}

StatusOr<std::string> GetString(const Value& v, const char* key, std::string fallback) {
  if (!v.HasMember(key)) return fallback;
  if (!v[key].IsString()) return Bad(key, "must be a string");
  return std::string(v[key].GetString(), v[key].GetStringLength());
}

StatusOr<bool> GetBool(const Value& v, const char* key, bool fallback) {
  if (!v.HasMember(key)) return fallback;
  if (!v[key].IsBool()) return Bad(key, "must be true or false");
  return v[key].GetBool();
}

// The index of `key`'s value among `names`; 0 (the default) when absent. (An index, not a
// string: g++ 12 -O3 warns falsely about StatusOr<std::string> here.)
StatusOr<int> GetChoice(const Value& v, const char* key,
                        std::initializer_list<std::string_view> names) {
  if (!v.HasMember(key)) return 0;
  if (v[key].IsString()) {
    const std::string_view value(v[key].GetString(), v[key].GetStringLength());
    int index = 0;
    for (std::string_view name : names) {
      if (name == value) return index;
      ++index;
    }
  }
  std::string choices;
  for (std::string_view name : names) {
    absl::StrAppend(&choices, choices.empty() ? "" : ", ", "\"", std::string(name), "\"");
  }
  return Bad(key, absl::StrCat("must be one of ", choices));
}

StatusOr<int64_t> GetInt(const Value& v, const char* key, int64_t fallback, int64_t min,
                         int64_t max) {
  if (!v.HasMember(key)) return fallback;
  if (!v[key].IsInt64() || v[key].GetInt64() < min || v[key].GetInt64() > max) {
    return Bad(key, absl::StrCat("must be an integer in [", min, ", ", max, "]"));
  }
  return v[key].GetInt64();
}

StatusOr<std::vector<float>> GetFloats(const Value& v, const char* key) {
  std::vector<float> out;
  if (!v.HasMember(key)) return out;
  if (!v[key].IsArray()) return Bad(key, "must be an array of numbers");
  for (const Value& x : v[key].GetArray()) {
    if (!x.IsNumber()) return Bad(key, "must be an array of numbers");
    out.push_back(static_cast<float>(x.GetDouble()));
  }
  return out;
}

constexpr int64_t kMaxSide = 1 << 16;

// A misspelt key must not be ignored silently: the model would get other pixels than declared.
Status CheckKeys(const Value& v, std::string_view section,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& member : v.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Bad(absl::StrCat(std::string(section), ".", std::string(key)), "is not a known key");
    }
  }
  return absl::OkStatus();
}

StatusOr<Size> ParseSize(const Value& v, const char* key) {
  if (!v.IsObject()) return Bad(key, "must be an object {\"width\", \"height\"}");
  if (std::string_view(key) != "resize") RETURN_IF_ERROR(CheckKeys(v, key, {"width", "height"}));
  ASSIGN_OR_RETURN(const int64_t width, GetInt(v, "width", 0, 1, kMaxSide));
  ASSIGN_OR_RETURN(const int64_t height, GetInt(v, "height", 0, 1, kMaxSide));
  if (width == 0 || height == 0) return Bad(key, "needs both 'width' and 'height'");
  return Size{static_cast<int>(width), static_cast<int>(height)};
}

StatusOr<ResizeSpec> ParseResize(const Value& v) {
  if (!v.IsObject()) return Bad("resize", "must be an object");
  RETURN_IF_ERROR(CheckKeys(v, "resize",
                            {"shorter_side", "width", "height", "max_width", "max_aspect_ratio",
                             "max_side", "multiple_of", "interpolation", "jpeg_draft"}));
  ResizeSpec resize;
  ASSIGN_OR_RETURN(const int64_t shorter, GetInt(v, "shorter_side", 0, 1, kMaxSide));
  resize.shorter_side = static_cast<int>(shorter);
  ASSIGN_OR_RETURN(const int64_t max_width, GetInt(v, "max_width", 0, 1, kMaxSide));
  resize.max_width = static_cast<int>(max_width);
  if (v.HasMember("max_aspect_ratio")) {
    const Value& ratio = v["max_aspect_ratio"];
    if (!ratio.IsNumber() || !(ratio.GetDouble() > 0) || ratio.GetDouble() > kMaxSide) {
      return Bad("resize.max_aspect_ratio", "must be a number in (0, 65536]");
    }
    resize.max_aspect_ratio = ratio.GetDouble();
  }
  ASSIGN_OR_RETURN(const int64_t max_side, GetInt(v, "max_side", 0, 1, kMaxSide));
  if (v.HasMember("max_aspect_ratio") && max_width == 0 && max_side == 0) {
    return Bad("resize.max_aspect_ratio", "needs 'max_width' or 'max_side'");
  }
  ASSIGN_OR_RETURN(const int64_t multiple_of, GetInt(v, "multiple_of", 1, 1, 1024));
  resize.max_side = static_cast<int>(max_side);
  resize.multiple_of = static_cast<int>(multiple_of);
  if (v.HasMember("multiple_of") && max_side == 0) {
    return Bad("resize.multiple_of", "needs 'max_side'");
  }
  if (max_side > 0) {
    if (shorter > 0 || max_width > 0 || v.HasMember("width") || v.HasMember("height")) {
      return Bad("resize", "with 'max_side' takes 'multiple_of' only (no sizes)");
    }
    resize.exact = {static_cast<int>(max_side), static_cast<int>(max_side)};
  } else if (max_width > 0) {
    if (shorter > 0 || v.HasMember("width") || !v.HasMember("height")) {
      return Bad("resize", "with 'max_width' takes 'height' only (no 'width', no 'shorter_side')");
    }
    ASSIGN_OR_RETURN(const int64_t height, GetInt(v, "height", 0, 1, kMaxSide));
    resize.exact = {static_cast<int>(max_width), static_cast<int>(height)};
  } else if (shorter == 0) {
    ASSIGN_OR_RETURN(resize.exact, ParseSize(v, "resize"));
  } else if (v.HasMember("width") || v.HasMember("height")) {
    return Bad("resize", "takes either 'shorter_side' or 'width' and 'height'");
  }
  ASSIGN_OR_RETURN(const int method, GetChoice(v, "interpolation", {"bilinear", "bicubic"}));
  resize.interpolation = method == 0 ? Interpolation::kBilinear : Interpolation::kBicubic;
  ASSIGN_OR_RETURN(resize.jpeg_draft, GetBool(v, "jpeg_draft", false));
  return resize;
}

Status ParseColorLayoutType(const Value& v, ImageSpec& spec) {
  ASSIGN_OR_RETURN(const int color, GetChoice(v, "color", {"RGB", "BGR", "GRAY"}));
  spec.color = color == 0 ? ColorOrder::kRgb : color == 1 ? ColorOrder::kBgr : ColorOrder::kGray;
  ASSIGN_OR_RETURN(const int layout, GetChoice(v, "layout", {"NCHW", "NHWC"}));
  spec.layout = layout == 0 ? Layout::kNchw : Layout::kNhwc;
  ASSIGN_OR_RETURN(const int dtype, GetChoice(v, "dtype", {"FP32", "UINT8"}));
  spec.dtype = dtype == 0 ? core::DataType::kFp32 : core::DataType::kUint8;
  return absl::OkStatus();
}

Status ParseNormalization(const Value& v, ImageSpec& spec) {
  ASSIGN_OR_RETURN(spec.scale, GetBool(v, "scale", true));
  ASSIGN_OR_RETURN(spec.mean, GetFloats(v, "mean"));
  ASSIGN_OR_RETURN(spec.std, GetFloats(v, "std"));
  const size_t channels = spec.color == ColorOrder::kGray ? 1 : 3;
  if (!spec.mean.empty() && spec.mean.size() != channels) {
    return Bad("mean", absl::StrCat("needs ", channels, " values"));
  }
  if (!spec.std.empty() && spec.std.size() != channels) {
    return Bad("std", absl::StrCat("needs ", channels, " values"));
  }
  for (float s : spec.std) {
    if (!(s > 0)) return Bad("std", "values must be positive");
  }
  if (spec.dtype == core::DataType::kUint8 && (!spec.mean.empty() || !spec.std.empty())) {
    return Bad("mean", "and 'std' need dtype FP32");
  }
  return absl::OkStatus();
}

StatusOr<PadSpec> ParsePad(const Value& v, const ImageSpec& image) {
  if (!v.IsObject()) return Bad("pad", "must be an object {\"width\", \"height\", \"value\"}");
  RETURN_IF_ERROR(CheckKeys(v, "pad", {"width", "height", "value"}));
  ASSIGN_OR_RETURN(const int64_t width, GetInt(v, "width", 0, 1, kMaxSide));
  ASSIGN_OR_RETURN(const int64_t height, GetInt(v, "height", 0, 1, kMaxSide));
  if (width == 0 || height == 0) return Bad("pad", "needs both 'width' and 'height'");
  if (width * height > image.max_pixels) return Bad("pad", "is larger than 'max_pixels'");
  PadSpec pad{{static_cast<int>(width), static_cast<int>(height)}, 0.f};
  if (v.HasMember("value")) {
    const Value& value = v["value"];
    const bool fp32 = image.dtype == core::DataType::kFp32;
    if (!value.IsNumber() || (fp32 && !std::isfinite(value.GetDouble())) ||
        (!fp32 && (!value.IsInt() || value.GetInt() < 0 || value.GetInt() > 255))) {
      return Bad("pad.value", fp32 ? "must be a finite number" : "must be an integer in [0, 255]");
    }
    pad.value = static_cast<float>(value.GetDouble());
  }
  return pad;
}

StatusOr<ImageSpec> ParseImage(const Value& v) {
  if (!v.IsObject()) return Bad("image", "must be an object");
  RETURN_IF_ERROR(
      CheckKeys(v, "image",
                {"input", "color", "exif_orientation", "max_pixels", "min_side", "resize",
                 "center_crop", "pad", "scale", "mean", "std", "layout", "dtype"}));
  ImageSpec spec;
  ASSIGN_OR_RETURN(spec.input, GetString(v, "input", ""));
  RETURN_IF_ERROR(ParseColorLayoutType(v, spec));
  ASSIGN_OR_RETURN(spec.exif_orientation, GetBool(v, "exif_orientation", true));
  ASSIGN_OR_RETURN(spec.max_pixels, GetInt(v, "max_pixels", spec.max_pixels, 1, int64_t{1} << 32));
  ASSIGN_OR_RETURN(const int64_t min_side, GetInt(v, "min_side", 1, 1, kMaxSide));
  spec.min_side = static_cast<int>(min_side);
  if (v.HasMember("resize")) {
    ASSIGN_OR_RETURN(spec.resize, ParseResize(v["resize"]));
  }
  if (v.HasMember("center_crop")) {
    ASSIGN_OR_RETURN(spec.center_crop, ParseSize(v["center_crop"], "center_crop"));
  }
  RETURN_IF_ERROR(ParseNormalization(v, spec));
  if (v.HasMember("pad")) {
    ASSIGN_OR_RETURN(spec.pad, ParsePad(v["pad"], spec));
  }
  return spec;
}

StatusOr<float> GetUnitFloat(const Value& v, const char* key, float fallback, double max) {
  if (!v.HasMember(key)) return fallback;
  if (!v[key].IsNumber() || !(v[key].GetDouble() > 0) || v[key].GetDouble() > max) {
    return Bad(key, absl::StrCat("must be a number in (0, ", max, "]"));
  }
  return static_cast<float>(v[key].GetDouble());
}

Status ParseTextBoxes(const Value& v, OutputSpec& spec) {
  const bool boxes = spec.decode == OutputDecode::kTextBoxes;
  for (const char* key : {"threshold", "box_threshold", "unclip_ratio", "min_size", "max_boxes"}) {
    if (!boxes && v.HasMember(key)) return Bad(key, "needs \"decode\": \"text_boxes\"");
  }
  TextBoxSpec& box = spec.text_boxes;
  ASSIGN_OR_RETURN(box.threshold, GetUnitFloat(v, "threshold", box.threshold, 1));
  ASSIGN_OR_RETURN(box.box_threshold, GetUnitFloat(v, "box_threshold", box.box_threshold, 1));
  ASSIGN_OR_RETURN(box.unclip_ratio, GetUnitFloat(v, "unclip_ratio", box.unclip_ratio, 16));
  ASSIGN_OR_RETURN(const int64_t min_size, GetInt(v, "min_size", box.min_size, 1, kMaxSide));
  box.min_size = static_cast<int>(min_size);
  ASSIGN_OR_RETURN(const int64_t max_boxes, GetInt(v, "max_boxes", box.max_boxes, 1, 100'000));
  box.max_boxes = static_cast<int>(max_boxes);
  return absl::OkStatus();
}

StatusOr<OutputSpec> ParseOutput(const Value& v) {
  if (!v.IsObject()) return Bad("output", "must be an object");
  RETURN_IF_ERROR(CheckKeys(
      v, "output",
      {"name", "softmax", "top_k", "decode", "ctc_blank", "ctc_space_last", "ctc_trim_spaces",
       "threshold", "box_threshold", "unclip_ratio", "min_size", "max_boxes"}));
  OutputSpec spec;
  ASSIGN_OR_RETURN(spec.output, GetString(v, "name", ""));
  ASSIGN_OR_RETURN(spec.softmax, GetBool(v, "softmax", true));
  ASSIGN_OR_RETURN(const int64_t top_k, GetInt(v, "top_k", 5, 0, 1 << 20));
  spec.top_k = static_cast<int>(top_k);
  ASSIGN_OR_RETURN(const int decode, GetChoice(v, "decode", {"top_k", "ctc", "text_boxes"}));
  spec.decode = decode == 0   ? OutputDecode::kTopK
                : decode == 1 ? OutputDecode::kCtc
                              : OutputDecode::kTextBoxes;
  RETURN_IF_ERROR(ParseTextBoxes(v, spec));
  for (const char* key : {"ctc_blank", "ctc_space_last", "ctc_trim_spaces"}) {
    if (spec.decode != OutputDecode::kCtc && v.HasMember(key)) {
      return Bad(key, "needs \"decode\": \"ctc\"");
    }
  }
  ASSIGN_OR_RETURN(const int64_t blank, GetInt(v, "ctc_blank", 0, 0, 1 << 24));
  spec.ctc_blank = static_cast<int>(blank);
  ASSIGN_OR_RETURN(spec.ctc_space_last, GetBool(v, "ctc_space_last", false));
  ASSIGN_OR_RETURN(spec.ctc_trim_spaces, GetBool(v, "ctc_trim_spaces", false));
  return spec;
}

}  // namespace

StatusOr<PipelineSpec> ParsePipelineSpec(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat("pipeline: invalid JSON at offset ", doc.GetErrorOffset(), ": ",
                     rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) return Bad("(top level)", "must be an object");
  for (const auto& member : doc.GetObject()) {
    const std::string key = member.name.GetString();
    if (key != "image" && key != "output") return Bad(key, "is not a pipeline section");
  }
  PipelineSpec spec;
  if (doc.HasMember("image")) {
    ASSIGN_OR_RETURN(spec.image, ParseImage(doc["image"]));
  }
  if (doc.HasMember("output")) {
    ASSIGN_OR_RETURN(spec.output, ParseOutput(doc["output"]));
  }
  return spec;
}

}  // namespace inferd::preprocess
