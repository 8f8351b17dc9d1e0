#!/usr/bin/python3
"""Independent reference values for the kit's unit tests, from Debian's python3-torch, python3-scipy and
python3-opencv.

Reads one JSON request on stdin and writes one JSON answer on stdout:
  {"losses": [{"id", "loss", "params", "shape", "logits" | "p", "target"}], "stats": [{"id", "areas", "empty"}]}
  -> {"id": {"value": v, "grad": [...]}} for losses (grad w.r.t. the logits; none for "p" cases),
     {"id": {"n", "mean", "std", "skewness", "kurtosis"}} for stats.
Every loss here is written from the papers' formulas, not from the Java code. Probabilities are computed in
float32 like the kit (sigmoid, then the clamp to [1e-7, 1 - 1e-7], where float32 rounds 1 - 1e-7 to 1 - 2^-23);
the formulas are then evaluated in float64, so the reference is the exact value of each formula at the
kit's probabilities (the paper's Fisher term ln((1+(1-p))/(1-(1-p))) evaluated in float32 would lose digits).
"""
import json
import math
import sys

import torch
import torch.nn.functional as F
from scipy import stats as st

EPS = 1e-7


def clamp(p):
    return p.clamp(EPS, 1 - EPS)


def loss_value(name, params, x, p, y):
    """x: logits (or None), p: probabilities (clamped sigmoid of x, or given), y: target."""
    smooth = params.get("smooth", 1.0)
    dims = tuple(range(1, y.dim())) if params.get("perImage", False) else tuple(range(y.dim()))
    if name == "fisher":
        p = clamp(p)
        return -(y * 0.5 * torch.log((1 + p) / (1 - p)) + (1 - y) * 0.5 * torch.log((1 + (1 - p)) / (1 - (1 - p)))).mean()
    if name == "logit":
        p = clamp(p)
        return -(y * torch.log(p / (1 - p)) + (1 - y) * torch.log((1 - p) / p)).mean()
    if name == "arcsine":
        p = clamp(p)
        return -(y * torch.asin(torch.sqrt(p)) + (1 - y) * torch.asin(torch.sqrt(1 - p))).mean()
    if name == "log10":
        p = clamp(p)
        return -(y * torch.log10(p) + (1 - y) * torch.log10(1 - p)).mean()
    if name == "ln":
        p = clamp(p)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    if name == "bce":
        return F.binary_cross_entropy_with_logits(x, y) if x is not None else F.binary_cross_entropy(clamp(p), y)
    if name == "bce-log10":
        bce = F.binary_cross_entropy_with_logits(x, y) if x is not None else F.binary_cross_entropy(clamp(p), y)
        return bce / math.log(10)
    if name == "dice":
        d = (2 * (y * p).sum(dims) + smooth) / (y.sum(dims) + p.sum(dims) + smooth)
        return (1 - d).mean()
    if name == "iou":
        inter = (y * p).sum(dims)
        j = (inter + smooth) / (y.sum(dims) + p.sum(dims) - inter + smooth)
        return (1 - j).mean()
    if name == "tversky":
        a, b = params.get("alpha", 0.3), params.get("beta", 0.7)
        tp, fp, fn = (p * y).sum(dims), (p * (1 - y)).sum(dims), ((1 - p) * y).sum(dims)
        return (1 - (tp + smooth) / (tp + a * fp + b * fn + smooth)).mean()
    if name == "focal":
        # torchvision.ops.sigmoid_focal_loss's formula
        a, g = params.get("alpha", 0.25), params.get("gamma", 2.0)
        if params.get("noAlpha", False):
            a = None
        ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
        prob = torch.sigmoid(x)
        p_t = prob * y + (1 - prob) * (1 - y)
        loss = ce * (1 - p_t) ** g
        if a is not None:
            loss = (a * y + (1 - a) * (1 - y)) * loss
        return loss.mean()
    if name in ("afl", "boundary", "modified-boundary", "gdice"):
        return distance_loss(name, params, x, p, y)
    if name == "bce-dice":
        bce = F.binary_cross_entropy_with_logits(x, y)
        d = (2 * (y * p).sum() + 1.0) / (y.sum() + p.sum() + 1.0)
        return bce + (1 - d)
    if name.startswith("authors-"):
        return authors_loss(name[len("authors-"):], x, y)
    if name == "region-calf":
        return region_calf(x, y, params.get("grid", 4))
    raise ValueError(f"unknown loss {name}")


