"""The trainer drives a torch module exactly as it drives the numpy MLP."""

import numpy as np
import torch
from torch import nn

from dlcore import datasets, losses, mlp, optimizers, schedules
from dlcore.torch_model import TorchModel
from dlcore.trainer import Trainer


def twin_of(model):
    """An nn.Sequential with the MLP's tanh layers and weights."""
    layers = []
    for layer in model.layers:
        fan_in, fan_out = layer["W"].shape
        linear = nn.Linear(fan_in, fan_out).double()
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer["W"].T))
            linear.bias.copy_(torch.from_numpy(layer["b"]))
        layers += [linear, nn.Tanh()]
    return nn.Sequential(*layers[:-1])


def train(model, data, epochs=4):
    loss = losses.make_loss("cross_entropy", "classification", 2)
    trainer = Trainer(model, loss, data, optimizers.Momentum(0.9),
                      schedules.StepDecay(0.1, every=2, factor=0.5),
                      batch_size=16, weight_decay=0.01, seed=5)
    trainer.run_epochs(epochs)
    return trainer


def test_torch_module_trains_like_the_mlp():
    ds = datasets.make_dataset("moons", 200, 0.1, seed=2)
    data = datasets.split(ds, ["x1", "x2"], 0.5, seed=2)
    ours = mlp.MLP([2, 6, 5, 1], "tanh", seed=4)
    wrapped = TorchModel(twin_of(ours))

    a, b = train(ours, data), train(wrapped, data)

    for key in ("train_loss", "test_loss", "accuracy", "lr"):
        np.testing.assert_allclose(a.history.column(key),
                                   b.history.column(key), rtol=1e-10)
    np.testing.assert_allclose(
        wrapped.module[0].weight.detach().numpy(), ours.layers[0]["W"].T,
        rtol=1e-10)


def test_parameters_are_views_of_the_flat_vector():
    wrapped = TorchModel(nn.Sequential(nn.Linear(3, 2), nn.ReLU(),
                                       nn.Linear(2, 1)))
    assert wrapped.params.size == 3 * 2 + 2 + 2 + 1
    wrapped.params[0] = 42.0
    assert wrapped.module[0].weight[0, 0].item() == 42.0
    # Weights decay, biases do not.
    assert wrapped._decay.sum() == 3 * 2 + 2


def test_batch_norm_module_state_round_trips():
    wrapped = TorchModel(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3),
                                       nn.Linear(3, 1)))
    assert wrapped.min_batch == 2
    saved = wrapped.state()
    loss = losses.make_loss("squared_error", "regression")
    x = np.random.default_rng(0).normal(size=(8, 2))
    wrapped.loss_and_gradient(x, np.ones((8, 1)), loss)
    wrapped.params += 1.0
    wrapped.load_state(saved)
    np.testing.assert_array_equal(wrapped.params, saved[0])
    bn = wrapped.module[1]
    np.testing.assert_array_equal(bn.running_mean.numpy(), np.zeros(3))
