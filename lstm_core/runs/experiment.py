"""One experiment from config to forecast: the path the command line and the app share.

    series -> prepare (transform, split, scale, windows) -> build -> train
           -> evaluate (one-step predictions, metrics, baselines) -> forecasts

Each stage is a function of its own so the app can show progress between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from lstm_core.config.fields import CELL_LABELS
from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.csv.load import MB, LoadOptions, load_csv
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import WindowedData, prepare
from lstm_core.errors import LSTMLabError
from lstm_core.eval.classical import Yardstick
from lstm_core.eval.ensemble import Combination
from lstm_core.eval.evaluation import Evaluation, evaluate
from lstm_core.infer.forecast import TestRollout, forecast_future, rollout_test
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.runs.progress import DIVERGED, TrainingResult

PREPARING = "preparing the data"
LOADING_TENSORFLOW = "loading TensorFlow"
TRAINING = "training"
EVALUATING = "evaluating and forecasting"
STAGES = (PREPARING, LOADING_TENSORFLOW, TRAINING, EVALUATING)


class TrainingFailedError(LSTMLabError):
    """Training ended without a usable model (it diverged before any finite epoch)."""


def load_series(source: SourceConfig) -> Series:
    if source.kind == "csv":
        options = LoadOptions(duplicates=source.duplicates, missing=source.missing,
                              resample=source.resample, dayfirst=source.dayfirst, decimal=source.decimal,
                              max_bytes=round(source.max_mb * MB), max_rows=source.max_rows)
        return load_csv(source.csv_path, target=source.target, date_col=source.date_col,
                        features=source.features, options=options)
    return generate(source.generator, **source.params)


@dataclass
class ExperimentResult:
    """Everything one training produced, as plain data: it crosses process boundaries and
    needs no TensorFlow to read. The model is its weights (``model.get_weights()`` order);
    :attr:`net` runs them in NumPy."""

    config: ExperimentConfig
    data: WindowedData
    weights: list[np.ndarray]
    training: TrainingResult
    evaluation: Evaluation
    forecast: np.ndarray
    test_rollout: TestRollout
    keras_check: float | None = None  # NumPy copy vs Keras on the first test window
    threads: int | None = field(default=None, compare=False)  # TensorFlow's intra-op threads

    @cached_property
    def net(self) -> NumpyNet:
        return NumpyNet.for_config(self.weights, self.config)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: config, metrics, baselines, history and forecast."""
        ev = self.evaluation
        return {
            "config": self.config.to_dict(),
            "transform": self.data.transform.name,
            "n_samples": len(self.data.series),
            "windows": {"train": len(self.data.y_train), "validation": len(self.data.y_val),
                        "test": len(self.data.y_test)},
            "test_rmse": ev.test_metrics.rmse,
            "test_mae": ev.test_metrics.mae,
            "train_rmse": ev.train_metrics.rmse,
            "test_metrics": ev.test_metrics.to_dict(),
            "train_metrics": ev.train_metrics.to_dict(),
            "baselines": {name: b.to_dict() for name, b in ev.baselines.items()},
            "ensembles": {name: b.to_dict() | {"members": b.model} for name, b in ev.ensembles.items()},
            "ensemble_weights": ev.combination.to_dict() if ev.combination else None,
            "season_length": ev.season_length,
            "verdict": ev.verdict(),
            "notes": ev.notes() + ([reason] if (reason := self.data.transform.reason) else []),
            "epochs_run": self.training.epochs_run,
            "best_epoch": self.training.best_epoch,
            "stop_reason": self.training.stop_reason,
            "stop_message": self.training.message,
            "history": self.training.history,
            "fit_seconds": self.training.fit_seconds,
            "test_rollout_rmse": self.test_rollout.rmse,
            "forecast": self.forecast.tolist(),
            "load_report": report.lines() if (report := self.data.series.report) else None,
        }


def predict_scaled(net: NumpyNet, windows: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """One-step predictions for many windows, in batches that keep memory small.

    The NumPy copy of the network computes them: the same arithmetic as Keras (tested to
    1e-5), without building a TensorFlow predict function for every new model.
    """
    if len(windows) == 0:
        return np.empty(0)
    return np.concatenate([net.predict(windows[start:start + batch_size])
                           for start in range(0, len(windows), batch_size)])


def run_experiment(config: ExperimentConfig, series: Series | None = None,
                   progress=None, stop=None, on_stage=None) -> ExperimentResult:
    """Run every stage; ``progress`` and ``stop`` are passed to :func:`lstm_core.nn.train.train`.

    ``on_stage``, when given, is called with the name of each stage (a string from
    :data:`STAGES`) as it begins, so a page can say what is happening before the first epoch.
    """
    stage = on_stage or (lambda name: None)
    config.validate()
    stage(PREPARING)
    series = load_series(config.source) if series is None else series
    data = prepare(series, config)
    stage(LOADING_TENSORFLOW)
    from lstm_core.nn.build import build_model  # TensorFlow is imported only once the data are ready
    from lstm_core.nn.train import train

    model = build_model(config, data.n_features)
    stage(TRAINING)
    training = train(model, data, config, progress=progress, stop=stop)
    if training.stop_reason == DIVERGED and training.best_epoch is None:
        raise TrainingFailedError(training.message)
    stage(EVALUATING)
    from lstm_core.nn.backend import intra_op_threads
    from lstm_core.nn.keras_check import keras_difference

    weights = model.get_weights()
    net = NumpyNet.for_config(weights, config)
    return assemble(config, data, weights, training,
                    keras_check=keras_difference(net, data.X_test[0]) if len(data.X_test) else None,
                    threads=intra_op_threads(), classical=True)


def assemble(config: ExperimentConfig, data: WindowedData, weights: list[np.ndarray],
             training: TrainingResult, keras_check: float | None = None,
             threads: int | None = None, classical: bool = False,
             yardsticks: Mapping[str, Yardstick] | None = None,
             combination: Combination | None = None) -> ExperimentResult:
    """Everything a trained model gives, from its weights alone: the one-step predictions and
    their errors next to the baselines', and the forecasts. NumPy only, no TensorFlow: an
    imported run is rebuilt this way too, with the classical ``yardsticks`` and the ensemble's
    ``combination`` it carries. ``classical`` fits them instead (statsforecast: pass it only in a
    worker process), and chooses the ensemble's weights on the validation part."""
    net = NumpyNet.for_config(weights, config)
    evaluation = evaluate(data, predict_scaled(net, data.X_train), predict_scaled(net, data.X_test),
                          config.season_length, classical=classical, yardsticks=yardsticks,
                          model=CELL_LABELS[config.cell], val_scaled=predict_scaled(net, data.X_val),
                          combination=combination)
    return ExperimentResult(
        config=config, data=data, weights=weights, training=training, evaluation=evaluation,
        forecast=forecast_future(net, data, config.horizon), test_rollout=rollout_test(net, data),
        keras_check=keras_check, threads=threads,
    )
