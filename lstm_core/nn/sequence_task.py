"""The running-sum task: what return_sequences changes, and what carrying the state means.

Inputs are random 0/1 sequences; the target is their sum. A *many-to-one* model
(``return_sequences=False``) sees only the final sum of sequences of one length L; a
*many-to-many* model (``return_sequences=True`` with a Dense head at every step) learns the
running sum at every step, so it has seen every length from 1 to L.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.infer.numpy_lstm import NumpyLSTM
from lstm_core.runs.progress import TrainingResult

MANY_TO_ONE = "many_to_one"
MANY_TO_MANY = "many_to_many"
KINDS = (MANY_TO_ONE, MANY_TO_MANY)


@dataclass(frozen=True)
class SumTask:
    inputs: np.ndarray  # (n, length, 1) of 0/1
    running_sum: np.ndarray  # (n, length): the sum so far at every step

    @property
    def total(self) -> np.ndarray:
        return self.running_sum[:, -1]

    def targets(self, kind: str) -> np.ndarray:
        """What a model of ``kind`` learns: the final sum, or the running sum at every step."""
        return self.total[:, None] if kind == MANY_TO_ONE else self.running_sum[:, :, None]


def sum_task(n: int, length: int, seed: int = 0) -> SumTask:
    bits = np.random.default_rng(seed).integers(0, 2, size=(n, length)).astype(np.float32)
    return SumTask(bits[:, :, None], np.cumsum(bits, axis=1))


def build_sum_model(kind: str, units: int = 16, seed: int = 0, learning_rate: float = 0.01):
    """One LSTM layer and a Dense head; any sequence length is accepted."""
    from lstm_core.nn.backend import keras

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(None, 1), name="bits")
    hidden = keras.layers.LSTM(units, return_sequences=kind == MANY_TO_MANY, name="lstm_1")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(hidden), name=kind)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", jit_compile=False)
    return model


def train_sum_model(kind: str, length: int = 20, units: int = 16, epochs: int = 30,
                    samples: int = 2000, seed: int = 0, progress=None, stop=None):
    """Train a model of ``kind`` on sequences of ``length``; returns (model, TrainingResult)."""
    from lstm_core.nn.train import fit

    model = build_sum_model(kind, units, seed)
    train_part = sum_task(samples, length, seed)
    val_part = sum_task(max(samples // 5, 1), length, seed + 1)
    result = fit(model, train_part.inputs, train_part.targets(kind),
                 (val_part.inputs, val_part.targets(kind)), epochs, batch_size=64,
                 patience=0, seed=seed, progress=progress, stop=stop)
    return model, result


@dataclass(frozen=True)
class LabModel:
    """A trained sum model as the sequence lab shows it: its NumPy copy and its error by length."""

    kind: str
    length: int
    net: NumpyLSTM
    training: TrainingResult
    mse: np.ndarray  # at evaluation lengths 1..2·length


def train_lab_model(kind: str, length: int, units: int, epochs: int, samples: int, seed: int = 0,
                    progress=None, stop=None, on_stage=None) -> LabModel:
    """:func:`train_sum_model`, then the MSE at every length from 1 to twice the training length.

    Takes the keyword arguments of a :class:`lstm_core.jobs.job.TrainingJob` training.
    """
    report = on_stage or (lambda stage: None)
    report("training")
    model, training = train_sum_model(kind, length, units, epochs, samples, seed, progress, stop)
    report("measuring the error at every length")
    net = NumpyLSTM.from_model(model)
    return LabModel(kind, length, net, training, mse_by_length(net, 2 * length))


def mse_by_length(net: NumpyLSTM, max_length: int, samples: int = 300, seed: int = 99) -> np.ndarray:
    """MSE of the predicted total at the end of sequences of length 1..max_length.

    The head reads the last hidden state for both kinds, so both answer "the sum so far".
    """
    errors = np.empty(max_length)
    for length in range(1, max_length + 1):
        task = sum_task(samples, length, seed + length)
        predicted = net.run(task.inputs)[0][:, -1]
        errors[length - 1] = np.mean((predicted - task.total) ** 2)
    return errors


def parse_bits(text: str) -> np.ndarray:
    """'1,0,1' or '1 0 1' or '101' -> a (1, length, 1) input; anything but 0 and 1 is refused."""
    from lstm_core.errors import ConfigError

    cleaned = text.replace(",", " ").split()
    digits = cleaned if len(cleaned) > 1 else list(text.strip())
    if not digits or any(d not in ("0", "1") for d in digits):
        raise ConfigError(f"type a sequence of 0s and 1s such as 1,0,1; got {text!r}")
    return np.array([float(d) for d in digits], dtype=np.float32)[None, :, None]
