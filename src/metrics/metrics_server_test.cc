#include "metrics/metrics_server.h"

#include <gtest/gtest.h>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "testing/format_checker.h"

namespace inferd::metrics {
namespace {

namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Two requests on one keep-alive connection.
std::vector<bhttp::response<bhttp::string_body>> Fetch(int port, bhttp::verb method,
                                                       const std::string& first,
                                                       const std::string& second) {
  boost::asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  boost::beast::flat_buffer buffer;
  std::vector<bhttp::response<bhttp::string_body>> out;
  for (const std::string& target : {first, second}) {
    bhttp::request<bhttp::string_body> request(method, target, 11);
    request.set(bhttp::field::host, "localhost");
    bhttp::write(socket, request);
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    out.push_back(std::move(response));
  }
  return out;
}

TEST(MetricsServerTest, ServesTheRegistryOnGetMetrics) {
  Registry registry;
  Gauge gauge;
  gauge.Set(7);
  registry.Add([&gauge](std::vector<MetricFamily>& out) {
    out.push_back(Family("g", "A gauge.", MetricType::kGauge));
    AddSample(out.back(), {}, static_cast<double>(gauge.Value()));
  });
  MetricsServer server(registry, {"127.0.0.1", 0});
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  auto responses = Fetch(*port, bhttp::verb::get, "/metrics", "/other");
  EXPECT_EQ(responses[0].result_int(), 200);
  EXPECT_EQ(responses[0][bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(responses[0].body(), "# HELP g A gauge.\n# TYPE g gauge\ng 7\n");
  EXPECT_TRUE(ParseExposition(responses[0].body()).ok());
  EXPECT_EQ(responses[1].result_int(), 404);
  auto posted = Fetch(*port, bhttp::verb::post, "/metrics", "/metrics");
  EXPECT_EQ(posted[0].result_int(), 405);
  server.Stop();
  server.Stop();  // idempotent
}

// Sends `raw` and reads one response; the connection must answer within 10 s.
bhttp::response<bhttp::string_body> SendRaw(int port, const std::string& raw) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(10));
  stream.async_connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
      [](boost::beast::error_code) {});
  ioc.run();
  ioc.restart();
  boost::asio::async_write(stream, boost::asio::buffer(raw),
                           [](boost::beast::error_code, size_t) {});
  ioc.run();
  ioc.restart();
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::async_read(stream, buffer, response, [](boost::beast::error_code, size_t) {});
  ioc.run();
  return response;
}

TEST(MetricsServerTest, OverlongQueryStringGets431AndServerKeepsServing) {
  Registry registry;
  MetricsServer server(registry, {"127.0.0.1", 0});
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();
  auto response = SendRaw(
      *port, "GET /metrics?q=" + std::string(20 << 10, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(response.result_int(), 431);
  EXPECT_EQ(response.keep_alive(), false);
  EXPECT_EQ(SendRaw(*port, "NOT HTTP\r\n\r\n").result_int(), 400);
  EXPECT_EQ(Fetch(*port, bhttp::verb::get, "/metrics", "/metrics")[1].result_int(), 200);
}

TEST(MetricsServerTest, ReportsABusyPort) {
  Registry registry;
  MetricsServer first(registry, {"127.0.0.1", 0});
  auto port = first.Start();
  ASSERT_TRUE(port.ok());
  MetricsServer second(registry, {"127.0.0.1", *port});
  EXPECT_EQ(second.Start().status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace inferd::metrics
