"""GTKWave opens a run's waves under Xvfb, from a moved output directory, and shows them.

Runs irqlab on a small scenario, moves the output directory, starts an Xvfb server whose
screen is a file (-fbdir, an XWD image), runs `irqlab waves MOVED` (which starts
GTKWave there) and waits until the screen holds a drawn window. The screenshot is saved
as gtkwave.png in the test's directory for a human to look at; the test checks that it
is not one colour and that GTKWave drew its wave area (many distinct colours).

Usage: gtkwave_screenshot.py IRQLAB_BINARY COST_PROFILE SCRATCH_DIR
"""
import os
import shutil
import signal
import struct
import subprocess
import sys
import time

from PIL import Image

WIDTH, HEIGHT = 1280, 900
SCENARIO = """name: screenshot
seed: 3
duration_cycles: 30000
platform:
  harts: 2
  clock_period_ps: 10000
kernel:
  cost_profile: {cost_profile}
  tick_period: 10000
  personality: linux
locks: [so_lock]
threads:
  - name: app
    cpu: 0
    repeat: 0
    steps: [{{kernel: 2000}}, {{lock: so_lock}}, {{kernel: 500}}, {{unlock: so_lock}}]
sources:
  - source: 24
    name: disk
    priority: 3
    handler_cycles: 100
    cpus: [1]
    stimulus: {{at: [1000, 9000]}}
    deferred: {{level: net, cycles: 300, may_block: true, lock: so_lock}}
"""


def read_xwd(path):
    """The XWD image Xvfb keeps its screen in (X11's XWDFileHeader, 25 CARD32 fields)."""
    with open(path, "rb") as f:
        data = f.read()
    for order in (">", "<"):
        header = struct.unpack(order + "25I", data[:100])
        if header[1] == 7:  # file_version
            break
    else:
        raise ValueError("not an XWD file: " + path)
    header_size, width, height = header[0], header[4], header[5]
    byte_order, bits_per_pixel, bytes_per_line = header[7], header[11], header[12]
    red_mask, ncolors = header[14], header[19]
    if bits_per_pixel != 32:
        raise ValueError("expected 32 bits per pixel, got %d" % bits_per_pixel)
    pixels = data[header_size + 12 * ncolors:][: bytes_per_line * height]
    # A 32-bit pixel with red in bits 23:16: B G R X in memory when LSB first.
    raw = "BGRX" if (byte_order == 0) == (red_mask == 0xFF0000) else "XRGB"
    return Image.frombuffer("RGB", (width, height), pixels, "raw", raw, bytes_per_line, 1)


def free_display():
    for n in range(90, 200):
        if not os.path.exists("/tmp/.X11-unix/X%d" % n) and not os.path.exists("/tmp/.X%d-lock" % n):
            return n
    raise RuntimeError("no free X display number")


def main():
    irqlab, cost_profile, scratch = sys.argv[1:4]
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    scenario = os.path.join(scratch, "scenario.yaml")
    with open(scenario, "w") as f:
        f.write(SCENARIO.format(cost_profile=cost_profile))
    subprocess.run([irqlab, "run", scenario, "--out", os.path.join(scratch, "out")], check=True)
    moved = os.path.join(scratch, "moved", "run")
    os.makedirs(os.path.dirname(moved))
    os.rename(os.path.join(scratch, "out"), moved)

    fbdir = os.path.join(scratch, "fb")
    os.makedirs(fbdir)
    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", ":%d" % display, "-screen", "0", "%dx%dx24" % (WIDTH, HEIGHT),
                             "-fbdir", fbdir, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gtkwave = None
    try:
        for _ in range(100):
            if os.path.exists("/tmp/.X11-unix/X%d" % display):
                break
            time.sleep(0.1)
        env = dict(os.environ, DISPLAY=":%d" % display)
        gtkwave = subprocess.Popen([irqlab, "waves", moved], env=env, stdout=subprocess.DEVNULL,
                                   stderr=open(os.path.join(scratch, "gtkwave.log"), "w"),
                                   start_new_session=True)
        # GTKWave draws within a few seconds; wait until the screen settles drawn.
        screen = os.path.join(fbdir, "Xvfb_screen0")
        image, colours = None, 0
        for _ in range(60):
            time.sleep(0.5)
            if gtkwave.poll() is not None:
                raise RuntimeError("GTKWave exited with %d (gtkwave.log)" % gtkwave.returncode)
            image = read_xwd(screen)
            now = len(image.getcolors(1 << 24) or [])
            if now > 8 and now == colours:
                break
            colours = now
        png = os.path.join(scratch, "gtkwave.png")
        image.save(png)
        print("screenshot:", png, "colours:", colours)
        extrema = image.getextrema()
        if all(low == high for low, high in extrema):
            raise AssertionError("the screen is one colour")
        if colours < 8:
            raise AssertionError("GTKWave drew nothing: %d colours" % colours)
    finally:
        if gtkwave is not None and gtkwave.poll() is None:
            os.killpg(gtkwave.pid, signal.SIGTERM)
            gtkwave.wait()
        xvfb.terminate()
        xvfb.wait()


if __name__ == "__main__":
    main()
