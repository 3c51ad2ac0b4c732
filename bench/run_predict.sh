#!/usr/bin/env bash
# Images per second through POST /predict/convnet (decode + preprocess + infer, raw JPEG body)
# at concurrency 1 and 4, beside the baseline of the same model fed the already-preprocessed
# tensor (KServe binary /v2/models/convnet/infer), in one run; plus the per-image preprocessing
# cost on one thread (image_bench) and its share of a /predict request.
# Usage: bench/run_predict.sh [seconds-per-case] [extra serve args, e.g. --http-threads 2]
source "$(dirname "$0")/lib.sh"
cmake --build --preset bench --target image_bench >/dev/null
SECS="${1:-10}"
shift || true
IMAGE=examples/images/shapes.jpg
python_modules_or_install torchvision -- python3-torchvision ||
  { echo "torchvision (python3-torchvision) is needed for the baseline's preprocessing" >&2; exit 1; }
start_server --model-repository examples/model_repository "$@"
tmp="$(mktemp -d)"
trap 'kill $server_pid 2>/dev/null; wait $server_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

# The baseline body: torchvision-equivalent preprocessing of the same image, as a binary tensor.
/usr/bin/python3 - "$IMAGE" "$tmp/tensor.bin" <<'PY'
import sys, json, numpy as np
from PIL import Image
from torchvision import transforms
t = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
x = t(Image.open(sys.argv[1]).convert("RGB")).numpy().astype(np.float32)
header = json.dumps({"inputs": [{"name": "INPUT0", "shape": [1, 3, 224, 224], "datatype": "FP32",
                     "parameters": {"binary_data_size": x.nbytes}}],
                     "outputs": [{"name": "OUTPUT0"}]}).encode()
open(sys.argv[2], "wb").write(header + x.tobytes())
open(sys.argv[2] + ".len", "w").write(str(len(header)))
PY
cat >"$tmp/predict.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$IMAGE", "rb"):read("*all")
wrk.headers["Content-Type"] = "image/jpeg"
LUA
cat >"$tmp/tensor.lua" <<LUA
wrk.method = "POST"
wrk.body = io.open("$tmp/tensor.bin", "rb"):read("*all")
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Inference-Header-Content-Length"] = "$(cat "$tmp/tensor.bin.len")"
LUA
machine_line
echo "server args: --model-repository examples/model_repository $*"
curl -s -F "file=@$IMAGE" "http://127.0.0.1:$port/predict/convnet"; echo
for conns in 1 4; do
  threads=$(( conns < 2 ? 1 : 2 ))
  for case in predict tensor; do
    url="http://127.0.0.1:$port/predict/convnet"
    [[ $case == tensor ]] && url="http://127.0.0.1:$port/v2/models/convnet/infer"
    echo "--- $case: wrk -t$threads -c$conns -d${SECS}s"
    curl -s "http://127.0.0.1:$port/v2/models/convnet/stats" >"$tmp/before.json"
    wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency -s "$tmp/$case.lua" "$url" |
      grep -E "Requests/sec|50%|99%|Non-2xx"
    curl -s "http://127.0.0.1:$port/v2/models/convnet/stats" >"$tmp/after.json"
    # Server-side split from the statistics extension (compute_input includes preprocessing).
    /usr/bin/python3 - "$tmp/before.json" "$tmp/after.json" <<'PY'
import json, sys
b, a = (json.load(open(p))["model_stats"][0]["inference_stats"] for p in sys.argv[1:])
d = {k: (a[k]["count"] - b[k]["count"], a[k]["ns"] - b[k]["ns"]) for k in a}
n = max(d["success"][0], 1)
print(f"    server per request: total {d['success'][1] / n / 1e3:.0f} us, compute_input "
      f"(preprocessing) {d['compute_input'][1] / n / 1e3:.0f} us, queue {d['queue'][1] / n / 1e3:.0f} us, "
      f"infer {d['compute_infer'][1] / n / 1e3:.0f} us; preprocessing share "
      f"{d['compute_input'][1] / max(d['success'][1], 1):.0%}")
PY
  done
done
echo "--- per-image preprocessing on one thread (release build)"
./build/release/bench/image_bench --benchmark_min_time=1 2>/dev/null | grep -E "^BM_"
