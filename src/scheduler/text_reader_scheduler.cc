#include "scheduler/text_reader_scheduler.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "core/bytes_layout.h"
#include "core/request_validator.h"
#include "preprocess/decode.h"
#include "preprocess/model_assets.h"
#include "preprocess/text_boxes.h"

namespace inferd::scheduler {
namespace {

using ReaderClock = std::chrono::steady_clock;

enum class Role { kDetector, kClassifier, kRecognizer };

const char* RoleName(Role role) {
  switch (role) {
    case Role::kDetector:
      return "detector";
    case Role::kClassifier:
      return "classifier";
    case Role::kRecognizer:
      return "recognizer";
  }
  return "model";
}

const std::string& RoleModel(const core::TextReaderSpec& spec, Role role) {
  switch (role) {
    case Role::kDetector:
      return spec.detector;
    case Role::kClassifier:
      return spec.classifier;
    case Role::kRecognizer:
      return spec.recognizer;
  }
  return spec.recognizer;
}

// "text reader 'page' recognizer (model 'rec'): ", for messages.
std::string RolePrefix(const ::inference::ModelConfig& config, const core::TextReaderSpec& spec,
                       Role role) {
  return absl::StrCat("text reader '", config.name(), "' ", RoleName(role), " (model '",
                      RoleModel(spec, role), "'): ");
}

core::FailureReason ReaderFailureReason(const Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kCancelled:
      return core::FailureReason::kCanceled;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
      return core::FailureReason::kRejected;
    case absl::StatusCode::kInternal:
      return core::FailureReason::kBackend;
    default:
      return core::FailureReason::kOther;
  }
}

// A resolved model of the reader with its pipeline; `model` points into `target.assets`, which
// the target keeps alive.
struct ReaderStep {
  StepTarget target;
  const preprocess::ImageModel* model = nullptr;
};

StatusOr<ReaderStep> ResolveReaderStep(const StepResolver& steps, const std::string& model) {
  ASSIGN_OR_RETURN(StepTarget target, steps.ResolveStep(model, 0));
  if (!target.assets) {
    return absl::FailedPreconditionError("the model was loaded without its pipeline");
  }
  if (!target.assets->image.ok()) return target.assets->image.status();
  const preprocess::ImageModel* image = &*target.assets->image;
  return ReaderStep{std::move(target), image};
}

Status CheckRole(const core::TextReaderSpec& spec, Role role, const preprocess::ImageModel& model) {
  using preprocess::OutputDecode;
  const auto decode = model.spec.output.decode;
  if (model.spec.image.color == preprocess::ColorOrder::kGray) {
    return absl::InvalidArgumentError("its pipeline takes gray images; a text reader crops color");
  }
  switch (role) {
    case Role::kDetector:
      if (decode != OutputDecode::kTextBoxes) {
        return absl::InvalidArgumentError(
            "its pipeline does not decode \"text_boxes\" (a detector's line boxes)");
      }
      break;
    case Role::kClassifier:
      if (decode != OutputDecode::kTopK) {
        return absl::InvalidArgumentError("its pipeline does not answer classes");
      }
      if (std::find(model.labels.begin(), model.labels.end(), spec.classifier_label) ==
          model.labels.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "its labels have no '", spec.classifier_label, "' (the reader's classifier_label)"));
      }
      break;
    case Role::kRecognizer:
      if (decode != OutputDecode::kCtc) {
        return absl::InvalidArgumentError("its pipeline does not decode \"ctc\" (text)");
      }
      break;
  }
  return absl::OkStatus();
}

std::vector<Role> RolesOf(const core::TextReaderSpec& spec) {
  std::vector<Role> roles = {Role::kDetector};
  if (!spec.classifier.empty()) roles.push_back(Role::kClassifier);
  roles.push_back(Role::kRecognizer);
  return roles;
}

preprocess::TextBox ToTextBox(const core::TextLineBox& line) {
  preprocess::TextBox box;
  for (size_t i = 0; i < 4; ++i) box.points[i] = {line.points[i][0], line.points[i][1]};
  box.score = line.score;
  return box;
}

core::Tensor TextOutput(const std::string& name, const std::vector<core::TextLineBox>& lines) {
  std::vector<std::byte> bytes;
  for (const auto& line : lines) {
    core::AppendBytesElement(line.text ? line.text->text : std::string(), bytes);
  }
  auto owned = core::MakeOwnedTensor(name, core::DataType::kBytes,
                                     {static_cast<int64_t>(lines.size())}, bytes.size());
  if (!bytes.empty()) std::memcpy(owned.writable.data(), bytes.data(), bytes.size());
  return std::move(owned.tensor);
}

