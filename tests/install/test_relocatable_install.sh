#!/usr/bin/env bash
# The server install is relocatable: `cmake --install` into a temporary prefix, move the prefix,
# then run bin/inferd and bin/tritonserver from the new place (ONNX Runtime must resolve inside
# it, through RPATH $ORIGIN/../lib) and serve examples/model_repository until ready.
# Usage: test_relocatable_install.sh <build dir> <source dir>
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && tail -20 "$work/err" >&2; exit 1; }
unset LD_LIBRARY_PATH

cmake --install "$build" --prefix "$work/first" > "$work/install.log"
mv "$work/first" "$work/moved"
prefix=$work/moved

for f in bin/inferd lib/libonnxruntime.so.1 share/inferd/VERSION share/doc/inferd/LICENSE \
         share/doc/inferd/INSTALL.md include/inferd/client/inference_client.h \
         lib/libinferd_client.so lib/cmake/inferd/inferdConfig.cmake; do
  [[ -e $prefix/$f ]] || fail "$f is not installed"
done
# Swagger UI (GET /docs) is installed when the set-up fetched it.
if [[ -f $source/third_party/swagger-ui/swagger-ui-bundle.js ]]; then
  for f in swagger-ui-bundle.js swagger-ui.css swagger-ui-standalone-preset.js LICENSE; do
    [[ -e $prefix/share/inferd/swagger-ui/$f ]] || fail "share/inferd/swagger-ui/$f is not installed"
  done
fi
[[ -L $prefix/bin/tritonserver && $(readlink "$prefix/bin/tritonserver") == inferd ]] ||
  fail "bin/tritonserver is not a relative symlink to inferd"
readelf -d "$prefix/bin/inferd" | grep -E 'R(UN)?PATH' | grep -qF '$ORIGIN/../lib' ||
  fail "bin/inferd has no RPATH \$ORIGIN/../lib"
ort=$(ldd "$prefix/bin/inferd" | awk '/libonnxruntime/ {print $3}')
[[ -n $ort && $(readlink -f "$ort") == $(readlink -f "$prefix/lib/libonnxruntime.so.1") ]] ||
  fail "ONNX Runtime does not resolve inside the moved prefix: $(ldd "$prefix/bin/inferd" | grep onnx)"

# INSTALL.md lists every Debian package the installed binaries load.
for package in $("$source/scripts/package/runtime_packages.sh" "$prefix/bin/inferd" \
                   "$prefix/lib/libinferd_client.so"); do
  grep -qw -- "$package" "$prefix/share/doc/inferd/INSTALL.md" ||
    fail "INSTALL.md does not list the runtime package $package"
done

version=$("$prefix/bin/inferd" --version)
[[ $version == "inferd $(cat "$prefix/share/inferd/VERSION")" ]] ||
  fail "inferd --version ($version) differs from share/inferd/VERSION"
[[ $("$prefix/bin/tritonserver" --version) == "$version" ]] || fail "tritonserver --version"

"$prefix/bin/inferd" serve --model-repository "$source/examples/model_repository" \
  --http-port 0 --http-address 127.0.0.1 --grpc-port 0 --grpc-address 127.0.0.1 \
  --metrics-port 0 --metrics-address 127.0.0.1 --shutdown-grace-secs 0 \
  > "$work/out" 2> "$work/err" &
server_pid=$!
port=
for _ in $(seq 600); do  # await the port line, at most 60 s
  port=$(sed -n 's/^inferd: HTTP listening on .*:\([0-9][0-9]*\)$/\1/p' "$work/out")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before listening"
  sleep 0.1
done
[[ -n $port ]] || fail "no HTTP port reported within 60 s"
ready=
for _ in $(seq 60); do  # await readiness (models loading), at most ~60 s
  if "$prefix/bin/inferd" health --timeout-secs 1 --url "http://127.0.0.1:$port" > /dev/null 2>&1
  then ready=1; break; fi
  sleep 1
done
[[ -n $ready ]] || fail "/v2/health/ready never answered 200"
# Independently of inferd's own client: the endpoint answers 200.
code=$(/usr/bin/python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$port/v2/health/ready', timeout=5).status)")
[[ $code == 200 ]] || fail "GET /v2/health/ready answered $code"
code=$(/usr/bin/python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$port/openapi.json', timeout=5).status)")
[[ $code == 200 ]] || fail "GET /openapi.json answered $code"
if [[ -f $source/third_party/swagger-ui/swagger-ui-bundle.js ]]; then
  code=$(/usr/bin/python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:$port/docs/swagger-ui.css', timeout=5).status)")
  [[ $code == 200 ]] || fail "GET /docs/swagger-ui.css answered $code from the moved prefix"
fi

kill -TERM "$server_pid"
status=0
timeout 40 tail --pid="$server_pid" -f /dev/null || fail "the server did not exit within 40 s of SIGTERM"
wait "$server_pid" || status=$?
server_pid=
[[ $status == 0 ]] || fail "exit code $status after SIGTERM"
echo "relocatable install OK: $version from $prefix"
