"""Two-dimensional data sets: built-in generators, CSV upload, splits.

Points live in the square [-6, 6] x [-6, 6] (the TensorFlow Playground's
frame). Class labels are integers 0..K-1; regression targets lie in
[-1, 1]. ``noise`` is a fraction from 0 to 0.5.
"""

import csv
from dataclasses import dataclass, field

import numpy as np

EXTENT = 6.0


@dataclass
class Dataset:
    """A named set of points with labels (classification) or targets.

    Attributes
    ----------
    name : str
    task : str
        "classification" or "regression".
    n_classes : int
        Number of classes; 0 for regression.
    points : array (n, 2)
        Coordinates x1, x2 in [-6, 6].
    y : array (n,)
        Integer labels 0..K-1, or float targets in [-1, 1].
    notes : list of str
        What was changed on the way in (for an uploaded file).
    """

    name: str
    task: str
    n_classes: int
    points: np.ndarray
    y: np.ndarray
    notes: list = field(default_factory=list)


class DataError(ValueError):
    """A data set could not be made; the message is for the user."""


def _jitter(rng, n, scale):
    return rng.normal(0.0, scale, (n, 2))


def circle(n, noise, rng):
    """Class 1 inside radius 2.5, class 0 on a ring from 3.5 to 5."""
    inner = n // 2
    radius = np.concatenate([rng.uniform(0, 2.5, inner),
                             rng.uniform(3.5, 5.0, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    points += _jitter(rng, n, 2.0 * noise)
    y = np.concatenate([np.ones(inner, int), np.zeros(n - inner, int)])
    return points, y


def xor(n, noise, rng):
    """Class 1 where x1 and x2 have the same sign (the XOR of the signs)."""
    points = rng.uniform(-5, 5, (n, 2))
    # Keep points off the axes so that the classes have a margin.
    points += np.sign(points) * 0.3
    y = (points[:, 0] * points[:, 1] > 0).astype(int)
    points += _jitter(rng, n, 2.0 * noise)
    return points, y


def gauss(n, noise, rng):
    """Two Gaussian clusters around (2, 2) and (-2, -2)."""
    half = n // 2
    spread = 0.5 + 3.0 * noise
    points = np.concatenate([rng.normal(2, spread, (half, 2)),
                             rng.normal(-2, spread, (n - half, 2))])
    y = np.concatenate([np.ones(half, int), np.zeros(n - half, int)])
    return points, y


def spiral(n, noise, rng, arms=2):
    """``arms`` interleaved spiral arms, one class an arm."""
    y = np.arange(n) % arms
    r = rng.uniform(0.0, 1.0, n)
    angle = 1.75 * 2 * np.pi * r + 2 * np.pi * y / arms
    radius = 5.0 * r
    points = np.stack([radius * np.sin(angle), radius * np.cos(angle)], 1)
    points += _jitter(rng, n, 1.5 * noise)
    return points, y


def spiral3(n, noise, rng):
    """Three spiral arms: a three-class problem for softmax."""
    return spiral(n, noise, rng, arms=3)


def moons(n, noise, rng):
    """Two interleaving half circles."""
    half = n // 2
    a = rng.uniform(0, np.pi, half)
    b = rng.uniform(0, np.pi, n - half)
    top = np.stack([np.cos(a), np.sin(a)], 1)
    bottom = np.stack([1 - np.cos(b), 0.5 - np.sin(b)], 1)
    points = (np.concatenate([top, bottom]) - [0.5, 0.25]) * 3.5
    points += _jitter(rng, n, 2.0 * noise)
    y = np.concatenate([np.zeros(half, int), np.ones(n - half, int)])
    return points, y


def plane(n, noise, rng):
    """Regression: a tilted plane, target (x1 + x2) / 12."""
    points = rng.uniform(-EXTENT, EXTENT, (n, 2))
    y = points.sum(axis=1) / (2 * EXTENT)
    return points, y + rng.normal(0, noise, n)


def multi_gauss(n, noise, rng):
    """Regression: a landscape of Gaussian bumps, positive and negative."""
    points = rng.uniform(-EXTENT, EXTENT, (n, 2))
    centres = np.array([[-3, 3], [3, 3], [0, 0], [-3, -3], [3, -3]])
    signs = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
    dist2 = ((points[:, None, :] - centres[None]) ** 2).sum(-1)
    y = (signs * np.exp(-dist2 / 4.0)).sum(axis=1)
    return points, y + rng.normal(0, noise, n)


GENERATORS = {
    "circle": (circle, "classification", 2),
    "xor": (xor, "classification", 2),
    "gauss": (gauss, "classification", 2),
    "spiral": (spiral, "classification", 2),
    "moons": (moons, "classification", 2),
    "spiral3": (spiral3, "classification", 3),
    "plane": (plane, "regression", 0),
    "multi_gauss": (multi_gauss, "regression", 0),
}


def make_dataset(name, n_points=500, noise=0.0, seed=0):
    """Generate the built-in data set ``name`` (a key of ``GENERATORS``).

    Parameters
    ----------
    n_points : int, default 500
    noise : float, default 0.0
        From 0 (clean) to 0.5 (very noisy); scales the jitter.
    seed : int, default 0
    """
    if name not in GENERATORS:
        raise DataError(f"unknown data set {name!r}")
    generate, task, n_classes = GENERATORS[name]
    rng = np.random.default_rng(seed)
    points, y = generate(int(n_points), float(noise), rng)
    points = np.clip(points, -EXTENT, EXTENT)
    if task == "regression":
        y = np.clip(y, -1.0, 1.0)
    return Dataset(name, task, n_classes, points, y)


# -- uploaded CSV files -----------------------------------------------------

MAX_CSV_BYTES = 2_000_000
MAX_CSV_ROWS = 5000
MAX_CLASSES = 6


def parse_csv(raw, name="upload"):
    """Read a CSV file with the header ``x1,x2,label`` or ``x1,x2,target``.

    ``label`` gives classification (2 to 6 classes, any integers, mapped
    to 0..K-1 in sorted order); ``target`` gives regression (numbers,
    scaled into [-1, 1]). Coordinates are moved and scaled, one factor for
    both axes, into the playground's square.

    Parameters
    ----------
    raw : bytes or str
        The file's contents.

    Raises ``DataError`` with a message for the user on any problem.
    """
    if isinstance(raw, bytes):
        if len(raw) > MAX_CSV_BYTES:
            raise DataError(f"The file is {len(raw) / 1e6:.1f} MB; "
                            f"the limit is {MAX_CSV_BYTES / 1e6:.0f} MB.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError("The file is not UTF-8 text; "
                            "save it as CSV (UTF-8).") from None
    try:
        # splitlines: \n, \r\n and old Mac \r endings alike.
        rows = [r for r in csv.reader(raw.splitlines())
                if any(c.strip() for c in r)]
    except csv.Error as err:
        raise DataError(f"This is not a readable CSV file ({err}).") from None
    if not rows:
        raise DataError("The file is empty.")
    header = [c.strip().lower() for c in rows[0]]
    if header[:2] != ["x1", "x2"] or len(header) != 3 \
            or header[2] not in ("label", "target"):
        raise DataError("The first line must be the header x1,x2,label "
                        "(classes) or x1,x2,target (regression); found "
                        f"{','.join(rows[0])[:60]!r}.")
    body = rows[1:]
    if len(body) > MAX_CSV_ROWS:
        raise DataError(f"The file has {len(body)} rows; the limit is "
                        f"{MAX_CSV_ROWS}.")
    if len(body) < 10:
        raise DataError(f"The file has {len(body)} data rows; "
                        "at least 10 are needed.")
    values = _numbers(body)
    points, y = values[:, :2], values[:, 2]
    dataset = (_classes(name, points, y) if header[2] == "label"
               else _targets(name, points, y))
    dataset.points = _fit_square(points, dataset.notes)
    return dataset


def _numbers(body):
    values = np.empty((len(body), 3))
    for i, row in enumerate(body):
        line = i + 2
        if len(row) != 3:
            raise DataError(f"Line {line} has {len(row)} values; "
                            "every line needs exactly 3.")
        for j, cell in enumerate(row):
            try:
                values[i, j] = float(cell)
            except ValueError:
                raise DataError(f"Line {line}: {cell.strip()[:20]!r} "
                                "is not a number.") from None
            if not np.isfinite(values[i, j]):
                raise DataError(f"Line {line}: {cell.strip()[:20]!r} is "
                                "not a finite number (NaN or infinity).")
    return values


def _classes(name, points, y):
    if np.any(np.abs(y) >= 1e9):
        line = int(np.argmax(np.abs(y) >= 1e9)) + 2
        raise DataError(f"Line {line}: labels must be whole numbers "
                        "below a billion.")
    if np.any(y != np.round(y)):
        line = int(np.argmax(y != np.round(y))) + 2
        raise DataError(f"Line {line}: a label must be a whole number "
                        "(use the header 'target' for regression).")
    classes, labels = np.unique(y.astype(int), return_inverse=True)
    if not 2 <= len(classes) <= MAX_CLASSES:
        found = "one class" if len(classes) == 1 else f"{len(classes)} classes"
        raise DataError(f"Found {found}; 2 to {MAX_CLASSES} are supported.")
    notes = []
    if not np.array_equal(classes, np.arange(len(classes))):
        shown = ", ".join(str(c) for c in classes)
        notes.append(f"Labels {shown} were renumbered 0 to {len(classes) - 1}.")
    return Dataset(name, "classification", len(classes), points,
                   labels.astype(int), notes)


def _targets(name, points, y):
    scale = np.max(np.abs(y))
    notes = []
    if scale > 1:
        y = y / scale
        notes.append(f"Targets were divided by {scale:.3g} to lie in [-1, 1].")
    return Dataset(name, "regression", 0, points, y, notes)


def _fit_square(points, notes):
    low, high = points.min(axis=0), points.max(axis=0)
    with np.errstate(over="ignore"):
        half = (high - low).max() / 2
        centre = low / 2 + high / 2
        scale = 0.9 * EXTENT / half if half > 0 else np.inf
    if half == 0:
        raise DataError("All points have the same coordinates.")
    # Spans near the limits of floating point would scale to inf or 0.
    if not (np.isfinite(half) and np.isfinite(scale) and 1e-100 < half < 1e100):
        raise DataError("The coordinates span an extreme range "
                        f"({half * 2:.3g}); rescale them to ordinary numbers.")
    if not np.allclose(scale, 1) or np.any(np.abs(centre) > 1e-9):
        notes.append("Coordinates were moved and scaled by "
                     f"{scale:.3g} to fit the square [-6, 6].")
    return (points - centre) * scale


# -- splits and input features ---------------------------------------------

@dataclass
class TrainingData:
    """A data set split for training, with its input features computed.

    Attributes
    ----------
    x_train, x_test : arrays (n, features)
    y_train, y_test : arrays (n,)
    points_train, points_test : arrays (n, 2), the raw coordinates
    task, n_classes, features : as in ``Dataset``; feature names
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    points_train: np.ndarray
    points_test: np.ndarray
    task: str
    n_classes: int
    features: list


def split(dataset, features, train_ratio=0.5, seed=0):
    """Shuffle, split and compute features.

    Parameters
    ----------
    features : list of str
        Names from ``dlcore.features.FEATURES``.
    train_ratio : float, default 0.5
        Share of points used for training, from 0.1 to 0.9.
    seed : int
    """
    from dlcore.features import compute_features

    n = len(dataset.points)
    order = np.random.default_rng(seed + 7919).permutation(n)
    n_train = int(round(n * float(np.clip(train_ratio, 0.1, 0.9))))
    n_train = min(max(n_train, 1), n - 1)
    tr, te = order[:n_train], order[n_train:]
    p = dataset.points
    return TrainingData(
        compute_features(p[tr], features), dataset.y[tr],
        compute_features(p[te], features), dataset.y[te],
        p[tr], p[te], dataset.task, dataset.n_classes, list(features))
