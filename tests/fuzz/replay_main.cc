// The main of a fuzz target outside the fuzz preset: runs LLVMFuzzerTestOneInput once over each
// file named on the command line, or over each regular file of a named directory, so the
// committed corpus is a regression test of every build (a crash or sanitizer report fails it).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool RunFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, so ASan sees any read past the input's end.
  const std::vector<uint8_t> input(bytes.begin(), bytes.end());
  std::fprintf(stderr, "running %s (%zu bytes)\n", path.c_str(), input.size());
  LLVMFuzzerTestOneInput(input.data(), input.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t files = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (!std::filesystem::is_directory(arg)) {
      ok = RunFile(arg) && ok;
      ++files;
      continue;
    }
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(arg)) {
      if (entry.is_regular_file()) paths.push_back(entry.path());
    }
    for (const auto& path : paths) {
      ok = RunFile(path) && ok;
      ++files;
    }
  }
  std::fprintf(stderr, "replayed %zu inputs\n", files);
  if (files == 0) {
    std::fprintf(stderr, "no input: pass corpus files or directories\n");
    return 1;
  }
  return ok ? 0 : 1;
}
