"""What a new user stumbled on: durations, presets, settings that fit an upload, the Data page's options."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lstm_core.config.presets import PRESETS
from lstm_core.config.settings import DataMode
from lstm_core.data.examples import EXAMPLES
from tests.app.driving import (
    messages,
    open_page,
    session_of,
    sidebar_text,
    tiny_model,
    train_button,
    wait_for_training,
)
from ui.help import HELP
from ui.widgets import duration


def test_the_model_page_and_the_sidebar_say_which_duration_is_which(app: AppTest) -> None:
    tiny_model(app)
    train_button(app).click().run()
    wait_for_training(app)
    fitted = f"Fitting took {duration(session_of(app).result().training.fit_seconds)}"
    (success,) = [box.value for box in app.success]
    assert fitted in success and "in all, with waiting for a slot and start-up" in success
    assert fitted in sidebar_text(app)


def test_a_preset_left_behind_is_said_so_and_leaves_the_link(app: AppTest) -> None:
    app.selectbox(key="sidebar.preset").set_value("clean_sine").run()
    assert dict(app.query_params)["preset"] == "clean_sine"
    open_page(app, "model")
    app.number_input(key="config.epochs").set_value(7).run()
    captions = [c.value for c in app.sidebar.caption]
    assert f"Changed from: {PRESETS['clean_sine'].title}" in captions
    assert PRESETS["clean_sine"].why not in captions
    assert "preset" not in dict(app.query_params)
    app.number_input(key="config.epochs").set_value(PRESETS["clean_sine"].config.epochs).run()
    assert dict(app.query_params)["preset"] == "clean_sine"  # back to the preset's own settings


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    open_page(at, "data")
    at.segmented_control(key="data.mode").set_value(DataMode.UPLOAD).run()
    return at.file_uploader(key="data.uploader").upload(name, content, "text/csv").run()


def test_an_upload_gets_a_window_and_season_that_fit_it(app: AppTest) -> None:
    _upload(app, "passengers.csv", EXAMPLES["airline_passengers"].path.read_bytes())
    config = session_of(app).config
    assert (config.window, config.season_length) == (12, 12)
    assert any("window 12, season length 12" in c.value for c in app.caption)


def test_a_short_yearly_upload_can_train_at_once(app: AppTest) -> None:
    rows = "".join(f"{1950 + k},{100 + (k * 7) % 13 + k}\n" for k in range(61))
    _upload(app, "yearly.csv", f"year,value\n{rows}".encode())
    open_page(app, "model")
    assert messages(app) == []
    assert not train_button(app).disabled


SEMICOLONS = b"day;sales\n" + b"".join(f"{d};{d},500\n".encode() for d in range(1, 60))


def test_the_cleaning_options_offer_the_decimal_mark(app: AppTest) -> None:
    _upload(app, "shop.csv", SEMICOLONS)
    app.selectbox(key="config.source.target").set_value("sales").run()
    decimal = app.selectbox(key="config.source.decimal")
    assert decimal.value == "auto" and decimal.help == HELP["decimal"]
    for mark, first in (("point", 1500), ("comma", 1.5)):
        app.selectbox(key="config.source.decimal").set_value(mark).run()
        assert session_of(app).config.source.decimal == mark
        assert session_of(app).dataset().series.values[0] == first


def test_the_resample_picker_shows_its_default(app: AppTest) -> None:
    _upload(app, "shop.csv", SEMICOLONS)
    resample = app.selectbox(key="config.source.resample")
    assert resample.value is None and resample.proto.placeholder == "keep as is"


def test_a_generated_series_is_named_by_the_parameters_it_changed(app: AppTest) -> None:
    tiny_model(app)  # a sine of length 200
    open_page(app, "data")
    app.number_input(key="param.sine.noise_level").set_value(0.3).run()
    assert "sine (length 200, noise level 0.3)" in sidebar_text(app)
