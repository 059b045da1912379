"""The search driver: Optuna's TPE sampler and median pruner behind ask / report / tell, so that
trials can run anywhere (in this process, or in the training pool's workers).

    search = Search(config, series, Budget(trials=30, minutes=3), seed=0)
    while not search.done:
        number, trial_config = search.ask()
        if on_stage is not None:
            on_stage(f"trial {number + 1}: window {trial_config.window}, units {trial_config.units}, "
                     f"transform {trial_config.transform}")
        outcome = run_trial(trial_config, search.history, search.block, origins=search.origins,
                            report=lambda epoch, value: search.report(number, epoch, value))
        search.tell(number, outcome)
    search.best

A :class:`Search` keeps only the history before the test part (:func:`~.trial.holdout`): the
test part never reaches a trial, the sampler or the pruner. :func:`run_search` runs the trials
one after another, or several at once (:mod:`~lstm_core.search.parallel`), then trains the
best settings on the whole training part and scores them on the test part once, next to every
yardstick (:func:`~lstm_core.runs.experiment.run_experiment`).

Seeded: the sampler draws from the search's seed and every trial trains with the config's seed,
so the same series, trial budget and seed give the same trials and the same choice (when trials
run one after another; in parallel, their order of completion also counts).

Optuna is imported when a search is created (about 0.1 s on top of NumPy and SciPy).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from lstm_core.config.checks import checked_number
from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.errors import LSTMLabError
from lstm_core.search.space import EPOCHS, PATIENCE, Space, search_space
from lstm_core.search.trial import (
    COMPLETE,
    FAILED,
    PRUNED,
    STOPPED_EARLY,
    TrialOutcome,
    earliest,
    holdout,
    origins_for,
    run_trial,
)

if TYPE_CHECKING:
    import optuna

    from lstm_core.runs.experiment import ExperimentResult
    from lstm_core.runs.progress import StopRequest
    from lstm_core.search.parallel import Trials

RUNNING = "running"
# With a budget in minutes, no trial may take more than this share of it: a trial still training
# then is cut at its next epoch's end and judged on the validation RMSE it reached there.
TRIAL_SHARE = 0.25
BUDGET_STOP = "stopped: the search's minutes were spent"
MOST_TRIALS = 10_000
MOST_MINUTES = 24 * 60.0
# TPE draws this many trials at random (after the first, the settings a new series gets) before
# it models the good ones; the pruner judges no trial before this many are done, nor before
# its epoch WARMUP_EPOCHS.
RANDOM_TRIALS = 8
PRUNER_STARTUP_TRIALS = 4
WARMUP_EPOCHS = 5


class SearchError(LSTMLabError):
    """The search cannot go on: its budget is spent, or no trial succeeded."""


@dataclass(frozen=True)
class Budget:
    """How long a search runs: at most ``trials`` trials and at most ``minutes`` (either may be
    None; not both). When the minutes run out, the trials under way are stopped, unless no trial
    has completed yet: then the first to complete ends the search. The final training of the
    best settings comes after the budget."""

    trials: int | None = 30
    minutes: float | None = None  # once spent, a running trial is stopped if another one completed

    def validate(self) -> Budget:
        if self.trials is None and self.minutes is None:
            raise SearchError("a search needs a budget: a number of trials, minutes, or both")
        if self.trials is not None:
            checked_number("trials", self.trials, 1, MOST_TRIALS, whole=True)
        if self.minutes is not None:
            checked_number("minutes", self.minutes, 0, MOST_MINUTES)
        return self


@dataclass(frozen=True)
class Best:
    """The best trial so far: its number, its settings and its validation RMSE."""

    number: int
    config: ExperimentConfig
    score: float
    params: dict[str, Any]


@dataclass
class _Entry:
    trial: optuna.Trial
    config: ExperimentConfig
    started: float
    outcome: TrialOutcome | None = None
    cut: bool = False  # stopped at its time allowance


class Search:
    """One search over ``series`` (only its part before the test is kept) from ``config``'s source,
    split, scaler and seed; each trial trains at most ``epochs`` epochs, early stopping after
    ``patience`` without a better validation loss."""

    def __init__(self, config: ExperimentConfig, series: Series, budget: Budget, seed: int | None = None,
                 epochs: int = EPOCHS, patience: int = PATIENCE) -> None:
        import optuna  # pure Python; a tenth of a second

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.config, self.budget = config, budget.validate()
        self.seed = config.seed if seed is None else seed
        self.history, self.block = holdout(series, config)
        self.origins = origins_for(len(self.history), self.block)
        # Every origin's history must fit every choice: the space is sized to the earliest one's.
        self.space: Space = search_space(earliest(self.history, self.block, self.origins), config,
                                         self.block, epochs, patience)
        self.study = optuna.create_study(
            direction="minimize",
            sampler=optuna.samplers.TPESampler(seed=self.seed, n_startup_trials=RANDOM_TRIALS),
            pruner=optuna.pruners.MedianPruner(n_startup_trials=PRUNER_STARTUP_TRIALS,
                                               n_warmup_steps=WARMUP_EPOCHS),
        )
        self.study.enqueue_trial(self.space.start(self.history, config))
        self._entries: dict[int, _Entry] = {}
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def out_of_time(self) -> bool:
        return self.budget.minutes is not None and self.seconds >= 60 * self.budget.minutes

    @property
    def overdue(self) -> bool:
        """Past the budget's minutes with a completed trial to answer with: trials under way stop."""
        return self.out_of_time and self.best is not None

    @property
    def done(self) -> bool:
        """True once the budget allows no new trial: as many asked as it holds, or its time is up.
        Never before the first trial: every search has at least one."""
        trials = self.budget.trials
        return bool(self._entries) and ((trials is not None and len(self._entries) >= trials)
                                        or self.out_of_time)

    def ask(self) -> tuple[int, ExperimentConfig]:
        """The next trial's number and settings; SearchError once the search is :attr:`done`."""
        if self.done:
            raise SearchError("the search's budget is spent: no more trials")
        trial = self.study.ask()
        config = self.space.suggest(trial, self.config)
        self._entries[trial.number] = _Entry(trial, config, time.perf_counter())
        return trial.number, config

    @property
    def allowance(self) -> float | None:
        """The most seconds one trial may train (see TRIAL_SHARE); None without minutes."""
        return None if self.budget.minutes is None else 60 * self.budget.minutes * TRIAL_SHARE

    def report(self, number: int, epoch: int, value: float) -> bool:
        """Record trial ``number``'s validation RMSE after ``epoch``; True when it should stop:
        the pruner finds it worse than the median of earlier trials at that epoch, or it has
        trained for its :attr:`allowance` (it is cut, and judged on ``value``)."""
        entry = self._entries[number]
        entry.trial.report(value if math.isfinite(value) else math.inf, epoch)
        allowance = self.allowance
        if (allowance is not None and not self.overdue and math.isfinite(value)
                and time.perf_counter() - entry.started >= allowance):
            entry.cut = True
            return True
        return entry.trial.should_prune()

    def tell(self, number: int, outcome: TrialOutcome) -> None:
        """Finish trial ``number`` with how it ended."""
        from optuna.trial import TrialState

        entry = self._entries[number]
        if entry.cut and outcome.state == PRUNED and outcome.score is not None:
            outcome = replace(outcome, state=COMPLETE, scores=[outcome.score], message=(
                f"cut at its time allowance ({self.allowance:.0f} s, {TRIAL_SHARE:.0%} of the budget) "
                f"after {outcome.epochs_run} epochs: judged on the latest stretch only"))
        entry.outcome = outcome
        if outcome.state == COMPLETE:
            self.study.tell(entry.trial, outcome.score)
        elif outcome.state == PRUNED:
            self.study.tell(entry.trial, state=TrialState.PRUNED)
        else:  # failed, or stopped on request: no score to learn from
            self.study.tell(entry.trial, state=TrialState.FAIL)

    @property
    def best(self) -> Best | None:
        """The completed trial with the lowest validation RMSE, or None before any."""
        done = [(e.outcome.score, n) for n, e in self._entries.items()
                if e.outcome is not None and e.outcome.state == COMPLETE]
        if not done:
            return None
        score, number = min(done)
        entry = self._entries[number]
        return Best(number, entry.config, score, dict(entry.trial.params))

    def trials(self) -> list[dict[str, Any]]:
        """One row per trial asked: number, state (running, complete, pruned, failed, stopped),
        validation RMSE, epochs run, seconds, message and the parameters tried."""
        rows = []
        for number, entry in self._entries.items():
            outcome = entry.outcome
            rows.append({
                "number": number,
                "state": RUNNING if outcome is None else outcome.state,
                "score": None if outcome is None else outcome.score,
                "epochs_run": None if outcome is None else outcome.epochs_run,
                "seconds": time.perf_counter() - entry.started if outcome is None else outcome.seconds,
                "message": "" if outcome is None else outcome.message,
                "pid": None if outcome is None else outcome.pid,
                "params": dict(entry.trial.params),
            })
        return rows


