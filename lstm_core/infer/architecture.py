"""The network's weight shapes and parameter counts from the settings alone, without building it.

One place for what each cell type holds, in Keras' ``get_weights()`` order: an import checks a
file's arrays against these shapes before reading them, and the pages count parameters with it.
"""

from __future__ import annotations

import math

GATES = {"lstm": 4, "gru": 3, "rnn": 1}  # weight blocks per recurrent layer


def layer_shapes(cell: str, units: int, inputs: int) -> list[tuple[int, ...]]:
    """One layer's arrays: kernel, recurrent kernel and bias (GRU: a bias for x and one for h);
    an MLP layer: kernel and bias."""
    if cell == "mlp":
        return [(inputs, units), (units,)]
    blocks = GATES[cell] * units
    bias = (2, blocks) if cell == "gru" else (blocks,)
    return [(inputs, blocks), (units, blocks), bias]


def layer_params(cell: str, units: int, inputs: int) -> int:
    """LSTM: 4 × (units × (units + inputs) + units); GRU: 3 × (units × (units + inputs) + 2 × units);
    plain RNN: units × (units + inputs) + units; MLP: units × inputs + units."""
    return sum(math.prod(shape) for shape in layer_shapes(cell, units, inputs))


def weight_shapes(config, n_features: int) -> list[tuple[int, ...]]:
    """The weight shapes of the model ``config`` describes, in Keras' get_weights() order."""
    inputs = n_features * config.window if config.cell == "mlp" else n_features
    shapes = []
    for units in config.units:
        shapes += layer_shapes(config.cell, units, inputs)
        inputs = units
    return [*shapes, (inputs, config.outputs), (config.outputs,)]


def count_params(config, n_features: int = 1) -> int:
    """Trainable parameters of the layers and the Dense head."""
    return sum(math.prod(shape) for shape in weight_shapes(config, n_features))
