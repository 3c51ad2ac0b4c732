#!/usr/bin/python3
"""Generates the larger JPEGs of the image benchmark (bench/image_bench.cc) and torchvision's
reference outputs for the photos where inferd decodes at a reduced DCT scale (docs/adr/0016).
Run with Debian's /usr/bin/python3 (python3-pil, python3-torchvision) after make_reference.py;
the outputs are committed.

Reference = torchvision Resize(256), CenterCrop(224), ToTensor() on the full-size decode (what
training sees), stored as uint8 HWC PNG like make_reference.py's.
"""
import json
import os

from torchvision import transforms

from make_reference import HERE, reference, synthetic


def main():
    synthetic(224, 224, 6).save(os.path.join(HERE, "photo224.jpg"), quality=90)
    synthetic(640, 480, 7).save(os.path.join(HERE, "photo640.jpg"), quality=90)
    synthetic(1024, 768, 8).save(os.path.join(HERE, "photo1024.jpg"), quality=90)
    synthetic(2048, 1536, 9, noise=2.0).save(os.path.join(HERE, "photo2048.jpg"), quality=85)
    bilinear = transforms.InterpolationMode.BILINEAR
    bicubic = transforms.InterpolationMode.BICUBIC
    cases = [
        reference("photo1024.jpg", bilinear, "photo1024_ref.png"),
        reference("photo1024.jpg", bicubic, "photo1024_bicubic_ref.png"),
        reference("photo2048.jpg", bilinear, "photo2048_ref.png"),
    ]
    with open(os.path.join(HERE, "large_reference.json"), "w") as f:
        json.dump({"resize": 256, "crop": 224, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
