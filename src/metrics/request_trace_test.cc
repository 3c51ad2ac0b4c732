#include "metrics/request_trace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>

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
  EXPECT_FALSE(tracer.Start({"/nonexistent/dir/trace", "TIMESTAMPS", 1, -1}).ok());
  EXPECT_EQ(tracer.Settings().trace_level, "OFF");
}

TEST(TracerTest, SamplesOneInRateUpToCount) {
  const fs::path file = TempFile();
  Tracer tracer;
  ASSERT_TRUE(tracer.Start({file.string(), "TIMESTAMPS", 3, -1}).ok());
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
    ASSERT_TRUE(tracer.Start({file.string(), "TIMESTAMPS", 1, -1}).ok());
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

// The file is fixed at start-up: no runtime update can name another one, and the refusal is the
// same whether or not the path exists (it reveals nothing about the filesystem).
TEST(TracerTest, RuntimeUpdatesCannotChooseTheFile) {
  const fs::path file = TempFile();
  const fs::path elsewhere = TempFile();
  Tracer tracer;
  ASSERT_TRUE(tracer.Start({file.string(), "OFF", 1, -1}).ok());
  const Status to_new = tracer.Update({elsewhere.string(), "TIMESTAMPS", 1, -1});
  const Status to_existing = tracer.Update({"/etc/passwd", "TIMESTAMPS", 1, -1});
  const Status to_missing_dir = tracer.Update({"/nonexistent/dir/x", "TIMESTAMPS", 1, -1});
  EXPECT_EQ(to_new.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(to_existing.message(), to_new.message());
  EXPECT_EQ(to_missing_dir.message(), to_new.message());
  EXPECT_FALSE(fs::exists(elsewhere));
  EXPECT_EQ(tracer.Settings().trace_level, "OFF");  // nothing changed
  EXPECT_TRUE(tracer.Update({file.string(), "TIMESTAMPS", 1, -1}).ok());
  EXPECT_FALSE(Tracer().Update({file.string(), "TIMESTAMPS", 1, -1}).ok());  // none at start
  fs::remove(file);
}

// A FIFO as the trace file is refused at start-up instead of blocking the caller in open() or
// write(); a huge id is cut, so one request cannot write megabytes.
TEST(TracerTest, RefusesNonRegularFilesAndBoundsFields) {
  const fs::path fifo = TempFile();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Tracer refused;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(refused.Start({fifo.string(), "TIMESTAMPS", 1, -1}).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  fs::remove(fifo);

  const fs::path file = TempFile();
  Tracer tracer;
  ASSERT_TRUE(tracer.Start({file.string(), "TIMESTAMPS", 1, -1}).ok());
  tracer.Write(std::string(1 << 20, 'x'), std::string(1 << 20, 'm'), 1,
               {{"received", std::chrono::steady_clock::now()}});
  tracer.Flush();
  EXPECT_LT(fs::file_size(file), 2 * kMaxTraceFieldBytes + 200);
  fs::remove(file);
}

// Writes happen on the writer thread: a burst far beyond the queue bound drops lines (counted)
// rather than growing memory or blocking the caller.
TEST(TracerTest, BoundedQueueDropsInsteadOfGrowing) {
  const fs::path file = TempFile();
  Tracer tracer;
  ASSERT_TRUE(tracer.Start({file.string(), "TIMESTAMPS", 1, -1}).ok());
  const std::string id(kMaxTraceFieldBytes, 'i');
  const auto t = std::chrono::steady_clock::now();
  const size_t lines = 3 * kMaxQueuedTraceBytes / id.size();
  for (size_t i = 0; i < lines; ++i) tracer.Write(id, "m", 1, {{"received", t}});
  tracer.Flush();
  std::ifstream in(file);
  size_t written = 0;
  for (std::string line; std::getline(in, line);) ++written;
  EXPECT_EQ(written + tracer.dropped(), lines);  // every line written whole or counted as dropped
  fs::remove(file);
}

}  // namespace
}  // namespace inferd::metrics
