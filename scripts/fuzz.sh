#!/usr/bin/env bash
# Runs every libFuzzer target of the `fuzz` preset (tests/fuzz, built by `make fuzz`) for SECONDS
# each over its committed seed corpus, and exits non-zero if any target finds a crash, a
# sanitizer report (ASan + UBSan), a leak, a timeout or an out-of-memory. A finding's input is
# left under build/fuzz/findings/<target>/ and its path is printed with the command that replays
# it; add it to tests/fuzz/corpus/<target>/ as crash_<what> once the parser is fixed.
#
#   scripts/fuzz.sh SECONDS [TARGET...]     (default: every target, one after another)
#
# Environment: FUZZ_JOBS=N runs N targets at once (default 1; the runs are single-process, so
# N should not exceed the free cores); FUZZ_RUNS=N also stops a target after N executions
# (the benchmark run of docs/security.md: FUZZ_RUNS=10000000 scripts/fuzz.sh 3600);
# FUZZ_BUILD=dir picks another build folder. New inputs the fuzzers find go to a scratch corpus
# under the build folder, never into the committed one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FUZZ_BUILD:-${ROOT}/build/fuzz}"
JOBS="${FUZZ_JOBS:-1}"
RUNS="${FUZZ_RUNS:--1}"
TARGETS_ALL=(v2_infer_json v2_binary_split multipart url_query config_pbtxt pipeline_json
             tfserving_codec torchserve_codec grpc_infer_request image_pipeline)

[[ $# -ge 1 && "$1" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2; exit 2; }
SECONDS_PER_TARGET="$1"
shift
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${TARGETS_ALL[@]}")

# Memory: libFuzzer's own bounds (one input may allocate at most 512 MB at once, the process at
# most 1.5 GB) keep a run far from what the machine has; ASan's allocator reports an OOM instead
# of letting the kernel kill the process.
export ASAN_OPTIONS="${ASAN_OPTIONS:-allocator_may_return_null=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=${ROOT}/tests/sanitizers/ubsan_fuzz.supp}"

run_target() {  # run_target <name>: fuzzes one target, leaves <log> and returns its exit code
  local name=$1
  local binary="${BUILD}/tests/fuzz/fuzz_${name}"
  local seeds="${ROOT}/tests/fuzz/corpus/${name}"
  local work="${BUILD}/fuzz-work/${name}" findings="${BUILD}/findings/${name}"
  local log="${BUILD}/fuzz-logs/${name}.log"
  [[ -x "$binary" ]] || { echo "fuzz.sh: ${binary} missing: run make fuzz" >&2; return 2; }
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  "$binary" "$work" "$seeds" \
    -max_total_time="$SECONDS_PER_TARGET" -runs="$RUNS" \
    -timeout=25 -rss_limit_mb=1536 -malloc_limit_mb=512 -max_len=65536 \
    -artifact_prefix="${findings}/" -print_final_stats=1 >"$log" 2>&1
}

report() {  # report <name> <exit code>: one summary line, and the finding if there is one
  local name=$1 rc=$2 log="${BUILD}/fuzz-logs/${1}.log"
  local execs speed
  execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)
  speed=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$log" | tail -1)
  printf '%-20s %12s execs %8s exec/s  ' "$name" "${execs:-?}" "${speed:-?}"
  if ((rc == 0)); then
    echo "ok"
    return 0
  fi
  echo "FINDING (exit ${rc})"
  grep -E "^==[0-9]+==ERROR|runtime error:|^SUMMARY:|ALARM: working on the last Unit|out-of-memory" "$log" | head -5 | sed 's/^/    /'
  local artifact
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  echo "    input: ${artifact:-see ${log}}"
  [[ -n "$artifact" ]] && echo "    replay: ${BUILD}/tests/fuzz/fuzz_${name} ${artifact}"
  echo "    log: ${log}"
  return 1
}

echo "fuzz.sh: ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET} s each, ${JOBS} at a time"
declare -A pids=()
failed=0
finish_one() {  # waits for the oldest running target and reports it
  local name=$1 rc=0
  wait "${pids[$name]}" || rc=$?
  unset "pids[$name]"
  report "$name" "$rc" || failed=1
}
order=()
for name in "${TARGETS[@]}"; do
  run_target "$name" &
  pids[$name]=$!
  order+=("$name")
  if ((${#pids[@]} >= JOBS)); then
    finish_one "${order[0]}"
    order=("${order[@]:1}")
  fi
done
for name in "${order[@]}"; do finish_one "$name"; done

if ((failed)); then
  echo "fuzz.sh: findings above (inputs under ${BUILD}/findings/)" >&2
  exit 1
fi
echo "fuzz.sh: no findings"
