"""lstm_core's training vs a plain Keras fit with Keras' default compile, side by side.

Same data (the default sine), same 2-layer LSTM(64), same epochs and batch size. Also the
cost of the progress plumbing: lstm_core's training with a progress callback and a stop
request vs without either.
"""

import json
import threading
import time

from lstm_core.backend import keras
from lstm_core.config import ExperimentConfig
from lstm_core.experiment import load_series
from lstm_core.model import build_model
from lstm_core.training import train
from lstm_core.windows import prepare

CONFIG = ExperimentConfig(units=[64, 64], epochs=6, batch_size=32, patience=0)


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


def lstm_core_seconds(data, with_callback: bool) -> float:
    events = []
    model = build_model(CONFIG, data.n_features)
    result = train(model, data, CONFIG, progress=events.append if with_callback else None,
                   stop=threading.Event() if with_callback else None)
    assert len(events) == (CONFIG.epochs if with_callback else 0)
    return result.fit_seconds


def main() -> None:
    data = prepare(load_series(CONFIG.source), CONFIG)
    plain_keras_seconds(data)  # warm-up: TensorFlow's one-off start costs fall on neither side
    keras_seconds = plain_keras_seconds(data)
    with_callback = lstm_core_seconds(data, with_callback=True)
    without_callback = lstm_core_seconds(data, with_callback=False)
    samples = len(data.y_train) * CONFIG.epochs
    print(json.dumps({
        "benchmark": "training",
        "model": "2 x LSTM(64), window 50, default sine (650 training windows), "
                 f"{CONFIG.epochs} epochs, batch {CONFIG.batch_size}",
        "keras_default_fit_seconds": round(keras_seconds, 2),
        "lstm_core_seconds": round(with_callback, 2),
        "lstm_core_without_callback_seconds": round(without_callback, 2),
        "lstm_core_samples_per_second": round(samples / with_callback),
        "keras_default_samples_per_second": round(samples / keras_seconds),
        "throughput_ratio": round(keras_seconds / with_callback, 2),
        "callback_overhead_percent": round(100 * (with_callback - without_callback) / without_callback, 1),
        "target": "throughput_ratio >= 1.3, callback_overhead_percent < 5",
    }))


if __name__ == "__main__":
    main()
