"""A session's run history: every finished training, bounded, to compare and to restore.

Each :class:`Run` keeps what the comparison and a restore need (the config, the series, the
weights, the training history, the evaluation and the forecasts) but not the model's input
windows, which can be hundreds of MB for a long series: :meth:`Run.restore` rebuilds them
with :func:`lstm_core.data.windows.prepare`, which is deterministic. :class:`RunHistory` keeps the
latest ``limit`` runs (20), so a session's memory cannot grow without end.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lstm_core.config.fields import as_text, experiment_values, model_name
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.windows import prepare
from lstm_core.eval.ensemble import MEAN, WEIGHTED
from lstm_core.eval.evaluation import Evaluation, finite
from lstm_core.infer.forecast import TestRollout
from lstm_core.runs.experiment import ExperimentResult
from lstm_core.runs.progress import TrainingResult

LIMIT = 20


@dataclass(frozen=True)
class Run:
    number: int
    label: str  # the data's name, as the sidebar shows it
    config: ExperimentConfig
    series: Series
    weights: list
    training: TrainingResult
    evaluation: Evaluation
    forecast: Any
    test_rollout: TestRollout
    seconds: float
    finished: float = field(default_factory=time.time)
    keras_check: float | None = None
    threads: int | None = None

    @classmethod
    def of(cls, number: int, result: ExperimentResult, label: str, seconds: float) -> Run:
        return cls(number, label, result.config, result.data.series, result.weights, result.training,
                   result.evaluation, result.forecast, result.test_rollout, seconds,
                   keras_check=result.keras_check, threads=result.threads)

    def restore(self) -> ExperimentResult:
        """The run as a current result again, its windows rebuilt from its series and config."""
        return ExperimentResult(
            config=self.config, data=prepare(self.series, self.config), weights=self.weights,
            training=self.training, evaluation=self.evaluation, forecast=self.forecast,
            test_rollout=self.test_rollout, keras_check=self.keras_check, threads=self.threads,
        )

    @property
    def model(self) -> str:
        return model_name(self.config)

    def same_data(self, series: Series, test_times: np.ndarray) -> bool:
        """Trained on these values with the same test part: its errors compare with theirs."""
        return (np.array_equal(self.series.values, series.values)
                and np.array_equal(self.evaluation.test_times, test_times))

    def comparison(self) -> dict[str, Any]:
        """One line of the side-by-side view: its errors, by horizon too, size and fitting time."""
        errors = self.test_rollout.error_by_horizon
        return {
            "run": self.number,
            "model": self.model,
            "test RMSE": finite(self.evaluation.test_metrics.rmse),
            "rollout RMSE": finite(self.test_rollout.rmse),
            "error at step 1": finite(float(errors[0])),
            "error at the last step": finite(float(errors[-1])),
            "steps": len(errors),
            "parameters": int(sum(np.size(w) for w in self.weights)),
            "fit seconds": round(self.training.fit_seconds, 1),
            **self._best_yardstick(),
            **self._ensemble(),
        }

    def row(self) -> dict[str, Any]:
        """One line of the history table: the run, every setting of its experiment, its errors
        (an empty cell where an error is not a finite number)."""
        test = self.evaluation.test_metrics
        naive = self.evaluation.baselines.get("naive")
        settings = {name.replace("_", " "): as_text(value) if isinstance(value, list) else value
                    for name, value in experiment_values(self.config).items()}
        settings["epochs"] = f"{self.training.epochs_run} of {self.config.epochs}"
        return {
            "run": self.number,
            "finished": time.strftime("%H:%M:%S", time.localtime(self.finished)),
            "data": self.label,
            **settings,
            "test RMSE": finite(test.rmse),
            "test MAE": finite(test.mae),
            "naive RMSE": finite(naive.metrics.rmse) if naive else None,
            **self._best_yardstick(),
            **self._ensemble(),
            "seconds": round(self.seconds, 1),
        }


    def _best_yardstick(self) -> dict[str, Any]:
        """The yardstick with the lowest finite test RMSE (classical models included), for the table."""
        best = next(iter(self.evaluation.ranked()), None)
        return {"best yardstick": best.label if best else None,
                "its RMSE": best.metrics.rmse if best else None}


    def _ensemble(self) -> dict[str, Any]:
        """The weighted ensemble's test RMSE (the mean's where no weights were chosen), for the table."""
        ensembles = self.evaluation.ensembles
        chosen = ensembles.get(WEIGHTED) or ensembles.get(MEAN)
        return {"ensemble RMSE": finite(chosen.metrics.rmse) if chosen else None}


class RunHistory:
    """The latest ``limit`` runs of one session, newest last; run numbers keep counting up."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._runs: deque[Run] = deque(maxlen=limit)
        self._count = 0

    def add(self, result: ExperimentResult, label: str, seconds: float) -> Run:
        self._count += 1
        run = Run.of(self._count, result, label, seconds)
        self._runs.append(run)
        return run

    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self):
        return iter(self._runs)

    def get(self, number: int) -> Run | None:
        return next((run for run in self._runs if run.number == number), None)

    def rows(self) -> list[dict[str, Any]]:
        return [run.row() for run in self._runs]
