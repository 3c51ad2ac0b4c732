"""The "FastAPI + a script" baseline for the tiny-request benchmark (bench/run_wrk_simple.sh).

Serves POST /v2/models/simple/infer with KServe v2 JSON the way a hand-written Python service
would: FastAPI on uvicorn with uvloop and httptools (Debian's python3-fastapi, -uvicorn, -uvloop,
-httptools), numpy for the add/sub of the two [1,16] INT32 inputs. Benchmark-only; not shipped.
Usage: /usr/bin/python3 bench/reference/fastapi_simple.py PORT
"""
import sys

import numpy as np
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/v2/models/simple/infer")
async def infer(request: Request):
    body = await request.json()
    tensors = {t["name"]: np.asarray(t["data"], dtype=np.int32) for t in body["inputs"]}
    a, b = tensors["INPUT0"], tensors["INPUT1"]
    outputs = [
        {"name": "OUTPUT0", "datatype": "INT32", "shape": [1, 16], "data": (a + b).tolist()},
        {"name": "OUTPUT1", "datatype": "INT32", "shape": [1, 16], "data": (a - b).tolist()},
    ]
    return JSONResponse({"model_name": "simple", "model_version": "1", "outputs": outputs})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
                log_level="warning", access_log=False)
