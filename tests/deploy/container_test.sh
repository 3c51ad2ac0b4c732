#!/usr/bin/env bash
# The container image end to end: build it (base images made locally when missing), check its
# metadata (non-root numeric user, entrypoint, ports, health check, version label, size, no
# missing library), run it with examples/model_repository mounted read-only, pass `inferd smoke`
# from the host, then SIGTERM it under load: readiness turns false, no request fails, exit 0.
#   container_test.sh SOURCE_DIR HOST_INFERD_BINARY     (exit 77 = skipped: no podman)
set -euo pipefail
src="$1" inferd="$2"
IMAGE="${INFERD_TEST_IMAGE:-localhost/inferd:test}"
MAX_ADDED_MB=175          # the image may add this much to debian:bookworm-slim
NAME="inferd-ctest-$$"

if ! command -v podman >/dev/null; then
  echo "SKIPPED: podman is not installed (apt-get install podman runc uidmap fuse-overlayfs" \
       "slirp4netns mmdebstrap; .ci/run does)"
  exit 77
fi
# crun and systemd cgroups do not work on every host; runc with cgroupfs does.
P=(podman --runtime runc --cgroup-manager cgroupfs)
UL=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
step() { echo "--- $(date +%T) $*"; }
fail() { echo "FAIL: $*"; exit 1; }

