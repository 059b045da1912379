"""Retrains an LSTM Lab run with plain Keras and prints its test RMSE.

Reads data.csv next to this file and prepares it as LSTM Lab did: the run's transform, a
chronological train / validation / test split, the scaler fitted on the training part only,
windows of the past steps. Then the same model, built and trained the same way from the same
seed. Needs numpy, pandas, scikit-learn and tensorflow (Keras 3).
"""

# >>> template
# The template of reproduce.py: exporting a run puts the run's values and LSTM Lab's LSTM layer in
# place of the marked blocks, and drops this note. It imports nothing of LSTM Lab, so the script runs
# anywhere; tests/core/runs/test_reproduce.py checks that its split and windows are LSTM Lab's.
# <<< template

import math
import os
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

# The run: every setting of the experiment (the transform, and a seasonal one's season, as the run
# resolved them), TensorFlow's intra-op threads during the run (0: its default) and the test RMSE
# LSTM Lab measured.
# >>> run
SETTINGS: dict = {}
THREADS = 0
MEASURED_RMSE = math.nan
# <<< run

# LSTM Lab trains with TensorFlow's graph rewriting off; rewriting can reorder sums and change the
# last bits on some processors, so the script runs the same graphs.
tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
if THREADS:
    tf.config.threading.set_intra_op_parallelism_threads(THREADS)
    tf.config.threading.set_inter_op_parallelism_threads(1)


# The LSTM layer LSTM Lab trains with (Keras' LSTM computed by TensorFlow's fused kernel), and
# the loss of a direct model (the squared error over the targets that exist).
# >>> layer
FusedLSTM = keras.layers.LSTM  # a stand-in with the same outputs, replaced by LSTM Lab's on export
masked_mse = "mse"  # a stand-in, replaced by LSTM Lab's on export
# <<< layer


def split(rows: int, val_share: float, test_share: float) -> tuple[int, int]:
    """Where training ends and where validation ends; the test part has at least one row."""
    val_end = rows - max(1, round(rows * test_share))
    return val_end - round(rows * val_share), val_end


def windows(scaled: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``scaled[j - window:j]`` (every column) and label ``scaled[j, 0]`` for every j >= window."""
    X = np.lib.stride_tricks.sliding_window_view(scaled[:-1], window, axis=0).transpose(0, 2, 1).copy()
    return X, scaled[window:, 0].copy()


def outputs(settings: dict) -> int:
    """The head's outputs: 1 (the next step, recursive) or one per step of the horizon (direct)."""
    return settings["horizon"] if settings["strategy"] == "direct" else 1


def ahead(scaled: np.ndarray, rows: np.ndarray, end: int, steps: int) -> np.ndarray:
    """The target at each of ``rows`` and the ``steps - 1`` after it; NaN from ``end`` (the part's end) on."""
    at = rows[:, None] + np.arange(steps)[None]
    out = np.full(at.shape, np.nan)
    out[at < end] = scaled[at[at < end], 0]
    return out


def lag(settings: dict) -> int:
    """How many leading samples the transform consumes: its difference's lag (sdiff: the season)."""
    if hybrid(settings):
        return 1
    return {"none": 0, "log": 0, "diff": 1}.get(settings["transform"], settings.get("season_length", 0))


def hybrid(settings: dict) -> bool:
    """dseason and log_dseason: the seasonal profile LSTM Lab fitted on the training part is taken
    out before the first difference."""
    return settings["transform"].endswith("dseason")


def season_at(times: np.ndarray, settings: dict) -> np.ndarray:
    """The fitted seasonal profile's value at each time (zero without a hybrid transform)."""
    if not hybrid(settings):
        return np.zeros(len(times))
    profile = np.asarray(settings["season_profile"], dtype=np.float64)
    return profile[np.asarray(times) % len(profile)]


def log_first(settings: dict) -> bool:
    return settings["transform"].startswith("log")


def transformed(values: np.ndarray, settings: dict) -> np.ndarray:
    """The series the model learns: log (log, log_sdiff, log_dseason), the fitted season out
    (dseason), then a difference over ``lag`` steps."""
    base, step = np.log(values) if log_first(settings) else values, lag(settings)
    base = base - season_at(np.arange(len(base)), settings)
    return base[step:] - base[:-step] if step else base


def levels(z: np.ndarray, values: np.ndarray, times: np.ndarray, settings: dict) -> np.ndarray:
    """One-step predictions ``z`` at ``times`` back to levels, from the true levels before them."""
    base, step = np.log(values) if log_first(settings) else values, lag(settings)
    predicted = base[times - step] + z if step else z
    predicted = predicted + season_at(times, settings) - season_at(times - step, settings)
    return np.exp(predicted) if log_first(settings) else predicted


def prepare(table: pd.DataFrame, settings: dict) -> tuple:
    """The levels, the scaler, the transform's offset, the windows with their labels and label
    rows, and which windows are train, validation and test."""
    values = table["value"].to_numpy(dtype=np.float64)
    features = [c for c in table.columns if c.startswith("feature_")]
    matrix = np.column_stack([values] + [table[c].to_numpy(dtype=np.float64) for c in features])
    if settings.get("phase_season"):  # where each step stands in the season, as sine and cosine
        angle = 2 * np.pi * (np.arange(len(values)) % settings["phase_season"]) / settings["phase_season"]
        matrix = np.column_stack([matrix, np.sin(angle), np.cos(angle)])
    offset = lag(settings)
    matrix = matrix[offset:].copy()
    matrix[:, 0] = transformed(values, settings)
    train_end, val_end = split(len(matrix), settings["val_share"], settings["test_share"])
    scaler = MinMaxScaler() if settings["scaler"] == "minmax" else StandardScaler()
    scaled = scaler.fit(matrix[:train_end]).transform(matrix)
    X, y = windows(scaled, settings["window"])
    rows = np.arange(settings["window"], len(scaled))
    parts = [rows < train_end, (rows >= train_end) & (rows < val_end), rows >= val_end]
    if outputs(settings) > 1:  # a direct model learns every step ahead, within each window's part
        y = [ahead(scaled, rows[part], end, outputs(settings))
             for part, end in zip(parts, (train_end, val_end, len(scaled)), strict=True)]
    else:
        y = [y[part] for part in parts]
    return values, scaler, offset, X, y, rows, parts


def layer(cell: str, size: int, last: bool, name: str):
    if cell == "lstm":
        return FusedLSTM(size, return_sequences=not last, name=name)
    if cell == "gru":
        return keras.layers.GRU(size, return_sequences=not last, name=name)
    if cell == "rnn":
        return keras.layers.SimpleRNN(size, return_sequences=not last, name=name)
    return keras.layers.Dense(size, activation="relu", name=name)


def build(n_features: int, settings: dict) -> keras.Model:
    seed, units = settings["seed"], settings["units"]
    keras.utils.set_random_seed(seed)
    cell = settings["cell"]
    inputs = keras.Input(shape=(settings["window"], n_features), name="window")
    x = keras.layers.Flatten(name="flatten")(inputs) if cell == "mlp" else inputs
    for index, size in enumerate(units, start=1):
        x = layer(cell, size, index == len(units), f"{cell}_{index}")(x)
        if settings["dropout"] > 0:
            x = keras.layers.Dropout(settings["dropout"], seed=seed + index, name=f"dropout_{index}")(x)
    head = keras.layers.Dense(outputs(settings), name="head")(x)
    model = keras.Model(inputs, head, name=f"{cell}_forecaster")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=settings["learning_rate"]),
                  loss=masked_mse if outputs(settings) > 1 else "mse", jit_compile=False)
    return model


