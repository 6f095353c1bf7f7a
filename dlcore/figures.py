"""Pure data-to-figure functions for plotly; nothing here trains.

Each function returns a plotly figure as a plain dict (``data`` and
``layout``), ready for ``json.dumps``, ``plotly.io.from_json`` or
``st.plotly_chart``. Plain dicts, not ``go.Figure``: building and
validating graph objects took about 40 ms for the network picture, more
than half a live tick. Arrays travel as plotly.js typed arrays (base64),
heatmaps quantized to one byte a cell: a live update stays near 20 KB.
"""

import base64

import numpy as np

from dlcore.datasets import EXTENT

NEGATIVE = "#f59322"
POSITIVE = "#0877bd"
MIDDLE = "#f4f4f4"
CLASS_COLOURS = ("#f59322", "#0877bd", "#2ca25f", "#8e44ad",
                 "#d62728", "#8c564b")
DIVERGING = [[0.0, NEGATIVE], [0.5, MIDDLE], [1.0, POSITIVE]]
FONT = dict(family="Source Sans Pro, sans-serif", size=14, color="#31333f")
CLEAR = "rgba(0,0,0,0)"

_CODES = {np.dtype(np.int8): "i1", np.dtype(np.uint8): "u1",
          np.dtype(np.float32): "f4", np.dtype(np.float64): "f8"}


def typed(values, dtype=np.float32):
    """A numpy array as a plotly.js typed array: ``{dtype, bdata, shape}``."""
    a = np.ascontiguousarray(values, dtype=dtype)
    out = {"dtype": _CODES[a.dtype],
           "bdata": base64.b64encode(a.tobytes()).decode("ascii")}
    if a.ndim > 1:
        out["shape"] = ",".join(str(n) for n in a.shape)
    return out


def quantize(values, low=-1.0, high=1.0):
    """Values in [low, high] as int8 codes -127..127; NaN becomes -128.

    With ``GAP_SCALE`` (code -128 transparent) a heatmap of codes draws
    like the float one at a quarter of the size.
    """
    v = np.asarray(values, dtype=float)
    unit = (np.clip(v, low, high) - low) / (high - low)
    codes = np.round(unit * 254 - 127)
    return np.where(np.isfinite(v), codes, -128).astype(np.int8)


# Colour scale over codes -128..127: -128 is see-through (gaps between
# tiles), -127..127 run orange, light grey, blue.
GAP_SCALE = [[0.0, CLEAR], [0.5 / 255, CLEAR], [1 / 255, NEGATIVE],
             [128 / 255, MIDDLE], [1.0, POSITIVE]]


def _layout(height, **extra):
    layout = dict(height=height, font=FONT, paper_bgcolor=CLEAR,
                  plot_bgcolor=CLEAR, showlegend=False,
                  margin=dict(l=45, r=10, t=10, b=40), uirevision="keep",
                  hoverlabel=dict(font=dict(size=15)))
    layout.update(extra)
    return layout


def _class_codes(probabilities):
    """Class k with confidence c as code 40 k + 39 c (uint8)."""
    k = probabilities.shape[-1]
    best = np.argmax(probabilities, axis=-1)
    top = probabilities.max(axis=-1)
    confidence = np.clip((top - 1 / k) / (1 - 1 / k), 0, 1)
    return (40 * best + np.round(39 * confidence)).astype(np.uint8)


def _class_scale(n_classes):
    """Colour scale over codes 0..40K-1: each class pale to saturated."""
    top = 40 * n_classes - 1
    scale = []
    for k, colour in enumerate(CLASS_COLOURS[:n_classes]):
        scale.append([40 * k / top, MIDDLE])
        scale.append([(40 * k + 39) / top, colour])
    return scale


