"""The run history: bounded, restorable, and shown on its page."""

from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.app.driving import (
    healthy,
    open_page,
    session_of,
    sidebar_text,
    tiny_model,
    train_button,
    unescaped,
    wait_for_training,
)


def train(at: AppTest, seed: int) -> None:
    open_page(at, "model")
    at.number_input(key="config.seed").set_value(seed).run()
    train_button(at).click().run()
    wait_for_training(at)


def test_runs_are_listed_compared_and_restored(app: AppTest) -> None:
    tiny_model(app)
    train(app, 1)
    train(app, 2)
    healthy(open_page(app, "history"))
    assert app.title[0].value == "Run history"
    table = app.dataframe[0].value
    assert list(table["run"]) == [2, 1] and list(table["seed"]) == [2, 1]
    assert len(app.get("plotly_chart")) == 3  # the losses, the test predictions and the error by horizon
    first_rmse = table.loc[table["run"] == 1, "test RMSE"].item()
    app.selectbox(key="history.restore_pick").set_value(1).run()
    app.button(key="history.restore").click().run()
    healthy(app)
    assert session_of(app).config.seed == 1
    assert any("Run 1 is current again" in s.value for s in app.success)
    assert session_of(app).result().evaluation.test_metrics.rmse == first_rmse
    assert f"test RMSE **{first_rmse:.4g}**" in sidebar_text(app) and "stale" not in sidebar_text(app)
    open_page(app, "model")
    assert app.number_input(key="config.seed").value == 1


def test_an_exported_run_imports_in_a_new_session(app: AppTest, fresh_app) -> None:
    from lstm_core.runs.export import bundle

    tiny_model(app)
    train(app, 5)
    healthy(open_page(app, "results"))
    labels = [b.label for b in app.get("download_button")]
    assert "Download the run (zip: weights, data, script)" in labels
    first = session_of(app).result()
    other = fresh_app({})
    open_page(other, "history")
    other.get("file_uploader")[0].upload("run.zip", bundle(first), "application/zip").run()
    healthy(other)
    # The file is checked at once; its run is rebuilt in a worker, as trainings run.
    assert any("Importing run.zip" in unescaped(i.value) for i in other.info)
    assert session_of(other).result() is None
    healthy(wait_for_training(other, session_of(other).imports.job))
    assert any("Run imported from run.zip as run 1" in unescaped(s.value) for s in other.success)
    imported = session_of(other).result()
    assert np.array_equal(imported.evaluation.test_predictions, first.evaluation.test_predictions)
    assert session_of(other).config == first.config
    assert list(other.dataframe[0].value["run"]) == [1]


def test_a_malformed_import_is_refused_with_a_message(app: AppTest) -> None:
    open_page(app, "history")
    app.get("file_uploader")[0].upload("run.zip", b"not a zip at all", "application/zip").run()
    assert not app.exception
    assert any("run.zip was not imported: this file is not a zip" in unescaped(e.value) for e in app.error)
    assert session_of(app).result() is None
