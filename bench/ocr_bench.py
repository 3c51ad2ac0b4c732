#!/usr/bin/python3
"""OCR accuracy and latency against a running server (bench/run_ocr.sh starts one).

Usage: ocr_bench.py PORT ROUNDS

For every rendered line of tests/testdata/ocr (lines.tsv): POST /predict/ppocr_rec with the PNG
(server-side decode, resize, pad, normalize, infer, CTC), ROUNDS times; and, as the baseline in
the same run, the same line already preprocessed by PIL/numpy as a KServe v2 binary tensor
(/v2/models/ppocr_rec/infer: inference only, no decode or CTC on the server). Prints the
accuracy (lines read exactly / total), p50 and p90 latency per line for both, the direction
classifier's accuracy on upright and upside-down lines, the time of a page of pre-cut lines (all
lines sent at once over 4 connections: the batcher groups them), and whole-page OCR of page.png
orchestrated by this client: /predict/ppocr_det for the line boxes, each box cropped here (PIL),
then every crop read by /predict/ppocr_rec over 4 connections; and the same page read by the
server in one request (/predict/ppocr, the text reader: detect, crop, classify, read server-side),
with the ratio of the client-chained page's p50 to the one request's.
"""
import http.client
import io
import json
import math
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "testdata", "ocr")


