// The scheduler of a text reader (core/text_reader.h, docs/adr/0017): one request reads a whole
// page by running the models its config names, each through that model's own scheduler (so
// every step is queued, batched, timed out, cancelled and counted as any request for that
// model). The page is decoded once (the detector's decode limits); the detector's pipeline
// turns it into the detector's input and its "text_boxes" post-processing into line boxes in the
// page's coordinates; every line is cropped upright (CropTextBox, grown by `crop_padding` with
// its edge pixels: PadEdges) and, all at once, classified (when a classifier is declared: a
// line labelled `classifier_label` above its threshold is turned 180 degrees) and read by the
// recogniser, so the lines of a page meet in the classifier's and the recogniser's batchers. The
// answer is InferenceResponse::text_lines in reading order (SortReadingOrder), each with its text,
// and the outputs the config declares: "text" (STRING [lines]) and "boxes" (FP32 [lines, 4, 2]).
//
// A step that fails fails the request, the step and its model named and the step's status code
// kept (a page the detector's pipeline refuses is a 400). A line the classifier's or the
// recogniser's pipeline refuses (a crop shorter than its min_side, longer than its
// max_aspect_ratio) is answered with its box and empty text, confidence 0.
//
// Thread-safe. No thread of its own: the page is decoded and the detector's request prepared on
// the thread that enqueues; the crops and the line requests on the threads that complete the
// detector's and the classifier's requests.
#pragma once

#include <cstdint>
#include <memory>

#include "common/status.h"
#include "core/text_reader.h"
#include "model_config.pb.h"
#include "scheduler/scheduler.h"
#include "scheduler/stats_recorder.h"
#include "scheduler/step_resolver.h"

namespace inferd::scheduler {

// Checks a reader's models against the versions serving now: each resolves to a READY version
// with an image pipeline that decodes what its role needs (the detector "text_boxes", the
// classifier top-k classes with `classifier_label` among its labels, the recogniser "ctc"), in
// color. FailedPrecondition for a model that does not serve; InvalidArgument for a mismatch.
Status CheckTextReaderModels(const ::inference::ModelConfig& config,
                             const core::TextReaderSpec& spec, const StepResolver& steps);

class TextReaderScheduler : public Scheduler {
 public:
  TextReaderScheduler(::inference::ModelConfig config, int64_t version, core::TextReaderSpec spec,
                      std::shared_ptr<const StepResolver> steps,
                      std::shared_ptr<StatsRecorder> stats);
  ~TextReaderScheduler() override;

  void Enqueue(std::unique_ptr<core::InferenceRequest> request,
               core::ResponseCallback done) override;
  // Refuses new requests and waits for the running ones to complete.
  void Shutdown() override;

  struct Shared;  // what every page's run reads
  class Run;      // one page

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace inferd::scheduler
