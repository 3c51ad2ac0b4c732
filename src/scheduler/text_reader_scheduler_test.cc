// The text reader's scheduler over fake detector, classifier and recogniser schedulers: every
// line is cropped and read through the step models in reading order, the classifier turns the
// lines it labels "180" above its threshold, a page without lines answers none, max_lines caps
// the fan-out, a failing step or a bad page is named, and the load-time checks of the models'
// pipelines.
#include "scheduler/text_reader_scheduler.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <vector>

#include "core/bytes_layout.h"
#include "preprocess/pipeline.h"

namespace inferd::scheduler {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

::inference::ModelConfig ReaderTestConfig(const std::string& text) {
  ::inference::ModelConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return config;
}

std::vector<float> ReaderFloats(const core::Tensor& t) {
  std::vector<float> out(t.data.size() / sizeof(float));
  std::memcpy(out.data(), t.data.data(), t.data.size());
  return out;
}

core::Tensor ReaderFloatTensor(const std::string& name, core::Shape shape,
                               const std::vector<float>& values) {
  auto owned = core::MakeOwnedTensor(name, core::DataType::kFp32, std::move(shape),
                                     values.size() * sizeof(float));
  std::memcpy(owned.writable.data(), values.data(), values.size() * sizeof(float));
  return owned.tensor;
}

// A step model: answers at once, on the caller's thread, what `fn` makes of the request.
class CannedScheduler : public Scheduler {
 public:
  using Fn = std::function<StatusOr<core::Tensor>(const core::InferenceRequest&)>;
  explicit CannedScheduler(Fn fn) : fn_(std::move(fn)) {}
  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override {
    ++calls;
    auto output = fn_(*request);
    if (!output.ok()) return std::move(done)(output.status());
    std::move(done)(core::InferenceResponse{request->model_name, 1, request->id, {*output}});
  }
  void Shutdown() override {}
  int calls = 0;

 private:
  Fn fn_;
};

class ReaderSteps : public StepResolver {
 public:
  void Add(const std::string& name, const std::string& config, const std::string& pipeline,
           preprocess::Labels labels, std::shared_ptr<CannedScheduler> scheduler) {
    StepTarget target;
    target.version = 1;
    target.config = std::make_shared<::inference::ModelConfig>(
        ReaderTestConfig("name: \"" + name + "\" " + config));
    target.scheduler = std::move(scheduler);
    auto spec = preprocess::ParsePipelineSpec(pipeline);
    EXPECT_TRUE(spec.ok()) << spec.status();
    auto assets = std::make_shared<preprocess::ModelAssets>();
    assets->image = preprocess::ImageModel{name, 1, *spec, target.config->max_batch_size() > 0,
                                           std::move(labels)};
    target.assets = std::move(assets);
    models_[name] = std::move(target);
  }
  StatusOr<StepTarget> ResolveStep(std::string_view model, int64_t) const override {
    auto it = models_.find(std::string(model));
    if (it == models_.end()) {
      return absl::NotFoundError(
          absl::StrCat("Request for unknown model: '", std::string(model), "'"));
    }
    return it->second;
  }

 private:
  std::map<std::string, StepTarget> models_;
};

// The detector's map marks two lines: A over the page's black block and white beyond it, B all
// white below it.
StatusOr<core::Tensor> TwoLineMap(const core::InferenceRequest& request) {
  const auto& shape = request.inputs.front().shape;  // [1, 3, H, W]
  const int64_t h = shape[2], w = shape[3];
  std::vector<float> map(static_cast<size_t>(h * w), 0.f);
  auto bar = [&](int y0, int y1, int x0, int x1) {
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) map[static_cast<size_t>(y * w + x)] = 0.9f;
    }
  };
  bar(40, 45, 12, 50);  // B first: the reader orders lines itself
  bar(11, 16, 12, 70);  // A
  return ReaderFloatTensor("map", {1, 1, h, w}, map);
}

