#include "common/tcp_listen.h"

#include <gtest/gtest.h>

#include "boost/asio/io_context.hpp"

namespace inferd {
namespace {

TEST(TcpListenTest, EphemeralPortIsBoundAndReported) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc);
  auto port = Listen(acceptor, "127.0.0.1", 0, "test");
  ASSERT_TRUE(port.ok()) << port.status();
  EXPECT_GT(*port, 0);
  EXPECT_EQ(acceptor.local_endpoint().port(), *port);
}

TEST(TcpListenTest, PortInUseIsUnavailableAndNamesTheAddress) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor first(ioc);
  boost::asio::ip::tcp::acceptor second(ioc);
  auto port = Listen(first, "127.0.0.1", 0, "test");
  ASSERT_TRUE(port.ok()) << port.status();
  auto again = Listen(second, "127.0.0.1", *port, "test");
  ASSERT_EQ(again.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(again.status().message().find("127.0.0.1:" + std::to_string(*port)), std::string::npos);
  EXPECT_FALSE(second.is_open());
}

TEST(TcpListenTest, BadAddressOrPortIsInvalidArgument) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc);
  auto bad_address = Listen(acceptor, "not-an-address", 0, "metrics");
  EXPECT_EQ(bad_address.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_address.status().message().find("bad metrics address"), std::string::npos);
  EXPECT_EQ(Listen(acceptor, "127.0.0.1", 65536, "metrics").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Listen(acceptor, "127.0.0.1", -1, "metrics").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace inferd
