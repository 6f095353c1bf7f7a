"""Optimizers that update a flat parameter vector in place.

Each optimizer has ``step(params, grad, lr, epoch)``: ``params`` and
``grad`` are float arrays of the same shape, ``lr`` is the learning rate a
schedule gives for this step, and ``epoch`` the number of finished epochs
(used by the momentum ramp). Updates follow ``torch.optim`` exactly, so a
test can hold one against the other.

Full-batch gradient descent and minibatch SGD are the same update; they
differ only in the batch a step sees, which the trainer decides.
"""

import numpy as np


class SGD:
    """Plain (stochastic) gradient descent: ``params -= lr * grad``."""

    name = "sgd"

    def step(self, params, grad, lr, epoch=0):
        params -= lr * grad


class Momentum:
    """SGD with momentum, in torch's form.

    ``velocity = momentum * velocity + grad``, then
    ``params -= lr * velocity``. (The other common form folds ``lr`` into
    the velocity; they agree while ``lr`` is constant.)

    Parameters
    ----------
    momentum : float, default 0.9
        The coefficient that scales the velocity each step.
    ramp_epoch : int or None, default None
        If set, use momentum 0.5 for the first ``ramp_epoch`` epochs and
        ``momentum`` after: a small early momentum lets the fast-changing
        first gradients die out quickly (Sutskever et al., 2013).
    """

    name = "momentum"

    def __init__(self, momentum=0.9, ramp_epoch=None):
        self.momentum = momentum
        self.ramp_epoch = ramp_epoch
        self.velocity = None

    def momentum_at(self, epoch):
        """The coefficient used during epoch ``epoch`` (0-based)."""
        if self.ramp_epoch is not None and epoch < self.ramp_epoch:
            return 0.5
        return self.momentum

    def step(self, params, grad, lr, epoch=0):
        if self.velocity is None:
            self.velocity = grad.copy()
        else:
            self.velocity *= self.momentum_at(epoch)
            self.velocity += grad
        params -= lr * self.velocity


class Adam:
    """Adam (Kingma and Ba, 2015): a step per parameter scaled by the
    running root mean square of its gradients.

    Parameters
    ----------
    beta1, beta2 : float, default 0.9 and 0.999
        Decay of the running mean of gradients and of squared gradients.
    eps : float, default 1e-8
        Added to the root mean square so a zero gradient does not divide
        by zero.
    """

    name = "adam"

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = self.v = None

    def step(self, params, grad, lr, epoch=0):
        if self.m is None:
            self.m = np.zeros_like(params)
            self.v = np.zeros_like(params)
        self.t += 1
        self.m *= self.beta1
        self.m += (1 - self.beta1) * grad
        self.v *= self.beta2
        self.v += (1 - self.beta2) * grad * grad
        # Bias correction: m and v start at zero, so early averages are
        # too small by the factors below.
        fix1 = 1 - self.beta1 ** self.t
        fix2 = 1 - self.beta2 ** self.t
        denom = np.sqrt(self.v) / np.sqrt(fix2) + self.eps
        params -= (lr / fix1) * self.m / denom


def make_optimizer(name, momentum=0.9, ramp_epoch=None):
    """Return a fresh optimizer: "gd" or "sgd", "momentum", or "adam"."""
    if name in ("gd", "sgd"):
        return SGD()
    if name == "momentum":
        return Momentum(momentum, ramp_epoch)
    if name == "adam":
        return Adam()
    raise ValueError(f"unknown optimizer {name!r}; known: gd, sgd, momentum, adam")
