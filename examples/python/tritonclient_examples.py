#!/usr/bin/env python3
"""tritonclient against inferd: HTTP and gRPC, sync and async, JSON and binary tensors,
classification. The examples in docs/python.md, runnable:

  python3 tritonclient_examples.py --http localhost:8000 --grpc localhost:8001

Needs `pip install tritonclient[all]` and a server on examples/model_repository (models `simple`
and `convnet`).
"""
import argparse
import asyncio

import numpy as np
import tritonclient.grpc as grpcclient
import tritonclient.grpc.aio as grpcclient_aio
import tritonclient.http as httpclient
import tritonclient.http.aio as httpclient_aio


def simple_inputs(module, binary):
    """`simple` adds and subtracts two INT32 [1, 16] tensors."""
    a = np.arange(16, dtype=np.int32).reshape(1, 16)
    b = np.ones((1, 16), dtype=np.int32)
    inputs = [module.InferInput("INPUT0", [1, 16], "INT32"),
              module.InferInput("INPUT1", [1, 16], "INT32")]
    if module is httpclient:
        inputs[0].set_data_from_numpy(a, binary_data=binary)
        inputs[1].set_data_from_numpy(b, binary_data=binary)
    else:
        inputs[0].set_data_from_numpy(a)
        inputs[1].set_data_from_numpy(b)
    return a, b, inputs


def http_sync(url):
    client = httpclient.InferenceServerClient(url=url)
    assert client.is_server_live() and client.is_server_ready()
    assert client.is_model_ready("simple")
    print("server:", client.get_server_metadata()["version"])
    print("inputs:", [i["name"] for i in client.get_model_metadata("simple")["inputs"]])

    for binary in (False, True):  # JSON tensors, then the binary tensor extension
        a, b, inputs = simple_inputs(httpclient, binary)
        outputs = [httpclient.InferRequestedOutput("OUTPUT0", binary_data=binary),
                   httpclient.InferRequestedOutput("OUTPUT1", binary_data=binary)]
        result = client.infer("simple", inputs, outputs=outputs)
        assert (result.as_numpy("OUTPUT0") == a + b).all()
        assert (result.as_numpy("OUTPUT1") == a - b).all()
    print("http: sum and difference OK (JSON and binary)")

    # Classification: the top 3 classes of convnet's output, "score:index:label".
    image = np.random.default_rng(0).random((1, 3, 224, 224), dtype=np.float32)
    inp = httpclient.InferInput("INPUT0", list(image.shape), "FP32")
    inp.set_data_from_numpy(image, binary_data=True)
    out = httpclient.InferRequestedOutput("OUTPUT0", class_count=3)
    top3 = client.infer("convnet", [inp], outputs=[out]).as_numpy("OUTPUT0")
    print("http classification:", [t.decode() for t in top3.reshape(-1)])
    assert top3.size == 3

    stats = client.get_inference_statistics("simple")
    print("simple served", stats["model_stats"][0]["inference_count"], "inferences")
    client.close()


def grpc_sync(url):
    client = grpcclient.InferenceServerClient(url=url)
    assert client.is_server_ready()
    a, b, inputs = simple_inputs(grpcclient, True)
    result = client.infer("simple", inputs)  # gRPC tensors are always binary
    assert (result.as_numpy("OUTPUT0") == a + b).all()

    image = np.zeros((1, 3, 224, 224), dtype=np.float32)
    inp = grpcclient.InferInput("INPUT0", list(image.shape), "FP32")
    inp.set_data_from_numpy(image)
    out = grpcclient.InferRequestedOutput("OUTPUT0", class_count=2)
    top2 = client.infer("convnet", [inp], outputs=[out]).as_numpy("OUTPUT0")
    print("grpc classification:", [t.decode() for t in top2.reshape(-1)])
    print("grpc: model config max_batch_size",
          client.get_model_config("simple", as_json=True)["config"]["max_batch_size"])
    client.close()


async def http_async(url):
    client = httpclient_aio.InferenceServerClient(url=url)
    try:
        # Eight requests in flight at once.
        requests = []
        for _ in range(8):
            a, b, inputs = simple_inputs(httpclient, True)
            requests.append(client.infer("simple", inputs))
        results = await asyncio.gather(*requests)
        assert all((r.as_numpy("OUTPUT0") == a + b).all() for r in results)
        print("http async: 8 concurrent inferences OK")
    finally:
        await client.close()


async def grpc_async(url):
    client = grpcclient_aio.InferenceServerClient(url=url)
    try:
        assert await client.is_server_live()
        a, b, inputs = simple_inputs(grpcclient, True)
        results = await asyncio.gather(*(client.infer("simple", inputs) for _ in range(8)))
        assert all((r.as_numpy("OUTPUT1") == a - b).all() for r in results)
        print("grpc async: 8 concurrent inferences OK")
    finally:
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", default="localhost:8000")
    parser.add_argument("--grpc", default="localhost:8001")
    args = parser.parse_args()
    http_sync(args.http)
    grpc_sync(args.grpc)
    asyncio.run(http_async(args.http))
    asyncio.run(grpc_async(args.grpc))
