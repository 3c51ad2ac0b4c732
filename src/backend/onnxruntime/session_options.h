// Session settings of the ONNX Runtime backend, parsed from a model config (Triton's parameter
// names, so existing Triton configs keep their meaning). Pure functions, no ORT types: the parsing
// is unit-testable and is done once per model, before any session exists.
//
// Parameters (ModelConfig.parameters, string_value):
//   intra_op_thread_count  threads of each session's intra-op pool (default 1; 0 = ORT's choice)
//   inter_op_thread_count  threads of the inter-op pool (default 1; 0 = ORT's choice)
//   enable_mem_arena       "1"/"0"/"true"/"false" (default on)
//   allow_spinning         sets both spinning keys below (default off: idle instances must not
//                          burn the cores other instances need)
//   session.intra_op.allow_spinning, session.inter_op.allow_spinning  the ORT keys, one by one
// Unknown parameters are ignored: they may belong to other layers.
//
// optimization { graph { level } } follows Triton's onnxruntime_backend:
//   -1 -> ORT_ENABLE_BASIC, 0 or unset -> ORT_ENABLE_ALL, 1 -> ORT_ENABLE_EXTENDED,
//    2 -> ORT_DISABLE_ALL; any other value is InvalidArgument (Triton silently uses ALL).
#pragma once

#include "common/status.h"
#include "model_config.pb.h"

namespace inferd::backend::ort {

enum class GraphLevel { kDisableAll, kBasic, kExtended, kAll };

struct SessionSettings {
  int intra_op_threads = 1;
  int inter_op_threads = 1;
  bool mem_arena = true;
  bool intra_op_spinning = false;
  bool inter_op_spinning = false;
  GraphLevel graph_level = GraphLevel::kAll;
  // The GPU a session runs on through ONNX Runtime's CUDA execution provider; -1 = the CPU. Set
  // per instance from instance_placement.h, never from parameters.
  int cuda_device = -1;
};

// InvalidArgument naming the parameter when a value does not parse or is out of range.
StatusOr<SessionSettings> ParseSessionSettings(const ::inference::ModelConfig& config);

}  // namespace inferd::backend::ort
