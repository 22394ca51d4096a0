#!/usr/bin/python3
"""Headless Chromium renders report.html from disk (no network: a self-contained page
needs none) and the screenshot is not empty: more than one colour, with a share of
non-background pixels that a page of plots and tables has and a blank one has not.
Usage: check_screenshot.py REPORT_HTML SCREENSHOT_PNG
"""
import os
import pathlib
import subprocess
import sys
import tempfile

from PIL import Image

MIN_INK_SHARE = 0.02  # a blank page has 0; text and plots over 1280x3000 cover far more


def main(html, screenshot):
    if os.path.exists(screenshot):
        os.unlink(screenshot)
    with tempfile.TemporaryDirectory(prefix="irqlab-chromium-") as profile:
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                   "--no-first-run", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", f"--screenshot={screenshot}",
                   "--window-size=1280,3000", pathlib.Path(html).resolve().as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    if not os.path.exists(screenshot):
        print(f"FAIL chromium wrote no screenshot (exit {result.returncode}):\n{result.stderr}")
        return 1
    image = Image.open(screenshot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16)
    distinct = len(colours) if colours is not None else 1 << 16
    background = max(colours)[1] if colours else image.getpixel((0, 0))
    ink = sum(1 for pixel in image.getdata() if pixel != background)
    share = ink / (image.width * image.height)
    print(f"screenshot {image.width}x{image.height}: {distinct} colours, "
          f"{share:.1%} of pixels off the background {background}")
    if distinct < 2 or share < MIN_INK_SHARE:
        print("FAIL the rendered page is (nearly) empty")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
