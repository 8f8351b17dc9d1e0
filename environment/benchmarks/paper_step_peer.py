#!/usr/bin/python3
"""Step time of the kit's three paper-size models written in PyTorch, for the README's GPU-hour projection
(`calf grid` on a cluster). The networks are twins of calfkit.model at Models.Size.PAPER:
- U-Net depth 4, width 64 (unet_peer.UNet: double conv-BN-ReLU, max pooling, bilinear x2 + conv, concat);
- DeepLabV3: ResNet [3,4,6,3] of bottlenecks, width 64, output stride 16 (stage 4 dilated 2), ASPP 256 at rates
  6/12/18 with a 1x1 branch and an image-pooling branch (1x1 conv + ReLU, no BN), 1x1 projection + dropout 0.1,
  a 3x3 head, a 1x1 classifier, bilinear resize to the input;
- FPN: ResNet [2,2,2,2] of bottlenecks, width 64, laterals 256, segmentation branches of 128 (P2 one conv,
  P3..P5 one conv per x2 step), summed, dropout 0.2, 1x1 classifier at stride 4, bilinear resize.
One training step = Adam on BCE with logits over a batch of fixed random tensors (batch 32, 256x256 by default),
float32 as DJL's PyTorch engine trains, under libtorch's default settings as DJL keeps them. Prints, per model, the median step time of the best of 3 rounds and the
steps an hour that makes.

usage: paper_step_peer.py [--device cuda|cpu] [--batch 32] [--size 256] [--steps 30] [--models unet,deeplabv3,fpn] [--tf32 default|off]
       [--cudnn-benchmark]"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from unet_peer import UNet, cbr


def conv_bn_relu(cin, cout, k, stride=1, dilation=1):
    pad = dilation * (k - 1) // 2
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, pad, dilation, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


class Bottleneck(nn.Module):
    def __init__(self, cin, planes, stride, dilation, project):
        super().__init__()
        self.body = nn.Sequential(conv_bn_relu(cin, planes, 1), conv_bn_relu(planes, planes, 3, stride, dilation),
                                  nn.Conv2d(planes, 4 * planes, 1, bias=False), nn.BatchNorm2d(4 * planes))
        self.shortcut = nn.Sequential(nn.Conv2d(cin, 4 * planes, 1, stride, bias=False),
                                      nn.BatchNorm2d(4 * planes)) if project else None

    def forward(self, x):
        return F.relu(self.body(x) + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    def __init__(self, blocks, width, output_stride):
        super().__init__()
        self.stem = conv_bn_relu(1, width, 7, 2)
        strides = [1, 2, 1 if output_stride == 8 else 2, 2 if output_stride == 32 else 1]
        dilations = [1, 1, 2 if output_stride == 8 else 1, 1 if output_stride == 32 else 2 if output_stride == 16 else 4]
        self.stages = nn.ModuleList()
        cin = width
        for i, n in enumerate(blocks):
            planes = width << i
            self.stages.append(nn.Sequential(*[Bottleneck(cin if b == 0 else 4 * planes, planes,
                                                          strides[i] if b == 0 else 1, dilations[i], b == 0)
                                               for b in range(n)]))
            cin = 4 * planes
        self.channels = [4 * (width << i) for i in range(4)]

    def forward(self, x):
        x = F.max_pool2d(self.stem(x), 3, 2, 1)
        out = []
        for s in self.stages:
            x = s(x)
            out.append(x)
        return out


class DeepLabV3(nn.Module):
    def __init__(self, blocks=(3, 4, 6, 3), width=64, output_stride=16, aspp=256):
        super().__init__()
        self.backbone = ResNet(blocks, width, output_stride)
        c = self.backbone.channels[3]
        base = 12 if output_stride == 8 else 6
        self.aspp = nn.ModuleList([conv_bn_relu(c, aspp, 1)] + [conv_bn_relu(c, aspp, 3, 1, base * i) for i in (1, 2, 3)])
        self.pooling = nn.Sequential(nn.Conv2d(c, aspp, 1), nn.ReLU(inplace=True))
        self.project = nn.Sequential(conv_bn_relu(5 * aspp, aspp, 1), nn.Dropout(0.1))
        self.head = conv_bn_relu(aspp, aspp, 3)
        self.classifier = nn.Conv2d(aspp, 1, 1)

    def forward(self, x):
        size = x.shape[2:]
        top = self.backbone(x)[3]
        branches = [b(top) for b in self.aspp]
        branches.append(self.pooling(F.adaptive_avg_pool2d(top, 1)).expand(-1, -1, top.shape[2], top.shape[3]))
        x = self.classifier(self.head(self.project(torch.cat(branches, 1))))
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class Fpn(nn.Module):
    def __init__(self, blocks=(2, 2, 2, 2), width=64, pyramid=256, seg=128):
        super().__init__()
        self.backbone = ResNet(blocks, width, 32)
        self.laterals = nn.ModuleList([nn.Conv2d(c, pyramid, 1) for c in self.backbone.channels])
        self.branches = nn.ModuleList([nn.ModuleList([conv_bn_relu(pyramid if k == 0 else seg, seg, 3)
                                                      for k in range(max(1, i))]) for i in range(4)])
        self.dropout = nn.Dropout(0.2)
        self.classifier = nn.Conv2d(seg, 1, 1)

    def forward(self, x):
        size = x.shape[2:]
        c = self.backbone(x)
        p = [None] * 4
        p[3] = self.laterals[3](c[3])
        for i in (2, 1, 0):
            lat = self.laterals[i](c[i])
            p[i] = lat + F.interpolate(p[i + 1], size=lat.shape[2:], mode="bilinear", align_corners=False)
        h, w = c[0].shape[2:]
        total = 0
        for i in range(4):
            y = p[i]
            for k, stage in enumerate(self.branches[i]):
                y = stage(y)
                if i > 0:
                    scale = 1 << (i - k - 1)
                    y = F.interpolate(y, size=(h // scale, w // scale), mode="bilinear", align_corners=False)
            total = total + y
        x = self.classifier(self.dropout(total))
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


def build(name):
    if name == "unet":
        return UNet(4, 64)
    if name == "deeplabv3":
        return DeepLabV3()
    if name == "fpn":
        return Fpn()
    raise SystemExit(f"unknown model {name!r}: expected unet, deeplabv3 or fpn")


def median_step_ms(net, x, y, steps, device):
    opt = torch.optim.Adam(net.parameters(), lr=1e-5)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    best = float("inf")
    for rnd in range(3):
        times = []
        for i in range(-5 if rnd == 0 else -1, steps):
            sync()
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = F.binary_cross_entropy_with_logits(net(x), y)
            loss.backward()
            opt.step()
            loss.item()
            sync()
            if i >= 0:
                times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        best = min(best, times[len(times) // 2])
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--models", default="unet,deeplabv3,fpn")
    ap.add_argument("--tf32", choices=["default", "off"], default="default",
                    help="off: strict float32 convolutions too (libtorch's default lets cuDNN use TF32)")
    ap.add_argument("--cudnn-benchmark", action="store_true",
                    help="cuDNN autotuning, as DJL's -Dai.djl.pytorch.cudnn_benchmark=true")
    a = ap.parse_args()
    device = torch.device(a.device)
    # libtorch's defaults, which DJL's PyTorch engine keeps: no cuDNN autotuning (DJL's
    # ai.djl.pytorch.cudnn_benchmark is off unless set), TF32 allowed in cuDNN convolutions, not in matmuls.
    if a.tf32 == "off":
        torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = a.cudnn_benchmark
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"torch {torch.__version__}, device {name}, batch {a.batch} x 1 x {a.size}x{a.size}, float32, "
          f"cuDNN TF32 {torch.backends.cudnn.allow_tf32}, cuDNN benchmark {torch.backends.cudnn.benchmark}")
    g = torch.Generator().manual_seed(1)
    x = torch.rand(a.batch, 1, a.size, a.size, generator=g).to(device)
    y = (torch.rand(a.batch, 1, a.size, a.size, generator=g) > 0.98).float().to(device)
    for m in a.models.split(","):
        torch.manual_seed(1)
        net = build(m).to(device).train()
        params = sum(p.numel() for p in net.parameters())
        ms = median_step_ms(net, x, y, a.steps, device)
        mem = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else float("nan")
        print(f"model={m} params={params} step_ms={ms:.2f} steps_per_hour={3.6e6 / ms:.0f} peak_gib={mem:.2f}")
        del net
        if device.type == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(device)


if __name__ == "__main__":
    main()
