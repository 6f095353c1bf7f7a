"""MLP forward, backpropagation and batch norm against a torch twin."""

import numpy as np
import pytest
import torch
from torch import nn

from dlcore.losses import make_loss
from dlcore.mlp import MLP

SLOPE = 0.2
ALPHA = 0.7
BATCH = 8
TOL = dict(rtol=1e-6, atol=1e-9)

TORCH_ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(SLOPE),
    "elu": lambda: nn.ELU(ALPHA),
    "linear": nn.Identity,
}

# name: (loss, task, n_classes)
LOSS_CASES = {
    "squared_binary": ("squared_error", "classification", 2),
    "squared_3class": ("squared_error", "classification", 3),
    "squared_regression": ("squared_error", "regression", 0),
    "cross_entropy_binary": ("cross_entropy", "classification", 2),
    "cross_entropy_3class": ("cross_entropy", "classification", 3),
}


def make_model(activation, batch_norm, n_outputs, seed=1):
    return MLP([3, 5, 4, n_outputs], activation, batch_norm=batch_norm,
               seed=seed, slope=SLOPE, alpha=ALPHA)


def as_tensor(a):
    return torch.tensor(a, dtype=torch.float64)


def torch_twin(model, activation):
    """nn.Sequential with the model's weights: Linear -> [BN] -> act."""
    modules = []
    last = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        fan_in, fan_out = layer["W"].shape
        bn = "gamma" in layer
        linear = nn.Linear(fan_in, fan_out, bias=not bn, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(as_tensor(layer["W"].T))
            if not bn:
                linear.bias.copy_(as_tensor(layer["b"]))
        modules.append(linear)
        if bn:
            modules.append(torch_batch_norm(layer))
        if i < last:
            modules.append(TORCH_ACTIVATIONS[activation]())
    return nn.Sequential(*modules)


def torch_batch_norm(layer):
    norm = nn.BatchNorm1d(len(layer["gamma"]), eps=1e-5, momentum=0.1,
                          dtype=torch.float64)
    with torch.no_grad():
        norm.weight.copy_(as_tensor(layer["gamma"]))
        norm.bias.copy_(as_tensor(layer["beta"]))
        norm.running_mean.copy_(as_tensor(layer["running_mean"]))
        norm.running_var.copy_(as_tensor(layer["running_var"]))
    return norm


def make_batch(case, seed=0):
    """Inputs, raw labels or targets, and the torch loss for ``case``."""
    _, task, k = LOSS_CASES[case]
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, (BATCH, 3))
    if task == "regression":
        y = rng.uniform(-1, 1, BATCH)
    else:
        y = rng.permutation(np.arange(BATCH) % k)
    return x, y


def torch_data_loss(case, out, y):
    """The torch loss, with targets built here, not by ``encode``."""
    name, task, k = LOSS_CASES[case]
    col = as_tensor(y).reshape(-1, 1)
    if name == "cross_entropy":
        if k == 2:
            return nn.BCEWithLogitsLoss()(out, col)
        return nn.CrossEntropyLoss()(out, torch.tensor(y, dtype=torch.long))
    if task == "regression":
        return nn.MSELoss()(out, col)
    if k == 2:
        return nn.MSELoss()(out, 2 * col - 1)
    return nn.MSELoss()(out, nn.functional.one_hot(
        torch.tensor(y, dtype=torch.long), k).double())


def torch_objective(net, case, x, y, weight_decay):
    data = torch_data_loss(case, net(as_tensor(x)), y)
    weights = [m.weight for m in net if isinstance(m, nn.Linear)]
    penalty = sum((w * w).sum() for w in weights)
    return data, data + 0.5 * weight_decay * penalty


def gradient_pairs(model, net):
    """(ours, torch's) for every parameter array, layer by layer."""
    linears = [m for m in net if isinstance(m, nn.Linear)]
    norms = [m for m in net if isinstance(m, nn.BatchNorm1d)]
    pairs = []
    for layer, linear in zip(model.layers, linears):
        pairs.append((layer["dW"], linear.weight.grad.T))
        if "db" in layer:
            pairs.append((layer["db"], linear.bias.grad))
    for layer, norm in zip(model.layers, norms):
        pairs.append((layer["dgamma"], norm.weight.grad))
        pairs.append((layer["dbeta"], norm.bias.grad))
    return pairs


