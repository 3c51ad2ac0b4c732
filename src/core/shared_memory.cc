#include "core/shared_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace inferd::core {
namespace {

constexpr size_t kMaxShmNameLength = 255;  // NAME_MAX of /dev/shm
constexpr size_t kMaxRegionNameLength = 256;

std::string ErrnoText(int error) { return std::strerror(error); }

// The size of the object behind `fd`, or an error naming `key`.
StatusOr<uint64_t> ShmObjectSize(int fd, std::string_view key) {
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid shared memory region: '", std::string(key), "': ", ErrnoText(errno)));
  }
  if (!S_ISREG(info.st_mode) || info.st_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid shared memory region: '", std::string(key), "'"));
  }
  return static_cast<uint64_t>(info.st_size);
}

}  // namespace

Status WriteOutputToSharedMemory(std::string_view output_name, std::span<const std::byte> data,
                                 const SharedMemoryBlock& block) {
  if (data.size() > block.bytes.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("shared memory size specified with the request for output '",
                     std::string(output_name), "' (", block.bytes.size(),
                     " bytes) should be at least ", data.size(), " bytes to hold the results"));
  }
  if (!data.empty()) std::memcpy(block.bytes.data(), data.data(), data.size());
  return absl::OkStatus();
}

Status ValidateSharedMemoryKey(std::string_view key) {
  std::string_view bare = key;
  if (!bare.empty() && bare.front() == '/') bare.remove_prefix(1);
  const bool valid = !bare.empty() && bare.size() <= kMaxShmNameLength && bare != "." &&
                     bare != ".." && bare.find('/') == std::string_view::npos &&
                     bare.find('\0') == std::string_view::npos;
  if (!valid) {
    return absl::InvalidArgumentError(
        "shared memory key must be a POSIX shared memory name ('/name': at most 255 characters, "
        "no other '/', not '.' or '..')");
  }
  return absl::OkStatus();
}

Status ValidateSharedMemoryRegionName(std::string_view name) {
  bool printable = true;
  for (char c : name) printable = printable && c >= 0x20 && c < 0x7f;
  if (name.empty() || name.size() > kMaxRegionNameLength || !printable) {
    return absl::InvalidArgumentError(
        "shared memory region name must be 1 to 256 printable ASCII characters");
  }
  return absl::OkStatus();
}

// One registered region: the open object and the pages that cover [offset, offset + byte_size).
// The descriptor stays open so every use can check the object still covers the region.
class SharedMemoryRegistry::Mapping {
 public:
  Mapping(SharedMemoryRegionStatus status, int fd, void* map, size_t map_length, std::byte* region)
      : status_(std::move(status)), fd_(fd), map_(map), map_length_(map_length), region_(region) {}
  ~Mapping() {
    munmap(map_, map_length_);
    close(fd_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  static StatusOr<std::shared_ptr<Mapping>> Open(SharedMemoryRegionStatus status) {
    const std::string prefix =
        absl::StrCat("failed to register shared memory region '", status.name, "': ");
    if (status.byte_size == 0) return absl::InvalidArgumentError(prefix + "byte_size is 0");
    if (status.offset > UINT64_MAX - status.byte_size) {
      return absl::InvalidArgumentError(prefix + "offset + byte_size overflows");
    }
    std::string key = status.key.front() == '/' ? status.key : "/" + status.key;
    const int fd = shm_open(key.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0);
    if (fd < 0) {
      return absl::InvalidArgumentError(absl::StrCat("Unable to open shared memory region: '",
                                                     status.key, "': ", ErrnoText(errno)));
    }
    auto size = ShmObjectSize(fd, status.key);
    if (size.ok() && status.offset + status.byte_size > *size) {
      size = absl::InvalidArgumentError(
          absl::StrCat(prefix, "offset ", status.offset, " + byte_size ", status.byte_size,
                       " is past the end of '", status.key, "' (", *size, " bytes)"));
    }
    if (!size.ok()) {
      close(fd);
      return size.status();
    }
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t start = status.offset - status.offset % page;
    const uint64_t length = status.offset - start + status.byte_size;
    if (length > SIZE_MAX) {
      close(fd);
      return absl::InvalidArgumentError(prefix + "byte_size exceeds the address space");
    }
    void* map = mmap(nullptr, static_cast<size_t>(length), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                     static_cast<off_t>(start));
    if (map == MAP_FAILED) {
      const int error = errno;
      close(fd);
      return absl::InvalidArgumentError(absl::StrCat(prefix, "mmap: ", ErrnoText(error)));
    }
    auto* region = static_cast<std::byte*>(map) + (status.offset - start);
    return std::make_shared<Mapping>(std::move(status), fd, map, static_cast<size_t>(length),
                                     region);
  }

  const SharedMemoryRegionStatus& status() const { return status_; }

  // [offset, offset + byte_size) of the region, once the object still covers the whole region
  // (a shrunk object would fault on access instead of failing).
  StatusOr<std::span<std::byte>> Slice(uint64_t offset, uint64_t byte_size) const {
    if (offset > status_.byte_size || byte_size > status_.byte_size - offset) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid offset + byte size for shared memory region: '", status_.name, "' (offset ",
          offset, " + byte size ", byte_size, " > region size ", status_.byte_size, ")"));
    }
    ASSIGN_OR_RETURN(const uint64_t size, ShmObjectSize(fd_, status_.key));
    if (size < status_.offset + status_.byte_size) {
      return absl::InvalidArgumentError(absl::StrCat("shared memory region '", status_.name,
                                                     "': the object '", status_.key, "' shrank to ",
                                                     size, " bytes since it was registered"));
    }
    return std::span<std::byte>(region_ + offset, static_cast<size_t>(byte_size));
  }