def authors_loss(name, x, y):
    """The comparison losses as written in the CALF authors' scripts/loss_functions.py (DiceLoss, IoULoss,
    TverskyLoss, FocalLoss, ComboLoss) and their CALF's _bce_dice_loss (scripts/conditionally_adaptive_loss_pytorch.py):
    unclamped sigmoid, sums over each image's (C, H, W), 1e-5 in the denominator only, mean over images; Tversky
    alpha 0.7 on false positives, beta 0.3 on false negatives; focal on probabilities clamped to [1e-6, 1 - 1e-6];
    ComboLoss = BCE with logits + their DiceLoss; CALF's BCE-Dice branch: Dice over the whole batch with 1e-7 in
    numerator and denominator. Probabilities and the focal clamp
    in float32, as their code and the kit compute them (1 - 1e-6 is not a float32: in float32 it is 1 - 17 * 2^-24)."""
    p32 = torch.sigmoid(x.float())
    probs = p32.double()
    dims = (1, 2, 3)
    if name == "dice":
        inter = (probs * y).sum(dims)
        union = probs.sum(dims) + y.sum(dims)
        return 1 - (2.0 * inter / (union + 1e-5)).mean()
    if name == "iou":
        inter = (probs * y).sum(dims)
        union = probs.sum(dims) + y.sum(dims) - inter
        return 1 - (inter / (union + 1e-5)).mean()
    if name == "tversky":
        tp, fp, fn = (probs * y).sum(dims), ((1 - y) * probs).sum(dims), (y * (1 - probs)).sum(dims)
        return 1 - (tp / (tp + 0.7 * fp + 0.3 * fn + 1e-5)).mean()
    if name == "focal":
        q = torch.clamp(p32, min=1e-6, max=1 - 1e-6).double()
        bce = -(y * torch.log(q) + (1 - y) * torch.log(1 - q))
        loss = (y * (1 - q) + (1 - y) * q) ** 2 * bce
        return (0.25 * y * loss + 0.75 * (1 - y) * loss).mean()
    if name == "calf":
        return region_calf(x, y, 1, calf=True)
    if name == "combo":
        bce = F.binary_cross_entropy_with_logits(x, y)
        inter = (probs * y).sum(dims)
        union = probs.sum(dims) + y.sum(dims)
        return bce + (1 - (2.0 * inter / (union + 1e-5)).mean())
    if name == "calf-bce-dice":
        # F.binary_cross_entropy on the float64 probabilities here: the exact BCE (the authors' float32
        # probabilities saturate at |logit| > 17, which the kit does not reproduce: see BceDiceLoss).
        bce = F.binary_cross_entropy_with_logits(x, y)
        dice = (2.0 * (probs * y).sum() + 1e-7) / (probs.sum() + y.sum() + 1e-7)
        return bce + (1 - dice)
    raise ValueError(f"unknown authors' loss {name}")


def upconv(case):
    """PyTorch's transposed convolution, kernel 2, stride 2 (the authors' U-Net upsampling)."""
    x = torch.tensor(case["x"], dtype=torch.float64).reshape(case["shape"])
    w = torch.tensor(case["w"], dtype=torch.float64).reshape(case["wshape"])
    b = torch.tensor(case["b"], dtype=torch.float64)
    return {"out": F.conv_transpose2d(x, w, b, stride=2).reshape(-1).tolist()}


def torch_init(case):
    """The bounds of the uniform draws PyTorch's layers make when built (reset_parameters): weights by
    kaiming_uniform_(a=sqrt(5)), biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan-in as torch computes it."""
    import torch.nn as nn
    from torch.nn import init
    out = []
    for layer in case["layers"]:
        if layer["kind"] == "convT":
            m = nn.ConvTranspose2d(layer["in"], layer["out"], layer["k"], stride=layer["k"], bias=layer["bias"])
        else:
            m = nn.Conv2d(layer["in"], layer["out"], layer["k"], bias=layer["bias"])
        fan_in, _ = init._calculate_fan_in_and_fan_out(m.weight)
        gain = init.calculate_gain("leaky_relu", math.sqrt(5))
        out.append({"weight": gain * math.sqrt(3.0 / fan_in), "bias": 1 / math.sqrt(fan_in)})
    return out


