"""The automatic search's speed on the airline example, and what a search finds on the examples.

Default: trials per minute of a short search on airline passengers, the per-trial overhead
broken out (model build, first epoch with graph tracing, each later epoch, the per-epoch NumPy
validation), TensorFlow's one-off import, and what three speed-ups give on a trial-sized fit:
validation computed from a NumPy copy instead of Keras' evaluation, Keras' steps_per_execution,
and TensorFlow's graph rewriting (Grappler) off, as lstm_core.nn.backend has it, against on
(each in a process of its own: the setting holds from a process's first traced function).

``--examples``: a search of ``--minutes`` (default 3) on each bundled example, with the default
LSTM (the example's own settings), the searched LSTM, naive, seasonal naive and the best
classical yardstick, all by test RMSE; trials run and wall time.
"""

import argparse
import json
import time
from dataclasses import replace

T0 = time.perf_counter()
from lstm_core.nn.backend import keras  # noqa: E402  (TensorFlow's import is measured)

TF_IMPORT = time.perf_counter() - T0

from lstm_core.config.settings import ExperimentConfig  # noqa: E402
from lstm_core.data.examples import EXAMPLES  # noqa: E402
from lstm_core.data.series import GENERATORS  # noqa: E402
from lstm_core.runs.experiment import load_series, run_experiment  # noqa: E402
from lstm_core.search.search import Budget, run_search  # noqa: E402
from lstm_core.search.trial import holdout, trial_data  # noqa: E402

CLASSICAL = ("auto_ets", "auto_arima", "auto_theta")


# The generated series of the issue: the default trend + seasonal series, and the noisy sine with
# Gaussian noise of standard deviation 0.5, whose one-step RMSE cannot go below 0.5 (the noise floor).
GENERATED = {"trend_seasonal": ("trend_seasonal", {}), "sine_noise_0.5": ("sine", {"noise_level": 0.5})}
NOISE_FLOOR = {"sine_noise_0.5": 0.5}


def example_config(name: str) -> ExperimentConfig:
    config = ExperimentConfig()
    if name in GENERATED:
        generator, params = GENERATED[name]
        config.source.generator = generator
        config.source.params = GENERATORS[generator].defaults() | params
        return config
    EXAMPLES[name].apply_to(config)
    return config


def fit_seconds_per_epoch(data, config, numpy_validation: bool, steps: int, epochs: int = 15) -> float:
    """Seconds per epoch after the first of a trial-sized fit, one way or the other."""
    from lstm_core.infer.numpy_net import NumpyNet
    from lstm_core.nn.build import build_model
    from lstm_core.nn.train import train
    from lstm_core.runs.experiment import predict_scaled

    model = build_model(config, data.n_features)
    if steps > 1:
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss="mse", jit_compile=False,
                      steps_per_execution=steps)

    def validate(model) -> float:
        net = NumpyNet.for_config(model.get_weights(), config)
        return float(((predict_scaled(net, data.X_val) - data.y_val) ** 2).mean())

    seconds = []
    train(model, data, replace(config, epochs=epochs, patience=0),
          progress=lambda event: seconds.append(event.seconds),
          validate=validate if numpy_validation else None)
    return sum(seconds[1:]) / len(seconds[1:])


def speedups(rounds: int = 3) -> dict:
    """Interleaved rounds of each way; the fastest of each is its figure."""
    data, config = trial_sized_data()
    ways = {"keras_validation": (False, 1), "numpy_validation": (True, 1),
            "numpy_validation_steps_per_execution_8": (True, 8)}
    seconds = {name: [] for name in ways}
    for _ in range(rounds):
        for name, (numpy_validation, steps) in ways.items():
            seconds[name].append(fit_seconds_per_epoch(data, config, numpy_validation, steps))
    return {f"{name}_epoch_seconds": round(min(times), 4) for name, times in seconds.items()}