@dataclass
class SearchResult:
    """A finished search: its trials, the best settings, and their final run scored on the test."""

    search: Search
    best: Best
    final: ExperimentResult
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # per-trial means, see run_search
    final_seconds: float = 0.0  # the best settings' training on the whole training part

    def time_spent(self) -> dict[str, Any]:
        """How the time went: searching (trials, until the last one ended), the final training,
        and the trials the budget's end stopped."""
        rows = self.search.trials()
        return {"searching_seconds": self.seconds - self.final_seconds,
                "final_training_seconds": self.final_seconds,
                "trial_seconds": sum(row["seconds"] for row in rows),
                "stopped_by_budget": sum(row["message"] == BUDGET_STOP for row in rows)}

    def choice(self) -> dict[str, Any]:
        """What the search recommends, chosen on the validation part before the test part: the
        searched network alone, or its mean or weighted ensemble with the classical yardsticks
        when that had the lower validation RMSE; with its test RMSE, measured once."""
        evaluation = self.final.evaluation
        key = evaluation.choice()
        scores = evaluation.combination.validation_rmse if evaluation.combination else {}
        chosen = evaluation.ensembles.get(key)
        return {"model": key,
                "label": f"{chosen.label} ({chosen.model})" if chosen else f"the searched {evaluation.model}",
                "validation_rmse": scores.get(key),
                "test_rmse": chosen.metrics.rmse if chosen else evaluation.test_metrics.rmse}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the best config, its test metrics and every yardstick's, the trials."""
        run = self.final.to_dict()
        return {
            "best": {"number": self.best.number, "validation_rmse": self.best.score,
                     "params": self.best.params, "config": self.best.config.to_dict()},
            "choice": self.choice(),
            "ensembles": run["ensembles"],
            "test_rmse": run["test_rmse"],
            "test_metrics": run["test_metrics"],
            "yardsticks": run["baselines"],
            "verdict": run["verdict"],
            "notes": run["notes"],
            "transform": run["transform"],
            "trials": self.search.trials(),
            "trials_run": len(self.search.trials()),
            "space": self.search.space.to_dict(),
            "validation": {"history": len(self.search.history), "block": self.search.block,
                           "origins": self.search.origins},
            "budget": vars(self.search.budget).copy(),
            "seed": self.search.seed,
            "wall_seconds": self.seconds,
            "time_spent": self.time_spent(),
            "trial_timings": self.timings,
        }


