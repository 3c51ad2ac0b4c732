#include "server/triton_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace inferd::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A few of inferd's own serve options, as main() reads them from the option parser.
const ServeFlagTable kInferdFlags = {
    {"--model-repository", true},
    {"--model-store", true},
    {"--http-port", true},
    {"--grpc-port", true},
    {"--http-threads", true},
    {"--max-inflight", true},
    {"--allow-http", true},
    {"--allow-grpc", true},
    {"--id", true},
    {"--trace-count", true},
    {"--disable-auto-complete-config", false},
    {"--help", false},
};

StatusOr<RewrittenArgs> Rewrite(const std::vector<std::string>& args,
                                std::string_view default_id = "") {
  return RewriteTritonArgs(args, kInferdFlags, default_id);
}

TEST(TritonFlagsTest, KServeServingRuntimeArguments) {
  auto out = Rewrite({"--model-store=/mnt/models", "--grpc-port=9000", "--http-port=8080",
                      "--allow-grpc=true", "--allow-http=true"},
                     "triton");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->args,
              ElementsAre("--model-store=/mnt/models", "--grpc-port=9000", "--http-port=8080",
                          "--allow-grpc=true", "--allow-http=true", "--id=triton"));
  EXPECT_THAT(out->warnings, IsEmpty());
}

TEST(TritonFlagsTest, SeparateValuesBecomeEqualsForm) {
  auto out = Rewrite({"--model-repository", "/m", "--trace-count", "-1", "--max-inflight", "8"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->args,
              ElementsAre("--model-repository=/m", "--trace-count=-1", "--max-inflight=8"));
}

TEST(TritonFlagsTest, ExplicitIdWinsOverTheDefault) {
  auto out = Rewrite({"--id", "edge-7"}, "triton");
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->args, ElementsAre("--id=edge-7"));
  auto plain = Rewrite({});
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT(plain->args, IsEmpty());  // inferd's own default name applies
}

