"""Per-epoch metrics kept in bounded memory."""

import numpy as np


class History:
    """Metrics per epoch, thinned so that at most ``limit`` rows are kept.

    Rows are kept for every ``stride``-th epoch. When the table is full,
    every other row goes and the stride doubles, so a run of a million
    epochs still holds at most ``limit`` rows spread over the whole run.
    The newest row is always available as ``last``.

    Parameters
    ----------
    keys : list of str
        Metric names; ``record`` takes a dict with these keys.
    limit : int, default 1000
    """

    def __init__(self, keys, limit=1000):
        self.keys = list(keys)
        self.limit = max(4, int(limit))
        self.stride = 1
        self.rows = []
        self.last = None

    def record(self, metrics):
        """Keep ``metrics`` (a dict with an "epoch" key) if on the stride."""
        self.last = metrics
        if metrics["epoch"] % self.stride:
            return
        self.rows.append(tuple(metrics[k] for k in self.keys))
        if len(self.rows) > self.limit:
            self.stride *= 2
            at = self.keys.index("epoch")
            self.rows = [r for r in self.rows if r[at] % self.stride == 0]

    def column(self, key):
        """One metric as a float array, the newest epoch included."""
        at = self.keys.index(key)
        values = [r[at] for r in self.rows]
        last = self.last
        at_epoch = self.keys.index("epoch")
        newest = self.rows[-1][at_epoch] if self.rows else None
        if last is not None and newest != last["epoch"]:
            values.append(last[key])
        return np.asarray(values, dtype=float)

    def __len__(self):
        return len(self.rows)
