"""The live-training panel: Play/Pause, Step, Reset, speed and status.

While playing, a fragment reruns every ``INTERVAL`` seconds: it trains for
a slice of wall-clock time, then redraws. The rest of the page, sidebar
included, is not rerun by a tick, so Pause and every slider answer at
once. Training per tick is bounded in time, not in epochs: a tick that
outlasts the interval makes Streamlit drop its output, because the
browser's timer asks for the next run anyway, and the charts freeze.
"""

import logging
import math
import time
import uuid

import streamlit as st

LOG = logging.getLogger(__name__)
INTERVAL = 0.15
TICK_BUDGET = 0.7 * INTERVAL

# Sessions that ticked in the last second, across this server process.
# Every session's script runs in one Python process, which computes on
# about one core (the GIL): the training time of a tick is shared out, or
# five playing students would each overrun the interval and their charts
# would freeze.
_LAST_TICK = {}


def _share_of_budget(session, now):
    _LAST_TICK[session] = now
    for other, seen in list(_LAST_TICK.items()):
        if now - seen > 1.0:
            _LAST_TICK.pop(other, None)
    return TICK_BUDGET / max(1, len(_LAST_TICK))


class LivePanel:
    """Controls and ticking for one trainer kept in session state.

    Parameters
    ----------
    prefix : str
        Session-state prefix of the page.
    get_trainer : callable () -> Trainer
        Returns the page's current trainer.
    reset : callable () -> None
        Builds a fresh trainer (Reset button and after divergence).
    """

    def __init__(self, prefix, get_trainer, reset):
        self.prefix = prefix
        self.get_trainer = get_trainer
        self.reset = reset
        state = st.session_state
        for name, value in (("playing", False), ("credit", 0.0),
                            ("last_tick", None), ("draw_seconds", 0.03),
                            ("session", uuid.uuid4().hex)):
            state.setdefault(f"{prefix}.{name}", value)

    def _get(self, name):
        return st.session_state[f"{self.prefix}.{name}"]

    def _put(self, name, value):
        st.session_state[f"{self.prefix}.{name}"] = value

    @property
    def playing(self):
        return self._get("playing")

    def _set_playing(self, playing):
        # Set, never toggle: Streamlit may deliver one click twice when it
        # coalesces a click with a timer's rerun, and a toggle would then
        # undo the click.
        self._put("playing", playing)
        self._put("last_tick", None)

    def _step(self):
        self._put("playing", False)
        self.get_trainer().run_epochs(1)

    def _reset(self):
        self._put("playing", False)
        self.reset()

    def buttons(self):
        """Draw Play/Pause, Step and Reset in a row."""
        diverged = self.get_trainer().status == "diverged"
        row = st.container(horizontal=True)
        row.button("Pause" if self.playing else "Play",
                   on_click=self._set_playing, args=(not self.playing,),
                   type="primary", width="content",
                   disabled=diverged, key=f"{self.prefix}.play")
        row.button("Step", on_click=self._step, width="content",
                   disabled=diverged, help="Train one epoch",
                   key=f"{self.prefix}.step")
        row.button("Reset", on_click=self._reset, width="content",
                   type="primary" if diverged else "secondary",
                   help="A new network from the seed; settings stay",
                   key=f"{self.prefix}.reset")

    def run(self, speed, draw):
        """Train while playing, at ``speed`` epochs per second, and draw.

        ``draw(trainer)`` renders everything that changes as it trains;
        it runs in the fragment, after each slice of training.
        """
        run_every = INTERVAL if self.playing else None

        @st.fragment(run_every=run_every)
        def tick():
            trainer = self.get_trainer()
            if self.playing:
                self._train(trainer, speed)
            if self.playing and trainer.status == "diverged":
                self._put("playing", False)
                # Redraw the whole page: Play turns off, Reset lights up.
                st.rerun(scope="app")
            start = time.perf_counter()
            try:
                draw(trainer)
            except Exception as err:
                # A bug in a figure must not take the page down with it:
                # say so in words, keep the controls and the network.
                LOG.exception("drawing failed")
                self._put("playing", False)
                st.error(f"Could not draw this view ({type(err).__name__}: "
                         f"{err}). Training is paused; the network is kept.")
            self._put("draw_seconds", time.perf_counter() - start)

        tick()

    def _train(self, trainer, speed):
        now = time.perf_counter()
        last = self._get("last_tick")
        elapsed = INTERVAL if last is None else min(now - last, 1.0)
        self._put("last_tick", now)
        # Epochs are owed at ``speed`` a second of wall clock; the credit
        # carries fractions (1 epoch a second is 0.15 a tick).
        credit = self._get("credit") + speed * elapsed
        epochs = int(credit)
        self._put("credit", min(credit - epochs, 1.0))
        if epochs < 1 and not trainer.in_epoch:
            return
        share = _share_of_budget(self._get("session"), now)
        budget = max(0.01, share - self._get("draw_seconds"))
        # An epoch longer than a tick is trained a slice at a time.
        trainer.run_for(budget, max_epochs=max(epochs, 1))


def status_line(trainer):
    """The headline numbers: epoch, losses, accuracy, lr, as metrics."""
    last = trainer.history.last
    cols = st.columns(5)
    cols[0].metric("Epoch", f"{trainer.epoch:,}")
    cols[1].metric("Train loss", _fmt(last["train_loss"]))
    cols[2].metric("Test loss", _fmt(last["test_loss"]))
    acc = last["accuracy"]
    cols[3].metric("Test accuracy",
                   "—" if math.isnan(acc) else f"{100 * acc:.1f}%")
    # The rate the next step uses: a new learning rate shows at once.
    cols[4].metric("lr", f"{trainer.schedule(trainer.epoch):.3g}")


def _fmt(value):
    """Four decimals where they read well, else three significant digits."""
    if not math.isfinite(value):
        return "—"
    if value != 0 and not 1e-3 <= abs(value) < 1e4:
        return f"{value:.3g}"
    return f"{value:.4f}"


def divergence_message(trainer, what="the learning rate"):
    """A lesson, not a crash: say what happened and what to try."""
    d = trainer.divergence
    st.error(
        f"**Training diverged** in epoch {d['epoch']:,} (step "
        f"{d['step']:,}): the loss became {d['loss']}. The updates grew "
        f"instead of shrinking, which usually means {what} is too large "
        "for this network. Numbers and pictures show the network after "
        f"epoch {d['epoch'] - 1:,}, the last that finished. Lower it, "
        "then press **Reset**.")