// Reads "a" when the line image starts black (line A upright), else "b".
StatusOr<core::Tensor> ReadByFirstColumns(const core::InferenceRequest& request) {
  const auto values = ReaderFloats(request.inputs.front());  // [1, 3, 8, 64], 0 black, 1 white
  const bool black = values[4 * 64 + 3] < 0.5f;
  // Two time steps of [blank, a, b]: the letter, then the blank.
  return ReaderFloatTensor("probs", {1, 2, 3}, {0, black ? 1.f : 0.f, black ? 0.f : 1.f, 1, 0, 0});
}

constexpr char kDetConfig[] = R"(max_batch_size: 1
  input { name: "x" data_type: TYPE_FP32 dims: [ 3, -1, -1 ] }
  output { name: "map" data_type: TYPE_FP32 dims: [ 1, -1, -1 ] })";
constexpr char kDetPipeline[] = R"({"image": {"input": "x", "min_side": 8,
    "resize": {"max_side": 96, "multiple_of": 32, "max_aspect_ratio": 20}},
    "output": {"name": "map", "decode": "text_boxes", "box_threshold": 0.5, "min_size": 2}})";
constexpr char kClsConfig[] = R"(max_batch_size: 8
  input { name: "x" data_type: TYPE_FP32 dims: [ 3, 8, 32 ] }
  output { name: "p" data_type: TYPE_FP32 dims: [ 2 ] })";
constexpr char kClsPipeline[] = R"({"image": {"input": "x",
    "resize": {"height": 8, "max_width": 32, "max_aspect_ratio": 20},
    "pad": {"width": 32, "height": 8, "value": 0}},
    "output": {"name": "p", "softmax": false, "top_k": 2}})";
constexpr char kRecConfig[] = R"(max_batch_size: 8
  input { name: "x" data_type: TYPE_FP32 dims: [ 3, 8, 64 ] }
  output { name: "probs" data_type: TYPE_FP32 dims: [ -1, 3 ] })";
constexpr char kRecPipeline[] = R"({"image": {"input": "x",
    "resize": {"height": 8, "max_width": 64, "max_aspect_ratio": 20},
    "pad": {"width": 64, "height": 8, "value": -7}},
    "output": {"name": "probs", "decode": "ctc", "softmax": false}})";

std::string ReaderConfigText(const std::string& parameters) {
  return R"(name: "page" platform: "text_reader"
    input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] }
    output { name: "text" data_type: TYPE_STRING dims: [ -1 ] }
    output { name: "boxes" data_type: TYPE_FP32 dims: [ -1, 4, 2 ] }
    parameters { key: "detector" value { string_value: "det" } }
    parameters { key: "recognizer" value { string_value: "rec" } } )" +
         parameters;
}

std::string Param(const std::string& key, const std::string& value) {
  return " parameters { key: \"" + key + "\" value { string_value: \"" + value + "\" } }";
}

