#!/usr/bin/python3
"""PyTorch peer of the convergence study (calfkit.bench.ConvergenceBenchmark): the same quick U-Net (depth 3,
width 16; unet_peer.py's network), the same slices (the lists the Java side wrote), the same recipe: He-normal
weights as DJL's XavierInitializer(GAUSSIAN, IN, 2) and zero biases, the head's bias at the training sample's
foreground log-odds (prior on) or 0 (prior off), Adam with a linear warm-up over one epoch and a cosine decay to
1 % of the peak, BatchNorm statistics re-estimated before each validation (torch.optim.swa_utils.update_bn on
64 training slices), the best epoch chosen on the pooled validation DSC. Prints one line per epoch and the
best epoch's pooled test DSC.

Each epoch draws SLICES_PER_EPOCH slices of a fresh permutation of the training sample, as the kit's EpochSampler.

usage: convergence_peer.py DATA LISTS EPOCHS SLICES_PER_EPOCH BATCH LR THREADS SEED..."""
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from unet_peer import UNet  # noqa: E402


def load(data, lists, name):
    images, masks = [], []
    for line in open(f"{lists}/{name}.txt"):
        image, mask = line.rstrip("\n").split("\t")
        images.append(np.asarray(Image.open(f"{data}/{image}").convert("L"), dtype=np.float32) / 255)
        masks.append((np.asarray(Image.open(f"{data}/{mask}")) > 0).astype(np.float32))
    return torch.from_numpy(np.stack(images)[:, None]), torch.from_numpy(np.stack(masks)[:, None])


def pooled_dsc(net, x, y, batch):
    net.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            p = net(x[i:i + batch]) > 0
            t = y[i:i + batch] > 0.5
            tp += (p & t).sum().item()
            fp += (p & ~t).sum().item()
            fn += (~p & t).sum().item()
    return 1.0 if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def train(data, seed, prior, epochs, per_epoch, batch, lr, xs):
    (xt, yt), (xv, yv), (xe, ye) = xs
    torch.manual_seed(seed)
    net = UNet(3, 16)
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            fan_in = m.weight[0].numel()
            torch.nn.init.normal_(m.weight, 0, math.sqrt(2 / fan_in))
            if m.bias is not None:
                torch.nn.init.zeros_(m.bias)
    if prior:
        pi = yt.mean().item()
        net.head.bias.data.fill_(math.log(pi / (1 - pi)))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = min(per_epoch or len(xt), len(xt)) // batch
    total, warm = steps * epochs, min(steps, steps * epochs // 10)

    def factor(step):  # LambdaLR passes the 0-based count of finished steps: the kit's 1-based step is step + 1
        s = step + 1
        if s <= warm:
            return s / warm
        progress = min(1.0, (s - warm) / (total - warm))
        return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * progress))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    g = torch.Generator().manual_seed(seed)
    calibration = torch.randperm(len(xt), generator=g)[:64]
    best, best_state = -1.0, None
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        net.train()
        order = torch.randperm(len(xt), generator=g)
        total_loss = 0.0
        for b in range(steps):
            idx = order[b * batch:(b + 1) * batch]
            loss = F.binary_cross_entropy_with_logits(net(xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item()
        torch.optim.swa_utils.update_bn([xt[calibration[i:i + 32]] for i in range(0, len(calibration), 32)], net)
        dsc = pooled_dsc(net, xv, yv, batch)
        print(f"python epoch={epoch} seed={seed} prior={'on' if prior else 'off'} val_dsc={dsc:.4f} "
              f"train_loss={total_loss / steps:.4f} seconds={time.perf_counter() - t0:.1f}", flush=True)
        if dsc > best:
            best, best_state = dsc, {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    return pooled_dsc(net, xe, ye, batch)


def main():
    data, lists = sys.argv[1], sys.argv[2]
    epochs, per_epoch, batch = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    lr = float(sys.argv[6])
    torch.set_num_threads(int(sys.argv[7]))
    torch.set_num_interop_threads(1)
    seeds = [int(s) for s in sys.argv[8:]]
    xs = [load(data, lists, n) for n in ("train", "validation", "test")]
    print(f"python U-Net quick, BCE: {len(xs[0][0])} training, {len(xs[1][0])} validation, {len(xs[2][0])} test slices, "
          f"torch {torch.__version__}")
    for prior in (True, False):
        for seed in seeds:
            t0 = time.perf_counter()
            dsc = train(data, seed, prior, epochs, per_epoch, batch, lr, xs)
            print(f"python test seed={seed} prior={'on' if prior else 'off'} test_dsc={dsc:.4f} "
                  f"seconds={time.perf_counter() - t0:.1f}", flush=True)


if __name__ == "__main__":
    main()
