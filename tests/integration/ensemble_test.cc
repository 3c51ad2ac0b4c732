// Ensembles through the real server, over a Triton repository that mixes an ONNX model
// (add_sub_fp32, run by ONNX Runtime), a TorchScript model (torch_mlp_traced, run by libtorch) and
// ensembles of both, and a sequence model (simple_sequence). The ensemble's answers equal torch's
// own numbers (scripts/make_torch_models.py) and ONNX Runtime's (the ONNX model called directly)
// within 1e-5, over HTTP and gRPC; loading an ensemble loads its steps (explicit model control); a
// step a loaded ensemble uses is not unloaded; a failing step fails the request naming that step; a
// missing step keeps the ensemble from loading, naming it; statistics count the ensemble and each
// step; the sequence model keeps its sequences apart beside them, over HTTP and gRPC.
#include <grpcpp/grpcpp.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "grpc_service.grpc.pb.h"
#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kEnsTorchModels = fs::path(INFERD_BINARY_DIR) / "testdata" / "torch";

rapidjson::Document EnsExpected() {
  std::ifstream in(kEnsTorchModels / "expected" / "torch_mlp_traced.json");
  std::stringstream text;
  text << in.rdbuf();
  return ParseJson(text.str());
}

std::vector<float> EnsValues(const rapidjson::Value& array) {
  std::vector<float> out;
  for (const auto& v : array.GetArray()) out.push_back(static_cast<float>(v.GetDouble()));
  return out;
}

std::string EnsJsonArray(const std::vector<float>& values) {
  std::ostringstream out;
  out.precision(9);
  out << "[";
  for (size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  out << "]";
  return out.str();
}

std::vector<float> EnsOutput(const rapidjson::Document& doc, const std::string& name) {
  for (const auto& out : doc["outputs"].GetArray()) {
    if (std::string(out["name"].GetString()) == name) return EnsValues(out["data"]);
  }
  ADD_FAILURE() << "no output " << name;
  return {};
}

double EnsWorst(const std::vector<float>& got, const std::vector<float>& want) {
  EXPECT_EQ(got.size(), want.size());
  if (got.size() != want.size()) return 1e9;
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i)
    worst = std::max(worst, double(std::fabs(got[i] - want[i])));
  return worst;
}

// A = torch's input rows, B = zeros: the ONNX step's sum is torch's input exactly.
std::string EnsBody(const std::vector<float>& a) {
  const std::vector<float> b(a.size(), 0.0f);
  const std::string shape = "[" + std::to_string(a.size() / 16) + ",16]";
  return R"({"inputs":[{"name":"A","shape":)" + shape + R"(,"datatype":"FP32","data":)" +
         EnsJsonArray(a) + R"(},{"name":"B","shape":)" + shape + R"(,"datatype":"FP32","data":)" +
         EnsJsonArray(b) + "}]}";
}

constexpr char kOnnxThenTorch[] = R"(name: "onnx_then_torch"
platform: "ensemble"
max_batch_size: 8
input [ { name: "A" data_type: TYPE_FP32 dims: [ 16 ] },
        { name: "B" data_type: TYPE_FP32 dims: [ 16 ] } ]
output [ { name: "SCORES" data_type: TYPE_FP32 dims: [ 4 ] },
         { name: "DIFF" data_type: TYPE_FP32 dims: [ 16 ] } ]
ensemble_scheduling {
  step [
    { model_name: "torch_mlp_traced" model_version: -1
      input_map { key: "INPUT__0" value: "sum" }
      output_map { key: "OUTPUT__0" value: "SCORES" } },
    { model_name: "add_sub_fp32" model_version: 1
      input_map { key: "INPUT0" value: "A" }
      input_map { key: "INPUT1" value: "B" }
      output_map { key: "OUTPUT0" value: "sum" }
      output_map { key: "OUTPUT1" value: "DIFF" } }
  ]
}
)";

constexpr char kThrowsChain[] = R"(name: "throws_chain"
platform: "ensemble"
input [ { name: "X" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "Y" data_type: TYPE_FP32 dims: [ 4 ] } ]
ensemble_scheduling {
  step [ { model_name: "torch_throws" model_version: -1
           input_map { key: "INPUT__0" value: "X" } output_map { key: "OUTPUT__0" value: "Y" } } ]
}
)";

