"""``live_chart``: a plotly chart that updates in place.

Streamlit 1.67's ``st.plotly_chart`` derives a chart's identity from its
content, so every new figure mounts a new chart: the old one vanishes
and the new one is drawn from scratch. Ten times a second, on a busy
classroom laptop, a chart then spends most of its time blank. This
custom component keeps one plotly.js chart mounted per key and hands it
each new figure through ``Plotly.react``.

plotly.js itself is not in this repository: at start-up it is copied from
the installed plotly package into a temporary folder beside our page.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import plotly
import streamlit.components.v1 as components

_HERE = Path(__file__).parent / "live_chart"
_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def _asset_folder():
    page = (_HERE / "index.html").read_bytes()
    tag = hashlib.sha1(page + plotly.__version__.encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"dl-playground-chart-{tag}"
    if not (folder / "plotly.min.js").exists():
        # Build in a private folder, then rename: two processes starting
        # at once never serve a half-copied file.
        work = Path(tempfile.mkdtemp(prefix="dl-playground-chart-"))
        shutil.copy(_HERE / "index.html", work / "index.html")
        shutil.copy(_PLOTLY_JS, work / "plotly.min.js")
        try:
            os.replace(work, folder)
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    return folder


_component = components.declare_component("live_chart",
                                          path=str(_asset_folder()))


def live_chart(figure, key, config=None):
    """Show a plotly ``figure``; later calls with the same ``key`` update it.

    Parameters
    ----------
    figure : dict or plotly.graph_objects.Figure
        As ``dlcore.figures`` makes them; ``layout.height`` sets the
        frame's height (default 400 px).
    key : str
        Identity of the chart on the page.
    config : dict, optional
        plotly.js config; the mode bar is hidden unless asked for.
    """
    if hasattr(figure, "to_json"):
        spec = figure.to_json(validate=False)
    else:
        spec = json.dumps(figure, separators=(",", ":"))
    _component(figure=spec, config=config or {}, key=key, default=None)
