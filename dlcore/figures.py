"""Pure data-to-figure functions for plotly; nothing here trains.

Arrays go into figures as float32 numpy arrays: plotly sends those as
compact binary, about a third of the size of Python lists.
"""

import numpy as np
import plotly.graph_objects as go

from dlcore.datasets import EXTENT

NEGATIVE = "#f59322"
POSITIVE = "#0877bd"
MIDDLE = "#f4f4f4"
CLASS_COLOURS = ("#f59322", "#0877bd", "#2ca25f", "#8e44ad",
                 "#d62728", "#8c564b")
DIVERGING = [[0.0, NEGATIVE], [0.5, MIDDLE], [1.0, POSITIVE]]

# A small template of our own: plotly's default one is embedded in every
# figure's JSON and would add about 10 KB to each live update.
TEMPLATE = go.layout.Template(layout=dict(
    font=dict(family="Source Sans Pro, sans-serif", size=13,
              color="#31333f"),
    paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    xaxis=dict(gridcolor="#e6e6e6", linecolor="#bbbbbb"),
    yaxis=dict(gridcolor="#e6e6e6", linecolor="#bbbbbb"),
    hoverlabel=dict(font_size=14)))


def _f32(values):
    return np.asarray(values, dtype=np.float32)


def _class_scale(n_classes):
    """Colour scale where z in [k, k+1) is class k, pale to saturated."""
    scale = []
    for k, colour in enumerate(CLASS_COLOURS[:n_classes]):
        scale.append([k / n_classes, MIDDLE])
        scale.append([(k + 1) / n_classes - 1e-6, colour])
    scale[-1][0] = 1.0
    return scale


def _square_axes(fig, height):
    axis = dict(range=[-EXTENT, EXTENT], showgrid=False, zeroline=False,
                tickvals=[-6, -3, 0, 3, 6], constrain="domain")
    fig.update_layout(
        xaxis=dict(axis, title="x₁"),
        yaxis=dict(axis, title="x₂", scaleanchor="x", scaleratio=1),
        height=height, margin=dict(l=40, r=10, t=10, b=40),
        showlegend=False, uirevision="keep")


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
        Training points (filled) and test points (drawn with a dark ring).
    """
    fig = go.Figure(layout=dict(template=TEMPLATE))
    if scores.ndim == 3:
        best = np.argmax(scores, axis=2)
        confidence = (scores.max(axis=2) - 1 / n_classes) / (1 - 1 / n_classes)
        z = best + 0.999 * np.clip(confidence, 0, 1)
        heat = dict(colorscale=_class_scale(n_classes), zmin=0,
                    zmax=n_classes)
    else:
        z = scores
        heat = dict(colorscale=DIVERGING, zmin=-1, zmax=1)
    fig.add_trace(go.Heatmap(x=_f32(axis), y=_f32(axis), z=_f32(z),
                             showscale=False, hoverinfo="skip", **heat))
    for part, ring in ((train, "white"), (test, "#222222")):
        if part is not None and len(part[0]):
            fig.add_trace(_points(part, task, n_classes, ring))
    _square_axes(fig, height)
    return fig


def _points(part, task, n_classes, ring):
    points, y = part
    if task == "regression":
        colour = dict(color=_f32(y), colorscale=DIVERGING, cmin=-1, cmax=1)
    elif n_classes == 2:
        colour = dict(color=_f32(y), colorscale=[[0, NEGATIVE], [1, POSITIVE]],
                      cmin=0, cmax=1)
    else:
        scale = [[k / (n_classes - 1), c]
                 for k, c in enumerate(CLASS_COLOURS[:n_classes])]
        colour = dict(color=_f32(y), colorscale=scale, cmin=0,
                      cmax=n_classes - 1)
    return go.Scatter(
        x=_f32(points[:, 0]), y=_f32(points[:, 1]), mode="markers",
        marker=dict(size=6, line=dict(width=1, color=ring), **colour),
        hoverinfo="skip")


def loss_figure(epochs, train_loss, test_loss, lr=None, height=260,
                diverged_at=None):
    """Training and test loss per epoch, log scale, lr on a second axis.

    Parameters
    ----------
    epochs, train_loss, test_loss, lr : arrays (n,)
        As in ``Trainer.history``; non-finite values are dropped.
    diverged_at : int or None
        Epoch in which training diverged, marked with a red line.
    """
    fig = go.Figure(layout=dict(template=TEMPLATE))
    lines = (("train_loss", train_loss, "#333333", "solid"),
             ("test_loss", test_loss, "#999999", "dash"))
    for name, values, colour, dash in lines:
        keep = np.isfinite(values) & (values > 0)
        fig.add_trace(go.Scatter(
            x=_f32(epochs[keep]), y=_f32(values[keep]), name=name,
            mode="lines", line=dict(color=colour, dash=dash, width=2)))
    if lr is not None:
        fig.add_trace(go.Scatter(
            x=_f32(epochs), y=_f32(lr), name="lr", yaxis="y2",
            mode="lines", line=dict(color="#2ca25f", width=1.5, dash="dot")))
    if diverged_at is not None:
        fig.add_vline(x=diverged_at, line=dict(color="#d62728", width=2),
                      annotation_text="diverged")
    fig.update_layout(
        height=height, margin=dict(l=50, r=50, t=10, b=40),
        xaxis=dict(title="epoch", rangemode="tozero"),
        yaxis=dict(title="loss", type="log"),
        yaxis2=dict(title="lr", type="log", overlaying="y", side="right",
                    showgrid=False),
        legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"),
        uirevision="keep")
    return fig


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
        ``weights[i]`` joins column i to column i + 1.
    titles : list of str
        A caption over each column; for the input column, the feature
        names can be given as ``titles[0]`` = list of str.
    max_edges : int, default 400
        Only the strongest edges are drawn beyond this many.
    """
    gap, pitch = 1.6, 1.25
    fig = go.Figure(layout=dict(template=TEMPLATE))
    centres = []
    hover_x, hover_y, hover_text = [], [], []
    for c, maps in enumerate(columns):
        x0 = c * (1 + gap)
        n = len(maps)
        ys = (np.arange(n)[::-1] - (n - 1) / 2) * pitch
        centres.append((x0, ys))
        fig.add_trace(_tile_column(maps, x0, ys))
        for j, tile in enumerate(maps):
            hover_x.append(x0 + 0.5)
            hover_y.append(ys[j])
            hover_text.append(f"{_unit_name(titles, c, j)}<br>"
                              f"range {tile.min():.2g} to {tile.max():.2g}")
    for trace in _edge_traces(weights, centres, max_edges):
        fig.add_trace(trace)
    fig.add_trace(go.Scatter(x=hover_x, y=hover_y, mode="markers",
                             marker=dict(size=18, opacity=0),
                             hovertext=hover_text, hoverinfo="text"))
    tallest = max(len(m) for m in columns)
    for c, title in enumerate(titles):
        text = title if isinstance(title, str) else "inputs"
        fig.add_annotation(x=c * (1 + gap) + 0.5,
                           y=(tallest - 1) / 2 * pitch + 0.9,
                           text=text, showarrow=False, font=dict(size=12))
    axis = dict(visible=False, fixedrange=True)
    fig.update_layout(
        height=height or max(260, 46 * tallest + 60),
        margin=dict(l=5, r=5, t=5, b=5), showlegend=False,
        xaxis=dict(axis, range=[-0.3, len(columns) * (1 + gap) - gap + 0.3]),
        yaxis=dict(axis, scaleanchor="x", scaleratio=1), uirevision="keep")
    return fig