core::Tensor BoxesOutput(const std::string& name, const std::vector<core::TextLineBox>& lines) {
  std::vector<float> values;
  for (const auto& line : lines) {
    for (const auto& point : line.points) values.insert(values.end(), point.begin(), point.end());
  }
  auto owned =
      core::MakeOwnedTensor(name, core::DataType::kFp32, {static_cast<int64_t>(lines.size()), 4, 2},
                            values.size() * sizeof(float));
  if (!values.empty()) std::memcpy(owned.writable.data(), values.data(), owned.writable.size());
  return std::move(owned.tensor);
}

}  // namespace

Status CheckTextReaderModels(const ::inference::ModelConfig& config,
                             const core::TextReaderSpec& spec, const StepResolver& steps) {
  for (Role role : RolesOf(spec)) {
    auto step = ResolveReaderStep(steps, RoleModel(spec, role));
    if (!step.ok()) {
      if (step.status().code() == absl::StatusCode::kInternal ||
          core::IsNoImagePipeline(step.status())) {
        return absl::InvalidArgumentError(
            absl::StrCat(RolePrefix(config, spec, role), step.status().message()));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          RolePrefix(config, spec, role), "does not serve: ", step.status().message()));
    }
    if (Status fits = CheckRole(spec, role, *step->model); !fits.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(RolePrefix(config, spec, role), fits.message()));
    }
  }
  return absl::OkStatus();
}

struct TextReaderScheduler::Shared {
  ::inference::ModelConfig config;
  int64_t version = 0;
  core::TextReaderSpec spec;
  std::shared_ptr<const StepResolver> steps;
  std::shared_ptr<StatsRecorder> stats;
  std::vector<std::string> outputs;  // the reader's outputs, config order

  absl::Mutex mu;
  int64_t running ABSL_GUARDED_BY(mu) = 0;
  bool shutting_down ABSL_GUARDED_BY(mu) = false;
};

// One page. Owned by the completion callbacks of its running steps (and by the call that starts
// it), so it lives exactly as long as something can still complete it.
class TextReaderScheduler::Run : public std::enable_shared_from_this<TextReaderScheduler::Run> {
 public:
  using StepDone = absl::AnyInvocable<void(ReaderStep, StatusOr<core::InferenceResponse>) &&>;

  Run(std::shared_ptr<Shared> shared, std::unique_ptr<core::InferenceRequest> request,
      core::ResponseCallback done)
      : shared_(std::move(shared)), request_(std::move(request)), done_(std::move(done)) {}

  // Decodes the page and sends it to the detector.
  void Start() {
    auto detector = ResolveReaderStep(*shared_->steps, shared_->spec.detector);
    if (!detector.ok()) return Fail(Role::kDetector, detector.status());
    // The service validated the request against the reader's config: one UINT8 [bytes] input.
    if (request_->inputs.size() != 1) {
      return Fail(Role::kDetector, absl::InvalidArgumentError("expected one input: the image"));
    }
    const auto& data = request_->inputs.front().data;
    const std::string_view bytes(reinterpret_cast<const char*>(data.data()), data.size());
    preprocess::DecodeOptions options;
    options.max_pixels = detector->model->spec.image.max_pixels;
    options.exif_orientation = detector->model->spec.image.exif_orientation;
    auto page = preprocess::DecodeImage(bytes, options);
    if (!page.ok()) return Fail(Role::kDetector, page.status());
    page_ = *std::move(page);  // written once, before any step can read it
    auto tensor = preprocess::TransformImage(page_, detector->model->spec.image);
    if (!tensor.ok()) return Fail(Role::kDetector, tensor.status());
    Submit(Role::kDetector, *std::move(detector), *std::move(tensor),
           [self = shared_from_this()](ReaderStep step,
                                       StatusOr<core::InferenceResponse> result) mutable {
             self->Detected(std::move(step), std::move(result));
           });
  }