def boundary_figure(axis, scores, task, n_classes, train, test=None,
                    height=440):
    """The network's output over the plane with the data on top.

    Parameters
    ----------
    axis : array (res,)
        Grid cell centres, as from ``introspect.grid``.
    scores : array (res, res) or (res, res, K)
        From ``introspect.output_map``: values in [-1, 1], or class
        probabilities for K > 2 classes.
    task, n_classes : as in ``datasets.Dataset``
    train, test : tuple (points (n, 2), y (n,)) or None
        Training points (white ring) and test points (dark ring).
    height : int, pixels
    """
    if scores.ndim == 3:
        z = typed(_class_codes(scores), np.uint8)
        # No smoothing: blending two class codes would paint a third
        # class along the border.
        heat = dict(colorscale=_class_scale(n_classes), zmin=0,
                    zmax=40 * n_classes - 1)
    else:
        z = typed(quantize(scores), np.int8)
        heat = dict(colorscale=GAP_SCALE, zmin=-128, zmax=127,
                    zsmooth="best")
    data = [dict(type="heatmap", x=typed(axis), y=typed(axis), z=z,
                 showscale=False, hoverinfo="skip", opacity=0.85, **heat)]
    for part, ring in ((train, "white"), (test, "#222222")):
        if part is not None and len(part[0]):
            data.append(_points(part, task, n_classes, ring))
    axis_style = dict(range=[-EXTENT, EXTENT], showgrid=False,
                      zeroline=False, tickvals=[-6, -3, 0, 3, 6],
                      constrain="domain")
    layout = _layout(height,
                     xaxis=dict(axis_style, title=dict(text="x₁")),
                     yaxis=dict(axis_style, title=dict(text="x₂"),
                                scaleanchor="x", scaleratio=1))
    return dict(data=data, layout=layout)


def _points(part, task, n_classes, ring):
    points, y = part
    if task == "regression":
        colour = dict(colorscale=DIVERGING, cmin=-1, cmax=1)
    elif n_classes == 2:
        colour = dict(colorscale=[[0, NEGATIVE], [1, POSITIVE]], cmin=0,
                      cmax=1)
    else:
        scale = [[k / (n_classes - 1), c]
                 for k, c in enumerate(CLASS_COLOURS[:n_classes])]
        colour = dict(colorscale=scale, cmin=0, cmax=n_classes - 1)
    # A plain list: plotly.js reads typed arrays for coordinates but not
    # for marker colours.
    marker = dict(size=7, color=np.asarray(y, dtype=float).round(3).tolist(),
                  line=dict(width=1, color=ring), **colour)
    return dict(type="scatter", mode="markers", x=typed(points[:, 0]),
                y=typed(points[:, 1]), marker=marker, hoverinfo="skip")


