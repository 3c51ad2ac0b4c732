#!/usr/bin/env bash
# Cost of metrics on the request path: `simple` with JSON bodies over HTTP keep-alive at 16
# connections (wrk), alternating servers with metrics on (scraped every second, as a busy
# Prometheus would) and off (--allow-metrics false; the same once-a-second curl then asks
# /v2/health/ready, so both sides pay for the scraper process). Odd rounds run off first, even
# rounds on first, so a drifting machine does not favour one side. Reports throughput and the server's CPU time
# per request (utime + stime from /proc over the run / requests served), which a busy shared
# machine disturbs far less than throughput. Usage: bench/run_metrics_overhead.sh [secs] [rounds]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
ROUNDS="${2:-3}"
lua="$(simple_infer_lua)"
machine_line
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # utime + stime
run() {  # $1 = on|off; prints "on|off req/s server-CPU-us-per-request"
  local scrape_url
  if [[ "$1" == on ]]; then
    start_server --model-repository examples/model_repository
    scrape_url="http://127.0.0.1:$metrics_port/metrics"
  else
    start_server --model-repository examples/model_repository --allow-metrics false
    scrape_url="http://127.0.0.1:$port/v2/health/ready"
  fi
  ( for _ in $(seq 1 "$SECS"); do curl -s "$scrape_url" >/dev/null; sleep 1; done ) &
  scraper=$!
  local t0 t1 out rps n
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c16 -d"${SECS}s" -s "$lua" "http://127.0.0.1:$port/v2/models/simple/infer")
  wait "$scraper"
  t1=$(cpu_ticks)
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$out")
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
  echo "$1 $rps $(awk -v t=$((t1 - t0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}')"
}
declare -a on off on_cpu off_cpu
for r in $(seq 1 "$ROUNDS"); do
  order="off on"; (( r % 2 == 0 )) && order="on off"
  for side in $order; do
    read -r _ rps cpu <<<"$(run "$side")"; echo "round $r: $side $rps req/s, $cpu us CPU/request"
    if [[ $side == on ]]; then on+=("$rps"); on_cpu+=("$cpu"); else off+=("$rps"); off_cpu+=("$cpu"); fi
  done
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
printf '%s\n' "${ratios[@]}" | awk '{s+=$1; q+=$1*$1} END {m=s/NR; sd=sqrt((q-NR*m*m)/(NR-1));
  printf "mean on/off = %.3f, 95%% interval of the mean %.3f..%.3f (%d rounds)\n", m, m-2*sd/sqrt(NR), m+2*sd/sqrt(NR), NR}'
echo "server CPU per request: off median $(median "${off_cpu[@]}") us, on median $(median "${on_cpu[@]}") us," \
     "on/off = $(awk -v a="$(median "${on_cpu[@]}")" -v b="$(median "${off_cpu[@]}")" 'BEGIN {printf "%.3f", a/b}')"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
