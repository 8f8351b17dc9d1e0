#!/usr/bin/python3
"""Python peer of the distance-map benchmark: the boundary loss's signed distance map (Kervadec et al.'s
reference formula) with SciPy's distance_transform_edt, for each mask PNG of a folder (already decoded to
numpy before timing, like the Java side). One core, best of 3 passes after a warm-up."""
import glob
import sys
import time

import numpy as np
from PIL import Image
from scipy.ndimage import distance_transform_edt as edt

masks = [np.asarray(Image.open(f)) > 0 for f in sorted(glob.glob(sys.argv[1] + "/*.png"))]


def sdf(pos):
    if not pos.any() or pos.all():
        return np.zeros(pos.shape)
    neg = ~pos
    return edt(neg) * neg - (edt(pos) - 1) * pos


best, checksum = float("inf"), 0.0
for p in range(4):
    t0 = time.perf_counter()
    checksum = sum(float(sdf(m)[128, 128]) for m in masks)
    if p > 0:
        best = min(best, (time.perf_counter() - t0) * 1e3 / len(masks))
print(f"python_ms_per_mask={best:.3f} (checksum={checksum:.3f})")
