"""Find a model: an automatic search over the LSTM's settings, chosen on the part before the test,
watched as it runs, and its winner scored once on the test part next to every yardstick."""

import pandas as pd
import streamlit as st

from lstm_core.config.fields import LIMITS
from lstm_core.eval.ensemble import LABELS as ENSEMBLE_LABELS
from lstm_core.eval.ensemble import SHORT_LABELS
from lstm_core.eval.evaluation import NO_FIGURE, finite, metric_text
from lstm_core.jobs.job import FAILED, IDLE
from lstm_core.runs.backtest import LABELS
from lstm_core.search.job import SearchOutcome
from lstm_core.search.search import MOST_MINUTES, MOST_TRIALS
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.session import Dataset, bound, prewarm, session
from ui.widgets import capitalized, duration, live, next_step, plain, sentence, show_problems, usable_dataset

MOST_EPOCHS = int(LIMITS["epochs"][1])
STATES = {"complete": "✓ complete", "pruned": "✂ pruned", "failed": "✗ failed", "stopped": "■ stopped",
          "running": "… running"}


def budget_widgets() -> None:
    search = session().search
    trials, minutes, epochs = st.columns(3)
    trials.number_input("Trials (at most)", 1, MOST_TRIALS, help=HELP["search_trials"],
                        **bound("search.trials", search.trials, lambda v: search.set("trials", int(v))))
    minutes.number_input("Minutes (at most)", 0.5, MOST_MINUTES, step=0.5, help=HELP["search_minutes"],
                         **bound("search.minutes", search.minutes, lambda v: search.set("minutes", float(v))))
    epochs.number_input("Epochs per trial (at most)", 1, MOST_EPOCHS, help=HELP["search_epochs"],
                        **bound("search.epochs", search.epochs, lambda v: search.set("epochs", int(v))))


def run_controls(data: Dataset) -> None:
    current = session()
    search = current.search
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("Start the search", type="primary", icon=":material/travel_explore:", key="search.run",
                  on_click=search.start, args=(current.config, data), disabled=search.job.running)
        st.button("Stop", icon=":material/stop:", disabled=not search.job.running,
                  on_click=search.job.stop, key="search.stop")
        st.caption(f"Searches on {plain(data.label)}: whichever comes first, {search.trials} trials or "
                   f"{search.minutes:g} minutes. Stop keeps the best trial so far.")
    refusal = search.refusal.take()
    if refusal:
        st.warning(plain(sentence(refusal)), icon=":material/block:")


def trials_table(trials: list[dict]) -> pd.DataFrame:
    """One row per trial: its number, how it ended, its validation RMSE, and the settings tried."""
    rows = []
    for row in trials:
        params = {name: (round(value, 4) if isinstance(value, float) else value)
                  for name, value in row["params"].items()}
        rows.append({"trial": row["number"] + 1, "state": STATES.get(row["state"], row["state"]),
                     "validation RMSE": finite(row["score"]), "epochs": row["epochs_run"],
                     "seconds": round(row["seconds"], 1), **params})
    return pd.DataFrame(rows)


def show_trials(trials: list[dict]) -> None:
    if not trials:
        return
    st.plotly_chart(plots.search_trials_figure(trials))
    st.dataframe(trials_table(trials), hide_index=True, placeholder=NO_FIGURE,
                 column_config={"validation RMSE": st.column_config.NumberColumn(format="%.4g")})
    st.caption("Click a column's header to sort by it. Validation RMSE: one-step errors on the last "
               "stretch before the test part and, for a trial not pruned, on the stretches before it "
               "(their mean), in the series' units; the test part is never read.")


