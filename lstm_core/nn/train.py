"""Training with progress after every epoch, a stop request, early stopping and a divergence guard.

:func:`train` reports each finished epoch as an :class:`EpochProgress` to a plain callable,
so a web page, a progress bar or a test can listen without knowing Keras. A stop request
(any object with ``is_set()``, such as ``threading.Event``) is honoured between batches.
Whatever ends the training, the weights of the best epoch seen are kept.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.windows import WindowedData
from lstm_core.nn.backend import keras
from lstm_core.runs.progress import (
    COMPLETED,
    DIVERGED,
    EARLY_STOPPING,
    STOPPED,
    EpochProgress,
    ProgressCallback,
    StopRequest,
    TrainingResult,
    message,
)

# A loss this many times the targets' variance (the loss of always predicting their mean) is
# a training running away, as a too high learning rate makes it: stopped like a NaN.
EXPLODED = 100.0

# The validation loss computed by the caller from the model after each epoch, in place of Keras'
# own evaluation (which costs a traced function and a pass of Keras' data pipeline every epoch).
Validate = Callable[[keras.Model], float]


class _Monitor(keras.callbacks.Callback):
    """Records losses, reports progress, stops on request, on patience or on a non-finite loss."""

    def __init__(self, epochs: int, patience: int, progress: ProgressCallback | None,
                 stop: StopRequest | None, ceiling: float = math.inf,
                 validate: Validate | None = None) -> None:
        super().__init__()
        self.validate = validate
        self.epochs, self.patience, self.ceiling = epochs, patience, ceiling
        self.progress, self.stop = progress, stop
        self.loss: list[float] = []
        self.val_loss: list[float | None] = []
        self.best_score = math.inf
        self.best_epoch: int | None = None
        self.best_weights: list[np.ndarray] | None = None
        self.reason = COMPLETED
        self.started = self.epoch_started = time.perf_counter()

    def on_train_begin(self, logs=None) -> None:
        self.started = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.epoch_started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None) -> None:
        if self.stop is not None and self.stop.is_set():
            self.reason = STOPPED
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None) -> None:
        logs = logs or {}
        loss = float(logs.get("loss", math.nan))
        if self.validate is not None:
            val_loss = float(self.validate(self.model))
        else:
            val_loss = float(logs["val_loss"]) if "val_loss" in logs else None
        now = time.perf_counter()
        self.loss.append(loss)
        self.val_loss.append(val_loss)
        event = EpochProgress(epoch + 1, self.epochs, loss, val_loss, now - self.epoch_started,
                              now - self.started)
        if self.progress is not None:
            self.progress(event)
        score = event.monitored
        if not (math.isfinite(loss) and math.isfinite(score)) or loss > self.ceiling:
            self.reason = DIVERGED
            self.model.stop_training = True
            return
        self._remember_if_best(score, epoch)
        if self.reason != STOPPED and self.patience and epoch + 1 - self.best_epoch >= self.patience:
            self.reason = EARLY_STOPPING
            self.model.stop_training = True

    def _remember_if_best(self, score: float, epoch: int) -> None:
        if score < self.best_score:
            self.best_score, self.best_epoch = score, epoch + 1
            self.best_weights = self.model.get_weights()


def fit(model: keras.Model, x, y, validation: tuple | None, epochs: int, batch_size: int,
        patience: int = 0, seed: int = 0, progress: ProgressCallback | None = None,
        stop: StopRequest | None = None, validate: Validate | None = None) -> TrainingResult:
    """Fit ``model`` on arrays with progress, stop request, early stopping and a NaN guard.

    ``validation`` is (x, y) or None; early stopping then watches the training loss. ``validate``,
    when given, computes the validation loss instead, and ``validation`` is not evaluated.
    """
    spread = float(np.nanvar(y)) if len(y) > 1 else 0.0
    monitor = _Monitor(epochs, patience, progress, stop, EXPLODED * spread if spread > 0 else math.inf,
                       validate)
    watched = validation is not None or validate is not None
    validation = None if validate is not None else validation
    keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    model.fit(x, y, validation_data=validation, epochs=epochs, batch_size=batch_size,
              shuffle=True, verbose=0, callbacks=[monitor])
    fit_seconds = time.perf_counter() - started
    if monitor.best_weights is not None:
        model.set_weights(monitor.best_weights)
    epochs_run = len(monitor.loss)
    return TrainingResult(
        stop_reason=monitor.reason,
        message=message(monitor.reason, epochs_run, monitor.best_epoch, patience,
                         "validation loss" if watched else "training loss"),
        epochs_run=epochs_run,
        best_epoch=monitor.best_epoch,
        fit_seconds=fit_seconds,
        loss=monitor.loss,
        val_loss=monitor.val_loss,
    )


def train(model: keras.Model, data: WindowedData, config: ExperimentConfig,
          progress: ProgressCallback | None = None, stop: StopRequest | None = None,
          validate: Validate | None = None) -> TrainingResult:
    """Fit ``model`` on the training windows; validation windows drive early stopping (their loss
    computed by ``validate`` when given, and only when there are some). A direct model learns
    every step of the horizon ahead of each window, within the window's own part."""
    ahead = config.outputs

    def targets(part: str, labels: np.ndarray) -> np.ndarray:
        return data.targets_ahead(part, ahead) if ahead > 1 else labels

    has_validation = len(data.y_val) > 0
    validation = (data.X_val, targets("val", data.y_val)) if has_validation else None
    return fit(model, data.X_train, targets("train", data.y_train), validation, config.epochs,
               config.batch_size, config.patience, config.seed, progress, stop,
               validate if has_validation else None)
