"""The "FastAPI + torch.load" baseline for image classification (bench/run_resnet18.sh).

POST /predict with a JPEG body: PIL decode, torchvision's Resize(256) + CenterCrop(224) +
ToTensor + Normalize, the TorchScript ResNet-18 that scripts/make_bench_models.py traces, softmax
and the top 5 — the script a user writes around torch, on uvicorn with uvloop and httptools
(Debian's python3-fastapi, -uvicorn, -uvloop, -httptools, -torch, -torchvision). Benchmark-only.
Usage: /usr/bin/python3 bench/reference/fastapi_resnet.py PORT MODEL.pt
"""
import io
import sys

import torch
import uvicorn
from fastapi import FastAPI, Request
from PIL import Image
from torchvision import transforms

app = FastAPI()
model = torch.jit.load(sys.argv[2]).eval()
preprocess = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


@app.post("/predict")
async def predict(request: Request):
    image = Image.open(io.BytesIO(await request.body())).convert("RGB")
    batch = preprocess(image).unsqueeze(0)
    with torch.inference_mode():
        probabilities = torch.softmax(model(batch)[0], dim=0)
    top = torch.topk(probabilities, 5)
    return {"predictions": [{"index": int(i), "score": float(s)}
                            for s, i in zip(top.values, top.indices)]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), loop="uvloop", http="httptools",
                log_level="warning", access_log=False)
