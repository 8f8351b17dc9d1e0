#!/usr/bin/python3
"""Python peer of the area-scan benchmark: PIL opens each mask PNG, numpy counts its non-zero pixels.
One process, one core. Best of 3 passes after a warm-up pass, like the Java side."""
import glob
import sys
import time

import numpy as np
from PIL import Image

files = sorted(glob.glob(sys.argv[1] + "/*.png"))
best, total = float("inf"), 0
for p in range(4):
    t0 = time.perf_counter()
    total = 0
    for f in files:
        with Image.open(f) as im:
            total += int(np.count_nonzero(np.asarray(im)))
    if p > 0:
        best = min(best, time.perf_counter() - t0)
print(f"python_masks_per_s_per_core={len(files) / best:.0f} (total_area={total})")
