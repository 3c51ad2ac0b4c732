"""The "FastAPI + a script" baseline for the tiny-request benchmark (bench/run_wrk_simple.sh).

Serves POST /v2/models/simple/infer with KServe v2 JSON the way FastAPI's documentation teaches
a service to be written: the body declared as pydantic models (so FastAPI validates it), numpy
for the add/sub of the two [1,16] INT32 inputs, the answer a pydantic model too. FastAPI on
uvicorn with uvloop and httptools (Debian's python3-fastapi, -uvicorn, -uvloop, -httptools).
`--raw` skips the models (request.json() in, a dict out): the least FastAPI can do.
Benchmark-only; not shipped. Usage: /usr/bin/python3 bench/reference/fastapi_simple.py PORT [--raw]
"""
import sys
from typing import List, Union

import numpy as np
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

app = FastAPI()


class InferInput(BaseModel):
    name: str
    shape: List[int]
    datatype: str
    data: List[Union[int, float]]


class InferRequest(BaseModel):
    inputs: List[InferInput]


class InferOutput(BaseModel):
    name: str
    shape: List[int]
    datatype: str
    data: List[int]


class InferResponse(BaseModel):
    model_name: str
    model_version: str
    outputs: List[InferOutput]


def add_sub(tensors):
    a, b = tensors["INPUT0"], tensors["INPUT1"]
    return (a + b).tolist(), (a - b).tolist()


if "--raw" in sys.argv:

    @app.post("/v2/models/simple/infer")
    async def infer_raw(request: Request):
        body = await request.json()
        tensors = {t["name"]: np.asarray(t["data"], dtype=np.int32) for t in body["inputs"]}
        total, diff = add_sub(tensors)
        outputs = [
            {"name": "OUTPUT0", "datatype": "INT32", "shape": [1, 16], "data": total},
            {"name": "OUTPUT1", "datatype": "INT32", "shape": [1, 16], "data": diff},
        ]
        return JSONResponse({"model_name": "simple", "model_version": "1", "outputs": outputs})

else:

    @app.post("/v2/models/simple/infer", response_model=InferResponse)
    async def infer(body: InferRequest):
        tensors = {t.name: np.asarray(t.data, dtype=np.int32) for t in body.inputs}
        total, diff = add_sub(tensors)
        return InferResponse(
            model_name="simple",
            model_version="1",
            outputs=[
                InferOutput(name="OUTPUT0", shape=[1, 16], datatype="INT32", data=total),
                InferOutput(name="OUTPUT1", shape=[1, 16], datatype="INT32", data=diff),
            ],
        )


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
                log_level="warning", access_log=False)