 private:
  const SharedMemoryRegionStatus status_;
  const int fd_;
  void* const map_;
  const size_t map_length_;
  std::byte* const region_;
};

SharedMemoryRegistry::SharedMemoryRegistry(SharedMemoryOptions options) : options_(options) {}

SharedMemoryRegistry::~SharedMemoryRegistry() = default;

Status SharedMemoryRegistry::Register(std::string_view name, std::string_view key, uint64_t offset,
                                      uint64_t byte_size) {
  RETURN_IF_ERROR(ValidateSharedMemoryRegionName(name));
  RETURN_IF_ERROR(ValidateSharedMemoryKey(key));
  absl::MutexLock lock(&mu_);
  if (regions_.find(name) != regions_.end()) {
    return absl::AlreadyExistsError(
        absl::StrCat("shared memory region '", std::string(name), "' already in manager"));
  }
  if (regions_.size() >= options_.max_regions) {
    return absl::FailedPreconditionError(absl::StrCat(
        "failed to register shared memory region '", std::string(name), "': ", options_.max_regions,
        " regions are registered already (--shared-memory-max-regions)"));
  }
  ASSIGN_OR_RETURN(auto mapping,
                   Mapping::Open({std::string(name), std::string(key), offset, byte_size}));
  regions_.emplace(std::string(name), std::move(mapping));
  return absl::OkStatus();
}

Status SharedMemoryRegistry::Unregister(std::string_view name) {
  std::shared_ptr<Mapping> released;  // unmapped outside the lock when it was the last holder
  absl::MutexLock lock(&mu_);
  auto it = regions_.find(name);
  if (it == regions_.end()) {
    return absl::NotFoundError(
        absl::StrCat("Unable to find system shared memory region: '", std::string(name), "'"));
  }
  released = std::move(it->second);
  regions_.erase(it);
  return absl::OkStatus();
}

void SharedMemoryRegistry::UnregisterAll() {
  std::map<std::string, std::shared_ptr<Mapping>, std::less<>> released;
  absl::MutexLock lock(&mu_);
  released.swap(regions_);
}

StatusOr<std::vector<SharedMemoryRegionStatus>> SharedMemoryRegistry::List(
    std::string_view name) const {
  std::vector<SharedMemoryRegionStatus> out;
  absl::MutexLock lock(&mu_);
  if (name.empty()) {
    for (const auto& [unused, mapping] : regions_) out.push_back(mapping->status());
    return out;
  }
  auto it = regions_.find(name);
  if (it == regions_.end()) {
    return absl::NotFoundError(
        absl::StrCat("Unable to find system shared memory region: '", std::string(name), "'"));
  }
  out.push_back(it->second->status());
  return out;
}

StatusOr<SharedMemoryBlock> SharedMemoryRegistry::Block(std::string_view name, uint64_t offset,
                                                        uint64_t byte_size) const {
  std::shared_ptr<Mapping> mapping;
  {
    absl::MutexLock lock(&mu_);
    auto it = regions_.find(name);
    if (it == regions_.end()) {
      return absl::NotFoundError(
          absl::StrCat("Unable to find system shared memory region: '", std::string(name), "'"));
    }
    mapping = it->second;
  }
  ASSIGN_OR_RETURN(std::span<std::byte> bytes, mapping->Slice(offset, byte_size));
  return SharedMemoryBlock{bytes, std::move(mapping)};
}

}  // namespace inferd::core
