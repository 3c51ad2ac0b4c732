#include "frontend/http/kserve/repository_handlers.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "frontend/http/json_parse.h"

namespace inferd::frontend::http {
namespace {

namespace bhttp = boost::beast::http;

bool IsBlank(std::string_view body) {
  return body.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The load request's config override ("" when none). Triton's other parameter, "file:<path>"
// (model files in the request), is refused: inferd loads models only from its repository.
StatusOr<std::string> ConfigOverride(std::string_view body) {
  if (IsBlank(body)) return std::string();
  ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.IsObject()) return absl::InvalidArgumentError("the load request must be a JSON object");
  auto parameters = doc.FindMember("parameters");
  if (parameters == doc.MemberEnd()) return std::string();
  if (!parameters->value.IsObject()) {
    return absl::InvalidArgumentError("'parameters' must be a JSON object");
  }
  std::string config;
  for (const auto& member : parameters->value.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key == "config") {
      if (!member.value.IsString()) {
        return absl::InvalidArgumentError("parameter 'config' must be a string holding JSON");
      }
      config.assign(member.value.GetString(), member.value.GetStringLength());
    } else if (key.starts_with("file:")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "parameter '", std::string(key),
          "' is not supported: inferd loads model files only from its model repository"));
    }
  }
  return config;
}

// Completions may run on a loader thread; Respond is move-only, so it rides in a shared_ptr.
core::StatusCallback Reply(Respond respond) {
  return [respond = std::make_shared<Respond>(std::move(respond))](Status status) {
    std::move (*respond)(status.ok() ? EmptyResponse(bhttp::status::ok) : ErrorResponse(status));
  };
}

}  // namespace

void HandleRepositoryLoad(core::InferenceService& service, std::string model, std::string_view body,
                          Respond respond) {
  auto config = ConfigOverride(body);
  if (!config.ok()) return std::move(respond)(ErrorResponse(config.status()));
  service.LoadModel({std::move(model), *std::move(config)}, Reply(std::move(respond)));
}

void HandleRepositoryUnload(core::InferenceService& service, std::string model,
                            std::string_view body, Respond respond) {
  if (!IsBlank(body)) {
    auto doc = ParseJson(body);
    if (!doc.ok()) return std::move(respond)(ErrorResponse(doc.status()));
  }
  service.UnloadModel(std::move(model), Reply(std::move(respond)));
}

}  // namespace inferd::frontend::http
