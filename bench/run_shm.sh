#!/usr/bin/env bash
# A 600 KB FP32 input (convnet's 3x224x224) sent as binary tensors in the HTTP body and through the
# system shared-memory extension, against one server, in one run (bench/shm_bench.cc).
# Usage: bench/run_shm.sh [seconds-per-window] [rounds]
source "$(dirname "$0")/lib.sh"
SECONDS_PER_WINDOW="${1:-3}"
ROUNDS="${2:-3}"
SHM_BENCH="${SHM_BENCH:-./build/release/bench/shm_bench}"
[[ -x "$SHM_BENCH" ]] || cmake --build --preset bench --target shm_bench >/dev/null
start_server --model-repository examples/model_repository
machine_line
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$SHM_BENCH" --http-port "$port" --model convnet --input INPUT0 --shape 1,3,224,224 \
  --seconds "$SECONDS_PER_WINDOW" --rounds "$ROUNDS"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
