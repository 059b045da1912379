"""The automatic search: Optuna picks settings on validation before the test part, each trial an
ordinary training (:mod:`.space`, :mod:`.trial`, :mod:`.search`)."""