def grappler(rounds: int = 3) -> dict:
    """Seconds per later epoch of the trial-sized fit with Grappler on and off, each measured in
    a fresh process (interleaved rounds, the fastest of each)."""
    import os
    import subprocess
    import sys

    seconds: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(rounds):
        for mode in seconds:
            done = subprocess.run([sys.executable, __file__, "--epoch-seconds"], capture_output=True,
                                  text=True, env=dict(os.environ, LSTM_LAB_TF_GRAPPLER=mode), check=True)
            seconds[mode].append(json.loads(done.stdout.splitlines()[-1])["epoch_seconds"])
    return {f"grappler_{mode}_epoch_seconds": round(min(times), 4) for mode, times in seconds.items()}


def trial_sized_data():
    config = replace(example_config("airline_passengers"), transform="diff", units=[32], batch_size=16)
    history, block = holdout(load_series(config.source), config)
    return trial_data(history, config, block), config


def speed(trials: int) -> dict:
    config = example_config("airline_passengers")
    began = time.perf_counter()
    result = run_search(config, Budget(trials=trials))
    rows = result.search.trials()
    trial_seconds = sum(row["seconds"] for row in rows)
    return {
        "trials": len(rows),
        "pruned": sum(row["state"] == "pruned" for row in rows),
        "trials_per_minute": round(60 * len(rows) / trial_seconds, 2),
        "mean_epochs_per_trial": round(sum(row["epochs_run"] for row in rows) / len(rows), 1),
        "per_trial_seconds": {name: round(value, 4) for name, value in result.timings.items()},
        "search_and_final_run_seconds": round(time.perf_counter() - began, 1),
    }


def on_example(name: str, minutes: float) -> dict:
    config = example_config(name)
    default = run_experiment(config).to_dict()
    began = time.perf_counter()
    searched = run_search(config, Budget(trials=None, minutes=minutes)).to_dict()
    yardsticks = searched["yardsticks"]
    best_classical = min(CLASSICAL, key=lambda key: yardsticks.get(key, {}).get("rmse", float("inf")))
    return {
        "default_lstm": round(default["test_rmse"], 3),
        "searched_lstm": round(searched["test_rmse"], 3),
        "naive": round(yardsticks["naive"]["rmse"], 3),
        "seasonal_naive": round(yardsticks["seasonal_naive"]["rmse"], 3) if "seasonal_naive" in yardsticks
        else None,
        "best_classical": {best_classical: round(yardsticks[best_classical]["rmse"], 3)},
        "within_10pct_of_best_classical": searched["test_rmse"] <= 1.1 * yardsticks[best_classical]["rmse"],
        "beats_both_naive": searched["test_rmse"] < min(
            yardsticks["naive"]["rmse"], yardsticks.get("seasonal_naive", {}).get("rmse", float("inf"))),
        "noise_floor": NOISE_FLOOR.get(name),
        "trials_run": searched["trials_run"],
        "validation_origins": searched["validation"].get("origins", 1),
        "wall_seconds": round(time.perf_counter() - began, 1),
        "best_params": searched["best"]["params"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=8, help="trials of the speed search")
    parser.add_argument("--examples", action="store_true", help="also search each bundled example")
    parser.add_argument("--minutes", type=float, default=3.0, help="each example's search budget")
    parser.add_argument("--only", nargs="*", default=[*EXAMPLES, *GENERATED],
                        help="examples (bundled, or trend_seasonal / sine_noise_0.5) to search")
    parser.add_argument("--skip-speed", action="store_true", help="only the examples' searches")
    parser.add_argument("--epoch-seconds", action="store_true", help=argparse.SUPPRESS)  # grappler()'s
    args = parser.parse_args()
    if args.epoch_seconds:
        print(json.dumps({"epoch_seconds": fit_seconds_per_epoch(*trial_sized_data(), True, 1)}))
        return
    report = {"benchmark": "search", "tensorflow_import_seconds": round(TF_IMPORT, 2)}
    if not args.skip_speed:
        report |= {"airline": speed(args.trials), "speedups": speedups() | grappler()}
    if args.examples:
        report["examples"] = {}
        for name in args.only:
            report["examples"][name] = on_example(name, args.minutes)
            print(json.dumps({name: report["examples"][name]}), flush=True)  # progress, one line each
    print(json.dumps(report))


if __name__ == "__main__":
    main()
