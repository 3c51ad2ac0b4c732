#include "testing/identity_backend.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "backend/registry/signature_autocomplete.h"

namespace inferd::backend::testing {
namespace {

StatusOr<core::ModelSignature> ReadIdentityFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string type_name;
  if (!in || !(in >> type_name)) {
    return absl::NotFoundError(
        absl::StrCat("identity model file '", file.string(), "' is missing or empty"));
  }
  const auto dtype = core::ParseDataType(type_name);
  if (!dtype) {
    return absl::InvalidArgumentError(
        absl::StrCat("identity model file '", file.string(), "': unknown type ", type_name));
  }
  core::Shape dims;
  for (int64_t dim = 0; in >> dim;) dims.push_back(dim);
  core::ModelSignature signature;
  signature.inputs.push_back({"INPUT0", *dtype, dims});
  signature.outputs.push_back({"OUTPUT0", *dtype, dims});
  return signature;
}

class IdentityInstance final : public Instance {
 public:
  StatusOr<std::vector<core::Tensor>> Execute(std::span<const core::Tensor> inputs,
                                              std::span<const std::string>) override {
    if (inputs.size() != 1) return absl::InternalError("identity: expected one input");
    const core::Tensor& input = inputs.front();
    auto owned = core::MakeOwnedTensor("OUTPUT0", input.dtype, input.shape, input.data.size());
    if (!input.data.empty())
      std::memcpy(owned.writable.data(), input.data.data(), input.data.size());
    std::vector<core::Tensor> outputs;
    outputs.push_back(std::move(owned.tensor));
    return outputs;
  }
};

class IdentityModel final : public Model {
 public:
  explicit IdentityModel(core::ModelSignature signature)
      : signature_(std::make_shared<const core::ModelSignature>(std::move(signature))) {}
  StatusOr<std::unique_ptr<Instance>> CreateInstance(int) override {
    return std::make_unique<IdentityInstance>();
  }
  std::shared_ptr<const core::ModelSignature> signature() const override { return signature_; }

 private:
  std::shared_ptr<const core::ModelSignature> signature_;
};

class IdentityBackend final : public Backend {
 public:
  std::string_view Name() const override { return kIdentityBackend; }
  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& file) override {
    return ReadIdentityFile(file);
  }
  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    ASSIGN_OR_RETURN(auto signature, ReadIdentityFile(spec.model_file));
    return std::make_unique<IdentityModel>(std::move(signature));
  }
};

// Forwards to a backend the test owns (the registry owns what its factory returns).
class BorrowedBackend final : public Backend {
 public:
  explicit BorrowedBackend(Backend& backend) : backend_(backend) {}
  std::string_view Name() const override { return backend_.Name(); }
  StatusOr<core::ModelSignature> ReadSignature(const std::filesystem::path& file) override {
    return backend_.ReadSignature(file);
  }
  StatusOr<std::unique_ptr<Model>> LoadModel(const ModelSpec& spec) override {
    return backend_.LoadModel(spec);
  }

 private:
  Backend& backend_;
};

}  // namespace

Status RegisterIdentityBackend(BackendRegistry& registry) {
  BackendRegistration registration;
  registration.name = kIdentityBackend;
  registration.platforms = {kIdentityPlatform};
  registration.default_model_filename = kIdentityModelFile;
  registration.create = []() -> StatusOr<std::unique_ptr<Backend>> {
    return std::make_unique<IdentityBackend>();
  };
  registration.auto_complete = CompleteFromSignature;
  return registry.Register(std::move(registration));
}

Status RegisterBorrowedAsOnnx(BackendRegistry& registry, Backend& backend) {
  BackendRegistration registration;
  registration.name = "onnxruntime";
  registration.platforms = {"onnxruntime_onnx"};
  registration.default_model_filename = "model.onnx";
  registration.create = [&backend]() -> StatusOr<std::unique_ptr<Backend>> {
    return std::make_unique<BorrowedBackend>(backend);
  };
  registration.auto_complete = CompleteFromSignature;
  return registry.Register(std::move(registration));
}

std::unique_ptr<BackendRegistry> RegistryWith(Backend& backend) {
  auto registry = std::make_unique<BackendRegistry>();
  // Cannot fail: a fresh registry has no name to collide with.
  (void)RegisterBorrowedAsOnnx(*registry, backend);
  return registry;
}

}  // namespace inferd::backend::testing
