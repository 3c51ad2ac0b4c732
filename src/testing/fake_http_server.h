// A scripted HTTP/1.1 server on 127.0.0.1:<ephemeral> for client tests of what a real server
// will not do on demand: answer 503 + Retry-After, or never answer at all. Each request gets the
// next scripted response; with the script exhausted it gets no answer (the connection hangs
// until the server is destroyed). One connection at a time, on one thread.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace inferd::testing {

class FakeHttpServer {
 public:
  FakeHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 16);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeHttpServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    {
      absl::MutexLock lock(&mutex_);
      if (conn_fd_ >= 0) ::shutdown(conn_fd_, SHUT_RDWR);
    }
    thread_.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  int requests() const { return requests_; }
  // Queues one response: status line code, extra header lines ("Name: value\r\n"...), body.
  void Respond(int status, const std::string& headers, const std::string& body) {
    absl::MutexLock lock(&mutex_);
    script_.push_back("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n" + headers + "\r\n" + body);
  }

 private:
  void Serve() {
    while (!stopping_) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      {
        absl::MutexLock lock(&mutex_);
        conn_fd_ = fd;
      }
      while (!stopping_ && ReadRequest(fd)) {
        ++requests_;
        std::string answer;
        {
          absl::MutexLock lock(&mutex_);
          if (script_.empty()) continue;  // hang: read (and ignore) until closed
          answer = std::move(script_.front());
          script_.pop_front();
        }
        if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
      }
      absl::MutexLock lock(&mutex_);
      ::close(fd);
      conn_fd_ = -1;
    }
  }

  // Reads one request (headers + Content-Length body); false when the peer closed.
  bool ReadRequest(int fd) {
    std::string data;
    char buffer[4096];
    size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      data.append(buffer, static_cast<size_t>(n));
    }
    size_t length = 0;
    for (const char* key : {"Content-Length: ", "content-length: "}) {
      const size_t at = data.find(key);
      if (at != std::string::npos && at < header_end) length = std::stoul(data.substr(at + 16));
    }
    while (data.size() < header_end + 4 + length) {
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) return false;
      data.append(buffer, static_cast<size_t>(n));
    }
    return true;
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  absl::Mutex mutex_;
  int conn_fd_ ABSL_GUARDED_BY(mutex_) = -1;
  std::deque<std::string> script_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace inferd::testing
