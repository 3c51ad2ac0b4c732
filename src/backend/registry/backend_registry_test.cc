#include "backend/registry/backend_registry.h"

#include <fstream>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/identity_backend.h"

namespace inferd::backend {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

BackendRegistration Named(std::string name, std::vector<std::string> platforms, std::string file,
                          int* created = nullptr) {
  BackendRegistration r;
  r.name = std::move(name);
  r.platforms = std::move(platforms);
  r.default_model_filename = std::move(file);
  r.create = [created]() -> StatusOr<std::unique_ptr<Backend>> {
    if (created != nullptr) ++*created;
    BackendRegistry scratch;  // borrow the identity backend's factory
    RETURN_IF_ERROR(testing::RegisterIdentityBackend(scratch));
    ASSIGN_OR_RETURN(const RegisteredBackend* identity,
                     scratch.Resolve(::inference::ModelConfig{}));
    return identity->registration().create();
  };
  return r;
}

::inference::ModelConfig Config(std::string backend, std::string platform) {
  ::inference::ModelConfig config;
  config.set_backend(std::move(backend));
  config.set_platform(std::move(platform));
  return config;
}

class BackendRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Register(Named("onnxruntime", {"onnxruntime_onnx"}, "model.onnx")).ok());
    ASSERT_TRUE(registry_.Register(Named("pytorch", {"pytorch_libtorch"}, "model.pt")).ok());
    ASSERT_TRUE(registry_.Register(Named("ensemble", {"ensemble"}, "")).ok());
  }
  std::string Resolved(const ::inference::ModelConfig& config,
                       std::span<const fs::path> dirs = {}) {
    auto backend = registry_.Resolve(config, dirs);
    return backend.ok() ? (*backend)->name() : std::string(backend.status().message());
  }
  BackendRegistry registry_;
};

TEST_F(BackendRegistryTest, RefusesBadAndDuplicateRegistrations) {
  EXPECT_EQ(registry_.Register(Named("", {}, "x")).code(), absl::StatusCode::kInvalidArgument);
  BackendRegistration no_factory = Named("x", {}, "x");
  no_factory.create = nullptr;
  EXPECT_EQ(registry_.Register(no_factory).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_.Register(Named("pytorch", {}, "x")).code(), absl::StatusCode::kAlreadyExists);
  const Status platform_taken = registry_.Register(Named("ort2", {"onnxruntime_onnx"}, "m"));
  EXPECT_EQ(platform_taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(platform_taken.message()), HasSubstr("'onnxruntime'"));
}

TEST_F(BackendRegistryTest, ResolvesByBackendPlatformOrBoth) {
  EXPECT_EQ(Resolved(Config("pytorch", "")), "pytorch");
  EXPECT_EQ(Resolved(Config("", "pytorch_libtorch")), "pytorch");
  EXPECT_EQ(Resolved(Config("onnxruntime", "onnxruntime_onnx")), "onnxruntime");
  EXPECT_EQ(Resolved(Config("", "ensemble")), "ensemble");
  EXPECT_THAT(Resolved(Config("onnxruntime", "pytorch_libtorch")),
              HasSubstr("platform 'pytorch_libtorch' is backend 'pytorch', not backend "
                        "'onnxruntime'"));
}

TEST_F(BackendRegistryTest, UnknownNamesListTheKnownBackends) {
  const std::string known =
      "inferd serves backend 'onnxruntime' (platform 'onnxruntime_onnx'), backend 'pytorch' "
      "(platform 'pytorch_libtorch'), backend 'ensemble' (platform 'ensemble')";
  EXPECT_EQ(Resolved(Config("python", "")), "backend 'python' is not supported; " + known);
  EXPECT_EQ(Resolved(Config("", "tensorrt_plan")),
            "platform 'tensorrt_plan' is not supported; " + known);
  EXPECT_EQ(registry_.Resolve(Config("python", "")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BackendRegistryTest, UnnamedBackendIsFoundByItsDefaultModelFile) {
  const fs::path dir = fs::temp_directory_path() /
                       ("inferd_registry_test_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir / "1");
  EXPECT_EQ(Resolved(Config("", ""), std::vector<fs::path>{dir / "1"}), "onnxruntime");  // first
  std::ofstream(dir / "1" / "model.pt") << "x";
  EXPECT_EQ(Resolved(Config("", ""), std::vector<fs::path>{dir / "1"}), "pytorch");
  fs::remove_all(dir);
}

TEST_F(BackendRegistryTest, FillIdentityKeepsTheUsersFileName) {
  auto backend = registry_.Resolve(Config("", "pytorch_libtorch"));
  ASSERT_TRUE(backend.ok());
  ::inference::ModelConfig config = Config("", "pytorch_libtorch");
  (*backend)->FillIdentity(config);
  EXPECT_EQ(config.backend(), "pytorch");
  EXPECT_EQ(config.default_model_filename(), "model.pt");
  config.set_default_model_filename("traced.pt");
  (*backend)->FillIdentity(config);
  EXPECT_EQ(config.default_model_filename(), "traced.pt");
}

TEST(BackendRegistry, EmptyRegistryIsAClearError) {
  BackendRegistry empty;
  EXPECT_EQ(empty.Resolve(::inference::ModelConfig{}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(BackendRegistry, CreatesTheBackendOnceOnFirstUseAndRetriesAFailure) {
  int created = 0;
  BackendRegistry registry;
  ASSERT_TRUE(registry.Register(Named("identity", {}, "model.identity", &created)).ok());
  bool fail = true;
  BackendRegistration flaky = Named("flaky", {}, "f");
  flaky.create = [&fail]() -> StatusOr<std::unique_ptr<Backend>> {
    if (fail) return absl::UnavailableError("not yet");
    return std::unique_ptr<Backend>();  // null: refused by Get
  };
  ASSERT_TRUE(registry.Register(std::move(flaky)).ok());
  auto identity = registry.Resolve(Config("identity", ""));
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(created, 0);  // registering creates nothing
  auto first = (*identity)->Get();
  auto second = (*identity)->Get();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(created, 1);
  auto flaky_backend = registry.Resolve(Config("flaky", ""));
  ASSERT_TRUE(flaky_backend.ok());
  EXPECT_EQ((*flaky_backend)->Get().status().code(), absl::StatusCode::kUnavailable);
  fail = false;
  EXPECT_EQ((*flaky_backend)->Get().status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace inferd::backend
