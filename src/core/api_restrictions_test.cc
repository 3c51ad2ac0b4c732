#include "core/api_restrictions.h"

#include <gtest/gtest.h>

#include <map>

namespace inferd::core {
namespace {

StatusOr<ApiRestrictions> Parse(std::vector<std::string> flags) {
  return ApiRestrictions::Parse(flags, "http-restricted-api", "api");
}

TEST(ApiRestrictionsTest, ParsesGroupsAndLowerCasesTheHeader) {
  auto parsed = Parse({"model-repository,statistics:Admin-Key=s3cret", "inference:infer=abc"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_NE(parsed->Find(ApiCategory::kModelRepository), nullptr);
  EXPECT_EQ(parsed->Find(ApiCategory::kModelRepository)->header, "admin-key");
  EXPECT_EQ(parsed->Find(ApiCategory::kStatistics)->value, "s3cret");
  EXPECT_EQ(parsed->Find(ApiCategory::kInference)->header, "infer");
  EXPECT_EQ(parsed->Find(ApiCategory::kHealth), nullptr);
  EXPECT_FALSE(parsed->empty());
  EXPECT_TRUE(Parse({})->empty());
}

TEST(ApiRestrictionsTest, ValueMayHoldColonsAndEquals) {
  auto parsed = Parse({"trace:k=a:b=c"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Find(ApiCategory::kTrace)->value, "a:b=c");
}

TEST(ApiRestrictionsTest, GrpcKeysGetTritonsPrefix) {
  auto parsed = ApiRestrictions::Parse({"health:Key=v"}, "grpc-restricted-protocol", "protocol",
                                       "triton-grpc-protocol-");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Find(ApiCategory::kHealth)->header, "triton-grpc-protocol-key");
}

TEST(ApiRestrictionsTest, RefusesMalformedFlagsWithoutEchoingTheValue) {
  for (const char* bad : {"health", "health:key", ":k=v", "health:=v", "health:k=", "health=k:v",
                          "health,:k=v", "bogus:k=v"}) {
    auto parsed = Parse({bad});
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("--http-restricted-api"), std::string_view::npos);
  }
  auto secret = Parse({"health:k"});
  EXPECT_NE(secret.status().message().find("<key>=<value>"), std::string_view::npos);
  auto leaked = Parse({"health;k=topsecret"});
  EXPECT_EQ(leaked.status().message().find("topsecret"), std::string_view::npos);
  auto unknown = Parse({"metrics:k=v"});
  EXPECT_NE(unknown.status().message().find("unknown restricted api 'metrics'"),
            std::string_view::npos);
}

TEST(ApiRestrictionsTest, ACategoryBelongsToOneGroupOnly) {
  auto parsed = Parse({"health,metadata:a=1", "metadata:b=2"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("restricted api 'metadata' can not be specified in "
                                           "multiple config groups"),
            std::string_view::npos);
}

TEST(ApiRestrictionsTest, CheckNeedsTheExactValue) {
  auto parsed = Parse({"logging:key=value"});
  ASSERT_TRUE(parsed.ok());
  std::map<std::string, std::string, std::less<>> headers;
  auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_TRUE(parsed->Check(ApiCategory::kHealth, lookup).ok());
  Status denied = parsed->Check(ApiCategory::kLogging, lookup);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("'key'"), std::string_view::npos);
  EXPECT_EQ(denied.message().find("value"), std::string_view::npos);
  headers["key"] = "valu";
  EXPECT_FALSE(parsed->Check(ApiCategory::kLogging, lookup).ok());
  headers["key"] = "value!";
  EXPECT_FALSE(parsed->Check(ApiCategory::kLogging, lookup).ok());
  headers["key"] = "value";
  EXPECT_TRUE(parsed->Check(ApiCategory::kLogging, lookup).ok());
}

TEST(ApiRestrictionsTest, NamesRoundTrip) {
  for (ApiCategory category : AllApiCategories()) {
    EXPECT_EQ(ParseApiCategory(ApiCategoryName(category)), category);
  }
  EXPECT_EQ(ApiCategoryName(ApiCategory::kSharedMemory), "shared-memory");
}

}  // namespace
}  // namespace inferd::core