def authors_params(case):
    """Trainable parameters of the CALF authors' three networks at the paper's size, their layers as in
    masa-byte/MICCAI-Submission models/u_net.py, models/deeplabv3.py and models/fpn_net.py (counted here, not run)."""
    import torch.nn as nn

    def dconv(i, o):  # u_net.DoubleConv: conv (bias) BN ReLU conv (bias) BN ReLU
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o)]

    unet = [*dconv(1, 64), *dconv(64, 128), *dconv(128, 256), *dconv(256, 512), *dconv(512, 1024)]
    for c in (512, 256, 128, 64):
        unet += [nn.ConvTranspose2d(2 * c, c, 2, stride=2), *dconv(2 * c, c)]
    unet.append(nn.Conv2d(64, 1, 1))

    def cbr(i, o, k, **kw):
        return [nn.Conv2d(i, o, k, bias=False, **kw), nn.BatchNorm2d(o)]

    dl = cbr(1, 64, 7)
    cin = 64
    for out, n in ((64, 3), (128, 4), (256, 6), (512, 3)):
        for _ in range(n):
            dl += cbr(cin, out, 3)
            cin = out
    dl += cbr(512, 256, 1) + cbr(512, 256, 3) * 1 + cbr(512, 256, 3) + cbr(512, 256, 3) + cbr(512, 256, 1)
    dl += cbr(5 * 256, 256, 1) + cbr(256, 256, 3) + [nn.Conv2d(256, 1, 1)]

    fpn = cbr(1, 64, 7)
    cin = 64
    for planes, n in ((64, 2), (128, 2), (256, 2), (512, 2)):
        for b in range(n):
            fpn += cbr(cin, planes, 1) + cbr(planes, planes, 3) + cbr(planes, 4 * planes, 1)
            if b == 0:
                fpn += cbr(cin, 4 * planes, 1)
            cin = 4 * planes
    fpn += [nn.Conv2d(2048, 256, 1), nn.Conv2d(256, 256, 3, padding=1), nn.Conv2d(1024, 256, 1),
            nn.Conv2d(512, 256, 1), nn.Conv2d(256, 256, 1), nn.Conv2d(256, 1, 1)]

    def count(mods):
        return sum(p.numel() for m in mods for p in m.parameters())
    return {"unet-authors": count(unet), "deeplabv3-authors": count(dl), "fpn-authors": count(fpn)}


