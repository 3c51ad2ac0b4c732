#include "server/process_tuning.h"

#include <malloc.h>
#include <stdlib.h>

#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"

namespace inferd::server {
namespace {

// mallinfo2().hblks counts the blocks malloc serves by mmap: a 1 MiB buffer (a large request
// message) must come from the heap once tuned, so that freeing it does not unmap its pages.
size_t MmappedBlocksAfterAllocating(size_t bytes) {
  void* block = std::malloc(bytes);
  std::memset(block, 1, bytes);
  const size_t mmapped = mallinfo2().hblks;
  std::free(block);
  return mmapped;
}

// The sanitizers replace glibc's malloc: mallopt and mallinfo2 do not reach it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kGlibcMalloc = false;
#else
constexpr bool kGlibcMalloc = true;
#endif

TEST(MallocTuningTest, LargeMessagesComeFromTheHeap) {
  if (!kGlibcMalloc) GTEST_SKIP() << "malloc is the sanitizer's";
  ASSERT_EQ(unsetenv("GLIBC_TUNABLES"), 0);
  ASSERT_TRUE(TuneMallocForLargeMessages());
  const size_t before = mallinfo2().hblks;
  EXPECT_EQ(MmappedBlocksAfterAllocating(size_t{1} << 20), before);
  EXPECT_EQ(MmappedBlocksAfterAllocating(size_t{16} << 20), before);
}

TEST(MallocTuningTest, AnOperatorsMallocTunablesWin) {
  if (!kGlibcMalloc) GTEST_SKIP() << "malloc is the sanitizer's";
  ASSERT_EQ(setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=1", 1), 0);
  EXPECT_FALSE(TuneMallocForLargeMessages());
  ASSERT_EQ(unsetenv("GLIBC_TUNABLES"), 0);
}

}  // namespace
}  // namespace inferd::server
