"""Hints that name a control, a section or a page name one that exists, with the label it has."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.app.driving import open_page, tiny_model, train_button, wait_for_training
from ui.help import HELP

PAGES = ("data", "model", "results", "forecast", "history", "inside", "sequence_lab")
WIDGETS = ("button", "toggle", "selectbox", "number_input", "slider", "multiselect", "text_input",
           "text_area", "checkbox", "radio", "select_slider", "date_input", "time_input")
# How a hint names things: "under Workshop in the sidebar", "the Data page", "press Train", 'Label'.
SECTION = re.compile(r"under ([A-Z][\w &]*?) in the sidebar")
PAGE = re.compile(r"the ([A-Z][\w &]*?) page")
PRESS = re.compile(r"[Pp]ress ([A-Z]\w*)")
QUOTED = re.compile(r"'([A-Z][^']+)'")


def _texts(at: AppTest) -> list[str]:
    boxes = [*at.caption, *at.info, *at.markdown, *at.success, *at.warning]
    boxes += [*at.sidebar.caption, *at.sidebar.markdown]
    return [box.value for box in boxes]


def _labels(at: AppTest) -> set[str]:
    return {widget.label for kind in WIDGETS for widget in at.get(kind)}


def test_every_named_control_section_and_page_exists(app: AppTest) -> None:
    """Every page is visited with a trained model (its downloads show) and advanced controls hidden."""
    tiny_model(app)
    train_button(app).click().run()
    wait_for_training(app)
    app.toggle(key="view.hide").set_value(True).run()  # the hints of hidden controls show too
    texts, labels, titles = list(HELP.values()), set(), set()
    for name in PAGES:
        at = open_page(app, name)
        texts += _texts(at)
        labels |= _labels(at) | {b.proto.label for b in at.get("download_button")}
        titles |= {title.value for title in at.title}
    sections = {header.value for header in app.sidebar.subheader}
    named = "\n".join(texts)
    assert SECTION.findall(named), "the hidden controls' hint names the sidebar section"
    assert set(SECTION.findall(named)) <= sections
    assert set(PAGE.findall(named)) <= titles
    assert set(PRESS.findall(named)) <= labels
    for quoted in QUOTED.findall(named):
        assert any(label.startswith(quoted) for label in labels), quoted
