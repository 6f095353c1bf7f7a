"""Optimizers against torch.optim, step by step, and by hand."""

import numpy as np
import pytest
import torch

from dlcore.losses import make_loss
from dlcore.mlp import MLP
from dlcore.optimizers import SGD, Adam, Momentum, make_optimizer

STEPS = 8
TOL = dict(rtol=1e-10, atol=1e-12)


def gradients(size, seed=0):
    """A different gradient for every step."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 1 + i, size) for i in range(STEPS)]


def run_torch(make_opt, start, grads, lrs):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = make_opt([p])
    trail = []
    for g, lr in zip(grads, lrs):
        opt.param_groups[0]["lr"] = lr
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        trail.append(p.detach().numpy().copy())
    return trail


def run_ours(opt, start, grads, lrs):
    params = start.copy()
    trail = []
    for g, lr in zip(grads, lrs):
        opt.step(params, g, lr)
        trail.append(params.copy())
    return trail


CASES = {
    "sgd": (SGD, lambda p: torch.optim.SGD(p, lr=1.0)),
    "momentum": (lambda: Momentum(0.9),
                 lambda p: torch.optim.SGD(p, lr=1.0, momentum=0.9)),
    "adam": (Adam, lambda p: torch.optim.Adam(p, lr=1.0)),
}


@pytest.mark.parametrize("changing_lr", [False, True])
@pytest.mark.parametrize("name", sorted(CASES))
def test_step_matches_torch(name, changing_lr):
    ours, theirs = CASES[name]
    start = np.random.default_rng(9).normal(0, 1, 7)
    grads = gradients(7)
    lrs = [0.05 * 0.7 ** i if changing_lr else 0.05 for i in range(STEPS)]

    mine = run_ours(ours(), start, grads, lrs)
    expected = run_torch(theirs, start, grads, lrs)
    for a, b in zip(mine, expected):
        np.testing.assert_allclose(a, b, **TOL)
    assert not np.allclose(mine[-1], start)


def test_momentum_ramp_by_hand():
    opt = Momentum(momentum=0.9, ramp_epoch=2)
    assert [opt.momentum_at(e) for e in range(4)] == [0.5, 0.5, 0.9, 0.9]
    params = np.zeros(1)
    for epoch in range(4):
        opt.step(params, np.ones(1), 0.1, epoch)

    # velocity: 1, 0.5*1 + 1, 0.9*1.5 + 1, 0.9*2.35 + 1
    assert opt.velocity[0] == pytest.approx(3.115, abs=1e-12)
    assert params[0] == pytest.approx(-0.1 * (1 + 1.5 + 2.35 + 3.115),
                                      abs=1e-12)


def test_momentum_without_ramp_uses_its_coefficient_at_once():
    opt = Momentum(momentum=0.8)
    assert opt.momentum_at(0) == 0.8
    params = np.zeros(1)
    opt.step(params, np.ones(1), 1.0, 0)
    opt.step(params, np.ones(1), 1.0, 0)
    assert params[0] == pytest.approx(-(1 + 1.8), abs=1e-12)


def test_adam_first_step_is_lr_times_sign():
    # Bias correction makes the first step lr * g / (|g| + eps).
    params = np.zeros(3)
    Adam().step(params, np.array([4.0, -0.5, 0.0]), 0.01)
    np.testing.assert_allclose(params, [-0.01, 0.01, 0.0], atol=1e-9)


def test_make_optimizer_names():
    assert isinstance(make_optimizer("gd"), SGD)
    assert isinstance(make_optimizer("sgd"), SGD)
    opt = make_optimizer("momentum", momentum=0.7, ramp_epoch=3)
    assert (opt.momentum, opt.ramp_epoch) == (0.7, 3)
    assert isinstance(make_optimizer("adam"), Adam)
    with pytest.raises(ValueError, match="known: gd"):
        make_optimizer("rmsprop")


# -- weight decay: ours in the model's gradient, torch's in the optimizer ---

DECAY = 0.05
LOSS = make_loss("squared_error", "classification", 3)


def decay_problem():
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1.5, (12, 2))
    targets = LOSS.encode(np.arange(12) % 3)
    return x, targets


def make_model():
    return MLP([2, 4, 3], "tanh", batch_norm=True, seed=2)


def data_gradient(reference, flat, x, targets):
    """The data-only gradient at ``flat``, from a second model."""
    reference.params[...] = flat
    return reference.loss_and_gradient(x, targets, LOSS, 0.0)[1].copy()


def torch_decayed(make_opt, model, x, targets, lrs):
    """torch's optimizer, decaying the weight slice only, on data grads."""
    n = model.n_weights
    start = torch.tensor(model.params, dtype=torch.float64)
    w = start[:n].clone().requires_grad_()
    rest = start[n:].clone().requires_grad_()
    opt = make_opt([{"params": [w], "weight_decay": DECAY},
                    {"params": [rest], "weight_decay": 0.0}])
    reference = make_model()
    trail = []
    for lr in lrs:
        flat = torch.cat([w, rest]).detach().numpy()
        g = torch.tensor(data_gradient(reference, flat, x, targets))
        w.grad, rest.grad = g[:n].clone(), g[n:].clone()
        for group in opt.param_groups:
            group["lr"] = lr
        opt.step()
        trail.append(torch.cat([w, rest]).detach().numpy().copy())
    return trail


def ours_decayed(opt, model, x, targets, lrs):
    trail = []
    for lr in lrs:
        _, grad = model.loss_and_gradient(x, targets, LOSS, DECAY)
        opt.step(model.params, grad, lr)
        trail.append(model.params.copy())
    return trail


DECAY_CASES = {
    "sgd": (SGD, lambda g: torch.optim.SGD(g, lr=1.0)),
    "momentum": (lambda: Momentum(0.9),
                 lambda g: torch.optim.SGD(g, lr=1.0, momentum=0.9)),
    "adam": (Adam, lambda g: torch.optim.Adam(g, lr=1.0)),
}


@pytest.mark.parametrize("name", sorted(DECAY_CASES))
def test_decay_in_gradient_matches_torch_param_groups(name):
    ours, theirs = DECAY_CASES[name]
    x, targets = decay_problem()
    lrs = [0.1 * 0.8 ** i for i in range(STEPS)]

    model = make_model()
    expected = torch_decayed(theirs, model, x, targets, lrs)
    mine = ours_decayed(ours(), model, x, targets, lrs)
    for a, b in zip(mine, expected):
        np.testing.assert_allclose(a, b, **TOL)
