// Test certificates made at test time with the openssl command line (no key material is
// committed): a CA, a second unrelated CA, two server certificates for 127.0.0.1/localhost
// signed by the CA (the second, CN "localhost-rotated", to test rotation) and a client
// certificate signed by the CA. EC P-256 keys, so generating them takes milliseconds.
#pragma once

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "server_process.h"

namespace inferd::testing {

class TestPki {
 public:
  // Creates the files in a fresh temporary directory; ok() says whether openssl succeeded.
  TestPki() {
    dir_ = std::filesystem::temp_directory_path() /
           ("inferd_tls_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script = "set -e; cd '" + d + "'; " + "openssl req -x509 " + key +
                         " -keyout ca.key -out ca.crt -days 2 -subj /CN=inferd-test-ca; " +
                         "openssl req -x509 " + key +
                         " -keyout other_ca.key -out other_ca.crt -days 2 -subj /CN=other-ca; " +
                         "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext; ";
    for (const char* leaf : {"server:localhost", "server2:localhost-rotated", "client:client"}) {
      const std::string spec = leaf;
      const std::string name = spec.substr(0, spec.find(':'));
      const std::string cn = spec.substr(spec.find(':') + 1);
      script += "openssl req " + key + " -keyout " + name + ".key -out " + name +
                ".csr -subj /CN=" + cn + "; openssl x509 -req -in " + name +
                ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out " +
                name + ".crt; ";
    }
    ok_ = RunShellCommand(script).exit_code == 0;
  }
  ~TestPki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  bool ok() const { return ok_; }
  // `name`.crt / `name`.key: ca, other_ca, server, server2, client.
  std::string Cert(const std::string& name) const { return (dir_ / (name + ".crt")).string(); }
  std::string Key(const std::string& name) const { return (dir_ / (name + ".key")).string(); }
  std::filesystem::path dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  bool ok_ = false;
};

// The subject line ("subject=CN = ...") of the certificate a TLS server presents on `port`,
// verified against `ca`; empty when the handshake fails. Bounded by `timeout` (s_client's own).
inline std::string PresentedSubject(int port, const std::string& ca) {
  const auto outcome = RunShellCommand(
      "timeout 10 openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile '" + ca +
      "' -verify_return_error </dev/null 2>/dev/null | grep '^subject='");
  std::string line = outcome.output;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

// Polls PresentedSubject until it contains `expected` (a reload is asynchronous to the signal).
inline bool AwaitPresentedSubject(int port, const std::string& ca, const std::string& expected,
                                  std::chrono::seconds timeout = std::chrono::seconds(15)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (PresentedSubject(port, ca).find(expected) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace inferd::testing
