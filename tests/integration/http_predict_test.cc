// POST /predict (image upload), GET /health and the KServe classification extension against the
// real server on the example `convnet`. Expected classes are computed here, independently of the
// server's image pipeline: torchvision's own preprocessing of photo.jpg (the fidelity reference
// made by tests/testdata/images/make_reference.py) is normalized here, sent as a plain KServe
// tensor, and the test applies softmax / top-k / labels itself.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "http_test_util.h"
#include "preprocess/decode.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

std::string TestImage(const std::string& name) {
  return ReadFile(SourcePath("tests/testdata/images/" + name));
}

std::vector<std::string> ConvnetLabels() {
  std::vector<std::string> labels;
  std::istringstream in(ReadFile(SourcePath("examples/model_repository/convnet/labels.txt")));
  for (std::string line; std::getline(in, line);) labels.push_back(line);
  return labels;
}

std::string Multipart(const std::string& field, const std::string& content) {
  return "--inferdBoundary\r\nContent-Disposition: form-data; name=\"" + field +
         "\"; filename=\"upload.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + content +
         "\r\n--inferdBoundary--\r\n";
}
const std::map<std::string, std::string> kMultipartHeaders = {
    {"Content-Type", "multipart/form-data; boundary=inferdBoundary"}};

class HttpPredictTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    // A second repository with a copy of convnet whose version folder declares its own pipeline
    // (a pixel limit and top-1): a version's declaration wins over the model's.
    extra_repo_ = fs::temp_directory_path() /
                  ("inferd_predict_test_" + std::to_string(std::random_device{}()));
    const fs::path src = SourcePath("examples/model_repository/convnet");
    const fs::path dst = extra_repo_ / "convnet_small";
    fs::create_directories(dst / "1");
    fs::copy_file(src / "1" / "model.onnx", dst / "1" / "model.onnx");
    fs::copy_file(src / "labels.txt", dst / "labels.txt");
    fs::copy_file(src / "pipeline.json", dst / "pipeline.json");
    std::string config = ReadFile(src / "config.pbtxt");
    config.replace(config.find("\"convnet\""), 9, "\"convnet_small\"");
    std::ofstream(dst / "config.pbtxt") << config;
    std::ofstream(dst / "1" / "pipeline.json")
        << R"({"image": {"max_pixels": 10000, "resize": {"shorter_side": 256},
                         "center_crop": {"width": 224, "height": 224}},
               "output": {"top_k": 1}})";
    StartServer({"--model-repository", SourcePath("examples/model_repository"),
                 "--model-repository", extra_repo_.string(), "--default-model", "convnet"});
    expected_logits_ = ReferenceLogits();
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    fs::remove_all(extra_repo_);
  }

  // convnet's logits for torchvision's preprocessing of photo.jpg, through plain KServe.
  static std::vector<float> ReferenceLogits() {
    auto reference = preprocess::DecodeImage(TestImage("photo_ref.png"));
    EXPECT_TRUE(reference.ok()) << reference.status();
    const float mean[3] = {0.485f, 0.456f, 0.406f}, std[3] = {0.229f, 0.224f, 0.225f};
    std::vector<float> input(3 * 224 * 224);
    for (int c = 0; c < 3; ++c) {
      for (int i = 0; i < 224 * 224; ++i) {
        input[c * 224 * 224 + i] = (reference->pixels[i * 3 + c] / 255.f - mean[c]) / std[c];
      }
    }
    auto body =
        MakeBinaryBody(R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32",)"
                       R"("parameters":{"binary_data_size":602112}}],)"
                       R"("outputs":[{"name":"OUTPUT0","parameters":{"binary_data":false}}]})",
                       {RawBytes(input)});
    auto c = Connect();
    auto response = c.Post("/v2/models/convnet/infer", body.body, body.headers);
    EXPECT_TRUE(response.ok() && response->status == 200) << response->body;
    auto doc = ParseJson(response->body);
    std::vector<float> logits;
    for (const auto& v : doc["outputs"][0]["data"].GetArray()) logits.push_back(v.GetFloat());
    return logits;
  }

  static std::vector<std::pair<int, float>> ExpectedTop(size_t k) {
    std::vector<float> p = expected_logits_;
    const float max = *std::max_element(p.begin(), p.end());
    double total = 0;
    for (float& v : p) total += (v = std::exp(v - max));
    for (float& v : p) v = static_cast<float>(v / total);
    std::vector<int> order(p.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[a] > p[b]; });
    std::vector<std::pair<int, float>> top;
    for (size_t i = 0; i < k; ++i) top.emplace_back(order[i], p[order[i]]);
    return top;
  }

  static void ExpectPredictions(const client::HttpResponse& response, const std::string& model,
                                size_t k) {
    ASSERT_EQ(response.status, 200) << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(std::string(doc["model"].GetString()), model);
    EXPECT_STREQ(doc["version"].GetString(), "1");
    const auto& predictions = doc["predictions"];
    ASSERT_EQ(predictions.Size(), k) << response.body;
    const auto labels = ConvnetLabels();
    const auto top = ExpectedTop(k);
    for (size_t i = 0; i < k; ++i) {
      ASSERT_TRUE(predictions[i]["score"].IsNumber()) << response.body;
      EXPECT_EQ(predictions[i]["index"].GetInt(), top[i].first) << response.body;
      EXPECT_EQ(std::string(predictions[i]["label"].GetString()), labels[top[i].first]);
      EXPECT_NEAR(predictions[i]["score"].GetDouble(), top[i].second, 1e-5);
    }
  }

  static inline fs::path extra_repo_;
  static inline std::vector<float> expected_logits_;
};