TEST(TritonFlagsTest, BooleansAsTritonReadsThem) {
  for (const char* v : {"true", "TRUE", "1", "on", "On"}) {
    auto out = Rewrite({std::string("--allow-http=") + v});
    ASSERT_TRUE(out.ok()) << v;
    EXPECT_THAT(out->args, ElementsAre("--allow-http=true")) << v;
  }
  for (const char* v : {"false", "False", "0", "off", "OFF"}) {
    auto out = Rewrite({"--exit-on-error", v});
    ASSERT_TRUE(out.ok()) << v;
    EXPECT_THAT(out->args, ElementsAre("--exit-on-error=false")) << v;
  }
  auto bad = Rewrite({"--allow-grpc=maybe"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--allow-grpc"));
}

TEST(TritonFlagsTest, MappedFlags) {
  auto out =
      Rewrite({"--model-control-mode=POLL", "--http-thread-count", "3", "--log-format=ISO8601",
               "--log-verbose=true", "--strict-model-config=true", "--load-model=*"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->args,
              ElementsAre("--model-control-mode=poll", "--http-threads=3", "--log-format=text",
                          "--log-verbose=1", "--disable-auto-complete-config", "--load-model=*"));
  auto lax = Rewrite({"--strict-model-config=false", "--log-format", "default"});
  ASSERT_TRUE(lax.ok());
  EXPECT_THAT(lax->args, ElementsAre("--log-format=text"));
  EXPECT_FALSE(Rewrite({"--log-format=xml"}).ok());
  EXPECT_FALSE(Rewrite({"--log-verbose=loud"}).ok());
}

TEST(TritonFlagsTest, UnimplementedTritonFlagsAreWarnedAboutAndDropped) {
  auto out = Rewrite(
      {"--reuse-grpc-port=false", "--pinned-memory-pool-byte-size", "268435456", "--http-port=1"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->args, ElementsAre("--http-port=1"));
  ASSERT_EQ(out->warnings.size(), 2u);
  EXPECT_THAT(out->warnings[0], HasSubstr("--reuse-grpc-port"));
  EXPECT_THAT(out->warnings[1], HasSubstr("--pinned-memory-pool-byte-size"));
}

TEST(TritonFlagsTest, AcceptedFlagsWithoutEffectAreNoted) {
  auto out = Rewrite({"--metrics-interval-ms=500", "--backend-config=onnxruntime,threads=2"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_THAT(out->args, ElementsAre("--backend-config=onnxruntime,threads=2"));
  ASSERT_EQ(out->notes.size(), 1u);
  EXPECT_THAT(out->notes[0], HasSubstr("--metrics-interval-ms"));
  EXPECT_FALSE(Rewrite({"--metrics-interval-ms=soon"}).ok());
  EXPECT_FALSE(Rewrite({"--backend-config=onnxruntime"}).ok());
}

TEST(TritonFlagsTest, UnknownFlagSuggestsTheNearest) {
  auto out = Rewrite({"--http-prot=8000"});
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(out.status()));
  EXPECT_THAT(out.status().message(), HasSubstr("unknown option --http-prot"));
  EXPECT_THAT(out.status().message(), HasSubstr("did you mean --http-port?"));
  auto inferd_only = Rewrite({"--max-inflite", "3"});
  ASSERT_FALSE(inferd_only.ok());
  EXPECT_THAT(inferd_only.status().message(), HasSubstr("--max-inflight"));
}

TEST(TritonFlagsTest, MissingValueIsAnError) {
  auto out = Rewrite({"--http-port"});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("needs a value"));
}

TEST(TritonFlagsTest, NonOptionsPassToTheParser) {
  auto out = Rewrite({"-h", "stray", "--disable-auto-complete-config"});
  ASSERT_TRUE(out.ok());
  EXPECT_THAT(out->args, ElementsAre("-h", "stray", "--disable-auto-complete-config"));
}

TEST(TritonFlagsTest, ClassifiesInvocations) {
  auto triton = ClassifyCommandLine({"/opt/bin/tritonserver", "--model-store=/m"});
  EXPECT_EQ(triton.invocation, Invocation::kTritonServer);
  EXPECT_THAT(triton.serve_args, ElementsAre("--model-store=/m"));
  auto argument = ClassifyCommandLine({"inferd", "tritonserver", "--model-store=/m"});
  EXPECT_EQ(argument.invocation, Invocation::kTritonServer);
  EXPECT_THAT(argument.serve_args, ElementsAre("--model-store=/m"));
  auto bare = ClassifyCommandLine({"inferd", "--model-repository", "/m"});
  EXPECT_EQ(bare.invocation, Invocation::kServe);
  EXPECT_THAT(bare.serve_args, ElementsAre("--model-repository", "/m"));
  auto serve = ClassifyCommandLine({"inferd", "serve", "--http-port=1"});
  EXPECT_EQ(serve.invocation, Invocation::kServe);
  EXPECT_THAT(serve.serve_args, ElementsAre("--http-port=1"));
  for (const std::vector<std::string>& argv : {std::vector<std::string>{"inferd"},
                                               {"inferd", "--version"},
                                               {"inferd", "--help"},
                                               {"inferd", "perf", "-m", "x"},
                                               {"inferd", "health"}}) {
    EXPECT_EQ(ClassifyCommandLine(argv).invocation, Invocation::kSubcommand) << argv.back();
  }
}

TEST(TritonFlagsTest, EveryTritonFlagHasADisposition) {
  const auto flags = TritonFlagDispositions();
  EXPECT_GT(flags.size(), 80u);
  EXPECT_EQ(flags.at("model-store"), "implemented");
  EXPECT_EQ(flags.at("http-thread-count"), "mapped");
  EXPECT_EQ(flags.at("grpc-use-ssl"), "implemented");
  EXPECT_EQ(flags.at("reuse-grpc-port"), "ignored");
}

TEST(TritonFlagsTest, DocumentationTableNamesEveryTritonFlag) {
  std::ifstream file(std::string(INFERD_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (const auto& [flag, disposition] : TritonFlagDispositions()) {
    EXPECT_NE(text.str().find("`--" + flag + "`"), std::string::npos)
        << "docs/configuration.md does not list --" << flag << " (" << disposition << ")";
  }
}

TEST(TritonFlagsTest, EditDistance) {
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("http-port", "http-port"), 0u);
}

}  // namespace
}  // namespace inferd::server