std::string UnitPage() {
  std::ifstream file(std::string(INFERD_SOURCE_DIR) + "/tests/testdata/ocr/unit_page.png",
                     std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

class TextReaderSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    steps_->Add("det", kDetConfig, kDetPipeline, {}, det_);
    steps_->Add("cls", kClsConfig, kClsPipeline, {"0", "180"}, cls_);
    steps_->Add("rec", kRecConfig, kRecPipeline, {"a", "b"}, rec_);
  }
  std::unique_ptr<TextReaderScheduler> Make(const std::string& parameters = "") {
    const auto config = ReaderTestConfig(ReaderConfigText(parameters));
    auto spec = core::ParseTextReaderSpec(config);
    EXPECT_TRUE(spec.ok()) << spec.status();
    EXPECT_TRUE(CheckTextReaderModels(config, *spec, *steps_).ok());
    return std::make_unique<TextReaderScheduler>(config, 1, *spec, steps_, stats_);
  }
  static StatusOr<core::InferenceResponse> Read(TextReaderScheduler& scheduler,
                                                std::string page = UnitPage()) {
    auto request = std::make_unique<core::InferenceRequest>();
    request->model_name = "page";
    auto body = std::make_shared<std::string>(std::move(page));
    core::Tensor input;
    input.name = "image";
    input.dtype = core::DataType::kUint8;
    input.shape = {static_cast<int64_t>(body->size())};
    input.data = std::as_bytes(std::span<const char>(body->data(), body->size()));
    request->inputs.push_back(input);
    request->body = body;
    StatusOr<core::InferenceResponse> answer = absl::UnknownError("no answer");
    scheduler.Enqueue(std::move(request),
                      [&](StatusOr<core::InferenceResponse> r) { answer = std::move(r); });
    return answer;
  }
  static std::vector<std::string> Texts(const core::InferenceResponse& response) {
    std::vector<std::string> texts;
    for (const auto& line : *response.text_lines) texts.push_back(line.text->text);
    return texts;
  }

  std::shared_ptr<CannedScheduler> det_ = std::make_shared<CannedScheduler>(TwoLineMap);
  std::shared_ptr<CannedScheduler> cls_ = std::make_shared<CannedScheduler>(
      [](const core::InferenceRequest&) -> StatusOr<core::Tensor> {
        return ReaderFloatTensor("p", {1, 2}, {0.05f, 0.95f});  // "180", 0.95
      });
  std::shared_ptr<CannedScheduler> rec_ = std::make_shared<CannedScheduler>(ReadByFirstColumns);
  std::shared_ptr<ReaderSteps> steps_ = std::make_shared<ReaderSteps>();
  std::shared_ptr<StatsRecorder> stats_ = std::make_shared<StatsRecorder>("page", 1, 0);
};

TEST_F(TextReaderSchedulerTest, ReadsEveryLineInReadingOrderThroughTheStepModels) {
  auto reader = Make();
  auto answer = Read(*reader);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->model_name, "page");
  ASSERT_TRUE(answer->text_lines.has_value());
  EXPECT_THAT(Texts(*answer), ElementsAre("a", "b"));
  const auto& lines = *answer->text_lines;
  EXPECT_LT(lines[0].points[0][1], lines[1].points[0][1]);  // A above B
  for (const auto& line : lines) {
    for (const auto& point : line.points) {
      EXPECT_GE(point[0], 0);
      EXPECT_LE(point[0], 96);
      EXPECT_GE(point[1], 0);
      EXPECT_LE(point[1], 64);
    }
    EXPECT_FLOAT_EQ(line.text->confidence, 1.f);
  }
  EXPECT_EQ(det_->calls, 1);
  EXPECT_EQ(cls_->calls, 0);
  EXPECT_EQ(rec_->calls, 2);
  // The declared outputs, in the same order as the lines.
  ASSERT_EQ(answer->outputs.size(), 2u);
  EXPECT_EQ(answer->outputs[0].name, "text");
  EXPECT_THAT(answer->outputs[0].shape, ElementsAre(2));
  auto texts = core::SplitBytesElements(answer->outputs[0].data);
  ASSERT_TRUE(texts.ok());
  EXPECT_THAT(*texts, ElementsAre("a", "b"));
  EXPECT_EQ(answer->outputs[1].name, "boxes");
  EXPECT_THAT(answer->outputs[1].shape, ElementsAre(2, 4, 2));
  EXPECT_FLOAT_EQ(ReaderFloats(answer->outputs[1])[1], lines[0].points[0][1]);
  EXPECT_EQ(stats_->Snapshot().inference_stats.success.count, 1u);
}

TEST_F(TextReaderSchedulerTest, ClassifierTurnsLinesItCallsUpsideDownAboveItsThreshold) {
  auto turned = Make(Param("classifier", "cls"));
  auto answer = Read(*turned);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_THAT(Texts(*answer), ElementsAre("b", "b"));  // line A read from its white end
  EXPECT_EQ(cls_->calls, 2);

  auto kept = Make(Param("classifier", "cls") + Param("classifier_threshold", "0.99"));
  answer = Read(*kept);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_THAT(Texts(*answer), ElementsAre("a", "b"));
}

