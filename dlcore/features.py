"""Input features computed from the coordinates (x1, x2).

Each feature is scaled to about [-1, 1] over the square [-6, 6], so that
one learning rate suits any choice of features.
"""

import numpy as np

from dlcore.datasets import EXTENT

FEATURES = {
    "x1": ("x₁", lambda u, v, x, y: u),
    "x2": ("x₂", lambda u, v, x, y: v),
    "x1sq": ("x₁²", lambda u, v, x, y: u * u),
    "x2sq": ("x₂²", lambda u, v, x, y: v * v),
    "x1x2": ("x₁x₂", lambda u, v, x, y: u * v),
    "sin_x1": ("sin x₁", lambda u, v, x, y: np.sin(x)),
    "sin_x2": ("sin x₂", lambda u, v, x, y: np.sin(y)),
}


def feature_label(name):
    """The printed name of a feature, e.g. "x₁²" for "x1sq"."""
    return FEATURES[name][0]


def compute_features(points, names):
    """Features of shape ``(n, len(names))`` for points ``(n, 2)``."""
    if not names:
        raise ValueError("choose at least one input feature")
    x, y = points[:, 0], points[:, 1]
    u, v = x / EXTENT, y / EXTENT
    return np.stack([FEATURES[k][1](u, v, x, y) for k in names], axis=1)
