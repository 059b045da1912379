"""The Keras model, built from the config alone.

Importing this module imports TensorFlow (seconds, hundreds of MB): the app imports it only
in the training processes.
"""

from __future__ import annotations

from lstm_core.config.settings import ExperimentConfig
from lstm_core.nn.backend import keras
from lstm_core.nn.fused_lstm import FusedLSTM
from lstm_core.nn.losses import masked_mse

LAYER_NAMES = {"lstm": "lstm", "gru": "gru", "rnn": "rnn", "mlp": "dense"}


def _layer(cell: str, units: int, last: bool, name: str):
    if cell == "lstm":
        return FusedLSTM(units, return_sequences=not last, name=name)
    if cell == "gru":
        return keras.layers.GRU(units, return_sequences=not last, name=name)
    if cell == "rnn":
        return keras.layers.SimpleRNN(units, return_sequences=not last, name=name)
    return keras.layers.Dense(units, activation="relu", name=name)


def build_model(config: ExperimentConfig, n_features: int = 1) -> keras.Model:
    """Stacked layers of the config's cell (sequences passed on by all but the last recurrent
    layer; an MLP reads the flattened window), dropout after each, a Dense head with one output
    (recursive) or one per step of the horizon (direct).

    Seeds Python, NumPy and TensorFlow from ``config.seed`` first, so the same config gives
    the same initial weights and the same training.
    """
    keras.utils.set_random_seed(config.seed)
    inputs = keras.Input(shape=(config.window, n_features), name="window")
    x = keras.layers.Flatten(name="flatten")(inputs) if config.cell == "mlp" else inputs
    for index, units in enumerate(config.units, start=1):
        last = index == len(config.units)
        x = _layer(config.cell, units, last, f"{LAYER_NAMES[config.cell]}_{index}")(x)
        if config.dropout > 0:
            x = keras.layers.Dropout(config.dropout, seed=config.seed + index, name=f"dropout_{index}")(x)
    head = keras.layers.Dense(config.outputs, name="head")(x)
    model = keras.Model(inputs, head, name=f"{config.cell}_forecaster")
    # XLA compilation trains these small recurrent models slower on CPU, so it stays off.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
        loss=masked_mse if config.outputs > 1 else "mse",
        jit_compile=False,
    )
    return model


def rewinder(model: keras.Model):
    """A function that puts ``model`` back as it is now, freshly built: its weights, its dropout
    seeds' states and an optimizer that has taken no step. Training it again then gives what a
    new :func:`build_model` would, without tracing Keras' training function a second time (the
    costliest part of a small model's first epoch)."""
    import numpy as np

    built = [variable.numpy() for variable in model.variables]

    def rewind() -> None:
        for variable, value in zip(model.variables, built, strict=True):
            variable.assign(value)
        for variable in model.optimizer.variables:
            if variable is not model.optimizer.learning_rate:
                variable.assign(np.zeros(variable.shape, dtype=variable.dtype))

    return rewind
