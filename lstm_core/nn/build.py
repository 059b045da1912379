"""The Keras model, built from the config alone.

Importing this module imports TensorFlow (seconds, hundreds of MB): the app imports it only
in the training processes.
"""

from __future__ import annotations

from lstm_core.config.settings import ExperimentConfig
from lstm_core.nn.backend import keras
from lstm_core.nn.fused_lstm import FusedLSTM


def build_model(config: ExperimentConfig, n_features: int = 1) -> keras.Model:
    """Stacked LSTM layers (sequences passed on by all but the last), dropout after each, a Dense head.

    Seeds Python, NumPy and TensorFlow from ``config.seed`` first, so the same config gives
    the same initial weights and the same training.
    """
    keras.utils.set_random_seed(config.seed)
    inputs = keras.Input(shape=(config.window, n_features), name="window")
    x = inputs
    for index, units in enumerate(config.units, start=1):
        last = index == len(config.units)
        x = FusedLSTM(units, return_sequences=not last, name=f"lstm_{index}")(x)
        if config.dropout > 0:
            x = keras.layers.Dropout(config.dropout, seed=config.seed + index, name=f"dropout_{index}")(x)
    outputs = keras.layers.Dense(1, name="head")(x)
    model = keras.Model(inputs, outputs, name="lstm_forecaster")
    # XLA compilation trains these small recurrent models slower on CPU, so it stays off.
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.learning_rate),
        loss="mse",
        jit_compile=False,
    )
    return model
