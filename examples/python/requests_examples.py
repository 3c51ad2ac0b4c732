#!/usr/bin/env python3
"""Plain `requests` against every HTTP dialect inferd serves: KServe v2 (JSON and binary
tensors, repository, statistics, logging, trace), TF Serving, TorchServe (inference and
management), /predict image upload and the health routes. The examples in docs/python.md,
runnable; every call checks its answer:

  python3 requests_examples.py --url http://localhost:8000 [--images examples/images]

Needs a server on examples/model_repository started with --model-control-mode=explicit
--load-model=* (the repository and management examples load and unload `simple_identity`).
"""
import argparse
import json
import pathlib
import struct

import requests

A = list(range(16))
B = [1] * 16


def kserve(url):
    assert requests.get(f"{url}/v2/health/live").status_code == 200
    assert requests.get(f"{url}/v2/health/ready").status_code == 200
    assert requests.get(f"{url}/v2/models/simple/ready").status_code == 200
    print("server", requests.get(f"{url}/v2").json()["version"])
    meta = requests.get(f"{url}/v2/models/simple").json()
    print("simple inputs", [(i["name"], i["datatype"], i["shape"]) for i in meta["inputs"]])

    # JSON tensors: flat data in row-major order, shape given.
    body = {"inputs": [{"name": "INPUT0", "shape": [1, 16], "datatype": "INT32", "data": A},
                       {"name": "INPUT1", "shape": [1, 16], "datatype": "INT32", "data": B}]}
    r = requests.post(f"{url}/v2/models/simple/infer", json=body)
    r.raise_for_status()
    out = {o["name"]: o["data"] for o in r.json()["outputs"]}
    assert out["OUTPUT0"] == [a + b for a, b in zip(A, B)]

    # Binary tensors: a JSON header whose length is in Inference-Header-Content-Length, then the
    # raw little-endian bytes of each input; outputs asked back as binary too.
    header = json.dumps({
        "inputs": [{"name": "INPUT0", "shape": [1, 16], "datatype": "INT32",
                    "parameters": {"binary_data_size": 64}},
                   {"name": "INPUT1", "shape": [1, 16], "datatype": "INT32",
                    "parameters": {"binary_data_size": 64}}],
        "outputs": [{"name": "OUTPUT0", "parameters": {"binary_data": True}}]}).encode()
    payload = header + struct.pack("<16i", *A) + struct.pack("<16i", *B)
    r = requests.post(f"{url}/v2/models/simple/infer", data=payload,
                      headers={"Inference-Header-Content-Length": str(len(header)),
                               "Content-Type": "application/octet-stream"})
    r.raise_for_status()
    json_size = int(r.headers["Inference-Header-Content-Length"])
    response_header = json.loads(r.content[:json_size])
    sums = struct.unpack("<16i", r.content[json_size:json_size + 64])
    assert response_header["outputs"][0]["parameters"]["binary_data_size"] == 64
    assert list(sums) == [a + b for a, b in zip(A, B)]

    # Classification: the top 3 classes of an output, "score:index:label".
    image = [0.5] * (3 * 224 * 224)
    r = requests.post(f"{url}/v2/models/convnet/infer", json={
        "inputs": [{"name": "INPUT0", "shape": [1, 3, 224, 224], "datatype": "FP32",
                    "data": image}],
        "outputs": [{"name": "OUTPUT0", "parameters": {"classification": 3}}]})
    print("kserve classification", r.json()["outputs"][0]["data"])

    # Model repository: index, unload, load (the server runs --model-control-mode=explicit).
    index = requests.post(f"{url}/v2/repository/index", json={}).json()
    print("repository", [(m["name"], m.get("state")) for m in index])
    requests.post(f"{url}/v2/repository/models/simple_identity/unload").raise_for_status()
    assert requests.get(f"{url}/v2/models/simple_identity/ready").status_code == 400
    requests.post(f"{url}/v2/repository/models/simple_identity/load").raise_for_status()
    assert requests.get(f"{url}/v2/models/simple_identity/ready").status_code == 200

    stats = requests.get(f"{url}/v2/models/simple/stats").json()["model_stats"][0]
    print("simple inference_count", stats["inference_count"])
    config = requests.get(f"{url}/v2/models/simple/config").json()
    print("simple max_batch_size", config["max_batch_size"])
    print("log settings", requests.get(f"{url}/v2/logging").json())
    print("trace settings", requests.get(f"{url}/v2/trace/setting").json())


