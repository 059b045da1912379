"""lstm_core's training vs a plain Keras fit with Keras' default compile, side by side.

Same data (the default sine), same 2-layer LSTM(64), same epochs and batch size. lstm_core's
model computes its LSTM layers with TensorFlow's fused kernel (lstm_core.nn.fused_lstm.FusedLSTM).
Also the cost of the progress plumbing: lstm_core's training with its progress callback and
stop request vs the same model fitted with no callback at all.
"""

import json
import threading
import time

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.windows import prepare
from lstm_core.nn.backend import keras
from lstm_core.nn.build import build_model
from lstm_core.nn.train import train
from lstm_core.runs.experiment import load_series

CONFIG = ExperimentConfig(units=[64, 64], epochs=6, batch_size=32, patience=0)
ROUNDS = 3


def plain_keras_seconds(data) -> float:
    keras.utils.set_random_seed(CONFIG.seed)
    model = keras.Sequential([
        keras.Input((CONFIG.window, data.n_features)),
        keras.layers.LSTM(64, return_sequences=True),
        keras.layers.LSTM(64),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(CONFIG.learning_rate), loss="mse")  # defaults
    began = time.perf_counter()
    model.fit(data.X_train, data.y_train, validation_data=(data.X_val, data.y_val),
              epochs=CONFIG.epochs, batch_size=CONFIG.batch_size, verbose=0)
    return time.perf_counter() - began


def lstm_core_seconds(data) -> float:
    """lstm_core's training as the app runs it: progress callback and stop request on."""
    events = []
    model = build_model(CONFIG, data.n_features)
    result = train(model, data, CONFIG, progress=events.append, stop=threading.Event())
    assert len(events) == CONFIG.epochs
    return result.fit_seconds


def bare_seconds(data) -> float:
    """The same lstm_core model and fit, with no callback at all: no progress, stop or best weights."""
    model = build_model(CONFIG, data.n_features)
    keras.utils.set_random_seed(CONFIG.seed)
    began = time.perf_counter()
    model.fit(data.X_train, data.y_train, validation_data=(data.X_val, data.y_val),
              epochs=CONFIG.epochs, batch_size=CONFIG.batch_size, shuffle=True, verbose=0)
    return time.perf_counter() - began


def main() -> None:
    data = prepare(load_series(CONFIG.source), CONFIG)
    runs = {"keras": plain_keras_seconds, "lstm_core": lstm_core_seconds, "bare": bare_seconds}
    for run in runs.values():  # warm-up: TensorFlow's one-off start costs fall on no side
        run(data)
    # Interleaved rounds; the fastest of each is the figure (other work on the machine only slows).
    seconds = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            seconds[name].append(run(data))
    best = {name: min(times) for name, times in seconds.items()}
    samples = len(data.y_train) * CONFIG.epochs
    print(json.dumps({
        "benchmark": "training",
        "model": "2 x LSTM(64), window 50, default sine (650 training windows), "
                 f"{CONFIG.epochs} epochs, batch {CONFIG.batch_size}",
        "rounds": ROUNDS,
        "keras_default_fit_seconds": round(best["keras"], 2),
        "lstm_core_seconds": round(best["lstm_core"], 2),
        "lstm_core_without_callback_seconds": round(best["bare"], 2),
        "lstm_core_samples_per_second": round(samples / best["lstm_core"]),
        "keras_default_samples_per_second": round(samples / best["keras"]),
        "throughput_ratio": round(best["keras"] / best["lstm_core"], 2),
        "callback_overhead_percent": round(100 * (best["lstm_core"] - best["bare"]) / best["bare"], 1),
        "all_seconds": {name: [round(t, 2) for t in times] for name, times in seconds.items()},
        "target": "throughput_ratio >= 1.3, callback_overhead_percent < 5",
    }))


if __name__ == "__main__":
    main()
