"""Backtest: the model trained again at several origins before the test part, each forecast
scored against what followed, next to every yardstick."""

from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from lstm_core.eval.evaluation import NO_FIGURE, finite
from lstm_core.jobs.job import FAILED, IDLE
from lstm_core.runs.backtest import MAX_ORIGINS, WINDOW_KINDS, BacktestResult
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.session import Dataset, bound, prewarm, session
from ui.widgets import capitalized, duration, live, plain, sentence, show_problems, usable_dataset

HORIZON_MAX = 500  # the command line allows longer ones


def setting_widgets() -> None:
    backtest = session().backtest
    spec = backtest.spec
    origins, horizon, window, refit = st.columns(4)
    origins.number_input("Origins", 1, MAX_ORIGINS, help=HELP["backtest_origins"],
                         **bound("backtest.origins", spec.origins, partial(backtest.set, "origins")))
    horizon.number_input("Horizon (steps)", 1, HORIZON_MAX, help=HELP["backtest_horizon"],
                         **bound("backtest.horizon", spec.horizon, partial(backtest.set, "horizon")))
    window.radio("Training window", WINDOW_KINDS, horizontal=True, help=HELP["backtest_window"],
                 **bound("backtest.window_kind", spec.window_kind, partial(backtest.set, "window_kind")))
    refit.toggle("Refit at each origin", help=HELP["backtest_refit"],
                 **bound("backtest.refit", spec.refit, partial(backtest.set, "refit")))


def run_controls(data: Dataset) -> None:
    current = session()
    backtest, epochs = current.backtest, current.config.epochs
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Run backtest", type="primary", icon=":material/play_arrow:", key="backtest.run",
                  on_click=backtest.start, args=(current.config, data))
        st.button("Stop", icon=":material/stop:", disabled=not backtest.job.running,
                  on_click=backtest.job.stop, key="backtest.stop")
        trainings = backtest.spec.origins if backtest.spec.refit else 1
        st.caption(f"Uses the settings of Model & training: {trainings} training(s) of up to {epochs} "
                   "epochs. Stop keeps the origins done so far.")
    refusal = backtest.refusal.take()
    if refusal:
        st.warning(plain(sentence(refusal)), icon=":material/block:")


def progress_panel() -> None:
    job = session().backtest.job
    snap = job.snapshot()
    if snap.state == IDLE:
        st.caption("Press Run backtest: the origins are trained one after the other, here.")
    elif snap.running:
        st.progress(snap.fraction, text=f"{capitalized(snap.activity)} · epoch {snap.epoch} of at most "
                                        f"{snap.total_epochs} · {duration(snap.elapsed)}")
        if snap.stop_requested:
            st.caption("Stopping after the current batch…")
    elif snap.state == FAILED:
        show_problems([snap.error or "the backtest failed"])
    elif job.result is not None:
        done = job.result
        st.success(f"{len(done.origins)} of {done.spec.origins} origins done in {duration(done.seconds)}: "
                   f"{done.spec.describe()}.", icon=":material/check_circle:")
        for note in done.notes:
            st.caption(plain(sentence(note)))


def error_table(result: BacktestResult) -> pd.DataFrame:
    """Per model: the RMSE over the horizon, mean and spread across origins, then by step; an
    empty cell where an error is not a finite number (the page shows it as "—")."""
    steps = [f"step {s}" for s in range(1, result.spec.horizon + 1)]
    rows = [[result.label(key), *(finite(float(v)) for v in (mean, std, *result.rmse_by_step(key)))]
            for key, (mean, std) in result.summary().items()]
    return pd.DataFrame(rows, columns=["model", "mean RMSE", "± std", *steps])


def axis_of(result: BacktestResult, data: Dataset) -> plots.Axis | None:
    """The series' dates for the charts, when the backtest ran on the data shown now."""
    series = data.series
    same = (series.timestamps is not None and len(series) >= result.test_start
            and np.array_equal(series.values[:len(result.levels)], result.levels))
    return series.timestamps if same else None


def results(result: BacktestResult, data: Dataset) -> None:
    labels = {key: result.label(key) for key in result.models}
    x = axis_of(result, data)
    st.subheader("The origin stepping through the series")
    st.caption("Press play, or drag the slider: each frame is one origin, with the truth after it "
               "(black) and each model's forecast from it. The test part is not shown: it is never read.")
    st.plotly_chart(plots.backtest_origins_figure(
        result.levels, result.origins, result.actual,
        {labels[key]: result.forecasts[key] for key in result.models}, data.series.name, x))
    st.subheader("Error by step ahead")
    table = error_table(result)
    st.dataframe(table, hide_index=True, placeholder=NO_FIGURE,
                 column_config={c: st.column_config.NumberColumn(format="%.4g") for c in table.columns[1:]})
    left, right = st.columns(2)
    by_step = {labels[key]: result.rmse_by_step(key) for key in result.models}
    left.plotly_chart(plots.backtest_horizon_figure(by_step))
    with right:
        model = st.selectbox("Model", result.models, format_func=labels.get, key="backtest.model",
                             help=HELP["backtest_model"])
        st.plotly_chart(plots.backtest_heatmap_figure(result.errors(model), result.origins, labels[model], x))


def page(data: Dataset) -> None:
    prewarm()
    setting_widgets()
    run_controls(data)
    live(progress_panel, session().backtest.job)
    job = session().backtest.job
    if not job.running and job.result is not None and len(job.result.origins):
        results(job.result, data)


require_entry()
st.title("Backtest")
st.caption("Rolling origins: the model is trained on the data before each origin and forecasts the "
           "steps after it, scored against the truth next to every yardstick. The origins sit before "
           "the test part, which stays untouched.")
if (dataset := usable_dataset()) is not None:
    page(dataset)
