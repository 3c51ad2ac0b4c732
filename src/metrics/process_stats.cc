#include "metrics/process_stats.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace inferd::metrics {
namespace {

StatusOr<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(std::string("cannot read ") + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The kB value of "Key:   123 kB" in /proc/meminfo.
bool FindKb(std::string_view text, std::string_view key, uint64_t& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':') {
      continue;
    }
    std::istringstream in{std::string(line.substr(key.size() + 1))};
    uint64_t kb = 0;
    if (!(in >> kb)) return false;
    out = kb * 1024;
    return true;
  }
  return false;
}

}  // namespace

StatusOr<MemInfo> ParseMemInfo(std::string_view meminfo) {
  uint64_t total = 0;
  uint64_t available = 0;
  if (!FindKb(meminfo, "MemTotal", total) || !FindKb(meminfo, "MemAvailable", available)) {
    return absl::InvalidArgumentError("MemTotal or MemAvailable missing from /proc/meminfo");
  }
  return MemInfo{total, total > available ? total - available : 0};
}

StatusOr<MemInfo> ReadMemInfo() {
  ASSIGN_OR_RETURN(std::string text, ReadFile("/proc/meminfo"));
  return ParseMemInfo(text);
}

StatusOr<uint64_t> ReadResidentBytes() {
  ASSIGN_OR_RETURN(std::string text, ReadFile("/proc/self/statm"));
  std::istringstream in(text);
  uint64_t size = 0;
  uint64_t resident = 0;
  if (!(in >> size >> resident)) return absl::InvalidArgumentError("malformed /proc/self/statm");
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

StatusOr<CpuTimes> ParseCpuTimes(std::string_view stat) {
  const size_t end = stat.find('\n');
  std::istringstream in{std::string(stat.substr(0, end))};
  std::string label;
  in >> label;
  if (label != "cpu") return absl::InvalidArgumentError("/proc/stat does not start with 'cpu'");
  std::vector<uint64_t> fields;
  for (uint64_t v = 0; in >> v;) fields.push_back(v);
  if (fields.size() < 4) return absl::InvalidArgumentError("short cpu line in /proc/stat");
  CpuTimes times;
  // user nice system idle iowait irq softirq steal (guest times are inside user and nice)
  for (size_t i = 0; i < fields.size() && i < 8; ++i) {
    times.total += fields[i];
    if (i != 3 && i != 4) times.busy += fields[i];
  }
  return times;
}

StatusOr<double> CpuUtilization::Sample() {
  ASSIGN_OR_RETURN(std::string text, ReadFile("/proc/stat"));
  ASSIGN_OR_RETURN(CpuTimes now, ParseCpuTimes(text));
  absl::MutexLock lock(&mu_);
  const uint64_t total = now.total - last_.total;
  const uint64_t busy = now.busy - last_.busy;
  last_ = now;
  if (total == 0) return 0.0;
  return static_cast<double>(busy) / static_cast<double>(total);
}

}  // namespace inferd::metrics
