#include "backend/libtorch/torch_plugin.h"

#include <dlfcn.h>

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace inferd::backend::libtorch {
namespace {

struct OpenedRuntimes {
  absl::Mutex mu;
  std::map<std::string, TorchRuntime*> by_path ABSL_GUARDED_BY(mu);
};

OpenedRuntimes& Opened() {
  static OpenedRuntimes opened;
  return opened;
}

}  // namespace

StatusOr<TorchRuntime*> OpenTorchRuntime(const std::filesystem::path& module_path) {
  OpenedRuntimes& opened = Opened();
  absl::MutexLock lock(&opened.mu);
  const std::string path = module_path.string();
  if (auto it = opened.by_path.find(path); it != opened.by_path.end()) return it->second;
  // RTLD_LOCAL: libtorch's symbols stay out of the global namespace; never dlclose'd.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot load the libtorch backend's module ", path, ": ",
                     reason != nullptr ? reason : "unknown dlopen error",
                     " (is libtorch installed? Debian: apt-get install libtorch-dev)"));
  }
  auto entry = reinterpret_cast<TorchRuntimeEntry>(dlsym(handle, kTorchRuntimeSymbol));
  TorchRuntime* runtime = entry != nullptr ? entry(kTorchRuntimeAbi) : nullptr;
  if (runtime == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not this inferd build's libtorch module (no ", kTorchRuntimeSymbol,
                     " for ABI ", kTorchRuntimeAbi, ")"));
  }
  opened.by_path.emplace(path, runtime);
  return runtime;
}

}  // namespace inferd::backend::libtorch
