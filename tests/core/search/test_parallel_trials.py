"""Trials of a search several at a time on this machine (search/parallel.py's LocalTrials): one in
the search's own process, one in a helper worker process per slot the pool lends; a trial the
pruner stops ends at once for the search, and its place comes back when its training has ended."""

from __future__ import annotations

import os
from dataclasses import replace

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import generate
from lstm_core.jobs.messages import Slots
from lstm_core.search.parallel import LocalTrials
from lstm_core.search.trial import COMPLETE, PRUNED, holdout

CONFIG = ExperimentConfig(seed=3, window=12, units=[4], epochs=30, patience=0, transform="none")


def test_two_trials_run_at_once_and_a_pruned_one_frees_its_place() -> None:
    series = generate("trend_seasonal", length=120, period=12, amplitude=3.0, noise_level=0.3)
    history, block = holdout(series, CONFIG)
    slots = Slots(extra=1)
    trials = LocalTrials(slots)
    try:
        assert trials.at_once == 2
        trials.start(0, CONFIG, history, block, 1)
        trials.start(1, replace(CONFIG, units=[5]), history, block, 1)
        assert trials.busy == 2
        outcomes, freed = {}, 0
        while len(outcomes) < 2 or trials.busy:
            ended = trials.next_outcome(lambda number, epoch, value: number == 0 and epoch >= 2,
                                        lambda: False)
            if ended is None:
                freed += 1
            else:
                outcomes[ended[0]] = ended[1]
        assert (outcomes[0].state, outcomes[0].epochs_run) == (PRUNED, 2)
        assert outcomes[1].state == COMPLETE and outcomes[1].epochs_run == 30
        assert freed == 1  # the pruned trial's training ended after the search let it go
        assert outcomes[0].pid == os.getpid() != outcomes[1].pid  # this process, and a helper
        slots.extra = 0  # the pool takes its slot back
        assert trials.at_once == 1
    finally:
        trials.close()
