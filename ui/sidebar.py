"""The sidebar on every page: the current dataset, the model's state, and whether results are stale."""

from __future__ import annotations

import streamlit as st

from lstm_core.eval.evaluation import metric_text
from lstm_core.jobs.job import FAILED

from . import links, view
from .session import session
from .widgets import fit_duration, live, plain, sentence, shown_live


def render() -> None:
    with st.sidebar:
        st.subheader("Dataset")
        _dataset()
        st.subheader("Model")
        if shown_live():  # the page redraws the training already: once is enough
            _model(on_page=True)
        else:
            live(_model)
        st.subheader("Workshop")
        links.preset_picker()
        with st.expander("Share this setup", icon=":material/link:"):
            links.share_controls()
        view.controls()


def _dataset() -> None:
    data = session().dataset()
    if data is None:
        st.caption("no usable series yet: see the Data page")
        return
    st.text(f"{data.label}\n{len(data.series)} samples")


def _model(on_page: bool = False) -> None:
    current = session()
    snap, result = current.training.job.snapshot(), current.result()
    if snap.running and on_page:
        st.markdown("**Training**")
        st.caption("Its progress shows on this page.")
    elif snap.running:
        doing = f"epoch {snap.epoch} of {snap.total_epochs}" if snap.epochs else f"{snap.activity}…"
        st.markdown(f"**Training**: {doing}")
        st.progress(snap.fraction)
    elif snap.state == FAILED:
        st.markdown("**Training failed**")
        st.caption(plain(sentence(snap.error or "")))
    elif result is None:
        st.markdown("**Untrained**")
        st.caption("Set up the model and press Train on the Model & training page.")
    else:
        st.markdown(f"**Trained**: test RMSE **{metric_text(result.evaluation.test_metrics.rmse)}**")
        st.caption(f"{sentence(result.training.message)} {fit_duration(result)}.")
        if current.stale():
            st.badge("results are stale", icon=":material/history:", color="orange")
            st.caption("The data or a setting changed since this training: train again to update.")
