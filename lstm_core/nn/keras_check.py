"""The NumPy copy of a trained network checked against Keras' own LSTM layers."""

from __future__ import annotations

import numpy as np

from lstm_core.infer.numpy_lstm import NumpyLSTM
from lstm_core.nn.backend import keras


def keras_difference(net: NumpyLSTM, window: np.ndarray) -> float:
    """The largest gap between this NumPy copy's trace of ``window`` and Keras' own LSTM layers.

    Each layer's weights go into a Keras LSTM that also returns its states, run on the
    previous layer's h sequence: the gap covers every h and the final c of every layer.
    Imports TensorFlow.
    """
    inputs = np.asarray(window, dtype=np.float32)[None]
    worst = 0.0
    for weights, trace in zip(net.layers, net.trace(window), strict=True):
        probe = keras.layers.LSTM(weights.units, return_sequences=True, return_state=True)
        probe.build(inputs.shape)
        probe.set_weights([weights.kernel, weights.recurrent, weights.bias])
        sequence, _, final_c = (np.asarray(part) for part in probe(inputs))
        worst = max(worst, float(np.abs(trace.hidden - sequence).max()),
                    float(np.abs(trace.cell[:, -1] - final_c).max()))
        inputs = sequence
    return worst
