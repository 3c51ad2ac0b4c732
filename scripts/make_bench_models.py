#!/usr/bin/python3
"""Generates benchmark-only models (not committed; too large for the repository).

    apt-get install python3-torch python3-torchvision   # Debian 12; not needed for the tests
    /usr/bin/python3 scripts/make_bench_models.py [--out bench/model_repository]

Writes <out>/resnet18/{config.pbtxt,1/model.onnx}: torchvision's ResNet-18 with random weights
(weights=None, fixed seed), exported to ONNX with a dynamic batch axis, FP32 [N,3,224,224] -> [N,1000];
and <out>/resnet18_torch/{config.pbtxt,1/model.pt}: the same network traced to TorchScript, for the
libtorch backend (Triton's INPUT__0/OUTPUT__0 names).
"""
import argparse
import os

import torch
import torchvision

CONFIG = """name: "resnet18"
backend: "onnxruntime"
max_batch_size: 8
input [ { name: "input" data_type: TYPE_FP32 dims: [ 3, 224, 224 ] } ]
output [ { name: "logits" data_type: TYPE_FP32 dims: [ 1000 ] } ]
"""

TORCH_CONFIG = """name: "resnet18_torch"
platform: "pytorch_libtorch"
max_batch_size: 8
input [ { name: "INPUT__0" data_type: TYPE_FP32 dims: [ 3, 224, 224 ] } ]
output [ { name: "OUTPUT__0" data_type: TYPE_FP32 dims: [ 1000 ] } ]
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "bench",
                                                      "model_repository"))
    args = parser.parse_args()
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    folder = os.path.join(args.out, "resnet18")
    os.makedirs(os.path.join(folder, "1"), exist_ok=True)
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), os.path.join(folder, "1", "model.onnx"),
                      input_names=["input"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    with open(os.path.join(folder, "config.pbtxt"), "w") as f:
        f.write(CONFIG)
    print("wrote", folder)
    folder = os.path.join(args.out, "resnet18_torch")
    os.makedirs(os.path.join(folder, "1"), exist_ok=True)
    traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))
    torch.jit.save(traced, os.path.join(folder, "1", "model.pt"))
    with open(os.path.join(folder, "config.pbtxt"), "w") as f:
        f.write(TORCH_CONFIG)
    print("wrote", folder)


if __name__ == "__main__":
    main()
