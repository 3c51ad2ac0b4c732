// Every RPC of inference.GRPCInferenceService (and grpc.health.v1.Health/Check) against the
// real server, with the example model repository.
#include <future>

#include <grpcpp/generic/generic_stub.h>

#include "grpc_test_util.h"

namespace inferd::testing {
namespace {

class GrpcRpcTest : public GrpcServerSuite {
 protected:
  static void SetUpTestSuite() {
    StartServer({"--model-repository", SourcePath("examples/model_repository")});
  }
};

TEST_F(GrpcRpcTest, LiveReadyAndModelReady) {
  {
    ::grpc::ClientContext c;
    Bound(c);
    ::inference::ServerLiveResponse r;
    ASSERT_TRUE(stub_->ServerLive(&c, {}, &r).ok());
    EXPECT_TRUE(r.live());
  }
  {
    ::grpc::ClientContext c;
    Bound(c);
    ::inference::ServerReadyResponse r;
    ASSERT_TRUE(stub_->ServerReady(&c, {}, &r).ok());
    EXPECT_TRUE(r.ready());
  }
  for (const auto& [name, version, ready] :
       std::vector<std::tuple<std::string, std::string, bool>>{{"simple", "", true},
                                                               {"simple", "1", true},
                                                               {"simple", "9", false},
                                                               {"nope", "", false}}) {
    ::grpc::ClientContext c;
    Bound(c);
    ::inference::ModelReadyRequest q;
    q.set_name(name);
    q.set_version(version);
    ::inference::ModelReadyResponse r;
    ASSERT_TRUE(stub_->ModelReady(&c, q, &r).ok());
    EXPECT_EQ(r.ready(), ready) << name << " " << version;
  }
}

TEST_F(GrpcRpcTest, HealthCheckIsServing) {
  ::grpc::GenericStub generic(channel_);
  ::grpc::ClientContext c;
  Bound(c);
  ::grpc::ByteBuffer request;  // HealthCheckRequest{service: ""} is the empty message
  ::grpc::Slice empty;
  request = ::grpc::ByteBuffer(&empty, 1);
  ::grpc::ByteBuffer response;
  std::promise<::grpc::Status> done;
  generic.UnaryCall(&c, "/grpc.health.v1.Health/Check", {}, &request, &response,
                    [&](::grpc::Status s) { done.set_value(s); });
  ASSERT_TRUE(done.get_future().get().ok());
  std::vector<::grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // status: SERVING
}

TEST_F(GrpcRpcTest, ServerAndModelMetadata) {
  {
    ::grpc::ClientContext c;
    Bound(c);
    ::inference::ServerMetadataResponse r;
    ASSERT_TRUE(stub_->ServerMetadata(&c, {}, &r).ok());
    EXPECT_EQ(r.name(), "inferd");
    EXPECT_FALSE(r.version().empty());
    EXPECT_FALSE(r.extensions().empty());
  }
  ::grpc::ClientContext c;
  Bound(c);
  ::inference::ModelMetadataRequest q;
  q.set_name("simple");
  ::inference::ModelMetadataResponse r;
  ASSERT_TRUE(stub_->ModelMetadata(&c, q, &r).ok());
  EXPECT_EQ(r.name(), "simple");
  ASSERT_EQ(r.inputs_size(), 2);
  EXPECT_EQ(r.inputs(0).datatype(), "INT32");
  EXPECT_EQ(std::vector<int64_t>(r.inputs(0).shape().begin(), r.inputs(0).shape().end()),
            (std::vector<int64_t>{-1, 16}));
  EXPECT_EQ(r.outputs_size(), 2);
  ::grpc::ClientContext c2;
  Bound(c2);
  q.set_name("nope");
  EXPECT_EQ(stub_->ModelMetadata(&c2, q, &r).error_code(),
            ::grpc::StatusCode::INVALID_ARGUMENT);  // Triton's code for an unknown model
}

TEST_F(GrpcRpcTest, ModelConfigIsTheCompletedConfig) {
  ::grpc::ClientContext c;
  Bound(c);
  ::inference::ModelConfigRequest q;
  q.set_name("convnet");
  ::inference::ModelConfigResponse r;
  ASSERT_TRUE(stub_->ModelConfig(&c, q, &r).ok());
  EXPECT_EQ(r.config().name(), "convnet");
  EXPECT_EQ(r.config().max_batch_size(), 8);
  EXPECT_EQ(r.config().input(0).data_type(), ::inference::TYPE_FP32);
  ::grpc::ClientContext c2;
  Bound(c2);
  q.set_version("x");
  EXPECT_EQ(stub_->ModelConfig(&c2, q, &r).error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GrpcRpcTest, InferTypedAndRawEchoesIdAndHonoursOutputs) {
  for (bool raw : {false, true}) {
    SCOPED_TRACE(raw ? "raw" : "typed");
    ModelInferRequest q = SimpleRequest(10, raw, "my-id");
    q.add_outputs()->set_name("OUTPUT0");
    (*q.mutable_parameters())["priority"].set_int64_param(1);
    (*q.mutable_parameters())["timeout"].set_int64_param(10'000'000);
    ::grpc::ClientContext c;
    Bound(c);
    ModelInferResponse r;
    ::grpc::Status s = stub_->ModelInfer(&c, q, &r);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(r.id(), "my-id");
    EXPECT_EQ(r.model_name(), "simple");
    EXPECT_EQ(r.model_version(), "1");
    ASSERT_EQ(r.outputs_size(), 1);
    EXPECT_EQ(r.raw_output_contents_size(), 1);  // raw whichever form the request used
    EXPECT_EQ(r.outputs(0).datatype(), "INT32");
    const auto out = Output0(r);
    ASSERT_EQ(out.size(), 16u);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(out[i], 10 + i + 1);
  }
}

TEST_F(GrpcRpcTest, StatisticsCountInferences) {
  ::grpc::ClientContext ci;
  Bound(ci);
  ModelInferResponse ir;
  ASSERT_TRUE(stub_->ModelInfer(&ci, SimpleRequest(0, true), &ir).ok());
  ::grpc::ClientContext c;
  Bound(c);
  ::inference::ModelStatisticsRequest q;
  q.set_name("simple");
  ::inference::ModelStatisticsResponse r;
  ::grpc::Status s = stub_->ModelStatistics(&c, q, &r);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_GE(r.model_stats_size(), 1);
  EXPECT_EQ(r.model_stats(0).name(), "simple");
  EXPECT_EQ(r.model_stats(0).version(), "1");
  EXPECT_TRUE(r.model_stats(0).has_inference_stats());
  ::grpc::ClientContext all;
  Bound(all);
  q.clear_name();
  ASSERT_TRUE(stub_->ModelStatistics(&all, q, &r).ok());
  ::grpc::ClientContext unknown;
  Bound(unknown);
  q.set_name("nope");
  EXPECT_EQ(stub_->ModelStatistics(&unknown, q, &r).error_code(),
            ::grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GrpcRpcTest, RepositoryIndexAndModelControl) {
  ::grpc::ClientContext c;
  Bound(c);
  ::inference::RepositoryIndexRequest q;
  q.set_ready(true);
  ::inference::RepositoryIndexResponse r;
  ASSERT_TRUE(stub_->RepositoryIndex(&c, q, &r).ok());
  bool found = false;
  for (const auto& m : r.models()) found = found || (m.name() == "simple" && m.state() == "READY");
  EXPECT_TRUE(found);

  ::grpc::ClientContext lc;
  Bound(lc);
  ::inference::RepositoryModelLoadRequest load;
  load.set_model_name("simple");
  ::inference::RepositoryModelLoadResponse load_response;
  ::grpc::Status s = stub_->RepositoryModelLoad(&lc, load, &load_response);
  EXPECT_EQ(s.error_code(), ::grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("model control mode is 'none'"), std::string::npos);
  ::grpc::ClientContext uc;
  Bound(uc);
  ::inference::RepositoryModelUnloadRequest unload;
  unload.set_model_name("simple");
  ::inference::RepositoryModelUnloadResponse unload_response;
  EXPECT_EQ(stub_->RepositoryModelUnload(&uc, unload, &unload_response).error_code(),
            ::grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace inferd::testing
