#!/usr/bin/env bash
# A 600 KB FP32 request (convnet's 3x224x224 input, binary tensors over HTTP) sent plain and
# gzip-compressed, at concurrency 1, with `inferd perf` against one server, in one run. Two
# inputs: perf's random floats (the worst case for compression) and an image-like tensor (8-bit
# pixels scaled to [0, 1], what an image model is usually fed).
# Usage: bench/run_compression.sh [window-ms]
source "$(dirname "$0")/lib.sh"
WINDOW="${1:-3000}"
pixels="$(mktemp --suffix .raw)"
/usr/bin/python3 - "$pixels" <<'PY'
import sys, zlib
import numpy as np
rng = np.random.default_rng(1)
y, x = np.mgrid[0:224, 0:224]
image = np.stack([(x + y) / 2, x, y]).astype(np.float32)  # smooth gradients, 3 channels
image += rng.integers(-3, 4, image.shape)                 # sensor noise
image = np.clip(np.round(image), 0, 255).astype(np.float32) / 255.0
image.tofile(sys.argv[1])
raw = image.tobytes()
noise = rng.random(image.shape, dtype=np.float32).tobytes()
for name, data in (("image-like", raw), ("random", noise)):
    print(f"{name}: {len(data)} bytes, gzip -1 {len(zlib.compress(data, 1))} bytes")
PY
start_server --model-repository examples/model_repository
machine_line
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for input in random "$pixels"; do
  for coding in none gzip; do
    extra=()
    [[ $coding == gzip ]] && extra=(--request-compression-algorithm gzip)
    echo "== $([[ $input == random ]] && echo random || echo image-like), $coding"
    "$INFERD" perf -m convnet -i http -u "127.0.0.1:$port" --concurrency-range 1 -p "$WINDOW" \
      -r 6 --input-data "$input" "${extra[@]}" | grep -E "Throughput|latency|p50|p95" || true
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$pixels"
