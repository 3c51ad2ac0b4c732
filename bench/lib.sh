# Shared by the bench scripts: build the bench preset (the release build plus the benchmarks) and
# start/stop a server on an ephemeral port. Source it; then `start_server REPO... [-- extra args]`
# sets $port and $server_pid.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# INFERD=<binary> skips the build and benchmarks that binary instead.
if [[ -z "${INFERD:-}" ]]; then
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target inferd e2e_bench >/dev/null
  INFERD=./build/release/src/server/inferd
fi
E2E="${E2E:-./build/release/bench/e2e_bench}"  # E2E=<binary> likewise

start_server() {
  local out
  out="$(mktemp)"
  "$INFERD" serve --http-port 0 --http-address 127.0.0.1 --grpc-port 0 --grpc-address 127.0.0.1 \
    --metrics-port 0 --metrics-address 127.0.0.1 "$@" >"$out" 2>/dev/null &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    grep -q "HTTP listening" "$out" && break
    kill -0 $server_pid 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.1
  done
  port="$(sed -n 's/.*HTTP listening on .*:\([0-9]*\)$/\1/p' "$out")"
  grpc_port="$(sed -n 's/.*gRPC listening on .*:\([0-9]*\)$/\1/p' "$out")"
  metrics_port=""
  if [[ " $* " != *" --allow-metrics false "* ]]; then  # its line follows the HTTP and gRPC lines
    for _ in $(seq 1 100); do
      grep -q "metrics listening" "$out" && break
      sleep 0.1
    done
    metrics_port="$(sed -n 's/.*metrics listening on .*:\([0-9]*\)$/\1/p' "$out")"
  fi
  rm -f "$out"
}

machine_line() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs);" \
       "date: $(date -u +%F)"
}

# wrk_post_lua BODY [FILE]: writes a wrk script that POSTs BODY as JSON (to FILE, else a new
# temporary file) and prints its path; the caller removes it.
wrk_post_lua() {
  local lua="${2:-$(mktemp --suffix .lua)}"
  cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$1'
wrk.headers["Content-Type"] = "application/json"
LUA
  echo "$lua"
}

# simple_infer_lua: a wrk_post_lua script with one KServe v2 JSON request for `simple` (two
# [1,16] INT32 inputs).
simple_infer_lua() {
  wrk_post_lua '{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
}

# python_modules_or_install MODULE... -- PACKAGE...: true when Debian's python3 imports every
# MODULE, installing the Debian PACKAGEs first when it cannot and we are root (benchmark-only
# references such as FastAPI and torchvision are not part of the product's set-up).
python_modules_or_install() {
  local modules=() packages=()
  while [[ $# -gt 0 && $1 != -- ]]; do modules+=("$1"); shift; done
  shift
  packages=("$@")
  local check="import $(IFS=,; echo "${modules[*]}")"
  /usr/bin/python3 -c "$check" 2>/dev/null && return 0
  [[ $EUID -eq 0 ]] || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" \
    >/dev/null 2>&1 || return 1
  /usr/bin/python3 -c "$check" 2>/dev/null
}
