// Helpers for integration tests over HTTP: a server fixture shared by a test suite, JSON parsing
// of responses, and binary-extension request building.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/http_connection.h"
#include "raw_bytes.h"
#include "server_process.h"

namespace inferd::testing {

// One server for the whole suite (start-up loads models; doing it per test would be slow).
class HttpServerSuite : public ::testing::Test {
 protected:
  static void StartServer(const std::vector<std::string>& args) {
    auto started = ServerProcess::Start(args);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = std::move(started).value();
  }
  static void TearDownTestSuite() { server_.reset(); }
  static client::HttpConnection Connect() {
    return client::HttpConnection("127.0.0.1", server_->http_port());
  }
  static inline std::unique_ptr<ServerProcess> server_;
};

inline rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// A binary-extension request: JSON header followed by raw tensor bytes.
struct BinaryBody {
  std::string body;
  std::map<std::string, std::string> headers;
};
inline BinaryBody MakeBinaryBody(const std::string& json_header,
                                 const std::vector<std::string>& tensors) {
  BinaryBody out;
  out.body = json_header;
  for (const auto& t : tensors) out.body += t;
  out.headers["Inference-Header-Content-Length"] = std::to_string(json_header.size());
  out.headers["Content-Type"] = "application/octet-stream";
  return out;
}

}  // namespace inferd::testing
