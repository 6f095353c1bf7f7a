"""Built-in data sets, CSV upload, splits and input features."""

import numpy as np
import pytest

from dlcore.datasets import (GENERATORS, MAX_CSV_BYTES, MAX_CSV_ROWS,
                             DataError, make_dataset, parse_csv, split)
from dlcore.features import FEATURES, compute_features, feature_label

# -- built-in generators --------------------------------------------------


@pytest.mark.parametrize("noise", [0.0, 0.5])
@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_points_and_labels(name, noise):
    _, task, k = GENERATORS[name]
    data = make_dataset(name, n_points=301, noise=noise, seed=3)

    assert (data.name, data.task, data.n_classes) == (name, task, k)
    assert data.points.shape == (301, 2) and data.y.shape == (301,)
    assert np.all(np.abs(data.points) <= 6.0)
    if task == "classification":
        assert data.y.dtype.kind == "i"
        assert set(data.y.tolist()) == set(range(k))
    else:
        assert np.all(np.abs(data.y) <= 1.0)
        assert np.std(data.y) > 0.05


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_generator_seed_fixes_the_data(name):
    a = make_dataset(name, 100, 0.2, seed=4)
    b = make_dataset(name, 100, 0.2, seed=4)
    c = make_dataset(name, 100, 0.2, seed=5)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.points, c.points)


def test_circle_labels_follow_the_radius_without_noise():
    data = make_dataset("circle", 200, 0.0, seed=0)
    radius = np.hypot(*data.points.T)
    assert np.all(radius[data.y == 1] <= 2.5)
    assert np.all(radius[data.y == 0] >= 3.5)


def test_xor_labels_follow_the_signs_without_noise():
    data = make_dataset("xor", 200, 0.0, seed=0)
    same_sign = data.points[:, 0] * data.points[:, 1] > 0
    assert np.array_equal(data.y, same_sign.astype(int))


def test_unknown_generator_is_a_data_error():
    with pytest.raises(DataError, match="unknown data set 'ring'"):
        make_dataset("ring")


# -- split and features -----------------------------------------------------


@pytest.mark.parametrize("ratio, n_train", [(0.5, 50), (0.7, 70),
                                            (0.95, 90), (0.0, 10)])
def test_split_ratio_and_partition(ratio, n_train):
    data = make_dataset("gauss", 100, 0.1, seed=1)
    parts = split(data, ["x1", "x2"], train_ratio=ratio, seed=2)

    assert len(parts.x_train) == len(parts.y_train) == n_train
    assert len(parts.x_test) == len(parts.y_test) == 100 - n_train
    both = np.concatenate([parts.points_train, parts.points_test])
    order = np.lexsort(both.T)
    assert np.array_equal(both[order], data.points[np.lexsort(data.points.T)])
    assert parts.features == ["x1", "x2"] and parts.n_classes == 2


def test_split_keeps_points_and_labels_together():
    data = make_dataset("xor", 60, 0.0, seed=1)
    parts = split(data, ["x1"], seed=0)
    p, y = parts.points_train, parts.y_train
    assert np.array_equal(y, (p[:, 0] * p[:, 1] > 0).astype(int))
    np.testing.assert_allclose(parts.x_train[:, 0], p[:, 0] / 6, rtol=1e-15)


def test_split_seed():
    data = make_dataset("circle", 50, 0.0, seed=1)
    a = split(data, ["x1"], seed=3).points_train
    assert np.array_equal(a, split(data, ["x1"], seed=3).points_train)
    assert not np.array_equal(a, split(data, ["x1"], seed=4).points_train)


def test_features_by_hand():
    point = np.array([[3.0, -1.5]])
    expected = {"x1": 0.5, "x2": -0.25, "x1sq": 0.25, "x2sq": 0.0625,
                "x1x2": -0.125, "sin_x1": np.sin(3.0),
                "sin_x2": np.sin(-1.5)}
    assert set(expected) == set(FEATURES)
    names = sorted(FEATURES)
    values = compute_features(point, names)
    assert values.shape == (1, len(names))
    np.testing.assert_allclose(values[0], [expected[k] for k in names],
                               rtol=1e-15, atol=1e-15)
    assert feature_label("x1sq") == "x₁²"


def test_features_stay_within_one_over_the_square():
    corners = np.array([[-6.0, -6.0], [6.0, 6.0], [6.0, -6.0], [0.0, 0.0]])
    values = compute_features(corners, list(FEATURES))
    assert np.all(np.abs(values) <= 1.0)


def test_features_need_a_name():
    with pytest.raises(ValueError, match="at least one"):
        compute_features(np.zeros((3, 2)), [])


# -- CSV upload -------------------------------------------------------------


