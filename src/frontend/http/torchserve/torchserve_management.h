// TorchServe's management API over the core facade (served on the main HTTP port):
//   GET    /models[?limit=N&next_page_token=T]   loaded models, paginated
//   GET    /models/{m}[/{v} | /all]              descriptions (the default version without {v})
//   POST   /models?url=NAME[&initial_workers=N&batch_size=B&max_batch_delay=MS]
//                                                LoadModel of repository directory NAME; the
//                                                parameters are applied to its config (a reload)
//   PUT    /models/{m}[/{v}]?min_worker=N        LoadModel with instance_group count N
//   DELETE /models/{m}                           UnloadModel
//   DELETE /models/{m}/{v}                       LoadModel with a version_policy without {v}
//                                                (UnloadModel when {v} is the only version)
//   PUT    /models/{m}/{v}/set-default           the version /predictions/{m} uses
// Changes go through the facade's LoadModel/UnloadModel, which refuse them (FailedPrecondition ->
// 405 MethodNotAllowedException) unless the model control mode allows changes; they answer once
// the change is done. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "frontend/http/http_message.h"
#include "frontend/http/torchserve/torchserve_handlers.h"

namespace inferd::frontend::http {

enum class TorchServeOperation { kList, kRegister, kDescribe, kScale, kUnregister, kSetDefault };

// One management call; `model_segment` and `version` are the path's (still URL-encoded) segments
// (unused by kList and kRegister). Query-string errors are 400 BadRequestException.
void HandleTorchServeManagement(const TorchServeContext& context, TorchServeOperation operation,
                                const HttpRequest& request, std::string_view model_segment,
                                std::optional<std::string_view> version, Respond respond);

// TorchServe's 404 (ResourceNotFoundException) and 405 (MethodNotAllowedException) answers.
HttpResponse TorchServeResourceNotFound();
HttpResponse TorchServeMethodNotAllowed();

// The repository model a register `url` names: a plain directory name, "name.mar" read as
// "name". InvalidArgument for URLs, paths and anything that could leave the repository.
StatusOr<std::string> ModelNameFromUrl(std::string_view url);

}  // namespace inferd::frontend::http
