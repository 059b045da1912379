"""Parameter counts from the architecture alone, without building a model."""

from __future__ import annotations


def lstm_layer_params(units: int, inputs: int) -> int:
    """4 gates, each with a kernel (inputs), a recurrent kernel (units) and a bias."""
    return 4 * (units * (units + inputs) + units)


def count_params(units: list[int], n_features: int = 1) -> int:
    """Trainable parameters of the stacked LSTM and its Dense head."""
    total, inputs = 0, n_features
    for layer_units in units:
        total += lstm_layer_params(layer_units, inputs)
        inputs = layer_units
    return total + inputs + 1
