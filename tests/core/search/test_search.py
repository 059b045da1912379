"""The automatic search: a space sized to the series, seeded choices, a test part it never reads,
pruning, the minutes budget and the ``tune`` command's JSON."""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lstm_core.cli import main
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import MIN_TRAIN_WINDOWS, Split
from lstm_core.errors import DataError
from lstm_core.search.search import Budget, Search
from lstm_core.search.space import search_space
from lstm_core.search.trial import (
    COMPLETE,
    PRUNED,
    TrialOutcome,
    holdout,
    origins_for,
    run_trial,
    trial_data,
)

BASE = ExperimentConfig(seed=3)
TRIALS, EPOCHS = 3, 2


def seasonal(length: int = 120) -> Series:
    return generate("trend_seasonal", length=length, period=12, amplitude=3.0, noise_level=0.3)


def with_test_part_changed(series: Series, config: ExperimentConfig) -> Series:
    """The same series but every value of the test part (as the earliest transform has it) moved."""
    values = series.values.copy()
    test_start = Split.of(len(values), config.val_share, config.test_share).val_end
    values[test_start:] += np.linspace(5, 20, len(values) - test_start)
    return Series(values)


@pytest.fixture(scope="module")
def tuned(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """``tune --json`` on a seasonal series and on the same series with its test part changed."""
    folder = tmp_path_factory.mktemp("tune")
    series = seasonal()
    outputs = []
    for name, values in (("original", series), ("changed", with_test_part_changed(series, BASE))):
        path = folder / f"{name}.csv"
        pd.DataFrame({"value": values.values}).to_csv(path, index=False)
        outputs.append(path)
    return tuple(_tune_json(path) for path in outputs)


def _tune_json(path: Path) -> dict:
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["tune", "--csv", str(path), "--trials", str(TRIALS), "--epochs", str(EPOCHS),
                     "--seed", str(BASE.seed), "--horizon", "5", "--json", "--quiet"])
    assert code == 0
    return json.loads(printed.getvalue())


def trial_rows(output: dict) -> list[dict]:
    return [{key: row[key] for key in ("number", "state", "score", "epochs_run", "params")}
            for row in output["trials"]]


def test_the_space_fits_the_series_length_and_season() -> None:
    history, block = holdout(seasonal(120), BASE)
    space = search_space(history, BASE, block)
    assert space.season == 12
    assert {12, 24} <= set(space.windows)
    assert {"sdiff", "log_sdiff"} <= set(space.transforms)
    for window in space.windows:  # every window trains with every transform
        for transform in space.transforms:
            config = replace(BASE, window=window, transform=transform, season_length=12)
            assert len(trial_data(history, config, block).y_train) >= MIN_TRAIN_WINDOWS

    short_history, short_block = holdout(seasonal(40), BASE)
    short = search_space(short_history, BASE, short_block)
    assert max(short.windows) < 12 and not {"sdiff", "log_sdiff"} & set(short.transforms)
    with pytest.raises(DataError, match="too short to search"):
        search_space(*holdout(seasonal(20), BASE)[:1], BASE, 4)


def test_the_test_part_never_reaches_the_search(tuned: tuple[dict, dict]) -> None:
    original, changed = tuned
    assert len(original["trials"]) == TRIALS
    assert trial_rows(original) == trial_rows(changed)
    chosen = [best | {"config": {k: v for k, v in best["config"].items() if k != "source"}}  # the path
              for best in (original["best"], changed["best"])]
    assert chosen[0] == chosen[1]
    assert original["test_rmse"] != changed["test_rmse"]  # only the final score on the test moves


def test_the_same_seed_gives_the_same_choice(tuned: tuple[dict, dict]) -> None:
    """The search run again in this process, one trial after another, with the CLI's seed."""
    series, rows = seasonal(), []
    search = Search(BASE, series, Budget(TRIALS), epochs=EPOCHS)
    while not search.done:
        number, config = search.ask()
        search.tell(number, run_trial(config, search.history, search.block,
                                      lambda epoch, value, n=number: search.report(n, epoch, value),
                                      origins=search.origins))
    rows = [{key: row[key] for key in ("number", "state", "score", "epochs_run", "params")}
            for row in search.trials()]
    assert rows == trial_rows(tuned[0])
    assert search.best.params == tuned[0]["best"]["params"]
    other = Search(BASE, series, Budget(TRIALS), seed=BASE.seed + 1, epochs=EPOCHS)
    assert [other.ask()[1] for _ in range(TRIALS)][1:] != [row["params"] for row in rows][1:]


