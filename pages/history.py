"""Run history: every finished training of the session, to sort, compare and restore."""

import hashlib
import logging
from functools import partial

import streamlit as st

from lstm_core.config.fields import CELL_LABELS, CELLS
from lstm_core.errors import LSTMLabError
from lstm_core.eval.evaluation import NO_FIGURE
from lstm_core.runs.export import load_bundle, load_config
from lstm_core.runs.history import Run
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.session import session
from ui.widgets import live, next_step, plain

COMPARED_BY_DEFAULT = 3
STARTED = "started"  # a run zip checked and being rebuilt in a worker
LOGGER = logging.getLogger(__name__)


def table(runs: list[Run]) -> None:
    st.dataframe(
        [run.row() for run in reversed(runs)], hide_index=True, placeholder=NO_FIGURE,
        column_config={
            "test RMSE": st.column_config.NumberColumn(format="%.4g"),
            "test MAE": st.column_config.NumberColumn(format="%.4g"),
            "naive RMSE": st.column_config.NumberColumn(format="%.4g"),
        },
    )
    limit = session().training.history.limit
    st.caption(f"The latest {limit} runs of this session are kept; click a column's "
               "header to sort by it. Runs are yours alone: nobody else on the server sees them.")


def compare(runs: list[Run]) -> None:
    numbers = [run.number for run in runs]
    training = session().training
    if "history.compare" not in st.session_state:
        st.session_state["history.compare"] = numbers[-COMPARED_BY_DEFAULT:]
    elif numbers[-1] > training.compared_up_to:
        # runs filed since the comparison was last drawn join the runs chosen, to compare at once
        kept = [n for n in st.session_state["history.compare"] if n in numbers]
        st.session_state["history.compare"] = kept + [n for n in numbers if n > training.compared_up_to]
    training.compared_up_to = numbers[-1]
    chosen = st.multiselect("Runs to compare", numbers, format_func=lambda n: f"run {n}",
                            key="history.compare", help=HELP["history_compare"])
    picked = [run for run in runs if run.number in chosen]
    if not picked:
        st.caption("Pick one or more runs to overlay their loss curves and test predictions.")
        return
    st.dataframe([run.comparison() for run in picked], hide_index=True, placeholder=NO_FIGURE,
                 column_config={name: st.column_config.NumberColumn(format="%.4g") for name in
                                ("test RMSE", "rollout RMSE", "error at step 1", "error at the last step",
                                 "its RMSE")})
    st.caption("Test RMSE: one step ahead. Rollout: the forecast from the start of the test part over "
               "all of it (recursive: fed its own outputs; direct: all steps at once), its error at the "
               "first and the last step. Best yardstick: the lowest test RMSE among the baselines and "
               "classical models.")
    log_scale = st.toggle("Logarithmic loss axis", value=True, key="history.log_scale",
                          help=HELP["log_scale"])
    st.plotly_chart(plots.runs_loss_figure(picked, log_scale))
    like_with_like(picked)
    other_cells()


def same_data(runs: list[Run]) -> list[list[Run]]:
    """``runs`` in groups trained on the same data and test part, in the order they come."""
    groups: list[list[Run]] = []
    for run in runs:
        home = next((group for group in groups
                     if group[0].same_data(run.series, run.evaluation.test_times)), None)
        if home is None:
            groups.append([run])
        else:
            home.append(run)
    return groups


def like_with_like(runs: list[Run]) -> None:
    """The test predictions and the error by horizon, one pair of charts per data: runs on other
    data have other units and other test parts (a sine's 200 steps, an airline's 26 months)."""
    groups = same_data(runs)
    if len(groups) > 1:
        st.caption("These runs were trained on different data: each is compared with the runs on the "
                   "same data and test part only, under the name of that data.")
    for group in groups:
        if len(groups) > 1:
            numbers = ", ".join(f"run {run.number}" for run in group)
            st.markdown(f"**{plain(group[0].label)}**: {numbers}")
        first = group[0].number
        st.plotly_chart(plots.runs_predictions_figure(group), key=f"history.predictions.{first}")
        st.plotly_chart(plots.runs_horizon_figure(group), key=f"history.horizon.{first}")