def csv_text(rows, header="x1,x2,label"):
    lines = [header] + [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def labelled_rows(n=12, labels=(3, 7)):
    return [(i, 2 * i - 5, labels[i % len(labels)]) for i in range(n)]


def test_csv_with_labels():
    data = parse_csv(csv_text(labelled_rows()).encode(), name="mine.csv")

    assert (data.name, data.task, data.n_classes) == ("mine.csv",
                                                      "classification", 2)
    assert data.y.tolist() == [0, 1] * 6
    assert any("renumbered" in note for note in data.notes)
    # x2 spans 22, x1 spans 11: one factor for both axes, x2 fills 90%.
    assert data.points[:, 1].min() == pytest.approx(-5.4, abs=1e-12)
    assert data.points[:, 1].max() == pytest.approx(5.4, abs=1e-12)
    assert np.ptp(data.points[:, 0]) == pytest.approx(5.4, abs=1e-12)


def test_csv_with_targets_is_scaled_into_the_unit_range():
    rows = [(i, i % 3, (i - 2) * 0.5) for i in range(12)]
    data = parse_csv(csv_text(rows, "x1,x2,target"))

    assert (data.task, data.n_classes) == ("regression", 0)
    assert np.max(np.abs(data.y)) == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(data.y, [(i - 2) / 9 for i in range(12)],
                               rtol=1e-12)
    assert any("divided" in note for note in data.notes)


def test_csv_tolerates_bom_spaces_capitals_and_blank_lines():
    text = csv_text(labelled_rows(labels=(0, 1)), " X1 , x2 ,Label")
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n\r\n").encode()
    data = parse_csv(raw)
    assert len(data.y) == 12 and data.y.tolist() == [0, 1] * 6
    assert not any("renumbered" in note for note in data.notes)


def replace_row(at, row, rows=None):
    rows = list(rows or labelled_rows())
    rows[at] = row
    return csv_text(rows)


BAD_FILES = {
    "wrong header": (csv_text(labelled_rows(), "x,y,label"), "header"),
    "too many columns": (csv_text(labelled_rows(), "x1,x2,label,w"),
                         "header x1,x2,label"),
    "unknown last column": (csv_text(labelled_rows(), "x1,x2,class"),
                            "x1,x2,target"),
    "text in a number": (replace_row(3, (1, "abc", 0)),
                         "Line 5: 'abc' is not a number"),
    "nan": (replace_row(0, (1, "nan", 0)), "Line 2: 'nan' is not a finite"),
    "infinity": (replace_row(4, ("-inf", 1, 0)), "Line 6.*infinity"),
    "empty": ("", "empty"),
    "only blank lines": ("\n \n,,\n", "empty"),
    "header only": ("x1,x2,label\n", "0 data rows; at least 10"),
    "too few rows": (csv_text(labelled_rows(9)), "9 data rows; at least 10"),
    "too many rows": (csv_text(labelled_rows(MAX_CSV_ROWS + 1)),
                      f"{MAX_CSV_ROWS + 1} rows; the limit is {MAX_CSV_ROWS}"),
    "fractional label": (replace_row(6, (1, 2, 0.5)),
                         "Line 8: a label must be a whole number"),
    "one class": (csv_text(labelled_rows(labels=(4,))),
                  "Found one class.*2 to 6"),
    "seven classes": (csv_text(labelled_rows(14, labels=range(7))),
                      "Found 7 classes; 2 to 6"),
    "two values": (replace_row(2, (1, 2)), "Line 4 has 2 values.*exactly 3"),
    "four values": (replace_row(9, (1, 2, 0, 4)), "Line 11 has 4 values"),
    "identical points": (csv_text([(1.5, -2, i % 2) for i in range(12)]),
                         "same coordinates"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_malformed_csv_gives_a_helpful_data_error(case):
    text, message = BAD_FILES[case]
    with pytest.raises(DataError, match=message):
        parse_csv(text.encode())


def test_csv_over_the_byte_limit():
    raw = b"x1,x2,label\n" + b"0,0,0\n" * (MAX_CSV_BYTES // 6)
    assert len(raw) > MAX_CSV_BYTES
    with pytest.raises(DataError, match="the limit is 2 MB"):
        parse_csv(raw)


def test_csv_not_utf8():
    raw = csv_text(labelled_rows()).encode("utf-16")
    with pytest.raises(DataError, match="not UTF-8"):
        parse_csv(raw)
    with pytest.raises(DataError, match="not UTF-8"):
        parse_csv(b"x1,x2,label\n1,2,\xff\n")


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_csv_oddities_found_by_attack_give_messages():
    """Files that once escaped as raw csv errors or NaN coordinates."""
    header = "x1,x2,label\n"
    rows = "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20))
    huge_cell = header + '"' + "x" * 200_000 + '",1,0\n' + rows
    with pytest.raises(DataError, match="not a readable CSV"):
        parse_csv(huge_cell.encode())
    tiny = header + "".join(f"{i}e-321,{i}e-321,{i % 2}\n" for i in range(20))
    with pytest.raises(DataError, match="extreme range"):
        parse_csv(tiny.encode())
    wide = header + "".join(f"{(-1) ** i}e308,0,{i % 2}\n" for i in range(20))
    with pytest.raises(DataError, match="extreme range"):
        parse_csv(wide.encode())
    big_labels = header + "".join(f"{i},{i},{(i % 2 + 1)}e19\n"
                                  for i in range(20))
    with pytest.raises(DataError, match="below a billion"):
        parse_csv(big_labels.encode())


def test_csv_with_old_mac_line_endings_parses():
    text = "x1,x2,label\r" + "".join(f"{i},{i % 4},{i % 2}\r"
                                     for i in range(20))
    dataset = parse_csv(text.encode())
    assert len(dataset.points) == 20
