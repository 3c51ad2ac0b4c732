#!/usr/bin/python3
"""Drives inferd's sequence batching with Triton's Python client (tritonclient) sequence API.

Usage: tritonclient_sequence.py HTTP_PORT GRPC_PORT
Exit status: 0 pass, 1 a check failed, 77 tritonclient (or numpy) cannot be imported (the
calling test reports a skip).
"""

import queue
import sys

try:
    import numpy as np
    import tritonclient.grpc as grpcclient
    import tritonclient.http as httpclient
    from tritonclient.utils import InferenceServerException
except ImportError as error:  # a clean machine has no tritonclient
    print(f"SKIP: {error}")
    sys.exit(77)


def check(what, got, expected):
    if got != expected:
        print(f"FAIL: {what}: got {got}, expected {expected}")
        sys.exit(1)


def run_http(url):
    client = httpclient.InferenceServerClient(url=url)

    def infer(value, seq, start=False, end=False):
        data = np.full([1, 1], value, dtype=np.int32)
        inp = httpclient.InferInput("INPUT", data.shape, "INT32")
        inp.set_data_from_numpy(data)
        result = client.infer("sequence_accumulator", [inp], sequence_id=seq,
                              sequence_start=start, sequence_end=end)
        return int(result.as_numpy("OUTPUT")[0][0])

    check("http first", infer(3, 9001, start=True), 3)
    check("http string first", infer(10, "seq-x", start=True), 10)
    check("http second", infer(4, 9001), 7)
    check("http string end", infer(1, "seq-x", end=True), 11)
    check("http end", infer(5, 9001, end=True), 12)
    try:
        infer(1, 9001)
    except InferenceServerException as error:
        check("http after end mentions START", "START flag" in str(error), True)
    else:
        check("http after end is refused", False, True)


def run_grpc_stream(url):
    results = queue.Queue()
    with grpcclient.InferenceServerClient(url=url) as client:
        client.start_stream(callback=lambda result, error: results.put((result, error)))
        values = [1, 2, 3, 4]
        for seq in (8001, 8002):
            for i, value in enumerate(values):
                data = np.full([1, 1], value * (seq - 8000), dtype=np.int32)
                inp = grpcclient.InferInput("INPUT", data.shape, "INT32")
                inp.set_data_from_numpy(data)
                client.async_stream_infer("sequence_accumulator", [inp],
                                          request_id=f"{seq}_{i}", sequence_id=seq,
                                          sequence_start=(i == 0),
                                          sequence_end=(i == len(values) - 1))
        got = {8001: [], 8002: []}
        for _ in range(2 * len(values)):
            result, error = results.get(timeout=30)
            if error is not None:
                check("grpc stream error", str(error), None)
            seq = int(result.get_response().id.split("_")[0])
            got[seq].append(int(result.as_numpy("OUTPUT")[0][0]))
        client.stop_stream()
    check("grpc stream 8001", got[8001], [1, 3, 6, 10])
    check("grpc stream 8002", got[8002], [2, 6, 12, 20])


def main():
    http_port, grpc_port = sys.argv[1], sys.argv[2]
    run_http(f"127.0.0.1:{http_port}")
    run_grpc_stream(f"127.0.0.1:{grpc_port}")
    print("PASS")


if __name__ == "__main__":
    main()
