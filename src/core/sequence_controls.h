// What a stateful model's `sequence_batching` asks the server to feed it beside the client's
// inputs (Triton's control inputs and implicit state), read once from the config, and the
// tensors built from it for one request. The repository validates a config with
// ParseSequenceControls (so a bad control is refused at load, naming the field); the sequence
// scheduler uses the same parse to build tensors.
//
// Control tensors have one element per request: shape [1], or [1, 1] when the model batches.
// START/END/READY carry the config's false/true values; CORRID carries the correlation id in the
// configured type. A state tensor is the config's dims (batch dimension first when batching);
// a sequence's first state is zeros, and each later request gets the state output of the one
// before it.
//
// Pure functions and value types; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/data_type.h"
#include "core/inference_request.h"
#include "core/model_signature.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "model_config.pb.h"

namespace inferd::core {

struct SequenceFlagControl {
  std::string input;
  DataType dtype = DataType::kInvalid;  // kInt32, kFp32 or kBool
  std::vector<std::byte> false_value;   // one element of `dtype`
  std::vector<std::byte> true_value;
};

struct SequenceCorrIdControl {
  std::string input;
  DataType dtype = DataType::kInvalid;  // kUint64, kInt64, kUint32, kInt32 or kBytes
};

struct SequenceState {
  std::string input;
  std::string output;
  DataType dtype = DataType::kInvalid;
  Shape dims;  // without the batch dimension; every dimension >= 1
};

struct SequenceControls {
  std::optional<SequenceFlagControl> start;
  std::optional<SequenceFlagControl> end;
  std::optional<SequenceFlagControl> ready;
  std::optional<SequenceCorrIdControl> corrid;
  std::vector<SequenceState> states;

  // The model inputs the server provides (controls and state inputs): never configured as
  // `input`, never sent by clients.
  std::vector<std::string> ProvidedInputs() const;
  bool IsStateOutput(std::string_view name) const;
};

// InvalidArgument naming the offending control or state: a control input without a name or
// with other than one control, a kind given twice, false/true values that are not exactly two
// of one type, a CORRID type other than the integer types and TYPE_STRING, a state without
// names, type or fixed dims, or two provided inputs with one name.
StatusOr<SequenceControls> ParseSequenceControls(const ::inference::ModelSequenceBatching& config);

// The provided inputs against the model file: each exists with the configured type, and each
// state output exists with the state's type.
Status ValidateSequenceAgainstSignature(const SequenceControls& controls,
                                        const ModelSignature& signature);

// Appends the control tensors for one request of `id` (READY is always true: a batch holds only
// real requests). InvalidArgument when `id` cannot be carried by the CORRID type (a string id
// for an integer CORRID, or a number out of its range); a numeric id for a TYPE_STRING CORRID
// is sent as its decimal text.
Status AppendControlTensors(const SequenceControls& controls, bool batched, const CorrelationId& id,
                            bool start, bool end, std::vector<Tensor>& inputs);

// The zero state a sequence starts with.
Tensor InitialStateTensor(const SequenceState& state, bool batched);

}  // namespace inferd::core