def other_cells() -> None:
    """One click: the current settings trained again with another network."""
    current = session()
    data, config = current.dataset(), current.config
    if data is None:
        return
    st.markdown(f"**Would a simpler network do as well?** Train the current settings "
                f"({CELL_LABELS[config.cell]}, {config.strategy}) with another network:")
    with st.container(horizontal=True):
        for cell in CELLS:
            if cell != config.cell:
                st.button(f"Train as {CELL_LABELS[cell]}", key=f"history.train_as.{cell}",
                          icon=":material/play_arrow:", disabled=current.training.job.running,
                          on_click=current.train_as, args=(cell, data))
    if current.training.job.running:
        st.caption("A training runs: its run appears here when it ends (see Model & training).")


def restore_picked() -> None:
    """The Restore button's callback: it runs before the page, so the whole page (the line that
    offers to train the current settings as another network, too) shows the restored run."""
    current = session()
    run = current.training.history.get(st.session_state["history.restore_pick"])
    if run is not None:
        current.restore(run)


def restore(runs: list[Run]) -> None:
    current = session()
    numbers = [run.number for run in runs]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Run", list(reversed(numbers)), format_func=lambda n: f"run {n}",
                     key="history.restore_pick", help=HELP["history_restore"])
        st.button("Restore this run", icon=":material/restore:", key="history.restore",
                  disabled=current.training.job.running, on_click=restore_picked)
    number = current.training.restored.take()
    run = current.training.history.get(number) if number is not None else None
    if run is not None:
        st.success(f"Run {number} is current again: its settings are back in every widget, and the "
                   f"Results, Forecast and How the LSTM works pages show it (data: {plain(run.label)}).",
                   icon=":material/restore:")
        next_step("results", "See its results")


def import_file() -> None:
    """A run bundle (zip) becomes the current run; a config (JSON) the current settings."""
    upload = st.file_uploader("Import a run (.zip) or settings (.json) exported by LSTM Lab",
                              type=["zip", "json"], key="history.import", help=HELP["history_import"])
    if upload is None:
        return
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()  # read once per file, not on every rerun
    current = session()
    kind, message = current.history_import.get(digest, lambda: read_import(upload.name, content, digest))
    if kind == STARTED:
        if digest not in current.imports.outcomes:
            live(partial(rebuilding, upload.name), current.imports.job)
            return
        kind, message = current.imports.outcomes[digest]
    (st.success if kind == "ok" else st.error)(plain(message), icon=":material/upload_file:")


def rebuilding(name: str) -> None:
    snap = session().imports.job.snapshot()
    if snap.running:
        st.info(f"Importing {plain(name)}: the file is checked; {plain(snap.activity)}…",
                icon=":material/hourglass_top:")


def read_import(name: str, content: bytes, digest: str) -> tuple[str, str]:
    """What importing the file gave, as (kind, message); never an exception: a file is anyone's.

    A run zip is checked here (cheap and bounded) and rebuilt in a worker: then the kind is
    STARTED, and the session files the run when the worker is done.
    """
    try:
        if name.lower().endswith(".json"):
            session().use_config(load_config(content))
            return "ok", f"Settings imported from {name}: they are in every widget now; train to use them."
        session().imports.start(digest, name, load_bundle(content))
    except LSTMLabError as exc:
        return "error", f"{name} was not imported: {exc}."
    except Exception:  # a file no check foresaw: the page goes on, and the log keeps the why
        LOGGER.exception("importing %r failed", name)
        return "error", (f"{name} was not imported: it could not be read as an LSTM Lab run (.zip) or "
                         "settings (.json).")
    return STARTED, ""


require_entry()
st.title("Run history")
st.caption("Every training of this session, with its settings, errors and loss curves: compare "
           "what you tried and bring any run back.")
import_file()
runs = list(session().training.history)
if not runs:
    st.info("No finished training yet: train a model and it appears here.", icon=":material/info:")
    next_step("model", "Go to Model & training")
else:
    table(runs)
    st.subheader("Compare")
    compare(runs)
    st.subheader("Restore")
    restore(runs)