@pytest.mark.parametrize("case", sorted(LOSS_CASES))
@pytest.mark.parametrize("weight_decay", [0.0, 0.3])
@pytest.mark.parametrize("batch_norm", [False, True])
@pytest.mark.parametrize("activation", sorted(TORCH_ACTIVATIONS))
def test_loss_and_gradient_match_torch(activation, batch_norm,
                                       weight_decay, case):
    name, task, k = LOSS_CASES[case]
    loss = make_loss(name, task, max(k, 2))
    model = make_model(activation, batch_norm, loss.n_outputs)
    net = torch_twin(model, activation)
    x, y = make_batch(case)

    value, grad = model.loss_and_gradient(x, loss.encode(y), loss,
                                          weight_decay)
    data, objective = torch_objective(net, case, x, y, weight_decay)
    objective.backward()

    assert grad is model.grad
    assert value == pytest.approx(data.item(), rel=1e-10)
    pairs = gradient_pairs(model, net)
    assert sum(ours.size for ours, _ in pairs) == model.params.size
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours, theirs.numpy(), **TOL)


def test_penalty_is_half_decay_times_squared_weights():
    model = make_model("tanh", True, 1)
    squares = sum(float((l["W"] ** 2).sum()) for l in model.layers)
    assert model.penalty(0.3) == pytest.approx(0.15 * squares, rel=1e-12)


def test_gradient_is_overwritten_not_accumulated():
    loss = make_loss("cross_entropy", "classification", 3)
    model = make_model("relu", True, 3)
    x, y = make_batch("cross_entropy_3class")
    first = model.loss_and_gradient(x, loss.encode(y), loss, 0.1)[1].copy()
    second = model.loss_and_gradient(x, loss.encode(y), loss, 0.1)[1]
    np.testing.assert_allclose(second, first, rtol=1e-12, atol=1e-15)


def batch_norm_layers(model):
    return [l for l in model.layers if "gamma" in l]


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_batch_norm_running_stats_and_eval_match_torch(activation):
    model = make_model(activation, True, 1)
    rng = np.random.default_rng(5)
    # Non-trivial gamma and beta, so eval mode uses all four arrays.
    for layer in batch_norm_layers(model):
        layer["gamma"][...] = rng.uniform(0.5, 1.5, layer["gamma"].shape)
        layer["beta"][...] = rng.normal(0, 0.3, layer["beta"].shape)
    net = torch_twin(model, activation)

    net.train()
    for shift in (0.0, 1.0, -2.0):
        x = rng.normal(shift, 1.5, (BATCH, 3))
        model.forward(x, training=True)
        net(as_tensor(x))
    norms = [m for m in net if isinstance(m, nn.BatchNorm1d)]
    for layer, norm in zip(batch_norm_layers(model), norms):
        np.testing.assert_allclose(layer["running_mean"],
                                   norm.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(layer["running_var"],
                                   norm.running_var.numpy(), rtol=1e-12)

    net.eval()
    x = rng.normal(0, 2, (20, 3))
    with torch.no_grad():
        expected = net(as_tensor(x)).numpy()
    np.testing.assert_allclose(model.forward(x), expected, rtol=1e-10,
                               atol=1e-12)


def test_eval_forward_leaves_running_stats_alone():
    model = make_model("tanh", True, 1)
    before = model.state()
    model.forward(np.ones((BATCH, 3)))
    after = model.state()
    for (m0, v0), (m1, v1) in zip(before[1], after[1]):
        assert np.array_equal(m0, m1) and np.array_equal(v0, v1)


def test_hidden_activations_match_torch():
    model = make_model("elu", False, 2)
    net = torch_twin(model, "elu")
    x = np.random.default_rng(2).normal(0, 2, (6, 3))
    acts = [m for m in net if isinstance(m, nn.ELU)]
    seen = []
    for act in acts:
        act.register_forward_hook(lambda m, i, o: seen.append(o.numpy()))
    with torch.no_grad():
        net(as_tensor(x))

    ours = model.hidden_activations(x)
    assert [a.shape for a in ours] == [(6, 5), (6, 4)]
    for mine, theirs in zip(ours, seen):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)


def test_state_round_trip_restores_params_and_stats():
    model = make_model("tanh", True, 1)
    saved = model.state()
    model.params += 1.0
    model.forward(np.ones((BATCH, 3)) * 3, training=True)
    model.load_state(saved)

    assert np.array_equal(model.params, saved[0])
    layer = batch_norm_layers(model)[0]
    assert np.array_equal(layer["running_mean"], saved[1][0][0])
    # The views must still point into params after loading.
    assert np.shares_memory(model.layers[0]["W"], model.params)


def test_gradient_norms_show_vanishing_gradients():
    """A deep sigmoid network's first layer gets a far smaller gradient
    than its last; each number is the root mean square of that layer's
    weight gradient, checked here against the gradient itself."""
    from dlcore import introspect

    model = MLP([2] + [16] * 6 + [1], "sigmoid", seed=0)
    loss = make_loss("squared_error", "classification", 2)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 2))
    targets = loss.encode(rng.integers(0, 2, 64))
    norms = introspect.gradient_norms(model, x, targets, loss)
    assert len(norms) == 7
    grad_first = model.layers[0]["dW"]
    assert norms[0] == pytest.approx(np.sqrt(np.mean(grad_first ** 2)))
    assert norms[0] < norms[-1] / 100
