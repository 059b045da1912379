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
from scipy.special import expit


@dataclass(frozen=True)
class LSTMWeights:
    kernel: np.ndarray  # (inputs, 4 * units)
    recurrent: np.ndarray  # (units, 4 * units)
    bias: np.ndarray  # (4 * units,)

    @property
    def units(self) -> int:
        return self.recurrent.shape[0]


@dataclass
class GateTrace:
    """Every gate and state of one layer at every step: arrays of shape (batch, time, units)."""

    input_gate: np.ndarray  # i: how much of the candidate is written (0..1)
    forget_gate: np.ndarray  # f: how much of the old cell state is kept (0..1)
    output_gate: np.ndarray  # o: how much of the cell state is shown as h (0..1)
    candidate: np.ndarray  # g: the new content proposed for the cell (-1..1)
    cell: np.ndarray  # c: the cell state, the long-term memory
    hidden: np.ndarray  # h: the output of the layer at each step

    @classmethod
    def empty(cls, batch: int, steps: int, units: int, dtype) -> GateTrace:
        return cls(*(np.empty((batch, steps, units), dtype=dtype) for _ in range(6)))


def lstm_layer(weights: LSTMWeights, inputs: np.ndarray,
               state: tuple[np.ndarray, np.ndarray] | None = None,
               trace: GateTrace | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run one LSTM layer over ``inputs`` (batch, time, features).

    Starts from ``state`` = (h, c), each (batch, units), or from zeros. Returns the hidden
    states (batch, time, units) and the final cell state (batch, units); with ``trace``
    given, also fills it with every gate at every step.
    """
    batch, steps, _ = inputs.shape
    u = weights.units
    projected = inputs @ weights.kernel + weights.bias
    if state is None:
        h = np.zeros((batch, u), dtype=projected.dtype)
        c = np.zeros((batch, u), dtype=projected.dtype)
    else:
        h, c = (np.asarray(s, dtype=projected.dtype) for s in state)
    hidden = np.empty((batch, steps, u), dtype=projected.dtype)
    for t in range(steps):
        z = projected[:, t] + h @ weights.recurrent
        gates = expit(z)  # i, f and o; the candidate's quarter is replaced by its tanh below
        g = np.tanh(z[:, 2 * u:3 * u])
        c = gates[:, u:2 * u] * c + gates[:, :u] * g
        h = gates[:, 3 * u:] * np.tanh(c)
        hidden[:, t] = h
        if trace is not None:
            trace.input_gate[:, t], trace.forget_gate[:, t] = gates[:, :u], gates[:, u:2 * u]
            trace.output_gate[:, t], trace.candidate[:, t] = gates[:, 3 * u:], g
            trace.cell[:, t], trace.hidden[:, t] = c, h
    return hidden, c


@dataclass(frozen=True)
class NumpyLSTM:
    layers: tuple[LSTMWeights, ...]
    head_kernel: np.ndarray  # (units, 1)
    head_bias: np.ndarray  # (1,)
    dropout: float = 0.0

    @classmethod
    def from_model(cls, model) -> NumpyLSTM:
        """Copy the weights of a model made by :func:`lstm_core.nn.build.build_model`."""
        rates = [float(layer.rate) for layer in model.layers if type(layer).__name__ == "Dropout"]
        return cls.from_weights(model.get_weights(), rates[0] if rates else 0.0)

    @classmethod
    def from_weights(cls, weights: list[np.ndarray], dropout: float = 0.0) -> NumpyLSTM:
        """Rebuild from ``model.get_weights()`` of such a model: three arrays (kernel, recurrent
        kernel, bias) per LSTM layer, then the Dense head's kernel and bias."""
        arrays = [np.asarray(w, dtype=np.float32) for w in weights]
        if len(arrays) < 5 or (len(arrays) - 2) % 3:
            raise ValueError(f"expected 3 arrays per LSTM layer and 2 for the head, got {len(arrays)}")
        layers = tuple(LSTMWeights(*arrays[k:k + 3]) for k in range(0, len(arrays) - 2, 3))
        return cls(layers, arrays[-2], arrays[-1], dropout)

    def trace(self, window: np.ndarray) -> list[GateTrace]:
        """Gates and states of every layer for one window (time, features), batch of one."""
        x = np.asarray(window, dtype=np.float32)[None]
        traces = []
        for weights in self.layers:
            trace = GateTrace.empty(1, x.shape[1], weights.units, np.float32)
            x, _ = lstm_layer(weights, x, trace=trace)
            traces.append(trace)
        return traces

    def run(self, inputs: np.ndarray, states: list[tuple[np.ndarray, np.ndarray]] | None = None
            ) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """The head's output after every step of ``inputs`` (batch, time, features).

        Starts from ``states`` (one (h, c) per layer, as this returns them) or from zeros,
        so a second call can carry on where the first one stopped.
        """
        x = np.asarray(inputs, dtype=np.float32)
        final_states = []
        for index, weights in enumerate(self.layers):
            x, c = lstm_layer(weights, x, None if states is None else states[index])
            final_states.append((x[:, -1], c))
        return (x @ self.head_kernel + self.head_bias)[..., 0], final_states

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
