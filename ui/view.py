"""How the app looks for this session: presenter mode (larger text and charts) and hidden
advanced controls, set from the sidebar or from a shared link (``?presenter=1&hide=1``)."""

from __future__ import annotations

import streamlit as st

from . import plots

PRESENTER_SCALE = 1.3
# Our own constant CSS: Streamlit sizes its text in rem, so this enlarges all of it.
_PRESENTER_CSS = "<style>html { font-size: 130%; }</style>"


def presenter() -> bool:
    return bool(st.session_state.get("view.presenter", False))


def hide_advanced() -> bool:
    return bool(st.session_state.get("view.hide", False))


def apply() -> None:
    """Size this run's charts and text; call at the start of every run and fragment run."""
    plots.set_scale(PRESENTER_SCALE if presenter() else 1.0)


def style() -> None:
    if presenter():
        st.html(_PRESENTER_CSS)


def controls() -> None:
    """The sidebar's switches; they also go into the page's link."""
    st.toggle("Presenter mode", key="view.presenter",
              help="Larger text and charts, for a projector. Carried by the page's link.")
    st.toggle("Hide advanced controls", key="view.hide",
              help="Show only the essential knobs (window, layers, units, epochs), as a workshop's "
                   "first steps need. Carried by the page's link.")
