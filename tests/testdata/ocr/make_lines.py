#!/usr/bin/python3
"""Renders the OCR test lines: printed text in DejaVu Sans (fonts-dejavu-core) with PIL.

Usage (from the repository root; Debian's PIL is visible only to /usr/bin/python3):
    /usr/bin/python3 tests/testdata/ocr/make_lines.py

Writes tests/testdata/ocr/lines/NN.png (black text on white, 30 px, 10 px margins),
NN_180.png (the same line upside down, for the direction classifier), page.png (all lines on
one page, for the detector and whole-page timing) with page_lines.tsv (each line's text
rectangle on the page: left, top, right, bottom, text), lines.tsv (file, text), reader_page.png
with reader_page.tsv (a page for the text reader ppocr: two lines on one row, one upside down;
its rectangles in reading order), blank_page.png (no text), and bad_1x1.png, bad_10000x48.png
(images a text-line model must refuse). Deterministic: the committed
files are its output.
"""
import os

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 30
MARGIN = 10

LINES = [
    "Hello World",
    "The quick brown fox",
    "jumps over the lazy dog",
    "Invoice 12345",
    "Total: 42.50 EUR",
    "2026-12-07",
    "inferd serves models",
    "PP-OCR reads text",
    "Model repository",
    "Batch size 8",
    "Version 1.4.2",
    "Call 555 0199",
    "Open from 9 to 17",
    "Room 101",
    "Deep learning",
    "Text recognition",
    "Printed line",
    "ONNX Runtime",
    "Page 3 of 7",
    "Thank you",
]


def render(text, font):
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("RGB", (right - left + 2 * MARGIN, bottom - top + 2 * MARGIN), "white")
    ImageDraw.Draw(image).text((MARGIN - left, MARGIN - top), text, fill="black", font=font)
    return image


def main():
    font = ImageFont.truetype(FONT, SIZE)
    out = os.path.join(HERE, "lines")
    os.makedirs(out, exist_ok=True)
    rows = []
    images = []
    for i, text in enumerate(LINES):
        image = render(text, font)
        name = "%02d.png" % i
        image.save(os.path.join(out, name), optimize=True)
        image.rotate(180).save(os.path.join(out, "%02d_180.png" % i), optimize=True)
        rows.append("%s\t%s\n" % (name, text))
        images.append(image)
    with open(os.path.join(HERE, "lines.tsv"), "w", encoding="utf-8") as f:
        f.writelines(rows)
    width = max(im.width for im in images) + 40
    page = Image.new("RGB", (width, sum(im.height + 6 for im in images) + 40), "white")
    y = 20
    boxes = []
    for im, text in zip(images, LINES):
        page.paste(im, (20, y))
        boxes.append("%d\t%d\t%d\t%d\t%s\n" % (20 + MARGIN, y + MARGIN, 20 + im.width - MARGIN,
                                               y + im.height - MARGIN, text))
        y += im.height + 6
    with open(os.path.join(HERE, "page_lines.tsv"), "w", encoding="utf-8") as f:
        f.writelines(boxes)
    page.save(os.path.join(HERE, "page.png"), optimize=True)
    reader_page(images)
    # Images no text-line model should read: refused with a 400.
    Image.new("RGB", (1, 1), "white").save(os.path.join(HERE, "bad_1x1.png"))
    Image.new("RGB", (10000, 48), "white").save(os.path.join(HERE, "bad_10000x48.png"), optimize=True)


# The text reader's page (ppocr): (line index, x, y, upside down), in reading order. Two lines
# share the second row; the third row is upside down (the direction classifier turns it).
READER_PAGE = [(0, 20, 20, False), (3, 20, 80, False), (4, 400, 80, False), (1, 20, 140, True),
               (19, 20, 200, False)]


def reader_page(images):
    page = Image.new("RGB", (720, 270), "white")
    rows = []
    for index, x, y, upside_down in READER_PAGE:
        im = images[index]
        page.paste(im.rotate(180) if upside_down else im, (x, y))
        rows.append("%d\t%d\t%d\t%d\t%s\n" % (x + MARGIN, y + MARGIN, x + im.width - MARGIN,
                                               y + im.height - MARGIN, LINES[index]))
    page.save(os.path.join(HERE, "reader_page.png"), optimize=True)
    with open(os.path.join(HERE, "reader_page.tsv"), "w", encoding="utf-8") as f:
        f.writelines(rows)
    # A page with no text: the reader answers no lines.
    Image.new("RGB", (640, 480), "white").save(os.path.join(HERE, "blank_page.png"), optimize=True)
    # The text reader's unit test page (src/scheduler/text_reader_scheduler_test.cc, fake
    # models): white, 96 x 64, black on the left half of its first line (x 8..39, y 8..19), so a
    # line turned 180 degrees starts white.
    unit = Image.new("RGB", (96, 64), "white")
    ImageDraw.Draw(unit).rectangle((8, 8, 39, 19), fill="black")
    unit.save(os.path.join(HERE, "unit_page.png"), optimize=True)


if __name__ == "__main__":
    main()
