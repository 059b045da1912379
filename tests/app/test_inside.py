"""The two teaching pages, driven by AppTest: how the LSTM works, and the sequence lab.

Models are tiny, as in test_app_pages: a 200-sample sine with window 5 and 4 units for the main
model; the sum task at L = 5 on 300 sequences for the lab.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.driving import (
    healthy,
    messages,
    open_page,
    session_of,
    tiny_model,
    train_button,
    wait_for_training,
)

LAB_LENGTH = 5


def test_how_it_works_explains_the_step_before_any_training(app: AppTest) -> None:
    healthy(open_page(app, "inside"))
    assert app.title[0].value == "How the LSTM works"
    assert len(app.latex) == 6  # the six equations of one step
    assert [i.value for i in app.info] == ["No model yet: train one first."]
    assert len(app.get("plotly_chart")) == 1  # the sigmoid and the tanh


def test_how_it_works_shows_the_gates_of_the_trained_model(app: AppTest) -> None:
    tiny_model(app)
    app.slider(key="config.layers").set_value(2).run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(open_page(app, "inside"))
    charts = len(app.get("plotly_chart"))
    assert charts == 1 + 6 + 2  # the activations, six heatmaps, the unit's lines, the saturation
    assert {s.key for s in app.slider} >= {"inside.window", "inside.layer", "inside.unit", "inside.step"}
    latex = [formula.value for formula in app.latex]
    assert any(r"4\cdot(4\cdot(4 + 1) + 4) = 96" in f for f in latex)  # layer 1, numbers filled in
    assert any(r"4\cdot(4\cdot(4 + 4) + 4) = 144" in f for f in latex)  # layer 2 reads layer 1
    gap = next(c.value for c in app.caption if "differ by at most" in c.value)
    assert float(gap.split("at most ")[1].rstrip(".")) < 1e-5
    for key, value in (("inside.window", 7), ("inside.layer", 2), ("inside.unit", 3), ("inside.step", 2)):
        app.slider(key=key).set_value(value).run()
        healthy(app)
    assert len(app.get("plotly_chart")) == charts
    assert any("Unit 3 at step 2" in m.value for m in app.markdown)


def train_lab(at: AppTest, kind: str) -> None:
    at.radio(key="lab.kind").set_value(kind).run()
    for key, value in (("lab.length", LAB_LENGTH), ("lab.units", 6), ("lab.epochs", 3), ("lab.samples", 300)):
        at.number_input(key=key).set_value(value).run()
    at.button(key="lab.train").click().run()
    wait_for_training(at, session_of(at).lab.job)


@pytest.fixture
def lab(app: AppTest):
    open_page(app, "sequence_lab")
    return app  # the app fixture stops both jobs


def test_sequence_lab_compares_both_kinds_and_carries_the_state(lab: AppTest) -> None:
    healthy(lab)
    assert len(lab.get("plotly_chart")) == 0 and len(lab.info) == 2  # nothing trained yet
    train_lab(lab, "many_to_one")
    healthy(lab)
    assert "many-to-one at L = 5: trained all 3 epochs" in lab.success[0].value
    train_lab(lab, "many_to_many")
    healthy(lab)
    assert set(session_of(lab).lab.models) == {"many_to_one", "many_to_many"}
    assert len(lab.get("plotly_chart")) == 2  # the loss curve, and the error by length of both
    table = lab.dataframe[0].value
    assert list(table["MSE of the sum"]) == ["many-to-one (L = 5)", "many-to-many (L = 5)"]
    assert list(table.columns) == ["MSE of the sum", "length 1", "length 5", "length 10"]

    assert lab.radio(key="lab.model").value == "many_to_many"
    lab.text_input(key="lab.first").set_value("1,1,1").run()
    lab.button(key="lab.keep").click().run()
    healthy(lab)
    assert "After 1,1,1 the model's running total is" in lab.text[0].value
    carried, fresh = "Continued from the kept state (true: 5)", "Same sequence from a zero state (true: 2)"
    figures = {m.label: float(m.value) for m in lab.metric}
    assert set(figures) == {carried, fresh}
    assert figures[carried] != figures[fresh]
    assert len(lab.get("plotly_chart")) == 3  # and the kept (h, c)


def test_sequence_lab_answers_bad_input_with_one_line(lab: AppTest) -> None:
    train_lab(lab, "many_to_many")
    lab.text_input(key="lab.first").set_value("1,2").run()
    lab.button(key="lab.keep").click().run()
    assert not lab.exception
    assert messages(lab) == ["Type a sequence of 0s and 1s such as 1,0,1; got '1,2'."]
    lab.text_input(key="lab.first").set_value("1 1").run()
    lab.button(key="lab.keep").click().run()
    lab.text_input(key="lab.second").set_value("<b>x</b>").run()
    assert not lab.exception
    assert messages(lab) == ["Type a sequence of 0s and 1s such as 1,0,1; got '<b>x</b>'."]
    assert not any("<b>" in e.value for e in lab.error)  # shown as plain text, escaped


def test_a_gru_shows_its_own_gates_and_a_plain_rnn_says_it_has_none(app: AppTest) -> None:
    tiny_model(app)
    app.selectbox(key="config.cell").set_value("gru").run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(open_page(app, "inside"))
    assert any("Your model is a GRU" in m.value for m in app.markdown)
    latex = [formula.value for formula in app.latex]
    assert len(latex) == 6 + 4 + 1 + 2  # the LSTM's step, the GRU's, the worked step, layer and head
    assert any(r"3\cdot(4\cdot(4 + 1) + 8) = 84" in f for f in latex)  # update, reset, candidate
    worked = next(f for f in latex if "h_t &= z_t" in f)
    # one equals sign a line: the numbers and their result would run past a half-width column
    assert all(line.count("=") <= 1 for line in worked.split(r"\\")), worked
    assert len(app.get("plotly_chart")) == 1 + 4 + 2  # activations, z r g h heatmaps, lines, saturation
    assert {m.label for m in app.metric} == {"update gate saturated", "reset gate saturated"}
    gap = next(c.value for c in app.caption if "differ by at most" in c.value)
    assert float(gap.split("at most ")[1].rstrip(".")) < 1e-5

    open_page(app, "model")
    app.selectbox(key="config.cell").set_value("rnn").run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(open_page(app, "inside"))
    assert any("plain RNN" in i.value and "no gates" in i.value for i in app.info)
    assert len(app.get("plotly_chart")) == 1  # the activations only: no gate to draw
    assert any(r"4\cdot(4 + 1) + 4 = 24" in f.value for f in app.latex)
