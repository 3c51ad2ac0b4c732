#include "repository/repository_scanner.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace inferd::repository {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A fresh directory (mkdtemp: unique even when tests run in parallel), removed at the end.
class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::path(testing::TempDir()) / "inferd_scan_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void Touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x";
  }
  fs::path dir_;
};

TEST_F(ScannerTest, FindsModelsVersionsAndConfig) {
  const fs::path root = dir_ / "repo";
  Touch(root / "simple" / "config.pbtxt");
  Touch(root / "simple" / "1" / "model.onnx");
  Touch(root / "simple" / "3" / "model.onnx");
  fs::create_directories(root / "noconfig" / "2");

  auto models = ScanRepositories({root});
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_EQ(models->size(), 2u);
  const ModelDir& noconfig = (*models)[0];
  const ModelDir& simple = (*models)[1];
  EXPECT_EQ(noconfig.name, "noconfig");
  EXPECT_FALSE(noconfig.config_file.has_value());
  EXPECT_EQ(simple.name, "simple");
  EXPECT_TRUE(simple.status.ok());
  ASSERT_TRUE(simple.config_file.has_value());
  EXPECT_EQ(*simple.config_file, root / "simple" / "config.pbtxt");
  ASSERT_EQ(simple.versions.size(), 2u);
  EXPECT_EQ(simple.versions.begin()->first, 1);
  EXPECT_EQ(simple.versions.rbegin()->first, 3);
  EXPECT_EQ(simple.versions.at(3), root / "simple" / "3");
}

TEST_F(ScannerTest, SkipsHiddenFilesAndNonNumericVersions) {
  const fs::path root = dir_ / "repo";
  fs::create_directories(root / ".git" / "1");
  Touch(root / "README.md");
  for (const char* v : {"1", "0", "01", "abc", "2a", ".5", "10"}) {
    fs::create_directories(root / "m" / v);
  }
  Touch(root / "m" / "7");  // a file, not a version folder
  auto models = ScanRepositories({root});
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_EQ(models->size(), 1u);
  const ModelDir& m = (*models)[0];
  EXPECT_EQ(m.name, "m");
  std::vector<int64_t> versions;
  for (const auto& [v, path] : m.versions) versions.push_back(v);
  EXPECT_THAT(versions, ElementsAre(1, 10));
}

TEST_F(ScannerTest, DuplicateNameAcrossRootsIsAPerModelError) {
  fs::create_directories(dir_ / "a" / "dup" / "1");
  fs::create_directories(dir_ / "b" / "dup" / "1");
  fs::create_directories(dir_ / "b" / "ok" / "1");
  auto models = ScanRepositories({dir_ / "a", dir_ / "b"});
  ASSERT_TRUE(models.ok()) << models.status();
  ASSERT_EQ(models->size(), 2u);
  EXPECT_EQ((*models)[0].name, "dup");
  EXPECT_EQ((*models)[0].status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string((*models)[0].status.message()),
              HasSubstr("more than one model repository"));
  EXPECT_THAT(std::string((*models)[0].status.message()), HasSubstr((dir_ / "a").string()));
  EXPECT_THAT(std::string((*models)[0].status.message()), HasSubstr((dir_ / "b").string()));
  EXPECT_EQ((*models)[1].name, "ok");
  EXPECT_TRUE((*models)[1].status.ok());
}

TEST_F(ScannerTest, MissingRootIsAnError) {
  auto models = ScanRepositories({dir_ / "absent"});
  ASSERT_FALSE(models.ok());
  EXPECT_THAT(std::string(models.status().message()), HasSubstr("absent"));
  Touch(dir_ / "file");
  EXPECT_FALSE(ScanRepositories({dir_ / "file"}).ok());
}

TEST(ValidateModelName, RejectsNamesLeavingTheRepository) {
  EXPECT_TRUE(ValidateModelName("resnet50").ok());
  EXPECT_TRUE(ValidateModelName("my.model-v2").ok());
  EXPECT_FALSE(ValidateModelName("").ok());
  EXPECT_FALSE(ValidateModelName(".").ok());
  EXPECT_FALSE(ValidateModelName("..").ok());
  EXPECT_FALSE(ValidateModelName("../x").ok());
  EXPECT_FALSE(ValidateModelName("a/b").ok());
  EXPECT_FALSE(ValidateModelName("a\\b").ok());
  EXPECT_FALSE(ValidateModelName(std::string_view("a\0b", 3)).ok());
}

TEST(ModelFilePath, UsesTheConfiguredFileNameOrTheVersionFolder) {
  ModelDir m;
  m.name = "m";
  m.path = "/repo/m";
  m.versions[2] = "/repo/m/2";
  ::inference::ModelConfig config;
  EXPECT_EQ(ModelFilePath(m, 2, config), fs::path("/repo/m/2"));  // a backend without a file
  config.set_default_model_filename("net.onnx");
  EXPECT_EQ(ModelFilePath(m, 2, config), fs::path("/repo/m/2/net.onnx"));
  EXPECT_EQ(ModelFilePath(m, 5, config), fs::path("/repo/m/5/net.onnx"));
}

}  // namespace
}  // namespace inferd::repository
