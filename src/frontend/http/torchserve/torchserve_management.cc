#include "frontend/http/torchserve/torchserve_management.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/beast/http/field.hpp"
#include "frontend/http/config_json.h"
#include "frontend/http/json_parse.h"
#include "frontend/http/json_tensor.h"
#include "frontend/http/torchserve/torchserve_config_edits.h"
#include "frontend/http/torchserve/torchserve_status.h"
#include "frontend/http/url_util.h"
#include "rapidjson/stringbuffer.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;
using Query = std::map<std::string, std::string>;
// LoadModel/UnloadModel take a copyable std::function; the responder is move-only.
using SharedRespond = std::shared_ptr<Respond>;

HttpResponse NotAllowed() {
  return TorchServeError(bhttp::status::method_not_allowed, "MethodNotAllowedException",
                         "Requested method is not allowed, please refer to API document.");
}

HttpResponse BadRequest(std::string_view message) {
  return TorchServeError(bhttp::status::bad_request, "BadRequestException", message);
}

HttpResponse ModelNotFound(std::string_view model) {
  return TorchServeError(bhttp::status::not_found, "ModelNotFoundException",
                         absl::StrCat("Model not found: ", std::string(model)));
}

HttpResponse VersionNotFound(std::string_view model, std::string_view version) {
  return TorchServeError(bhttp::status::not_found, "ModelVersionNotFoundException",
                         absl::StrCat("Model version: ", std::string(version),
                                      " does not exist for model: ", std::string(model)));
}

// NotFound from the facade means the model, or only the version, is unknown.
HttpResponse NotFoundError(const core::InferenceService& service, std::string_view model,
                           std::string_view version) {
  if (service.ModelReady(model, 0).code() == absl::StatusCode::kNotFound) {
    return ModelNotFound(model);
  }
  return VersionNotFound(model, version);
}

