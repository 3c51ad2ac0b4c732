#include "common/tcp_listen.h"

#include "absl/strings/str_cat.h"

namespace inferd {

StatusOr<int> Listen(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address, int port,
                     std::string_view what) {
  namespace net = boost::asio;
  boost::system::error_code ec;
  const auto ip = net::ip::make_address(address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad ", std::string(what), " address '", address, "'"));
  }
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " port must be 0..65535, not ", port));
  }
  const net::ip::tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, ":", port, ": ", ec.message()));
  }
  return static_cast<int>(acceptor.local_endpoint().port());
}

}  // namespace inferd