// convnet behind an ensemble whose folder holds convnet's pipeline.json and labels: /predict
// decodes the image into the ensemble's input, the step runs, the labels are the ensemble's.
constexpr char kConvnetEnsemble[] = R"(name: "convnet_ensemble"
platform: "ensemble"
max_batch_size: 8
input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ 3, 224, 224 ] } ]
output [ { name: "OUTPUT0" data_type: TYPE_FP32 dims: [ 10 ] label_filename: "labels.txt" } ]
ensemble_scheduling {
  step [ { model_name: "convnet" model_version: -1
           input_map { key: "INPUT0" value: "INPUT0" } output_map { key: "OUTPUT0" value: "OUTPUT0" } } ]
}
)";

constexpr char kMissingStep[] = R"(name: "missing_step"
platform: "ensemble"
input [ { name: "X" data_type: TYPE_FP32 dims: [ 4 ] } ]
output [ { name: "Y" data_type: TYPE_FP32 dims: [ 4 ] } ]
ensemble_scheduling {
  step [ { model_name: "nowhere" model_version: -1
           input_map { key: "IN" value: "X" } output_map { key: "OUT" value: "Y" } } ]
}
)";

void WriteEnsemble(const fs::path& root, const std::string& name, const char* config) {
  fs::create_directories(root / name / "1");
  std::ofstream(root / name / "config.pbtxt") << config;
}

class EnsembleTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kEnsTorchModels / "stamp")) GTEST_SKIP() << "no generated TorchScript models";
    root_ = fs::temp_directory_path() /
            ("inferd_ensemble_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    for (const char* model : {"torch_mlp_traced", "torch_throws"}) {
      fs::copy(kEnsTorchModels / "repository" / model, root_ / model, fs::copy_options::recursive);
    }
    for (const char* model :
         {"add_sub_fp32", "simple", "simple_ensemble", "convnet", "simple_sequence"}) {
      fs::copy(fs::path(INFERD_SOURCE_DIR) / "examples" / "model_repository" / model, root_ / model,
               fs::copy_options::recursive);
    }
    WriteEnsemble(root_, "onnx_then_torch", kOnnxThenTorch);
    WriteEnsemble(root_, "throws_chain", kThrowsChain);
    WriteEnsemble(root_, "missing_step", kMissingStep);
    WriteEnsemble(root_, "convnet_ensemble", kConvnetEnsemble);
    for (const char* file : {"pipeline.json", "labels.txt"}) {
      fs::copy_file(root_ / "convnet" / file, root_ / "convnet_ensemble" / file);
    }
    // Explicit control: only the ensembles are named; their steps load with them.
    StartServer({"--model-repository", root_.string(), "--model-control-mode", "explicit",
                 "--load-model", "onnx_then_torch", "--load-model", "throws_chain", "--load-model",
                 "simple_ensemble", "--load-model", "convnet_ensemble", "--load-model",
                 "simple_sequence"});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    if (!root_.empty()) fs::remove_all(root_);
  }
  static uint64_t SuccessCount(client::HttpConnection& c, const std::string& model) {
    auto r = c.Get("/v2/models/" + model + "/stats");
    EXPECT_TRUE(r.ok() && r->status == 200);
    if (!r.ok() || r->status != 200) return 0;
    auto doc = ParseJson(r->body);
    return doc["model_stats"][0]["inference_stats"]["success"]["count"].GetUint64();
  }
  static inline fs::path root_;
};

TEST_F(EnsembleTest, OnnxThenTorchMatchesTorchAndOnnxRuntimeOverHttp) {
  auto c = Connect();
  auto expected = EnsExpected();
  const auto x = EnsValues(expected["inputs"]["INPUT__0"]["data"]);
  auto r = c.Post("/v2/models/onnx_then_torch/infer", EnsBody(x));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  EXPECT_STREQ(doc["model_name"].GetString(), "onnx_then_torch");
  EXPECT_LE(EnsWorst(EnsOutput(doc, "SCORES"), EnsValues(expected["outputs"]["OUTPUT__0"]["data"])),
            1e-5);
  // ONNX Runtime's own numbers: the ONNX step called directly with the same inputs.
  auto direct = c.Post("/v2/models/add_sub_fp32/infer",
                       R"({"inputs":[{"name":"INPUT0","shape":[3,16],"datatype":"FP32","data":)" +
                           EnsJsonArray(x) +
                           R"(},{"name":"INPUT1","shape":[3,16],"datatype":"FP32","data":)" +
                           EnsJsonArray(std::vector<float>(x.size(), 0.0f)) + "}]}");
  ASSERT_TRUE(direct.ok());
  ASSERT_EQ(direct->status, 200) << direct->body;
  EXPECT_LE(EnsWorst(EnsOutput(doc, "DIFF"), EnsOutput(ParseJson(direct->body), "OUTPUT1")), 1e-5);
  for (const auto& out : doc["outputs"].GetArray()) {
    EXPECT_EQ(out["shape"][0].GetInt(), 3);
  }
}

