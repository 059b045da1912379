"""The session: one typed object under one key of st.session_state, beside the widgets' own keys;
finished trainings are filed once per script run, never by reading them."""

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
from ui.session import SESSION_KEY, Memo, Once

# Where widgets keep their values: a namespace per page, "config." for the config's settings,
# "param." for a generator's parameters, "view." and "sidebar." for the sidebar.
WIDGET_NAMESPACES = ("config.", "param.", "data.", "model.", "history.", "inside.", "lab.", "backtest.",
                     "view.", "sidebar.")
# Streamlit keeps only the widgets of the page shown: the Run history page's, and the sidebar's.
ON_THE_HISTORY_PAGE = {SESSION_KEY, "history.compare", "history.import", "history.log_scale",
                       "history.restore", "history.restore_pick", "sidebar.preset", "view.hide",
                       "view.presenter", "history.train_as.gru", "history.train_as.rnn",
                       "history.train_as.mlp"}


def loose_keys(at: AppTest) -> set[str]:
    """Keys of st.session_state that are neither the session's nor a widget's."""
    return {key for key in at.session_state if key != SESSION_KEY and not key.startswith(WIDGET_NAMESPACES)}


def test_a_whole_session_keeps_one_session_key_beside_namespaced_widget_keys(app: AppTest) -> None:
    tiny_model(app)
    for seed in (1, 2):
        app.number_input(key="config.seed").set_value(seed).run()
        train_button(app).click().run()
        wait_for_training(app)
        assert loose_keys(app) == set()
    for page in ("data", "results", "forecast", "backtest", "inside", "sequence_lab", "history"):
        healthy(open_page(app, page))
        assert loose_keys(app) == set(), page
    app.selectbox(key="history.restore_pick").set_value(1).run()
    app.button(key="history.restore").click().run()
    healthy(app)
    assert session_of(app).config.seed == 1 and len(session_of(app).training.history) == 2
    assert set(app.session_state) == ON_THE_HISTORY_PAGE


def test_reading_the_result_files_nothing_and_a_script_run_files_it_once(app: AppTest) -> None:
    tiny_model(app)
    train_button(app).click().run()
    current = session_of(app)
    assert current.training.job.join(TRAINING_TIMEOUT)
    assert current.result() is None and current.result() is None  # read twice: nothing filed
    assert len(current.training.history) == 0 and current.unfiled()
    healthy(open_page(app, "results"))  # app.py files it, before the page
    finished = current.training.job.result
    assert current.result() is finished and current.result() is finished
    assert [run.number for run in current.training.history] == [1] and not current.unfiled()
    app.run()
    current.file_finished()
    assert [run.number for run in current.training.history] == [1]


def test_a_memo_works_out_again_only_for_another_key_or_another_object() -> None:
    memo: Memo[int] = Memo()
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        return len(calls)

    first, second = object(), object()
    assert memo.get(10, work, of=first) == 1
    assert memo.get(10, work, of=first) == 1
    assert memo.get(11, work, of=first) == 2
    assert memo.get(11, work, of=second) == 3


def test_once_says_a_thing_once() -> None:
    note: Once[str] = Once()
    assert note.take() is None
    note.put("refused")
    assert note.take() == "refused"
    assert note.take() is None
