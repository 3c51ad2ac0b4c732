#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/seed_*.

Seeds are small, real-looking inputs of each parser (what clients and model repositories send),
so the fuzzers start from valid structure. Regenerate with `tests/fuzz/make_corpus.py`; the
output is deterministic. Files named crash_* beside the seeds are inputs a fuzzer once crashed
on, kept as regression tests: this script leaves them alone.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed_" + name), "wb") as f:
        f.write(data)


def clear_seeds():
    if not os.path.isdir(CORPUS):
        return
    for target in os.listdir(CORPUS):
        for name in os.listdir(os.path.join(CORPUS, target)):
            if name.startswith("seed_"):
                os.remove(os.path.join(CORPUS, target, name))


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def v2_json():
    write("v2_infer_json", "fp32", compact({
        "id": "req-1",
        "inputs": [{"name": "INPUT0", "shape": [1, 4], "datatype": "FP32",
                    "data": [1.0, 2.5, -3.0, 4.0]},
                   {"name": "INPUT1", "shape": [1, 3], "datatype": "INT64", "data": [[1, 2, 3]]}],
        "outputs": [{"name": "OUTPUT0"}]}))
    write("v2_infer_json", "bytes", compact({
        "inputs": [{"name": "TEXT", "shape": [2], "datatype": "BYTES", "data": ["hello", "wörld"]},
                   {"name": "FLAG", "shape": [1], "datatype": "BOOL", "data": [True]},
                   {"name": "HALF", "shape": [2, 1], "datatype": "FP16", "data": [0.5, 65504]}],
        "parameters": {"binary_data_output": True, "priority": 1, "timeout": 1000}}))
    write("v2_infer_json", "classification", compact({
        "inputs": [{"name": "INPUT0", "shape": [2, 4], "datatype": "FP32",
                    "data": [[1, 2, 3, 4], [5, 6, 7, 8]]}],
        "outputs": [{"name": "INPUT0", "parameters": {"classification": 2}},
                    {"name": "OUTPUT0", "parameters": {"binary_data": True}}]}))
    write("v2_infer_json", "uint8_reshape", compact({
        "inputs": [{"name": "IMG", "shape": [1, 2, 2], "datatype": "UINT8", "data": [0, 127, 128, 255]},
                   {"name": "D", "shape": [1, 2], "datatype": "FP64", "data": [1e-300, -2.5]}],
        "parameters": {"sequence_id": 7, "sequence_start": True}}))


def v2_binary():
    def request(header, blobs):
        head = compact(header).encode()
        return str(len(head)).encode() + b"\n" + head + b"".join(blobs)

    fp32 = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)
    write("v2_binary_split", "fp32", request({
        "inputs": [{"name": "INPUT0", "shape": [1, 4], "datatype": "FP32",
                    "parameters": {"binary_data_size": len(fp32)}}],
        "outputs": [{"name": "OUTPUT0", "parameters": {"binary_data": True}}]}, [fp32]))
    text = b"".join(struct.pack("<I", len(s)) + s for s in (b"abc", b"", b"\xff\x00z"))
    int64 = struct.pack("<3q", 1, -2, 3)
    write("v2_binary_split", "bytes_int64", request({
        "inputs": [{"name": "TEXT", "shape": [3], "datatype": "BYTES",
                    "parameters": {"binary_data_size": len(text)}},
                   {"name": "INPUT1", "shape": [1, 3], "datatype": "INT64",
                    "parameters": {"binary_data_size": len(int64)}}],
        "parameters": {"binary_data_output": True}}, [text, int64]))
    half = struct.pack("<4e", 1.0, -0.5, 2.0, 0.0)
    write("v2_binary_split", "fp16_mixed", request({
        "inputs": [{"name": "HALF", "shape": [2, 2], "datatype": "FP16",
                    "parameters": {"binary_data_size": len(half)}},
                   {"name": "TEXT", "shape": [1], "datatype": "BYTES", "data": ["json"]}]}, [half]))


def multipart():
    def form(boundary, parts, content_type=None):
        body = b""
        for name, filename, ctype, data in parts:
            body += b"--" + boundary + b"\r\n"
            disposition = b'Content-Disposition: form-data; name="' + name + b'"'
            if filename:
                disposition += b'; filename="' + filename + b'"'
            body += disposition + b"\r\n"
            if ctype:
                body += b"Content-Type: " + ctype + b"\r\n"
            body += b"\r\n" + data + b"\r\n"
        body += b"--" + boundary + b"--\r\n"
        header = content_type or b"multipart/form-data; boundary=" + boundary
        return header + b"\n" + body

    write("multipart", "curl_file", form(b"------------------------d74496d66958873e", [
        (b"data", b"kitten.jpg", b"image/jpeg", b"\xff\xd8\xff\xe0JFIF-ish bytes\xff\xd9")]))
    write("multipart", "two_fields", form(b"XyZ", [
        (b"model", None, None, b"convnet"),
        (b"file", b"a.png", b"image/png", b"\x89PNG\r\n\x1a\nrest")]))
    write("multipart", "quoted_boundary", form(
        b"b 1", [(b"image", b"x.bin", b"application/octet-stream", b"\x00\x01\x02")],
        content_type=b'multipart/form-data; charset=utf-8; boundary="b 1"'))


