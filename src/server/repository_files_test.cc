#include "server/repository_files.h"

#include <filesystem>
#include <fstream>
#include <random>

#include "gtest/gtest.h"

namespace inferd::server {
namespace {

namespace fs = std::filesystem;

class RepositoryFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("inferd_files_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_ / "m" / "2");
    std::ofstream(root_ / "m" / "labels.txt") << "a\nb\n";
    std::ofstream(root_ / "m" / "2" / "pipeline.json") << "{}";
    std::ofstream(root_ / "secret.txt") << "outside";
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(RepositoryFilesTest, ReadsModelAndVersionFiles) {
  RepositoryFiles files({(root_ / "missing").string(), root_.string()});
  EXPECT_EQ(*files.Read("m", 0, "labels.txt"), "a\nb\n");
  EXPECT_EQ(*files.Read("m", 2, "pipeline.json"), "{}");
  EXPECT_EQ(files.Read("m", 0, "pipeline.json").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(files.Read("m", 1, "pipeline.json").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(files.Read("other", 0, "labels.txt").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(RepositoryFilesTest, NothingOutsideTheModelDirectory) {
  RepositoryFiles files({root_.string()});
  EXPECT_EQ(files.Read("m", 0, "../secret.txt").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Read("m", 0, (root_ / "secret.txt").string()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Read("..", 0, "secret.txt").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Read("m/../..", 0, "x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Read("m", 0, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(files.Read("m", 0, "2").status().code(), absl::StatusCode::kNotFound);  // a folder
}

TEST_F(RepositoryFilesTest, LinksOutOfTheRepositoryAreRefusedUnlessAllowed) {
  const fs::path outside = root_.string() + "_outside.txt";  // beside the repository
  std::ofstream(outside) << "outside";
  fs::create_symlink(outside, root_ / "m" / "linked.txt");
  fs::create_symlink(root_ / "secret.txt", root_ / "m" / "inside.txt");  // stays inside: fine
  const auto refused = RepositoryFiles({root_.string()}).Read("m", 0, "linked.txt");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(refused.status().message()).find("_outside"), std::string::npos);
  EXPECT_EQ(*RepositoryFiles({root_.string()}).Read("m", 0, "inside.txt"), "outside");
  EXPECT_EQ(*RepositoryFiles({root_.string()}, /*allow_outside=*/true).Read("m", 0, "linked.txt"),
            "outside");
  fs::remove(outside);
}

}  // namespace
}  // namespace inferd::server
