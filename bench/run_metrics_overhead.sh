#!/usr/bin/env bash
# Cost of metrics on the request path: `simple` with JSON bodies over HTTP keep-alive at 16
# connections (wrk), alternating servers with metrics on (scraped every second, as a busy
# Prometheus would) and off (--allow-metrics false). Usage: bench/run_metrics_overhead.sh [secs] [rounds]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
ROUNDS="${2:-3}"
body='{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
lua="$(mktemp --suffix .lua)"
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
machine_line
run() {  # $1 = on|off
  if [[ "$1" == on ]]; then
    start_server --model-repository examples/model_repository
    ( for _ in $(seq 1 "$SECS"); do curl -s "http://127.0.0.1:$metrics_port/metrics" >/dev/null; sleep 1; done ) &
    scraper=$!
  else
    start_server --model-repository examples/model_repository --allow-metrics false
  fi
  rps=$(wrk -t2 -c16 -d"${SECS}s" -s "$lua" "http://127.0.0.1:$port/v2/models/simple/infer" |
        sed -n 's/^Requests\/sec: *//p')
  [[ "$1" == on ]] && wait "$scraper"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  echo "$1 $rps"
}
declare -a on off
for r in $(seq 1 "$ROUNDS"); do
  line=$(run off); echo "round $r: $line"; off+=("${line#off }")
  line=$(run on); echo "round $r: $line"; on+=("${line#on }")
done
rm -f "$lua"
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.0f", s/NR}'; }
m_on=$(mean "${on[@]}"); m_off=$(mean "${off[@]}")
echo "metrics off: $m_off req/s, metrics on: $m_on req/s, on/off = $(awk -v a="$m_on" -v b="$m_off" 'BEGIN {printf "%.3f", a/b}')"
