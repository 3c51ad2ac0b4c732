#!/usr/bin/env bash
# Ensemble overhead per step (issue 17): a y = x + 1 ONNX model called directly and as each step
# of ensembles of 1, 2, 4 and 8 chained steps, in one process and one run (bench/ensemble_bench.cc).
# Usage: bench/run_ensemble.sh [requests per measurement] [rounds]
INFERD=none source "$(dirname "$0")/lib.sh"
cmake --preset bench >/dev/null
cmake --build --preset bench --target ensemble_bench >/dev/null
machine_line
./build/release/bench/ensemble_bench --model tests/testdata/lifecycle/plus1.onnx \
  --requests "${1:-20000}" --rounds "${2:-5}" --steps 1,2,4,8
