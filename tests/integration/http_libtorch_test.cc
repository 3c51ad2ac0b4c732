// TorchScript models through the real server (the libtorch backend): outputs equal torch's own
// (computed by scripts/make_torch_models.py, max abs error 1e-5), IO bound by position and by
// forward()'s argument names, dynamic batching with warmup and statistics, an exception raised in
// forward() is that request's 500 while other requests succeed, and a model returning a dict is
// refused at load with the reason.
#include <rapidjson/document.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <sstream>
#include <vector>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kTorchModels = fs::path(INFERD_BINARY_DIR) / "testdata" / "torch";

std::string ReadTorchFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// {"name": ..., "shape": ..., "datatype": "FP32", "data": ...} from the expected-data file.
std::string TensorJson(const std::string& model, const char* side, const char* name) {
  auto expected = ParseJson(ReadTorchFile(kTorchModels / "expected" / (model + ".json")));
  const auto& entry = expected[side][name];
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("name");
  writer.String(name);
  writer.Key("shape");
  entry["shape"].Accept(writer);
  writer.Key("datatype");
  writer.String("FP32");
  writer.Key("data");
  entry["data"].Accept(writer);
  writer.EndObject();
  return buffer.GetString();
}

// Max abs difference between the response's output `name` and torch's.
double WorstError(const rapidjson::Document& response, const std::string& model, const char* name) {
  auto expected = ParseJson(ReadTorchFile(kTorchModels / "expected" / (model + ".json")));
  const auto& want = expected["outputs"][name]["data"];
  for (const auto& out : response["outputs"].GetArray()) {
    if (std::string(out["name"].GetString()) != name) continue;
    EXPECT_EQ(out["data"].Size(), want.Size());
    if (out["data"].Size() != want.Size()) return 1e9;
    double worst = 0;
    for (rapidjson::SizeType i = 0; i < want.Size(); ++i) {
      worst = std::max(worst, std::fabs(out["data"][i].GetDouble() - want[i].GetDouble()));
    }
    return worst;
  }
  ADD_FAILURE() << "no output " << name;
  return 1e9;
}

std::string ThrowsBody(float first) {
  return R"({"inputs":[{"name":"INPUT__0","shape":[4],"datatype":"FP32","data":[)" +
         std::to_string(first) + ",1,1,1]}]}";
}

class HttpLibTorchTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kTorchModels / "stamp")) GTEST_SKIP() << "no generated TorchScript models";
    root_ =
        fs::temp_directory_path() / ("inferd_torch_test_" + std::to_string(std::random_device{}()));
    fs::copy(kTorchModels / "repository", root_, fs::copy_options::recursive);
    // A batching copy of the traced model: one instance, requests wait up to 200 ms for company,
    // warmed up at load.
    const fs::path batched = root_ / "torch_mlp_batched";
    fs::create_directories(batched / "1");
    fs::copy_file(root_ / "torch_mlp_traced" / "1" / "model.pt", batched / "1" / "model.pt");
    std::ofstream(batched / "config.pbtxt") << R"(name: "torch_mlp_batched"
backend: "pytorch"
max_batch_size: 8
input [ { name: "INPUT__0" data_type: TYPE_FP32 dims: [ 16 ] } ]
output [ { name: "OUTPUT__0" data_type: TYPE_FP32 dims: [ 4 ] } ]
instance_group [ { kind: KIND_CPU count: 1 } ]
dynamic_batching { max_queue_delay_microseconds: 200000 }
parameters { key: "INTRA_OP_THREAD_COUNT" value { string_value: "1" } }
model_warmup [ { name: "zeros" batch_size: 2
  inputs { key: "INPUT__0" value { data_type: TYPE_FP32 dims: [ 16 ] zero_data: true } } } ]
)";
    StartServer({"--model-repository", root_.string()});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    if (!root_.empty()) fs::remove_all(root_);
  }
  static inline fs::path root_;
};

