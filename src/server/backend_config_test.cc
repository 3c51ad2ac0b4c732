#include "server/backend_config.h"

#include "backend/registry/builtin_backends.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::server {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(BackendConfigTest, ParsesTritonSyntax) {
  auto config = ParseBackendConfigs(
      {"onnxruntime,default-max-batch-size=16", "default-max-batch-size=8", "tensorflow,x=a=b"});
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_THAT(config->settings, SizeIs(3));
  EXPECT_EQ(config->settings[0].backend, "onnxruntime");
  EXPECT_EQ(config->settings[0].key, "default-max-batch-size");
  EXPECT_EQ(config->settings[1].backend, "");
  EXPECT_EQ(config->settings[2].value, "a=b");
  EXPECT_EQ(config->default_max_batch_size, 8);  // the last one given
}

TEST(BackendConfigTest, RefusesMalformedValues) {
  for (const char* bad : {"onnxruntime", "onnxruntime,x", ",x=1", "=1", "onnxruntime,=1",
                          "default-max-batch-size=-1", "default-max-batch-size=many"}) {
    auto config = ParseBackendConfigs({bad});
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_TRUE(absl::IsInvalidArgument(config.status()));
    EXPECT_THAT(config.status().message(), HasSubstr(bad));
  }
}

TEST(BackendConfigTest, WarnsAboutWhatIsNotApplied) {
  backend::BackendRegistry registry;
  ASSERT_TRUE(backend::RegisterBuiltinBackends(registry).ok());
  auto config = ParseBackendConfigs({"onnxruntime,default-max-batch-size=4",
                                     "onnxruntime,enable-global-threadpool=1",
                                     "onnxruntime,no-such=1", "python,shm-region-prefix-name=x"});
  ASSERT_TRUE(config.ok()) << config.status();
  const auto warnings = BackendConfigWarnings(*config, registry);
  ASSERT_THAT(warnings, SizeIs(3));
  EXPECT_THAT(warnings[0], HasSubstr("a Triton onnxruntime setting inferd does not implement"));
  EXPECT_THAT(warnings[1], HasSubstr("--backend-config=onnxruntime,no-such=1: unknown setting"));
  EXPECT_THAT(warnings[2], HasSubstr("backend 'python' is not in this server"));
}

}  // namespace
}  // namespace inferd::server