def url_query():
    # First byte: the method (index into GET, POST, PUT, DELETE, HEAD, OPTIONS).
    get, post, put, delete, options = b"\x00", b"\x01", b"\x02", b"\x03", b"\x05"
    seeds = {
        "v2_infer": post + b"/v2/models/echo/versions/1/infer",
        "v2_ready": get + b"/v2/models/my%20model/ready",
        "v2_load": post + b"/v2/repository/models/echo/load",
        "tfs_predict": post + b"/v1/models/echo/versions/2:predict",
        "tfs_label": get + b"/v1/models/echo/labels/stable",
        "ts_register": post + b"/models?url=echo&initial_workers=1&synchronous=true&batch_size=4",
        "ts_scale": put + b"/models/echo/1.0?min_worker=2&max_worker=2",
        "ts_list": get + b"/models?limit=10&next_page_token=3",
        "ts_delete": delete + b"/models/echo/2",
        "ts_predict": post + b"/predictions/echo/1.0",
        "ts_options": options + b"/",
        "predict": post + b"/predict/echo/versions/1?x=%41+b&y",
        "metrics": get + b"/metrics?name[]=nv_inference_count",
    }
    for name, data in seeds.items():
        write("url_query", name, data)


def config_pbtxt():
    with open(os.path.join(ROOT, "examples", "model_repository", "simple", "config.pbtxt"), "rb") as f:
        write("config_pbtxt", "simple", f.read())
    write("config_pbtxt", "full", """name: "resnet"
platform: "onnxruntime_onnx"
max_batch_size: 16
version_policy: { specific: { versions: [ 1, 3 ] } }
input [ { name: "image" data_type: TYPE_UINT8 format: FORMAT_NCHW dims: [ 3, 8, 8 ] } ]
input [ { name: "text" data_type: TYPE_STRING dims: [ -1 ] reshape: { shape: [ ] } optional: true } ]
output [ { name: "scores" data_type: TYPE_FP32 dims: [ 10 ] label_filename: "labels.txt" } ]
instance_group [ { name: "cpu" count: 2 kind: KIND_CPU } ]
dynamic_batching {
  preferred_batch_size: [ 4, 8 ]
  max_queue_delay_microseconds: 100
  priority_levels: 2
  default_priority_level: 1
  default_queue_policy { timeout_action: REJECT default_timeout_microseconds: 5000 max_queue_size: 8 }
  priority_queue_policy { key: 2 value: { timeout_action: DELAY max_queue_size: 4 } }
}
parameters { key: "intra_op_thread_count" value: { string_value: "1" } }
""")
    write("config_pbtxt", "autocomplete", 'backend: "onnxruntime"\nversion_policy: { latest: { num_versions: 2 } }\n')
    write("config_pbtxt", "json", compact({
        "name": "m", "max_batch_size": 4,
        "input": [{"name": "INPUT0", "data_type": "TYPE_FP32", "dims": [16]}],
        "output": [{"name": "OUTPUT0", "data_type": "TYPE_FP32", "dims": [16]}],
        "instance_group": [{"count": 1, "kind": "KIND_CPU"}]}))


def pipeline_json():
    with open(os.path.join(ROOT, "examples", "model_repository", "convnet", "pipeline.json"), "rb") as f:
        write("pipeline_json", "convnet", f.read())
    write("pipeline_json", "gray_exact", compact({
        "image": {"color": "GRAY", "exif_orientation": False, "max_pixels": 1000000,
                  "resize": {"width": 4, "height": 6, "interpolation": "bicubic"},
                  "scale": False, "layout": "NHWC", "dtype": "UINT8"},
        "output": {"softmax": False, "top_k": 0}}))
    write("pipeline_json", "bgr_crop", compact({
        "image": {"input": "data", "color": "BGR", "center_crop": {"width": 9, "height": 3},
                  "mean": [104, 117, 123], "std": [1, 1, 1], "scale": False},
        "output": {"name": "prob", "top_k": 2}}))
    for model in ("ppocr_rec", "ppocr_cls", "ppocr_det"):
        with open(os.path.join(ROOT, "examples", "model_repository", model, "pipeline.json"), "rb") as f:
            write("pipeline_json", model, f.read())
    write("pipeline_json", "text_line_uint8", compact({
        "image": {"color": "GRAY", "dtype": "UINT8", "layout": "NHWC", "min_side": 2,
                  "resize": {"height": 4, "max_width": 9, "max_aspect_ratio": 3},
                  "pad": {"width": 12, "height": 5, "value": 255}},
        "output": {"decode": "ctc", "ctc_blank": 2, "ctc_space_last": True}}))


