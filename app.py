"""LSTM Lab: the entry point. Page config, navigation, and the sidebar every page shares.

Run with ``streamlit run app.py``. Nothing imported here loads TensorFlow: the training job
imports it when a model is first built, so the first page appears at once.
"""

import streamlit as st

from ui import frame, links, sidebar, view, widgets
from ui.session import session

st.set_page_config(page_title="LSTM Lab", page_icon="📈", layout="wide")
frame.keep_keras_state()
links.read()  # a shared link sets everything up on the session's first run
session().file_finished()  # once per run, before the page: reading a result never files it
view.apply()
view.style()

page = st.navigation([
    st.Page("pages/data.py", title="Data", icon=":material/dataset:", default=True),
    st.Page("pages/model.py", title="Model & training", icon=":material/model_training:"),
    st.Page("pages/results.py", title="Results", icon=":material/analytics:"),
    st.Page("pages/forecast.py", title="Forecast", icon=":material/trending_up:"),
    st.Page("pages/backtest.py", title="Backtest", icon=":material/history_toggle_off:"),
    st.Page("pages/search.py", title="Find a model", icon=":material/travel_explore:"),
    st.Page("pages/history.py", title="Run history", icon=":material/history:"),
    st.Page("pages/inside.py", title="How the LSTM works", icon=":material/memory:"),
    st.Page("pages/sequence_lab.py", title="Sequence lab", icon=":material/functions:"),
])
with frame.entry():
    widgets.new_page_run()
    links.notices()
    page.run()
# After the page, so the sidebar shows what the page has just changed (a new upload, say).
sidebar.render()
links.write()