def region_calf(x, y, grid, calf=False):
    """RegionSpecificAdaptiveLoss.forward of the authors' scripts/region_specific_adaptive_loss_pytorch.py: per
    region of a grid x grid cut, CALF's branch from the batch's RETR_TREE contour areas of the region, the branch's
    transform on probabilities clamped to [1e-7, 1 - 1e-7] (float32, as theirs), weights 1 + FP + FN (no
    gradient), weighted mean. With calf=True and grid 1: AdaptiveDistributionLoss.forward of their
    scripts/conditionally_adaptive_loss_pytorch.py (CALF per batch, one region, whose weight cancels), whose BCE-Dice
    branch takes unclamped probabilities; its BCE here is the exact one of the logits, as the kit's (their float32
    probabilities differ only where they round to 1, beyond logit 16.7)."""
    import cv2
    import numpy as np
    from scipy.stats import skew, kurtosis
    n, _, h, w = y.shape
    rh, rw = h // grid, w // grid
    losses, weights = [], []
    for i in range(grid):
        for j in range(grid):
            yr = y[:, :, i * rh:(i + 1) * rh, j * rw:(j + 1) * rw]
            xr = x[:, :, i * rh:(i + 1) * rh, j * rw:(j + 1) * rw]
            areas = []
            for m in yr:
                mask = (m.squeeze(0).detach().numpy() * 255).astype(np.uint8)
                cnts, _ = cv2.findContours(mask, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
                areas.append(sum(cv2.contourArea(c) for c in cnts))
            with np.errstate(all="ignore"):
                s, k = skew(areas), kurtosis(areas, fisher=True)
            p = torch.clamp(torch.sigmoid(xr.float()), min=1e-7, max=1 - 1e-7).double()
            if s < 0:
                if s <= -1:
                    f = lambda q: 0.5 * torch.log((1 + q) / (1 - q))
                elif s <= -0.5:
                    f = lambda q: torch.log(q / (1 - q))
                else:
                    f = lambda q: torch.asin(torch.sqrt(q))
                loss = -torch.mean(yr * f(p) + (1 - yr) * f(1 - p))
            elif s >= 1:
                loss = -torch.mean(yr * torch.log10(p) + (1 - yr) * torch.log10(1 - p))
            elif 0.5 <= s < 1:
                # before the flat row, as their code: S = 0.5 with K < 0 goes to the natural log
                loss = -torch.mean(yr * torch.log(p) + (1 - yr) * torch.log(1 - p))
            elif 0 < s <= 0.5 and k < 0:
                loss = -torch.mean(yr * torch.log10(p) + (1 - yr) * torch.log10(1 - p))
            elif calf:
                q = torch.sigmoid(xr.float()).double()
                bce = F.binary_cross_entropy_with_logits(xr, yr)
                dice = (2.0 * (q * yr).sum() + 1e-7) / (q.sum() + yr.sum() + 1e-7)
                loss = bce + (1 - dice)
            else:
                bce = F.binary_cross_entropy(p, yr)
                dice = (2.0 * (p * yr).sum() + 1e-7) / (p.sum() + yr.sum() + 1e-7)
                loss = bce + (1 - dice)
            pred = torch.round(torch.sigmoid(xr.detach()))
            fp = torch.clamp(pred - yr, min=0).sum()
            fn = torch.clamp(yr - pred, min=0).sum()
            losses.append(loss)
            weights.append(float(1 + fp + fn))
    wt = torch.tensor(weights, dtype=torch.float64)
    return (torch.stack(losses) * wt).sum() / wt.sum()


def pil_resize(case):
    """Pillow's Image.resize((ow, oh), BILINEAR) of an 8-bit grey image (what torchvision's Resize does to a PIL
    image in the authors' loader)."""
    import numpy as np
    from PIL import Image
    a = np.array(case["pixels"], dtype=np.uint8).reshape(case["h"], case["w"])
    r = Image.fromarray(a, mode="L").resize((case["ow"], case["oh"]), Image.BILINEAR)
    return {"pixels": np.asarray(r).reshape(-1).astype(int).tolist()}


def cv_minmax(case):
    """cv2.normalize(x, None, 0, 255, NORM_MINMAX).astype(uint8) on float64 data (the authors' slice intensities)."""
    import cv2
    import numpy as np
    x = np.array(case["values"], dtype=np.float64)
    return {"pixels": cv2.normalize(x, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8).reshape(-1).astype(int).tolist()}


def contour_areas(case):
    """What the authors' calculate_areas gives for one mask: OpenCV's findContours(RETR_TREE,
    CHAIN_APPROX_SIMPLE) on the mask as uint8 0/255, the sum of contourArea over every contour."""
    import cv2
    import numpy as np
    m = (np.array(case["mask"], dtype=np.float32).reshape(case["h"], case["w"]) * 255).astype(np.uint8)
    cnts, _ = cv2.findContours(m, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    return {"area": float(sum(cv2.contourArea(c) for c in cnts)), "contours": len(cnts)}


def write_mask(case):
    """Writes a mask PNG with PIL in the given mode; returns its foreground pixel count from numpy."""
    import numpy as np
    from PIL import Image
    w, h = case["size"]
    rng = np.random.default_rng(case["seed"])
    yy, xx = np.mgrid[0:h, 0:w]
    cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(2, w / 3)
    fg = ((xx - cx) ** 2 + (yy - cy) ** 2 < r * r) | (rng.random((h, w)) < case.get("noise", 0.01))
    mode = case["mode"]
    if mode == "1":
        img = Image.fromarray(fg)
    elif mode == "L":
        img = Image.fromarray((fg * rng.integers(1, 256, (h, w))).astype(np.uint8), "L")
    elif mode == "LA":
        a = np.stack([fg.astype(np.uint8) * 255, np.full((h, w), 255, np.uint8)], axis=-1)
        img = Image.fromarray(a, "LA")
    elif mode == "P":
        img = Image.fromarray((fg * rng.integers(1, 3, (h, w))).astype(np.uint8), "P")
        img.putpalette([0, 0, 0, 255, 0, 0, 255, 255, 255])
    elif mode == "RGB":
        g = fg.astype(np.uint8) * 200
        img = Image.fromarray(np.stack([g, g, g], axis=-1), "RGB")
    elif mode == "I;16":
        img = Image.fromarray((fg * 1000).astype(np.uint16), "I;16")
    else:
        raise ValueError(mode)
    img.save(case["path"], optimize=case.get("optimize", False))
    return {"area": int(np.count_nonzero(fg))}


def sdf_numpy(mask2d):
    """Kervadec et al.'s reference signed distance: edt(neg)*neg - (edt(pos) - 1)*pos; zero if all 0 or all 1."""
    import numpy as np
    from scipy.ndimage import distance_transform_edt as edt
    pos = mask2d.astype(bool)
    if not pos.any() or pos.all():
        return np.zeros(mask2d.shape)
    neg = ~pos
    return edt(neg) * neg - (edt(pos) - 1) * pos


def afl_params(mask, dims):
    """A-FL's alpha_va, gamma_va, gamma_mSa of one mask with numpy (np.gradient along each axis)."""
    import numpy as np
    m = np.asarray(mask, dtype=float).reshape(dims)
    fg = np.count_nonzero(m > 0.5)
    n = m.size
    grads = np.gradient(m) if m.ndim > 1 else [np.gradient(m)]
    mag = np.sqrt(sum(g ** 2 for g in grads))
    return (n - fg) / n, fg / n, float(mag.mean())


def distance_loss(name, params, x, p, y):
    import numpy as np
    shape = y.shape
    h, w = shape[-2], shape[-1]
    ys = y.detach().numpy().reshape(-1, h, w)
    if name == "afl":
        logpt_pos = F.logsigmoid(x)
        logpt_neg = F.logsigmoid(-x)
        logpt = (y * logpt_pos + (1 - y) * logpt_neg).reshape(-1, h * w)
        yy = y.reshape(-1, h * w)
        alphas, gammas = [], []
        for m in ys:
            a, gva, gms = afl_params(m, (h, w))
            on = params.get("switches", [True, True, True])
            alphas.append(a if on[0] else 0.25)
            gammas.append(2.0 if not on[1] and not on[2] else (gva if on[1] else 0) + (gms if on[2] else 0))
        a = torch.tensor(alphas, dtype=torch.float64).reshape(-1, 1)
        g = torch.tensor(gammas, dtype=torch.float64).reshape(-1, 1)
        at = yy * a + (1 - yy) * (1 - a)
        # (1 - p_t) clamped to >= 1e-7 as the kit documents: with gamma 0 (an empty mask) the unclamped
        # power has a 0 * inf gradient at p_t = 1
        return (-at * (1 - torch.exp(logpt)).clamp(min=EPS) ** g * logpt).mean()
    phi = torch.tensor(np.stack([sdf_numpy(m) for m in ys]).reshape(shape), dtype=torch.float64)
    prob = torch.sigmoid(x)
    if name == "boundary":
        return (prob * phi).mean()
    if name == "modified-boundary":
        eps = params.get("epsilon", 1.0)
        phi_t = (1 - phi) * y
        phi_bg = phi * (1 - y)
        return -(phi_t * prob).sum() / ((phi_bg * prob).sum() + (phi_t - phi_t * prob).sum() + eps)
    if name == "gdice":
        q = clamp(prob)
        w_fg = 1 / torch.clamp(y.sum(), min=1) ** 2
        w_bg = 1 / torch.clamp((1 - y).sum(), min=1) ** 2
        num = w_fg * (y * q).sum() + w_bg * ((1 - y) * (1 - q)).sum()
        den = w_fg * (y + q).sum() + w_bg * ((1 - y) + (1 - q)).sum()
        return 1 - 2 * num / den
    raise ValueError(name)


def nifti_info(case):
    """Shape, scaled-value sum and a few voxels of a NIfTI file, as nibabel reads it."""
    import nibabel as nib
    import numpy as np
    img = nib.load(case["path"])
    data = np.asarray(img.get_fdata(), dtype=np.float64)
    flat = data.reshape(-1, order="F")   # NIfTI order: x fastest
    picks = [0, 1, flat.size // 3, flat.size // 2, flat.size - 1]
    return {"shape": list(img.shape), "sum": float(data.sum()), "picks": picks,
            "values": [float(flat[i]) for i in picks], "version": int(img.header["sizeof_hdr"])}


def authors_slices(case):
    """The CALF authors' conversion of a volume (datasets_preprocessing/Brats-UCSF/process_datasets.ipynb): each
    data[:, :, k] of nibabel's array, cv2.normalize(NORM_MINMAX) then astype(uint8) for an image, (x > 0) * 255 for a
    label, as cv2.imwrite writes it: rows along the volume's first axis."""
    import cv2
    import nibabel as nib
    import numpy as np
    data = nib.load(case["path"]).get_fdata()
    out = []
    for k in range(data.shape[2]):
        x = data[:, :, k]
        if case["kind"] == "label":
            p = (x > 0).astype(np.uint8) * 255
        else:
            p = cv2.normalize(x, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
        out.append({"rows": int(p.shape[0]), "cols": int(p.shape[1]), "pixels": p.reshape(-1).astype(int).tolist()})
    return out


def write_nifti(case):
    """Writes a NIfTI volume with nibabel: an 'image' (smooth random positive values) or a 'label' (a ball
    of label values 1..4). Returns the per-axial-slice foreground counts of a label."""
    import nibabel as nib
    import numpy as np
    shape = tuple(case["shape"])
    rng = np.random.default_rng(case.get("seed", 0))
    if case.get("kind") == "label":
        z, y, x = np.meshgrid(*[np.arange(n) for n in shape[::-1]], indexing="ij")
        x, y, z = x.T, y.T, z.T  # back to (x, y, z)
        c = [n / 2 for n in shape]
        r2 = ((x - c[0]) / (shape[0] / 4)) ** 2 + ((y - c[1]) / (shape[1] / 4)) ** 2 + ((z - c[2]) / (shape[2] / 3)) ** 2
        data = np.where(r2 < 1, rng.integers(1, 5, shape), 0)
    else:
        data = rng.uniform(10, 1000, shape)
        data[:, :, 0] = 0  # an all-zero first slice
    dtype = np.dtype(case.get("dtype", "int16"))
    klass = nib.Nifti2Image if case.get("version", 1) == 2 else nib.Nifti1Image
    img = klass(data.astype(dtype), np.eye(4))
    img.header.set_data_dtype(dtype)
    if "slope" in case:
        img.header.set_slope_inter(case["slope"], case.get("inter", 0.0))
    nib.save(img, case["path"])
    stored = np.asarray(nib.load(case["path"]).get_fdata())
    return {"slice_areas": [int(np.count_nonzero(stored[:, :, k] > 0)) for k in range(shape[2])],
            "sum": float(stored.sum())}


def hd95(case):
    """MONAI-style HD95 with scipy: boundaries by 4-connected erosion (the image border counts as outside),
    Euclidean distance transform, numpy's linear percentile, max of the two directed 95th percentiles."""
    import numpy as np
    from scipy import ndimage
    w, h = case["w"], case["h"]
    a = np.array(case["a"], dtype=bool).reshape(h, w)
    b = np.array(case["b"], dtype=bool).reshape(h, w)
    cross = ndimage.generate_binary_structure(2, 1)
    ea = a & ~ndimage.binary_erosion(a, cross, border_value=0)
    eb = b & ~ndimage.binary_erosion(b, cross, border_value=0)
    if not ea.any() and not eb.any():
        return {"hd95": 0.0}
    if not ea.any() or not eb.any():
        return {"hd95": None}
    da = ndimage.distance_transform_edt(~eb)[ea]
    db = ndimage.distance_transform_edt(~ea)[eb]
    return {"hd95": float(max(np.percentile(da, 95), np.percentile(db, 95)))}


def edt(case):
    """scipy's exact EDT: distance of every pixel to the nearest site."""
    import numpy as np
    from scipy import ndimage
    site = np.array(case["site"], dtype=bool).reshape(case["h"], case["w"])
    return {"d": ndimage.distance_transform_edt(~site).reshape(-1).tolist()}


def seed_stats(case):
    """Mean, 95 % t confidence half-width, paired t-test and Wilcoxon p-values with scipy."""
    import numpy as np
    from scipy import stats as st
    a = np.array(case["a"], dtype=float)
    b = np.array(case["b"], dtype=float)
    n = len(a)
    half = st.t.ppf(0.975, n - 1) * a.std(ddof=1) / np.sqrt(n)
    # The bounded interval: Student-t on the logit of the values (clamped to [1e-6, 1 - 1e-6]), back-transformed
    # with the logistic function; for a metric bounded below only, on log(1 + x), back-transformed with exp(y) - 1.
    from scipy.special import expit, logit
    z = logit(np.clip(a, 1e-6, 1 - 1e-6))
    zh = st.t.ppf(0.975, n - 1) * z.std(ddof=1) / np.sqrt(n)
    y = np.log1p(a)
    yh = st.t.ppf(0.975, n - 1) * y.std(ddof=1) / np.sqrt(n)
    return {"mean": float(a.mean()), "sd": float(a.std(ddof=1)), "half": float(half), "t_p": float(st.ttest_rel(a, b).pvalue),
            "w_p": float(st.wilcoxon(a, b, method="exact").pvalue),
            "unit_low": float(expit(z.mean() - zh)), "unit_high": float(expit(z.mean() + zh)),
            "positive_low": float(np.expm1(y.mean() - yh)), "positive_high": float(np.expm1(y.mean() + yh))}


def resize(case):
    """PyTorch's bilinear resize (align_corners=False) of an (N, C, H, W) array, plain and antialiased."""
    x = torch.tensor(case["x"], dtype=torch.float32).reshape(case["shape"])
    size = tuple(case["size"])
    plain = torch.nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False)
    aa = torch.nn.functional.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=True)
    return {"plain": plain.reshape(-1).tolist(), "antialiased": aa.reshape(-1).tolist()}


def schedule(case):
    """Warm-up then cosine decay: linear warm-up by its formula, the decay stepped by torch's CosineAnnealingLR."""
    peak, w, total, floor = case["peak"], case["warmup"], case["total"], case["floor"]
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=peak)
    cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - w, eta_min=floor * peak)
    lrs = [peak * max(1, s) / w for s in range(1, w + 1)]
    for _ in range(total - w):
        opt.step()
        cos.step()
        lrs.append(opt.param_groups[0]["lr"])
    return {"lr": lrs}


