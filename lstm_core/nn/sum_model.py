"""The sequence lab's models: one LSTM layer and a Dense head, trained on the running-sum task
(:mod:`lstm_core.data.sum_task`). Imports TensorFlow when a model is built.
"""

from __future__ import annotations

from lstm_core.data.sum_task import KINDS, MANY_TO_MANY, sum_task


def build_sum_model(kind: str, units: int = 16, seed: int = 0, learning_rate: float = 0.01):
    """One LSTM layer and a Dense head; any sequence length is accepted."""
    from lstm_core.nn.backend import keras

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(None, 1), name="bits")
    hidden = keras.layers.LSTM(units, return_sequences=kind == MANY_TO_MANY, name="lstm_1")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(hidden), name=kind)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse", jit_compile=False)
    return model


def train_sum_model(kind: str, length: int = 20, units: int = 16, epochs: int = 30,
                    samples: int = 2000, seed: int = 0, progress=None, stop=None):
    """Train a model of ``kind`` on sequences of ``length``; returns (model, TrainingResult)."""
    from lstm_core.nn.train import fit

    model = build_sum_model(kind, units, seed)
    train_part = sum_task(samples, length, seed)
    val_part = sum_task(max(samples // 5, 1), length, seed + 1)
    result = fit(model, train_part.inputs, train_part.targets(kind),
                 (val_part.inputs, val_part.targets(kind)), epochs, batch_size=64,
                 patience=0, seed=seed, progress=progress, stop=stop)
    return model, result
