"""One trial of the search: a training with the trial's settings on the part before the test,
scored on the last points of that part, never on the test part; and, when the trial is not
pruned, again from earlier origins, each one block earlier, its score the mean over them.

    | train | validation (early stopping) | scored block | test part (cut off, never read) |
    |<-------------- history: before the test ------->|
    | train | validation | scored block |                  origin 2: one block earlier

:func:`holdout` cuts the series where the earliest possible test part begins (the test part
of a transform that consumes no leading points; a difference's test part starts later), so
no test value exists in what a trial reads. A trial replays the final run one test part
earlier: the same split of the history, the scored block as long as the test part, and its
one-step predictions in the series' own units scored by RMSE, as the test part is scored.
Each one-step prediction in the block starts from its own origin (rolling origin, horizon 1).
A setting that fits one stretch by luck rarely fits the stretches before it as well: the
earlier origins (:func:`origins_for`, up to ORIGINS, each leaving the trial at least
EARLIEST_SHARE of the history) keep the search from choosing for one stretch. Only the latest
origin reports by epoch to the pruner; a trial it prunes trains once.

:func:`run_trial` is a worker entry: it imports the network code only when it runs. After
every epoch it scores the block with the epoch's weights and hands the figure to ``report``;
a ``True`` answer (prune) stops the training.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.transforms import make_transform
from lstm_core.data.windows import Split, WindowedData, prepare
from lstm_core.errors import LSTMLabError
from lstm_core.eval.evaluation import score
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.runs.backtest import _part
from lstm_core.runs.experiment import predict_scaled
from lstm_core.runs.progress import DIVERGED, STOPPED, StopRequest, failure_message

COMPLETE, PRUNED, FAILED, STOPPED_EARLY = "complete", "pruned", "failed", "stopped"
# The scored block takes at most this share of the history, so training keeps most of it.
MOST_BLOCK_SHARE = 0.4
# Origins of the rolling validation: at most ORIGINS, the earliest leaving this share of the history.
ORIGINS = 3
EARLIEST_SHARE = 0.6

Report = Callable[[int, float], bool]  # (epoch, validation RMSE) -> prune?


def holdout(series: Series, config: ExperimentConfig) -> tuple[Series, int]:
    """The history before the earliest possible test part, and the length of the scored block."""
    test_start = Split.of(len(series), config.val_share, config.test_share).val_end
    test_rows = len(series) - test_start
    return _part(series, 0, test_start), max(2, min(test_rows, round(MOST_BLOCK_SHARE * test_start)))


def origins_for(history: int, block: int) -> int:
    """How many origins a trial is scored from: at most ORIGINS, each one block earlier, the
    earliest leaving at least EARLIEST_SHARE of the ``history`` points before it."""
    earlier = int((history - EARLIEST_SHARE * history) // block) if block else 0
    return 1 + max(0, min(ORIGINS - 1, earlier))


def earliest(history: Series, block: int, origins: int) -> Series:
    """The history of the earliest origin: what every trial must be able to train on."""
    return _part(history, 0, len(history) - (origins - 1) * block)


def trial_data(history: Series, config: ExperimentConfig, block: int) -> WindowedData:
    """``history`` prepared with ``config``'s settings, its last ``block`` points in the place of
    the test part: they are the same points whatever the transform consumes at the start."""
    offset = make_transform(config.transform, config.season_length or None).offset
    return prepare(history, replace(config, test_share=block / (len(history) - offset)))


def block_rmse(net: NumpyNet, data: WindowedData) -> float:
    """RMSE of the one-step predictions over the scored block, in the series' own units."""
    predicted = data.to_levels(predict_scaled(net, data.X_test), data.test_times)
    return score(data.levels[data.test_times], predicted, 0.0).rmse


@dataclass
class TrialOutcome:
    """How a trial ended, as plain data (it crosses process boundaries): its state, its block
    RMSE with the best epoch's weights (pruned: the last one reported), and where the time went."""

    state: str
    score: float | None = None
    epochs_run: int = 0
    best_epoch: int | None = None
    seconds: float = 0.0
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # build, first_epoch, epoch, validation
    scores: list[float] = field(default_factory=list)  # by origin, the latest first: score is their mean
    pid: int = field(default_factory=os.getpid)  # the process it ran in

    @classmethod
    def failed(cls, exc: BaseException, seconds: float = 0.0) -> TrialOutcome:
        return cls(FAILED, seconds=seconds, message=failure_message(exc))

    def to_dict(self) -> dict[str, Any]:
        return vars(self).copy()


