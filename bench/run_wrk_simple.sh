#!/usr/bin/env bash
# Per-request overhead on a tiny model, against two references in one run: `simple` with KServe
# v2 JSON bodies over HTTP/1.1 keep-alive, driven by wrk (1 thread; 16 connections, then 1), sent
# in turn to
#   - inferd (release build; SERVER_ARGS adds serve flags, e.g. "--http-threads 2"),
#   - the HTTP limit: bench/http_limit_server.cc, Beast + RapidJSON doing only the parse, the
#     add/sub and the answer (HTTP_LIMIT_THREADS IO threads, default 1),
#   - FastAPI + uvicorn (uvloop, httptools) with numpy: bench/reference/fastapi_simple.py (Debian
#     python3-fastapi, -uvicorn, -uvloop, -httptools; installed here when missing and root), as
#     FastAPI's documentation writes a service (pydantic models for the body and the answer), and
#     the same with `--raw` (request.json() in, a dict out: the least FastAPI can do),
# and prints inferd's ratio to each. Usage: bench/run_wrk_simple.sh [secs-per-case]
source "$(dirname "$0")/lib.sh"
cmake --build --preset bench --target http_limit_server >/dev/null
SECS="${1:-10}"
read -r -a extra <<<"${SERVER_ARGS:-}"

fastapi_ok=1
python_modules_or_install fastapi uvicorn uvloop httptools -- \
  python3-fastapi python3-uvicorn python3-uvloop python3-httptools || fastapi_ok=0

lua="$(simple_infer_lua)"
ref_pid=""
stop_ref() { [[ -n "$ref_pid" ]] && { kill "$ref_pid" 2>/dev/null; wait "$ref_pid" 2>/dev/null || true; }; ref_pid=""; }
cleanup() {
  stop_ref
  kill ${server_pid:-} 2>/dev/null
  wait ${server_pid:-} 2>/dev/null || true
  rm -f "$lua"
}
trap cleanup EXIT

# run_wrk NAME URL CONNS: prints wrk's figures and stores req/s and p50 in rps_NAME_CONNS, p50_...
run_wrk() {
  local out rps p50
  out="$(wrk -t1 -c"$3" -d"${SECS}s" --latency -s "$lua" "$2")"
  echo "--- $1, wrk -t1 -c$3 -d${SECS}s"
  grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors" <<<"$out"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  printf -v "rps_$1_$3" '%s' "$rps"
  printf -v "p50_$1_$3" '%s' "$p50"
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (10 s)
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  exit 1
}

machine_line
echo "inferd serve args: ${SERVER_ARGS:-(defaults)}; HTTP limit threads: ${HTTP_LIMIT_THREADS:-1}"

start_server --model-repository examples/model_repository "${extra[@]}"
trap cleanup EXIT  # start_server set its own
run_wrk inferd "http://127.0.0.1:$port/v2/models/simple/infer" 16
run_wrk inferd "http://127.0.0.1:$port/v2/models/simple/infer" 1
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

out="$(mktemp)"
./build/release/bench/http_limit_server 0 "${HTTP_LIMIT_THREADS:-1}" >"$out" &
ref_pid=$!
for _ in $(seq 1 100); do grep -q listening "$out" && break; sleep 0.1; done
limit_port="$(awk '{print $3}' "$out")"
rm -f "$out"
run_wrk limit "http://127.0.0.1:$limit_port/v2/models/simple/infer" 16
stop_ref

if [[ $fastapi_ok -eq 1 ]]; then
  fport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 bench/reference/fastapi_simple.py "$fport" &
  ref_pid=$!
  wait_port "$fport"
  run_wrk fastapi "http://127.0.0.1:$fport/v2/models/simple/infer" 16
  run_wrk fastapi "http://127.0.0.1:$fport/v2/models/simple/infer" 1
  stop_ref
  /usr/bin/python3 bench/reference/fastapi_simple.py "$fport" --raw &
  ref_pid=$!
  wait_port "$fport"
  run_wrk fastapiraw "http://127.0.0.1:$fport/v2/models/simple/infer" 16
  stop_ref
fi

echo
echo "| case | inferd req/s | reference req/s | inferd ÷ reference |"
echo "|---|---|---|---|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| 16 connections vs HTTP limit | $rps_inferd_16 | $rps_limit_16 | $(ratio "$rps_inferd_16" "$rps_limit_16") |"
if [[ $fastapi_ok -eq 1 ]]; then
  echo "| 16 connections vs FastAPI | $rps_inferd_16 | $rps_fastapi_16 | $(ratio "$rps_inferd_16" "$rps_fastapi_16") |"
  echo "| 1 connection vs FastAPI | $rps_inferd_1 (p50 $p50_inferd_1) | $rps_fastapi_1 (p50 $p50_fastapi_1) | $(ratio "$rps_inferd_1" "$rps_fastapi_1") |"
  echo "| 16 connections vs FastAPI --raw | $rps_inferd_16 | $rps_fastapiraw_16 | $(ratio "$rps_inferd_16" "$rps_fastapiraw_16") |"
else
  echo "FastAPI reference skipped: python3-fastapi/uvicorn/uvloop/httptools not importable"
fi
