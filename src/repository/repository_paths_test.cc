// Symbolic links out of the repository: files and folders that resolve outside it are refused
// (unless allowed), links that stay inside keep working, and a refusal never names the target.
#include "repository/repository_paths.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "repository/repository_scanner.h"

namespace inferd::repository {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

class RepositoryPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::path(testing::TempDir()) / "inferd_paths_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    repo_ = dir_ / "repo";
    fs::create_directories(repo_ / "m" / "1");
    Write(repo_ / "m" / "labels.txt", "cat\ndog\n");
    Write(dir_ / "secret.txt", "outside");
    fs::create_directories(dir_ / "elsewhere" / "1");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  fs::path dir_;
  fs::path repo_;
};

TEST_F(RepositoryPathsTest, ReadsFilesAndLinksThatStayInside) {
  const RepositoryRoot root{repo_};
  EXPECT_EQ(*ReadRepositoryFile(root, repo_ / "m" / "labels.txt", 1024), "cat\ndog\n");
  fs::create_symlink("labels.txt", repo_ / "m" / "inside_link.txt");
  EXPECT_EQ(*ReadRepositoryFile(root, repo_ / "m" / "inside_link.txt", 1024), "cat\ndog\n");
  EXPECT_EQ(ReadRepositoryFile(root, repo_ / "m" / "none.txt", 1024).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(ReadRepositoryFile(root, repo_ / "m" / "labels.txt", 4).ok());  // too large
}

TEST_F(RepositoryPathsTest, RefusesFilesLinkedOutsideUnlessAllowed) {
  const fs::path link = repo_ / "m" / "labels_out.txt";
  fs::create_symlink(dir_ / "secret.txt", link);
  const auto refused = ReadRepositoryFile({repo_}, link, 1024);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("resolves outside the model repository"));
  EXPECT_THAT(std::string(refused.status().message()), Not(HasSubstr("secret")));
  EXPECT_EQ(*ReadRepositoryFile({repo_, /*allow_outside=*/true}, link, 1024), "outside");
  // `..` is no way around it either.
  EXPECT_FALSE(ReadRepositoryFile({repo_}, repo_ / "m" / ".." / ".." / "secret.txt", 1024).ok());
}

TEST_F(RepositoryPathsTest, ScannerRefusesModelAndVersionFoldersLinkedOutside) {
  fs::create_symlink(dir_ / "elsewhere", repo_ / "linked_model");
  fs::create_directories(repo_ / "v" / "1");
  fs::create_symlink(dir_ / "elsewhere" / "1", repo_ / "v" / "2");
  fs::create_symlink(repo_ / "m", repo_ / "alias");  // stays inside: fine
  auto dirs = ScanRepositories({repo_});
  ASSERT_TRUE(dirs.ok());
  std::map<std::string, Status> status;
  for (const auto& d : *dirs) status[d.name] = d.status;
  EXPECT_TRUE(status["m"].ok());
  EXPECT_TRUE(status["alias"].ok()) << status["alias"];
  EXPECT_THAT(std::string(status["linked_model"].message()), HasSubstr("outside the model"));
  EXPECT_THAT(std::string(status["v"].message()), HasSubstr("'v/2' resolves outside"));
  auto allowed = ScanRepositories({repo_}, /*allow_outside=*/true);
  ASSERT_TRUE(allowed.ok());
  for (const auto& d : *allowed) EXPECT_TRUE(d.status.ok()) << d.name << ": " << d.status;
}

}  // namespace
}  // namespace inferd::repository
