"""Activation functions and their derivatives, in numpy.

Each activation is an object with two methods:

- ``forward(z)``: the activation ``a = f(z)`` of the pre-activation ``z``;
- ``derivative(z, a)``: ``f'(z)``, given both ``z`` and ``a = f(z)``;
- ``backprop(delta, z, a)``: ``delta * f'(z)``, the step of
  backpropagation through the activation.

The derivative takes ``a`` too because for sigmoid and tanh it is cheapest
written through the output (``a (1 - a)`` and ``1 - a**2``).
"""

import numpy as np


class Activation:
    """Base: ``backprop`` from ``derivative``; subclasses may do better."""

    def backprop(self, delta, z, a):
        return delta * self.derivative(z, a)


class Sigmoid(Activation):
    """The logistic function 1 / (1 + e^-z); saturates at 0 and 1."""

    name = "sigmoid"

    def forward(self, z):
        # 0.5 (1 + tanh(z / 2)) equals the logistic function and never
        # overflows, unlike exp(-z) for large negative z.
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def derivative(self, z, a):
        return a * (1.0 - a)


class Tanh(Activation):
    """The hyperbolic tangent; zero-centred, saturates at -1 and 1."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z, a):
        return 1.0 - a * a

    def backprop(self, delta, z, a):
        return delta - delta * a * a


class ReLU(Activation):
    """max(0, z); its gradient is 1 for z > 0 and 0 otherwise."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z, a):
        return (z > 0).astype(z.dtype)


class LeakyReLU(Activation):
    """z for z > 0 and slope * z otherwise, so no unit is ever dead.

    Parameters
    ----------
    slope : float, default 0.01
        Gradient on the negative side (torch's ``negative_slope``).
    """

    name = "leaky_relu"

    def __init__(self, slope=0.01):
        self.slope = float(slope)

    def forward(self, z):
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z, a):
        return np.where(z > 0, 1.0, self.slope)


class ELU(Activation):
    """z for z > 0 and alpha (e^z - 1) otherwise; smooth at 0 when alpha=1.

    Parameters
    ----------
    alpha : float, default 1.0
        The value the unit tends to for very negative z is ``-alpha``.
    """

    name = "elu"

    def __init__(self, alpha=1.0):
        self.alpha = float(alpha)

    def forward(self, z):
        # expm1 of a clipped argument: no overflow warning on the
        # positive branch that np.where discards anyway.
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def derivative(self, z, a):
        return np.where(z > 0, 1.0, a + self.alpha)


class Linear(Activation):
    """The identity: a network of linear layers is one linear map."""

    name = "linear"

    def forward(self, z):
        return z

    def derivative(self, z, a):
        return np.ones_like(z)

    def backprop(self, delta, z, a):
        return delta


ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "linear": Linear,
}


def make_activation(name, slope=0.01, alpha=1.0):
    """Return the activation called ``name`` (a key of ``ACTIVATIONS``).

    ``slope`` is used by leaky ReLU only, ``alpha`` by ELU only.
    """
    if name == "leaky_relu":
        return LeakyReLU(slope)
    if name == "elu":
        return ELU(alpha)
    if name not in ACTIVATIONS:
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; known: {known}")
    return ACTIVATIONS[name]()
