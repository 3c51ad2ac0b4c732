// The route tables as data: patterns match as documented, and every row of every dialect is
// well-formed and reachable (no row is shadowed by an earlier one).
#include "frontend/http/route_table.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "frontend/http/router.h"
#include "testing/fake_inference_service.h"
#include "testing/route_sample.h"

namespace inferd::frontend::http {
namespace {

TEST(CompiledPatternTest, MatchesLiteralsParametersAndSuffixes) {
  PathParams params;
  EXPECT_TRUE(CompiledPattern("/v2/models/{model}/infer").Match("/v2/models/m%20x/infer", params));
  EXPECT_EQ(params.Get("model"), "m%20x");
  EXPECT_FALSE(CompiledPattern("/v2/models/{model}").Match("/v2/models/m/infer", params));
  EXPECT_FALSE(CompiledPattern("/v2/models/{model}/infer").Match("/v2/models/m", params));
  EXPECT_TRUE(CompiledPattern("/v1/models/{model}:predict").Match("/v1/models/a:predict", params));
  EXPECT_EQ(params.Get("model"), "a");
  EXPECT_FALSE(CompiledPattern("/v1/models/{model}:predict").Match("/v1/models/a:regress", params));
  EXPECT_TRUE(CompiledPattern("/predict/{model}").Match("/predict/", params));
  EXPECT_TRUE(params.Has("model"));
  EXPECT_EQ(params.Get("model"), "");
  EXPECT_TRUE(CompiledPattern("/").Match("/", params));
  EXPECT_FALSE(CompiledPattern("/").Match("/x", params));
  EXPECT_FALSE(CompiledPattern("/v2").Match("v2", params));
  EXPECT_FALSE(CompiledPattern("/v2").Match("", params));
}

TEST(CompiledPatternTest, RecordsPathParameters) {
  EXPECT_EQ(PatternParameters("/v2/models/{model}/versions/{version}/infer"),
            (std::vector<std::string_view>{"model", "version"}));
  EXPECT_EQ(PatternParameters("/v1/models/{model}/labels/{label}:predict"),
            (std::vector<std::string_view>{"model", "label"}));
  EXPECT_TRUE(PatternParameters("/v2/health/live").empty());
}

TEST(RouteTablesTest, EveryRowIsWellFormedAndReachable) {
  testing::FakeInferenceService service;
  Router router(service, DecodeLimits{});
  std::set<std::pair<int, std::string_view>> seen;
  size_t rows = 0;
  for (const Dialect* dialect : AllDialects()) {
    for (const Route& route : dialect->routes) {
      ++rows;
      SCOPED_TRACE(std::string(route.pattern));
      EXPECT_EQ(route.pattern.front(), '/');
      EXPECT_FALSE(route.label.empty());
      EXPECT_FALSE(route.description.empty());
      EXPECT_NE(route.handler, nullptr);
      EXPECT_TRUE(seen.insert({static_cast<int>(route.method), route.pattern}).second)
          << "a duplicate row";
      EXPECT_EQ(router.Find(route.method, Sample(route.pattern)), &route) << "shadowed";
    }
  }
  EXPECT_EQ(rows, 70u);  // a new row is a conscious change: update docs/protocols.md too
}

}  // namespace
}  // namespace inferd::frontend::http
