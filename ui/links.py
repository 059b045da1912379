"""The page's link holds the whole setup, and presets set one up in a click.

On a session's first run, :func:`read` applies the link's query parameters (through
:func:`lstm_core.runs.links.from_query`, which never fails); after every run, :func:`write` puts the
current setup back into the address bar, so the link a person copies reproduces what they see.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from lstm_core.config.presets import PRESETS
from lstm_core.data.examples import EXAMPLES
from lstm_core.runs.links import EXAMPLE, GENERATE, UPLOAD, from_query, to_query

from . import state
from .widgets import plain

# The session's data modes as the Data page names them, and as a link does.
_TO_LINK = {state.GENERATE: GENERATE, state.EXAMPLE: EXAMPLE, state.UPLOAD: UPLOAD}
_FROM_LINK = {link: mode for mode, link in _TO_LINK.items()}
VIEW_WIDGETS = {"presenter": "view.presenter", "hide": "view.hide"}


def read() -> None:
    """Apply the link once per session; keep its notices for :func:`notices`."""
    if st.session_state.get("link_read"):
        return
    st.session_state["link_read"] = True
    params = st.query_params.to_dict()
    if not params:
        return
    shared = from_query(params)
    st.session_state["config"] = shared.config
    st.session_state["data_mode"] = _FROM_LINK[shared.mode]
    for key, widget in VIEW_WIDGETS.items():
        st.session_state[widget] = shared.view.get(key) == "1"
    if shared.view.get("preset") in PRESETS:
        st.session_state["preset"] = shared.view["preset"]
    st.session_state["link_notices"] = shared.notices


def notices() -> None:
    """What the link could not set up, said once, above the first page."""
    for notice in st.session_state.pop("link_notices", []):
        st.info(plain(notice), icon=":material/link:")


def query() -> dict[str, str]:
    """The current setup as query parameters."""
    mode = _TO_LINK[state.mode()]
    config = state.config()
    example = next((name for name, e in EXAMPLES.items() if str(e.path) == config.source.csv_path), None)
    view = {key: "1" for key, widget in VIEW_WIDGETS.items() if st.session_state.get(widget)}
    if st.session_state.get("preset"):
        view["preset"] = st.session_state["preset"]
    return to_query(config, mode, example=example if mode == EXAMPLE else None, view=view)


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


def use_preset(name: str) -> None:
    preset = PRESETS[name]
    st.session_state["config"] = preset.apply()
    st.session_state["data_mode"] = state.GENERATE
    st.session_state["preset"] = name


def preset_picker() -> None:
    names = list(PRESETS)
    chosen = st.session_state.get("preset")
    st.selectbox("Preset", names, index=names.index(chosen) if chosen in names else None,
                 format_func=lambda n: PRESETS[n].title, placeholder="Pick a ready-made setup",
                 key="preset_widget", on_change=lambda: use_preset(st.session_state["preset_widget"]),
                 help="A complete setup (data, model, training, seed) in one click; the first four are "
                      "the tutorials LSTM Lab grew from.")
    if chosen in PRESETS:
        st.caption(PRESETS[chosen].why)
