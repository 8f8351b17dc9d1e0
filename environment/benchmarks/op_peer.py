#!/usr/bin/python3
"""PyTorch peer of calfkit.bench.OpBenchmark: forward and backward time of each kind of layer of the
train-step benchmark's U-Net (batch 8, 128x128, width 16), at its shapes. Same cases, names and protocol as
the Java side: input (and weight) require gradients and are never zeroed (gradients accumulate, as in DJL);
forward = the operation plus a sum, backward = the gradient of that sum; 5 warm-up repetitions, then the
median of REPS.

usage: op_peer.py REPS THREADS"""
import sys
import time

import torch
import torch.nn.functional as F


def trainable(t):
    return t.requires_grad_(True)


def cases():
    torch.manual_seed(1)
    out = {}
    for cin, cout, size in ((16, 16, 128), (64, 64, 32), (256, 256, 8)):
        w = trainable(torch.rand(cout, cin, 3, 3) * 0.2 - 0.1)
        out[f"conv3x3_{cin}to{cout}_{size}"] = ((8, cin, size, size), lambda x, w=w: F.conv2d(x, w, None, 1, 1))
    gamma, beta = trainable(torch.ones(16)), trainable(torch.zeros(16))
    mean, var = torch.zeros(16), torch.ones(16)
    out["batchnorm_16_128"] = ((8, 16, 128, 128),
                               lambda x: F.batch_norm(x, mean, var, gamma, beta, training=True, momentum=0.1, eps=1e-5))
    out["relu_16_128"] = ((8, 16, 128, 128), F.relu)
    out["maxpool2x2_16_128"] = ((8, 16, 128, 128), lambda x: F.max_pool2d(x, 2, 2))
    out["concat_16+16_128"] = ((8, 16, 128, 128), lambda x: torch.cat([x, x], 1))
    out["bilinear_x2_32_64"] = ((8, 32, 64, 64),
                                lambda x: F.interpolate(x, size=(128, 128), mode="bilinear", align_corners=False))
    return out


def main():
    reps, threads = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    for name, (shape, op) in cases().items():
        x = trainable(torch.rand(*shape))
        fwd, bwd = [], []
        for i in range(-5, reps):
            t0 = time.perf_counter()
            loss = op(x).sum()
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            if i >= 0:
                fwd.append((t1 - t0) * 1e3)
                bwd.append((t2 - t1) * 1e3)
        fwd.sort()
        bwd.sort()
        print(f"op={name} fwd_ms={fwd[reps // 2]:.3f} bwd_ms={bwd[reps // 2]:.3f}")


if __name__ == "__main__":
    main()