TEST_F(HttpPredictTest, MultipartUploadGivesTheTopClasses) {
  ASSERT_EQ(expected_logits_.size(), 10u);
  auto c = Connect();
  auto response =
      c.Post("/predict/convnet", Multipart("file", TestImage("photo.jpg")), kMultipartHeaders);
  ASSERT_TRUE(response.ok()) << response.status();
  ExpectPredictions(*response, "convnet", 3);
}

TEST_F(HttpPredictTest, RawBodyVersionedPathAndDefaultModel) {
  auto c = Connect();
  const std::string jpeg = TestImage("photo.jpg");
  auto raw = c.Post("/predict/convnet/versions/1", jpeg, {{"Content-Type", "image/jpeg"}});
  ASSERT_TRUE(raw.ok());
  ExpectPredictions(*raw, "convnet", 3);
  auto by_default = c.Post("/predict", jpeg, {{"Content-Type", "application/octet-stream"}});
  ASSERT_TRUE(by_default.ok());
  ExpectPredictions(*by_default, "convnet", 3);
}

TEST_F(HttpPredictTest, VersionPipelineOverridesTheModelOne) {
  auto c = Connect();
  // Top-1 from the version's pipeline.json; photo.jpg (120000 px) exceeds its 10000 px limit.
  auto small = c.Post("/predict/convnet_small", TestImage("exif6.jpg"));
  ASSERT_TRUE(small.ok());
  ASSERT_EQ(small->status, 200) << small->body;
  EXPECT_EQ(ParseJson(small->body)["predictions"].Size(), 1u);
  auto big = c.Post("/predict/convnet_small", TestImage("photo.jpg"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 400) << big->body;
  EXPECT_NE(big->body.find("exceeds the limit of 10000"), std::string::npos) << big->body;
}

TEST_F(HttpPredictTest, BadUploadsAreClear400s) {
  auto c = Connect();
  const std::string jpeg = TestImage("photo.jpg");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {jpeg.substr(0, jpeg.size() / 2), "JPEG data"},
      {"", "empty"},
      {"GIF89a....", "unsupported format"},
  };
  for (const auto& [body, message] : cases) {
    auto response = c.Post("/predict/convnet", body, {{"Content-Type", "image/jpeg"}});
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 400) << response->body;
    EXPECT_NE(ParseJson(response->body)["error"].GetString(), nullptr);
    EXPECT_NE(response->body.find(message), std::string::npos) << response->body;
  }
  auto wrong_field = c.Post("/predict/convnet", Multipart("image", jpeg), kMultipartHeaders);
  EXPECT_EQ(wrong_field->status, 400) << wrong_field->body;
  EXPECT_NE(wrong_field->body.find("no field named 'file'"), std::string::npos);
  auto no_pipeline = c.Post("/predict/simple", jpeg);
  EXPECT_EQ(no_pipeline->status, 400) << no_pipeline->body;
  EXPECT_NE(no_pipeline->body.find("pipeline.json"), std::string::npos);
  EXPECT_EQ(c.Post("/predict/nope", jpeg)->status, 400);  // unknown model, as KServe's
  EXPECT_EQ(c.Get("/predict/convnet")->status, 405);
  EXPECT_EQ(c.Post("/predict/convnet/versions/9", jpeg)->status, 404);
}

