"""Short training runs on tiny data, divergence, and bounded history."""

import math

import numpy as np
import pytest

from dlcore import datasets, losses, optimizers, schedules
from dlcore.history import History
from dlcore.mlp import MLP
from dlcore.trainer import METRICS, Trainer


def circle_data(n=100, features=("x1sq", "x2sq"), name="circle"):
    data = datasets.make_dataset(name, n, 0.0, seed=0)
    return datasets.split(data, list(features), 0.5, seed=0)


def make_trainer(data=None, lr=0.1, batch_size=10, seed=0, model_seed=0,
                 sizes=(2, 3, 1), activation="tanh", optimizer=None,
                 weight_decay=0.0, history_limit=1000):
    data = data or circle_data()
    model = MLP(list(sizes), activation, seed=model_seed)
    loss = losses.make_loss("squared_error", data.task, 2)
    return Trainer(model, loss, data, optimizer or optimizers.SGD(),
                   schedules.Constant(lr), batch_size, weight_decay,
                   seed=seed, history_limit=history_limit)


class Spy:
    """Wraps an optimizer and records the (lr, epoch) of every step."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = []

    def step(self, params, grad, lr, epoch=0):
        self.calls.append((lr, epoch))
        self.inner.step(params, grad, lr, epoch)


def test_train_loss_falls_on_the_circle():
    trainer = make_trainer()
    trainer.run_epochs(40)

    loss = trainer.history.column("train_loss")
    assert trainer.epoch == 40 and trainer.status == "training"
    assert loss[-1] < 0.25 * loss[0]
    assert trainer.history.last["accuracy"] >= 0.95
    assert list(trainer.history.last) == METRICS


def test_a_fresh_trainer_records_epoch_zero():
    trainer = make_trainer()
    assert trainer.status == "ready" and len(trainer.history) == 1
    assert trainer.history.last["epoch"] == 0
    assert trainer.history.last["lr"] == 0.1


def test_one_epoch_equals_a_hand_written_loop():
    data = circle_data()
    trainer = make_trainer(data, seed=5, weight_decay=0.01,
                           optimizer=optimizers.Momentum(0.9))
    model = MLP([2, 3, 1], "tanh", seed=0)
    opt = optimizers.Momentum(0.9)
    targets = trainer.loss.encode(data.y_train)

    order = np.random.default_rng(5).permutation(len(data.x_train))
    for start in range(0, len(order), 10):
        batch = order[start:start + 10]
        _, grad = model.loss_and_gradient(data.x_train[batch],
                                          targets[batch], trainer.loss, 0.01)
        opt.step(model.params, grad, 0.1, 0)
    trainer.run_epochs(1)

    np.testing.assert_allclose(trainer.model.params, model.params,
                               rtol=1e-12, atol=1e-14)


def test_same_seed_gives_the_same_history():
    a, b = make_trainer(seed=3), make_trainer(seed=3)
    a.run_epochs(15)
    b.run_epochs(15)
    assert a.history.rows == b.history.rows
    assert np.array_equal(a.model.params, b.model.params)


@pytest.mark.parametrize("change", [dict(seed=4), dict(model_seed=1)])
def test_different_seeds_give_different_histories(change):
    a, b = make_trainer(seed=3), make_trainer(**{"seed": 3, **change})
    a.run_epochs(15)
    b.run_epochs(15)
    assert a.history.column("epoch").tolist() == \
        b.history.column("epoch").tolist()
    assert not np.allclose(a.history.column("train_loss"),
                           b.history.column("train_loss"))


def test_run_for_respects_max_epochs():
    trainer = make_trainer()
    assert trainer.run_for(seconds=60.0, max_epochs=3) == 3
    assert trainer.epoch == 3
    assert trainer.run_for(seconds=60.0, max_epochs=0) == 0
    # A spent time budget still runs one step, and the epoch stays open.
    steps = trainer.steps
    assert trainer.run_for(seconds=0.0, max_epochs=10) == 0
    assert trainer.steps == steps + 1
    assert trainer.in_epoch and trainer.epoch == 3
    assert trainer.run_epochs(1)["epoch"] == 4
    assert not trainer.in_epoch


def test_each_epoch_steps_with_the_schedules_lr():
    spy = Spy(optimizers.SGD())
    trainer = make_trainer(optimizer=spy)
    trainer.schedule = schedules.StepDecay(0.1, every=2, factor=0.5)
    trainer.run_epochs(5)

    # 50 training points, batch 10: five steps an epoch.
    expected = [(0.1 * 0.5 ** (e // 2), e) for e in range(5) for _ in range(5)]
    assert spy.calls == expected
    lrs = trainer.history.column("lr").tolist()
    assert lrs == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]


def test_changing_schedule_and_optimizer_mid_run_keeps_params():
    trainer = make_trainer()
    trainer.run_epochs(5)
    params = trainer.model.params.copy()

    spy = Spy(optimizers.Adam())
    trainer.schedule = schedules.Constant(0.02)
    trainer.optimizer = spy
    assert np.array_equal(trainer.model.params, params)
    trainer.run_epochs(2)

    assert trainer.epoch == 7
    assert set(spy.calls) == {(0.02, 5), (0.02, 6)}
    assert trainer.history.column("epoch").tolist() == list(range(8))
    assert trainer.history.last["lr"] == 0.02
    assert not np.array_equal(trainer.model.params, params)


def test_full_batch_is_one_step_an_epoch():
    trainer = make_trainer(batch_size=50)
    trainer.run_epochs(7)
    assert trainer.steps == 7


@pytest.mark.parametrize("asked, used, steps", [(1, 1, 50), (7, 7, 8),
                                                (10**6, 50, 1), (0, 1, 50)])
def test_batch_size_is_clamped_and_sets_the_steps(asked, used, steps):
    trainer = make_trainer(batch_size=asked)
    assert trainer.batch_size == used
    trainer.run_epochs(1)
    assert trainer.steps == steps


def test_regression_has_no_accuracy():
    data = circle_data(40, ("x1", "x2"), name="plane")
    trainer = make_trainer(data)
    trainer.run_epochs(2)
    assert math.isnan(trainer.history.last["accuracy"])
    assert np.isfinite(trainer.history.last["train_loss"])


# -- divergence -------------------------------------------------------------


def diverging_trainer():
    data = circle_data(60, ("x1", "x2"))
    return make_trainer(data, lr=1e3, sizes=(2, 8, 8, 1), activation="relu")


# Overflow on the way to infinity is what this test provokes.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_divergence_stops_training_and_rolls_back():
    trainer = diverging_trainer()
    for _ in range(50):
        before = trainer.model.params.copy()
        trainer.run_epochs(1)
        if trainer.status == "diverged":
            break

    assert trainer.status == "diverged"
    div = trainer.divergence
    assert set(div) == {"epoch", "step", "loss"}
    assert div["epoch"] == trainer.epoch + 1
    assert 1 <= div["step"] <= trainer.steps + 1
    assert not np.isfinite(div["loss"])
    assert np.all(np.isfinite(trainer.model.params))
    assert np.array_equal(trainer.model.params, before)
    for row in trainer.history.rows:
        assert np.all(np.isfinite(row)), row


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_diverged_trainer_does_nothing_more():
    trainer = diverging_trainer()
    trainer.run_epochs(50)
    assert trainer.status == "diverged"
    epoch, steps, rows = trainer.epoch, trainer.steps, len(trainer.history)
    params = trainer.model.params.copy()

    trainer.run_epochs(5)
    assert trainer.run_for(seconds=1.0, max_epochs=5) == 0
    assert (trainer.epoch, trainer.steps) == (epoch, steps)
    assert len(trainer.history) == rows
    assert np.array_equal(trainer.model.params, params)


# -- bounded history ---------------------------------------------------------


def test_trainer_history_stays_bounded():
    data = circle_data(20)
    trainer = make_trainer(data, batch_size=10, history_limit=10)
    trainer.run_epochs(1000)

    history = trainer.history
    assert trainer.epoch == 1000
    assert len(history) <= 10
    epochs = history.column("epoch")
    assert epochs[-1] == 1000 and epochs[0] == 0
    assert all(e % history.stride == 0 for e, *_ in history.rows)


def test_history_thins_to_every_stride_th_epoch():
    history = History(["epoch", "value"], limit=10)
    for epoch in range(1000):
        history.record({"epoch": epoch, "value": 2.0 * epoch})

    kept = [e for e, _ in history.rows]
    assert 5 <= len(history) <= 10
    assert history.stride == 128
    assert kept == list(range(0, 1000, 128))
    assert history.column("epoch")[-1] == 999
    assert history.column("value")[-1] == 1998.0
    assert history.last == {"epoch": 999, "value": 1998.0}


def test_history_column_does_not_repeat_a_kept_newest_row():
    history = History(["epoch", "value"], limit=10)
    for epoch in range(4):
        history.record({"epoch": epoch, "value": -epoch})
    assert history.column("value").tolist() == [0, -1, -2, -3]


def test_history_limit_has_a_floor():
    assert History(["epoch"], limit=1).limit == 4


def test_batch_norm_never_sees_a_batch_of_one():
    """Batch size 1 is raised to 2, and a last batch of one joins the
    batch before it, so every batch-norm step has a variance to use."""
    from dlcore import datasets, losses, mlp, optimizers, schedules
    from dlcore.trainer import Trainer

    ds = datasets.make_dataset("circle", 42, 0.0, seed=0)
    data = datasets.split(ds, ["x1", "x2"], 0.5, seed=0)
    assert len(data.x_train) == 21
    model = mlp.MLP([2, 4, 1], "tanh", batch_norm=True, seed=0)
    sizes = []
    original = model.loss_and_gradient

    def spy(x, *args):
        sizes.append(len(x))
        return original(x, *args)

    model.loss_and_gradient = spy
    loss = losses.make_loss("squared_error", "classification", 2)
    trainer = Trainer(model, loss, data, optimizers.SGD(),
                      schedules.Constant(0.1), batch_size=1)
    assert trainer.batch_size == 2
    trainer.run_epochs(1)
    assert sizes == [2] * 9 + [3]
    assert min(model.layers[0]["running_var"]) > 1e-3


def test_time_slices_inside_an_epoch_give_the_same_run():
    """run_for may stop mid-epoch; cutting training into tiny slices
    must not change a single number."""
    from dlcore import datasets, losses, mlp, optimizers, schedules
    from dlcore.trainer import Trainer

    def make():
        ds = datasets.make_dataset("spiral", 400, 0.1, seed=3)
        data = datasets.split(ds, ["x1", "x2"], 0.5, seed=3)
        model = mlp.MLP([2, 8, 1], "tanh", seed=3)
        loss = losses.make_loss("squared_error", "classification", 2)
        return Trainer(model, loss, data, optimizers.Momentum(0.9),
                       schedules.ExponentialDecay(0.05, 0.9),
                       batch_size=4, seed=3)

    whole, sliced = make(), make()
    whole.run_epochs(3)
    calls = 0
    while sliced.epoch < 3:
        sliced.run_for(0.0, max_epochs=10)
        calls += 1
    assert calls > 3 * 50 / 2
    assert not sliced.in_epoch
    np.testing.assert_array_equal(sliced.model.params, whole.model.params)
    np.testing.assert_array_equal(sliced.history.column("train_loss"),
                                  whole.history.column("train_loss"))