std::vector<int64_t> ReadyVersions(const core::InferenceService& service, std::string_view model) {
  std::vector<int64_t> versions;
  for (const auto& entry : service.RepositoryIndex(/*ready_only=*/true)) {
    int64_t v = 0;
    const auto parsed =
        std::from_chars(entry.version.data(), entry.version.data() + entry.version.size(), v);
    if (entry.name == model && entry.state == "READY" && parsed.ec == std::errc() && v > 0) {
      versions.push_back(v);
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

std::optional<int64_t> IntParam(const Query& query, const std::string& name, int64_t fallback) {
  const auto it = query.find(name);
  if (it == query.end()) return fallback;
  int64_t value = 0;
  const auto parsed =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != it->second.data() + it->second.size()) {
    return std::nullopt;
  }
  return value;
}

// TorchServe also takes the register parameters as a JSON body ({"url": ..., "model_name": ...});
// its string and integer fields join (and override) the query's.
StatusOr<Query> WithJsonBody(const HttpRequest& request, Query query) {
  const auto type = request[bhttp::field::content_type];
  if (request.body().empty() ||
      std::string_view(type.data(), type.size()).find("json") == std::string_view::npos) {
    return query;
  }
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseJson(request.body()));
  if (!doc.IsObject()) return absl::InvalidArgumentError("the request body must be a JSON object");
  for (const auto& member : doc.GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    if (member.value.IsString()) {
      query[name] = std::string(member.value.GetString(), member.value.GetStringLength());
    } else if (member.value.IsInt64()) {
      query[name] = std::to_string(member.value.GetInt64());
    }
  }
  return query;
}

HttpResponse ListModels(const core::InferenceService& service, const Query& query) {
  const auto limit = IntParam(query, "limit", 100);
  const auto token = IntParam(query, "next_page_token", 0);
  if (!limit.has_value() || !token.has_value() || *token < 0) {
    return BadRequest("limit and next_page_token must be integers");
  }
  std::set<std::string> names;
  for (const auto& entry : service.RepositoryIndex(/*ready_only=*/true)) {
    if (entry.state == "READY") names.insert(entry.name);
  }
  const int64_t page = *limit < 0 || *limit > 100 ? 100 : *limit;  // TorchServe's bounds
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  int64_t index = 0;
  // Without overflow for any token: a token past the end is an empty last page.
  const auto size = static_cast<int64_t>(names.size());
  const int64_t end = *token >= size ? size : std::min(size, *token + page);
  if (end < size) {
    writer.Key("nextPageToken");
    writer.String(std::to_string(end).c_str());
  }
  writer.Key("models");
  writer.StartArray();
  for (const auto& name : names) {
    if (index >= *token && index < end) {
      writer.StartObject();
      writer.Key("modelName");
      writer.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      writer.Key("modelUrl");
      writer.String(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
      writer.EndObject();
    }
    ++index;
  }
  writer.EndArray();
  writer.EndObject();
  return JsonResponse(bhttp::status::ok, std::string(buffer.GetString(), buffer.GetSize()));
}

int InstanceCount(const ::inference::ModelConfig& config) {
  int count = 0;
  for (const auto& group : config.instance_group()) count += group.count();
  return count;
}

void WriteDescription(const ::inference::ModelConfig& config, int64_t version, JsonWriter& writer) {
  const int workers = InstanceCount(config);
  const bool gpu = !config.instance_group().empty() &&
                   config.instance_group(0).kind() == ::inference::ModelInstanceGroup::KIND_GPU;
  writer.StartObject();
  writer.Key("modelName");
  writer.String(config.name().c_str());
  writer.Key("modelVersion");
  writer.String(std::to_string(version).c_str());
  writer.Key("modelUrl");
  writer.String(config.name().c_str());
  writer.Key("runtime");
  writer.String(config.backend().empty() ? config.platform().c_str() : config.backend().c_str());
  writer.Key("minWorkers");
  writer.Int(workers);
  writer.Key("maxWorkers");
  writer.Int(workers);
  writer.Key("batchSize");
  writer.Int(std::max(1, config.max_batch_size()));
  writer.Key("maxBatchDelay");
  writer.Uint64(config.dynamic_batching().max_queue_delay_microseconds() / 1000);
  writer.Key("workers");
  writer.StartArray();
  for (int i = 0; i < workers; ++i) {
    writer.StartObject();
    writer.Key("id");
    writer.String(std::to_string(i).c_str());
    writer.Key("status");
    writer.String("READY");
    writer.Key("gpu");
    writer.Bool(gpu);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
}

HttpResponse DescribeModel(const TorchServeContext& context, const std::string& model,
                           std::optional<std::string_view> version_text) {
  std::vector<int64_t> versions;
  if (version_text == "all") {
    versions = ReadyVersions(context.service, model);
    if (versions.empty()) return ModelNotFound(model);
  } else if (version_text.has_value()) {
    const auto version = ParseTorchServeVersion(*version_text);
    if (!version.has_value()) return VersionNotFound(model, *version_text);
    versions.push_back(*version);
  } else if (const int64_t chosen = context.defaults.Get(model); chosen != 0) {
    versions.push_back(chosen);
  } else {
    versions = ReadyVersions(context.service, model);
    if (versions.empty()) return ModelNotFound(model);
    versions.erase(versions.begin(), versions.end() - 1);  // the highest: the facade's default
  }
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartArray();
  for (int64_t version : versions) {
    auto config = context.service.GetModelConfig(model, version);
    if (config.status().code() == absl::StatusCode::kNotFound) {
      return NotFoundError(context.service, model, std::to_string(version));
    }
    if (!config.ok()) return TorchServeError(config.status());
    WriteDescription(*config, version, writer);
  }
  writer.EndArray();
  return JsonResponse(bhttp::status::ok, std::string(buffer.GetString(), buffer.GetSize()));
}

// Runs LoadModel and answers `success` (or the failure) once it is done.
void LoadAndAnswer(core::InferenceService& service, core::LoadModelRequest load,
                   std::string success, Respond respond) {
  auto shared = std::make_shared<Respond>(std::move(respond));
  service.LoadModel(std::move(load), [shared, success = std::move(success)](Status status) {
    std::move (*shared)(status.ok() ? TorchServeStatus(success) : TorchServeError(status));
  });
}

// Loads `model` with its current config changed by `edit`.
template <typename Edit>
void ReloadWith(core::InferenceService& service, const std::string& model, Edit edit,
                std::string success, Respond respond) {
  auto config = service.GetModelConfig(model, 0);
  if (!config.ok()) return std::move(respond)(TorchServeError(config.status()));
  edit(*config);
  auto json = ModelConfigToJson(*config);
  if (!json.ok()) return std::move(respond)(TorchServeError(json.status()));
  LoadAndAnswer(service, {model, *std::move(json)}, std::move(success), std::move(respond));
}

StatusOr<RegisterParams> ReadRegisterParams(const Query& query) {
  RegisterParams params;
  const auto read = [&query](const char* name, int64_t low, int64_t high, auto& out) -> Status {
    if (!query.contains(name)) return absl::OkStatus();
    const auto value = IntParam(query, name, 0);
    if (!value.has_value() || *value < low || *value > high) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be an integer from ", low, " to ", high));
    }
    out = static_cast<std::remove_reference_t<decltype(*out)>>(*value);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(read("initial_workers", 1, INT32_MAX, params.workers));
  RETURN_IF_ERROR(read("batch_size", 1, INT32_MAX, params.batch_size));
  RETURN_IF_ERROR(read("max_batch_delay", 0, 3'600'000, params.max_delay_ms));
  return params;
}

// After the first load: applies `params` by a reload; a failure unloads the model again, so a
// register either takes effect as asked or leaves nothing registered.
void ApplyAfterRegister(core::InferenceService& service, const std::string& name,
                        const RegisterParams& params, std::shared_ptr<Respond> respond,
                        std::function<void()> answer) {
  auto config = service.GetModelConfig(name, 0);
  Status applied = config.ok() ? ApplyRegisterParams(params, *config) : config.status();
  auto json = applied.ok() ? ModelConfigToJson(*config) : StatusOr<std::string>(applied);
  auto fail = [&service, name, respond](Status status) {
    service.UnloadModel(
        name, [respond, status](Status) { std::move (*respond)(TorchServeError(status)); });
  };
  if (!json.ok()) return fail(json.status());
  service.LoadModel({name, *std::move(json)}, [fail, answer = std::move(answer)](Status status) {
    if (!status.ok()) return fail(status);
    answer();
  });
}

void RegisterModel(const TorchServeContext& context, const Query& query, Respond respond) {
  const auto url = query.find("url");
  if (url == query.end()) return std::move(respond)(BadRequest("Parameter url is required."));
  auto model = ModelNameFromUrl(url->second);
  if (!model.ok()) return std::move(respond)(TorchServeError(model.status()));
  if (auto name = query.find("model_name"); name != query.end() && name->second != *model) {
    return std::move(respond)(BadRequest(
        absl::StrCat("model_name '", name->second, "' differs from the repository directory '",
                     *model, "': inferd serves a model under its directory's name")));
  }
  if (context.service.ModelReady(*model, 0).ok()) {
    return std::move(respond)(
        TorchServeError(bhttp::status::conflict, "ConflictStatusException",
                        absl::StrCat("Model ", *model, " is already registered")));
  }
  auto params = ReadRegisterParams(query);
  if (!params.ok()) return std::move(respond)(BadRequest(std::string(params.status().message())));
  auto shared = std::make_shared<Respond>(std::move(respond));
  core::InferenceService& service = context.service;
  service.LoadModel(
      {*model, ""}, [shared, &service, name = *model, params = *params](Status status) {
        if (!status.ok()) return std::move(*shared)(TorchServeError(status));
        auto answer = [shared, &service, name] {
          auto config = service.GetModelConfig(name, 0);
          auto metadata = service.GetModelMetadata(name, 0);
          const std::string version = metadata.ok() && !metadata->versions.empty()
                                          ? metadata->versions.back()
                                          : std::string("?");
          std::move (*shared)(TorchServeStatus(
              absl::StrCat("Model \"", name, "\" Version: ", version, " registered with ",
                           config.ok() ? InstanceCount(*config) : 0, " initial workers")));
        };
        if (!params.any()) return answer();
        ApplyAfterRegister(service, name, params, shared, std::move(answer));
      });
}

void ScaleModel(const TorchServeContext& context, const std::string& model,
                std::optional<std::string_view> version_text, const Query& query, Respond respond) {
  if (version_text.has_value()) {
    const auto version = ParseTorchServeVersion(*version_text);
    if (!version.has_value()) return std::move(respond)(VersionNotFound(model, *version_text));
    if (Status ready = context.service.ModelReady(model, *version); !ready.ok()) {
      return std::move(respond)(ready.code() == absl::StatusCode::kNotFound
                                    ? NotFoundError(context.service, model, *version_text)
                                    : TorchServeError(ready));
    }
  }
  // The server's --max-instances-per-model bound is enforced by the load (400 naming it).
  const auto workers = IntParam(query, "min_worker", 1);
  if (!workers.has_value() || *workers < 1 || *workers > INT32_MAX) {
    return std::move(respond)(
        BadRequest("min_worker must be a positive integer (a loaded model keeps at least one "
                   "instance)"));
  }
  auto edit = [count = static_cast<int32_t>(*workers)](::inference::ModelConfig& config) {
    SetInstanceCount(config, count);
  };
  ReloadWith(context.service, model, edit,
             absl::StrCat("Workers scaled to ", *workers, " for model: ", model),
             std::move(respond));
}

void UnregisterModel(const TorchServeContext& context, const std::string& model,
                     std::optional<std::string_view> version_text, Respond respond) {
  const std::string success = absl::StrCat("Model \"", model, "\" unregistered");
  if (!version_text.has_value()) {
    context.defaults.Clear(model);
    auto shared = std::make_shared<Respond>(std::move(respond));
    return context.service.UnloadModel(model, [shared, success](Status status) {
      std::move (*shared)(status.ok() ? TorchServeStatus(success) : TorchServeError(status));
    });
  }
  const auto version = ParseTorchServeVersion(*version_text);
  const std::vector<int64_t> ready = ReadyVersions(context.service, model);
  if (ready.empty()) return std::move(respond)(ModelNotFound(model));
  if (!version.has_value() || std::find(ready.begin(), ready.end(), *version) == ready.end()) {
    return std::move(respond)(VersionNotFound(model, *version_text));
  }
  context.defaults.Clear(model, *version);
  if (ready.size() == 1) {
    auto shared = std::make_shared<Respond>(std::move(respond));
    return context.service.UnloadModel(model, [shared, success](Status status) {
      std::move (*shared)(status.ok() ? TorchServeStatus(success) : TorchServeError(status));
    });
  }
  auto edit = [&ready, removed = *version](::inference::ModelConfig& config) {
    auto* specific = config.mutable_version_policy()->mutable_specific();
    specific->clear_versions();
    for (int64_t v : ready) {
      if (v != removed) specific->add_versions(v);
    }
  };
  ReloadWith(context.service, model, edit, success, std::move(respond));
}

HttpResponse SetDefault(const TorchServeContext& context, const std::string& model,
                        std::string_view version_text) {
  const auto version = ParseTorchServeVersion(version_text);
  if (!version.has_value()) return VersionNotFound(model, version_text);
  if (Status ready = context.service.ModelReady(model, *version); !ready.ok()) {
    return ready.code() == absl::StatusCode::kNotFound
               ? NotFoundError(context.service, model, version_text)
               : TorchServeError(ready);
  }
  context.defaults.Set(model, *version);
  return TorchServeStatus(absl::StrCat("Default version successfully updated for model \"", model,
                                       "\" to \"", *version, "\""));
}

}  // namespace

StatusOr<std::string> ModelNameFromUrl(std::string_view url) {
  std::string_view name = url;
  if (name.size() > 4 && name.substr(name.size() - 4) == ".mar") name.remove_suffix(4);
  const bool escapes = name.empty() || name == "." || name == ".." ||
                       name.find_first_of("/\\:") != std::string_view::npos ||
                       name.find('\0') != std::string_view::npos || name.front() == '.';
  if (escapes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Invalid model url '", std::string(url),
        "': give the name of a model directory in the model repository (no URL or path)"));
  }
  return std::string(name);
}

