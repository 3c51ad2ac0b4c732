// Triton's Python client (tritonclient) drives sequence batching over HTTP and gRPC streaming
// (tests/integration/tritonclient_sequence.py). tritonclient is not a build dependency: the test
// skips, saying so, when /usr/bin/python3 cannot import it. INFERD_TRITONCLIENT_PYTHONPATH, when
// set, is put on the script's PYTHONPATH (a tritonclient unpacked outside site-packages).
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class TritonClientSequenceTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("tests/testdata/model_repository")});
  }
};

TEST_F(TritonClientSequenceTest, SequenceApiOverHttpAndGrpcStream) {
  std::string command;
  if (const char* path = std::getenv("INFERD_TRITONCLIENT_PYTHONPATH"); path != nullptr) {
    command = "PYTHONPATH='" + std::string(path) + "' ";
  }
  // `timeout` bounds the script, so a stuck client fails the test instead of hanging it.
  command += "timeout 120 /usr/bin/python3 '" +
             SourcePath("tests/integration/tritonclient_sequence.py") + "' " +
             std::to_string(server_->http_port()) + " " + std::to_string(server_->grpc_port());
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status)) << command;
  const int code = WEXITSTATUS(status);
  if (code == 77) GTEST_SKIP() << "tritonclient is not importable by /usr/bin/python3";
  EXPECT_EQ(code, 0) << command;
}

}  // namespace
}  // namespace inferd::testing
