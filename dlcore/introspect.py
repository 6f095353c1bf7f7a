"""Looking inside a trained network: what it outputs over the plane, what
every hidden unit computes, and how large its gradients are."""

import numpy as np

from dlcore.datasets import EXTENT
from dlcore.features import compute_features


def grid(resolution, extent=EXTENT):
    """Cell centres of a square grid over [-extent, extent]^2.

    Returns ``(axis, points)``: ``axis`` of shape ``(resolution,)`` and
    ``points`` of shape ``(resolution**2, 2)``, x1 varying fastest, so
    ``values.reshape(resolution, resolution)`` has x2 along the rows.
    """
    step = 2 * extent / resolution
    axis = -extent + step * (np.arange(resolution) + 0.5)
    x1, x2 = np.meshgrid(axis, axis)
    return axis, np.stack([x1.ravel(), x2.ravel()], axis=1)


def output_map(trainer, resolution=50):
    """The network's scores over the plane, in eval mode.

    Returns ``(axis, scores)``; ``scores`` has shape ``(res, res)`` in
    [-1, 1] for two classes and regression (the loss's display score),
    or ``(res, res, K)`` class probabilities for K > 2 classes.
    """
    axis, points = grid(resolution)
    x = compute_features(points, trainer.data.features)
    scores = trainer.loss.scores(trainer.model.forward(x))
    if trainer.data.task == "regression":
        scores = np.clip(scores, -1.0, 1.0)
    if scores.ndim == 1:
        return axis, scores.reshape(resolution, resolution)
    return axis, scores.reshape(resolution, resolution, -1)


def feature_maps(features, resolution):
    """Each input feature over the plane: shape ``(k, res, res)``."""
    _, points = grid(resolution)
    values = compute_features(points, features)
    return values.T.reshape(len(features), resolution, resolution)


def unit_maps(model, features, resolution):
    """What every hidden unit computes over the plane (eval mode).

    Returns one array ``(units, res, res)`` per hidden layer.
    """
    _, points = grid(resolution)
    acts = model.hidden_activations(compute_features(points, features))
    return [a.T.reshape(a.shape[1], resolution, resolution) for a in acts]


def gradient_norms(model, x, targets, loss):
    """Root mean square of each layer's weight gradient on one batch.

    A quick view of vanishing gradients: with saturating activations in
    a deep network, the first layers' numbers are orders of magnitude
    below the last ones'. Returns a list, first layer first. Mutates
    batch-norm running statistics, like any training forward pass.
    """
    model.loss_and_gradient(x, targets, loss, 0.0)
    return [float(np.sqrt(np.mean(l["dW"] ** 2))) for l in model.layers]
