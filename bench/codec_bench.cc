// KServe v2 REST codec throughput: decoding JSON and binary infer requests, encoding JSON and
// binary responses, for FP32 tensors of 1x16 and 1x150528 (a 224x224x3 image).
#include <cstring>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "frontend/http/infer_request_codec.h"
#include "frontend/http/infer_response_codec.h"

namespace inferd::frontend::http {
namespace {

std::string JsonRequest(int64_t n) {
  std::string json = R"({"inputs":[{"name":"x","shape":[1,)" + std::to_string(n) +
                     R"(],"datatype":"FP32","data":[)";
  for (int64_t i = 0; i < n; ++i) {
    if (i > 0) json += ',';
    json += std::to_string(static_cast<float>(i % 1000) * 0.001f);
  }
  return json + "]}]}";
}

std::string BinaryHeader(int64_t n) {
  return R"({"inputs":[{"name":"x","shape":[1,)" + std::to_string(n) +
         R"(],"datatype":"FP32","parameters":{"binary_data_size":)" + std::to_string(n * 4) +
         "}}]}";
}

void BM_DecodeJson(benchmark::State& state) {
  auto body = std::make_shared<std::string>(JsonRequest(state.range(0)));
  for (auto _ : state) {
    auto decoded = DecodeInferRequest(*body, body, std::nullopt, "m", 0);
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body->size()));
}

void BM_DecodeBinary(benchmark::State& state) {
  const std::string header = BinaryHeader(state.range(0));
  auto body = std::make_shared<std::string>(header + std::string(state.range(0) * 4, '\0'));
  const std::string length = std::to_string(header.size());
  for (auto _ : state) {
    auto decoded = DecodeInferRequest(*body, body, length, "m", 0);
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body->size()));
}

core::InferenceResponse Response(int64_t n) {
  auto owned = core::MakeOwnedTensor("y", core::DataType::kFp32, {1, n}, n * 4);
  for (int64_t i = 0; i < n; ++i) {
    const float value = static_cast<float>(i % 1000) * 0.001f;
    std::memcpy(owned.writable.data() + i * 4, &value, 4);
  }
  core::InferenceResponse response;
  response.model_name = "m";
  response.model_version = 1;
  response.outputs.push_back(owned.tensor);
  return response;
}

void BM_Encode(benchmark::State& state, bool binary) {
  const auto response = Response(state.range(0));
  OutputEncoding encoding;
  encoding.binary_all = binary;
  size_t bytes = 0;
  for (auto _ : state) {
    auto encoded = EncodeInferResponse(response, encoding);
    if (!encoded.ok()) state.SkipWithError("encode failed");
    bytes += encoded->body.size();
    benchmark::DoNotOptimize(encoded);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_EncodeJson(benchmark::State& state) { BM_Encode(state, false); }
void BM_EncodeBinary(benchmark::State& state) { BM_Encode(state, true); }

BENCHMARK(BM_DecodeJson)->Arg(16)->Arg(150528);
BENCHMARK(BM_DecodeBinary)->Arg(16)->Arg(150528);
BENCHMARK(BM_EncodeJson)->Arg(16)->Arg(150528);
BENCHMARK(BM_EncodeBinary)->Arg(16)->Arg(150528);

}  // namespace
}  // namespace inferd::frontend::http

BENCHMARK_MAIN();
