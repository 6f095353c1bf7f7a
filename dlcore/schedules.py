"""Learning-rate schedules: the epoch number to the learning rate ``lr``.

``learning_rate`` is the configured value; ``schedule(epoch)`` is the
``lr`` used for every step of epoch ``epoch`` (0-based), which is how
``torch.optim.lr_scheduler`` behaves when stepped once per epoch.
"""


class Constant:
    """``lr = learning_rate`` for every epoch."""

    name = "constant"

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def __call__(self, epoch):
        return self.learning_rate


class StepDecay:
    """Multiply the rate by ``factor`` every ``every`` epochs (torch StepLR).

    Parameters
    ----------
    learning_rate : float
    every : int, default 50
        Epochs between two drops.
    factor : float, default 0.5
        What each drop multiplies the rate by.
    """

    name = "step"

    def __init__(self, learning_rate, every=50, factor=0.5):
        self.learning_rate = learning_rate
        self.every = max(1, int(every))
        self.factor = factor

    def __call__(self, epoch):
        return self.learning_rate * self.factor ** (epoch // self.every)


class ExponentialDecay:
    """``lr = learning_rate * gamma ** epoch`` (torch ExponentialLR).

    Parameters
    ----------
    learning_rate : float
    gamma : float, default 0.99
        Factor per epoch; the rate halves every log(0.5)/log(gamma) epochs.
    """

    name = "exponential"

    def __init__(self, learning_rate, gamma=0.99):
        self.learning_rate = learning_rate
        self.gamma = gamma

    def __call__(self, epoch):
        return self.learning_rate * self.gamma ** epoch


def make_schedule(name, learning_rate, every=50, factor=0.5, gamma=0.99):
    """Return the schedule called ``name``: constant, step or exponential."""
    if name == "constant":
        return Constant(learning_rate)
    if name == "step":
        return StepDecay(learning_rate, every, factor)
    if name == "exponential":
        return ExponentialDecay(learning_rate, gamma)
    raise ValueError(f"unknown schedule {name!r}; known: constant, step, exponential")