 private:
  bool Answered() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return answered_;
  }

  // Sends `tensor` (the step's input, without a batch dimension) to the step's own scheduler.
  void Submit(Role role, ReaderStep step, core::Tensor tensor, StepDone then) {
    if (request_->cancellation && request_->cancellation->IsCancelled()) {
      return Fail(role, absl::CancelledError("the request was cancelled"));
    }
    auto step_request = std::make_unique<core::InferenceRequest>();
    if (request_->timeout_us > 0) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          ReaderClock::now() - request_->received);
      const int64_t left = static_cast<int64_t>(request_->timeout_us) - elapsed.count();
      if (left <= 0) {
        return Fail(role, absl::DeadlineExceededError(
                              "the request's timeout passed before the step could start"));
      }
      step_request->timeout_us = static_cast<uint64_t>(left);
    }
    step_request->model_name = RoleModel(shared_->spec, role);
    step_request->model_version = step.target.version;
    step_request->id = request_->id;
    step_request->priority = request_->priority;
    step_request->cancellation = request_->cancellation;
    if (step.model->batched) tensor.shape.insert(tensor.shape.begin(), 1);
    step_request->inputs.push_back(std::move(tensor));
    step_request->requested_outputs.assign(1, step.model->spec.output.output);
    if (Status valid = core::ValidateRequest(*step.target.config, *step_request); !valid.ok()) {
      if (step.target.record_invalid) step.target.record_invalid(std::chrono::nanoseconds(0));
      return Fail(role, valid);
    }
    // The scheduler is held by the step (which holds its version) until the callback has run.
    Scheduler& scheduler = *step.target.scheduler;
    scheduler.Enqueue(std::move(step_request),
                      [step = std::move(step),
                       then = std::move(then)](StatusOr<core::InferenceResponse> result) mutable {
                        std::move(then)(std::move(step), std::move(result));
                      });
  }

  void Detected(ReaderStep step, StatusOr<core::InferenceResponse> result) {
    if (!result.ok()) return Fail(Role::kDetector, result.status());
    const preprocess::ImageGeometry geometry{{page_.width, page_.height}};
    if (Status boxes = preprocess::FinishImageResponse(*step.model, geometry, *result);
        !boxes.ok()) {
      return Fail(Role::kDetector, boxes);
    }
    std::vector<core::TextLineBox> lines =
        result->text_lines.value_or(std::vector<core::TextLineBox>{});
    const size_t cap = static_cast<size_t>(shared_->spec.max_lines);
    if (cap > 0 && lines.size() > cap) lines.resize(cap);  // the first in reading order
    if (lines.empty()) return Finish();
    // Resolved once per page: every line of the page is read by the same versions.
    if (!shared_->spec.classifier.empty()) {
      auto classifier = ResolveReaderStep(*shared_->steps, shared_->spec.classifier);
      if (!classifier.ok()) return Fail(Role::kClassifier, classifier.status());
      classifier_ = std::make_shared<const ReaderStep>(*std::move(classifier));
    }
    auto recognizer = ResolveReaderStep(*shared_->steps, shared_->spec.recognizer);
    if (!recognizer.ok()) return Fail(Role::kRecognizer, recognizer.status());
    recognizer_ = std::make_shared<const ReaderStep>(*std::move(recognizer));
    std::vector<preprocess::TextBox> boxes;
    for (const auto& line : lines) boxes.push_back(ToTextBox(line));
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      lines_ = std::move(lines);
      pending_ = lines_.size();
    }
    // Every line is started before any is awaited, so they meet in the steps' batchers.
    for (size_t i = 0; i < boxes.size(); ++i) {
      if (Answered()) return;  // a line's step failed: start no more
      preprocess::Image crop = preprocess::CropTextBox(page_, boxes[i]);
      if (shared_->spec.crop_padding > 0) {
        crop = preprocess::PadEdges(
            crop, static_cast<int>(std::lround(shared_->spec.crop_padding * crop.height)));
      }
      if (classifier_) {
        Classify(i, std::move(crop));
      } else {
        Recognize(i, std::move(crop));
      }
    }
  }

  void Classify(size_t line, preprocess::Image crop) {
    auto tensor = preprocess::TransformImage(crop, classifier_->model->spec.image);
    if (!tensor.ok()) return Read(line, core::RecognizedText{});  // no line for this model
    Submit(Role::kClassifier, *classifier_, *std::move(tensor),
           [self = shared_from_this(), line, crop = std::move(crop)](
               ReaderStep step, StatusOr<core::InferenceResponse> result) mutable {
             self->Classified(line, std::move(crop), step, std::move(result));
           });
  }

  void Classified(size_t line, preprocess::Image crop, const ReaderStep& step,
                  StatusOr<core::InferenceResponse> result) {
    if (!result.ok()) return Fail(Role::kClassifier, result.status());
    auto top = preprocess::TopPredictions(*result, *step.model);
    if (!top.ok()) return Fail(Role::kClassifier, top.status());
    const auto& spec = shared_->spec;
    if (!top->empty() && top->front().label == spec.classifier_label &&
        top->front().score >= spec.classifier_threshold) {
      crop = preprocess::ApplyOrientation(crop, 3);  // EXIF 3: turned 180 degrees
    }
    Recognize(line, std::move(crop));
  }

  void Recognize(size_t line, const preprocess::Image& crop) {
    auto tensor = preprocess::TransformImage(crop, recognizer_->model->spec.image);
    if (!tensor.ok()) return Read(line, core::RecognizedText{});  // no line for this model
    const preprocess::ImageGeometry geometry{{crop.width, crop.height}};
    Submit(Role::kRecognizer, *recognizer_, *std::move(tensor),
           [self = shared_from_this(), line, geometry](
               ReaderStep step, StatusOr<core::InferenceResponse> result) mutable {
             if (!result.ok()) return self->Fail(Role::kRecognizer, result.status());
             if (Status text = preprocess::FinishImageResponse(*step.model, geometry, *result);
                 !text.ok()) {
               return self->Fail(Role::kRecognizer, text);
             }
             self->Read(line, result->text.value_or(core::RecognizedText{}));
           });
  }

  void Read(size_t line, core::RecognizedText text) {
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      lines_[line].text = std::move(text);
      if (--pending_ > 0) return;
    }
    Finish();
  }

  void Fail(Role role, const Status& status) {
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      answered_ = true;
    }
    const Status failed(
        status.code(),
        absl::StrCat(RolePrefix(shared_->config, shared_->spec, role), status.message()));
    shared_->stats->RecordFailure(ReaderClock::now() - request_->received,
                                  ReaderFailureReason(status));
    Complete(failed);
  }

  void Finish() {
    core::InferenceResponse response{shared_->config.name(), shared_->version, request_->id, {}};
    std::vector<core::TextLineBox> lines;
    {
      absl::MutexLock lock(&mu_);
      if (answered_) return;
      answered_ = true;
      lines = std::move(lines_);
    }
    for (auto& line : lines) {
      if (!line.text) line.text = core::RecognizedText{};
    }
    preprocess::SortReadingOrder(lines);
    const auto& wanted =
        request_->requested_outputs.empty() ? shared_->outputs : request_->requested_outputs;
    for (const auto& name : wanted) {
      if (name == "text") response.outputs.push_back(TextOutput(name, lines));
      if (name == "boxes") response.outputs.push_back(BoxesOutput(name, lines));
    }
    response.text_lines = std::move(lines);
    const auto now = ReaderClock::now();
    const auto compute = now - started_;
    shared_->stats->RecordExecution(1, {}, compute, {});
    shared_->stats->RecordSuccess(now - request_->received, started_ - request_->received, {},
                                  compute, {});
    if (request_->timeline) {
      request_->timeline->queued = started_;
      request_->timeline->compute_start = started_;
      request_->timeline->compute_end = now;
    }
    Complete(std::move(response));
  }

  void Complete(StatusOr<core::InferenceResponse> result) {
    auto shared = shared_;
    std::move(done_)(std::move(result));
    absl::MutexLock lock(&shared->mu);
    --shared->running;
  }

  const std::shared_ptr<Shared> shared_;
  const std::unique_ptr<core::InferenceRequest> request_;
  core::ResponseCallback done_;
  const ReaderClock::time_point started_ = ReaderClock::now();
  // Written by Start and Detected before the steps that read them are submitted; read-only after.
  preprocess::Image page_;
  std::shared_ptr<const ReaderStep> classifier_;
  std::shared_ptr<const ReaderStep> recognizer_;
  absl::Mutex mu_;
  std::vector<core::TextLineBox> lines_ ABSL_GUARDED_BY(mu_);
  size_t pending_ ABSL_GUARDED_BY(mu_) = 0;
  bool answered_ ABSL_GUARDED_BY(mu_) = false;
};

