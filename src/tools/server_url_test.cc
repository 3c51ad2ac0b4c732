#include "tools/server_url.h"

#include <gtest/gtest.h>

#include <string>

#include "CLI/CLI.hpp"
#include "tools/perf.h"
#include "tools/smoke.h"

namespace inferd::tools {
namespace {

TEST(ServerUrlTest, GrpcWithoutUrlGoesToPort8001) {
  for (const bool perf : {true, false}) {
    for (const auto& [args, expected] :
         std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"-m", "m"}, "127.0.0.1:8000"},
             {{"-m", "m", "-i", "http"}, "127.0.0.1:8000"},
             {{"-m", "m", "-i", "grpc"}, "localhost:8001"},
             {{"-m", "m", "-i", "grpc", "-u", "h:9"}, "h:9"},
             {{"-m", "m", "-u", "h:9", "-i", "grpc"}, "h:9"},
         }) {
      CLI::App app;
      PerfOptions perf_options;
      SmokeOptions smoke_options;
      if (perf) {
        AddPerfOptions(app, perf_options);
      } else {
        AddSmokeOptions(app, smoke_options);
      }
      std::vector<std::string> argv(args.rbegin(), args.rend());  // CLI11 takes them reversed
      ASSERT_NO_THROW(app.parse(argv));
      EXPECT_EQ(perf ? perf_options.url : smoke_options.url, expected)
          << (perf ? "perf" : "smoke") << " " << args.size();
    }
  }
}

}  // namespace
}  // namespace inferd::tools
