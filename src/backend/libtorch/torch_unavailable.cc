// The libtorch backend's registration in a build without libtorch (INFERD_WITH_LIBTORCH=OFF, or
// libtorch-dev not found at configure time): TorchScript models are still recognised by their
// names and model.pt, and fail to load saying why instead of as an unknown platform.
#include <utility>

#include "backend/libtorch/libtorch_backend.h"

namespace inferd::backend {

Status RegisterLibTorchBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = "pytorch";
  registration.platforms = {"pytorch_libtorch"};
  registration.default_model_filename = "model.pt";
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return absl::FailedPreconditionError(
        "this inferd was built without the libtorch backend (libtorch-dev was not found when it "
        "was configured, or -DINFERD_WITH_LIBTORCH=OFF): install libtorch-dev (scripts/setup.sh) "
        "and rebuild to serve TorchScript models");
  };
  return registry.Register(std::move(registration));
}

}  // namespace inferd::backend
