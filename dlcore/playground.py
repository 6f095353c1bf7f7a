"""The MLP playground: its settings and how they become a trainer.

The page ``pages/mlp_playground.py`` draws controls for ``SETTINGS`` and
calls ``build_trainer`` and ``update_trainer``; everything here is plain
Python so it can be tested without a browser.
"""

from dlcore import (datasets, features, figures, introspect, losses, mlp,
                    optimizers, schedules)
from dlcore.settings import Setting
from dlcore.trainer import Trainer

LEARNING_RATES = (1e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1,
                  0.3, 1.0, 3.0, 10.0)
WEIGHT_DECAYS = (0.0, 1e-5, 1e-4, 4e-4, 0.001, 0.003, 0.01, 0.03, 0.1)
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000)

DATASET_LABELS = {
    "circle": "Circle", "xor": "XOR", "gauss": "Gaussian clusters",
    "spiral": "Spiral", "moons": "Moons", "spiral3": "Spiral, 3 classes",
    "plane": "Plane (regression)", "multi_gauss": "Bumps (regression)",
    "upload": "Uploaded CSV",
}
ACTIVATION_LABELS = {
    "sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU",
    "leaky_relu": "Leaky ReLU", "elu": "ELU", "linear": "Linear",
}
LOSS_LABELS = {"squared_error": "Squared error",
               "cross_entropy": "Cross-entropy"}
OPTIMIZER_LABELS = {"gd": "Gradient descent (full batch)",
                    "sgd": "SGD (minibatch)",
                    "momentum": "SGD with momentum", "adam": "Adam"}
SCHEDULE_LABELS = {"constant": "Constant", "step": "Step",
                   "exponential": "Exponential decay"}

SETTINGS = [
    Setting("dataset", "data", "Data set", "choice", "circle",
            choices=tuple(DATASET_LABELS)),
    Setting("noise", "noise", "Noise (%)", "int", 0, low=0, high=50),
    Setting("train_ratio", "ratio", "Training share (%)", "int", 50,
            low=10, high=90),
    Setting("n_points", "points", "Points", "int", 500, low=50, high=2000),
    Setting("features", "feat", "Input features", "multi", ["x1", "x2"],
            choices=tuple(features.FEATURES)),
    Setting("layers", "layers", "Hidden layers", "ints", [4, 2],
            low=1, high=32, max_len=8),
    Setting("activation", "act", "Activation", "choice", "tanh",
            choices=tuple(ACTIVATION_LABELS)),
    Setting("leaky_slope", "slope", "Leaky slope", "float", 0.01,
            low=0.0, high=0.5),
    Setting("elu_alpha", "alpha", "ELU alpha", "float", 1.0,
            low=0.1, high=3.0),
    Setting("batch_norm", "bn", "Batch normalization", "bool", False),
    Setting("loss", "loss", "Loss", "choice", "squared_error",
            choices=tuple(LOSS_LABELS)),
    Setting("optimizer", "opt", "Optimizer", "choice", "sgd",
            choices=tuple(OPTIMIZER_LABELS)),
    Setting("batch_size", "batch", "Batch size", "int", 10,
            low=1, high=500),
    Setting("learning_rate", "lr", "Learning rate", "ladder", 0.03,
            choices=LEARNING_RATES),
    Setting("schedule", "sched", "Schedule", "choice", "constant",
            choices=tuple(SCHEDULE_LABELS)),
    Setting("step_every", "every", "Drop every (epochs)", "int", 50,
            low=1, high=1000),
    Setting("step_factor", "factor", "Drop factor", "ladder", 0.5,
            choices=(0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9)),
    Setting("decay_gamma", "gamma", "Decay per epoch", "ladder", 0.99,
            choices=(0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999)),
    Setting("momentum", "mom", "Momentum", "float", 0.9,
            low=0.0, high=0.99),
    Setting("momentum_ramp", "ramp", "Start at momentum 0.5", "bool", False),
    Setting("ramp_epoch", "ramp_at", "Raise momentum at epoch", "int", 20,
            low=1, high=1000),
    Setting("weight_decay", "wd", "Weight decay (L2)", "ladder", 0.0004,
            choices=WEIGHT_DECAYS),
    Setting("seed", "seed", "Seed", "int", 1, low=0, high=99999),
    Setting("speed", "speed", "Speed (epochs per second)", "ladder", 50,
            choices=SPEEDS),
    Setting("show_test", "test", "Show test points", "bool", False),
]

# Settings whose change rebuilds the network; all others keep it.
STRUCTURE = ("dataset", "noise", "train_ratio", "n_points", "features",
             "layers", "activation", "leaky_slope", "elu_alpha",
             "batch_norm", "loss", "seed")


