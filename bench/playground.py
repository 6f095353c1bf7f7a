"""Benchmark: dlcore's trainer against the textbook torch training loop.

Both train a 2-8-8-1 tanh network on the spiral (500 points, half for
training, batch 10, learning rate 0.03, squared error) from the same
initial weights on the same batches. Rounds alternate between the two so
that drift in the machine's speed hits both alike. The script checks that
both give the same per-epoch training losses, then prints the time per
step of each and, last, ``speedup_vs_textbook_torch: <ratio>``.

Run: python bench/playground.py [--rounds 5] [--epochs 40]
"""

import argparse
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from dlcore import datasets, losses, mlp, optimizers, schedules  # noqa: E402
from dlcore.trainer import Trainer  # noqa: E402

SIZES = [2, 8, 8, 1]
LEARNING_RATE = 0.03
BATCH = 10
SEED = 3


def make_dlcore(data):
    model = mlp.MLP(SIZES, "tanh", seed=SEED)
    loss = losses.make_loss("squared_error", "classification", 2)
    return Trainer(model, loss, data, optimizers.SGD(),
                   schedules.Constant(LEARNING_RATE), BATCH,
                   weight_decay=0.0, seed=SEED)


def make_textbook(model):
    layers = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        linear = nn.Linear(a, b)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(model.layers[i]["W"].T))
            linear.bias.copy_(torch.from_numpy(model.layers[i]["b"]))
        layers += [linear, nn.Tanh()]
    return nn.Sequential(*layers[:-1])


def run_textbook(net, data, targets, epochs):
    """The loop from any tutorial; returns per-epoch training losses."""
    opt = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)
    criterion = nn.MSELoss()
    x_all = torch.tensor(data.x_train, dtype=torch.float32)
    t_all = torch.tensor(targets, dtype=torch.float32)
    rng = np.random.default_rng(SEED)
    curve = []
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(x_all)))
        x, t = x_all[order], t_all[order]
        for start in range(0, len(x), BATCH):
            opt.zero_grad()
            loss = criterion(net(x[start:start + BATCH]), t[start:start + BATCH])
            loss.backward()
            opt.step()
        with torch.no_grad():
            curve.append(criterion(net(x_all), t_all).item())
    return curve


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    torch.set_num_threads(1)

    spiral = datasets.make_dataset("spiral", 500, 0.0, seed=SEED)
    data = datasets.split(spiral, ["x1", "x2"], 0.5, seed=SEED)
    ours_time = theirs_time = 0.0
    steps = 0
    worst = 0.0
    for _ in range(args.rounds):
        trainer = make_dlcore(data)
        net = make_textbook(trainer.model)
        start = time.perf_counter()
        trainer.run_epochs(args.epochs)
        ours_time += time.perf_counter() - start
        steps += trainer.steps

        start = time.perf_counter()
        curve = run_textbook(net, data, trainer.t_train, args.epochs)
        theirs_time += time.perf_counter() - start

        ours = trainer.history.column("train_loss")[1:]
        worst = max(worst, float(np.max(np.abs(ours - curve))))

    # float32 (torch's default) against float64: agree to about 1e-5.
    same = worst < 1e-3
    print(f"epochs: {args.rounds} rounds x {args.epochs}, steps: {steps}")
    print(f"largest train_loss difference: {worst:.2e} "
          f"({'same losses' if same else 'LOSSES DIFFER'})")
    print(f"dlcore: {ours_time / steps * 1e6:.1f} us/step "
          f"(evaluation after each epoch included)")
    print(f"textbook torch: {theirs_time / steps * 1e6:.1f} us/step")
    print(f"speedup_vs_textbook_torch: {theirs_time / ours_time:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