def png(width, height, color_type, rows, extra_chunks=(), bit_depth=8, interlace=0):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    raw = b"".join(b"\x00" + row for row in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    for kind, data in extra_chunks:
        out += chunk(kind, data)
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def images():
    rgb = [bytes((x * 40 + y * 7) % 256 for x in range(6) for _ in range(3)) for y in range(4)]
    write("image_pipeline", "rgb.png", png(6, 4, 2, rgb))
    gray = [bytes((x * y * 9) % 256 for x in range(5)) for y in range(5)]
    write("image_pipeline", "gray.png", png(5, 5, 0, gray))
    rgba = [bytes((x + y + c * 50) % 256 for x in range(3) for c in range(4)) for y in range(3)]
    # eXIf: a big-endian TIFF block with Orientation (0x0112) = 6.
    exif = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00"
    write("image_pipeline", "rgba_exif.png", png(3, 3, 6, rgba, [(b"eXIf", exif)]))
    palette = [bytes((x + y) % 4 for x in range(4)) for y in range(2)]
    write("image_pipeline", "palette.png",
          png(4, 2, 3, palette, [(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]))]))
    deep = [b"".join(struct.pack(">H", (x * 9000 + y) % 65536) for x in range(3)) for y in range(2)]
    write("image_pipeline", "gray16.png", png(3, 2, 0, deep, bit_depth=16))
    shutil.copy(os.path.join(ROOT, "tests", "testdata", "images", "exif6.jpg"),
                os.path.join(CORPUS, "image_pipeline", "seed_exif6.jpg"))
    # Big enough for the ImageNet-style pipeline's JPEG draft decode (shorter side 32: 1/2 scale).
    from PIL import Image
    small = Image.open(os.path.join(ROOT, "tests", "testdata", "images", "photo.jpg")).resize((96, 72))
    small.save(os.path.join(CORPUS, "image_pipeline", "seed_draft_96x72.jpg"), quality=40)


def tfserving():
    write("tfserving_codec", "row_single", compact({"instances": [[1.0, 2.0, 3.0, 4.0], [5, 6, 7, 8]]}))
    write("tfserving_codec", "row_named", compact({
        "signature_name": "serving_default",
        "instances": [{"INPUT0": [1, 2, 3, 4], "TEXT": {"b64": "aGVsbG8="}, "FLAG": True,
                       "U8": [[1, 2], [3, 4]], "D": 0.5, "HALF": [1, 2], "INPUT1": [7]}]}))
    write("tfserving_codec", "columnar", compact({"inputs": {"INPUT0": [[1, 2, 3, 4]], "INPUT1": [[1, 2]],
                                                             "TEXT": ["a", {"b64": "/w=="}]}}))
    write("tfserving_codec", "columnar_bare", compact({"inputs": [[0.25, -1, 1e10, 3]]}))


def torchserve():
    write("torchserve_codec", "bare", compact([[1.0, 2.0, 3.0, 4.0]]))
    write("torchserve_codec", "named", compact({"INPUT0": [[1, 2, 3, 4]], "TEXT": ["x", "y"],
                                                "FLAG": [False], "HALF": [[0.5, 1.5]]}))
    write("torchserve_codec", "version", "2.0")


def grpc():
    proto_dir = os.path.join(ROOT, "proto")
    texts = {
        "typed": """model_name: "m" model_version: "1" id: "g1"
inputs { name: "INPUT0" datatype: "FP32" shape: [1, 4] contents { fp32_contents: [1, 2, 3, 4] } }
inputs { name: "INPUT1" datatype: "INT64" shape: [1, 2] contents { int64_contents: [5, -6] } }
outputs { name: "OUTPUT0" }""",
        "raw": """model_name: "m"
inputs { name: "TEXT" datatype: "BYTES" shape: [2] }
inputs { name: "HALF" datatype: "FP16" shape: [2, 1] }
raw_input_contents: "\\003\\000\\000\\000abc\\000\\000\\000\\000"
raw_input_contents: "\\000<\\000\\270"
parameters { key: "priority" value { uint64_param: 1 } }""",
        "classification": """model_name: "m" model_version: ""
inputs { name: "INPUT0" datatype: "FP32" shape: [2, 4] contents { fp32_contents: [1, 2, 3, 4, 5, 6, 7, 8] } }
inputs { name: "TEXT" datatype: "BYTES" shape: [1] contents { bytes_contents: "hi" } }
inputs { name: "FLAG" datatype: "BOOL" shape: [1] contents { bool_contents: true } }
outputs { name: "INPUT0" parameters { key: "classification" value { int64_param: 2 } } }""",
    }
    for name, text in texts.items():
        encoded = subprocess.run(
            ["protoc", "-I", proto_dir, "--encode=inference.ModelInferRequest", "grpc_service.proto"],
            input=text.encode(), capture_output=True, check=True).stdout
        write("grpc_infer_request", name, encoded)


def main():
    clear_seeds()
    for make in (v2_json, v2_binary, multipart, url_query, config_pbtxt, pipeline_json, images,
                 tfserving, torchserve, grpc):
        make()
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(CORPUS) for f in files)
    print(f"seed corpora written under {CORPUS}: {total} bytes in all")


if __name__ == "__main__":
    sys.exit(main())
