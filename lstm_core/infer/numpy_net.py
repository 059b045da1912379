"""The trained network recomputed in NumPy from its weights, for every cell type.

Keras' steps, written out as Keras stores the weights (``x`` the input at a step, ``h`` the
previous hidden state):

LSTM (gates i, f, g, o)::

    z = x·W + h·U + b;  i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
    c = f * c + i * g;  h = o * tanh(c)

GRU (Keras' default ``reset_after``; gates z, r, candidate; two biases, for x and for h)::

    a = x·W + b_x;  m = h·U + b_h
    z = sigmoid(a_z + m_z);  r = sigmoid(a_r + m_r);  g = tanh(a_g + r * m_g)
    h = z * h + (1 - z) * g

plain RNN::  h = tanh(x·W + h·U + b)

MLP: the window flattened (step by step, the features of each step together), then
``relu(x·W + b)`` per layer. It has no state and no gates.

The head is ``h·V + c`` with one output (the next step) or, for the direct strategy, one per
step ahead. The recursive forecast runs on this copy: one small NumPy computation per step
instead of one Keras call, and the same arithmetic the gate views show.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from scipy.special import expit

from lstm_core.config.fields import CELL_LABELS, RECURRENT
from lstm_core.errors import ConfigError


@dataclass(frozen=True)
class LayerWeights:
    """One layer's arrays as Keras keeps them: kernel (inputs, gates × units), recurrent kernel
    (units, gates × units) and bias; an MLP layer has no recurrent kernel."""

    kernel: np.ndarray
    recurrent: np.ndarray | None
    bias: np.ndarray

    @property
    def units(self) -> int:
        return self.kernel.shape[1] if self.recurrent is None else self.recurrent.shape[0]


@dataclass
class GateTrace:
    """Every gate and state of one LSTM layer at every step: arrays of shape (batch, time, units)."""

    input_gate: np.ndarray  # i: how much of the candidate is written (0..1)
    forget_gate: np.ndarray  # f: how much of the old cell state is kept (0..1)
    output_gate: np.ndarray  # o: how much of the cell state is shown as h (0..1)
    candidate: np.ndarray  # g: the new content proposed for the cell (-1..1)
    cell: np.ndarray  # c: the cell state, the long-term memory
    hidden: np.ndarray  # h: the output of the layer at each step

    @classmethod
    def empty(cls, batch: int, steps: int, units: int, dtype) -> GateTrace:
        return cls(*(np.empty((batch, steps, units), dtype=dtype) for _ in fields(cls)))


@dataclass
class GRUTrace:
    """Every gate and state of one GRU layer at every step: arrays of shape (batch, time, units)."""

    update_gate: np.ndarray  # z: how much of the old h is kept (0..1); 1 - z takes the candidate
    reset_gate: np.ndarray  # r: how much of the old h the candidate may read (0..1)
    candidate: np.ndarray  # g: the new content proposed for h (-1..1)
    hidden: np.ndarray  # h: the output of the layer, and its only memory

    @classmethod
    def empty(cls, batch: int, steps: int, units: int, dtype) -> GRUTrace:
        return cls(*(np.empty((batch, steps, units), dtype=dtype) for _ in fields(cls)))


TRACES = {"lstm": GateTrace, "gru": GRUTrace}


def lstm_layer(weights: LayerWeights, inputs: np.ndarray,
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


def gru_layer(weights: LayerWeights, inputs: np.ndarray, state: np.ndarray | None = None,
              trace: GRUTrace | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run one GRU layer over ``inputs`` (batch, time, features) from ``state`` h (or zeros).

    Returns the hidden states (batch, time, units) and the final h; with ``trace`` given, also
    fills it with every gate at every step.
    """
    batch, steps, _ = inputs.shape
    u = weights.units
    input_bias, recurrent_bias = weights.bias
    projected = inputs @ weights.kernel + input_bias
    h = np.zeros((batch, u), projected.dtype) if state is None else np.asarray(state, projected.dtype)
    hidden = np.empty((batch, steps, u), dtype=projected.dtype)
    for t in range(steps):
        a = projected[:, t]
        m = h @ weights.recurrent + recurrent_bias
        z = expit(a[:, :u] + m[:, :u])
        r = expit(a[:, u:2 * u] + m[:, u:2 * u])
        g = np.tanh(a[:, 2 * u:] + r * m[:, 2 * u:])
        h = z * h + (1 - z) * g
        hidden[:, t] = h
        if trace is not None:
            trace.update_gate[:, t], trace.reset_gate[:, t] = z, r
            trace.candidate[:, t], trace.hidden[:, t] = g, h
    return hidden, h