ensure_base_images() {
  if "${P[@]}" image exists docker.io/library/debian:bookworm-slim; then return; fi
  command -v mmdebstrap >/dev/null ||
    { echo "SKIPPED: no debian:bookworm-slim image and no mmdebstrap to make one"; exit 77; }
  step "making debian:bookworm(-slim) with mmdebstrap (no registry here)"
  local tar
  tar="$(mktemp --suffix .tar)"
  mmdebstrap --variant=minbase --quiet bookworm "${tar}"
  "${P[@]}" import "${tar}" docker.io/library/debian:bookworm-slim
  "${P[@]}" tag docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm
  rm -f "${tar}"
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

http_status() {  # http_status URL → HTTP status code, 000 when unreachable
  /usr/bin/python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
}

wait_status() {  # wait_status URL REGEX SECONDS: until the status code matches
  local end=$((SECONDS + $3))
  while ((SECONDS < end)); do
    [[ "$(http_status "$1")" =~ ^($2)$ ]] && return 0
    sleep 0.2
  done
  return 1
}

cleanup() { "${P[@]}" rm -f -t 0 "${NAME}" >/dev/null 2>&1 || true; }
trap cleanup EXIT

ensure_base_images
step "building ${IMAGE}"
start=${SECONDS}
# The build fetches ONNX Runtime from the npm registry: let it trust what this host trusts (a
# TLS-inspecting proxy's CA, where there is one).
secret=()
[[ -f /etc/ssl/certs/ca-certificates.crt ]] && secret=(--secret id=ca,src=/etc/ssl/certs/ca-certificates.crt)
"${P[@]}" build --pull=never --network=host --format docker "${UL[@]}" "${secret[@]}" \
  -t "${IMAGE}" "${src}"
echo "image build: $((SECONDS - start)) s"

step "image metadata"
inspect() { "${P[@]}" image inspect --format "$1" "$2"; }
size=$(inspect '{{.Size}}' "${IMAGE}")
base=$(inspect '{{.Size}}' docker.io/library/debian:bookworm-slim)
added_mb=$(((size - base) / 1000000))
echo "image size: $((size / 1000000)) MB = base $((base / 1000000)) MB + ${added_mb} MB"
((added_mb <= MAX_ADDED_MB)) || fail "the image adds ${added_mb} MB (limit ${MAX_ADDED_MB})"
user=$(inspect '{{.Config.User}}' "${IMAGE}")
[[ "${user}" =~ ^[0-9]+(:[0-9]+)?$ && "${user%%:*}" != 0 ]] || fail "user '${user}' not numeric non-root"
[[ "$(inspect '{{json .Config.Entrypoint}}' "${IMAGE}")" == '["inferd"]' ]] || fail "entrypoint"
[[ "$(inspect '{{json .Config.Cmd}}' "${IMAGE}")" == '["serve","--model-repository","/models"]' ]] ||
  fail "cmd is $(inspect '{{json .Config.Cmd}}' "${IMAGE}")"
for p in 8000 8001 8002; do
  inspect '{{json .Config.ExposedPorts}}' "${IMAGE}" | grep -q "\"${p}/tcp\"" || fail "port ${p}"
done
inspect '{{json .Config.Healthcheck}}' "${IMAGE}" | grep -q '"inferd","health"' ||
  fail "no HEALTHCHECK running inferd health"
label=$(inspect '{{index .Config.Labels "org.opencontainers.image.version"}}' "${IMAGE}")
version=$("${P[@]}" run --rm "${UL[@]}" "${IMAGE}" --version)
[[ "${version}" == "inferd ${label}" ]] || fail "label version ${label} but binary says ${version}"
echo "version label ${label} = ${version}"
"${P[@]}" run --rm "${UL[@]}" --entrypoint sh "${IMAGE}" -c \
  'command -v tritonserver && ! ldd /opt/inferd/bin/inferd | grep "not found"' ||
  fail "tritonserver not on PATH, or a library is missing"

step "running with examples/model_repository read-only"
http=$(free_port) grpc=$(free_port) metrics=$(free_port)
# Eight seconds of grace (still serving, not ready) let the load below (~3 s) end inside it.
"${P[@]}" run -d --name "${NAME}" --network=host "${UL[@]}" -e "INFERD_HTTP_PORT=${http}" \
  -v "${src}/examples/model_repository:/models:ro" "${IMAGE}" \
  serve --model-repository /models --http-port "${http}" --grpc-port "${grpc}" \
  --metrics-port "${metrics}" --shutdown-grace-secs 8
url="http://127.0.0.1:${http}"
wait_status "${url}/v2/health/ready" 200 120 || {
  "${P[@]}" logs "${NAME}" | tail -20; fail "not ready within 120 s"; }
"${P[@]}" healthcheck run "${NAME}" || fail "the image's HEALTHCHECK reports unhealthy"
pid=$("${P[@]}" inspect --format '{{.State.Pid}}' "${NAME}")
uid=$(ps -o uid= -p "${pid}" | tr -d ' ')
echo "server process uid ${uid}"
[[ -n "${uid}" && "${uid}" != 0 ]] || fail "the server runs as uid '${uid}'"

step "the API description and Swagger UI (GET /docs) are served from the image"
wait_status "${url}/openapi.json" 200 5 || fail "GET /openapi.json is not 200"
wait_status "${url}/docs" 200 5 || fail "GET /docs is not 200"
wait_status "${url}/docs/swagger-ui-bundle.js" 200 5 || fail "Swagger UI's files are not in the image"

step "inferd smoke from the host"
"${inferd}" smoke -m simple -u "127.0.0.1:${http}"

step "SIGTERM under load"
perf_out="$(mktemp)"
"${inferd}" perf -m convnet -u "127.0.0.1:${http}" --concurrency-range 4 -p 400 -r 4 -s 100 \
  > "${perf_out}" 2>&1 &
perf_pid=$!
# Requests are in flight once the statistics count one.
wait_until_inferring() {
  local end=$((SECONDS + 30))
  while ((SECONDS < end)); do
    /usr/bin/python3 - "${url}" <<'PY' && return 0
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1] + "/v2/models/convnet/stats", timeout=2))
sys.exit(0 if s["model_stats"][0]["inference_count"] > 0 else 1)
PY
    sleep 0.1
  done
  return 1
}
wait_until_inferring || fail "the load never reached the server"
"${P[@]}" kill --signal TERM "${NAME}" >/dev/null
# Not ready (4xx/5xx) while still answering: the grace period load balancers need.
wait_status "${url}/v2/health/ready" '[45][0-9][0-9]' 3 || fail "still ready after SIGTERM"
echo "readiness false after SIGTERM, server still answering"
wait "${perf_pid}" || { cat "${perf_out}"; fail "inferd perf failed during the drain"; }
grep -E 'Requests sent: [0-9]+ \(failed: 0\)' "${perf_out}" ||
  { cat "${perf_out}"; fail "requests failed during the drain"; }
code=$(timeout 60 "${P[@]}" wait "${NAME}") || fail "the container did not exit within 60 s"
"${P[@]}" logs "${NAME}" 2>&1 | tail -5
[[ "${code}" == 0 ]] || fail "exit code ${code} after SIGTERM"
echo "container image: all checks passed (exit 0 after SIGTERM with no failed request)"