def progress_panel() -> None:
    search = session().search
    snap = search.job.snapshot()
    if snap.state == IDLE:
        st.caption("Press Start: each trial trains the LSTM with other settings; you can watch them here.")
        return
    if snap.running:
        trials = list(snap.epochs)
        by_time = snap.elapsed / (60 * search.minutes) if search.minutes else 0.0
        fraction = min(1.0, max(len(trials) / max(1, snap.total_epochs), by_time))
        st.progress(fraction, text=f"{capitalized(snap.activity)} · {len(trials)} trial(s) done · "
                                   f"{duration(snap.elapsed)}")
        if snap.stop_requested:
            st.caption("Stopping: the trial under way ends, then the best so far is scored on the test part…")
        show_trials(trials)
    elif snap.state == FAILED:
        show_problems([snap.error or "the search failed"])


def winner(outcome: SearchOutcome) -> None:
    final = outcome.final
    ending = "stopped" if outcome.stopped else "done"
    st.success(f"Search {ending}: {len(outcome.trials)} trials in {duration(outcome.seconds)}. "
               f"The best, trial {outcome.best_number + 1}, had a validation RMSE of "
               f"{metric_text(outcome.best_score)}; trained on the whole training part, its test RMSE "
               f"is {metric_text(final.evaluation.test_metrics.rmse)}.", icon=":material/emoji_events:")
    st.subheader("The winner against the yardsticks (test part, scored once)")
    rows = [{"model": "searched LSTM", "test RMSE": finite(final.evaluation.test_metrics.rmse)}]
    rows += [{"model": LABELS.get(key, b.label), "test RMSE": finite(b.metrics.rmse)}
             for key, b in final.evaluation.baselines.items()]
    rows += [{"model": f"{SHORT_LABELS[key]}: {b.model}", "test RMSE": finite(b.metrics.rmse)}
             for key, b in final.evaluation.ensembles.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, placeholder=NO_FIGURE,
                 column_config={"test RMSE": st.column_config.NumberColumn(format="%.4g")})
    st.info(sentence(final.evaluation.verdict()), icon=":material/balance:")
    if (choice := final.evaluation.choice()) in final.evaluation.ensembles:
        st.caption(f"On the validation part, before the test part, {ENSEMBLE_LABELS[choice]} did better "
                   f"than the searched network alone: it is the search's choice for forecasting one "
                   f"step ahead (test RMSE {metric_text(final.evaluation.ensembles[choice].metrics.rmse)}).")
    settings = ", ".join(f"{name} {value:.4g}" if isinstance(value, float) else f"{name} {value}"
                         for name, value in outcome.best_params.items())
    st.caption(f"Its settings: {plain(settings)}.")
    current = session()
    if current.search.used is outcome:
        st.success("This model is the current run: Results, Forecast and the link show it.",
                   icon=":material/check_circle:")
        next_step("results", "See its results")
    elif st.button("Use this model", type="primary", icon=":material/check:", key="search.use",
                   help=HELP["search_use"]):
        current.use_search(outcome)
        st.rerun()


def views(outcome: SearchOutcome) -> None:
    """Optuna's views, each the page's full width: the parallel view's axes need the room."""
    st.subheader("What mattered")
    for name, words in (("importance", "How much each setting changed the validation error, over the "
                                       "completed trials"),
                        ("parallel", "Every completed trial, one line each, across its settings; its "
                                     "colour is its validation error")):
        figure = outcome.figures.get(name)
        if figure is not None:
            st.plotly_chart(plots.search_view_figure(figure), key=f"search.{name}")
            st.caption(words + " (Optuna's view).")
    for note in outcome.notes:
        st.caption(plain(sentence(note)))


def page(data: Dataset) -> None:
    prewarm()
    budget_widgets()
    run_controls(data)
    search = session().search
    live(progress_panel, search.job)
    outcome = search.outcome()
    if outcome is not None:
        winner(outcome)
        show_trials(outcome.trials)
        views(outcome)


require_entry()
st.title("Find a model")
st.caption("An automatic search (Optuna) over window, units, layers, dropout, learning rate, batch "
           "size and transform. Each trial is judged on stretches before the test part; the "
           "winner alone is scored on the test part, once, next to every yardstick.")
if (dataset := usable_dataset()) is not None:
    page(dataset)