def solver_validate(case):
    """scripts/solver.py's Solver.validate loop, re-typed, on fixed binary predictions (one process: world size 1)."""
    def dsc(p, t):
        inter = (p * t).sum().item(); union = p.sum().item() + t.sum().item()
        return 1.0 if union == 0 else 2.0 * inter / union
    def spec(p, t):
        tn = ((1 - p) * (1 - t)).sum().item(); fp = (p * (1 - t)).sum().item()
        return 1.0 if tn + fp == 0 else tn / (tn + fp)
    def sens(p, t):
        tp = (p * t).sum().item(); fn = ((1 - p) * t).sum().item()
        return 1.0 if tp + fn == 0 else tp / (tp + fn)
    def prec(p, t):
        tp = (p * t).sum().item(); fp = (p * (1 - t)).sum().item()
        return 1.0 if tp + fp == 0 else tp / (tp + fp)
    h, w = case["h"], case["w"]
    correct = total = 0
    sums = {"dsc": 0.0, "specificity": 0.0, "sensitivity": 0.0, "precision": 0.0, "mae": 0.0}
    for b in case["batches"]:
        n = len(b["pred"]) // (h * w)
        binary = torch.tensor(b["pred"], dtype=torch.float32).reshape(n, 1, h, w)
        masks = torch.tensor(b["target"], dtype=torch.float32).reshape(n, 1, h, w)
        correct += (binary == masks).sum().item(); total += masks.numel()
        sums["dsc"] += dsc(binary, masks); sums["specificity"] += spec(binary, masks)
        sums["sensitivity"] += sens(binary, masks); sums["precision"] += prec(binary, masks)
        sums["mae"] += torch.abs(binary - masks).mean().item()
    out = {k: v / len(case["batches"]) for k, v in sums.items()}
    out["accuracy"] = correct / total
    return out


