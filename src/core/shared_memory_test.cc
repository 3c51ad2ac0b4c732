#include "core/shared_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace inferd::core {
namespace {

// A POSIX shm object of `size` bytes, removed at the end of the test.
class ShmObject {
 public:
  explicit ShmObject(size_t size)
      : key_(absl::StrCat("/inferd_shm_test_", getpid(), "_", counter_++)) {
    const int fd = shm_open(key_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
    close(fd);
  }
  ~ShmObject() { shm_unlink(key_.c_str()); }
  const std::string& key() const { return key_; }
  void Resize(size_t size) const {
    const int fd = shm_open(key_.c_str(), O_RDWR, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
    close(fd);
  }

 private:
  static inline int counter_ = 0;
  std::string key_;
};

TEST(SharedMemoryKeyTest, AcceptsPlainNamesOnly) {
  EXPECT_TRUE(ValidateSharedMemoryKey("/input").ok());
  EXPECT_TRUE(ValidateSharedMemoryKey("input_0").ok());
  for (const char* bad : {"", "/", "../x", "/x/y", "x/y", "/..", "..", ".", "/."}) {
    EXPECT_FALSE(ValidateSharedMemoryKey(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateSharedMemoryKey(std::string(300, 'a')).ok());
  EXPECT_FALSE(ValidateSharedMemoryKey(std::string("a\0b", 3)).ok());
}

TEST(SharedMemoryRegionNameTest, Bounded) {
  EXPECT_TRUE(ValidateSharedMemoryRegionName("output_data").ok());
  EXPECT_FALSE(ValidateSharedMemoryRegionName("").ok());
  EXPECT_FALSE(ValidateSharedMemoryRegionName(std::string(257, 'a')).ok());
  EXPECT_FALSE(ValidateSharedMemoryRegionName("a\nb").ok());
}

TEST(SharedMemoryRegistryTest, RegisterReadWriteUnregister) {
  ShmObject object(8192);
  SharedMemoryRegistry registry;
  ASSERT_TRUE(registry.Register("r", object.key(), 4100, 64).ok());
  auto block = registry.Block("r", 8, 16);
  ASSERT_TRUE(block.ok()) << block.status();
  ASSERT_EQ(block->bytes.size(), 16u);
  std::memset(block->bytes.data(), 0x5a, 16);

  // The bytes land in the object at offset 4100 + 8.
  const int fd = shm_open(object.key().c_str(), O_RDONLY, 0);
  ASSERT_GE(fd, 0);
  unsigned char byte = 0;
  ASSERT_EQ(pread(fd, &byte, 1, 4108), 1);
  close(fd);
  EXPECT_EQ(byte, 0x5a);

  auto listed = registry.List("");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, object.key());
  EXPECT_EQ((*listed)[0].offset, 4100u);
  EXPECT_EQ((*listed)[0].byte_size, 64u);
  EXPECT_TRUE(registry.Unregister("r").ok());
  EXPECT_TRUE(registry.List("")->empty());
}

TEST(SharedMemoryRegistryTest, RefusesBadRegistrations) {
  ShmObject object(100);
  SharedMemoryRegistry registry(SharedMemoryOptions{.max_regions = 2});
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", "../x", 0, 10)));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", "/x/y", 0, 10)));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", object.key(), 90, 11)));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", object.key(), 0, 0)));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", object.key(), UINT64_MAX, 2)));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Register("a", "/inferd_no_such_object", 0, 1)));
  ASSERT_TRUE(registry.Register("a", object.key(), 0, 100).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(registry.Register("a", object.key(), 0, 100)));
  ASSERT_TRUE(registry.Register("b", object.key(), 0, 100).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(registry.Register("c", object.key(), 0, 100)));
  EXPECT_TRUE(absl::IsNotFound(registry.Unregister("nope")));
  EXPECT_TRUE(absl::IsNotFound(registry.List("nope").status()));
  registry.UnregisterAll();
  EXPECT_TRUE(registry.List("")->empty());
}

TEST(SharedMemoryRegistryTest, BlocksAreBoundsChecked) {
  ShmObject object(100);
  SharedMemoryRegistry registry;
  ASSERT_TRUE(registry.Register("r", object.key(), 10, 50).ok());
  EXPECT_TRUE(registry.Block("r", 0, 50).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Block("r", 1, 50).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Block("r", 51, 0).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Block("r", UINT64_MAX, 2).status()));
  EXPECT_TRUE(absl::IsNotFound(registry.Block("x", 0, 1).status()));
  // A client that shrinks the object gets an error, not a fault.
  object.Resize(20);
  EXPECT_TRUE(absl::IsInvalidArgument(registry.Block("r", 0, 1).status()));
}

TEST(SharedMemoryRegistryTest, InFlightBlockOutlivesUnregister) {
  ShmObject object(4096);
  SharedMemoryRegistry registry;
  ASSERT_TRUE(registry.Register("r", object.key(), 0, 4096).ok());
  auto block = registry.Block("r", 0, 4096);
  ASSERT_TRUE(block.ok());
  ASSERT_TRUE(registry.Unregister("r").ok());
  EXPECT_TRUE(absl::IsNotFound(registry.Block("r", 0, 1).status()));
  // Still mapped: writing through the in-flight block is safe (ASan would flag an unmapped page
  // as a fault, and so would the kernel).
  std::memset(block->bytes.data(), 1, block->bytes.size());
  EXPECT_EQ(static_cast<int>(block->bytes[4095]), 1);
  // The name is free again while the old mapping lives on.
  EXPECT_TRUE(registry.Register("r", object.key(), 0, 16).ok());
}

}  // namespace
}  // namespace inferd::core