class KeepBest(keras.callbacks.Callback):
    """Early stopping on the validation loss (training loss without validation), the best
    epoch's weights kept, and a stop at the first non-finite loss: as LSTM Lab trains."""

    def __init__(self, patience: int) -> None:
        super().__init__()
        self.patience = patience
        self.best, self.best_epoch, self.weights = math.inf, None, None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        loss = float(logs.get("loss", math.nan))
        score = float(logs["val_loss"]) if "val_loss" in logs else loss
        if not (math.isfinite(loss) and math.isfinite(score)):
            self.model.stop_training = True
            return
        if score < self.best:
            self.best, self.best_epoch, self.weights = score, epoch + 1, self.model.get_weights()
        if self.patience and epoch + 1 - self.best_epoch >= self.patience:
            self.model.stop_training = True


def main() -> None:
    table = pd.read_csv(Path(__file__).with_name("data.csv"))
    values, scaler, offset, X, y, rows, parts = prepare(table, SETTINGS)
    model = build(X.shape[2], SETTINGS)
    keep = KeepBest(SETTINGS["patience"])
    keras.utils.set_random_seed(SETTINGS["seed"])
    validation = (X[parts[1]], y[1]) if parts[1].any() else None
    model.fit(X[parts[0]], y[0], validation_data=validation, epochs=SETTINGS["epochs"],
              batch_size=SETTINGS["batch_size"], shuffle=True, verbose=0, callbacks=[keep])
    if keep.weights is not None:
        model.set_weights(keep.weights)
    scaled = model.predict(X[parts[2]], batch_size=1024, verbose=0)[:, 0].astype(np.float64)
    columns = np.zeros((len(scaled), X.shape[2]))
    columns[:, 0] = scaled
    z = scaler.inverse_transform(columns)[:, 0]
    times = rows[parts[2]] + offset
    predicted = levels(z, values, times, SETTINGS)
    rmse = float(np.sqrt(np.mean((predicted - values[times]) ** 2)))
    print(f"LSTM Lab measured a test RMSE of {MEASURED_RMSE!r}")
    print(f"test RMSE {rmse!r}")


if __name__ == "__main__":
    main()
