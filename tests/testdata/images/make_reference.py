#!/usr/bin/python3
"""Generates the small test images and torchvision's reference outputs for inferd's image
pipeline fidelity test (src/preprocess/fidelity_test.cc). Run with Debian's /usr/bin/python3
(python3-pil, python3-torchvision); the outputs are committed, so the tests need no Python.

Reference = torchvision Resize(256) (PIL, bilinear or bicubic), CenterCrop(224), ToTensor(),
stored before Normalize as uint8 HWC PNG (ToTensor is x/255, so x is exact) with a checksum.
"""
import json
import os

import numpy as np
from PIL import Image, ImageDraw, ImageOps
from torchvision import transforms

HERE = os.path.dirname(os.path.abspath(__file__))


def synthetic(width, height, seed, noise=6.0):
    """Smooth gradients, shapes and mild texture: compresses small, still exercises resampling."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r = 127 + 120 * np.sin(x / (7 + seed) + y / 23)
    g = 127 + 120 * np.cos(y / (5 + seed) - x / 31)
    b = 255 * (x + y) / (width + height)
    img = np.stack([r, g, b], axis=-1)
    img += np.random.default_rng(seed).normal(0, noise, img.shape) if noise else 0
    image = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse([width // 5, height // 4, width // 2, height * 3 // 4], fill=(250, 30, 30))
    draw.rectangle([width * 3 // 5, height // 8, width * 9 // 10, height // 2], fill=(20, 20, 200))
    draw.line([0, height - 1, width - 1, 0], fill=(255, 255, 255), width=3)
    return image


def reference(path, interpolation, name):
    pipeline = transforms.Compose([
        transforms.Resize(256, interpolation=interpolation),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
    ])
    tensor = pipeline(Image.open(os.path.join(HERE, path)).convert("RGB"))
    pixels = (tensor * 255).round().to(dtype=__import__("torch").uint8).permute(1, 2, 0).numpy()
    Image.fromarray(pixels, "RGB").save(os.path.join(HERE, name), optimize=True)
    return {"image": path, "reference": name, "sum": int(pixels.astype(np.int64).sum()),
            "interpolation": interpolation.value}


TINY = [[(255, 0, 0), (0, 255, 0), (0, 0, 255)], [(10, 20, 30), (128, 128, 128), (250, 251, 252)]]


def main():
    tiny = Image.fromarray(np.array(TINY, dtype=np.uint8), "RGB")
    tiny.save(os.path.join(HERE, "tiny.png"))
    tiny.convert("P").save(os.path.join(HERE, "tiny_palette.png"))
    synthetic(400, 300, 1).save(os.path.join(HERE, "photo.jpg"), quality=90)
    synthetic(300, 380, 2, noise=0).save(os.path.join(HERE, "tall.png"), optimize=True)
    small = synthetic(100, 80, 3, noise=0).convert("RGBA")
    small.putalpha(128)
    small.save(os.path.join(HERE, "small_rgba.png"))
    synthetic(260, 200, 4).convert("L").save(os.path.join(HERE, "gray.jpg"), quality=90)
    # EXIF Orientation 6 (rotate 90 degrees clockwise to display).
    exif = Image.Exif()
    exif[0x0112] = 6
    synthetic(64, 48, 5).save(os.path.join(HERE, "exif6.jpg"), quality=95, exif=exif.tobytes())
    upright = ImageOps.exif_transpose(Image.open(os.path.join(HERE, "exif6.jpg"))).convert("RGB")
    upright.save(os.path.join(HERE, "exif6_upright.png"))

    bilinear = transforms.InterpolationMode.BILINEAR
    bicubic = transforms.InterpolationMode.BICUBIC
    cases = [
        reference("photo.jpg", bilinear, "photo_ref.png"),
        reference("photo.jpg", bicubic, "photo_bicubic_ref.png"),
        reference("tall.png", bilinear, "tall_ref.png"),
        reference("small_rgba.png", bilinear, "small_rgba_ref.png"),
        reference("gray.jpg", bilinear, "gray_ref.png"),
    ]
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump({"resize": 256, "crop": 224, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
