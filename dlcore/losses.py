"""Loss functions: a value for a batch and its gradient w.r.t. the outputs.

Every loss works on network outputs of shape ``(batch, outputs)`` and on
targets already encoded for it by ``encode`` (done once per data set, not
once per step). Values are means over the batch, as torch's default
``reduction="mean"``.
"""

import numpy as np


def _one_hot(labels, n_classes):
    targets = np.zeros((len(labels), n_classes))
    targets[np.arange(len(labels)), labels] = 1.0
    return targets


class SquaredError:
    """Mean of (output - target)^2 over all entries, like ``nn.MSELoss``.

    For two classes the target is -1 or +1 on one output unit (the
    TensorFlow Playground's convention); for more, a one-hot vector.
    """

    name = "squared_error"

    def __init__(self, task, n_classes):
        self.task = task
        self.n_classes = n_classes
        multi = task == "classification" and n_classes > 2
        self.n_outputs = n_classes if multi else 1

    def encode(self, y):
        if self.task == "regression":
            return y.reshape(-1, 1).astype(float)
        if self.n_outputs == 1:
            return (2.0 * y - 1.0).reshape(-1, 1)
        return _one_hot(y, self.n_classes)

    def value(self, out, targets):
        diff = out - targets
        return float(np.mean(diff * diff))

    def value_and_gradient(self, out, targets):
        diff = out - targets
        flat = diff.ravel()
        # np.dot instead of np.mean: the same sum, a few times faster on
        # a batch of ten.
        loss = np.dot(flat, flat) / flat.size
        return loss, diff * (2.0 / flat.size)

    def scores(self, out):
        """Display scores: binary in [-1, 1], classes as (n, K) weights."""
        if self.n_outputs == 1:
            return np.clip(out[:, 0], -1.0, 1.0)
        weights = np.clip(out, 1e-6, None)
        return weights / weights.sum(axis=1, keepdims=True)

    def labels(self, out):
        if self.n_outputs == 1:
            return (out[:, 0] > 0).astype(int)
        return np.argmax(out, axis=1)


class CrossEntropy:
    """Cross-entropy on logits: sigmoid for two classes, softmax for more.

    Binary: mean of softplus(z) - t z with t in {0, 1}, which equals
    ``nn.BCEWithLogitsLoss``. More classes: mean of logsumexp(z) - z[t],
    which equals ``nn.CrossEntropyLoss``. Both are computed from logits so
    that a confident wrong answer gives a large, finite loss.
    """

    name = "cross_entropy"

    def __init__(self, task, n_classes):
        if task != "classification":
            raise ValueError("cross-entropy needs classes; use squared_error")
        self.task = task
        self.n_classes = n_classes
        self.n_outputs = 1 if n_classes == 2 else n_classes

    def encode(self, y):
        if self.n_outputs == 1:
            return y.reshape(-1, 1).astype(float)
        return _one_hot(y, self.n_classes)

    def _softmax(self, out):
        shifted = out - out.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=1, keepdims=True)

    def value(self, out, targets):
        if self.n_outputs == 1:
            return float(np.mean(np.logaddexp(0.0, out) - targets * out))
        top = out.max(axis=1, keepdims=True)
        lse = top[:, 0] + np.log(np.exp(out - top).sum(axis=1))
        return float(np.mean(lse - (out * targets).sum(axis=1)))

    def value_and_gradient(self, out, targets):
        n = len(out)
        if self.n_outputs == 1:
            loss = np.mean(np.logaddexp(0.0, out) - targets * out)
            prob = 0.5 * (1.0 + np.tanh(0.5 * out))
            return loss, (prob - targets) / n
        loss = self.value(out, targets)
        return loss, (self._softmax(out) - targets) / n

    def scores(self, out):
        if self.n_outputs == 1:
            return np.tanh(0.5 * out[:, 0])
        return self._softmax(out)

    def labels(self, out):
        if self.n_outputs == 1:
            return (out[:, 0] > 0).astype(int)
        return np.argmax(out, axis=1)


LOSSES = {"squared_error": SquaredError, "cross_entropy": CrossEntropy}


def make_loss(name, task, n_classes=2):
    """Return the loss ``name`` for a task ("classification"/"regression")."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(LOSSES)}")
    return LOSSES[name](task, n_classes)
