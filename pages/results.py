"""Results: how well the trained model predicts one step ahead, next to honest baselines."""


from functools import partial

import pandas as pd
import streamlit as st

from lstm_core.config import safe_json
from lstm_core.eval.advice import Epochs, advice
from lstm_core.eval.classical import LABELS as CLASSICAL
from lstm_core.eval.ensemble import SHORT_LABELS
from lstm_core.eval.evaluation import NO_FIGURE, Metrics, finite, metric_text
from lstm_core.runs import export
from lstm_core.runs.experiment import ExperimentResult
from ui import plots
from ui.frame import require_entry
from ui.help import HELP, metric_units
from ui.plan import plan, time_axis
from ui.session import session
from ui.widgets import duration, next_step, plain, sentence, trained_result

METRICS = (("rmse", "RMSE"), ("mae", "MAE"), ("mape", "MAPE"), ("smape", "sMAPE"), ("mase", "MASE"))
PERCENT_METRICS = ("mape", "smape")
BASELINE_NAMES = {"naive": "naive", "seasonal_naive": "seasonal naive", "linear_ar": "linear AR"} | CLASSICAL
# Where a suggestion's page is linked, the link's words.
SUGGESTION_LINKS = {"model": "Change the settings on Model & training",
                    "search": "Find a model: run the automatic search"}


def baseline_metrics(result: ExperimentResult) -> dict[str, Metrics]:
    """The baselines' test metrics under the names the page shows."""
    return {BASELINE_NAMES.get(n, n): b.metrics for n, b in result.evaluation.baselines.items()}


def formatted(name: str, value: float | None) -> str:
    """A metric as the page shows it; "—" where it has no finite value."""
    return metric_text(value, percent=name in PERCENT_METRICS)


def change(value: float | None, reference: float | None) -> str | None:
    """``value`` against the naive forecast's, as a card's delta; None where no share can be said."""
    if finite(value) is None or not finite(reference):
        return None
    share = (value - reference) / reference
    return f"{share:+.0%} vs naive" if abs(share) < 100 else None


def metric_cards(result: ExperimentResult) -> None:
    """The LSTM's test metrics, each with its change against the naive forecast, their units said
    under them; "—" where a metric has no meaning for the data, the reason in its tooltip."""
    evaluation = result.evaluation
    ours, naive = evaluation.test_metrics, evaluation.baselines["naive"].metrics
    missing = evaluation.missing()
    for column, (name, label) in zip(st.columns(len(METRICS)), METRICS, strict=True):
        value = getattr(ours, name)
        why = f" {sentence(missing[name])}" if name in missing else ""
        column.metric(f"Test {label}", formatted(name, value), change(value, getattr(naive, name)),
                      delta_color="inverse", help=HELP[name] + why, border=True)
    st.caption(plain(metric_units(result.data.series.name)))


def metrics_table(result: ExperimentResult) -> pd.DataFrame:
    """One row per model (the LSTM, then the baselines), one column per metric, on the test part;
    an empty cell where a metric has no finite value (the page shows it as "—")."""
    rows: dict[str, Metrics] = {result.evaluation.model: result.evaluation.test_metrics}
    rows |= baseline_metrics(result)
    rows |= {SHORT_LABELS[key]: b.metrics for key, b in result.evaluation.ensembles.items()}
    return pd.DataFrame(
        {label: [finite(getattr(m, name)) for m in rows.values()] for name, label in METRICS},
        index=pd.Index(list(rows), name="model (test part)"), dtype=float,
    )


def suggestions(result: ExperimentResult) -> None:
    """What to try, when the LSTM loses to a yardstick, and links to where it is done."""
    training = result.training
    found = advice(result.evaluation, result.data,
                   Epochs(result.config.epochs, training.epochs_run, training.best_epoch))
    if not found:
        return
    st.markdown("**What to try**\n\n" + "\n".join(f"- {plain(sentence(s.text))}" for s in found))
    for page in dict.fromkeys(s.page for s in found if s.page in SUGGESTION_LINKS):
        next_step(page, SUGGESTION_LINKS[page])


def verdict(result: ExperimentResult) -> None:
    evaluation = result.evaluation
    beats = evaluation.test_metrics.rmse < evaluation.baselines["naive"].metrics.rmse
    show = st.success if beats else st.info
    show(sentence(evaluation.verdict()), icon=":material/balance:")
    suggestions(result)
    for note in evaluation.notes():
        st.caption(sentence(note))


def training_summary(result: ExperimentResult) -> None:
    training, data = result.training, result.data
    st.markdown("**Training**")
    st.text("\n".join([
        sentence(training.message),
        f"{training.epochs_run} epochs in {duration(training.fit_seconds)}; best epoch: "
        f"{training.best_epoch}",
        f"transform: {data.transform.name}; windows: {len(data.y_train)} train, "
        f"{len(data.y_val)} validation, {len(data.y_test)} test",
    ]))
    st.download_button("Download the results (JSON)", safe_json.dumps(result.to_dict(), indent=2),
                       file_name="lstm-lab-results.json", mime="application/json",
                       icon=":material/download:")
    st.download_button("Download the settings (JSON)", result.config.to_json(),
                       file_name="lstm-lab-config.json", mime="application/json",
                       icon=":material/download:")
    st.download_button("Download the test predictions (CSV)", partial(export.predictions_csv, result),
                       file_name="lstm-lab-predictions.csv", mime="text/csv", icon=":material/download:",
                       on_click="ignore")
    st.download_button("Download the run (zip: weights, data, script)", partial(export.bundle, result),
                       file_name="lstm-lab-run.zip", mime="application/zip", icon=":material/download:",
                       help=HELP["bundle"], on_click="ignore")
    st.download_button("Download a plain-Keras script", partial(export.keras_script, result),
                       file_name="reproduce.py", mime="text/x-python", icon=":material/download:",
                       help=HELP["script"], on_click="ignore")


def charts(result: ExperimentResult) -> None:
    evaluation, series = result.evaluation, result.data.series
    x = time_axis(series)
    st.plotly_chart(plots.fit_figure(x, series.values, evaluation, plan(series, result.config),
                                     series.name))
    residuals = evaluation.test_actual - evaluation.test_predictions
    left, right = st.columns(2)
    left.plotly_chart(plots.residual_figure(x[evaluation.test_times], residuals))
    right.plotly_chart(plots.residual_histogram(residuals))
    left, right = st.columns(2)
    baselines = {name: metrics.rmse for name, metrics in baseline_metrics(result).items()}
    left.plotly_chart(plots.rmse_figure(evaluation.train_metrics.rmse, evaluation.test_metrics.rmse,
                                        baselines, evaluation.model))
    with right:
        training_summary(result)


def page(result: ExperimentResult) -> None:
    if session().stale():
        st.info("These results come from an earlier setup: the data or a setting has changed "
                "since. Train again to update them.", icon=":material/history:")
    verdict(result)
    metric_cards(result)
    st.dataframe(metrics_table(result), placeholder=NO_FIGURE, column_config={
        label: st.column_config.NumberColumn(label, format="%.1f%%" if name in PERCENT_METRICS
                                             else "%.4g", help=HELP[name])
        for name, label in METRICS
    })
    charts(result)
    next_step("forecast", "Next: forecast past the end of the data")


require_entry()
st.title("Results")
st.caption("Step 3 of 4: one-step-ahead predictions on data the model never saw, scored in the "
           "series' own units next to simple baselines.")
trained = trained_result("its results")
if trained is not None:
    page(trained)
