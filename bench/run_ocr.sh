#!/usr/bin/env bash
# OCR accuracy and latency of the pretrained PP-OCR models (examples/model_repository/ppocr_rec,
# ppocr_cls; fetched by scripts/setup.sh) on the rendered lines of tests/testdata/ocr:
# lines read exactly, p50 per line through /predict beside the baseline of the preprocessed
# tensor through /v2 in the same run, per page of 20 pre-cut lines, and whole-page OCR
# (detector, client-side crops, recogniser) beside the same page in one request to the text reader
# ppocr (server-side).
# Usage: bench/run_ocr.sh [rounds]   (INFERD=<binary> benchmarks that binary, no build)
source "$(dirname "$0")/lib.sh"
ROUNDS="${1:-10}"
[[ -f examples/model_repository/ppocr_rec/1/model.onnx && -f examples/model_repository/ppocr_det/1/model.onnx ]] || {
  echo "run_ocr.sh: the OCR models are missing: run scripts/setup.sh" >&2
  exit 1
}
repo="$(mktemp -d)"
cp -r examples/model_repository/ppocr{,_rec,_cls,_det} "$repo/"
start_server --model-repository "$repo"
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true; rm -rf "$repo"' EXIT
machine_line
echo "server: $INFERD"
/usr/bin/python3 bench/ocr_bench.py "$port" "$ROUNDS"