TEST_F(HttpLibTorchTest, TracedModelByPositionMatchesTorch) {
  auto c = Connect();
  const std::string body =
      R"({"inputs":[)" + TensorJson("torch_mlp_traced", "inputs", "INPUT__0") + "]}";
  auto r = c.Post("/v2/models/torch_mlp_traced/infer", body);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  EXPECT_LE(WorstError(doc, "torch_mlp_traced", "OUTPUT__0"), 1e-5);
  EXPECT_EQ(doc["outputs"][0]["shape"][0].GetInt(), 3);

  auto config = ParseJson(c.Get("/v2/models/torch_mlp_traced/config")->body);
  EXPECT_STREQ(config["platform"].GetString(), "pytorch_libtorch");
  EXPECT_STREQ(config["backend"].GetString(), "pytorch");
}

TEST_F(HttpLibTorchTest, ScriptedModelByNameMatchesTorch) {
  auto c = Connect();
  const std::string body = R"({"inputs":[)" + TensorJson("torch_pair_scripted", "inputs", "image") +
                           "," + TensorJson("torch_pair_scripted", "inputs", "scale") + "]}";
  auto r = c.Post("/v2/models/torch_pair_scripted/infer", body);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->status, 200) << r->body;
  auto doc = ParseJson(r->body);
  EXPECT_LE(WorstError(doc, "torch_pair_scripted", "scaled"), 1e-5);
  EXPECT_LE(WorstError(doc, "torch_pair_scripted", "total"), 1e-5);
}

TEST_F(HttpLibTorchTest, ConcurrentRequestsAreBatchedAndCounted) {
  constexpr int kClients = 6;
  const std::string body = R"({"inputs":[{"name":"INPUT__0","shape":[1,16],"datatype":"FP32",)"
                           R"("data":[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}]})";
  std::vector<std::future<int>> replies;
  for (int i = 0; i < kClients; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      auto c = Connect();
      auto r = c.Post("/v2/models/torch_mlp_batched/infer", body);
      return r.ok() ? r->status : -1;
    }));
  }
  for (auto& reply : replies) EXPECT_EQ(reply.get(), 200);
  auto c = Connect();
  auto stats = ParseJson(c.Get("/v2/models/torch_mlp_batched/stats")->body);
  const auto& model = stats["model_stats"][0];
  EXPECT_EQ(model["inference_count"].GetUint64(), uint64_t{kClients});
  EXPECT_LT(model["execution_count"].GetUint64(),
            uint64_t{kClients});  // at least two shared a batch
}

TEST_F(HttpLibTorchTest, ExceptionInForwardFailsOnlyThatRequest) {
  auto c = Connect();
  auto failed = c.Post("/v2/models/torch_throws/infer", ThrowsBody(5000));
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->status, 500) << failed->body;
  EXPECT_NE(failed->body.find("inferd-test: the input sum is above 1000"), std::string::npos)
      << failed->body;
  auto ok = c.Post("/v2/models/torch_throws/infer", ThrowsBody(2));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(ParseJson(ok->body)["outputs"][0]["data"][0].GetDouble(), 4.0);
  EXPECT_EQ(c.Get("/v2/health/live")->status, 200);
}

TEST_F(HttpLibTorchTest, DictAndNestedOutputsAreRefusedWithTheReason) {
  auto c = Connect();
  auto index = ParseJson(c.Post("/v2/repository/index", "{}")->body);
  int refused = 0;
  for (const auto& e : index.GetArray()) {
    const std::string name = e["name"].GetString();
    if (name != "torch_dict_output" && name != "torch_nested_output") {
      EXPECT_STREQ(e["state"].GetString(), "READY") << name;
      continue;
    }
    ++refused;
    EXPECT_STREQ(e["state"].GetString(), "UNAVAILABLE") << name;
    const std::string reason = e.HasMember("reason") ? e["reason"].GetString() : "";
    EXPECT_NE(reason.find("serves a Tensor, a Tuple of Tensors or a List of Tensors"),
              std::string::npos)
        << reason;
  }
  EXPECT_EQ(refused, 2);
}

}  // namespace
}  // namespace inferd::testing