def run_trial(config: ExperimentConfig, history: Series, block: int, report: Report | None = None,
              stop: StopRequest | None = None, origins: int = 1,
              allowance: float | None = None) -> TrialOutcome:
    """Train ``config`` on ``history`` and score it on the block, then (unless pruned or stopped)
    from ``origins - 1`` earlier origins, as long as the trial has trained for less than
    ``allowance`` seconds (the search's share of its budget for one trial: later origins it has
    no time for are left out, and it is judged on those it ran); never raises for a bad trial (a
    setting that does not fit, a diverged training): the outcome says FAILED and why."""
    started = time.perf_counter()
    model = _Model(config)
    until = _Until(stop, None if allowance is None else started + allowance)
    try:
        outcome = _run(config, history, block, report, stop, started, model)
        for k in range(1, origins):
            if outcome.state != COMPLETE:
                break
            earlier = None if until.out_of_time() else _run(
                config, _part(history, 0, len(history) - k * block), block, None, until, started, model)
            if earlier is None or (earlier.state == STOPPED_EARLY and until.out_of_time()
                                   and not (stop is not None and stop.is_set())):
                outcome.message += f"; judged on {k} of {origins} stretches: its time allowance was spent"
                break
            if earlier.state != COMPLETE:
                outcome = replace(outcome, state=earlier.state, score=None, message=earlier.message)
                break
            outcome.scores.append(earlier.score)
        if outcome.state == COMPLETE:
            outcome.score = float(np.mean(outcome.scores))
        outcome.seconds = time.perf_counter() - started
        return outcome
    except LSTMLabError as exc:
        return TrialOutcome.failed(exc, time.perf_counter() - started)


class _Until:
    """The stop request of a trial's earlier origins: Stop, or its time allowance spent (then the
    origin under way ends within a batch and the trial is judged on those it finished)."""

    def __init__(self, stop: StopRequest | None, deadline: float | None) -> None:
        self.stop, self.deadline = stop, deadline

    def out_of_time(self) -> bool:
        return self.deadline is not None and time.perf_counter() >= self.deadline

    def is_set(self) -> bool:
        return (self.stop is not None and self.stop.is_set()) or self.out_of_time()


class _Model:
    """A trial's model, built once: each later origin trains it again from its state as built
    (what a new build would give, see :func:`~lstm_core.nn.build.rewinder`), so Keras traces its
    training function once per trial, not once per origin."""

    def __init__(self, config: ExperimentConfig) -> None:
        self.config = config
        self._model = self._rewind = None

    def fresh(self, n_features: int):
        if self._model is None:
            from lstm_core.nn.build import build_model, rewinder  # TensorFlow: in the worker

            self._model = build_model(self.config, n_features)
            self._rewind = rewinder(self._model)
        else:
            self._rewind()
        return self._model


def _run(config: ExperimentConfig, history: Series, block: int, report: Report | None,
         stop: StopRequest | None, started: float, built: _Model) -> TrialOutcome:
    data = trial_data(history, config, block)
    from lstm_core.nn.train import train  # TensorFlow: in the worker, once the data fit

    model = built.fresh(data.n_features)
    timings = {"build": time.perf_counter() - started, "validation": 0.0}
    blocks: list[float] = []  # the block's RMSE after each epoch
    epochs: list[float] = []
    pruned = False

    def validate(model) -> float:
        """The validation loss (scaled MSE, as Keras computes it) and the block's RMSE, from one
        NumPy copy of the epoch's weights: no Keras evaluation."""
        began = time.perf_counter()
        net = NumpyNet.for_config(model.get_weights(), config)
        blocks.append(block_rmse(net, data))
        loss = float(np.mean((predict_scaled(net, data.X_val) - data.y_val) ** 2))
        timings["validation"] += time.perf_counter() - began
        return loss

    def on_epoch(event) -> None:
        nonlocal pruned
        if len(blocks) < event.epoch:  # no validation part: the block is scored here
            validate(model)
        epochs.append(event.seconds)
        value = blocks[-1]
        if report is not None and report(event.epoch, value if math.isfinite(value) else math.inf):
            pruned = model.stop_training = True  # this epoch is the last

    training = train(model, data, config, progress=on_epoch, stop=stop, validate=validate)
    timings["first_epoch"] = epochs[0] if epochs else 0.0
    timings["epoch"] = float(np.mean(epochs[1:])) if len(epochs) > 1 else timings["first_epoch"]
    seconds = time.perf_counter() - started
    common = {"epochs_run": training.epochs_run, "best_epoch": training.best_epoch, "seconds": seconds,
              "message": training.message, "timings": timings}
    if pruned:
        return TrialOutcome(PRUNED, blocks[-1], **common)
    if training.stop_reason == STOPPED:
        return TrialOutcome(STOPPED_EARLY, None, **common)
    if training.stop_reason == DIVERGED and training.best_epoch is None:
        return TrialOutcome(FAILED, None, **common)
    value = block_rmse(NumpyNet.for_config(model.get_weights(), config), data)
    if not math.isfinite(value):
        return TrialOutcome(FAILED, None, **common)
    return TrialOutcome(COMPLETE, value, scores=[value], **common)
