"""The classical yardsticks' cost beside a training's: prints one JSON object.

- ``series``: for each series, as the app prepares it (its split, and the season it detects on
  the training part or the one given): each yardstick's seconds (its fit, its one-step
  prediction at every test point and its rollout), the model it chose and its test RMSE, and
  the notes of any left out. The series: the bundled examples (airline passengers, Nile flow,
  lynx trappings, with the settings the app applies to them), a 4,032-point half-hourly
  demand series (:func:`demand_frame`; the season detected is the week, 336 steps, and again
  with the day, 48, given), and the generated 4,000-point series of earlier measurements
  (trend + season 48, noise 0.3);
- ``cold``: the generated series' yardsticks in a fresh process with an empty numba cache
  folder: the statsforecast import plus the fits, what a new worker pays the first time (the
  ``series`` figures follow in that process, warm);
- ``training``: a default training on the default series (``run_experiment(ExperimentConfig())``,
  which includes the yardsticks on that series) and its ``fit_seconds``, for comparison.

The issue's targets: the Results page waits on the classical models no longer than on the
training itself, and ``python -m lstm_core train --csv <the demand series> --target demand
--epochs 2 --json`` returns within 2 minutes. Run: ``python -m benchmarks.classical``;
``python -m benchmarks.classical --write-demand demand.csv`` writes the demand series as the
CSV file that command reads.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import WindowedData, prepare
from lstm_core.eval.evaluation import season_of
from lstm_core.runs.experiment import load_series

POINTS, SEASON = 4000, 48  # the generated series
HALF_HOURS_A_DAY, DEMAND_DAYS = 48, 84
DEMAND_GAPS = (1500, 2203, 2204, 3555)  # half-hours the meter never sent: rows missing from the file
DEMAND_EMPTY = 5  # readings left empty in the file

Fit = Callable[[np.ndarray, np.ndarray, int | None], tuple[dict, list[str]]]


def _bump(hours: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-(((hours - centre) / width) ** 2))


def demand_frame(seed: int = 7) -> pd.DataFrame:
    """Twelve weeks of half-hourly electricity demand (MW) as a meter's export: columns ``time``
    and ``demand``, 4,032 rows.

    A night trough and morning, midday and evening peaks, a fifth lower and flatter at
    weekends; a level that wanders from day to day (the weather); a new large customer from
    day 31 (+7%) and a closure from day 58 (-5%); a bank holiday (day 45); autocorrelated
    half-hourly noise (AR(1), 0.6) and six meter spikes; four half-hours missing from the file
    (one of them two in a row) and five readings left empty.
    """
    rng = np.random.default_rng(seed)
    n = DEMAND_DAYS * HALF_HOURS_A_DAY + len(DEMAND_GAPS)
    step = np.arange(n)
    hours, day = (step % HALF_HOURS_A_DAY) / 2, step // HALF_HOURS_A_DAY
    profile = (0.75 + 0.18 * _bump(hours, 8.5, 1.8) + 0.10 * _bump(hours, 13, 3)
               + 0.28 * _bump(hours, 18.5, 2.0) - 0.12 * _bump(hours, 3.5, 2.2))
    weekend = day % 7 >= 5
    profile = np.where(weekend, 0.80 * profile + 0.04 * _bump(hours, 11, 3), profile)
    weather = np.repeat(np.cumsum(rng.normal(0, 0.012, DEMAND_DAYS + 1)), HALF_HOURS_A_DAY)[:n]
    shifts = 0.07 * (day >= 31) - 0.05 * (day >= 58)
    holiday = -0.12 * profile * (day == 45)
    shocks = rng.normal(0, 0.012, n)
    noise = np.zeros(n)
    for i in range(1, n):
        noise[i] = 0.6 * noise[i - 1] + shocks[i]
    values = 1000 * (profile * (1 + weather + shifts) + holiday + noise)
    spikes = rng.choice(n, 6, replace=False)
    values[spikes] *= rng.uniform(1.08, 1.2, 6)
    frame = pd.DataFrame({"time": pd.date_range("2025-01-06", periods=n, freq="30min"),
                          "demand": np.round(values, 1)})
    frame.loc[rng.choice(n, DEMAND_EMPTY, replace=False), "demand"] = np.nan
    return frame.drop(index=list(DEMAND_GAPS)).reset_index(drop=True)


def write_demand(path: Path) -> None:
    demand_frame().to_csv(path, index=False)


def cases(folder: Path) -> list[tuple[str, ExperimentConfig]]:
    """The series measured, each as the settings the app would run it with."""
    out = []
    for name, example in EXAMPLES.items():
        config = ExperimentConfig()
        example.apply_to(config)
        out.append((name, config))
    write_demand(demand := folder / "demand.csv")
    source = SourceConfig(kind="csv", csv_path=str(demand), target="demand")
    return out + [("demand, half-hourly", ExperimentConfig(source=source)),
                  ("demand, half-hourly, season 48 given", ExperimentConfig(source=source, season_length=48))]


def generated() -> Series:
    return generate("trend_seasonal", length=POINTS, period=SEASON, slope=0.002, noise_level=0.3,
                    data_seed=1)


def measure(fit: Fit, data: WindowedData, season: int | None) -> dict:
    """``fit`` (:func:`lstm_core.eval.classical.fit_yardsticks`, or an older one) on ``data``'s test part."""
    times = data.test_times
    actual = data.levels[times]
    started = time.perf_counter()
    fitted, notes = fit(data.levels, times, season)
    return {"points": len(data.levels), "test_points": len(times), "season": season,
            "seconds": round(time.perf_counter() - started, 2), "notes": notes,
            "models": {key: {"model": y.model.strip(), "seconds": round(y.seconds, 2),
                             "test_rmse": float(f"{np.sqrt(np.mean((y.one_step - actual) ** 2)):.5g}")}
                       for key, y in fitted.items()}}


def measure_all(fit: Fit) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        named = [(name, config, load_series(config.source)) for name, config in cases(Path(folder))]
    named.append((f"generated, trend + season {SEASON}", ExperimentConfig(), generated()))
    out = {}
    for name, config, series in named:
        data = prepare(series, config)
        out[name] = measure(fit, data, season_of(data, config.season_length))
    return out


def in_fresh_process() -> dict:
    """Run in the fresh process: import and fit on the generated series (cold), then every series."""
    from lstm_core.eval.classical import fit_yardsticks

    data = prepare(generated(), ExperimentConfig())
    return {"cold": measure(fit_yardsticks, data, SEASON), "series": measure_all(fit_yardsticks)}


def training() -> dict:
    from lstm_core.runs.experiment import run_experiment

    started = time.perf_counter()
    result = run_experiment(ExperimentConfig())
    return {"seconds": round(time.perf_counter() - started, 2),
            "fit_seconds": round(result.training.fit_seconds, 2), "series_points": len(result.data.series),
            "test_rmse": {"lstm": result.evaluation.test_metrics.rmse}
            | {key: b.metrics.rmse for key, b in result.evaluation.baselines.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-demand", type=Path, help="write the demand series to this CSV file and stop")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_demand:
        write_demand(args.write_demand)
    elif args.child:
        print(json.dumps(in_fresh_process()))
    else:
        with tempfile.TemporaryDirectory() as cache:
            env = os.environ | {"NUMBA_CACHE_DIR": cache}
            done = subprocess.run([sys.executable, "-m", "benchmarks.classical", "--child"], env=env,
                                  capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(figures | {"training": training()}))


if __name__ == "__main__":
    main()
