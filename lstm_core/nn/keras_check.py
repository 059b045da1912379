"""The NumPy copy of a trained network checked against Keras' own layers."""

from __future__ import annotations

import numpy as np

from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.nn.backend import keras


def _probe(net: NumpyNet, units: int):
    """Keras' own layer of the net's cell type, returning its sequence and final state(s)."""
    if net.cell == "lstm":
        return keras.layers.LSTM(units, return_sequences=True, return_state=True)
    if net.cell == "gru":
        return keras.layers.GRU(units, return_sequences=True, return_state=True)
    return keras.layers.SimpleRNN(units, return_sequences=True, return_state=True)


def keras_difference(net: NumpyNet, window: np.ndarray) -> float:
    """The largest gap between this NumPy copy and Keras' own layers on ``window``.

    Recurrent cells: each layer's weights go into a Keras layer of the same type that also
    returns its states, run on the previous layer's h sequence; the gap covers every h of every
    layer (and an LSTM's final c). MLP: the head's outputs of a Keras stack of Dense layers.
    Imports TensorFlow.
    """
    inputs = np.asarray(window, dtype=np.float32)[None]
    if net.cell == "mlp":
        return _mlp_difference(net, inputs)
    worst = 0.0
    for weights in net.layers:
        probe = _probe(net, weights.units)
        probe.build(inputs.shape)
        probe.set_weights([weights.kernel, weights.recurrent, weights.bias])
        sequence, *states = (np.asarray(part) for part in probe(inputs))
        ours, last = net._layer(weights, inputs)
        worst = max(worst, float(np.abs(ours - sequence).max()), float(np.abs(last - states[-1]).max()))
        inputs = sequence
    return worst


def _mlp_difference(net: NumpyNet, inputs: np.ndarray) -> float:
    stack = [keras.Input(inputs.shape[1:]), keras.layers.Flatten()]
    stack += [keras.layers.Dense(layer.units, activation="relu") for layer in net.layers]
    model = keras.Sequential([*stack, keras.layers.Dense(net.outputs)])
    model.set_weights([w for layer in net.layers for w in (layer.kernel, layer.bias)]
                      + [net.head_kernel, net.head_bias])
    return float(np.abs(np.asarray(model(inputs)) - net.predict_block(inputs)).max())
