"""lstm_core's recursive rollout vs one Keras model call per step (the tutorials' way).

An LSTM(300) on windows of 25, 400 steps. Both start from the same window of the same
untrained-but-seeded weights; the outputs must agree within 1e-4. The per-step loop runs the
tutorials' model, a plain ``keras.layers.LSTM``; the same loop over lstm_core's own model
(TensorFlow's fused LSTM kernel) is timed too, for the record.
"""

import json
import time

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.infer.forecast import rollout_scaled
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.nn.backend import keras
from lstm_core.nn.build import build_model

WINDOW, UNITS, STEPS = 25, 300, 400


def per_step_loop(model, start: np.ndarray, steps: int) -> np.ndarray:
    window, out = start[None].astype("float32"), []
    for _ in range(steps):
        prediction = float(model(window, training=False)[0, 0])
        out.append(prediction)
        window = np.concatenate([window[:, 1:], np.array([[[prediction]]], dtype="float32")], axis=1)
    return np.array(out)


def tutorial_model(weights: list[np.ndarray]):
    model = keras.Sequential([keras.Input((WINDOW, 1)), keras.layers.LSTM(UNITS), keras.layers.Dense(1)])
    model.set_weights(weights)
    return model


def timed_loop(model, start: np.ndarray) -> tuple[np.ndarray, float]:
    model(start[None], training=False)  # the first call builds the graph: not part of the timing
    began = time.perf_counter()
    out = per_step_loop(model, start, STEPS)
    return out, time.perf_counter() - began


def main() -> None:
    model = build_model(ExperimentConfig(window=WINDOW, units=[UNITS]), 1)
    start = np.sin(np.arange(WINDOW) / 4.0)[:, None].astype("float32")

    began = time.perf_counter()
    ours = rollout_scaled(NumpyNet.from_model(model), start, STEPS)[0]
    ours_seconds = time.perf_counter() - began

    theirs, loop_seconds = timed_loop(tutorial_model(model.get_weights()), start)
    fused, fused_seconds = timed_loop(model, start)

    print(json.dumps({
        "benchmark": "rollout",
        "model": f"LSTM({UNITS}), window {WINDOW}, {STEPS} steps",
        "lstm_core_seconds": round(ours_seconds, 3),
        "per_step_loop_seconds": round(loop_seconds, 3),
        "speedup": round(loop_seconds / ours_seconds, 1),
        "max_abs_difference": float(np.abs(ours - theirs).max()),
        "per_step_loop_on_fused_lstm_seconds": round(fused_seconds, 3),
        "speedup_over_fused_per_step_loop": round(fused_seconds / ours_seconds, 1),
        "fused_max_abs_difference": float(np.abs(ours - fused).max()),
        "target": "speedup >= 50, max_abs_difference <= 1e-4",
    }))


if __name__ == "__main__":
    main()
