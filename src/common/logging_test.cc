// Log injection: whatever a client puts in a logged value or message (a model name from a URL, a
// request id), the text format writes one line per call with control characters escaped.
#include "common/logging.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace inferd::logging {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ReadLines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(EscapeControlTest, EscapesC0AndDelOnly) {
  EXPECT_EQ(EscapeControl("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(EscapeControl("\x1b[31mred\x7f\x01"), "\\x1b[31mred\\x7f\\x01");
  EXPECT_EQ(EscapeControl("plain ümlaut \"q\""), "plain ümlaut \"q\"");
  EXPECT_FALSE(HasControl("fine text"));
  EXPECT_TRUE(HasControl("x\n"));
}

TEST(LoggingTextFormatTest, ControlCharactersNeverForgeALine) {
  const fs::path file =
      fs::temp_directory_path() / ("inferd_logging_test_" + std::to_string(std::random_device{}()));
  ASSERT_TRUE(Configure({1, file.string(), "text"}).ok());
  const std::string forged = "m\n2026-01-01T00:00:00.000000Z error [1] forged\r\x1b[2Kx";
  spdlog::info("loaded model '{}'", forged);
  Log(spdlog::level::debug, "inference request received",
      {{"request_id", "id\nERROR fake"}, {"model", "\x1b]0;title\x07"}});
  Log(spdlog::level::info, "message with\nnewline", {});
  spdlog::default_logger()->flush();
  const auto lines = ReadLines(file);
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& line : lines) {
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x07'), std::string::npos) << line;
  }
  EXPECT_NE(lines[0].find("m\\n2026-01-01"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("request_id=\"id\\nERROR fake\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("message with\\nnewline"), std::string::npos) << lines[2];
  ASSERT_TRUE(Configure({}).ok());  // back to stderr, so the file can go
  fs::remove(file);
}

}  // namespace
}  // namespace inferd::logging
