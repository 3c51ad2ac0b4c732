#!/usr/bin/env python3
"""Runs examples/python/requests_examples.py (the `requests` examples of docs/python.md) against
the real binary: starts `inferd serve` on examples/model_repository on free 127.0.0.1 ports,
waits until ready, runs the examples and validates the live GET /openapi.json against the
OpenAPI schema, then stops the server.

  run_examples.py <inferd binary> <source dir>
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def wait_ready(url, server, deadline):
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/v2/health/ready", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def main():
    inferd, source = sys.argv[1], sys.argv[2]
    http, grpc, metrics = free_ports(3)
    url = f"http://127.0.0.1:{http}"
    server = subprocess.Popen(
        [inferd, "serve", "--model-repository", os.path.join(source, "examples/model_repository"),
         "--model-control-mode=explicit", "--load-model=*", "--http-address", "127.0.0.1",
         "--http-port", str(http), "--grpc-address", "127.0.0.1", "--grpc-port", str(grpc),
         "--metrics-address", "127.0.0.1", "--metrics-port", str(metrics),
         "--shutdown-grace-secs", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        if not wait_ready(url, server, time.monotonic() + 90):
            print("server not ready within 90 s")
            return 1
        examples = subprocess.run(
            [sys.executable, os.path.join(source, "examples/python/requests_examples.py"),
             "--url", url], timeout=180)
        if examples.returncode != 0:
            return examples.returncode
        validate = subprocess.run(
            [sys.executable, os.path.join(source, "tests/openapi/validate_openapi.py"), "--url",
             url + "/openapi.json", "--schemas",
             os.path.join(source, "third_party/openapi-schemas/schemas")], timeout=60)
        return 0 if validate.returncode in (0, 77) else validate.returncode
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
