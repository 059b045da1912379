"""Sequence lab: the running-sum task, many-to-one against many-to-many, and carrying the state."""

from functools import partial

import pandas as pd
import streamlit as st

from lstm_core.data.sum_task import KINDS, MANY_TO_MANY, MAX_TEXT_CHARS, parse_bits
from lstm_core.errors import ConfigError
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.jobs.job import FAILED, IDLE
from lstm_core.runs.sequence_lab import LabModel
from ui import gate_plots
from ui.frame import require_entry
from ui.help import HELP
from ui.session import Kept, bound, prewarm, session
from ui.widgets import capitalized, duration, live, plain, sentence, show_problems

KIND_LABELS = {"many_to_one": "many-to-one", "many_to_many": "many-to-many"}
# (setting, label, lowest, highest, step); the defaults are LabSettings'.
WHOLE_SETTINGS = (
    ("length", "Training length L", 2, 100, 1),
    ("units", "Units", 1, 64, 1),
    ("epochs", "Epochs", 1, 300, 1),
    ("samples", "Training sequences", 100, 20_000, 100),
)
SHOWN_LENGTHS = (1, 5, 10, 20, 30, 40)


def setting_widgets() -> None:
    chosen = session().lab.settings
    st.radio("Kind", KINDS, format_func=KIND_LABELS.get, horizontal=True, help=HELP["lab_kind"],
             **bound("lab.kind", chosen.kind, partial(setattr, chosen, "kind")))
    for column, (name, label, low, high, step) in zip(st.columns(len(WHOLE_SETTINGS)), WHOLE_SETTINGS,
                                                      strict=True):
        column.number_input(label, low, high, step=step, help=HELP[f"lab_{name}"],
                            **bound(f"lab.{name}", getattr(chosen, name), partial(setattr, chosen, name)))


def train_controls() -> None:
    lab = session().lab
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Train", type="primary", icon=":material/play_arrow:", on_click=lab.train,
                  key="lab.train")
        st.button("Stop", icon=":material/stop:", disabled=not lab.job.running, on_click=lab.job.stop,
                  key="lab.stop")
        st.caption("Small trainings: seconds each. Train one kind, then the other, to compare them.")
    refusal = lab.refusal.take()
    if refusal:
        st.warning(plain(sentence(refusal)), icon=":material/block:")


def training_panel() -> None:
    job = session().lab.job
    snap = job.snapshot()
    if snap.state == IDLE:
        st.caption("Press Train: the loss curve will grow here, epoch by epoch.")
        return
    if snap.running:
        text = (f"Epoch {snap.epoch} of {snap.total_epochs} · {duration(snap.elapsed)} elapsed"
                if snap.epochs else f"{capitalized(snap.activity)}… ({duration(snap.elapsed)})")
        st.progress(snap.fraction, text=text)
    elif snap.state == FAILED:
        show_problems([snap.error or "the training failed"])
    elif job.result is not None:
        st.success(f"{KIND_LABELS[job.result.kind]} at L = {job.result.length}: "
                   f"{job.result.training.message}, in {duration(snap.elapsed)}.",
                   icon=":material/check_circle:")
    if snap.epochs:
        st.plotly_chart(gate_plots.lab_loss_figure(snap.history, snap.best_epoch))


def label(model: LabModel) -> str:
    return f"{KIND_LABELS[model.kind]} (L = {model.length})"


def error_by_length(trained: dict[str, LabModel]) -> None:
    st.subheader("Error by sequence length")
    if not trained:
        st.info("Train a model above: its error at every length from 1 to 2L will be drawn here.",
                icon=":material/info:")
        return
    ordered = [trained[kind] for kind in KINDS if kind in trained]
    st.plotly_chart(gate_plots.mse_by_length_figure({label(m): (m.mse, m.length) for m in ordered}))
    longest = max(len(m.mse) for m in ordered)
    lengths = sorted({n for n in SHOWN_LENGTHS if n <= longest} | {m.length for m in ordered})
    columns = [f"length {n}" for n in lengths]
    table = pd.DataFrame([[label(m), *[m.mse[n - 1] if n <= len(m.mse) else None for n in lengths]]
                          for m in ordered], columns=["MSE of the sum", *columns])
    st.dataframe(table, hide_index=True,
                 column_config={c: st.column_config.NumberColumn(format="%.3g") for c in columns})
    st.caption("The many-to-many model learned the running sum after every step, so it has seen every "
               "length up to L; the many-to-one model only ever answered at step L, and is accurate "
               "only near it. Past L, neither has learned to count that far.")


def keep_first(net: NumpyNet) -> None:
    """The button's callback: run the first sequence and keep its final (h, c)."""
    session().lab.keep_first(net, st.session_state["lab.first"])


def continuation(kept: Kept) -> None:
    text = st.text_input("Then continue with", "1,0,1", key="lab.second", help=HELP["lab_second"],
                         max_chars=MAX_TEXT_CHARS)
    try:
        bits = parse_bits(text)
    except ConfigError as exc:
        show_problems([str(exc)])
        return
    carried = float(kept.net.run(bits, kept.states)[0][0, -1])
    fresh = float(kept.net.run(bits)[0][0, -1])
    second_sum = int(bits.sum())
    cards = st.columns(2)
    cards[0].metric(f"Continued from the kept state (true: {kept.true_total + second_sum})",
                    f"{carried:.2f}")
    cards[1].metric(f"Same sequence from a zero state (true: {second_sum})", f"{fresh:.2f}")


def carrying_state(trained: dict[str, LabModel]) -> None:
    st.subheader("Carrying the state")
    st.caption("An LSTM remembers through (h, c). Keep them after one sequence, start the next call "
               "from them, and the count goes on, as with stateful=True in Keras.")
    if not trained:
        st.info("Train a model above first.", icon=":material/info:")
        return
    lab = session().lab
    kinds = sorted(trained, key=lambda kind: kind != MANY_TO_MANY)  # many-to-many first: it counts
    kind = st.radio("Model", kinds, format_func=KIND_LABELS.get, horizontal=True, help=HELP["lab_model"],
                    **bound("lab.model", lab.shown, partial(setattr, lab, "shown")))
    net = trained[kind].net
    left, right = st.columns(2)
    with left:
        st.text_input("First sequence", "1,1,1", key="lab.first", help=HELP["lab_first"],
                      max_chars=MAX_TEXT_CHARS)
        st.button("Run it and keep (h, c)", on_click=keep_first, args=(net,), key="lab.keep")
        if lab.first_error:
            show_problems([lab.first_error])
        kept = lab.kept_by(net)
        if kept is not None:
            st.text(f"After {kept.text} the model's running total is {kept.total:.2f}.\n"
                    f"Kept: h and c, {len(kept.states[0][0][0])} numbers each.")
            continuation(kept)
    if kept is not None:
        hidden, cell = kept.states[-1]
        right.plotly_chart(gate_plots.state_figure(hidden[0], cell[0]))


require_entry()
prewarm()
st.title("Sequence lab")
st.caption("The running-sum task: the inputs are random 0/1 sequences, the target is their sum. What "
           "return_sequences changes, and what carrying the state means.")
setting_widgets()
train_controls()
live(training_panel, session().lab.job)
trained_models = session().lab.models
error_by_length(trained_models)
carrying_state(trained_models)
