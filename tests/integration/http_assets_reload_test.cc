// A model's pipeline.json and label file are versioned with its load: the server parses them
// once per (re)load of the version (preprocess/model_assets.h), so editing them on disk changes
// nothing until the model is loaded again, here with an explicit repository load that keeps the
// version itself (its model file and config are unchanged). Covers /predict and the KServe
// classification extension over HTTP.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

class HttpAssetsReloadTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    repo_ = fs::temp_directory_path() /
            ("inferd_assets_reload_test_" + std::to_string(std::random_device{}()));
    const fs::path src = SourcePath("examples/model_repository/convnet");
    dir_ = repo_ / "convnet";
    fs::create_directories(dir_ / "1");
    fs::copy_file(src / "1" / "model.onnx", dir_ / "1" / "model.onnx");
    for (const char* file : {"config.pbtxt", "labels.txt", "pipeline.json"}) {
      fs::copy_file(src / file, dir_ / file);
    }
    StartServer({"--model-repository", repo_.string(), "--model-control-mode", "explicit",
                 "--load-model", "convnet"});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(repo_);
  }

  // (index, label) of each prediction /predict gives for photo.jpg.
  static std::vector<std::pair<int, std::string>> Predict(client::HttpConnection& c) {
    auto response =
        c.Post("/predict/convnet", ReadFile(SourcePath("tests/testdata/images/photo.jpg")),
               {{"Content-Type", "image/jpeg"}});
    EXPECT_TRUE(response.ok() && response->status == 200)
        << (response.ok() ? response->body : std::string(response.status().message()));
    std::vector<std::pair<int, std::string>> out;
    if (!response.ok()) return out;
    const auto doc = ParseJson(response->body);
    for (const auto& p : doc["predictions"].GetArray()) {
      out.emplace_back(p["index"].GetInt(), p["label"].GetString());
    }
    return out;
  }

  // The label of the top class through the classification extension ("score:index:label").
  static std::string ClassificationLabel(client::HttpConnection& c) {
    std::string data;
    for (int i = 0; i < 3 * 224 * 224; ++i) data += (i ? ",0.5" : "0.5");
    auto response = c.Post(
        "/v2/models/convnet/infer",
        R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32","data":[)" + data +
            R"(]}],"outputs":[{"name":"OUTPUT0","parameters":{"classification":1}}]})");
    EXPECT_TRUE(response.ok() && response->status == 200);
    if (!response.ok()) return "";
    const auto doc = ParseJson(response->body);
    const std::string text = doc["outputs"][0]["data"][0].GetString();
    return text.substr(text.rfind(':') + 1);
  }

  static inline fs::path repo_;
  static inline fs::path dir_;
};

TEST_F(HttpAssetsReloadTest, EditedPipelineAndLabelsApplyAtTheNextLoadOnly) {
  auto c = Connect();
  const auto before = Predict(c);
  ASSERT_EQ(before.size(), 3u);  // the example pipeline's top_k
  const std::string class_before = ClassificationLabel(c);
  ASSERT_FALSE(class_before.empty());

  // New labels ("new-<i>") and a pipeline answering the top class only.
  {
    std::ofstream labels(dir_ / "labels.txt", std::ios::trunc);
    for (int i = 0; i < 10; ++i) labels << "new-" << i << "\n";
  }
  std::string pipeline = ReadFile(dir_ / "pipeline.json");
  pipeline.replace(pipeline.find("\"top_k\": 3"), 10, "\"top_k\": 1");
  std::ofstream(dir_ / "pipeline.json", std::ios::trunc) << pipeline;

  // Until the model is loaded again, the version keeps what it loaded with.
  EXPECT_EQ(Predict(c), before);
  EXPECT_EQ(ClassificationLabel(c), class_before);

  auto load = c.Post("/v2/repository/models/convnet/load", "");
  ASSERT_TRUE(load.ok());
  ASSERT_EQ(load->status, 200) << load->body;

  const auto after = Predict(c);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].first, before[0].first);  // the same model, so the same top class
  EXPECT_EQ(after[0].second, "new-" + std::to_string(before[0].first));
  const std::string class_after = ClassificationLabel(c);
  EXPECT_EQ(class_after.rfind("new-", 0), 0u) << class_after;
}

}  // namespace
}  // namespace inferd::testing