def unpaired_bootstrap(case):
    """Percentile interval of pooled DSC(a) - pooled DSC(b), each side's slices resampled on its own (SciPy)."""
    import numpy as np
    a = [np.array(case["a"][k], dtype=float) for k in ("tp", "fp", "fn")]
    b = [np.array(case["b"][k], dtype=float) for k in ("tp", "fp", "fn")]

    def pooled(tp, fp, fn):
        return 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())

    def stat(ia, ib):
        ia = ia.astype(int); ib = ib.astype(int)
        return pooled(a[0][ia], a[1][ia], a[2][ia]) - pooled(b[0][ib], b[1][ib], b[2][ib])

    r = st.bootstrap((np.arange(len(a[0])), np.arange(len(b[0]))), stat, paired=False, vectorized=False,
                     n_resamples=20000, method="percentile", random_state=np.random.default_rng(7))
    return {"low": float(r.confidence_interval.low), "high": float(r.confidence_interval.high)}


def trainings_comparison(case):
    """Pooled-DSC difference across trainings: per-seed differences, their mean and sd, the slices' bootstrap SE of the
    mean difference (numpy, the same slice draw for every seed), the Student-t interval and p with n - 1 df (SciPy)."""
    import numpy as np
    a = [[np.array(s[k], dtype=float) for k in ("tp", "fp", "fn")] for s in case["a"]]
    b = [[np.array(s[k], dtype=float) for k in ("tp", "fp", "fn")] for s in case["b"]]

    def pooled(c, idx):
        tp, fp, fn = (x[idx] for x in c)
        den = 2 * tp.sum() + fp.sum() + fn.sum()
        return 1.0 if den == 0 else 2 * tp.sum() / den

    n_slices = len(a[0][0])
    every = np.arange(n_slices)
    d = np.array([pooled(x, every) - pooled(y, every) for x, y in zip(a, b)])
    rng = np.random.default_rng(11)
    boots = []
    for _ in range(20000):
        idx = rng.integers(0, n_slices, n_slices)
        boots.append(np.mean([pooled(x, idx) - pooled(y, idx) for x, y in zip(a, b)]))
    se_slices = float(np.std(boots, ddof=1))
    n = len(d)
    sd = float(d.std(ddof=1))
    se = math.sqrt(sd ** 2 / n + se_slices ** 2)
    half = float(st.t.ppf(0.975, n - 1)) * se
    p = float(2 * st.t.cdf(-abs(d.mean()) / se, n - 1))
    return {"per_seed": d.tolist(), "mean": float(d.mean()), "sd": sd, "se_slices": se_slices, "low": float(d.mean() - half),
            "high": float(d.mean() + half), "p": p}


