"""The trained network recomputed in NumPy from its weights.

Keras' LSTM step, written out (gate order i, f, g, o as Keras stores them):

    z = x·W + h·U + b;  i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
    c = f * c + i * g;  h = o * tanh(c)

The recursive forecast runs on this copy: one small NumPy computation per step instead of
one Keras call, and the same arithmetic the gate views show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LSTMWeights:
    kernel: np.ndarray  # (inputs, 4 * units)
    recurrent: np.ndarray  # (units, 4 * units)
    bias: np.ndarray  # (4 * units,)

    @property
    def units(self) -> int:
        return self.recurrent.shape[0]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def lstm_layer(weights: LSTMWeights, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run one LSTM layer over ``inputs`` (batch, time, features) from a zero state.

    Returns the hidden states (batch, time, units) and the final cell state (batch, units).
    """
    batch, steps, _ = inputs.shape
    u = weights.units
    projected = inputs @ weights.kernel + weights.bias
    h = np.zeros((batch, u), dtype=projected.dtype)
    c = np.zeros((batch, u), dtype=projected.dtype)
    hidden = np.empty((batch, steps, u), dtype=projected.dtype)
    for t in range(steps):
        z = projected[:, t] + h @ weights.recurrent
        i = _sigmoid(z[:, :u])
        f = _sigmoid(z[:, u:2 * u])
        g = np.tanh(z[:, 2 * u:3 * u])
        o = _sigmoid(z[:, 3 * u:])
        c = f * c + i * g
        h = o * np.tanh(c)
        hidden[:, t] = h
    return hidden, c


@dataclass(frozen=True)
class NumpyLSTM:
    layers: tuple[LSTMWeights, ...]
    head_kernel: np.ndarray  # (units, 1)
    head_bias: np.ndarray  # (1,)
    dropout: float = 0.0

    @classmethod
    def from_model(cls, model) -> NumpyLSTM:
        """Copy the weights of a model made by :func:`lstm_core.model.build_model`."""
        layers, head, dropout = [], None, 0.0
        for layer in model.layers:
            kind = type(layer).__name__
            if kind == "LSTM":
                kernel, recurrent, bias = (w.astype(np.float32) for w in layer.get_weights())
                layers.append(LSTMWeights(kernel, recurrent, bias))
            elif kind == "Dropout":
                dropout = float(layer.rate)
            elif kind == "Dense":
                head = [w.astype(np.float32) for w in layer.get_weights()]
        if not layers or head is None:
            raise ValueError("the model has no LSTM layers or no Dense head")
        return cls(tuple(layers), head[0], head[1], dropout)

    def predict(self, windows: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """One prediction per window (batch, time, features) -> (batch,).

        With ``rng`` given, dropout stays on as during training (Monte-Carlo dropout).
        """
        x = np.asarray(windows, dtype=np.float32)
        for index, weights in enumerate(self.layers):
            hidden, _ = lstm_layer(weights, x)
            x = hidden if index < len(self.layers) - 1 else hidden[:, -1]
            if rng is not None and self.dropout > 0:
                keep = rng.random(x.shape) >= self.dropout
                x = x * keep / (1.0 - self.dropout)
        return (x @ self.head_kernel + self.head_bias)[:, 0]
