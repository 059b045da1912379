"""The sequence lab's runs: a sum model trained in a worker, kept as its NumPy copy and its
error at every sequence length.

:func:`train_lab_model` is what a page hands to a :class:`~lstm_core.jobs.job.TrainingJob`:
it imports the network code (and so TensorFlow) only when it runs, in the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lstm_core.data.sum_task import sum_task
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.runs.progress import TrainingResult


@dataclass(frozen=True)
class LabModel:
    """A trained sum model as the sequence lab shows it: its NumPy copy and its error by length."""

    kind: str
    length: int
    net: NumpyNet
    training: TrainingResult
    mse: np.ndarray  # at evaluation lengths 1..2·length


def train_lab_model(kind: str, length: int, units: int, epochs: int, samples: int, seed: int = 0,
                    progress=None, stop=None, on_stage=None) -> LabModel:
    """:func:`train_sum_model`, then the MSE at every length from 1 to twice the training length.

    Takes the keyword arguments of a :class:`lstm_core.jobs.job.TrainingJob` training.
    """
    from lstm_core.nn.sum_model import train_sum_model

    report = on_stage or (lambda stage: None)
    report("training")
    model, training = train_sum_model(kind, length, units, epochs, samples, seed, progress, stop)
    report("measuring the error at every length")
    net = NumpyNet.from_model(model)
    return LabModel(kind, length, net, training, mse_by_length(net, 2 * length))


def mse_by_length(net: NumpyNet, max_length: int, samples: int = 300, seed: int = 99) -> np.ndarray:
    """MSE of the predicted total at the end of sequences of length 1..max_length.

    The head reads the last hidden state for both kinds, so both answer "the sum so far".
    """
    errors = np.empty(max_length)
    for length in range(1, max_length + 1):
        task = sum_task(samples, length, seed + length)
        predicted = net.run(task.inputs)[0][:, -1]
        errors[length - 1] = np.mean((predicted - task.total) ** 2)
    return errors
