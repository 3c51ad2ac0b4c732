// Helpers for integration tests over gRPC: a server fixture shared by a test suite (the real
// binary on ephemeral ports), a stub generated from proto/grpc_service.proto, and request
// builders for the example `simple` model (INPUT0 + INPUT1 -> OUTPUT0 = sum, OUTPUT1 = diff).
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "grpc_service.grpc.pb.h"
#include "raw_bytes.h"
#include "server_process.h"

namespace inferd::testing {

using ::inference::GRPCInferenceService;
using ::inference::ModelInferRequest;
using ::inference::ModelInferResponse;

class GrpcServerSuite : public ::testing::Test {
 protected:
  static void StartServer(const std::vector<std::string>& args) {
    auto started = ServerProcess::Start(args);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
    ::grpc::ChannelArguments channel_args;
    channel_args.SetMaxReceiveMessageSize(256 << 20);
    channel_args.SetMaxSendMessageSize(256 << 20);
    channel_ = ::grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                           ::grpc::InsecureChannelCredentials(), channel_args);
    stub_ = GRPCInferenceService::NewStub(channel_);
  }
  static void TearDownTestSuite() {
    stub_.reset();
    channel_.reset();
    server_.reset();
  }
  // Every call is bounded: no test can hang on a stuck server.
  static void Bound(::grpc::ClientContext& context,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    context.set_deadline(std::chrono::system_clock::now() + timeout);
  }

  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::shared_ptr<::grpc::Channel> channel_;
  static inline std::unique_ptr<GRPCInferenceService::Stub> stub_;
};

template <typename T>
std::vector<T> FromRaw(const std::string& raw) {
  std::vector<T> out(raw.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), raw.data(), out.size() * sizeof(T));
  return out;
}

// `simple` with INPUT0 = base + i and INPUT1 = 1 for i in [0, 16), shape [1,16].
inline ModelInferRequest SimpleRequest(int32_t base, bool raw, const std::string& id = "") {
  ModelInferRequest request;
  request.set_model_name("simple");
  request.set_id(id);
  for (int input = 0; input < 2; ++input) {
    auto* tensor = request.add_inputs();
    tensor->set_name(input == 0 ? "INPUT0" : "INPUT1");
    tensor->set_datatype("INT32");
    tensor->add_shape(1);
    tensor->add_shape(16);
    std::vector<int32_t> values(16);
    for (int i = 0; i < 16; ++i) values[i] = input == 0 ? base + i : 1;
    if (raw) {
      request.add_raw_input_contents(RawBytes(values));
    } else {
      tensor->mutable_contents()->mutable_int_contents()->Add(values.begin(), values.end());
    }
  }
  return request;
}

// OUTPUT0 of a `simple` response (outputs always come in raw_output_contents, as Triton's).
inline std::vector<int32_t> Output0(const ModelInferResponse& response) {
  for (int i = 0; i < response.outputs_size(); ++i) {
    if (response.outputs(i).name() != "OUTPUT0") continue;
    EXPECT_FALSE(response.outputs(i).has_contents());
    if (response.raw_output_contents_size() > i) {
      return FromRaw<int32_t>(response.raw_output_contents(i));
    }
  }
  return {};
}

}  // namespace inferd::testing
