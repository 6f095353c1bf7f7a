"""Schedules against torch.optim.lr_scheduler stepped once per epoch."""

import pytest
import torch

from dlcore.schedules import (Constant, ExponentialDecay, StepDecay,
                              make_schedule)

EPOCHS = 300


def torch_rates(learning_rate, make_scheduler, epochs=EPOCHS):
    """The lr torch's optimizer holds during each epoch."""
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=learning_rate)
    scheduler = make_scheduler(opt)
    rates = []
    for _ in range(epochs):
        rates.append(opt.param_groups[0]["lr"])
        # One epoch of steps, then the scheduler, as torch documents.
        opt.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize("every, factor", [(50, 0.5), (1, 0.9), (7, 0.3)])
def test_step_decay_matches_step_lr(every, factor):
    schedule = StepDecay(0.1, every=every, factor=factor)
    expected = torch_rates(0.1, lambda o: torch.optim.lr_scheduler.StepLR(
        o, step_size=every, gamma=factor))
    ours = [schedule(e) for e in range(EPOCHS)]
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("gamma", [0.99, 0.9, 1.0])
def test_exponential_decay_matches_exponential_lr(gamma):
    schedule = ExponentialDecay(0.03, gamma=gamma)
    expected = torch_rates(0.03, lambda o: torch.optim.lr_scheduler
                           .ExponentialLR(o, gamma=gamma))
    ours = [schedule(e) for e in range(EPOCHS)]
    assert ours == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_constant_matches_an_unscheduled_optimizer():
    expected = torch_rates(0.3, lambda o: torch.optim.lr_scheduler.LambdaLR(
        o, lambda epoch: 1.0))
    assert [Constant(0.3)(e) for e in range(EPOCHS)] == expected


def test_step_decay_by_hand():
    schedule = StepDecay(1.0, every=10, factor=0.5)
    assert [schedule(e) for e in (0, 9, 10, 19, 20, 35)] == \
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]


def test_step_decay_every_below_one_means_every_epoch():
    assert StepDecay(1.0, every=0, factor=0.5)(3) == 0.125


def test_make_schedule():
    assert make_schedule("constant", 0.2)(99) == 0.2
    step = make_schedule("step", 0.2, every=5, factor=0.1)
    assert step(5) == pytest.approx(0.02, rel=1e-12)
    exponential = make_schedule("exponential", 0.2, gamma=0.5)
    assert exponential(3) == pytest.approx(0.025, rel=1e-12)
    with pytest.raises(ValueError, match="known: constant"):
        make_schedule("cosine", 0.2)