TEST_F(HttpPredictTest, PreprocessingTimeCountsAsComputeInput) {
  auto c = Connect();
  auto before = ParseJson(c.Get("/v2/models/convnet_small/stats")->body);
  const auto& old_stats = before["model_stats"][0]["inference_stats"];
  const uint64_t old_ns = old_stats["compute_input"]["ns"].GetUint64();
  const uint64_t old_count = old_stats["compute_input"]["count"].GetUint64();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(c.Post("/predict/convnet_small", TestImage("exif6.jpg"))->status, 200);
  }
  auto after = ParseJson(c.Get("/v2/models/convnet_small/stats")->body);
  const auto& stats = after["model_stats"][0]["inference_stats"];
  EXPECT_EQ(stats["compute_input"]["count"].GetUint64(), old_count + 3);
  // Decoding and resizing a JPEG to 256 and cropping takes well over 100 us per image.
  EXPECT_GT(stats["compute_input"]["ns"].GetUint64() - old_ns, 3u * 100'000);
}

TEST_F(HttpPredictTest, Health) {
  auto c = Connect();
  auto health = c.Get("/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  auto doc = ParseJson(health->body);
  EXPECT_STREQ(doc["status"].GetString(), "ok");
  EXPECT_TRUE(doc["ready"].GetBool());
}

TEST_F(HttpPredictTest, KServeClassificationStringsAsTriton) {
  auto c = Connect();
  std::string data;
  for (int i = 0; i < 3 * 224 * 224; ++i) data += (i ? ",0.5" : "0.5");
  auto response = c.Post("/v2/models/convnet/infer",
                         R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32",)"
                         R"("data":[)" +
                             data +
                             R"(]}],"outputs":[{"name":"OUTPUT0",)"
                             R"("parameters":{"classification":2}}]})");
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->status, 200) << response->body.substr(0, 300);
  // The same input without classification: the raw logits to rank here.
  auto plain = c.Post("/v2/models/convnet/infer",
                      R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32",)"
                      R"("data":[)" +
                          data + "]}]}");
  ASSERT_EQ(plain->status, 200);
  std::vector<float> logits;
  const auto plain_doc = ParseJson(plain->body);  // the range below must not outlive it
  for (const auto& v : plain_doc["outputs"][0]["data"].GetArray()) logits.push_back(v.GetFloat());
  std::vector<int> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return logits[a] > logits[b]; });
  const auto labels = ConvnetLabels();
  auto doc = ParseJson(response->body);
  const auto& output = doc["outputs"][0];
  EXPECT_STREQ(output["datatype"].GetString(), "BYTES");
  EXPECT_EQ(output["shape"][0].GetInt(), 1);
  EXPECT_EQ(output["shape"][1].GetInt(), 2);
  for (int i = 0; i < 2; ++i) {
    const std::string expected =
        std::to_string(logits[order[i]]) + ":" + std::to_string(order[i]) + ":" + labels[order[i]];
    EXPECT_EQ(std::string(output["data"][i].GetString()), expected);
  }
  auto bad = c.Post("/v2/models/convnet/infer",
                    R"({"inputs":[{"name":"INPUT0","shape":[1,3,224,224],"datatype":"FP32",)"
                    R"("data":[)" +
                        data +
                        R"(]}],"outputs":[{"name":"OUTPUT0",)"
                        R"("parameters":{"classification":0}}]})");
  EXPECT_EQ(bad->status, 400);
}

// TorchServe's /predictions with image bytes (raw, or multipart field "data") goes through the
// same pipeline and answers TorchServe's image classifier shape: {"label": score, ...}.
TEST_F(HttpPredictTest, TorchServeImageBodiesUseTheModelPipeline) {
  auto c = Connect();
  const auto labels = ConvnetLabels();
  const auto top = ExpectedTop(3);
  for (const bool multipart : {false, true}) {
    auto response = multipart ? c.Post("/predictions/convnet",
                                       Multipart("data", TestImage("photo.jpg")), kMultipartHeaders)
                              : c.Post("/predictions/convnet", TestImage("photo.jpg"),
                                       {{"Content-Type", "image/jpeg"}});
    ASSERT_TRUE(response.ok());
    ASSERT_EQ(response->status, 200) << response->body;
    auto doc = ParseJson(response->body);
    ASSERT_TRUE(doc.IsObject());
    ASSERT_EQ(doc.MemberCount(), 3u) << response->body;
    size_t i = 0;
    for (const auto& member : doc.GetObject()) {
      EXPECT_EQ(std::string(member.name.GetString()), labels[top[i].first]) << response->body;
      EXPECT_NEAR(member.value.GetDouble(), top[i].second, 1e-5);
      ++i;
    }
  }
}

}  // namespace
}  // namespace inferd::testing
