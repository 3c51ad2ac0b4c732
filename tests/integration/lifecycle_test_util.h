// Fixture for lifecycle integration tests: a private model repository in a temp folder holding
// model "m" (y = x + C, versions installed from tests/testdata/lifecycle/plusC.onnx), and a
// server started on it with the test's control-mode flags. Files are placed by rename, as a
// deployment should, so a poller never sees half a file.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/http_connection.h"
#include "http_test_util.h"
#include "server_process.h"

namespace inferd::testing {

inline constexpr char kPlusConfig[] = R"(name: "m"
backend: "onnxruntime"
max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ 4 ] } ]
instance_group [ { count: 1 kind: KIND_CPU } ]
)";

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("inferd_lifecycle_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(repo() / "m");
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(root_);
  }
  std::filesystem::path repo() const { return root_ / "repo"; }

  static std::string Testdata(int constant) {
    return SourcePath("tests/testdata/lifecycle/plus" + std::to_string(constant) + ".onnx");
  }
  // Writes `path` atomically: a temp file beside it, then rename.
  void WriteFile(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    const auto temp = root_ / "staging.tmp";
    std::ofstream(temp, std::ios::binary) << content;
    std::filesystem::rename(temp, path);
  }
  // Installs version `version` of "m" answering x + `constant` (the folder appears at once).
  void InstallVersion(int version, int constant) {
    const auto staging = root_ / "staging";
    std::filesystem::remove_all(staging);
    std::filesystem::create_directories(staging);
    std::filesystem::copy_file(Testdata(constant), staging / "model.onnx");
    std::filesystem::rename(staging, repo() / "m" / std::to_string(version));
  }
  void WriteConfig(const std::string& text) { WriteFile(repo() / "m" / "config.pbtxt", text); }

  void StartServer(std::vector<std::string> args) {
    args.insert(args.begin(), {"--model-repository", repo().string(), "--allow-grpc", "false"});
    auto started = ServerProcess::Start(args);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  client::HttpConnection Connect() const {
    return client::HttpConnection("127.0.0.1", server_->http_port());
  }
  // Polls `target` until it answers `status` (the server offers no push notification of state
  // changes); false after `timeout`.
  bool AwaitStatus(const std::string& target, int status,
                   std::chrono::seconds timeout = std::chrono::seconds(30)) {
    auto connection = Connect();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto response = connection.Get(target);
      if (response.ok() && response->status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  StatusOr<client::HttpResponse> Load(const std::string& body = "") {
    return Connect().Post("/v2/repository/models/m/load", body);
  }

  std::filesystem::path root_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace inferd::testing
