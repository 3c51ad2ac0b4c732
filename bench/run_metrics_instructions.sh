#!/usr/bin/env bash
# Metrics on vs off, counted in instructions instead of time: this 2-core VM has no hardware
# counters and its wall-clock noise (±10–15 % between runs of the same configuration) hides a
# 2 % effect, while the instructions a request executes do not depend on the machine's load.
# The server runs under callgrind (user-space instructions; the kernel's share is the same socket
# work on both sides). Counters are zeroed after the models load, then three phases are dumped
# separately: (1) a fixed wrk load (`simple`, JSON, 2 threads, 16 connections) → instructions per
# request; (2) the same time idle → background instructions per second (samplers); (3, metrics on)
# 20 scrapes of /metrics → instructions per scrape. Callgrind slows the server ~50×, so per-second
# costs must not be spread over its few requests: the script projects on/off at a real request
# rate (RATE, default 16000/s, `simple` at concurrency 16) with one scrape per second.
# Usage: bench/run_metrics_instructions.sh [secs] [rate]
source "$(dirname "$0")/lib.sh"
command -v callgrind_control >/dev/null ||
  { echo "needs valgrind's callgrind: apt-get install valgrind" >&2; exit 1; }
SECS="${1:-10}"
RATE="${2:-16000}"
work="$(mktemp -d)"
mv "$(simple_infer_lua)" "$work/post.lua"
machine_line
summary() { grep -h '^summary:' "$1" | awk '{print $2}'; }
run() {  # $1 = on|off; prints "requests instr/request background-instr/s instr/scrape"
  local extra=() log="$work/log.$1" pid port mport n
  [[ "$1" == off ]] && extra=(--allow-metrics false)
  rm -f "$work"/cg.*
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.%p" "$INFERD" serve --http-port 0 \
    --http-address 127.0.0.1 --grpc-port 0 --grpc-address 127.0.0.1 --metrics-port 0 \
    --metrics-address 127.0.0.1 --model-repository examples/model_repository "${extra[@]}" \
    >"$log" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 1800); do grep -q "HTTP listening" "$log" && break; sleep 0.2; done
  port="$(sed -n 's/.*HTTP listening on .*:\([0-9]*\)$/\1/p' "$log")"
  [[ -n "$port" ]] || { echo "server did not start" >&2; kill "$pid"; exit 1; }
  if [[ "$1" == on ]]; then
    for _ in $(seq 1 300); do grep -q "metrics listening" "$log" && break; sleep 0.2; done
    mport="$(sed -n 's/.*metrics listening on .*:\([0-9]*\)$/\1/p' "$log")"
  fi
  callgrind_control -z "$pid" >/dev/null 2>&1
  n=$(wrk -t2 -c16 -d"${SECS}s" -s "$work/post.lua" "http://127.0.0.1:$port/v2/models/simple/infer" |
      sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
  callgrind_control -d "$pid" >/dev/null 2>&1
  sleep "$SECS"  # measuring the idle cost of the same time span is the point here
  callgrind_control -d "$pid" >/dev/null 2>&1
  if [[ "$1" == on ]]; then
    for _ in $(seq 1 20); do curl -s "http://127.0.0.1:$mport/metrics" >/dev/null; done
    callgrind_control -d "$pid" >/dev/null 2>&1
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local load idle scrape=0
  load=$(summary "$work"/cg.*.1); idle=$(summary "$work"/cg.*.2)
  [[ "$1" == on ]] && scrape=$(summary "$work"/cg.*.3)
  awk -v l="$load" -v i="$idle" -v s="$scrape" -v n="$n" -v t="$SECS" \
    'BEGIN {printf "%d %.0f %.0f %.0f\n", n, (l - i) / n, i / t, s / 20}'
}
read -r n_off ipr_off bg_off _ <<<"$(run off)"
read -r n_on ipr_on bg_on scrape <<<"$(run on)"
echo "metrics off: $n_off requests, $ipr_off instructions/request, $bg_off background instructions/s"
echo "metrics on:  $n_on requests, $ipr_on instructions/request, $bg_on background instructions/s," \
     "$scrape instructions/scrape"
awk -v a="$ipr_on" -v b="$ipr_off" -v ba="$bg_on" -v bb="$bg_off" -v s="$scrape" -v r="$RATE" 'BEGIN {
  printf "per request on/off = %.4f; at %d requests/s with one scrape/s: on/off = %.4f\n",
         a / b, r, (a * r + ba + s) / (b * r + bb) }'
rm -rf "$work"
