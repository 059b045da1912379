"""The page's link holds the whole setup, and presets set one up in a click.

On a session's first run, :func:`read` applies the link's query parameters (through
:func:`lstm_core.runs.links.from_query`, which never fails); after every run, :func:`write` puts the
current setup back into the address bar, so the link a person copies reproduces what they see.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import streamlit as st

from lstm_core.config.presets import PRESETS
from lstm_core.config.settings import DataMode
from lstm_core.data.examples import example_at
from lstm_core.runs.links import from_query, to_query

from .session import bound, session
from .widgets import plain

VIEW_WIDGETS = {"presenter": "view.presenter", "hide": "view.hide"}
LOGGER = logging.getLogger(__name__)
UNREADABLE = "This link could not be read: the app opened with its usual setup instead."


def read() -> None:
    """Apply the link once per session; keep its notices for :func:`notices`."""
    current = session()
    if current.link.read:
        return
    current.link.read = True
    params = st.query_params.to_dict()
    if not params:
        return
    try:
        _apply(params)
    except Exception:  # a link is anyone's text: whatever slips past from_query, the app opens
        LOGGER.exception("a link could not be applied: %.200r", params)
        current.link.notices.put([UNREADABLE])


def _apply(params: dict[str, str]) -> None:
    current = session()
    shared = from_query(params)
    current.use_config(shared.config, DataMode(shared.mode))
    for key, widget in VIEW_WIDGETS.items():
        st.session_state[widget] = shared.view.get(key) == "1"
    if shared.view.get("preset") in PRESETS:
        current.preset = shared.view["preset"]
    current.link.notices.put(shared.notices)


def notices() -> None:
    """What the link could not set up, said once, above the first page."""
    for notice in session().link.notices.take() or []:
        st.info(plain(notice), icon=":material/link:")


def query() -> dict[str, str]:
    """The current setup as query parameters."""
    current = session()
    mode, config = current.data.mode, current.config
    example = example_at(config.source.csv_path) if mode == DataMode.EXAMPLE else None
    view = {key: "1" for key, widget in VIEW_WIDGETS.items() if st.session_state.get(widget)}
    if current.kept_preset():
        view["preset"] = current.preset
    return to_query(config, mode, example=example, view=view)


def write() -> None:
    """Keep the address bar's link in step with the setup (only when it changed)."""
    current = query()
    if st.query_params.to_dict() != current:
        st.query_params.from_dict(current)


def share_controls() -> None:
    """The link to copy: the code box's copy button puts it on the clipboard."""
    base = (st.context.url or "").split("?")[0]
    st.code(f"{base}?{urlencode(query())}", language=None, wrap_lines=True)
    st.caption("Copy this link (the button at its right): it opens this exact setup, seed included, "
               "in any browser. An uploaded file is not part of it.")


def preset_picker() -> None:
    current = session()
    kept = current.kept_preset()
    st.selectbox("Preset", list(PRESETS), index=None, format_func=lambda n: PRESETS[n].title,
                 placeholder="Pick a ready-made setup",
                 help="A complete setup (data, model, training, seed) in one click; the first four are "
                      "the tutorials LSTM Lab grew from.",
                 **bound("sidebar.preset", kept, current.use_preset))
    if kept:
        st.caption(PRESETS[kept].why)
    elif current.preset in PRESETS:
        st.caption(f"Changed from: {PRESETS[current.preset].title}")
