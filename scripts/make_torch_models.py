#!/usr/bin/python3
"""Generates the TorchScript test models of the libtorch backend, their config.pbtxt files and
the outputs torch itself computes for fixed inputs (the tests compare the server's against them).

Usage (Debian's torch is visible only to /usr/bin/python3; CMake runs this at build time):

    /usr/bin/python3 scripts/make_torch_models.py --out DIR

Writes DIR/repository/<model>/{config.pbtxt,1/model.pt} and DIR/expected/<model>.json:

  torch_mlp_traced      traced Linear-ReLU-Linear; INPUT__0/OUTPUT__0 by position; batching
  torch_pair_scripted   scripted forward(image, scale) -> (scaled, total); IO by name and order
  torch_all_types       scripted identity over every element type libtorch has
  torch_throws          scripted; raises for an input whose sum exceeds 1000
  torch_dict_output     scripted forward() -> Dict[str, Tensor]: must be refused at load
  torch_nested_output   traced forward() -> (Tensor, (Tensor, Tensor)): must be refused at load

The models are generated, not committed: TorchScript archives embed the torch version that wrote
them. Weights come from fixed seeds.
"""

import argparse
import json
import os
from typing import Dict, Tuple

import torch

ALL_TYPES = [
    # (config type, torch dtype)
    ("TYPE_BOOL", torch.bool),
    ("TYPE_UINT8", torch.uint8),
    ("TYPE_INT8", torch.int8),
    ("TYPE_INT16", torch.int16),
    ("TYPE_INT32", torch.int32),
    ("TYPE_INT64", torch.int64),
    ("TYPE_FP16", torch.float16),
    ("TYPE_BF16", torch.bfloat16),
    ("TYPE_FP32", torch.float32),
    ("TYPE_FP64", torch.float64),
]


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(16, 8)
        self.fc2 = torch.nn.Linear(8, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


class Pair(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.linspace(-1.0, 1.0, 6))

    def forward(self, image: torch.Tensor, scale: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        scaled = image * scale + self.bias
        return scaled, image.sum(dim=1, keepdim=True)


class AllTypes(torch.nn.Module):
    def forward(self, a, b, c, d, e, f, g, h, i, j):
        return (a.clone(), b.clone(), c.clone(), d.clone(), e.clone(), f.clone(), g.clone(),
                h.clone(), i.clone(), j.clone())


class Throws(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if bool(x.sum() > 1000.0):
            raise RuntimeError("inferd-test: the input sum is above 1000")
        return x * 2.0


class DictOutput(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        return {"y": x + 1.0}


class NestedOutput(torch.nn.Module):
    def forward(self, x):
        return x, (x + 1.0, x + 2.0)


def config_text(name, max_batch_size, inputs, outputs, extra=""):
    def io(entries):
        return ",\n".join(
            '  { name: "%s" data_type: %s dims: [ %s ] }' % (n, t, ", ".join(str(d) for d in dims))
            for n, t, dims in entries)
    return ('name: "%s"\nplatform: "pytorch_libtorch"\nmax_batch_size: %d\n'
            "input [\n%s\n]\noutput [\n%s\n]\n%s" % (name, max_batch_size, io(inputs), io(outputs),
                                                    extra))


def save(out, name, module, config, expected=None):
    folder = os.path.join(out, "repository", name, "1")
    os.makedirs(folder, exist_ok=True)
    torch.jit.save(module, os.path.join(folder, "model.pt"))
    with open(os.path.join(out, "repository", name, "config.pbtxt"), "w") as f:
        f.write(config)
    if expected is not None:
        os.makedirs(os.path.join(out, "expected"), exist_ok=True)
        with open(os.path.join(out, "expected", name + ".json"), "w") as f:
            json.dump(expected, f, indent=1)


def values(t):
    return t.detach().flatten().to(torch.float64).tolist() if t.dtype != torch.bool else \
        t.flatten().tolist()


def make_mlp(out):
    torch.manual_seed(17)
    model = Mlp().eval()
    x = torch.randn(3, 16)
    traced = torch.jit.trace(model, torch.randn(2, 16))
    with torch.no_grad():
        y = traced(x)
    save(out, "torch_mlp_traced", traced,
         config_text("torch_mlp_traced", 8, [("INPUT__0", "TYPE_FP32", [16])],
                     [("OUTPUT__0", "TYPE_FP32", [4])], "dynamic_batching { }\n"),
         {"inputs": {"INPUT__0": {"shape": list(x.shape), "data": values(x)}},
          "outputs": {"OUTPUT__0": {"shape": list(y.shape), "data": values(y)}}})


def make_pair(out):
    torch.manual_seed(18)
    scripted = torch.jit.script(Pair().eval())
    image = torch.randn(2, 6)
    scale = torch.randn(2, 6)
    with torch.no_grad():
        scaled, total = scripted(image, scale)
    # Inputs listed in the opposite order of forward()'s: bound by name, not position.
    save(out, "torch_pair_scripted", scripted,
         config_text("torch_pair_scripted", 4,
                     [("scale", "TYPE_FP32", [6]), ("image", "TYPE_FP32", [6])],
                     [("scaled", "TYPE_FP32", [6]), ("total", "TYPE_FP32", [1])]),
         {"inputs": {"image": {"shape": [2, 6], "data": values(image)},
                     "scale": {"shape": [2, 6], "data": values(scale)}},
          "outputs": {"scaled": {"shape": [2, 6], "data": values(scaled)},
                      "total": {"shape": [2, 1], "data": values(total)}}})


def make_all_types(out):
    scripted = torch.jit.script(AllTypes())
    inputs = [("INPUT__%d" % k, t, [3]) for k, (t, _) in enumerate(ALL_TYPES)]
    outputs = [("OUTPUT__%d" % k, t, [3]) for k, (t, _) in enumerate(ALL_TYPES)]
    save(out, "torch_all_types", scripted, config_text("torch_all_types", 0, inputs, outputs))


def make_throws(out):
    scripted = torch.jit.script(Throws())
    save(out, "torch_throws", scripted,
         config_text("torch_throws", 0, [("INPUT__0", "TYPE_FP32", [4])],
                     [("OUTPUT__0", "TYPE_FP32", [4])]))


def make_refused(out):
    save(out, "torch_dict_output", torch.jit.script(DictOutput()),
         config_text("torch_dict_output", 0, [("INPUT__0", "TYPE_FP32", [4])],
                     [("OUTPUT__0", "TYPE_FP32", [4])]))
    nested = torch.jit.trace(NestedOutput(), torch.zeros(4), strict=False)
    save(out, "torch_nested_output", nested,
         config_text("torch_nested_output", 0, [("INPUT__0", "TYPE_FP32", [4])],
                     [("OUTPUT__0", "TYPE_FP32", [4])]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="output folder")
    args = parser.parse_args()
    torch.set_num_threads(1)
    make_mlp(args.out)
    make_pair(args.out)
    make_all_types(args.out)
    make_throws(args.out)
    make_refused(args.out)
    with open(os.path.join(args.out, "stamp"), "w") as f:
        f.write(torch.__version__ + "\n")


if __name__ == "__main__":
    main()
