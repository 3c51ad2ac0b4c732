#!/usr/bin/env bash
# Cost of metrics on the request path: `simple` with JSON bodies over HTTP keep-alive at 16
# connections (wrk), alternating servers with metrics on (scraped every second, as a busy
# Prometheus would) and off (--allow-metrics false). Reports throughput and the server's CPU time
# per request (utime + stime from /proc over the run / requests served), which a busy shared
# machine disturbs far less than throughput. Usage: bench/run_metrics_overhead.sh [secs] [rounds]
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
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # utime + stime
run() {  # $1 = on|off; prints "on|off req/s server-CPU-us-per-request"
  if [[ "$1" == on ]]; then
    start_server --model-repository examples/model_repository
    ( for _ in $(seq 1 "$SECS"); do curl -s "http://127.0.0.1:$metrics_port/metrics" >/dev/null; sleep 1; done ) &
    scraper=$!
  else
    start_server --model-repository examples/model_repository --allow-metrics false
  fi
  local t0 t1 out rps n
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c16 -d"${SECS}s" -s "$lua" "http://127.0.0.1:$port/v2/models/simple/infer")
  [[ "$1" == on ]] && wait "$scraper"
  t1=$(cpu_ticks)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$out")
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
  echo "$1 $rps $(awk -v t=$((t1 - t0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}')"
}
declare -a on off on_cpu off_cpu
for r in $(seq 1 "$ROUNDS"); do
  read -r _ rps cpu <<<"$(run off)"; echo "round $r: off $rps req/s, $cpu us CPU/request"
  off+=("$rps"); off_cpu+=("$cpu")
  read -r _ rps cpu <<<"$(run on)"; echo "round $r: on  $rps req/s, $cpu us CPU/request"
  on+=("$rps"); on_cpu+=("$cpu")
done
rm -f "$lua"
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.0f", s/NR}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
m_on=$(mean "${on[@]}"); m_off=$(mean "${off[@]}")
# Each round's on/off ratio pairs runs made seconds apart, which cancels most of the drift of a
# shared machine; the median ignores the rounds another process disturbed.
ratios=()
for i in "${!on[@]}"; do ratios+=("$(awk -v a="${on[$i]}" -v b="${off[$i]}" 'BEGIN {printf "%.3f", a/b}')"); done
echo "metrics off: mean $m_off req/s, median $(median "${off[@]}"); metrics on: mean $m_on req/s, median $(median "${on[@]}")"
echo "per-round on/off: ${ratios[*]}; median on/off = $(median "${ratios[@]}")"
echo "server CPU per request: off median $(median "${off_cpu[@]}") us, on median $(median "${on_cpu[@]}") us," \
     "on/off = $(awk -v a="$(median "${on_cpu[@]}")" -v b="$(median "${off_cpu[@]}")" 'BEGIN {printf "%.3f", a/b}')"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
