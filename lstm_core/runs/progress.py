"""What a training reports: one :class:`EpochProgress` per epoch, and its :class:`TrainingResult`.

Plain data, apart from :mod:`lstm_core.nn.train` so that a process which only reads
progress and results (the app's server) never imports TensorFlow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from lstm_core.errors import LSTMLabError

LOGGER = logging.getLogger(__name__)

COMPLETED = "completed"
EARLY_STOPPING = "early_stopping"
STOPPED = "stopped"
DIVERGED = "diverged"


class StopRequest(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class EpochProgress:
    epoch: int
    epochs: int
    loss: float
    val_loss: float | None
    seconds: float
    elapsed: float

    @property
    def monitored(self) -> float:
        """The loss early stopping and "best epoch" go by: validation, else training."""
        return self.loss if self.val_loss is None else self.val_loss


ProgressCallback = Callable[[EpochProgress], None]


@dataclass
class TrainingResult:
    stop_reason: str
    message: str
    epochs_run: int
    best_epoch: int | None
    fit_seconds: float
    loss: list[float] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)

    @property
    def history(self) -> dict[str, list]:
        return {"loss": self.loss, "val_loss": self.val_loss}


def message(reason: str, epochs_run: int, best_epoch: int | None, patience: int,
             watched: str = "validation loss") -> str:
    best = f"; weights of epoch {best_epoch} kept" if best_epoch else ""
    return {
        COMPLETED: f"trained all {epochs_run} epochs{best}",
        EARLY_STOPPING: f"stopped early after {epochs_run} epochs: the {watched} did not "
                        f"improve for {patience} epochs{best}",
        STOPPED: f"stopped on request after {epochs_run} epoch(s){best}",
        DIVERGED: f"training diverged at epoch {epochs_run}: the loss became NaN, infinite or "
                  f"over 100 times that of always predicting the average; lower the learning "
                  f"rate{best}",
    }[reason]




def failure_message(exc: BaseException) -> str:
    """What a person reads when a training fails: our own errors as they are, others named. An
    unexpected one (a bug, not a bad input) leaves its traceback in the log of the process it
    happened in (a worker's stderr is the server's), so the one line a person reads is not all
    that is known of it."""
    if isinstance(exc, LSTMLabError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return ("the job needed more memory than one job may use on this server: try a shorter "
                "window, fewer units or a shorter series")
    LOGGER.error("a job failed unexpectedly", exc_info=exc)
    return f"the training failed unexpectedly: {type(exc).__name__}: {exc}"
