"""Every chart of the app, built from small made-up data with as many legend entries as a page
draws at most: for tests that check what every chart shares (its legend's place, its fonts).

:func:`every_figure` names each chart by the function that builds it; :func:`figure_builders`
lists those functions, so a test can tell when a new chart is missing here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lstm_core import ExperimentConfig, Series
from lstm_core.data.windows import prepare
from lstm_core.eval.evaluation import evaluate
from lstm_core.infer.forecast import ForecastBand, TestRollout
from ui import gate_plots, plots
from ui.plan import future_axis, plan, time_axis

YARDSTICKS = ("AutoETS", "AutoARIMA", "AutoTheta", "linear AR")


def figure_builders() -> dict[str, Callable[..., go.Figure]]:
    """The public functions of ui.plots and ui.gate_plots that build a figure."""
    found = {}
    for module in (plots, gate_plots):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (not name.startswith("_") and function.__module__ == module.__name__
                    and inspect.signature(function).return_annotation in (go.Figure, "go.Figure")):
                found[name] = function
    return found


def fake_run(number: int, series: Series, evaluation, rollout: TestRollout, label: str) -> SimpleNamespace:
    """What the run-by-run charts read of a :class:`lstm_core.runs.history.Run`."""
    loss = list(np.geomspace(1.0, 0.01, 12))
    return SimpleNamespace(number=number, label=label, series=series, evaluation=evaluation,
                           test_rollout=rollout, model=f"GRU, direct {number}",
                           training=SimpleNamespace(loss=loss, val_loss=[v * 1.2 for v in loss]))


def search_views() -> dict[str, dict]:
    """Optuna's two views of a small study with the search's parameters, as the worker sends them."""
    import optuna
    from optuna import visualization

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))

    def objective(trial: optuna.Trial) -> float:
        window = trial.suggest_int("window", 4, 48)
        units = trial.suggest_int("units", 8, 128, log=True)
        rate = trial.suggest_float("learning_rate", 1e-4, 3e-2, log=True)
        transform = trial.suggest_categorical("transform", ["none", "diff", "sdiff", "log_sdiff"])
        dropout = trial.suggest_float("dropout", 0.0, 0.4)
        return 0.002 + 0.001 * window / 48 + rate + dropout / 1000 + 0.0001 * len(transform) + 1 / units

    study.optimize(objective, n_trials=12)
    return {"importance": visualization.plot_param_importances(study).to_plotly_json(),
            "parallel": visualization.plot_parallel_coordinate(study).to_plotly_json()}


def _monthly() -> Series:
    stamps = pd.date_range("2000-01-01", periods=144, freq="MS")
    return Series(100 + 20 * np.sin(np.arange(144) / 1.9) + np.arange(144.0), name="passengers",
                  timestamps=stamps)


def runs_of_one_series(series: Series | None = None,
                       config: ExperimentConfig | None = None) -> list[SimpleNamespace]:
    """Four runs on one series (one Series object), scored on its test part."""
    series = series or _monthly()
    data = prepare(series, config or ExperimentConfig(window=12))
    evaluation = evaluate(data, data.y_train, data.y_test)
    actual = evaluation.test_actual
    rollout = TestRollout(evaluation.test_times, actual + 3.0, actual)
    return [fake_run(n, series, evaluation, rollout, "airline") for n in range(1, 5)]


def every_figure() -> dict[str, go.Figure]:
    """Each chart of the app by the name of the function that builds it (Optuna's views of a
    search as ``search_view_figure:importance`` and ``search_view_figure:parallel``)."""
    series = _monthly()
    config = ExperimentConfig(window=12)
    runs = runs_of_one_series(series, config)
    evaluation = runs[0].evaluation
    x, layout = time_axis(series), plan(series, config)
    test = x[evaluation.test_times]
    actual = evaluation.test_actual
    yardsticks = {name: actual + k for k, name in enumerate(YARDSTICKS, start=1)}
    future = future_axis(series, 24)
    forecast = np.linspace(260, 300, 24)
    band = ForecastBand(forecast, forecast - 5, forecast + 5, forecast - 9, forecast + 9, 100)
    history = {"loss": list(np.geomspace(1, 0.01, 30)), "val_loss": list(np.geomspace(1.2, 0.02, 30))}
    origins = np.array([80, 92, 104])
    by_model = {"LSTM": np.ones(12), "naive": np.full(12, 2.0), "seasonal naive": np.full(12, 1.5),
                **{name: np.full(12, 1.2) for name in YARDSTICKS}}
    steps, units = 12, 8
    values = np.random.default_rng(0).uniform(size=(steps, units))
    quantities = {q: values[:, 0] for q in gate_plots.QUANTITIES}
    trials = [{"number": k, "score": 1.0 / (k + 1), "state": "complete" if k % 3 else "pruned"}
              for k in range(12)]
    figures = {
        "series_figure": plots.series_figure(x, series.values, series.name, layout),
        "window_figure": plots.window_figure(series.values[:12], series.values[12]),
        "loss_figure": plots.loss_figure(history, True, 20),
        "fit_figure": plots.fit_figure(x, series.values, evaluation, layout, series.name),
        "residual_figure": plots.residual_figure(test, actual - evaluation.test_predictions),
        "residual_histogram": plots.residual_histogram(actual - evaluation.test_predictions),
        "rmse_figure": plots.rmse_figure(1.0, 2.0, dict.fromkeys(("naive", *YARDSTICKS), 3.0)),
        "forecast_figure": plots.forecast_figure(x, series.values, future, forecast, series.name, band),
        "rollout_figure": plots.rollout_figure(test, actual, actual + 2, series.name, yardsticks,
                                               "GRU, direct"),
        "horizon_error_figure": plots.horizon_error_figure(np.abs(actual - actual.mean()), yardsticks,
                                                           "GRU, direct"),
        "runs_loss_figure": plots.runs_loss_figure(runs, True),
        "runs_predictions_figure": plots.runs_predictions_figure(runs),
        "runs_rollout_figure": plots.runs_rollout_figure(test, actual, runs, series.name),
        "runs_horizon_figure": plots.runs_horizon_figure(runs),
        "backtest_origins_figure": plots.backtest_origins_figure(
            series.values[:116], origins, np.ones((3, 12)), {m: np.ones((3, 12)) for m in by_model},
            series.name, x),
        "backtest_horizon_figure": plots.backtest_horizon_figure(by_model),
        "backtest_heatmap_figure": plots.backtest_heatmap_figure(np.ones((3, 12)), origins, "LSTM", x),
        "search_trials_figure": plots.search_trials_figure(trials),
        "activation_figure": gate_plots.activation_figure(),
        "gate_heatmap": gate_plots.gate_heatmap(values, gate_plots.QUANTITIES[0], 3),
        "unit_lines_figure": gate_plots.unit_lines_figure(quantities, 1, 3),
        "saturation_figure": gate_plots.saturation_figure({q: values for q in gate_plots.GATES}),
        "lab_loss_figure": gate_plots.lab_loss_figure(history, 20),
        "mse_by_length_figure": gate_plots.mse_by_length_figure(
            {"many-to-one": (np.geomspace(1, 10, 40), 20), "many-to-many": (np.geomspace(0.1, 1, 40), 20)}),
        "state_figure": gate_plots.state_figure(values[0], values[1]),
    }
    for name, view in search_views().items():
        figures[f"search_view_figure:{name}"] = plots.search_view_figure(view)
    return figures
