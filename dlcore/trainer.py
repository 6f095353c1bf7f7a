"""A trainer that advances any dlcore model a few epochs at a time."""

import time

import numpy as np

from dlcore.history import History

METRICS = ["epoch", "train_loss", "test_loss", "accuracy",
           "train_accuracy", "lr"]


class Trainer:
    """Trains ``model`` on a data set with an optimizer and a schedule.

    The model needs ``params`` (a flat float array), ``grad``,
    ``loss_and_gradient(x, targets, loss, weight_decay)``, ``forward(x)``,
    ``state()`` and ``load_state(state)``, as ``dlcore.mlp.MLP`` has.

    Parameters
    ----------
    model : a dlcore model
    loss : a loss from ``dlcore.losses``
    data : dlcore.datasets.Dataset
        Features already computed: ``x_train`` ``(n, inputs)``, ``y_train``
        ``(n,)`` labels or targets, and the same for test.
    optimizer : from ``dlcore.optimizers``
    schedule : from ``dlcore.schedules``
    batch_size : int
        Examples a step; the whole training set gives full-batch descent.
    weight_decay : float, default 0.0004
        L2 coefficient (added to the loss; see ``MLP.loss_and_gradient``).
    seed : int, default 0
        Seed of the order in which examples are visited.
    history_limit : int, default 1000
        Rows of per-epoch history kept (see ``History``).

    Attributes
    ----------
    epoch : int
        Finished epochs.
    status : str
        "ready" before the first epoch, "training" after, and "diverged"
        once a loss was not finite; a diverged trainer does nothing more.
    divergence : dict or None
        ``{"epoch", "step", "loss"}`` of the first non-finite loss.
    """

    def __init__(self, model, loss, data, optimizer, schedule,
                 batch_size, weight_decay=0.0004, seed=0,
                 history_limit=1000):
        self.model = model
        self.loss = loss
        self.data = data
        self.t_train = loss.encode(data.y_train)
        self.t_test = loss.encode(data.y_test)
        self.optimizer = optimizer
        self.schedule = schedule
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.rng = np.random.default_rng(seed)
        self.epoch = 0
        self.steps = 0
        self.status = "ready"
        self.divergence = None
        self._pending = None
        self.history = History(METRICS, history_limit)
        self.history.record(self.evaluate())

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        n = len(self.data.x_train)
        low = getattr(self.model, "min_batch", 1)
        self._batch_size = int(min(max(low, value), n))

    def evaluate(self):
        """Metrics of the current network (eval mode), as a dict."""
        d = self.data
        out_train = self.model.forward(d.x_train)
        out_test = self.model.forward(d.x_test)
        metrics = {
            "epoch": self.epoch,
            "train_loss": self.loss.value(out_train, self.t_train),
            "test_loss": self.loss.value(out_test, self.t_test),
            "accuracy": self._accuracy(out_test, d.y_test),
            "train_accuracy": self._accuracy(out_train, d.y_train),
            # The rate the last epoch used (the first one's, before any).
            "lr": float(self.schedule(max(self.epoch - 1, 0))),
        }
        return metrics

    def _accuracy(self, out, y):
        if self.data.task != "classification" or len(y) == 0:
            return float("nan")
        return float(np.mean(self.loss.labels(out) == y))

    def run_epochs(self, n=1):
        """Train ``n`` epochs, or fewer if training diverges.

        An epoch that ``run_for`` left half done counts as the first.
        Returns the metrics of the last finished epoch.
        """
        for _ in range(int(n)):
            if not self._advance(None):
                break
        return self.history.last

    def run_for(self, seconds, max_epochs):
        """Train until ``seconds`` of wall clock pass or ``max_epochs`` end.

        A time budget, not an epoch count, keeps one update of a live page
        short on any network: when the budget runs out inside an epoch,
        the epoch stops after the current step and the next call goes on
        from there (``in_epoch`` is then True). Results do not depend on
        how training is cut into calls. Returns the epochs finished.
        """
        deadline = time.perf_counter() + seconds
        done = 0
        while done < max_epochs and self.status != "diverged":
            if self._advance(deadline):
                done += 1
            if time.perf_counter() >= deadline:
                break
        return done

    @property
    def in_epoch(self):
        """True while an epoch is started and not finished."""
        return self._pending is not None

    def _advance(self, deadline):
        """Train on to the end of the epoch, or to ``deadline``.

        Returns True when an epoch finished.
        """
        if self.status == "diverged":
            return False
        # Overflow is expected on the way to divergence, which is caught
        # below and reported; numpy's warnings would only add noise.
        with np.errstate(over="ignore", invalid="ignore"):
            if self._pending is None:
                self._pending = self._start_epoch()
            pending = self._pending
            if not self._steps(pending, deadline):
                return False
            self._pending = None
            return self._finish_epoch(pending["before"])

    def _start_epoch(self):
        # One gather per epoch; the batches are then cheap views.
        order = self.rng.permutation(len(self.data.x_train))
        return {"before": self.model.state(),
                "x": self.data.x_train[order], "t": self.t_train[order],
                "batches": list(self._batches(len(order))), "next": 0}

    def _steps(self, pending, deadline):
        """Steps of the pending epoch; True when its last batch is done."""
        model, opt = self.model, self.optimizer
        params, wd, loss = model.params, self.weight_decay, self.loss
        x, t, batches = pending["x"], pending["t"], pending["batches"]
        lr, clock = self.schedule(self.epoch), time.perf_counter
        i = pending["next"]
        while i < len(batches):
            start, end = batches[i]
            value, grad = model.loss_and_gradient(
                x[start:end], t[start:end], loss, wd)
            # A plain comparison is false for NaN and for inf alike, and
            # costs a tenth of np.isfinite on a scalar.
            if not value < np.inf:
                self._pending = None
                return self._diverge(pending["before"], value)
            opt.step(params, grad, lr, self.epoch)
            self.steps += 1
            i += 1
            if deadline is not None and clock() >= deadline:
                break
        pending["next"] = i
        return i == len(batches)

    def _finish_epoch(self, before):
        self.epoch += 1
        metrics = self.evaluate()
        if not np.isfinite(metrics["train_loss"]):
            self.epoch -= 1
            return self._diverge(before, metrics["train_loss"])
        self.status = "training"
        self.history.record(metrics)
        return True

    def _batches(self, n):
        starts = list(range(0, n, self.batch_size))
        # Batch norm cannot normalize a batch of one example (its variance
        # is zero): a short last batch joins the one before it.
        low = getattr(self.model, "min_batch", 1)
        if len(starts) > 1 and n - starts[-1] < low:
            starts.pop()
        return zip(starts, starts[1:] + [n])

    def _diverge(self, before, value):
        # Roll back to the last finite network so that figures built from
        # it show the network just before the blow-up, not NaN.
        self.model.load_state(before)
        self.status = "diverged"
        self.divergence = {"epoch": self.epoch + 1, "step": self.steps + 1,
                           "loss": float(value)}
        return False