TextReaderScheduler::TextReaderScheduler(::inference::ModelConfig config, int64_t version,
                                         core::TextReaderSpec spec,
                                         std::shared_ptr<const StepResolver> steps,
                                         std::shared_ptr<StatsRecorder> stats)
    : shared_(std::make_shared<Shared>()) {
  for (const auto& output : config.output()) shared_->outputs.push_back(output.name());
  shared_->config = std::move(config);
  shared_->version = version;
  shared_->spec = std::move(spec);
  shared_->steps = std::move(steps);
  shared_->stats = std::move(stats);
}

TextReaderScheduler::~TextReaderScheduler() { Shutdown(); }

void TextReaderScheduler::Enqueue(std::unique_ptr<core::InferenceRequest> request,
                                  core::ResponseCallback done) {
  {
    absl::ReleasableMutexLock lock(&shared_->mu);
    if (shared_->shutting_down) {
      lock.Release();
      shared_->stats->RecordFailure(ReaderClock::now() - request->received,
                                    core::FailureReason::kRejected);
      return std::move(done)(absl::UnavailableError(
          absl::StrCat("model '", shared_->config.name(), "' is shutting down")));
    }
    ++shared_->running;
  }
  auto run = std::make_shared<Run>(shared_, std::move(request), std::move(done));
  run->Start();
}

void TextReaderScheduler::Shutdown() {
  absl::MutexLock lock(&shared_->mu);
  shared_->shutting_down = true;
  shared_->mu.Await(absl::Condition(
      +[](int64_t* running) { return *running == 0; }, &shared_->running));
}

}  // namespace inferd::scheduler
