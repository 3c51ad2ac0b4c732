// End-to-end throughput and latency of the same models over gRPC (ModelInfer, raw contents)
// and over HTTP (KServe v2 binary tensors, keep-alive), measured in one run against one server.
// Prints one Markdown table row per (model, concurrency).
//
//   grpc_e2e_bench --http-port P --grpc-port G [--models simple,convnet] [--concurrency 1,16]
//                  [--seconds 5]
//
// The server must already be serving examples/model_repository on 127.0.0.1, e.g.
//   inferd serve --model-repository examples/model_repository --http-port 0 --grpc-port 0
// and the two ports are the ones it prints.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/http_connection.h"
#include "core/data_type.h"
#include "grpc_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
  double throughput = 0;
  double p50_us = 0;
  double p99_us = 0;
  int failures = 0;
};

// Runs `work.Call(state)` on `threads` threads for `seconds`, recording each call's latency.
template <typename Work>
Stats RunFor(int threads, double seconds, const Work& work) {
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        auto state = work.MakeState();
        while (!stop.load(std::memory_order_relaxed)) {
          const auto start = Clock::now();
          if (!work.Call(state)) ++failures;
          latencies[t].push_back(
              std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
  }
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Stats s;
  s.failures = failures.load();
  if (all.empty()) return s;
  s.throughput = static_cast<double>(all.size()) / seconds;
  s.p50_us = all[all.size() / 2];
  s.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return s;
}

struct Input {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;
  std::string bytes;
};

// Batch-1 inputs with small random values (valid for integer and float types alike).
std::vector<Input> MakeInputs(const inference::ModelConfig& config) {
  std::mt19937 rng(42);
  std::vector<Input> inputs;
  for (const auto& in : config.input()) {
    Input input{in.name(),
                inferd::core::DataTypeName(inferd::core::FromConfigType(in.data_type())),
                {},
                {}};
    if (config.max_batch_size() > 0) input.shape.push_back(1);
    input.shape.insert(input.shape.end(), in.dims().begin(), in.dims().end());
    size_t n = inferd::core::ElementSize(inferd::core::FromConfigType(in.data_type()));
    for (int64_t d : input.shape) n *= static_cast<size_t>(d);
    input.bytes.resize(n);
    for (char& b : input.bytes) b = static_cast<char>(rng() % 8);
    inputs.push_back(std::move(input));
  }
  return inputs;
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 << 20);
  args.SetMaxSendMessageSize(256 << 20);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per caller, as HTTP
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

struct OverGrpc {
  int port;
  inference::ModelInferRequest request;
  std::unique_ptr<inference::GRPCInferenceService::Stub> MakeState() const {
    return inference::GRPCInferenceService::NewStub(Channel(port));
  }
  bool Call(std::unique_ptr<inference::GRPCInferenceService::Stub>& stub) const {
    grpc::ClientContext context;
    inference::ModelInferResponse response;
    return stub->ModelInfer(&context, request, &response).ok();
  }
};

struct OverHttp {
  int port;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
  std::unique_ptr<inferd::client::HttpConnection> MakeState() const {
    return std::make_unique<inferd::client::HttpConnection>("127.0.0.1", port);
  }
  bool Call(std::unique_ptr<inferd::client::HttpConnection>& c) const {
    auto r = c->Post(target, body, headers);
    return r.ok() && r->status == 200;
  }
};

inference::ModelInferRequest GrpcRequest(const std::string& model,
                                         const std::vector<Input>& inputs) {
  inference::ModelInferRequest request;
  request.set_model_name(model);
  for (const Input& input : inputs) {
    auto* tensor = request.add_inputs();
    tensor->set_name(input.name);
    tensor->set_datatype(input.datatype);
    tensor->mutable_shape()->Add(input.shape.begin(), input.shape.end());
    request.add_raw_input_contents(input.bytes);
  }
  return request;
}

OverHttp HttpRequest(int port, const std::string& model, const std::vector<Input>& inputs) {
  // Appended piece by piece: g++ 12 misreports `literal + std::string&&` (-Wrestrict).
  std::string json = R"({"inputs":[)";
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (i > 0) json += ",";
    json += R"({"name":")";
    json += inputs[i].name;
    json += R"(","shape":[)";
    for (size_t d = 0; d < inputs[i].shape.size(); ++d) {
      if (d > 0) json += ",";
      json += std::to_string(inputs[i].shape[d]);
    }
    json += R"(],"datatype":")";
    json += inputs[i].datatype;
    json += R"(","parameters":{"binary_data_size":)";
    json += std::to_string(inputs[i].bytes.size());
    json += "}}";
  }
  json += R"(],"parameters":{"binary_data_output":true}})";
  OverHttp http{port, "/v2/models/" + model + "/infer", json, {}};
  http.headers["Inference-Header-Content-Length"] = std::to_string(json.size());
  http.headers["Content-Type"] = "application/octet-stream";
  for (const Input& input : inputs) http.body += input.bytes;
  return http;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"inferd gRPC vs HTTP end-to-end benchmark"};
  int http_port = 0, grpc_port = 0;
  std::vector<std::string> models = {"simple", "convnet"};
  std::vector<int> concurrency = {1, 16};
  double seconds = 5;
  app.add_option("--http-port", http_port)->required();
  app.add_option("--grpc-port", grpc_port)->required();
  app.add_option("--models", models)->delimiter(',');
  app.add_option("--concurrency", concurrency)->delimiter(',');
  app.add_option("--seconds", seconds);
  CLI11_PARSE(app, argc, argv);

  auto stub = inference::GRPCInferenceService::NewStub(Channel(grpc_port));
  std::printf(
      "| model | concurrency | gRPC infer/s | gRPC p50 us | gRPC p99 us | HTTP infer/s | "
      "HTTP p50 us | HTTP p99 us | gRPC/HTTP |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const std::string& model : models) {
    grpc::ClientContext context;
    inference::ModelConfigRequest config_request;
    config_request.set_name(model);
    inference::ModelConfigResponse config;
    if (!stub->ModelConfig(&context, config_request, &config).ok()) {
      std::fprintf(stderr, "cannot read the config of %s\n", model.c_str());
      return 1;
    }
    const auto inputs = MakeInputs(config.config());
    const OverGrpc grpc_work{grpc_port, GrpcRequest(model, inputs)};
    const OverHttp http_work = HttpRequest(http_port, model, inputs);
    for (int c : concurrency) {
      const Stats g = RunFor(c, seconds, grpc_work);
      const Stats h = RunFor(c, seconds, http_work);
      if (g.failures + h.failures > 0) {
        std::fprintf(stderr, "%d gRPC / %d HTTP failed calls\n", g.failures, h.failures);
      }
      std::printf("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.2f |\n", model.c_str(),
                  c, g.throughput, g.p50_us, g.p99_us, h.throughput, h.p50_us, h.p99_us,
                  h.throughput > 0 ? g.throughput / h.throughput : 0.0);
      std::fflush(stdout);
    }
  }
  return 0;
}