def _unit_name(titles, c, j):
    if c == 0 and not isinstance(titles[0], str):
        return titles[0][j]
    return f"{titles[c]}, unit {j + 1}"


def _tile_column(maps, x0, ys):
    """One heatmap trace holding a column of tiles, NaN rows between."""
    n, res, _ = maps.shape
    scale = np.abs(maps).reshape(n, -1).max(axis=1)
    scaled = maps / np.where(scale > 1e-12, scale, 1.0)[:, None, None]
    rows, y = [], []
    blank = np.full((1, res), np.nan)
    for j in range(n - 1, -1, -1):
        bottom = ys[j] - 0.5
        # A NaN row just below and just above each tile keeps the tile's
        # cells exactly 1/res high and leaves the gap between tiles empty.
        rows += [blank, scaled[j], blank]
        y += [bottom - 0.5 / res]
        y += list(bottom + (np.arange(res) + 0.5) / res)
        y += [bottom + 1 + 0.5 / res]
    x = x0 + (np.arange(res) + 0.5) / res
    return go.Heatmap(x=_f32(x), y=_f32(y), z=_f32(np.vstack(rows)),
                      colorscale=DIVERGING, zmin=-1, zmax=1,
                      showscale=False, hoverinfo="skip")


def _edge_traces(weights, centres, max_edges):
    segments = []
    for i, w in enumerate(weights):
        (xa, ya), (xb, yb) = centres[i], centres[i + 1]
        a, b = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]),
                           indexing="ij")
        segments.append(np.stack([
            np.full(w.size, xa + 1), ya[a.ravel()],
            np.full(w.size, xb), yb[b.ravel()], w.ravel()], axis=1))
    if not segments:
        return []
    seg = np.concatenate(segments)
    if len(seg) > max_edges:
        seg = seg[np.argsort(-np.abs(seg[:, 4]))[:max_edges]]
    strength = np.abs(seg[:, 4]) / max(np.abs(seg[:, 4]).max(), 1e-12)
    traces = []
    for sign, colour in ((1, POSITIVE), (-1, NEGATIVE)):
        for low, high, width in ((0, 0.2, 0.5), (0.2, 0.6, 1.5), (0.6, 1.01, 3)):
            pick = (np.sign(seg[:, 4]) == sign) & (strength >= low) \
                & (strength < high)
            if not pick.any():
                continue
            s = seg[pick]
            nan = np.full(len(s), np.nan)
            x = np.stack([s[:, 0], s[:, 2], nan], 1).ravel()
            y = np.stack([s[:, 1], s[:, 3], nan], 1).ravel()
            traces.append(go.Scatter(
                x=_f32(x), y=_f32(y), mode="lines", hoverinfo="skip",
                line=dict(color=colour, width=width), opacity=0.7))
    return traces