def test_tune_json_names_the_best_config_its_test_metrics_every_yardstick_and_the_trials(
        tuned: tuple[dict, dict]) -> None:
    output = tuned[0]
    config = ExperimentConfig.from_dict(output["best"]["config"])
    assert config.window == output["best"]["params"]["window"] and config.epochs == EPOCHS
    assert set(output["test_metrics"]) == {"rmse", "mae", "mape", "smape", "mase"}
    assert {"naive", "seasonal_naive", "linear_ar", "auto_ets", "auto_arima", "auto_theta"} <= set(
        output["yardsticks"])
    assert [row["number"] for row in output["trials"]] == list(range(TRIALS))
    assert all(row["state"] == COMPLETE and math.isfinite(row["score"]) for row in output["trials"])
    assert output["best"]["validation_rmse"] == min(row["score"] for row in output["trials"])


def _fake_trial(search: Search, values: list[float]) -> bool:
    """Ask a trial, report ``values`` epoch by epoch; whether the pruner stopped it."""
    number, _ = search.ask()
    for epoch, value in enumerate(values, start=1):
        if search.report(number, epoch, value):
            search.tell(number, TrialOutcome(PRUNED, value, epochs_run=epoch))
            return True
    search.tell(number, TrialOutcome(COMPLETE, values[-1], epochs_run=len(values)))
    return False


def test_a_hopeless_trial_is_pruned_and_stops_training() -> None:
    search = Search(BASE, seasonal(), Budget(10))
    assert not any(_fake_trial(search, [1.0 - 0.01 * e for e in range(8)]) for _ in range(4))
    assert _fake_trial(search, [1e6] * 8)
    assert [row["state"] for row in search.trials()][-1] == PRUNED
    assert search.best.number < 4

    history, block = holdout(seasonal(), BASE)
    config = replace(BASE, window=12, units=[4], epochs=5, patience=0, transform="none")
    outcome = run_trial(config, history, block, report=lambda epoch, value: epoch >= 2)
    assert (outcome.state, outcome.epochs_run) == (PRUNED, 2)


def test_a_trial_is_scored_from_several_origins_each_one_block_earlier() -> None:
    """Its score is the mean over the origins; the second origin is the same trial on the history
    one block shorter, scored as a new model would be (the trial trains its one model again from
    its state as built: weights, dropout seeds and optimizer); a pruned trial trains from the
    latest origin only."""
    assert [origins_for(n, b) for n, b in ((97, 17), (115, 29), (85, 15), (20, 10))] == [3, 2, 3, 1]
    history, block = holdout(seasonal(), BASE)
    config = replace(BASE, window=12, units=[4], epochs=3, patience=0, transform="none", dropout=0.2)
    two = run_trial(config, history, block, origins=2)
    assert two.state == COMPLETE and len(two.scores) == 2
    assert two.score == pytest.approx(np.mean(two.scores))
    shorter = Series(history.values[:len(history) - block])
    latest, earlier = run_trial(config, history, block), run_trial(config, shorter, block)
    assert two.scores == pytest.approx([latest.score, earlier.score], rel=1e-6)
    assert two.scores[0] != pytest.approx(two.scores[1])  # two stretches, two scores
    pruned = run_trial(config, history, block, report=lambda epoch, value: True, origins=2)
    assert pruned.state == PRUNED and len(pruned.scores) == 0 and pruned.epochs_run == 1


def test_a_budget_in_minutes_ends_the_search_after_the_trial_under_way() -> None:
    by_minutes = Search(BASE, seasonal(), Budget(trials=50, minutes=1e-9))
    by_trials = Search(BASE, seasonal(), Budget(trials=50))
    for search in (by_minutes, by_trials):
        assert not search.done  # a search always has a first trial
        number, _ = search.ask()
        search.tell(number, TrialOutcome(COMPLETE, 1.0))
    assert by_minutes.done and not by_trials.done