void HandleTorchServeManagement(const TorchServeContext& context, TorchServeOperation operation,
                                const HttpRequest& request, std::string_view model_segment,
                                std::optional<std::string_view> version, Respond respond) {
  std::string_view target(request.target().data(), request.target().size());
  const auto query = ParseQuery(target);
  if (!query.has_value()) return std::move(respond)(BadRequest("malformed query string"));
  if (operation == TorchServeOperation::kList) {
    return std::move(respond)(ListModels(context.service, *query));
  }
  if (operation == TorchServeOperation::kRegister) {
    auto params = WithJsonBody(request, *query);
    if (!params.ok()) return std::move(respond)(TorchServeError(params.status()));
    return RegisterModel(context, *params, std::move(respond));
  }
  auto model = UrlDecode(model_segment);
  if (!model.has_value() || model->empty()) {
    return std::move(respond)(BadRequest("malformed model name in the URL"));
  }
  switch (operation) {
    case TorchServeOperation::kDescribe:
      return std::move(respond)(DescribeModel(context, *model, version));
    case TorchServeOperation::kScale:
      return ScaleModel(context, *model, version, *query, std::move(respond));
    case TorchServeOperation::kUnregister:
      return UnregisterModel(context, *model, version, std::move(respond));
    default:
      return std::move(respond)(SetDefault(context, *model, version.value_or("")));
  }
}

HttpResponse TorchServeResourceNotFound() {
  return TorchServeError(bhttp::status::not_found, "ResourceNotFoundException",
                         "Requested resource is not found, please refer to API document.");
}

HttpResponse TorchServeMethodNotAllowed() { return NotAllowed(); }

}  // namespace inferd::frontend::http