def thin(n, most):
    """At most ``most`` indices spread evenly over range(n), the last kept."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, most).round().astype(int))


def loss_figure(epochs, train_loss, test_loss, lr=None, height=260,
                diverged_at=None, most=250):
    """Training and test loss per epoch on a log scale, lr on a second axis.

    Parameters
    ----------
    epochs, train_loss, test_loss, lr : arrays (n,)
        As in ``Trainer.history``; non-finite and non-positive losses are
        left out (a log axis cannot show them).
    diverged_at : int or None
        Epoch in which training diverged, marked with a red line.
    most : int, default 250
        Points drawn per line at most; more add bytes, not detail.
    """
    pick = thin(len(epochs), most)
    epochs, train_loss, test_loss = (np.asarray(a)[pick] for a in
                                     (epochs, train_loss, test_loss))
    lr = None if lr is None else np.asarray(lr)[pick]
    data, shown = [], []
    lines = (("train_loss", train_loss, "#31333f", "solid"),
             ("test_loss", test_loss, "#9a9a9a", "dash"))
    for name, values, colour, dash in lines:
        keep = np.isfinite(values) & (values > 0)
        shown.append(np.minimum(values[keep], 1e30))
        # A lone first point would be invisible as a line.
        mode = "lines+markers" if keep.sum() < 3 else "lines"
        data.append(dict(type="scatter", mode=mode, name=name,
                         x=typed(epochs[keep]),
                         y=typed(np.minimum(values[keep], 1e30)),
                         line=dict(color=colour, dash=dash, width=2.5)))
    if lr is not None:
        data.append(dict(type="scatter", mode="lines", name="lr",
                         yaxis="y2", x=typed(epochs),
                         y=typed(np.clip(lr, 1e-30, 1e30)),
                         line=dict(color="#2ca25f", width=2, dash="dot")))
    shapes, notes = [], []
    if diverged_at is not None:
        shapes.append(dict(type="line", x0=diverged_at, x1=diverged_at,
                           yref="paper", y0=0, y1=1,
                           line=dict(color="#d62728", width=2)))
        notes.append(dict(x=diverged_at, yref="paper", y=1, text="diverged",
                          showarrow=False, font=dict(color="#d62728"),
                          xanchor="right", yanchor="top"))
    layout = _layout(
        height, showlegend=True, shapes=shapes, annotations=notes,
        margin=dict(l=55, r=55, t=30, b=40),
        # Whole epochs from 0, and some width before the first epoch ends.
        xaxis=dict(title=dict(text="epoch"), tickformat="d",
                   range=[0, max(10, float(epochs[-1]) if len(epochs) else 0)],
                   gridcolor="#e6e6e6"),
        # Whole decades only: a log axis otherwise labels 2 and 5 between.
        yaxis=dict(title=dict(text="loss"), type="log", gridcolor="#e6e6e6",
                   **_log_ticks(np.concatenate(shown))),
        yaxis2=dict(title=dict(text="lr"), type="log", overlaying="y",
                    side="right", showgrid=False, range=_log_range(lr),
                    **_log_ticks(lr)),
        legend=dict(orientation="h", y=1.0, x=0, yanchor="bottom"))
    return dict(data=data, layout=layout)


def _log_ticks(values, ticks=5):
    """Tick spacing and format for a log axis over positive ``values``.

    Over a decade or less plotly's own ticks read well; over many, whole
    decades only, about ``ticks`` of them, written as powers of ten.
    """
    if values is None or not len(values):
        return dict(tickformat=".2g")
    logs = np.log10(np.clip(values, 1e-30, None))
    span = logs.max() - logs.min()
    if span < 1.5:
        return dict(tickformat=".2g")
    return dict(dtick=max(1, int(np.ceil(span / ticks))), tickformat=".0e")


def _log_range(values):
    """A log-axis range around positive ``values``, a decade at least."""
    if values is None or not len(values):
        return None
    logs = np.log10(np.clip(values, 1e-30, None))
    low, high = float(logs.min()), float(logs.max())
    middle, half = (low + high) / 2, max((high - low) / 2 + 0.2, 0.5)
    return [middle - half, middle + half]


def tile_resolution(n_tiles, budget=6000):
    """Pixels per side of one small heatmap so all fit in ``budget`` cells."""
    return int(np.clip(np.sqrt(budget / max(n_tiles, 1)), 6, 24))


def network_figure(columns, weights, titles, max_edges=400, height=None):
    """The network drawn as columns of small heatmaps joined by weights.

    Parameters
    ----------
    columns : list of arrays (units, res, res)
        What each unit computes over the plane, inputs first, outputs
        last. Each tile is scaled by its own largest |value|, so it shows
        the shape of the unit's function, not its size.
    weights : list of arrays (units_in, units_out)
        ``weights[i]`` joins column i to column i + 1; blue is positive,
        orange negative, and a thicker line a larger |weight|.
    titles : list
        A caption over each column; ``titles[0]`` may be a list of str
        naming the input features one by one (shown on hover).
    max_edges : int, default 400
        Only the strongest edges are drawn beyond this many.
    """
    gap, pitch = 1.6, 1.25
    data, centres = [], []
    hover_x, hover_y, hover_text = [], [], []
    for c, maps in enumerate(columns):
        x0 = c * (1 + gap)
        n = len(maps)
        ys = (np.arange(n)[::-1] - (n - 1) / 2) * pitch
        centres.append((x0, ys))
        data.append(_tile_column(maps, x0, ys))
        for j, tile in enumerate(maps):
            hover_x.append(x0 + 0.5)
            hover_y.append(float(ys[j]))
            hover_text.append(f"{_unit_name(titles, c, j)}<br>"
                              f"from {tile.min():.2g} to {tile.max():.2g}")
    data += _edge_traces(weights, centres, max_edges)
    data.append(dict(type="scatter", mode="markers", x=hover_x, y=hover_y,
                     marker=dict(size=22, opacity=0), hovertext=hover_text,
                     hoverinfo="text"))
    tallest = max(len(m) for m in columns)
    top = (tallest - 1) / 2 * pitch + 0.9
    notes = [dict(x=c * (1 + gap) + 0.5, y=top, showarrow=False,
                  text=t if isinstance(t, str) else "inputs")
             for c, t in enumerate(titles)]
    hidden = dict(visible=False, fixedrange=True)
    width = len(columns) * (1 + gap) - gap
    layout = _layout(
        # Tall layers shrink their tiles rather than stretch the page.
        height or int(np.clip(48 * tallest + 70, 280, 560)),
        annotations=notes,
        margin=dict(l=5, r=5, t=5, b=5),
        xaxis=dict(hidden, range=[-0.3, width + 0.3]),
        yaxis=dict(hidden, scaleanchor="x", scaleratio=1))
    return dict(data=data, layout=layout)


def _unit_name(titles, c, j):
    if c == 0 and not isinstance(titles[0], str):
        return titles[0][j]
    return f"{titles[c]}, unit {j + 1}"


def _tile_column(maps, x0, ys):
    """One heatmap trace holding a column of tiles, gap rows between."""
    n, res, _ = maps.shape
    scale = np.abs(maps).reshape(n, -1).max(axis=1)
    scaled = maps / np.where(scale > 1e-12, scale, 1.0)[:, None, None]
    rows, y = [], []
    blank = np.full((1, res), np.nan)
    for j in range(n - 1, -1, -1):
        bottom = ys[j] - 0.5
        # A gap row just below and just above each tile keeps the tile's
        # cells exactly 1/res high and leaves the space between empty.
        rows += [blank, scaled[j], blank]
        y.append(bottom - 0.5 / res)
        y.extend(bottom + (np.arange(res) + 0.5) / res)
        y.append(bottom + 1 + 0.5 / res)
    x = x0 + (np.arange(res) + 0.5) / res
    return dict(type="heatmap", x=typed(x), y=typed(y),
                z=typed(quantize(np.vstack(rows)), np.int8),
                colorscale=GAP_SCALE, zmin=-128, zmax=127,
                showscale=False, hoverinfo="skip")


def _edge_traces(weights, centres, max_edges):
    segments = []
    for i, w in enumerate(weights):
        (xa, ya), (xb, yb) = centres[i], centres[i + 1]
        a, b = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]),
                           indexing="ij")
        segments.append(np.stack([
            np.full(w.size, xa + 1.0), ya[a.ravel()],
            np.full(w.size, float(xb)), yb[b.ravel()], w.ravel()], axis=1))
    if not segments:
        return []
    seg = np.concatenate(segments)
    seg = seg[np.isfinite(seg[:, 4])]
    if len(seg) > max_edges:
        seg = seg[np.argsort(-np.abs(seg[:, 4]))[:max_edges]]
    strength = np.abs(seg[:, 4]) / max(np.abs(seg[:, 4]).max(initial=0), 1e-12)
    traces = []
    bands = ((0, 0.2, 0.6), (0.2, 0.6, 1.6), (0.6, 1.01, 3.2))
    for sign, colour in ((1, POSITIVE), (-1, NEGATIVE)):
        for low, high, width in bands:
            pick = ((np.sign(seg[:, 4]) == sign) & (strength >= low)
                    & (strength < high))
            if not pick.any():
                continue
            s = seg[pick]
            nan = np.full(len(s), np.nan)
            x = np.stack([s[:, 0], s[:, 2], nan], 1).ravel()
            y = np.stack([s[:, 1], s[:, 3], nan], 1).ravel()
            traces.append(dict(type="scatter", mode="lines", x=typed(x),
                               y=typed(y), hoverinfo="skip", opacity=0.75,
                               line=dict(color=colour, width=width)))
    return traces
