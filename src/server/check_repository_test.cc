#include "server/check_repository.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace inferd::server {
namespace {

using lifecycle::CheckVerdict;
using ::testing::HasSubstr;

lifecycle::CheckReport SampleReport() {
  lifecycle::CheckReport report;
  report.rows.push_back({"good", "1", "onnxruntime", CheckVerdict::kOk, {}});
  report.rows.push_back({"py", "", "", CheckVerdict::kFail, {"backend 'python' is not supported"}});
  report.rows.push_back({"w",
                         "2",
                         "onnxruntime",
                         CheckVerdict::kWarn,
                         {"w/config.pbtxt:3:1: metric_tags is ignored: x", "second \"reason\""}});
  return report;
}

TEST(CheckRepositoryFormatTest, TableHasOneRowPerVersionAndContinuationLines) {
  const std::string table = FormatCheckTable(SampleReport(), false);
  EXPECT_THAT(table, HasSubstr("MODEL  VERSION  BACKEND      STATUS  REASON\n"));
  EXPECT_THAT(table, HasSubstr("good   1        onnxruntime  OK      \n"));
  EXPECT_THAT(table, HasSubstr("py     -        -            FAIL    backend 'python'"));
  EXPECT_THAT(table, HasSubstr("\n                                     second \"reason\"\n"));
  EXPECT_THAT(table, HasSubstr("2 of 3 rows load; 1 do not"));
  EXPECT_THAT(table, HasSubstr("--load opens them"));
  EXPECT_THAT(FormatCheckTable(SampleReport(), true), ::testing::Not(HasSubstr("--load")));
}

TEST(CheckRepositoryFormatTest, JsonCarriesEveryRow) {
  rapidjson::Document doc;
  const std::string json = FormatCheckJson(SampleReport(), true);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_FALSE(doc["ok"].GetBool());
  EXPECT_TRUE(doc["opened"].GetBool());
  ASSERT_EQ(doc["models"].Size(), 3u);
  EXPECT_STREQ(doc["models"][1]["status"].GetString(), "FAIL");
  EXPECT_STREQ(doc["models"][2]["reasons"][1].GetString(), "second \"reason\"");
}

}  // namespace
}  // namespace inferd::server