TrialProgress = Callable[[dict[str, Any]], None]


def run_search(config: ExperimentConfig, budget: Budget, seed: int | None = None,
               series: Series | None = None, progress: TrialProgress | None = None,
               stop: StopRequest | None = None, epochs: int = EPOCHS,
               patience: int = PATIENCE, on_stage: Callable[[str], None] | None = None,
               trials: Trials | None = None) -> SearchResult:
    """Search, then train the best settings on the whole training part and score them on the
    test part, once, with every yardstick. The trials run one after another in this process, or
    several at once with ``trials`` (:mod:`~lstm_core.search.parallel`: in the training pool's
    idle slots, or on a Ray cluster). ``progress`` gets each finished trial's row; ``stop`` ends
    the search after the trial under way (with ``trials``: stops the running trials; the best so
    far is still trained and scored);
    ``on_stage`` hears what it does in words. A worker entry: imports the network code only when
    it runs."""
    from lstm_core.runs.experiment import load_series, run_experiment

    config.validate()
    series = load_series(config.source) if series is None else series
    search = Search(config, series, budget, seed, epochs, patience)
    spent: dict[str, list[float]] = {}

    def stopping() -> bool:
        return (stop is not None and stop.is_set()) or search.overdue

    class Stopping:  # the trials' stop request: Stop pressed, or the budget's minutes spent
        is_set = staticmethod(stopping)

    def ask() -> tuple[int, ExperimentConfig]:
        number, trial_config = search.ask()
        if on_stage is not None:
            on_stage(f"trial {number + 1}: window {trial_config.window}, units {trial_config.units}, "
                     f"transform {trial_config.transform}")
        return number, trial_config

    def finish(number: int, outcome: TrialOutcome) -> None:
        if outcome.state == STOPPED_EARLY and search.overdue and not (stop is not None and stop.is_set()):
            outcome.message = BUDGET_STOP
        search.tell(number, outcome)
        for name, seconds in outcome.timings.items():
            spent.setdefault(name, []).append(seconds)
        if progress is not None:
            progress(next(row for row in search.trials() if row["number"] == number))

    if trials is None:
        while not search.done and not stopping():
            number, trial_config = ask()
            finish(number, run_trial(trial_config, search.history, search.block, stop=Stopping(),
                                     report=lambda epoch, value, n=number: search.report(n, epoch, value),
                                     origins=search.origins, allowance=search.allowance))
    else:
        while True:
            while trials.busy < trials.at_once and not search.done and not stopping():
                trials.start(*ask(), search.history, search.block, search.origins, search.allowance)
            if not trials.busy:
                break
            if (ended := trials.next_outcome(search.report, stopping)) is not None:
                finish(*ended)
    best = search.best
    if best is None:
        failed = [row["message"] for row in search.trials() if row["state"] == FAILED]
        raise SearchError("no trial of the search succeeded" + (f": {failed[-1]}" if failed else ""))
    if on_stage is not None:
        on_stage(f"training trial {best.number + 1}'s settings on the whole training part and "
                 "scoring them on the test part, once")
    began = time.perf_counter()
    final = run_experiment(best.config, series)
    timings = {name: sum(values) / len(values) for name, values in spent.items()}
    return SearchResult(search, best, final, search.seconds, timings, time.perf_counter() - began)