def rnn_layer(weights: LayerWeights, inputs: np.ndarray,
              state: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run one plain RNN layer over ``inputs`` (batch, time, features): h = tanh(x·W + h·U + b)."""
    batch, steps, _ = inputs.shape
    projected = inputs @ weights.kernel + weights.bias
    h = (np.zeros((batch, weights.units), projected.dtype) if state is None
         else np.asarray(state, projected.dtype))
    hidden = np.empty((batch, steps, weights.units), dtype=projected.dtype)
    for t in range(steps):
        h = np.tanh(projected[:, t] + h @ weights.recurrent)
        hidden[:, t] = h
    return hidden, h


ARRAYS_PER_LAYER = {"lstm": 3, "gru": 3, "rnn": 3, "mlp": 2}


@dataclass(frozen=True)
class NumpyNet:
    layers: tuple[LayerWeights, ...]
    head_kernel: np.ndarray  # (units, outputs)
    head_bias: np.ndarray  # (outputs,)
    dropout: float = 0.0
    cell: str = "lstm"

    @property
    def outputs(self) -> int:
        """Steps ahead the head gives at once: 1 for a recursive model, the horizon for a direct one."""
        return self.head_bias.shape[0]

    @property
    def units(self) -> list[int]:
        return [layer.units for layer in self.layers]

    @property
    def size(self) -> int:
        """How many weights it has: a recurrent cell uses each once per step of the window."""
        arrays = [a for layer in self.layers for a in (layer.kernel, layer.recurrent, layer.bias)
                  if a is not None]
        return sum(a.size for a in arrays) + self.head_kernel.size + self.head_bias.size

    @classmethod
    def from_model(cls, model) -> NumpyNet:
        """Copy the weights of a model made by :func:`lstm_core.nn.build.build_model` (or of a
        plain Keras stack of one cell type and a Dense head)."""
        names = [type(layer).__name__ for layer in model.layers]
        rates = [float(layer.rate) for layer, name in zip(model.layers, names, strict=True)
                 if name == "Dropout"]
        if "GRU" in names:
            cell = "gru"
        elif "SimpleRNN" in names:
            cell = "rnn"
        elif "Flatten" in names:
            cell = "mlp"
        else:
            cell = "lstm"
        return cls.from_weights(model.get_weights(), rates[0] if rates else 0.0, cell)

    @classmethod
    def from_weights(cls, weights: list[np.ndarray], dropout: float = 0.0, cell: str = "lstm") -> NumpyNet:
        """Rebuild from ``model.get_weights()`` of such a model: three arrays (kernel, recurrent
        kernel, bias) per recurrent layer or two (kernel, bias) per MLP layer, then the Dense
        head's kernel and bias."""
        arrays = [np.asarray(w, dtype=np.float32) for w in weights]
        per = ARRAYS_PER_LAYER[cell]
        if len(arrays) < per + 2 or (len(arrays) - 2) % per:
            raise ValueError(f"expected {per} arrays per {CELL_LABELS[cell]} layer and 2 for the head, "
                             f"got {len(arrays)}")
        if per == 3:
            layers = tuple(LayerWeights(*arrays[k:k + 3]) for k in range(0, len(arrays) - 2, 3))
        else:
            layers = tuple(LayerWeights(arrays[k], None, arrays[k + 1]) for k in range(0, len(arrays) - 2, 2))
        return cls(layers, arrays[-2], arrays[-1], dropout, cell)

    @classmethod
    def for_config(cls, weights: list[np.ndarray], config) -> NumpyNet:
        """The network an :class:`~lstm_core.config.settings.ExperimentConfig` describes."""
        return cls.from_weights(weights, config.dropout, config.cell)

    def _recurrent(self, what: str) -> None:
        if self.cell not in RECURRENT:
            raise ConfigError(f"{what} needs a recurrent network; an {CELL_LABELS[self.cell]} has no state")

    def trace(self, window: np.ndarray) -> list[GateTrace] | list[GRUTrace]:
        """Gates and states of every layer for one window (time, features), batch of one.

        For LSTM and GRU layers only: a plain RNN and an MLP have no gates.
        """
        if self.cell not in TRACES:
            raise ConfigError(f"gates exist in LSTM and GRU layers; a {CELL_LABELS[self.cell]} has none")
        x = np.asarray(window, dtype=np.float32)[None]
        traces = []
        for weights in self.layers:
            trace = TRACES[self.cell].empty(1, x.shape[1], weights.units, np.float32)
            x, _ = (lstm_layer if self.cell == "lstm" else gru_layer)(weights, x, trace=trace)
            traces.append(trace)
        return traces

    def _layer(self, weights: LayerWeights, x: np.ndarray, state=None):
        if self.cell == "lstm":
            return lstm_layer(weights, x, state)
        if self.cell == "gru":
            return gru_layer(weights, x, state)
        return rnn_layer(weights, x, state)

    def run(self, inputs: np.ndarray, states: list | None = None) -> tuple[np.ndarray, list]:
        """The head's first output after every step of ``inputs`` (batch, time, features).

        Starts from ``states`` (one per layer, as this returns them: (h, c) for an LSTM, h for
        the others) or from zeros, so a second call can carry on where the first one stopped.
        """
        self._recurrent("running step by step")
        x = np.asarray(inputs, dtype=np.float32)
        final_states = []
        for index, weights in enumerate(self.layers):
            x, last = self._layer(weights, x, None if states is None else states[index])
            final_states.append((x[:, -1], last) if self.cell == "lstm" else last)
        return (x @ self.head_kernel[:, :1] + self.head_bias[:1])[..., 0], final_states

    def predict_block(self, windows: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """Every output of the head per window (batch, time, features) -> (batch, outputs).

        With ``rng`` given, dropout stays on as during training (Monte-Carlo dropout).
        """
        x = np.asarray(windows, dtype=np.float32)
        if self.cell == "mlp":
            x = x.reshape(len(x), -1)
        for index, weights in enumerate(self.layers):
            if self.cell == "mlp":
                x = np.maximum(x @ weights.kernel + weights.bias, 0.0)
            else:
                hidden, _ = self._layer(weights, x)
                x = hidden if index < len(self.layers) - 1 else hidden[:, -1]
            if rng is not None and self.dropout > 0:
                keep = rng.random(x.shape) >= self.dropout
                x = x * keep / (1.0 - self.dropout)
        return x @ self.head_kernel + self.head_bias

    def predict(self, windows: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        """One prediction of the next step per window (batch, time, features) -> (batch,)."""
        return self.predict_block(windows, rng)[:, 0]