def post(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request("POST", path, body, headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, data, elapsed


def tensor_body(png_path):
    image = Image.open(png_path).convert("RGB")
    width = min(320, math.ceil(48 * image.width / image.height))
    line = np.asarray(image.resize((width, 48), Image.BILINEAR), np.float32)[:, :, ::-1]
    batch = np.zeros((1, 3, 48, 320), np.float32)
    batch[0, :, :, :width] = ((line / 255 - 0.5) / 0.5).transpose(2, 0, 1)
    header = json.dumps({"inputs": [{"name": "x", "shape": [1, 3, 48, 320], "datatype": "FP32",
                                     "parameters": {"binary_data_size": batch.nbytes}}],
                         "outputs": [{"name": "softmax_11.tmp_0", "parameters": {"binary_data": True}}]})
    return header.encode() + batch.tobytes(), len(header)


def read_page(port, page_png, page_image):
    """Whole-page OCR: detect, crop each box (PIL's QUAD transform), read every crop."""
    status, data, _ = post(port, "/predict/ppocr_det", page_png, {"Content-Type": "image/png"})
    assert status == 200, data[:200]
    crops = []
    for line in json.loads(data)["lines"]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line["box"]
        w = int(max(math.dist((x0, y0), (x1, y1)), math.dist((x3, y3), (x2, y2))))
        h = int(max(math.dist((x0, y0), (x3, y3)), math.dist((x1, y1), (x2, y2))))
        crop = page_image.transform((max(w, 1), max(h, 1)), Image.QUAD,
                                    (x0, y0, x3, y3, x2, y2, x1, y1), Image.BILINEAR)
        out = io.BytesIO()
        crop.save(out, "PNG")
        crops.append(out.getvalue())
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda b: post(port, "/predict/ppocr_rec", b, {"Content-Type": "image/png"}), crops))
    return [json.loads(d).get("text") if st == 200 else None for st, d, _ in answers]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main():
    port, rounds = int(sys.argv[1]), int(sys.argv[2])
    lines = [row.rstrip("\n").split("\t") for row in open(os.path.join(DATA, "lines.tsv"), encoding="utf-8")]
    pngs = {name: open(os.path.join(DATA, "lines", name), "rb").read() for name, _ in lines}
    tensors = {name: tensor_body(os.path.join(DATA, "lines", name)) for name, _ in lines}
    exact, predict_ms, tensor_ms, misread = 0, [], [], []
    for name, text in lines:  # warm-up: first runs allocate
        post(port, "/predict/ppocr_rec", pngs[name], {"Content-Type": "image/png"})
    for r in range(rounds):
        for name, text in lines:
            status, data, elapsed = post(port, "/predict/ppocr_rec", pngs[name], {"Content-Type": "image/png"})
            predict_ms.append(elapsed * 1000)
            if r == 0:
                read = json.loads(data).get("text") if status == 200 else None
                if read == text:
                    exact += 1
                else:
                    misread.append((name, text, read))
            body, header_len = tensors[name]
            status, data, elapsed = post(port, "/v2/models/ppocr_rec/infer", body,
                                         {"Content-Type": "application/octet-stream",
                                          "Inference-Header-Content-Length": str(header_len)})
            assert status == 200, data[:200]
            tensor_ms.append(elapsed * 1000)
    direction_ok = 0
    for name, _ in lines:
        stem = name.split(".")[0]
        for file, label in ((name, "0"), (stem + "_180.png", "180")):
            body = open(os.path.join(DATA, "lines", file), "rb").read()
            status, data, _ = post(port, "/predict/ppocr_cls", body, {"Content-Type": "image/png"})
            direction_ok += status == 200 and json.loads(data)["predictions"][0]["label"] == label
    page_ms = []
    with ThreadPoolExecutor(4) as pool:
        for _ in range(rounds):
            start = time.perf_counter()
            list(pool.map(lambda n: post(port, "/predict/ppocr_rec", pngs[n], {"Content-Type": "image/png"}),
                          [name for name, _ in lines]))
            page_ms.append((time.perf_counter() - start) * 1000)
    page_png = open(os.path.join(DATA, "page.png"), "rb").read()
    page_image = Image.open(io.BytesIO(page_png)).convert("RGB")
    expected_page = [row.rstrip("\n").split("\t")[4] for row in open(os.path.join(DATA, "page_lines.tsv"), encoding="utf-8")]
    whole_ms, page_exact = [], 0
    for r in range(rounds):
        start = time.perf_counter()
        texts = read_page(port, page_png, page_image)
        whole_ms.append((time.perf_counter() - start) * 1000)
        if r == 0:
            page_exact = sum(1 for got, want in zip(texts, expected_page) if got == want)
            page_found = len(texts)
    server_ms, server_exact, server_found = [], 0, 0
    if "--no-reader" not in sys.argv:
        post(port, "/predict/ppocr", page_png, {"Content-Type": "image/png"})  # warm-up
        for r in range(rounds):
            status, data, elapsed = post(port, "/predict/ppocr", page_png, {"Content-Type": "image/png"})
            assert status == 200, data[:200]
            server_ms.append(elapsed * 1000)
            if r == 0:
                texts = [line["text"] for line in json.loads(data)["lines"]]
                server_found = len(texts)
                server_exact = sum(1 for got, want in zip(texts, expected_page) if got == want)
    print(f"lines read exactly: {exact} / {len(lines)}")
    for name, text, read in misread:
        print(f"  misread {name}: expected {text!r}, got {read!r}")
    print(f"direction classified right: {direction_ok} / {2 * len(lines)} (upright and upside down)")
    p50, p50_tensor = statistics.median(predict_ms), statistics.median(tensor_ms)
    print(f"/predict/ppocr_rec per line (PNG in, text out): p50 {p50:.1f} ms, p90 {percentile(predict_ms, 90):.1f} ms ({len(predict_ms)} requests)")
    print(f"baseline /v2 infer of the preprocessed tensor:   p50 {p50_tensor:.1f} ms, p90 {percentile(tensor_ms, 90):.1f} ms")
    print(f"ratio /predict : tensor baseline (p50): {p50 / p50_tensor:.2f}")
    print(f"page of {len(lines)} pre-cut lines over 4 connections: p50 {statistics.median(page_ms):.0f} ms ({rounds} pages)")
    print(f"whole page (detect, crop, read; {page_found} lines found, {page_exact} / {len(expected_page)} read exactly in order): "
          f"p50 {statistics.median(whole_ms):.0f} ms ({rounds} pages)")
    if server_ms:
        print(f"whole page in one request (/predict/ppocr; {server_found} lines found, {server_exact} / {len(expected_page)} read exactly in order): "
              f"p50 {statistics.median(server_ms):.0f} ms, p90 {percentile(server_ms, 90):.0f} ms ({rounds} pages)")
        print(f"ratio client-chained : one request (p50): {statistics.median(whole_ms) / statistics.median(server_ms):.2f}")


if __name__ == "__main__":
    main()
