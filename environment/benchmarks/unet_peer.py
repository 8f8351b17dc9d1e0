#!/usr/bin/python3
"""PyTorch peer of the training-step benchmark: the kit's U-Net (calfkit.model.UNet) written in PyTorch:
double 3x3 conv-BN-ReLU per level, 2x2 max pooling, bilinear x2 upsampling + 3x3 conv-BN-ReLU, concatenation,
double conv, 1x1 head. Adam, BCE with logits, fixed random tensors. Prints the median step time.

usage: unet_peer.py BATCH SIZE DEPTH WIDTH STEPS THREADS"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def cbr(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, depth, width):
        super().__init__()
        self.depth = depth
        chans = [width << l for l in range(depth + 1)]
        self.enc = nn.ModuleList()
        cin = 1
        for c in chans:
            self.enc.append(nn.Sequential(cbr(cin, c), cbr(c, c)))
            cin = c
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for l in range(depth - 1, -1, -1):
            self.up.append(cbr(cin, chans[l]))
            self.dec.append(nn.Sequential(cbr(2 * chans[l], chans[l]), cbr(chans[l], chans[l])))
            cin = chans[l]
        self.head = nn.Conv2d(cin, 1, 1)

    def forward(self, x):
        skips = []
        for l, e in enumerate(self.enc):
            if l > 0:
                x = F.max_pool2d(x, 2)
            x = e(x)
            skips.append(x)
        for i in range(self.depth):
            skip = skips[self.depth - 1 - i]
            x = F.interpolate(x, size=skip.shape[2:], mode="bilinear", align_corners=False)
            x = self.up[i](x)
            x = self.dec[i](torch.cat([skip, x], 1))
        return self.head(x)


def main():
    batch, size, depth, width, steps, threads = map(int, sys.argv[1:7])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    net = UNet(depth, width)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(batch, 1, size, size)
    y = (torch.rand(batch, 1, size, size) > 0.9).float()
    n = sum(p.numel() for p in net.parameters() if p.requires_grad)
    print(f"python U-Net depth {depth} width {width}: {n} trainable parameters, torch {torch.__version__}, threads {threads}")
    best = float("inf")
    for round in range(3):  # like the Java side: warm up, then the best median of the rounds
        times = []
        for i in range(-10 if round == 0 else -2, steps):
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = F.binary_cross_entropy_with_logits(net(x), y)
            loss.backward()
            opt.step()
            loss.item()
            if i >= 0:
                times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        best = min(best, times[len(times) // 2])
    print(f"python_bce_step_ms={best:.2f}")


if __name__ == "__main__":
    main()
