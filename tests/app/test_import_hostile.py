"""A hostile import or link leaves the page working: a message, never a page that stays broken."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import lstm_core.runs.export
from tests.app.driving import healthy, open_page, session_of, unescaped, wait_for_training
from tests.hostile.cases_import import npz_bomb, run_files, zipped
from ui.links import UNREADABLE


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.get("file_uploader")[0].upload(name, content, "application/zip").run()
    return at


def errors(at: AppTest) -> list[str]:
    return [unescaped(e.value) for e in at.error]


def imported(at: AppTest) -> bool:
    """Whether good.zip, once rebuilt in its worker, became run 1."""
    wait_for_training(at, session_of(at).imports.job)
    return any("Run imported from good.zip as run 1" in unescaped(s.value) for s in at.success)


def test_a_bomb_is_refused_and_the_next_good_file_imports(app: AppTest) -> None:
    open_page(app, "history")
    upload(app, "bomb.zip", npz_bomb())
    assert not app.exception
    assert errors(app) == ["bomb.zip was not imported: this run's weights.npz unpacks to over 21,288 "
                           "bytes, more than a run of LSTM Lab's holds."]
    app.run()  # a rerun with the file still there
    assert not app.exception and len(errors(app)) == 1
    upload(app, "good.zip", zipped(run_files()))
    assert not app.exception and imported(app)
    assert session_of(app).result() is not None


def test_an_unforeseen_failure_is_a_message_and_the_page_keeps_working(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes):
        raise RuntimeError("no check foresaw this")

    open_page(app, "history")
    with monkeypatch.context() as patched:
        patched.setattr(lstm_core.runs.export, "load_bundle", broken)
        upload(app, "odd.zip", b"PK whatever")
        assert not app.exception
        assert errors(app) == ["odd.zip was not imported: it could not be read as an LSTM Lab run (.zip) "
                               "or settings (.json)."]
        app.run()
        assert not app.exception
    upload(app, "good.zip", zipped(run_files()))
    assert not app.exception and imported(app)


def test_a_link_that_cannot_be_applied_opens_the_app_with_a_notice(
        fresh_app, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(params):
        raise RuntimeError("no check foresaw this")

    monkeypatch.setattr("ui.links.from_query", broken)
    at = healthy(fresh_app({"window": "12"}))
    assert [unescaped(i.value) for i in at.info] == [UNREADABLE]
    assert session_of(at).config.window == 50
    healthy(open_page(at, "data"))


def test_a_hostile_link_gives_short_notices_and_a_working_app(fresh_app) -> None:
    at = healthy(fresh_app({"window": "9" * 5000, "units": ",".join(["1"] * 5000)}))
    notices = [unescaped(i.value) for i in at.info]
    assert len(notices) == 2 and all("characters long" in n and len(n) < 400 for n in notices)
    healthy(open_page(at, "model"))
