"""A search as one job of the training pool: the app's "Find a model" page starts it.

:func:`search_job` runs :func:`~lstm_core.search.search.run_search` in a worker, passing each
finished trial's row back as its progress, and returns a :class:`SearchOutcome`: plain data
(the trials, the winner, its final run, Optuna's parameter-importance and parallel-coordinate
figures as Plotly dicts), so nothing of Optuna or TensorFlow has to travel to the server.
Stopping it ends the trials under way; the best trial so far is still trained and scored. Its
trials run several at a time where they can (:mod:`~lstm_core.search.parallel`): in the slots of
the training pool that no other job needs, or on the Ray cluster.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.jobs.messages import Slots
from lstm_core.runs.experiment import ExperimentResult
from lstm_core.runs.progress import StopRequest
from lstm_core.search.parallel import LocalTrials
from lstm_core.search.ray_trials import ray_worker_trials
from lstm_core.search.search import Budget, run_search
from lstm_core.search.space import EPOCHS, PATIENCE

LOGGER = logging.getLogger(__name__)


@dataclass
class SearchOutcome:
    """A finished search, as the page shows it."""

    trials: list[dict[str, Any]]
    best_number: int
    best_score: float
    best_params: dict[str, Any]
    final: ExperimentResult
    seconds: float
    budget: Budget
    stopped: bool
    figures: dict[str, dict] = field(default_factory=dict)  # "importance", "parallel": Plotly dicts
    notes: list[str] = field(default_factory=list)

    @property
    def config(self) -> ExperimentConfig:
        return self.final.config


def _figures(study: Any, notes: list[str]) -> dict[str, dict]:
    """Optuna's own views of the study, as Plotly figure dicts; a note where one cannot be drawn."""
    from optuna import visualization

    figures = {}
    for name, draw, needs in (("importance", visualization.plot_param_importances, 2),
                              ("parallel", visualization.plot_parallel_coordinate, 2)):
        complete = [t for t in study.trials if t.state.name == "COMPLETE"]
        if len(complete) < needs:
            notes.append(f"the {name} view needs at least {needs} completed trials")
            continue
        try:
            figures[name] = draw(study).to_plotly_json()
        except Exception as exc:  # a view is a bonus: the search's result stands without it
            LOGGER.warning("Optuna's %s view failed: %s", name, exc)
            notes.append(f"the {name} view could not be drawn ({exc})")
    return figures


def search_job(config: ExperimentConfig, series: Series, budget: Budget, seed: int | None = None,
               epochs: int = EPOCHS, *, progress, stop: StopRequest, on_stage,
               slots: Slots | None = None) -> SearchOutcome:
    """The pool's work for a search (see the module's docstring), a wide one: ``slots`` says how
    many of the pool's slots its trials may use now. Each trial trains at most ``epochs`` epochs,
    stopping early after PATIENCE epochs without progress."""
    trials = ray_worker_trials()  # on the Ray engine: the trials spread over the cluster
    if trials is not None:
        on_stage(f"starting the search: its trials run on the Ray cluster, {trials.at_once} at a time")
    elif slots is not None:
        trials = LocalTrials(slots)
        on_stage("starting the search: its trials also use the server's idle training slots")
    else:
        on_stage("starting the search")
    try:
        result = run_search(config, budget, seed, series, progress=progress, stop=stop, on_stage=on_stage,
                            epochs=epochs, patience=PATIENCE, trials=trials)
    finally:
        if trials is not None:
            trials.close()
    notes: list[str] = []
    figures = _figures(result.search.study, notes)
    return SearchOutcome(
        trials=result.search.trials(), best_number=result.best.number, best_score=result.best.score,
        best_params=result.best.params, final=result.final, seconds=result.seconds,
        budget=result.search.budget, stopped=stop.is_set(), figures=figures, notes=notes,
    )
