// Shared by the load benchmarks: one KServe v2 binary-extension request built from
// "NAME:D1,D2,...:DATATYPE" specs (inputs zero-filled), and latency percentiles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "core/data_type.h"

namespace inferd::bench {

struct BinaryRequest {
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;

  static StatusOr<BinaryRequest> Make(const std::string& model,
                                      const std::vector<std::string>& specs) {
    std::string header = R"({"inputs":[)";
    std::string data;
    for (size_t i = 0; i < specs.size(); ++i) {
      const std::vector<std::string> parts = absl::StrSplit(specs[i], ':');
      if (parts.size() != 3)
        return absl::InvalidArgumentError("input spec wants NAME:DIMS:DATATYPE");
      const auto type = core::ParseDataType(parts[2]);
      if (!type) return absl::InvalidArgumentError("unknown datatype " + parts[2]);
      int64_t count = 1;
      for (const auto& dim : absl::StrSplit(parts[1], ',')) {
        int64_t d = 0;
        if (!absl::SimpleAtoi(dim, &d) || d <= 0)
          return absl::InvalidArgumentError("bad dims " + parts[1]);
        count *= d;
      }
      const size_t bytes = static_cast<size_t>(count) * core::ElementSize(*type);
      header += (i ? "," : "") + std::string(R"({"name":")") + parts[0] + R"(","shape":[)" +
                parts[1] + R"(],"datatype":")" + parts[2] +
                R"(","parameters":{"binary_data_size":)" + std::to_string(bytes) + "}}";
      data.append(bytes, '\0');
    }
    header += "]}";
    BinaryRequest request;
    request.target = "/v2/models/" + model + "/infer";
    request.headers = {{"Inference-Header-Content-Length", std::to_string(header.size())},
                       {"Content-Type", "application/octet-stream"}};
    request.body = header + data;
    return request;
  }
};

struct LatencySummary {
  size_t n = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

inline LatencySummary Summarise(std::vector<double> us) {
  LatencySummary s;
  s.n = us.size();
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  const auto at = [&](size_t permille) {
    return us[std::min(us.size() - 1, us.size() * permille / 1000)];
  };
  s.p50 = at(500);
  s.p95 = at(950);
  s.p99 = at(990);
  s.max = us.back();
  return s;
}

}  // namespace inferd::bench
