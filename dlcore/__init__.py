"""dlcore: the engine of the Deep Learning Playground.

Plain Python, numpy and (for ``torch_model``) torch; never streamlit.

- ``datasets``, ``features``: 2D data sets, CSV files, splits, inputs;
- ``activations``, ``losses``, ``mlp``: a numpy MLP with backpropagation;
- ``torch_model``: any torch module behind the same interface;
- ``optimizers``, ``schedules``: updates of a flat parameter vector;
- ``trainer``, ``history``: training a few steps at a time, with metrics;
- ``introspect``: unit maps, output maps, gradient sizes;
- ``figures``: plotly figures (as dicts) from arrays;
- ``settings``, ``playground``: declared settings, URL round trip, and
  the MLP playground's settings turned into a trainer and its pictures.
"""
