"""Loss values and output gradients against torch, encode() by hand."""

import numpy as np
import pytest
import torch
from torch import nn

from dlcore.losses import CrossEntropy, SquaredError, make_loss

TOL = dict(rtol=1e-10, atol=1e-12)
LABELS = np.array([0, 1, 2, 1, 0, 2])
BINARY = np.array([0, 1, 1, 0, 1, 0])


def torch_value_and_gradient(criterion, out, target):
    o = torch.tensor(out, dtype=torch.float64, requires_grad=True)
    value = criterion(o, target)
    value.backward()
    return value.item(), o.grad.numpy()


def check(loss, out, targets, criterion, torch_target):
    """Our value, value_and_gradient and torch's agree; all finite."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss.value(out, targets)
        value2, grad = loss.value_and_gradient(out, targets)
    expected, expected_grad = torch_value_and_gradient(
        criterion, out, torch_target)

    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(expected, rel=1e-10, abs=1e-12)
    assert value2 == pytest.approx(expected, rel=1e-10, abs=1e-12)
    np.testing.assert_allclose(grad, expected_grad, **TOL)


def logits(k, scale=2.0):
    return np.random.default_rng(k).normal(0, scale, (6, k))


# Confident and right, confident and wrong, and undecided.
EXTREME_BINARY = np.array([[1000.0], [-1000.0], [1000.0],
                           [-1000.0], [0.0], [1000.0]])
EXTREME_3CLASS = np.array([[1000.0, -1000.0, 0.0]] * 6)


@pytest.mark.parametrize("scale", [2.0, "extreme"])
def test_binary_cross_entropy_matches_bce_with_logits(scale):
    loss = make_loss("cross_entropy", "classification", 2)
    out = EXTREME_BINARY if scale == "extreme" else logits(1)
    t = torch.tensor(BINARY, dtype=torch.float64).reshape(-1, 1)
    check(loss, out, loss.encode(BINARY), nn.BCEWithLogitsLoss(), t)


@pytest.mark.parametrize("scale", [2.0, "extreme"])
def test_softmax_cross_entropy_matches_cross_entropy_loss(scale):
    loss = make_loss("cross_entropy", "classification", 3)
    out = EXTREME_3CLASS if scale == "extreme" else logits(3)
    t = torch.tensor(LABELS, dtype=torch.long)
    check(loss, out, loss.encode(LABELS), nn.CrossEntropyLoss(), t)


def test_extreme_wrong_logits_give_a_large_finite_loss():
    loss = make_loss("cross_entropy", "classification", 3)
    # Logits (1000, -1000, 0): a loss of 0, 2000 and 1000 for the
    # labels 0, 1 and 2, each twice among the six.
    value = loss.value(EXTREME_3CLASS, loss.encode(LABELS))
    assert value == pytest.approx((2 * 2000 + 2 * 1000) / 6, rel=1e-12)


@pytest.mark.parametrize("out", [logits(1), EXTREME_BINARY])
def test_squared_error_binary_matches_mse(out):
    loss = make_loss("squared_error", "classification", 2)
    t = torch.tensor(2.0 * BINARY - 1.0).reshape(-1, 1)
    check(loss, out, loss.encode(BINARY), nn.MSELoss(), t)


def test_squared_error_3class_matches_mse():
    loss = make_loss("squared_error", "classification", 3)
    t = nn.functional.one_hot(torch.tensor(LABELS), 3).double()
    check(loss, logits(3), loss.encode(LABELS), nn.MSELoss(), t)


def test_squared_error_regression_matches_mse():
    loss = make_loss("squared_error", "regression", 0)
    y = np.linspace(-1, 1, 6)
    t = torch.tensor(y).reshape(-1, 1)
    check(loss, logits(1), loss.encode(y), nn.MSELoss(), t)


def test_encode_by_hand():
    square2 = SquaredError("classification", 2)
    assert square2.encode(np.array([0, 1, 1])).tolist() == [[-1], [1], [1]]
    square3 = SquaredError("classification", 3)
    assert square3.encode(np.array([2, 0])).tolist() == [[0, 0, 1], [1, 0, 0]]
    regression = SquaredError("regression", 0)
    assert regression.encode(np.array([0.5, -1.0])).tolist() == [[0.5], [-1.0]]
    cross2 = CrossEntropy("classification", 2)
    assert cross2.encode(np.array([1, 0])).tolist() == [[1.0], [0.0]]
    cross3 = CrossEntropy("classification", 3)
    assert cross3.encode(np.array([1])).tolist() == [[0, 1, 0]]


def test_output_units():
    assert make_loss("squared_error", "classification", 2).n_outputs == 1
    assert make_loss("squared_error", "classification", 4).n_outputs == 4
    assert make_loss("squared_error", "regression", 0).n_outputs == 1
    assert make_loss("cross_entropy", "classification", 2).n_outputs == 1
    assert make_loss("cross_entropy", "classification", 5).n_outputs == 5


def test_labels_and_scores():
    out = np.array([[3.0, 1.0, -2.0], [-1.0, 0.5, 0.0]])
    cross3 = make_loss("cross_entropy", "classification", 3)
    assert cross3.labels(out).tolist() == [0, 1]
    soft = torch.softmax(torch.tensor(out), dim=1).numpy()
    np.testing.assert_allclose(cross3.scores(out), soft, **TOL)

    column = np.array([[2.0], [-0.5], [-40.0]])
    cross2 = make_loss("cross_entropy", "classification", 2)
    assert cross2.labels(column).tolist() == [1, 0, 0]
    # Binary scores live in [-1, 1]: 2 sigmoid(z) - 1.
    expected = 2 * torch.sigmoid(torch.tensor(column[:, 0])).numpy() - 1
    np.testing.assert_allclose(cross2.scores(column), expected, **TOL)
    square2 = make_loss("squared_error", "classification", 2)
    assert square2.scores(column).tolist() == [1.0, -0.5, -1.0]


def test_unknown_loss_and_cross_entropy_for_regression_are_refused():
    with pytest.raises(ValueError, match="known: squared_error"):
        make_loss("hinge", "classification")
    with pytest.raises(ValueError, match="squared_error"):
        make_loss("cross_entropy", "regression", 0)
