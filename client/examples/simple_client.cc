// Adds two vectors with the `simple` example model over HTTP or gRPC using inferd's installed
// C++ client library.
//
//   simple_client [-u HOST:PORT] [-i http|grpc]
//
// Exit code 0 on a correct answer, 1 on any error (printed).
#include <inferd/client/inference_client.h>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace ic = inferd::client;

int main(int argc, char** argv) {
  std::string url = "localhost:8000";
  std::string protocol_name = "http";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "-u") == 0) url = argv[i + 1];
    if (std::strcmp(argv[i], "-i") == 0) protocol_name = argv[i + 1];
  }
  auto protocol = ic::ParseProtocol(protocol_name);
  if (!protocol.ok()) {
    std::cerr << protocol.status() << "\n";
    return 1;
  }
  ic::ClientOptions options;
  options.url = url;
  options.connect_timeout = std::chrono::seconds(2);
  auto client = ic::CreateClient(*protocol, options);
  if (!client.ok()) {
    std::cerr << client.status() << "\n";
    return 1;
  }
  auto live = (*client)->IsServerLive();
  if (!live.ok() || !*live) {
    std::cerr << "server at " << url << " is not live: " << live.status() << "\n";
    return 1;
  }

  std::vector<int32_t> a(16), b(16, 1);
  for (int i = 0; i < 16; ++i) a[i] = i;
  std::vector<ic::InferInput> inputs{ic::InferInput("INPUT0", {1, 16}, "INT32"),
                                     ic::InferInput("INPUT1", {1, 16}, "INT32")};
  if (!inputs[0].SetData(a).ok() || !inputs[1].SetData(b).ok()) return 1;
  auto result = (*client)->Infer(ic::InferOptions("simple"), inputs);
  if (!result.ok()) {
    std::cerr << "inference failed: " << result.status() << "\n";
    return 1;
  }
  auto sum = result->As<int32_t>("OUTPUT0");
  if (!sum.ok()) {
    std::cerr << sum.status() << "\n";
    return 1;
  }
  for (int i = 0; i < 16; ++i) {
    std::cout << a[i] << " + " << b[i] << " = " << (*sum)[i] << "\n";
    if ((*sum)[i] != a[i] + b[i]) return 1;
  }
  return 0;
}
