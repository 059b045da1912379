"""The pages, driven by Streamlit's AppTest: data, model and training, results, forecast.

Models here are tiny (window 5, 4 units, a few epochs on 200 samples) so a training takes a
second or two once TensorFlow is loaded.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from lstm_core.config.settings import DataMode
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS
from tests.app.driving import (
    APP,
    ROOT,
    RUN_TIMEOUT,
    TRAINING_TIMEOUT,
    computed,
    healthy,
    messages,
    open_page,
    session_of,
    sidebar_text,
    stop_button,
    tiny_model,
    train_button,
    wait_for_training,
)
from tests.waiting import wait_until

CSV = b"""day,sales,temperature,note
2024-01-03,12,3.5,a
2024-01-01,10,2.0,b
2024-01-02,11,2.5,c
""" + b"".join(f"2024-02-{d:02d},{10 + d % 7},{d / 3:.1f},x\n".encode() for d in range(1, 29)) + b"".join(
    f"2024-03-{d:02d},{12 + d % 5},{d / 4:.1f},y\n".encode() for d in range(1, 32))


def test_the_first_page_renders_without_importing_tensorflow() -> None:
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({APP!r}, default_timeout={RUN_TIMEOUT}).run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.title[0].value == 'Data'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_page_opens_cleanly_before_any_training(app: AppTest) -> None:
    healthy(app)
    assert "Untrained" in sidebar_text(app)
    assert "1000 samples" in sidebar_text(app)
    for name in ("model", "results", "forecast"):
        healthy(open_page(app, name))
    assert [i.value for i in app.info] == ["No model yet: train one first."]


@pytest.mark.parametrize("name", ["model", "backtest"])
def test_a_page_that_needs_data_points_to_the_data_page_when_there_is_none(app: AppTest, name: str) -> None:
    app.selectbox(key="data.generator").set_value("multi_sine").run()
    app.text_input(key="param.multi_sine.periods").set_value("50, ten").run()  # no usable series
    open_page(app, name)
    assert not app.exception
    assert [i.value for i in app.info] == ["Choose a usable series on the Data page first."]


@pytest.mark.parametrize("generator", list(GENERATORS))
def test_each_generator_shows_its_parameters_and_a_preview(app: AppTest, generator: str) -> None:
    app.selectbox(key="data.generator").set_value(generator).run()
    healthy(app)
    keys = {w.key for w in app.main.get("number_input")} | {w.key for w in app.selectbox}
    keys |= {w.key for w in app.text_input}
    assert {f"param.{generator}.{p.name}" for p in GENERATORS[generator].params} <= keys
    assert len(app.get("plotly_chart")) == 1
    assert f"{generator} (generated)" in sidebar_text(app)


def test_a_generator_parameter_changes_the_series(app: AppTest) -> None:
    app.number_input(key="param.sine.length").set_value(300).run()
    healthy(app)
    assert session_of(app).config.source.params["length"] == 300
    assert "300 samples" in sidebar_text(app)


def test_bad_generator_text_is_explained_not_raised(app: AppTest) -> None:
    app.selectbox(key="data.generator").set_value("multi_sine").run()
    app.text_input(key="param.multi_sine.periods").set_value("50, ten").run()
    assert not app.exception
    assert any("Periods must be numbers" in m for m in messages(app))
    assert "no usable series" in sidebar_text(app)


def test_split_sliders_reach_the_config_and_are_checked(app: AppTest) -> None:
    app.slider(key="config.test_share").set_value(0.3).run()
    healthy(app)
    assert session_of(app).config.test_share == 0.3
    app.slider(key="config.val_share").set_value(0.5).run()
    assert any("under 20%" in m for m in messages(app))


def test_an_example_brings_its_data_and_its_settings(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.EXAMPLE).run()
    example = next(iter(EXAMPLES.values()))
    app.selectbox(key="data.example").set_value(example.name).run()
    healthy(app)
    config = session_of(app).config
    assert config.window == example.settings["window"]
    assert config.source.target == example.target
    assert example.title in sidebar_text(app)
    assert len(app.get("plotly_chart")) == 1


def test_upload_a_csv_and_choose_target_and_features(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.UPLOAD).run()
    assert [i.value for i in app.info] == ["Upload a CSV file with a header row to use your own data."]
    app.file_uploader(key="data.uploader").upload("shop.csv", CSV, "text/csv").run()
    healthy(app)
    source = session_of(app).config.source
    assert (source.target, source.date_col) == ("sales", "day")
    assert "shop.csv" in sidebar_text(app)
    app.multiselect(key="config.source.features").set_value(["temperature"]).run()
    healthy(app)
    series = session_of(app).dataset().series
    assert series.feature_names == ["temperature"]
    assert len(series) == 62 and series.timestamps.is_monotonic_increasing
    assert "sales" in app.code[0].value  # the load report, as plain text
    open_page(app, "model")
    assert app.metric[0].value == "4,513"  # 4 gates x (32 x (32 + 2 inputs) + 32) + 32 + 1


def test_ambiguous_dates_ask_for_the_day_and_month_order(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.UPLOAD).run()
    dates = b"date,visitors\n" + b"".join(
        f"{d:02d}/{m:02d}/2024,{d + m}\n".encode() for m in range(1, 13) for d in range(1, 13))
    app.file_uploader(key="data.uploader").upload("visits.csv", dates, "text/csv").run()
    assert any("could be dd/mm/yyyy or mm/dd/yyyy" in m for m in messages(app))
    app.selectbox(key="config.source.dayfirst").set_value(True).run()
    healthy(app)
    assert len(session_of(app).dataset().series) == 144


def test_user_strings_are_never_rendered_as_markdown(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.UPLOAD).run()
    evil = b"when,[click](http://evil.example) **now**\n" + b"".join(
        f"2024-01-{d:02d},{d}\n".encode() for d in range(1, 29))
    app.file_uploader(key="data.uploader").upload("<b>evil</b>.csv", evil, "text/csv").run()
    assert not app.exception
    markdown = [m.value for m in app.markdown] + [e.value for e in app.error] + [c.value for c in app.caption]
    assert not any("](http" in text or "<b>" in text for text in markdown)
    assert "<b>evil</b>.csv" in sidebar_text(app)  # as plain text


def test_a_file_that_is_not_a_csv_is_refused_with_a_message(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.UPLOAD).run()
    app.file_uploader(key="data.uploader").upload("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv").run()
    assert not app.exception
    assert len(app.error) == 1
    assert session_of(app).data.upload is None


def test_model_page_shows_live_figures_as_the_knobs_move(app: AppTest) -> None:
    open_page(app, "model")
    healthy(app)
    figures = {m.label: m.value for m in app.metric}
    assert figures == {"Parameters": "4,385", "Training windows": "650", "Validation windows": "100",
                       "Test windows": "200"}
    app.slider(key="config.layers").set_value(2).run()
    healthy(app)
    assert session_of(app).config.units == [32, 32]
    assert app.metric[0].value == "12,705"
    app.number_input(key="config.window").set_value(900).run()
    assert any("too long for the training part" in m for m in messages(app))
    assert train_button(app).disabled


def test_generate_train_results_forecast(app: AppTest) -> None:
    tiny_model(app)
    train_button(app).click().run()
    assert not app.exception
    assert "Training" in sidebar_text(app)
    wait_for_training(app)
    healthy(app)
    assert "Trained all 2 epochs" in app.success[0].value
    assert "**Trained**: test RMSE" in sidebar_text(app)
    assert len(app.get("plotly_chart")) == 2  # the loss curves and the window diagram

    healthy(open_page(app, "results"))
    assert [m.label for m in app.metric] == ["Test RMSE", "Test MAE", "Test MAPE", "Test sMAPE", "Test MASE"]
    assert "than the naive forecast" in (app.success or app.info)[0].value
    assert list(app.dataframe[0].value.index) == ["LSTM", "naive", "seasonal naive", "linear AR", "AutoETS",
                                                 "AutoARIMA", "AutoTheta", "Ensemble (mean)",
                                                 "Ensemble (weighted)"]
    assert len(app.get("plotly_chart")) == 4
    assert [b.label for b in app.get("download_button")] == [
        "Download the results (JSON)", "Download the settings (JSON)", "Download the test predictions (CSV)",
        "Download the run (zip: weights, data, script)", "Download a plain-Keras script"]

    healthy(open_page(app, "forecast"))
    assert len(app.get("plotly_chart")) == 3
    app.slider(key="config.horizon").set_value(40).run()
    healthy(app)
    assert len(computed(session_of(app).forecasts.future, 40, session_of(app).result())) == 40
    assert "stale" not in sidebar_text(app)  # the horizon needs no new training

    open_page(app, "model")
    app.number_input(key="config.window").set_value(6).run()
    assert "results are stale]" in sidebar_text(app)  # the badge
    open_page(app, "results")
    assert any("earlier setup" in i.value for i in app.info)


def test_a_second_train_is_refused_and_stop_keeps_the_model(app: AppTest) -> None:
    tiny_model(app, epochs=500)
    train_button(app).click().run()
    job = session_of(app).training.job
    assert not stop_button(app).disabled  # at once, in the run that started the training
    train_button(app).click().run()
    assert any("A training is already running" in m for m in messages(app))
    wait_until(lambda: job.snapshot().epoch >= 1, TRAINING_TIMEOUT, message="no epoch ended")
    open_page(app, "results")  # switching pages leaves the training alone
    assert any("training is running" in i.value for i in app.info)
    assert session_of(app).training.job is job and job.running
    open_page(app, "model")
    app.number_input(key="config.window").set_value(6).run()  # nor does moving a knob
    assert session_of(app).training.job is job and job.running and job.config.window == 5
    stop_button(app).click().run()
    wait_for_training(app)
    healthy(app)
    training = job.result.training
    assert training.stop_reason == "stopped" and training.epochs_run < 500
    assert len(training.loss) == training.epochs_run
    assert "Stopped on request" in app.success[0].value


def test_a_failed_training_shows_its_message(app: AppTest) -> None:
    tiny_model(app)
    app.selectbox(key="config.transform").set_value("log").run()
    train_button(app).click().run()
    wait_for_training(app)
    assert not app.exception
    assert any("log transform needs a positive series" in m for m in messages(app))
    assert "Training failed" in sidebar_text(app)


def test_an_example_with_dates_trains_and_forecasts_on_its_calendar(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.EXAMPLE).run()
    app.selectbox(key="data.example").set_value("airline_passengers").run()
    open_page(app, "model")
    app.number_input(key="config.epochs").set_value(2).run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(app)
    healthy(open_page(app, "results"))
    healthy(open_page(app, "forecast"))
    assert [b.label for b in app.get("download_button")] == ["Download the forecast (CSV)"]
    # The classical models' forecasts over the test span, dotted beside the LSTM's rollout.
    rollout_chart, horizon_chart = app.get("plotly_chart")[1:3]
    classical = [b for b in session_of(app).result().evaluation.baselines.values() if b.rollout is not None]
    assert classical
    for baseline in classical:
        assert f'"name":"{baseline.label}"' in rollout_chart.proto.spec.replace(" ", "")
        assert f"{baseline.label}: RMSE up to that step" in horizon_chart.proto.spec
    assert any("classical models' forecasts over the same span" in c.value for c in app.caption)


def test_a_model_with_dropout_gets_an_uncertainty_band(app: AppTest) -> None:
    tiny_model(app)
    app.slider(key="config.dropout").set_value(0.2).run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(open_page(app, "forecast"))
    band = computed(session_of(app).forecasts.band, session_of(app).config.horizon, session_of(app).result())
    assert band.paths == 100 and len(band.median) == session_of(app).config.horizon
    assert (band.upper_95 - band.lower_95 > 0).all()
    spec = app.get("plotly_chart")[0].proto.spec
    assert "95% of dropout rollouts" in spec and "80% of dropout rollouts" in spec
    app.toggle[0].set_value(False).run()
    healthy(app)
    assert "dropout rollouts" not in app.get("plotly_chart")[0].proto.spec


def test_without_dropout_the_forecast_page_says_how_to_get_a_band(app: AppTest) -> None:
    tiny_model(app)
    train_button(app).click().run()
    wait_for_training(app)
    healthy(open_page(app, "forecast"))
    assert any("Train with dropout above 0" in c.value for c in app.caption)
    assert "dropout rollouts" not in app.get("plotly_chart")[0].proto.spec
