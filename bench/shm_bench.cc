// One model input sent two ways against one running server, in one run: KServe v2 binary tensors
// in the HTTP body, and the system shared-memory extension (the input written once into a POSIX
// shm region registered with the server; the request body is only the JSON header). The output
// comes back as binary data in both. Alternates the two modes `--rounds` times and prints one
// Markdown row per mode plus the throughput ratio.
//
//   shm_bench --http-port P [--model convnet] [--input INPUT0] [--shape 1,3,224,224]
//             [--seconds 3] [--rounds 2]
//
// The server must serve examples/model_repository on 127.0.0.1 (bench/run_shm.sh starts one).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/http_connection.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Sample {
  std::vector<double> latencies_us;
  double seconds = 0;
  int failures = 0;
};

struct Mode {
  std::string name;
  std::string body;
  std::map<std::string, std::string> headers;
  Sample total;
};

void RunFor(inferd::client::HttpConnection& c, const std::string& target, Mode& mode,
            double seconds) {
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  const auto start = Clock::now();
  while (Clock::now() < end) {
    const auto before = Clock::now();
    auto r = c.Post(target, mode.body, mode.headers);
    if (!r.ok() || r->status != 200) {
      if (++mode.total.failures == 1) {
        std::fprintf(stderr, "%s: %s\n", mode.name.c_str(),
                     r.ok() ? r->body.c_str() : std::string(r.status().message()).c_str());
      }
      continue;
    }
    mode.total.latencies_us.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - before).count());
  }
  mode.total.seconds += std::chrono::duration<double>(Clock::now() - start).count();
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(values.size() * p))];
}

std::string ShapeJson(const std::vector<int64_t>& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? "," : "") << shape[i];
  out << ']';
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"System shared memory vs binary HTTP for one input"};
  int port = 0;
  std::string model = "convnet";
  std::string input = "INPUT0";
  std::vector<int64_t> shape = {1, 3, 224, 224};
  double seconds = 3;
  int rounds = 2;
  app.add_option("--http-port", port)->required();
  app.add_option("--model", model);
  app.add_option("--input", input);
  app.add_option("--shape", shape)->delimiter(',');
  app.add_option("--seconds", seconds);
  app.add_option("--rounds", rounds);
  CLI11_PARSE(app, argc, argv);

  size_t bytes = sizeof(float);
  for (int64_t d : shape) bytes *= static_cast<size_t>(d);
  std::vector<float> values(bytes / sizeof(float));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  for (float& v : values) v = uniform(rng);

  const std::string key = "/inferd_shm_bench_" + std::to_string(getpid());
  const int fd = shm_open(key.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0 || ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    std::perror("shm_open/ftruncate");
    return 1;
  }
  void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    std::perror("mmap");
    shm_unlink(key.c_str());
    return 1;
  }
  std::memcpy(map, values.data(), bytes);

  inferd::client::HttpConnection c("127.0.0.1", port);
  const std::string region = "bench_input";
  (void)c.Post("/v2/systemsharedmemory/region/" + region + "/unregister", "");
  auto registered =
      c.Post("/v2/systemsharedmemory/region/" + region + "/register",
             "{\"key\":\"" + key + "\",\"offset\":0,\"byte_size\":" + std::to_string(bytes) + "}");
  if (!registered.ok() || registered->status != 200) {
    std::fprintf(stderr, "register failed: %s\n",
                 registered.ok() ? registered->body.c_str() : "no answer");
    munmap(map, bytes);
    shm_unlink(key.c_str());
    return 1;
  }

  const std::string head = "{\"inputs\":[{\"name\":\"" + input +
                           "\",\"datatype\":\"FP32\",\"shape\":" + ShapeJson(shape) +
                           ",\"parameters\":{";
  const std::string tail = "}}],\"parameters\":{\"binary_data_output\":true}}";
  Mode binary{"binary HTTP", "", {}, {}};
  const std::string binary_header = head + "\"binary_data_size\":" + std::to_string(bytes) + tail;
  binary.body = binary_header;
  binary.body.append(reinterpret_cast<const char*>(values.data()), bytes);
  binary.headers = {{"Inference-Header-Content-Length", std::to_string(binary_header.size())},
                    {"Content-Type", "application/octet-stream"}};
  Mode shm{"system shared memory", "", {}, {}};
  shm.body = head + "\"shared_memory_region\":\"" + region +
             "\",\"shared_memory_byte_size\":" + std::to_string(bytes) + tail;

  const std::string target = "/v2/models/" + model + "/infer";
  RunFor(c, target, binary, 0.5);  // warm-up, discarded
  RunFor(c, target, shm, 0.5);
  binary.total = {};
  shm.total = {};
  for (int r = 0; r < rounds; ++r) {
    RunFor(c, target, binary, seconds);
    RunFor(c, target, shm, seconds);
  }
  (void)c.Post("/v2/systemsharedmemory/region/" + region + "/unregister", "");
  munmap(map, bytes);
  shm_unlink(key.c_str());

  std::printf(
      "| mode (%s, %zu input bytes) | body bytes | infer/s | p50 us | p95 us | failures |\n",
      model.c_str(), bytes);
  std::printf("|---|---|---|---|---|---|\n");
  double throughput[2] = {0, 0};
  int i = 0;
  for (Mode* mode : {&binary, &shm}) {
    const Sample& s = mode->total;
    throughput[i++] = s.seconds > 0 ? s.latencies_us.size() / s.seconds : 0;
    std::printf("| %s | %zu | %.1f | %.0f | %.0f | %d |\n", mode->name.c_str(), mode->body.size(),
                throughput[i - 1], Percentile(s.latencies_us, 0.5),
                Percentile(s.latencies_us, 0.95), s.failures);
  }
  std::printf("\nshared memory / binary HTTP throughput: %.2f\n",
              throughput[0] > 0 ? throughput[1] / throughput[0] : 0);
  return binary.total.failures + shm.total.failures > 0 ? 1 : 0;
}
