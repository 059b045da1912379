"""The Find a model page: a tiny search runs in the pool as one job, its trials are shown as they
finish, and its winner becomes the current run with one click."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.driving import (
    TRAINING_TIMEOUT,
    healthy,
    open_page,
    session_of,
    tiny_model,
    train_button,
    wait_for_training,
)
from tests.waiting import wait_until


def test_a_tiny_search_shows_its_trials_and_its_winner_becomes_the_current_run(app: AppTest) -> None:
    tiny_model(app)
    healthy(open_page(app, "search"))
    app.number_input(key="search.trials").set_value(3).run()
    app.number_input(key="search.epochs").set_value(2).run()
    current = session_of(app)
    job = current.search.job
    app.button(key="search.run").click().run()
    assert job.running or job.result is not None
    healthy(wait_for_training(app, job))
    outcome = current.search.outcome()
    assert outcome is not None and len(outcome.trials) == 3
    assert any("Search done: 3 trials" in box.value for box in app.success)
    trials, winner = app.dataframe[1].value, app.dataframe[0].value
    assert list(trials["trial"]) == [1, 2, 3] and "window" in trials.columns
    assert winner["model"].iloc[0] == "searched LSTM" and {"naive", "linear AR"} <= set(winner["model"])
    assert len(app.get("plotly_chart")) >= 2  # validation RMSE by trial, and Optuna's views
    runs_before = len(current.training.history)
    app.button(key="search.use").click().run()
    healthy(app)
    assert current.result() is outcome.final and len(current.training.history) == runs_before + 1
    assert current.config.window == outcome.final.config.window  # the link now carries its settings
    assert any("This model is the current run" in box.value for box in app.success)


def test_a_session_cannot_start_a_third_job_while_two_are_under_way(app: AppTest) -> None:
    tiny_model(app, epochs=1000)
    current = session_of(app)
    train_button(app).click().run()
    healthy(open_page(app, "search"))
    app.number_input(key="search.epochs").set_value(1000).run()
    app.button(key="search.run").click().run()  # waits for the training: one running, one queued
    assert current.search.job.running and current.search.job.snapshot().queue_position is not None
    healthy(open_page(app, "backtest"))
    app.button(key="backtest.run").click().run()
    assert not current.backtest.job.running
    assert any("one job running and one waiting" in w.value for w in app.warning)


def test_stop_ends_the_search_and_keeps_the_best_trial_so_far(app: AppTest) -> None:
    tiny_model(app)
    healthy(open_page(app, "search"))
    app.number_input(key="search.trials").set_value(500).run()
    app.number_input(key="search.epochs").set_value(2).run()
    job = session_of(app).search.job
    app.button(key="search.run").click().run()
    wait_until(lambda: job.snapshot().epoch >= 1, TRAINING_TIMEOUT, interval=0.2, between=app.run,
               message="no trial finished")
    app.button(key="search.stop").click().run()
    healthy(wait_for_training(app, job))
    outcome = session_of(app).search.outcome()
    assert outcome is not None and outcome.stopped and 1 <= len(outcome.trials) < 500
    assert any("Search stopped:" in box.value for box in app.success)
    assert app.button(key="search.use") is not None  # the best so far can still be used
