#!/usr/bin/python3
"""Generates inferd's example and test ONNX models (and their config.pbtxt files).

Usage (from the repository root; Debian's onnx and numpy are visible only to /usr/bin/python3):

    /usr/bin/python3 scripts/make_models.py            # writes both repositories below
    /usr/bin/python3 scripts/make_models.py --out DIR  # writes them under DIR instead

Writes:
  examples/model_repository/      simple, add_sub_fp32, mlp, convnet, identity_autocomplete, and
                                   Triton's example models simple_string, simple_identity,
                                   simple_int8 (same names, inputs and outputs as Triton's),
                                   simple_ensemble (two steps of `simple`: OUTPUT0 = 2 x INPUT0,
                                   OUTPUT1 = 2 x INPUT1)
  tests/testdata/model_repository/ identity_all_types, simple_copy, fixed_shape

Output is deterministic: weights come from fixed seeds, the opset and IR version are pinned and
nothing time- or host-dependent is written, so re-running yields byte-identical files. Requires
onnx >= 1.12 and numpy; ONNX Runtime is not needed to generate (the C++ backend tests run them).
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
# IR 7 is what opset 13 was released with; every ONNX Runtime since 1.6 (and 1.30) reads it.
IR_VERSION = 7

ALL_TYPES = [
    # (suffix, ONNX element type, config type)
    ("BOOL", TensorProto.BOOL, "TYPE_BOOL"),
    ("UINT8", TensorProto.UINT8, "TYPE_UINT8"),
    ("UINT16", TensorProto.UINT16, "TYPE_UINT16"),
    ("UINT32", TensorProto.UINT32, "TYPE_UINT32"),
    ("UINT64", TensorProto.UINT64, "TYPE_UINT64"),
    ("INT8", TensorProto.INT8, "TYPE_INT8"),
    ("INT16", TensorProto.INT16, "TYPE_INT16"),
    ("INT32", TensorProto.INT32, "TYPE_INT32"),
    ("INT64", TensorProto.INT64, "TYPE_INT64"),
    ("FP16", TensorProto.FLOAT16, "TYPE_FP16"),
    ("BF16", TensorProto.BFLOAT16, "TYPE_BF16"),
    ("FP32", TensorProto.FLOAT, "TYPE_FP32"),
    ("FP64", TensorProto.DOUBLE, "TYPE_FP64"),
    ("STRING", TensorProto.STRING, "TYPE_STRING"),
]


def make_model(graph):
    model = helper.make_model(
        graph,
        producer_name="inferd-make_models",
        producer_version="1",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


def write_model(repo, name, model, config=None, extra_files=None):
    model_dir = os.path.join(repo, name)
    os.makedirs(os.path.join(model_dir, "1"), exist_ok=True)
    with open(os.path.join(model_dir, "1", "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    if config is not None:
        with open(os.path.join(model_dir, "config.pbtxt"), "w") as f:
            f.write(config)
    for filename, text in (extra_files or {}).items():
        with open(os.path.join(model_dir, filename), "w") as f:
            f.write(text)


def tensor_config(kind, name, config_type, dims, extra=""):
    dims_text = ", ".join(str(d) for d in dims)
    return (
        f"{kind} [\n  {{\n    name: \"{name}\"\n    data_type: {config_type}\n"
        f"    dims: [ {dims_text} ]\n{extra}  }}\n]\n"
    )


def model_config(name, max_batch_size, inputs, outputs, extra=""):
    text = f'name: "{name}"\nbackend: "onnxruntime"\nmax_batch_size: {max_batch_size}\n'
    for input_name, config_type, dims in inputs:
        text += tensor_config("input", input_name, config_type, dims)
    for output_name, config_type, dims, output_extra in outputs:
        text += tensor_config("output", output_name, config_type, dims, output_extra)
    return text + extra


def two_in_two_out(name, nodes, elem_type, config_type):
    # INPUT0, INPUT1 -> OUTPUT0, OUTPUT1, all [batch, 16] of one type: the shape of Triton's
    # `simple` family, whatever `nodes` compute between them.
    shape = ["batch", 16]
    graph = helper.make_graph(
        nodes,
        name,
        [
            helper.make_tensor_value_info("INPUT0", elem_type, shape),
            helper.make_tensor_value_info("INPUT1", elem_type, shape),
        ],
        [
            helper.make_tensor_value_info("OUTPUT0", elem_type, shape),
            helper.make_tensor_value_info("OUTPUT1", elem_type, shape),
        ],
    )
    config = model_config(
        name,
        8,
        [("INPUT0", config_type, [16]), ("INPUT1", config_type, [16])],
        [("OUTPUT0", config_type, [16], ""), ("OUTPUT1", config_type, [16], "")],
    )
    return make_model(graph), config


def add_sub(name, elem_type, config_type):
    return two_in_two_out(
        name,
        [
            helper.make_node("Add", ["INPUT0", "INPUT1"], ["OUTPUT0"]),
            helper.make_node("Sub", ["INPUT0", "INPUT1"], ["OUTPUT1"]),
        ],
        elem_type,
        config_type,
    )


def add_sub_via(name, elem_type, config_type, compute_type):
    # Add/Sub computed in `compute_type` between two Casts: Triton's simple_string (BYTES holding
    # decimal numbers, parsed and printed by ONNX Cast) and simple_int8 (opset 13's Add and Sub
    # have no int8 kernel).
    return two_in_two_out(
        name,
        [
            helper.make_node("Cast", ["INPUT0"], ["a"], to=compute_type),
            helper.make_node("Cast", ["INPUT1"], ["b"], to=compute_type),
            helper.make_node("Add", ["a", "b"], ["sum"]),
            helper.make_node("Sub", ["a", "b"], ["difference"]),
            helper.make_node("Cast", ["sum"], ["OUTPUT0"], to=elem_type),
            helper.make_node("Cast", ["difference"], ["OUTPUT1"], to=elem_type),
        ],
        elem_type,
        config_type,
    )


def simple_identity():
    # Triton's simple_identity: one BYTES tensor of any length, returned as it came.
    graph = helper.make_graph(
        [helper.make_node("Identity", ["INPUT0"], ["OUTPUT0"])],
        "simple_identity",
        [helper.make_tensor_value_info("INPUT0", TensorProto.STRING, ["batch", "n"])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.STRING, ["batch", "n"])],
    )
    config = model_config(
        "simple_identity",
        8,
        [("INPUT0", "TYPE_STRING", [-1])],
        [("OUTPUT0", "TYPE_STRING", [-1], "")],
    )
    return make_model(graph), config


def weights(rng, name, shape, fan_in):
    # Scaled so activations stay in a sane range through the layers (He-style initialisation).
    values = rng.standard_normal(shape).astype(np.float32) * np.float32(np.sqrt(2.0 / fan_in))
    return numpy_helper.from_array(values, name)


def mlp():
    rng = np.random.default_rng(1234)
    initializers = [
        weights(rng, "fc1_w", (784, 256), 784),
        numpy_helper.from_array(np.zeros(256, np.float32), "fc1_b"),
        weights(rng, "fc2_w", (256, 10), 256),
        numpy_helper.from_array(np.zeros(10, np.float32), "fc2_b"),
    ]
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["INPUT0", "fc1_w", "fc1_b"], ["fc1"]),
            helper.make_node("Relu", ["fc1"], ["relu1"]),
            helper.make_node("Gemm", ["relu1", "fc2_w", "fc2_b"], ["fc2"]),
            helper.make_node("Softmax", ["fc2"], ["OUTPUT0"], axis=-1),
        ],
        "mlp",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 784])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 10])],
        initializers,
    )
    config = model_config(
        "mlp",
        8,
        [("INPUT0", "TYPE_FP32", [784])],
        [("OUTPUT0", "TYPE_FP32", [10], '    label_filename: "labels.txt"\n')],
    )
    labels = "".join(f"digit_{i}\n" for i in range(10))
    return make_model(graph), config, {"labels.txt": labels}


def convnet():
    rng = np.random.default_rng(5678)
    c1, c2 = 32, 64
    initializers = [
        weights(rng, "conv1_w", (c1, 3, 3, 3), 3 * 9),
        numpy_helper.from_array(np.zeros(c1, np.float32), "conv1_b"),
        weights(rng, "conv2_w", (c2, c1, 3, 3), c1 * 9),
        numpy_helper.from_array(np.zeros(c2, np.float32), "conv2_b"),
        weights(rng, "fc_w", (c2, 10), c2),
        numpy_helper.from_array(np.zeros(10, np.float32), "fc_b"),
    ]
    conv = dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["INPUT0", "conv1_w", "conv1_b"], ["conv1"], **conv),
            helper.make_node("Relu", ["conv1"], ["relu1"]),
            helper.make_node("Conv", ["relu1", "conv2_w", "conv2_b"], ["conv2"], **conv),
            helper.make_node("Relu", ["conv2"], ["relu2"]),
            helper.make_node("GlobalAveragePool", ["relu2"], ["pool"]),
            helper.make_node("Flatten", ["pool"], ["flat"], axis=1),
            helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["OUTPUT0"]),
        ],
        "convnet",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 3, 224, 224])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 10])],
        initializers,
    )
    config = model_config(
        "convnet",
        8,
        [("INPUT0", "TYPE_FP32", [3, 224, 224])],
        [("OUTPUT0", "TYPE_FP32", [10], '    label_filename: "labels.txt"\n')],
    )
    # Untrained (random weights): the classes are placeholders. The image pipeline makes
    # `curl -F file=@examples/images/cat.jpg localhost:8000/predict/convnet` work
    # (docs/preprocessing.md): torchvision's ImageNet evaluation transforms.
    labels = "".join(f"{name}\n" for name in CONVNET_CLASSES)
    return make_model(graph), config, {"labels.txt": labels, "pipeline.json": CONVNET_PIPELINE}


CONVNET_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                   "truck"]
CONVNET_PIPELINE = """{
  "image": {
    "input": "INPUT0",
    "color": "RGB",
    "resize": {"shorter_side": 256, "interpolation": "bilinear"},
    "center_crop": {"width": 224, "height": 224},
    "scale": true,
    "mean": [0.485, 0.456, 0.406],
    "std": [0.229, 0.224, 0.225],
    "layout": "NCHW",
    "dtype": "FP32"
  },
  "output": {"name": "OUTPUT0", "softmax": true, "top_k": 3}
}
"""


def identity_autocomplete():
    # No config.pbtxt is written for this one: it demonstrates config auto-complete.
    graph = helper.make_graph(
        [helper.make_node("Add", ["INPUT0", "one"], ["OUTPUT0"])],
        "identity_autocomplete",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 4])],
        [numpy_helper.from_array(np.ones(4, np.float32), "one")],
    )
    return make_model(graph)


def identity_all_types(types):
    nodes, inputs, outputs = [], [], []
    for suffix, elem_type, _ in types:
        nodes.append(helper.make_node("Identity", [f"IN_{suffix}"], [f"OUT_{suffix}"]))
        inputs.append(helper.make_tensor_value_info(f"IN_{suffix}", elem_type, ["batch", "n"]))
        outputs.append(helper.make_tensor_value_info(f"OUT_{suffix}", elem_type, ["batch", "n"]))
    return make_model(helper.make_graph(nodes, "identity_all_types", inputs, outputs))


def fixed_shape():
    # A fixed first dimension: auto-complete must infer max_batch_size 0 (no batching).
    graph = helper.make_graph(
        [helper.make_node("Identity", ["INPUT0"], ["OUTPUT0"])],
        "fixed_shape",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, [2, 3])],
    )
    return make_model(graph)


def plus_constant(constant):
    # y = x + constant: the lifecycle tests' "versions" of one model, told apart by the constant.
    graph = helper.make_graph(
        [helper.make_node("Add", ["INPUT0", "C"], ["OUTPUT0"])],
        "plus_constant",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 4])],
        [numpy_helper.from_array(np.full([4], constant, dtype=np.float32), "C")],
    )
    return make_model(graph)


def scaled_classifier(scale):
    # OUTPUT0 = INPUT0 * scale: version 1 scales by 1, version 2 by -1, so their outputs (and
    # their top-1 classes) differ; `inferd smoke --compare-version` must notice.
    graph = helper.make_graph(
        [helper.make_node("Mul", ["INPUT0", "scale"], ["OUTPUT0"])],
        "two_versions",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 4])],
        [numpy_helper.from_array(np.array([scale], np.float32), "scale")],
    )
    return make_model(graph)


def write_two_versions(repo):
    model_dir = os.path.join(repo, "two_versions")
    for version, scale in ((1, 1.0), (2, -1.0)):
        os.makedirs(os.path.join(model_dir, str(version)), exist_ok=True)
        with open(os.path.join(model_dir, str(version), "model.onnx"), "wb") as f:
            f.write(scaled_classifier(scale).SerializeToString())
    config = model_config(
        "two_versions",
        8,
        [("INPUT0", "TYPE_FP32", [4])],
        [("OUTPUT0", "TYPE_FP32", [4], "")],
        "version_policy: { all: {} }\n",
    )
    with open(os.path.join(model_dir, "config.pbtxt"), "w") as f:
        f.write(config)


def write_lifecycle_testdata(folder):
    os.makedirs(folder, exist_ok=True)
    for constant in (1, 2):
        with open(os.path.join(folder, f"plus{constant}.onnx"), "wb") as f:
            f.write(plus_constant(constant).SerializeToString())


def write_ensemble(repo, name, config):
    # An ensemble has no model file; its version folder holds only a marker, so that git keeps it
    # (Triton's ensembles have an empty `1/`).
    model_dir = os.path.join(repo, name)
    os.makedirs(os.path.join(model_dir, "1"), exist_ok=True)
    with open(os.path.join(model_dir, "1", "README"), "w") as f:
        f.write("An ensemble's version folder: its steps are in ../config.pbtxt.\n")
    with open(os.path.join(model_dir, "config.pbtxt"), "w") as f:
        f.write(config)


def simple_ensemble():
    # (a + b, a - b), then the same again: (2a, 2b). Two steps of one model, the second fed by the
    # first's outputs.
    return (
        'name: "simple_ensemble"\nplatform: "ensemble"\nmax_batch_size: 8\n'
        + tensor_config("input", "INPUT0", "TYPE_INT32", [16])
        + tensor_config("input", "INPUT1", "TYPE_INT32", [16])
        + tensor_config("output", "OUTPUT0", "TYPE_INT32", [16])
        + tensor_config("output", "OUTPUT1", "TYPE_INT32", [16])
        + "ensemble_scheduling {\n  step [\n"
        '    {\n      model_name: "simple"\n      model_version: -1\n'
        '      input_map { key: "INPUT0" value: "INPUT0" }\n'
        '      input_map { key: "INPUT1" value: "INPUT1" }\n'
        '      output_map { key: "OUTPUT0" value: "sum" }\n'
        '      output_map { key: "OUTPUT1" value: "difference" }\n    },\n'
        '    {\n      model_name: "simple"\n      model_version: -1\n'
        '      input_map { key: "INPUT0" value: "sum" }\n'
        '      input_map { key: "INPUT1" value: "difference" }\n'
        '      output_map { key: "OUTPUT0" value: "OUTPUT0" }\n'
        '      output_map { key: "OUTPUT1" value: "OUTPUT1" }\n    }\n  ]\n}\n'
    )


def write_examples(repo):
    model, config = add_sub("simple", TensorProto.INT32, "TYPE_INT32")
    write_model(repo, "simple", model, config)
    model, config = add_sub("add_sub_fp32", TensorProto.FLOAT, "TYPE_FP32")
    write_model(repo, "add_sub_fp32", model, config)
    model, config, files = mlp()
    write_model(repo, "mlp", model, config, files)
    model, config, files = convnet()
    write_model(repo, "convnet", model, config, files)
    write_model(repo, "identity_autocomplete", identity_autocomplete())
    model, config = add_sub_via("simple_string", TensorProto.STRING, "TYPE_STRING",
                                TensorProto.INT32)
    write_model(repo, "simple_string", model, config)
    model, config = add_sub_via("simple_int8", TensorProto.INT8, "TYPE_INT8", TensorProto.INT32)
    write_model(repo, "simple_int8", model, config)
    model, config = simple_identity()
    write_model(repo, "simple_identity", model, config)
    write_ensemble(repo, "simple_ensemble", simple_ensemble())


def write_testdata(repo):
    write_model(repo, "identity_all_types", identity_all_types(ALL_TYPES))
    model, config = add_sub("simple_copy", TensorProto.INT32, "TYPE_INT32")
    write_model(repo, "simple_copy", model, config)
    write_model(repo, "fixed_shape", fixed_shape())
    write_two_versions(repo)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=root, help="root to write under (default: the repo)")
    args = parser.parse_args()
    write_examples(os.path.join(args.out, "examples", "model_repository"))
    write_testdata(os.path.join(args.out, "tests", "testdata", "model_repository"))
    write_lifecycle_testdata(os.path.join(args.out, "tests", "testdata", "lifecycle"))


if __name__ == "__main__":
    main()
