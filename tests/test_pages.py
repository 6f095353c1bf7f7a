"""Every page loaded with Streamlit's AppTest; the playground driven
through its widgets and its URL."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))
TIMEOUT = 60


def load(query=None):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def metric(app, label):
    return next(m.value for m in app.metric if m.label == label)


def text_of(elements):
    return " ".join(e.value for e in elements)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_loads_without_exception(page):
    app = AppTest.from_file(str(page), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert app.title


def test_app_opens_on_the_playground():
    app = load()
    assert not app.exception
    assert app.title[0].value == "MLP playground"
    assert metric(app, "Epoch") == "0"
    assert {b.label for b in app.button} >= {"Play", "Step", "Reset"}


def test_step_advances_the_epoch_and_lowers_the_loss():
    app = load({"feat": "x1sq,x2sq", "lr": "0.1"})
    before = float(metric(app, "Train loss"))
    for _ in range(5):
        app.button(key="mlp.step").click().run()
    assert not app.exception
    assert metric(app, "Epoch") == "5"
    assert float(metric(app, "Train loss")) < 0.8 * before


def test_settings_round_trip_through_the_url():
    query = {"data": "xor", "noise": "20", "layers": "6,3", "act": "relu",
             "opt": "momentum", "mom": "0.8", "lr": "0.1", "seed": "42",
             "sched": "step", "every": "7", "bn": "1"}
    first = load(query)
    assert not first.exception
    assert first.selectbox(key="mlp.w.dataset").value == "xor"
    assert first.selectbox(key="mlp.w.activation").value == "relu"
    assert first.slider(key="mlp.w.momentum").value == pytest.approx(0.8)
    assert first.toggle(key="mlp.w.batch_norm").value is True
    written = {k: first.query_params[k] for k in first.query_params}
    assert {k: written[k] for k in query} == query

    # The written link replays the same run.
    second = load(written)
    for app in (first, second):
        for _ in range(3):
            app.button(key="mlp.step").click().run()
    assert metric(first, "Train loss") == metric(second, "Train loss")
    assert metric(first, "Epoch") == metric(second, "Epoch") == "3"


def test_bad_url_values_are_noted_and_never_raise():
    app = load({"lr": "fast", "layers": "99,0", "data": "nope",
                "noise": "-5", "wd": "0.05", "colour": "red",
                "hide": "lr,bogus", "feat": "x9"})
    assert not app.exception
    notes = text_of(app.warning)
    for word in ("lr=fast", "Hidden layers", "data=nope", "Noise",
                 "Weight decay", "'colour'", "'bogus'", "feat=x9"):
        assert word in notes
    assert app.selectbox(key="mlp.w.dataset").value == "circle"
    assert app.number_input(key="mlp.w.layers.0").value == 32
    assert app.number_input(key="mlp.w.layers.1").value == 1
    assert app.slider(key="mlp.w.noise").value == 0
    assert app.select_slider(key="mlp.w.weight_decay").value == 0.03
    assert metric(app, "Epoch") == "0"


def test_hidden_controls_are_absent_but_their_values_hold():
    app = load({"hide": "lr,noise", "lr": "0.3"})
    keys = {w.key for w in app.select_slider} | {w.key for w in app.slider}
    assert "mlp.w.learning_rate" not in keys
    assert "mlp.w.noise" not in keys
    assert metric(app, "lr") == "0.3"
    assert app.query_params["hide"] == "lr,noise"


def test_a_new_learning_rate_keeps_the_network_new_data_resets_it():
    app = load()
    for _ in range(3):
        app.button(key="mlp.step").click().run()
    app.select_slider(key="mlp.w.learning_rate").set_value(0.1).run()
    assert metric(app, "Epoch") == "3"
    assert metric(app, "lr") == "0.1"
    app.selectbox(key="mlp.w.dataset").set_value("moons").run()
    assert metric(app, "Epoch") == "0"


def test_divergence_is_a_lesson_not_a_crash():
    app = load({"lr": "10", "act": "relu", "layers": "16,16",
                "loss": "squared_error", "opt": "sgd", "wd": "0"})
    for _ in range(10):
        if app.button(key="mlp.step").disabled:
            break
        app.button(key="mlp.step").click().run()
    assert not app.exception
    assert "diverged" in text_of(app.error).lower()
    assert app.button(key="mlp.play").disabled
    assert app.button(key="mlp.step").disabled
    app.button(key="mlp.reset").click().run()
    assert metric(app, "Epoch") == "0"
    assert not app.button(key="mlp.play").disabled
    assert not app.error


def test_play_turns_into_pause():
    app = load()
    app.button(key="mlp.play").click().run()
    assert app.button(key="mlp.play").label == "Pause"
    app.button(key="mlp.play").click().run()
    assert app.button(key="mlp.play").label == "Play"


def test_regression_and_three_classes_render():
    for query in ({"data": "multi_gauss"},
                  {"data": "spiral3", "loss": "cross_entropy"}):
        app = load(query)
        app.button(key="mlp.step").click().run()
        assert not app.exception
        assert metric(app, "Epoch") == "1"


def test_emptying_the_features_keeps_the_last_one():
    app = load({"feat": "x1"})
    app.pills(key="mlp.w.features").set_value([]).run()
    assert not app.exception
    assert app.pills(key="mlp.w.features").value == ["x1"]
    assert app.query_params["feat"] == "x1"


def test_repeated_unknown_hide_names_give_one_note():
    app = load({"hide": ",".join(["zz"] * 300), "y" * 5000: "1"})
    notes = [w.value for w in app.warning]
    assert len(notes) == 2
    assert max(len(n) for n in notes) < 120


def test_page_says_which_batch_size_the_trainer_uses():
    app = load({"bn": "1", "batch": "1"})
    captions = [c.value for c in app.sidebar.caption]
    assert "Batch size in use: 2." in captions