def effective_loss(values, task):
    """The loss to use: squared error is the only one for regression."""
    return "squared_error" if task == "regression" else values["loss"]


def structure_key(values, upload_id=None):
    """What identifies a network: a change here means a new one."""
    key = tuple(repr(values[name]) for name in STRUCTURE)
    return key + (upload_id if values["dataset"] == "upload" else None,)


def make_data(values, uploaded=None):
    """The data set and its split, with features computed.

    ``uploaded`` is a ``datasets.Dataset`` from ``parse_csv``, used when
    the data set setting is "upload".
    """
    if values["dataset"] == "upload":
        if uploaded is None:
            raise datasets.DataError("No CSV file is loaded.")
        dataset = uploaded
    else:
        dataset = datasets.make_dataset(
            values["dataset"], values["n_points"],
            values["noise"] / 100.0, values["seed"])
    return datasets.split(dataset, values["features"],
                          values["train_ratio"] / 100.0, values["seed"])


def make_optimizer(values):
    ramp = values["ramp_epoch"] if values["momentum_ramp"] else None
    return optimizers.make_optimizer(values["optimizer"],
                                     values["momentum"], ramp)


def make_schedule(values):
    return schedules.make_schedule(
        values["schedule"], values["learning_rate"],
        every=values["step_every"], factor=values["step_factor"],
        gamma=values["decay_gamma"])


def batch_size(values, data):
    """Full-batch descent sees the whole training set in every step."""
    if values["optimizer"] == "gd":
        return len(data.x_train)
    return values["batch_size"]


def build_trainer(values, data):
    """A fresh network and trainer for ``values`` on ``data``."""
    loss = losses.make_loss(effective_loss(values, data.task), data.task,
                            data.n_classes or 2)
    sizes = [len(data.features), *values["layers"], loss.n_outputs]
    model = mlp.MLP(sizes, values["activation"], values["batch_norm"],
                    seed=values["seed"], slope=values["leaky_slope"],
                    alpha=values["elu_alpha"])
    return Trainer(model, loss, data, make_optimizer(values),
                   make_schedule(values), batch_size(values, data),
                   weight_decay=values["weight_decay"], seed=values["seed"])


def update_trainer(trainer, values, old_values):
    """Apply changed hyperparameters to ``trainer``, keeping its network.

    A new optimizer kind starts with fresh state (no velocity); a new
    momentum coefficient or ramp keeps the velocity. Mutates ``trainer``.
    """
    if values["optimizer"] != old_values["optimizer"]:
        trainer.optimizer = make_optimizer(values)
    elif values["optimizer"] == "momentum":
        trainer.optimizer.momentum = values["momentum"]
        ramp = values["ramp_epoch"] if values["momentum_ramp"] else None
        trainer.optimizer.ramp_epoch = ramp
    trainer.schedule = make_schedule(values)
    trainer.batch_size = batch_size(values, trainer.data)
    trainer.weight_decay = values["weight_decay"]


# -- the page's pictures -----------------------------------------------------

def network_picture(trainer):
    """The network as columns of unit maps joined by weights (a figure)."""
    model, data = trainer.model, trainer.data
    hidden = [layer["W"].shape[1] for layer in model.layers[:-1]]
    res = figures.tile_resolution(len(data.features) + sum(hidden) + 3)
    _, scores = introspect.output_map(trainer, res)
    if scores.ndim == 2:
        outputs = scores[None]
    else:
        # (res, res, K) probabilities to K tiles in [-1, 1].
        outputs = 2 * scores.transpose(2, 0, 1) - 1
    columns = [introspect.feature_maps(data.features, res),
               *introspect.unit_maps(model, data.features, res), outputs]
    titles = [[features.feature_label(f) for f in data.features],
              *[(f"layer {i + 1}" if len(hidden) < 5 else f"L{i + 1}")
                for i in range(len(hidden))], "output"]
    weights = [layer["W"] for layer in model.layers]
    return figures.network_figure(columns, weights, titles)


def boundary_picture(trainer, show_test=False, height=320):
    """The output over the plane with the training (and test) points."""
    data = trainer.data
    axis, scores = introspect.output_map(trainer, 64)
    test = (data.points_test, data.y_test) if show_test else None
    return figures.boundary_figure(axis, scores, data.task, data.n_classes,
                                   (data.points_train, data.y_train), test,
                                   height=height)


def loss_picture(trainer, height=190):
    """Train and test loss per epoch with lr, marked where it diverged."""
    h = trainer.history
    diverged = trainer.divergence["epoch"] if trainer.divergence else None
    return figures.loss_figure(
        h.column("epoch"), h.column("train_loss"), h.column("test_loss"),
        h.column("lr"), diverged_at=diverged, height=height)