TEST_F(EnsembleTest, OnnxThenTorchMatchesTorchOverGrpc) {
  auto channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                       ::grpc::InsecureChannelCredentials());
  auto stub = ::inference::GRPCInferenceService::NewStub(channel);
  auto expected = EnsExpected();
  const auto x = EnsValues(expected["inputs"]["INPUT__0"]["data"]);
  ::inference::ModelInferRequest request;
  request.set_model_name("onnx_then_torch");
  for (const char* name : {"A", "B"}) {
    auto* input = request.add_inputs();
    input->set_name(name);
    input->set_datatype("FP32");
    input->add_shape(3);
    input->add_shape(16);
    const std::vector<float> values = name[0] == 'A' ? x : std::vector<float>(x.size(), 0.0f);
    request.add_raw_input_contents(
        std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
  }
  request.add_outputs()->set_name("SCORES");
  ::grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  ::inference::ModelInferResponse response;
  ::grpc::Status status = stub->ModelInfer(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.outputs_size(), 1);
  EXPECT_EQ(response.outputs(0).name(), "SCORES");
  ASSERT_EQ(response.raw_output_contents_size(), 1);
  const std::string& raw = response.raw_output_contents(0);
  std::vector<float> scores(raw.size() / sizeof(float));
  std::memcpy(scores.data(), raw.data(), raw.size());
  EXPECT_LE(EnsWorst(scores, EnsValues(expected["outputs"]["OUTPUT__0"]["data"])), 1e-5);

  ::grpc::ClientContext meta_context;
  meta_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  ::inference::ModelMetadataRequest meta_request;
  meta_request.set_name("onnx_then_torch");
  ::inference::ModelMetadataResponse metadata;
  ASSERT_TRUE(stub->ModelMetadata(&meta_context, meta_request, &metadata).ok());
  EXPECT_EQ(metadata.platform(), "ensemble");
  EXPECT_EQ(metadata.inputs_size(), 2);

  // Triton's statistics extension over gRPC: the ensemble and each of its steps.
  for (const char* model : {"onnx_then_torch", "add_sub_fp32", "torch_mlp_traced"}) {
    ::grpc::ClientContext stats_context;
    stats_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ::inference::ModelStatisticsRequest stats_request;
    stats_request.set_name(model);
    ::inference::ModelStatisticsResponse stats;
    ASSERT_TRUE(stub->ModelStatistics(&stats_context, stats_request, &stats).ok()) << model;
    ASSERT_EQ(stats.model_stats_size(), 1) << model;
    EXPECT_GE(stats.model_stats(0).inference_stats().success().count(), 1u) << model;
  }
}