def tfserving(url):
    # Row format: one object per batch entry.
    r = requests.post(f"{url}/v1/models/simple:predict",
                      json={"instances": [{"INPUT0": A, "INPUT1": B}]})
    r.raise_for_status()
    assert r.json()["predictions"][0]["OUTPUT1"] == [a - b for a, b in zip(A, B)]
    # Columnar format: named tensors with their batch dimension.
    r = requests.post(f"{url}/v1/models/simple/versions/1:predict",
                      json={"inputs": {"INPUT0": [A], "INPUT1": [B]}})
    assert r.json()["outputs"]["OUTPUT0"] == [[a + b for a, b in zip(A, B)]]
    status = requests.get(f"{url}/v1/models/simple").json()
    print("tfs status", status["model_version_status"][0]["state"])
    signature = requests.get(f"{url}/v1/models/simple/metadata").json()
    print("tfs signature inputs",
          sorted(signature["metadata"]["signature_def"]["signature_def"]["serving_default"]
                 ["inputs"]))


def torchserve(url, images):
    assert requests.get(f"{url}/ping").json()["status"] == "Healthy"
    # JSON inputs: {input name: nested array} (a single-input model takes the bare array).
    r = requests.post(f"{url}/predictions/simple", json={"INPUT0": [A], "INPUT1": [B]})
    r.raise_for_status()
    assert r.json()["OUTPUT0"] == [[a + b for a, b in zip(A, B)]]
    if images:
        # An image for a model with a preprocessing pipeline: TorchServe's {"label": score}.
        with open(images / "shapes.jpg", "rb") as f:
            r = requests.post(f"{url}/predictions/convnet", data=f.read(),
                              headers={"Content-Type": "image/jpeg"})
        r.raise_for_status()
        print("torchserve image top label", next(iter(r.json())))
    # Management: list, describe, unregister, register, scale.
    print("torchserve models", [m["modelName"] for m in requests.get(f"{url}/models").json()["models"]])
    print("describe simple workers", len(requests.get(f"{url}/models/simple").json()[0]["workers"]))
    requests.delete(f"{url}/models/simple_identity").raise_for_status()
    r = requests.post(f"{url}/models", params={"url": "simple_identity", "initial_workers": 1})
    print("register:", r.json()["status"])
    r = requests.put(f"{url}/models/simple_identity", params={"min_worker": 2})
    print("scale:", r.json()["status"])
    # Errors are TorchServe's {"code", "type", "message"}.
    r = requests.get(f"{url}/models/no_such_model")
    assert r.status_code == 404 and r.json()["type"] == "ModelNotFoundException"
    # OPTIONS / is TorchServe's OpenAPI description of these APIs.
    assert "paths" in requests.options(f"{url}/").json()


def predict(url, images):
    assert requests.get(f"{url}/health").json()["status"] == "ok"
    if not images:
        return
    with open(images / "waves.png", "rb") as f:
        r = requests.post(f"{url}/predict/convnet", files={"file": ("waves.png", f, "image/png")})
    r.raise_for_status()
    best = r.json()["predictions"][0]
    print("predict", best["label"], round(best["score"], 3))


def describe(url):
    spec = requests.get(f"{url}/openapi.json").json()
    print("openapi", spec["openapi"], len(spec["paths"]), "paths")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8000")
    parser.add_argument("--images", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent / "images")
    parser.add_argument("--skip-openapi", action="store_true", help="servers before /openapi.json")
    args = parser.parse_args()
    images = args.images if args.images.is_dir() else None
    kserve(args.url)
    tfserving(args.url)
    torchserve(args.url, images)
    predict(args.url, images)
    if not args.skip_openapi:
        describe(args.url)
    print("all requests examples OK")
