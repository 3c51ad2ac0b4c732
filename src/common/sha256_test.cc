#include "common/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

namespace inferd {
namespace {

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileMatchesContentDigestAndMissingFileIsNotFound) {
  const auto path = std::filesystem::temp_directory_path() / "inferd_sha256_test.bin";
  std::string content(200000, 'x');  // spans several read chunks
  std::ofstream(path, std::ios::binary) << content;
  auto digest = Sha256File(path);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, Sha256Hex(content));
  std::filesystem::remove(path);
  EXPECT_EQ(Sha256File(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace inferd
