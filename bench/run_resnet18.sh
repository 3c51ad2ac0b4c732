#!/usr/bin/env bash
# ResNet-18 (torchvision's, random weights; scripts/make_bench_models.py) through inferd beside
# its references, in one run:
#   1. in-process ONNX Runtime, batch 1, the same instances (e2e_bench's baseline),
#   2. KServe v2 binary tensors over HTTP at concurrency 8 (e2e_bench), ratio to 1,
#   3. a JPEG upload to /predict/resnet18 (decode, Resize 256, CenterCrop 224, normalise, infer,
#      top 5) with wrk at 16 connections, ratio to 1,
#   4. the same upload to FastAPI + torch (bench/reference/fastapi_resnet.py, the TorchScript
#      twin of the model), ratio 3 ÷ 4.
# The model runs with INSTANCES CPU instances (default 2, one per core on this machine) and no
# dynamic batching. Usage: bench/run_resnet18.sh [secs-per-case]
source "$(dirname "$0")/lib.sh"
SECS="${1:-10}"
INSTANCES="${INSTANCES:-2}"
IMAGE="${IMAGE:-examples/images/shapes.jpg}"
python_modules_or_install torchvision -- python3-torchvision ||
  { echo "torchvision (python3-torchvision) is needed to make the model" >&2; exit 1; }
[[ -f bench/model_repository/resnet18/1/model.onnx && -f bench/model_repository/resnet18_torch/1/model.pt ]] ||
  /usr/bin/python3 scripts/make_bench_models.py
repo="$(mktemp -d)"
tmp="$(mktemp -d)"
ref_pid=""
cleanup() {
  kill ${server_pid:-} $ref_pid 2>/dev/null
  wait ${server_pid:-} $ref_pid 2>/dev/null || true
  rm -rf "$repo" "$tmp"
}
trap cleanup EXIT
mkdir -p "$repo/resnet18/1"
cp bench/model_repository/resnet18/1/model.onnx "$repo/resnet18/1/"
cp bench/model_repository/resnet18/config.pbtxt "$repo/resnet18/"
echo "instance_group [ { kind: KIND_CPU count: $INSTANCES } ]" >>"$repo/resnet18/config.pbtxt"
cat >"$repo/resnet18/pipeline.json" <<'JSON'
{
  "image": {
    "input": "input", "color": "RGB",
    "resize": {"shorter_side": 256, "interpolation": "bilinear"},
    "center_crop": {"width": 224, "height": 224},
    "scale": true, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
    "layout": "NCHW", "dtype": "FP32"
  },
  "output": {"name": "logits", "softmax": true, "top_k": 5}
}
JSON
cat >"$tmp/predict.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$IMAGE", "rb"):read("*all")
wrk.headers["Content-Type"] = "image/jpeg"
LUA
rps() { awk '/Requests\/sec/ {print $2}' <<<"$1"; }
machine_line
echo "instances: $INSTANCES; image: $IMAGE"

start_server --model-repository "$repo"
trap cleanup EXIT  # start_server set its own
e2e="$("$E2E" --repo "$repo" --model resnet18 --port "$port" --concurrency 8 --seconds "$SECS" \
  --baseline-batch 1)"
echo "$e2e"
http="$(awk -F'|' '$2 ~ /resnet18/ {gsub(/ /, "", $5); print $5}' <<<"$e2e")"
inproc="$(sed -n 's/^in-process resnet18: .* batch 1: \([0-9.]*\) infer\/s/\1/p' <<<"$e2e")"
echo "--- /predict/resnet18, wrk -t1 -c16 -d${SECS}s"
out="$(wrk -t1 -c16 -d"${SECS}s" --latency -s "$tmp/predict.lua" "http://127.0.0.1:$port/predict/resnet18")"
grep -E "Requests/sec|50%|99%|Non-2xx" <<<"$out"
predict="$(rps "$out")"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true

fastapi=""
if python_modules_or_install fastapi uvicorn uvloop httptools -- \
  python3-fastapi python3-uvicorn python3-uvloop python3-httptools; then
  fport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 bench/reference/fastapi_resnet.py "$fport" bench/model_repository/resnet18_torch/1/model.pt &
  ref_pid=$!
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$fport/docs" && break; sleep 0.1; done
  echo "--- FastAPI + torch /predict, wrk -t1 -c16 -d${SECS}s"
  out="$(wrk -t1 -c16 -d"${SECS}s" --latency -s "$tmp/predict.lua" "http://127.0.0.1:$fport/predict")"
  grep -E "Requests/sec|50%|99%|Non-2xx" <<<"$out"
  fastapi="$(rps "$out")"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "| case | images/s | reference | ratio |"
echo "|---|---|---|---|"
echo "| HTTP binary tensors, c=8 | $http | in-process ORT $inproc | $(ratio "$http" "$inproc") |"
echo "| /predict JPEG upload, c=16 | $predict | in-process ORT $inproc | $(ratio "$predict" "$inproc") |"
[[ -n "$fastapi" ]] &&
  echo "| /predict JPEG upload, c=16 | $predict | FastAPI + torch $fastapi | $(ratio "$predict" "$fastapi") |"
true