class JumpingClock:
    """A module's ``time`` whose clock can jump on: how long a training took, without waiting."""

    offset = 0.0

    def perf_counter(self) -> float:
        return time.perf_counter() + self.offset

    def jump(self, seconds: float, after: float = 0.3) -> None:
        """Move on by ``seconds`` once ``after`` real seconds have passed."""
        threading.Timer(after, lambda: setattr(self, "offset", seconds)).start()


def search_with_a_clock_jump(monkeypatch: pytest.MonkeyPatch, trial: int, seconds: float,
                             budget: Budget):
    """A search whose clock jumps ``seconds`` on 0.3 s after trial ``trial`` (1 = the first)
    starts."""
    from lstm_core.search import search as searching

    clock = JumpingClock()
    monkeypatch.setattr(searching, "time", clock)

    def on_stage(text: str) -> None:
        if text.startswith(f"trial {trial}:"):
            clock.jump(seconds)

    return searching.run_search(BASE, budget, series=seasonal(), epochs=30, patience=30, on_stage=on_stage)


def test_the_budget_stops_a_trial_that_would_overrun_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The minutes run out while the second trial trains: it is stopped there (not run to its
    last epoch), the search answers with the first trial, and says how its time went."""
    from lstm_core.search.search import BUDGET_STOP

    result = search_with_a_clock_jump(monkeypatch, 2, 3600.0, Budget(trials=5, minutes=1.0))
    first, second = result.search.trials()
    assert first["state"] == COMPLETE and result.best.number == 0
    assert second["message"] == BUDGET_STOP and second["epochs_run"] < 30
    spent = result.to_dict()["time_spent"]
    assert spent["stopped_by_budget"] == 1 and spent["final_training_seconds"] > 0


def test_a_trial_past_its_share_of_the_budget_is_cut_and_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first trial trains past a quarter of the budget (the clock moved 20 s of a 60 s
    budget on while it trains): it is cut at that epoch's end, judged on the score it reached,
    and the search answers with it rather than waiting for its last epoch."""
    result = search_with_a_clock_jump(monkeypatch, 1, 20.0, Budget(trials=1, minutes=1.0))
    (only,) = result.search.trials()
    assert only["state"] == COMPLETE and only["epochs_run"] < 30
    assert only["message"].startswith("cut at its time allowance (15 s, 25% of the budget)")
    assert math.isfinite(only["score"]) and result.best.number == 0


def test_a_trial_out_of_time_is_judged_on_the_stretches_it_ran() -> None:
    history, block = holdout(seasonal(), BASE)
    config = replace(BASE, window=12, units=[4], epochs=2, patience=0, transform="none")
    spent = run_trial(config, history, block, origins=2, allowance=0.0)
    assert spent.state == COMPLETE and len(spent.scores) == 1 and spent.score == spent.scores[0]
    assert "judged on 1 of 2 stretches" in spent.message
    assert len(run_trial(config, history, block, origins=2, allowance=600.0).scores) == 2


def test_an_earlier_stretch_under_way_when_the_allowance_ends_is_cut_and_left_out(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The allowance runs out while the second stretch trains (the trial's clock jumps an hour
    0.3 s into it): that stretch stops within a batch, and the trial is judged on the first."""
    from lstm_core.search import trial as trials

    clock = JumpingClock()
    monkeypatch.setattr(trials, "time", clock)
    history, block = holdout(seasonal(), BASE)
    config = replace(BASE, window=12, units=[4], epochs=200, patience=0, transform="none")

    def report(epoch: int, value: float) -> bool:
        if epoch == config.epochs:  # the first stretch's last epoch: the second starts next
            clock.jump(3600.0)
        return False

    cut = run_trial(config, history, block, report=report, origins=2, allowance=600.0)
    assert cut.state == COMPLETE and len(cut.scores) == 1 and "judged on 1 of 2 stretches" in cut.message