TEST_F(TextReaderSchedulerTest, APageWithoutLinesAnswersNone) {
  det_ = std::make_shared<CannedScheduler>(
      [](const core::InferenceRequest& request) -> StatusOr<core::Tensor> {
        const auto& shape = request.inputs.front().shape;
        return ReaderFloatTensor("map", {1, 1, shape[2], shape[3]},
                                 std::vector<float>(static_cast<size_t>(shape[2] * shape[3])));
      });
  steps_->Add("det", kDetConfig, kDetPipeline, {}, det_);
  auto reader = Make();
  auto answer = Read(*reader);
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_TRUE(answer->text_lines.has_value());
  EXPECT_TRUE(answer->text_lines->empty());
  EXPECT_EQ(rec_->calls, 0);
  EXPECT_THAT(answer->outputs[0].shape, ElementsAre(0));
}

TEST_F(TextReaderSchedulerTest, MaxLinesBoundsTheLinesRead) {
  auto reader = Make(Param("max_lines", "1"));
  auto answer = Read(*reader);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_THAT(Texts(*answer), ElementsAre("a"));
  EXPECT_EQ(rec_->calls, 1);
}

TEST_F(TextReaderSchedulerTest, AFailingStepFailsThePageNamingIt) {
  rec_ = std::make_shared<CannedScheduler>(
      [](const core::InferenceRequest&) -> StatusOr<core::Tensor> {
        return absl::ResourceExhaustedError("queue full");
      });
  steps_->Add("rec", kRecConfig, kRecPipeline, {"a", "b"}, rec_);
  auto reader = Make();
  auto answer = Read(*reader);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(answer.status().message(),
              HasSubstr("text reader 'page' recognizer (model 'rec'): queue full"));
  EXPECT_EQ(rec_->calls, 1);  // the second line was not started
  EXPECT_EQ(stats_->Snapshot().inference_stats.fail.count, 1u);
}

TEST_F(TextReaderSchedulerTest, BadPagesAreInvalidArgumentBeforeAnyStep) {
  auto reader = Make();
  for (const std::string& page : {std::string(), std::string("not an image")}) {
    auto answer = Read(*reader, page);
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(answer.status().message(), HasSubstr("text reader 'page' detector (model 'det')"));
  }
  EXPECT_EQ(det_->calls, 0);
}

TEST_F(TextReaderSchedulerTest, LoadChecksEachModelFitsItsRole) {
  auto check = [&](const std::string& parameters) {
    const auto config = ReaderTestConfig(R"(name: "page" platform: "text_reader"
      input { name: "image" data_type: TYPE_UINT8 dims: [ -1 ] }
      output { name: "text" data_type: TYPE_STRING dims: [ -1 ] } )" +
                                         parameters);
    auto spec = core::ParseTextReaderSpec(config);
    EXPECT_TRUE(spec.ok()) << spec.status();
    return CheckTextReaderModels(config, *spec, *steps_);
  };
  EXPECT_TRUE(check(Param("detector", "det") + Param("recognizer", "rec")).ok());
  const std::vector<std::tuple<std::string, absl::StatusCode, std::string>> cases = {
      {Param("detector", "rec") + Param("recognizer", "rec"), absl::StatusCode::kInvalidArgument,
       "detector (model 'rec'): its pipeline does not decode \"text_boxes\""},
      {Param("detector", "det") + Param("recognizer", "cls"), absl::StatusCode::kInvalidArgument,
       "recognizer (model 'cls'): its pipeline does not decode \"ctc\""},
      {Param("detector", "det") + Param("classifier", "rec") + Param("recognizer", "rec"),
       absl::StatusCode::kInvalidArgument,
       "classifier (model 'rec'): its pipeline does not answer"},
      {Param("detector", "det") + Param("classifier", "cls") + Param("classifier_label", "upside") +
           Param("recognizer", "rec"),
       absl::StatusCode::kInvalidArgument, "its labels have no 'upside'"},
      {Param("detector", "missing") + Param("recognizer", "rec"),
       absl::StatusCode::kFailedPrecondition, "detector (model 'missing'): does not serve"},
  };
  for (const auto& [parameters, code, message] : cases) {
    Status status = check(parameters);
    EXPECT_EQ(status.code(), code) << parameters << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr(message)) << parameters;
  }
}

}  // namespace
}  // namespace inferd::scheduler
