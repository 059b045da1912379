"""Results: how well the trained model predicts one step ahead, next to honest baselines."""

import json
from functools import partial

import pandas as pd
import streamlit as st

from lstm_core.eval.classical import LABELS as CLASSICAL
from lstm_core.eval.evaluation import Metrics
from lstm_core.runs import export
from lstm_core.runs.experiment import ExperimentResult
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.plan import plan, time_axis
from ui.session import session
from ui.widgets import duration, next_step, sentence, trained_result

METRICS = (("rmse", "RMSE"), ("mae", "MAE"), ("mape", "MAPE"), ("smape", "sMAPE"), ("mase", "MASE"))
PERCENT_METRICS = ("mape", "smape")
BASELINE_NAMES = {"naive": "naive", "seasonal_naive": "seasonal naive", "linear_ar": "linear AR"} | CLASSICAL


def baseline_metrics(result: ExperimentResult) -> dict[str, Metrics]:
    """The baselines' test metrics under the names the page shows."""
    return {BASELINE_NAMES.get(n, n): b.metrics for n, b in result.evaluation.baselines.items()}


def formatted(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}%" if name in PERCENT_METRICS else f"{value:.4g}"


def metric_cards(result: ExperimentResult) -> None:
    """The LSTM's test metrics, each with its change against the naive forecast."""
    ours = result.evaluation.test_metrics
    naive = result.evaluation.baselines["naive"].metrics
    for column, (name, label) in zip(st.columns(len(METRICS)), METRICS, strict=True):
        value, reference = getattr(ours, name), getattr(naive, name)
        delta = None
        if value is not None and reference:
            delta = f"{(value - reference) / reference:+.0%} vs naive"
        column.metric(f"Test {label}", formatted(name, value), delta, delta_color="inverse",
                      help=HELP[name], border=True)


def metrics_table(result: ExperimentResult) -> pd.DataFrame:
    """One row per model (the LSTM, then the baselines), one column per metric, on the test part."""
    rows: dict[str, Metrics] = {"LSTM": result.evaluation.test_metrics}
    rows |= baseline_metrics(result)
    return pd.DataFrame(
        {label: [getattr(m, name) for m in rows.values()] for name, label in METRICS},
        index=pd.Index(list(rows), name="model (test part)"),
    )


def verdict(result: ExperimentResult) -> None:
    evaluation = result.evaluation
    beats = evaluation.test_metrics.rmse < evaluation.baselines["naive"].metrics.rmse
    show = st.success if beats else st.info
    show(sentence(evaluation.verdict()), icon=":material/balance:")
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
    st.download_button("Download the results (JSON)", json.dumps(result.to_dict(), indent=2),
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
                                        baselines))
    with right:
        training_summary(result)


def page(result: ExperimentResult) -> None:
    if session().stale():
        st.info("These results come from an earlier setup: the data or a setting has changed "
                "since. Train again to update them.", icon=":material/history:")
    verdict(result)
    metric_cards(result)
    st.dataframe(metrics_table(result), column_config={
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
