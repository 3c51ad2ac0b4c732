// Listen: opens a TCP acceptor the way every inferd listener does (HTTP, metrics), so address
// checks, SO_REUSEADDR, the backlog and the error messages are the same for all of them.
#pragma once

#include <string>
#include <string_view>

#include "boost/asio/ip/tcp.hpp"
#include "common/status.h"

namespace inferd {

// Binds `acceptor` to address:port (0 = an ephemeral port) and starts listening; returns the
// bound port. InvalidArgument for a malformed address or a port outside 0..65535; Unavailable
// when the port cannot be bound (in use, no permission). `what` names the listener in messages.
StatusOr<int> Listen(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address, int port,
                     std::string_view what);

}  // namespace inferd
