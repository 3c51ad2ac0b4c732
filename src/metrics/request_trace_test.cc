#include "metrics/request_trace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace inferd::metrics {
namespace {

namespace fs = std::filesystem;

fs::path TempFile() {
  return fs::temp_directory_path() / ("inferd_trace_" + std::to_string(std::random_device{}()));
}

TEST(TracerTest, OffByDefaultAndValidatesSettings) {
  Tracer tracer;
  EXPECT_FALSE(tracer.Sample());
  EXPECT_FALSE(tracer.Update({"", "TIMESTAMPS", 1, -1}).ok());  // needs a file
  EXPECT_FALSE(tracer.Update({"", "TENSORS", 1, -1}).ok());
  EXPECT_FALSE(tracer.Update({"", "OFF", 0, -1}).ok());
  EXPECT_FALSE(tracer.Update({"", "OFF", 1, -2}).ok());
  EXPECT_FALSE(tracer.Update({"/nonexistent/dir/trace", "TIMESTAMPS", 1, -1}).ok());
  EXPECT_EQ(tracer.Settings().trace_level, "OFF");
}

TEST(TracerTest, SamplesOneInRateUpToCount) {
  const fs::path file = TempFile();
  Tracer tracer;
  ASSERT_TRUE(tracer.Update({file.string(), "TIMESTAMPS", 3, -1}).ok());
  int sampled = 0;
  for (int i = 0; i < 9; ++i) sampled += tracer.Sample() ? 1 : 0;
  EXPECT_EQ(sampled, 3);
  ASSERT_TRUE(tracer.Update({file.string(), "TIMESTAMPS", 1, 2}).ok());
  sampled = 0;
  for (int i = 0; i < 5; ++i) sampled += tracer.Sample() ? 1 : 0;
  EXPECT_EQ(sampled, 2);
  EXPECT_EQ(tracer.Settings().trace_count, 0);
  fs::remove(file);
}

TEST(TracerTest, WritesOneJsonLinePerTraceSkippingMissingStages) {
  const fs::path file = TempFile();
  {
    Tracer tracer;
    ASSERT_TRUE(tracer.Update({file.string(), "TIMESTAMPS", 1, -1}).ok());
    const auto t = std::chrono::steady_clock::now();
    tracer.Write("id\"1", "m", 2, {{"received", t}, {"queued", {}}, {"response_sent", t}});
  }
  std::ifstream in(file);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line.rfind(R"({"id":"id\"1","model_name":"m","model_version":2,"timestamps":[)"
                       R"({"name":"received","ns":)",
                       0),
            0u)
      << line;
  EXPECT_EQ(line.find("queued"), std::string::npos);
  EXPECT_NE(line.find(R"({"name":"response_sent","ns":)"), std::string::npos);
  EXPECT_FALSE(std::getline(in, line));
  fs::remove(file);
}

}  // namespace
}  // namespace inferd::metrics
