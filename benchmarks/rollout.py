"""lstm_core's recursive rollout vs one Keras model call per step (the tutorials' way).

An LSTM(300) on windows of 25, 400 steps. Both start from the same window of the same
untrained-but-seeded model; the outputs must agree within 1e-4.
"""

import json
import time

import numpy as np

from lstm_core.config import ExperimentConfig
from lstm_core.forecast import rollout_scaled
from lstm_core.inspection import NumpyLSTM
from lstm_core.model import build_model

WINDOW, UNITS, STEPS = 25, 300, 400


def per_step_loop(model, start: np.ndarray, steps: int) -> np.ndarray:
    window, out = start[None].astype("float32"), []
    for _ in range(steps):
        prediction = float(model(window, training=False)[0, 0])
        out.append(prediction)
        window = np.concatenate([window[:, 1:], np.array([[[prediction]]], dtype="float32")], axis=1)
    return np.array(out)


def main() -> None:
    model = build_model(ExperimentConfig(window=WINDOW, units=[UNITS]), 1)
    start = np.sin(np.arange(WINDOW) / 4.0)[:, None].astype("float32")
    model(start[None], training=False)  # first call builds the graph: not part of either timing

    began = time.perf_counter()
    ours = rollout_scaled(NumpyLSTM.from_model(model), start, STEPS)[0]
    ours_seconds = time.perf_counter() - began

    began = time.perf_counter()
    theirs = per_step_loop(model, start, STEPS)
    loop_seconds = time.perf_counter() - began

    print(json.dumps({
        "benchmark": "rollout",
        "model": f"LSTM({UNITS}), window {WINDOW}, {STEPS} steps",
        "lstm_core_seconds": round(ours_seconds, 3),
        "per_step_loop_seconds": round(loop_seconds, 3),
        "speedup": round(loop_seconds / ours_seconds, 1),
        "max_abs_difference": float(np.abs(ours - theirs).max()),
        "target": "speedup >= 50, max_abs_difference <= 1e-4",
    }))


if __name__ == "__main__":
    main()
