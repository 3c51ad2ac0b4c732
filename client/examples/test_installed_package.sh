#!/usr/bin/env bash
# CTest: installs the client component of a build into a temporary prefix, then builds the
# example against it twice, with find_package(inferd) and with pkg-config, and runs both
# against a live `inferd serve` on an ephemeral port (and against a closed port).
#   test_installed_package.sh <inferd build dir> <source dir>
# CXXFLAGS / LDFLAGS (e.g. a sanitizer build's flags) apply to both example builds.
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build" --component client --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/inferd/client/inference_client.h"
test -f "$work/prefix/lib/cmake/inferd/inferdConfig.cmake"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source/client/examples" -B "$work/cmake-build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake-build" >/dev/null

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
g++ -std=c++17 ${CXXFLAGS:-} -o "$work/pkgconfig_client" "$source/client/examples/simple_client.cc" \
  $(pkg-config --cflags --libs inferd) -Wl,-rpath,"$work/prefix/lib" ${LDFLAGS:-}

mkdir -p "$work/repo"
cp -r "$source/examples/model_repository/simple" "$work/repo/"
"$build/src/server/inferd" serve --model-repository "$work/repo" --http-address 127.0.0.1 \
  --http-port 0 --allow-grpc false >"$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 600); do
  url=$(sed -n 's/.*HTTP listening on \([0-9.]*:[0-9]*\).*/\1/p' "$work/server.log")
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "server did not start"; cat "$work/server.log"; exit 1; }

for binary in "$work/cmake-build/simple_client" "$work/pkgconfig_client"; do
  "$binary" -u "$url" | grep -q "15 + 1 = 16"
  # Nothing listens on port 1: the program fails cleanly.
  if out=$("$binary" -u 127.0.0.1:1 2>&1); then
    echo "expected a failure against a closed port"; exit 1
  fi
  grep -q "not live" <<<"$out" || { echo "$out"; exit 1; }
done
echo "installed package OK"
