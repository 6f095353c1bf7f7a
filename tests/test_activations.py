"""Activations and their derivatives against torch autograd (float64)."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcore.activations import ACTIVATIONS, make_activation

SLOPE = 0.2
ALPHA = 0.7

TORCH_TWINS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=SLOPE),
    "elu": lambda z: F.elu(z, alpha=ALPHA),
    "linear": lambda z: z,
}

# Ordinary values, zero, and |z| large enough to overflow a naive exp.
GRID = np.concatenate([
    np.linspace(-8, 8, 161),
    [0.0, -1e-12, 1e-12, -50.0, 50.0, -710.0, 710.0, -1e3, 1e3, -1e5, 1e5],
])


def torch_value_and_derivative(name, z):
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    a = TORCH_TWINS[name](zt)
    # Elementwise: the gradient of the sum is f'(z) at every entry.
    a.sum().backward()
    return a.detach().numpy(), zt.grad.numpy()


def ours_value_and_derivative(name, z):
    act = make_activation(name, slope=SLOPE, alpha=ALPHA)
    # Any overflow, invalid operation or warning is an error here.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a = act.forward(z)
            return a, act.derivative(z, a), act.backprop(2.0 * z, z, a)


def test_every_activation_has_a_torch_twin():
    assert set(ACTIVATIONS) == set(TORCH_TWINS)


@pytest.mark.parametrize("name", sorted(TORCH_TWINS))
def test_forward_matches_torch(name):
    a, _, _ = ours_value_and_derivative(name, GRID)
    a_torch, _ = torch_value_and_derivative(name, GRID)

    assert np.all(np.isfinite(a))
    np.testing.assert_allclose(a, a_torch, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(TORCH_TWINS))
def test_derivative_matches_torch(name):
    _, d, _ = ours_value_and_derivative(name, GRID)
    _, d_torch = torch_value_and_derivative(name, GRID)

    assert np.all(np.isfinite(d))
    np.testing.assert_allclose(d, d_torch, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("name", sorted(TORCH_TWINS))
def test_backprop_is_delta_times_derivative(name):
    _, d, back = ours_value_and_derivative(name, GRID)
    # tanh writes delta - delta a^2, which rounds apart near saturation.
    np.testing.assert_allclose(back, 2.0 * GRID * d, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", sorted(TORCH_TWINS))
def test_shape_is_kept_for_a_batch(name):
    z = GRID[:12].reshape(4, 3)
    a, d, _ = ours_value_and_derivative(name, z)
    assert a.shape == d.shape == (4, 3)


def test_saturating_limits_are_exact():
    z = np.array([-1e5, 1e5])
    assert make_activation("sigmoid").forward(z).tolist() == [0.0, 1.0]
    assert make_activation("tanh").forward(z).tolist() == [-1.0, 1.0]
    assert make_activation("elu", alpha=ALPHA).forward(z)[0] == -ALPHA


def test_parameters_reach_leaky_relu_and_elu():
    z = np.array([-2.0])
    leaky = make_activation("leaky_relu", slope=0.3, alpha=9.0)
    elu = make_activation("elu", slope=9.0, alpha=0.5)
    assert leaky.forward(z)[0] == pytest.approx(-0.6, abs=1e-15)
    assert elu.forward(z)[0] == pytest.approx(0.5 * np.expm1(-2.0), abs=1e-15)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="known: sigmoid"):
        make_activation("swish")
