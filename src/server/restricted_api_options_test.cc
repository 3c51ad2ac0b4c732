#include "server/restricted_api_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace inferd::server {
namespace {

// The CLI error message, or "" when the command line parses.
std::string ParseError(std::vector<std::string> args, ServeOptions* out = nullptr) {
  CLI::App app;
  ServeOptions options;
  AddServeOptions(app, options);
  std::vector<const char*> argv = {"serve", "--model-repository=/tmp"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  if (out != nullptr) *out = options;
  return "";
}

TEST(RestrictedApiOptionsTest, RepeatableGroupsReachBothFrontEnds) {
  ServeOptions options;
  ASSERT_EQ(ParseError(
                {"--http-restricted-api=model-repository,logging:admin=s3", "--http-restricted-api",
                 "inference:infer=i", "--grpc-restricted-protocol=model-repository:Admin=s3"},
                &options),
            "");
  EXPECT_EQ(options.http_restricted_apis.size(), 2u);
  auto restricted = ParseRestrictedApis(options);
  ASSERT_TRUE(restricted.ok()) << restricted.status();
  EXPECT_EQ(restricted->http.Find(core::ApiCategory::kLogging)->header, "admin");
  EXPECT_EQ(restricted->http.Find(core::ApiCategory::kInference)->value, "i");
  EXPECT_EQ(restricted->grpc.Find(core::ApiCategory::kModelRepository)->header,
            "triton-grpc-protocol-admin");
  EXPECT_EQ(restricted->grpc.Find(core::ApiCategory::kLogging), nullptr);
}

TEST(RestrictedApiOptionsTest, MalformedGroupsAreUsageErrorsThatKeepTheValueSecret) {
  EXPECT_NE(ParseError({"--http-restricted-api=model-repository"}).find("<key>=<value>"),
            std::string::npos);
  EXPECT_NE(ParseError({"--http-restricted-api=metrics:k=v"}).find("unknown restricted api"),
            std::string::npos);
  EXPECT_NE(ParseError({"--grpc-restricted-protocol=bogus:k=v"})
                .find("unknown restricted protocol 'bogus'"),
            std::string::npos);
  EXPECT_EQ(ParseError({"--http-restricted-api=health:k"}).find("health:k"), std::string::npos);
}

TEST(RestrictedApiOptionsTest, ACategoryInTwoGroupsIsRefusedAtStartUp) {
  ServeOptions options;
  ASSERT_EQ(ParseError({"--http-restricted-api=health:a=1", "--http-restricted-api=health:b=2"},
                       &options),
            "");
  auto restricted = ParseRestrictedApis(options);
  ASSERT_FALSE(restricted.ok());
  EXPECT_NE(restricted.status().message().find("can not be specified in multiple config groups"),
            std::string_view::npos);
}

}  // namespace
}  // namespace inferd::server