// Triton's simple_sequence (OUTPUT = INPUT + START) in the same repository: two sequences, one
// over HTTP with a string id and one over gRPC with a uint64 id, interleaved; a request of a
// sequence that has ended is refused.
TEST_F(EnsembleTest, TheSequenceModelBesideTheEnsemblesKeepsItsSequences) {
  auto http = [](int value, bool start, bool end) {
    const std::string body =
        std::string(R"({"parameters":{"sequence_id":"mixed-1","sequence_start":)") +
        (start ? "true" : "false") + R"(,"sequence_end":)" + (end ? "true" : "false") +
        R"(},"inputs":[{"name":"INPUT","shape":[1,1],"datatype":"INT32","data":[)" +
        std::to_string(value) + "]}]}";
    auto c = Connect();
    auto r = c.Post("/v2/models/simple_sequence/infer", body);
    EXPECT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
    if (!r.ok() || r->status != 200) return -1;
    return ParseJson(r->body)["outputs"][0]["data"][0].GetInt();
  };
  auto channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->grpc_port()),
                                       ::grpc::InsecureChannelCredentials());
  auto stub = ::inference::GRPCInferenceService::NewStub(channel);
  auto grpc = [&](int value, bool start, bool end) -> ::grpc::Status {
    ::inference::ModelInferRequest q;
    q.set_model_name("simple_sequence");
    (*q.mutable_parameters())["sequence_id"].set_uint64_param(9001);
    (*q.mutable_parameters())["sequence_start"].set_bool_param(start);
    (*q.mutable_parameters())["sequence_end"].set_bool_param(end);
    auto* in = q.add_inputs();
    in->set_name("INPUT");
    in->set_datatype("INT32");
    in->add_shape(1);
    in->add_shape(1);
    in->mutable_contents()->add_int_contents(value);
    ::grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ::inference::ModelInferResponse r;
    auto status = stub->ModelInfer(&context, q, &r);
    if (status.ok()) {
      int32_t out = 0;
      EXPECT_EQ(r.raw_output_contents(0).size(), sizeof(out));
      std::memcpy(&out, r.raw_output_contents(0).data(), sizeof(out));
      EXPECT_EQ(out, value + (start ? 1 : 0));
    }
    return status;
  };
  EXPECT_EQ(http(100, true, false), 101);
  EXPECT_TRUE(grpc(7, true, false).ok());
  EXPECT_EQ(http(-3, false, false), -3);
  EXPECT_TRUE(grpc(8, false, true).ok());
  EXPECT_EQ(http(5, false, true), 5);
  EXPECT_EQ(grpc(9, false, false).error_code(), ::grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EnsembleTest, TheExampleEnsembleRunsOneModelTwice) {
  auto c = Connect();
  auto r = c.Post("/v2/models/simple_ensemble/infer", R"({"inputs":[
    {"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},
    {"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]})");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  const auto out0 = EnsOutput(doc, "OUTPUT0");
  const auto out1 = EnsOutput(doc, "OUTPUT1");
  ASSERT_EQ(out0.size(), 16u);
  ASSERT_EQ(out1.size(), 16u);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(out0[i], 2 * i);
    EXPECT_EQ(out1[i], 2);
  }
}

TEST_F(EnsembleTest, StatisticsCountTheEnsembleAndEachStep) {
  auto c = Connect();
  const uint64_t ensemble_before = SuccessCount(c, "onnx_then_torch");
  const uint64_t onnx_before = SuccessCount(c, "add_sub_fp32");
  const uint64_t torch_before = SuccessCount(c, "torch_mlp_traced");
  const std::vector<float> x(16, 0.5f);
  for (int i = 0; i < 3; ++i) {
    auto r = c.Post("/v2/models/onnx_then_torch/infer", EnsBody(x));
    ASSERT_TRUE(r.ok() && r->status == 200) << (r.ok() ? r->body : r.status().ToString());
  }
  EXPECT_EQ(SuccessCount(c, "onnx_then_torch"), ensemble_before + 3);
  EXPECT_EQ(SuccessCount(c, "add_sub_fp32"), onnx_before + 3);
  EXPECT_EQ(SuccessCount(c, "torch_mlp_traced"), torch_before + 3);
  // Prometheus has the ensemble as a model like any other.
  client::HttpConnection metrics("127.0.0.1", server_->metrics_port());
  auto scrape = metrics.Get("/metrics");
  ASSERT_TRUE(scrape.ok());
  EXPECT_NE(scrape->body.find("nv_inference_request_success{model=\"onnx_then_torch\""),
            std::string::npos);
}

TEST_F(EnsembleTest, AFailingStepFailsTheRequestNamingIt) {
  auto c = Connect();
  auto r = c.Post("/v2/models/throws_chain/infer",
                  R"({"inputs":[{"name":"X","shape":[4],"datatype":"FP32","data":[2000,1,1,1]}]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500) << r->body;
  EXPECT_NE(r->body.find("ensemble 'throws_chain' step 1 (model 'torch_throws')"),
            std::string::npos)
      << r->body;
  EXPECT_NE(r->body.find("the input sum is above 1000"), std::string::npos) << r->body;
  auto ok = c.Post("/v2/models/throws_chain/infer",
                   R"({"inputs":[{"name":"X","shape":[4],"datatype":"FP32","data":[1,2,3,4]}]})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(EnsembleTest, AMissingStepKeepsTheEnsembleFromLoading) {
  auto c = Connect();
  auto r = c.Post("/v2/repository/models/missing_step/load", "");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->status, 200);
  EXPECT_NE(r->body.find("step 1 (model 'nowhere')"), std::string::npos) << r->body;
  EXPECT_EQ(c.Get("/v2/models/missing_step/ready")->status == 200, false);
}

TEST_F(EnsembleTest, AStepOfALoadedEnsembleIsNotUnloadedUnderIt) {
  auto c = Connect();
  auto refused = c.Post("/v2/repository/models/torch_throws/unload", "");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("step of the loaded ensemble(s) 'throws_chain'"), std::string::npos)
      << refused->body;
  EXPECT_EQ(c.Get("/v2/models/torch_throws/ready")->status, 200);
  EXPECT_EQ(c.Post("/v2/repository/models/throws_chain/unload", "")->status, 200);
  EXPECT_EQ(c.Post("/v2/repository/models/torch_throws/unload", "")->status, 200);
  EXPECT_NE(c.Get("/v2/models/torch_throws/ready")->status, 200);
  // Loading the ensemble again brings its step back.
  EXPECT_EQ(c.Post("/v2/repository/models/throws_chain/load", "")->status, 200);
  EXPECT_EQ(c.Get("/v2/models/torch_throws/ready")->status, 200);
}

TEST_F(EnsembleTest, OtherFrontDoorsServeTheEnsembleAsAModel) {
  auto c = Connect();
  const std::vector<float> x(16, 0.25f);
  const std::string row = EnsJsonArray(x);
  const std::string zeros = EnsJsonArray(std::vector<float>(16, 0.0f));
  auto tf = c.Post("/v1/models/onnx_then_torch:predict",
                   R"({"inputs":{"A":[)" + row + R"(],"B":[)" + zeros + "]}}");
  ASSERT_TRUE(tf.ok());
  EXPECT_EQ(tf->status, 200) << tf->body;
  EXPECT_NE(tf->body.find("SCORES"), std::string::npos) << tf->body;
  auto ts = c.Get("/models/onnx_then_torch");
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(ts->status, 200) << ts->body;
}

TEST_F(EnsembleTest, PredictRunsTheImageThroughTheEnsemblesPipeline) {
  std::ifstream in(fs::path(INFERD_SOURCE_DIR) / "tests" / "testdata" / "images" / "photo.jpg",
                   std::ios::binary);
  std::stringstream jpeg;
  jpeg << in.rdbuf();
  auto c = Connect();
  auto direct = c.Post("/predict/convnet", jpeg.str(), {{"Content-Type", "image/jpeg"}});
  auto ensemble = c.Post("/predict/convnet_ensemble", jpeg.str(), {{"Content-Type", "image/jpeg"}});
  ASSERT_TRUE(direct.ok() && ensemble.ok());
  ASSERT_EQ(direct->status, 200) << direct->body;
  ASSERT_EQ(ensemble->status, 200) << ensemble->body;
  auto want = ParseJson(direct->body);
  auto got = ParseJson(ensemble->body);
  EXPECT_STREQ(got["model"].GetString(), "convnet_ensemble");
  ASSERT_EQ(got["predictions"].Size(), want["predictions"].Size());
  ASSERT_GT(want["predictions"].Size(), 0u);
  for (rapidjson::SizeType i = 0; i < want["predictions"].Size(); ++i) {
    const auto& a = got["predictions"][i];
    const auto& b = want["predictions"][i];
    EXPECT_EQ(a["index"].GetInt(), b["index"].GetInt());
    EXPECT_STREQ(a["label"].GetString(), b["label"].GetString());
    EXPECT_NEAR(a["score"].GetDouble(), b["score"].GetDouble(), 1e-6);
  }
}

TEST_F(EnsembleTest, CheckRepositoryReportsEnsemblesAndAMissingStep) {
  const auto outcome =
      RunShellCommand("timeout 120 " + InferdBinary() + " check-repository " + root_.string());
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;  // missing_step does not load
  EXPECT_NE(outcome.output.find("step 1 (model 'nowhere') is not in the model repository"),
            std::string::npos)
      << outcome.output;
  for (const char* model : {"onnx_then_torch", "throws_chain"}) {
    const size_t row = outcome.output.find(std::string("\n") + model + " ");
    ASSERT_NE(row, std::string::npos) << outcome.output;
    const std::string line =
        outcome.output.substr(row + 1, outcome.output.find('\n', row + 1) - row);
    EXPECT_NE(line.find("ensemble"), std::string::npos) << line;
    EXPECT_NE(line.find("OK"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace inferd::testing
