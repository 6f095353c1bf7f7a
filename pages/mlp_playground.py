"""MLP playground: watch a multilayer perceptron learn a 2D data set."""

import streamlit as st

from dlcore import datasets
from dlcore import playground as pg
from dlcore.features import FEATURES, feature_label
from ui.charts import live_chart
from ui.controls import Controls
from ui.live import LivePanel, divergence_message, status_line

P = "mlp"

st.title("MLP playground")
st.markdown(
    "Each unit takes a weighted sum of its inputs plus a bias, then an "
    "activation. Press **Play**: the units (left) combine into the "
    "decision boundary (right) as the loss falls. The address bar always "
    "holds a link that replays this run.")

controls = Controls(P, pg.SETTINGS, labels={
    "dataset": pg.DATASET_LABELS, "activation": pg.ACTIVATION_LABELS,
    "loss": pg.LOSS_LABELS, "optimizer": pg.OPTIMIZER_LABELS,
    "schedule": pg.SCHEDULE_LABELS,
    "features": {k: feature_label(k) for k in FEATURES},
})
state = st.session_state
state.setdefault(P + ".upload", None)
state.setdefault(P + ".upload_error", None)
values = controls.values

for note in controls.notes:
    st.warning(note)


def read_upload(file):
    """Parse a newly uploaded CSV; a bad file leaves the data as it was."""
    if file is None or state.get(P + ".upload_seen") == file.file_id:
        return
    state[P + ".upload_seen"] = file.file_id
    try:
        dataset = datasets.parse_csv(file.getvalue(), name=file.name)
    except datasets.DataError as err:
        state[P + ".upload_error"] = f"{file.name}: {err}"
        return
    except Exception as err:
        # Whatever else a strange file triggers: a message, never a crash.
        state[P + ".upload_error"] = (f"{file.name} could not be read "
                                      f"({type(err).__name__}).")
        return
    state[P + ".upload"] = (dataset, file.file_id)
    state[P + ".upload_error"] = None
    controls.set("dataset", "upload")


with st.sidebar:
    st.header("Data")
    with st.expander("Upload a CSV"):
        st.caption("Header `x1,x2,label` (classes) or `x1,x2,target` "
                   "(regression), then one point a line; at most 5000.")
        read_upload(st.file_uploader("CSV file", type=["csv", "txt"],
                                     key=P + ".file"))
    if state[P + ".upload_error"]:
        st.error(state[P + ".upload_error"] + " The data set is unchanged.")
    elif state[P + ".upload"] and values["dataset"] == "upload":
        for note in state[P + ".upload"][0].notes:
            st.info(note)
    if values["dataset"] == "upload" and state[P + ".upload"] is None:
        controls.set("dataset", "circle")
        st.info("A link cannot carry an uploaded file; showing Circle.")
    options = [d for d in pg.DATASET_LABELS
               if d != "upload" or state[P + ".upload"] is not None]
    controls.widget("dataset", options=options)
    if values["dataset"] != "upload":
        controls.widget("noise")
        controls.widget("n_points")
    controls.widget("train_ratio")
    controls.widget("features")

    st.header("Network")
    controls.int_list("layers", "Hidden layers")
    controls.widget("activation")
    if values["activation"] == "leaky_relu":
        controls.widget("leaky_slope")
    if values["activation"] == "elu":
        controls.widget("elu_alpha")
    controls.widget("batch_norm")
    controls.widget("loss", widget="segmented")

    st.header("Training")
    controls.widget("optimizer")
    if values["optimizer"] != "gd":
        controls.widget("batch_size")
    controls.widget("learning_rate")
    controls.widget("schedule", widget="segmented")
    if values["schedule"] == "step":
        controls.widget("step_every")
        controls.widget("step_factor")
    if values["schedule"] == "exponential":
        controls.widget("decay_gamma")
    if values["optimizer"] == "momentum":
        controls.widget("momentum")
        controls.widget("momentum_ramp")
        if values["momentum_ramp"]:
            controls.widget("ramp_epoch")
    controls.widget("weight_decay")
    controls.widget("seed", widget="number")


def rebuild():
    """A new network (and data) from the current settings."""
    upload = state[P + ".upload"]
    data = pg.make_data(values, upload[0] if upload else None)
    state[P + ".trainer"] = pg.build_trainer(values, data)
    state[P + ".applied"] = dict(values)


upload_id = state[P + ".upload"][1] if state[P + ".upload"] else None
key = pg.structure_key(values, upload_id)
if state.get(P + ".key") != key:
    rebuild()
    state[P + ".key"] = key
elif state[P + ".applied"] != values:
    pg.update_trainer(state[P + ".trainer"], values, state[P + ".applied"])
    state[P + ".applied"] = dict(values)

trainer = state[P + ".trainer"]
if trainer.data.task == "regression" and values["loss"] == "cross_entropy":
    st.caption("Regression data: the loss is squared error.")
if values["optimizer"] != "gd" and trainer.batch_size != values["batch_size"]:
    # The trainer clamps the batch (to the training set; to 2 examples
    # with batch norm): say what it uses.
    st.sidebar.caption(f"Batch size in use: {trainer.batch_size}.")

panel = LivePanel(P, lambda: state[P + ".trainer"], rebuild)
left, mid, right = st.columns([3, 4, 2], vertical_alignment="bottom")
with left:
    panel.buttons()
with mid:
    controls.widget("speed")
with right:
    controls.widget("show_test")
controls.sync_url()


def draw(trainer):
    """Everything that changes while the network trains."""
    status_line(trainer)
    if trainer.status == "diverged":
        divergence_message(trainer)
    left, right = st.columns(2)
    with left:
        live_chart(pg.network_picture(trainer), key=P + ".net")
    with right:
        live_chart(pg.boundary_picture(trainer, values["show_test"]),
                   key=P + ".boundary")
        live_chart(pg.loss_picture(trainer), key=P + ".loss")


panel.run(values["speed"], draw)