def main():
    req = json.load(sys.stdin)
    out = {}
    for case in req.get("losses", []):
        shape = case["shape"]
        y = torch.tensor(case["target"], dtype=torch.float32).reshape(shape)
        if "logits" in case:
            x = torch.tensor(case["logits"], dtype=torch.float32).reshape(shape).requires_grad_(True)
            p = clamp(torch.sigmoid(x)).double()
            v = loss_value(case["loss"], case.get("params", {}), x.double(), p, y.double())
            v.backward()
            out[case["id"]] = {"value": v.item(), "grad": x.grad.reshape(-1).tolist()}
        else:
            p = torch.tensor(case["p"], dtype=torch.float32).reshape(shape).double()
            out[case["id"]] = {"value": loss_value(case["loss"], case.get("params", {}), None, p, y.double()).item()}
    for case in req.get("stats", []):
        a = [float(v) for v in case["areas"] if case.get("empty", "include") == "include" or v > 0]
        n = len(a)
        mean = sum(a) / n if n else float("nan")
        std = math.sqrt(sum((v - mean) ** 2 for v in a) / n) if n else float("nan")
        defined = n >= 2 and std > 0
        out[case["id"]] = {"n": n, "mean": mean, "std": std,
                           "skewness": float(st.skew(a, bias=True)) if defined else None,
                           "kurtosis": float(st.kurtosis(a, fisher=True, bias=True)) if defined else None}
    for case in req.get("nifti_info", []):
        out[case["id"]] = nifti_info(case)
    for case in req.get("write_nifti", []):
        out[case["id"]] = write_nifti(case)
    for case in req.get("sdf", []):
        import numpy as np
        m = np.array(case["mask"], dtype=float).reshape(case["h"], case["w"])
        out[case["id"]] = {"phi": sdf_numpy(m).reshape(-1).tolist()}
    for case in req.get("afl_params", []):
        a, gva, gms = afl_params(case["mask"], tuple(case["dims"]))
        out[case["id"]] = {"alpha_va": a, "gamma_va": gva, "gamma_msa": gms}
    for case in req.get("hd95", []):
        out[case["id"]] = hd95(case)
    for case in req.get("edt", []):
        out[case["id"]] = edt(case)
    for case in req.get("seeds", []):
        out[case["id"]] = seed_stats(case)
    for case in req.get("resize", []):
        out[case["id"]] = resize(case)
    for case in req.get("schedule", []):
        out[case["id"]] = schedule(case)
    for case in req.get("upconv", []):
        out[case["id"]] = upconv(case)
    for case in req.get("authors_slices", []):
        out[case["id"]] = authors_slices(case)
    for case in req.get("torch_init", []):
        out[case["id"]] = torch_init(case)
    for case in req.get("authors_params", []):
        out[case["id"]] = authors_params(case)
    for case in req.get("pil_resize", []):
        out[case["id"]] = pil_resize(case)
    for case in req.get("cv_minmax", []):
        out[case["id"]] = cv_minmax(case)
    for case in req.get("contours", []):
        out[case["id"]] = contour_areas(case)
    for case in req.get("trainings", []):
        out[case["id"]] = trainings_comparison(case)
    for case in req.get("unpaired_bootstrap", []):
        out[case["id"]] = unpaired_bootstrap(case)
    for case in req.get("solver", []):
        out[case["id"]] = solver_validate(case)
    for case in req.get("write_masks", []):
        out[case["id"]] = write_mask(case)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
