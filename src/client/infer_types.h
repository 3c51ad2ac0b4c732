// Inference request and result types of inferd's C++ client library, in the spirit of Triton's
// client (InferInput, InferRequestedOutput, InferResult). Protocol-independent: the HTTP and gRPC
// clients encode the same objects.
//
// Tensor data is held as dense little-endian bytes ("raw"); BYTES tensors as the KServe raw form
// (each element a 4-byte little-endian length followed by its bytes).
// Not thread-safe while being mutated; const access from several threads is safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/status.h"

namespace inferd::client {

// Triton (and inferd) answer an unknown model 400 / INVALID_ARGUMENT with "Request for unknown
// model: ..."; the client reports it as NotFound, as it does an unknown version.
inline bool IsUnknownModelMessage(std::string_view message) {
  return message.find("Request for unknown model: ") != std::string_view::npos &&
         message.find(" is not found") != std::string_view::npos;
}

// Bytes per element of a KServe datatype name ("FP32" -> 4); 0 for BYTES and unknown names.
size_t ElementSize(std::string_view datatype);
// The element count of `shape` (1 for a scalar); -1 if a dimension is negative.
int64_t ElementCount(const std::vector<int64_t>& shape);

// The KServe datatype a C++ element type stands for.
template <typename T>
constexpr std::string_view DatatypeOf() {
  if constexpr (std::is_same_v<T, bool>) return "BOOL";
  if constexpr (std::is_same_v<T, uint8_t>) return "UINT8";
  if constexpr (std::is_same_v<T, uint16_t>) return "UINT16";
  if constexpr (std::is_same_v<T, uint32_t>) return "UINT32";
  if constexpr (std::is_same_v<T, uint64_t>) return "UINT64";
  if constexpr (std::is_same_v<T, int8_t>) return "INT8";
  if constexpr (std::is_same_v<T, int16_t>) return "INT16";
  if constexpr (std::is_same_v<T, int32_t>) return "INT32";
  if constexpr (std::is_same_v<T, int64_t>) return "INT64";
  if constexpr (std::is_same_v<T, float>) return "FP32";
  if constexpr (std::is_same_v<T, double>) return "FP64";
  return "";
}

// Appends one BYTES element in the raw form (length prefix + bytes).
void AppendBytesElement(std::string_view element, std::string& raw);
// Splits raw BYTES data into its elements; InvalidArgument if malformed.
StatusOr<std::vector<std::string>> SplitBytesElements(std::string_view raw);

class InferInput {
 public:
  InferInput(std::string name, std::vector<int64_t> shape, std::string datatype)
      : name_(std::move(name)), shape_(std::move(shape)), datatype_(std::move(datatype)) {}

  const std::string& name() const { return name_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  const std::string& datatype() const { return datatype_; }
  const std::string& raw() const { return raw_; }
  void SetShape(std::vector<int64_t> shape) { shape_ = std::move(shape); }

  // Typed data; InvalidArgument if T does not match the datatype.
  template <typename T>
  Status SetData(const std::vector<T>& values) {
    static_assert(!std::is_same_v<T, bool>, "use SetBools for BOOL");
    if (DatatypeOf<T>() != datatype_ && !(sizeof(T) == 2 && ElementSize(datatype_) == 2)) {
      return TypeMismatch(DatatypeOf<T>());
    }
    raw_.assign(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    return absl::OkStatus();
  }
  Status SetBools(const std::vector<bool>& values);
  Status SetStrings(const std::vector<std::string>& values);  // BYTES
  // Dense little-endian bytes (BYTES: the length-prefixed form), taken as they are.
  void SetRaw(std::string raw) { raw_ = std::move(raw); }
  // Checks that the data size agrees with the shape and datatype.
  Status Validate() const;

 private:
  Status TypeMismatch(std::string_view wanted) const;

  std::string name_;
  std::vector<int64_t> shape_;
  std::string datatype_;
  std::string raw_;
};

class InferRequestedOutput {
 public:
  explicit InferRequestedOutput(std::string name, bool binary = true)
      : name_(std::move(name)), binary_(binary) {}
  const std::string& name() const { return name_; }
  bool binary() const { return binary_; }  // HTTP: binary tensor extension for this output

 private:
  std::string name_;
  bool binary_;
};

struct InferOptions {
  explicit InferOptions(std::string model) : model_name(std::move(model)) {}
  std::string model_name;
  std::string model_version;  // empty = the server's choice (latest)
  std::string request_id;
  uint64_t priority = 0;    // 0 = the model's default
  uint64_t timeout_us = 0;  // server-side queue timeout; 0 = none
  // Compression, as tritonclient's request_compression_algorithm and
  // response_compression_algorithm: "" (none), "gzip" or "deflate"; anything else is
  // InvalidArgument. HTTP: the request body is sent with that Content-Encoding (its
  // Inference-Header-Content-Length still counts the uncompressed JSON), and the response is
  // asked for with Accept-Encoding and decoded transparently. gRPC: the request message is
  // compressed with gRPC's algorithm of that name; a gRPC response is compressed at the
  // server's choice (`--grpc-infer-response-compression-level`), so the response option is
  // HTTP only.
  std::string request_compression_algorithm;
  std::string response_compression_algorithm;
};

class InferResult {
 public:
  struct Output {
    std::string name;
    std::string datatype;
    std::vector<int64_t> shape;
    std::string raw;
  };

  InferResult() = default;
  InferResult(std::string model_name, std::string model_version, std::string id,
              std::vector<Output> outputs)
      : model_name_(std::move(model_name)),
        model_version_(std::move(model_version)),
        id_(std::move(id)),
        outputs_(std::move(outputs)) {}

  const std::string& model_name() const { return model_name_; }
  const std::string& model_version() const { return model_version_; }
  const std::string& id() const { return id_; }
  const std::vector<Output>& outputs() const { return outputs_; }

  // NotFound if the result holds no output `name`.
  StatusOr<std::vector<int64_t>> Shape(std::string_view name) const;
  StatusOr<std::string> Datatype(std::string_view name) const;
  StatusOr<std::string_view> RawData(std::string_view name) const;
  StatusOr<std::vector<std::string>> StringData(std::string_view name) const;  // BYTES
  StatusOr<std::vector<bool>> Bools(std::string_view name) const;              // BOOL
  // Typed copy of an output; InvalidArgument if T does not match its datatype.
  template <typename T>
  StatusOr<std::vector<T>> As(std::string_view name) const {
    static_assert(!std::is_same_v<T, bool>, "use Bools for BOOL");
    ASSIGN_OR_RETURN(const Output* output, Find(name));
    if (output->datatype != DatatypeOf<T>()) return TypeMismatch(*output, DatatypeOf<T>());
    std::vector<T> values(output->raw.size() / sizeof(T));
    std::memcpy(values.data(), output->raw.data(), values.size() * sizeof(T));
    return values;
  }

 private:
  StatusOr<const Output*> Find(std::string_view name) const;
  static Status TypeMismatch(const Output& output, std::string_view wanted);

  std::string model_name_;
  std::string model_version_;
  std::string id_;
  std::vector<Output> outputs_;
};

}  // namespace inferd::client
