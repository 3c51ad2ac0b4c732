// The system shared-memory extension's regions: a client creates a POSIX shared-memory object,
// registers (name, key, offset, byte_size) and then names the region in inference requests, so
// tensor bytes cross no socket. The registry maps each region once, at registration; front ends
// resolve a tensor's (region, offset, byte_size) to a block of that mapping.
//
// Hostile use: keys are plain shm names ("/name" or "name": no further '/', not "." or ".."),
// region names are bounded printable strings, offsets and sizes are checked against the object's
// size at registration and against the region at every use. Each block keeps its mapping alive
// (shared_ptr), so unregistering a region that in-flight requests read or write unmaps it only
// once the last of them is done. The object's size is checked again at every use: a client that
// shrinks it after registering gets an error, not a fault, unless it shrinks it during the
// request (docs/security.md).
//
// Thread-safe: every method may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status.h"

namespace inferd::core {

struct SharedMemoryOptions {
  // Registrations beyond this are refused (FailedPrecondition: unregister one first).
  size_t max_regions = 64;
};

struct SharedMemoryRegionStatus {
  std::string name;
  std::string key;
  uint64_t offset = 0;
  uint64_t byte_size = 0;
};

// Bytes of one registered region. `owner` keeps the mapping alive; `bytes` is writable (the
// server writes outputs there) and shared with the client's process.
struct SharedMemoryBlock {
  std::span<std::byte> bytes;
  std::shared_ptr<const void> owner;
};

// Copies `output`'s bytes to the start of `block`; InvalidArgument (Triton's message) when the
// block is smaller than the output.
Status WriteOutputToSharedMemory(std::string_view output_name, std::span<const std::byte> data,
                                 const SharedMemoryBlock& block);

// InvalidArgument unless `key` is a plain POSIX shm name.
Status ValidateSharedMemoryKey(std::string_view key);
// InvalidArgument unless `name` is 1..256 printable ASCII characters.
Status ValidateSharedMemoryRegionName(std::string_view name);

class SharedMemoryRegistry {
 public:
  explicit SharedMemoryRegistry(SharedMemoryOptions options = {});
  ~SharedMemoryRegistry();
  SharedMemoryRegistry(const SharedMemoryRegistry&) = delete;
  SharedMemoryRegistry& operator=(const SharedMemoryRegistry&) = delete;

  // Opens `key` and maps [offset, offset + byte_size) of it. AlreadyExists for a name in use,
  // InvalidArgument for a bad name, key, size or range, FailedPrecondition over max_regions.
  Status Register(std::string_view name, std::string_view key, uint64_t offset, uint64_t byte_size);
  // NotFound for an unknown name. The mapping goes once no in-flight request holds it.
  Status Unregister(std::string_view name);
  void UnregisterAll();
  // Every region, by name (`name` empty), or the one named; NotFound when it is not registered.
  StatusOr<std::vector<SharedMemoryRegionStatus>> List(std::string_view name) const;

  // The block [offset, offset + byte_size) of region `name`. NotFound for an unknown region,
  // InvalidArgument when the range is not inside the region or the object shrank below it.
  StatusOr<SharedMemoryBlock> Block(std::string_view name, uint64_t offset,
                                    uint64_t byte_size) const;

 private:
  class Mapping;
  const SharedMemoryOptions options_;
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<Mapping>, std::less<>> regions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace inferd::core
