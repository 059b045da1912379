"""Model & training: shape the LSTM, see what it will learn from, and train it live."""

import streamlit as st

from lstm_core.config.fields import CELL_LABELS, CELLS, SEASON_INPUTS, STRATEGIES
from lstm_core.config.settings import LIMITS, SCALERS, TRANSFORMS
from lstm_core.data.windows import input_columns
from lstm_core.eval.evaluation import metric_text
from lstm_core.infer.architecture import count_params
from lstm_core.jobs.job import FAILED, JobSnapshot
from lstm_core.runs.experiment import EVALUATING, ExperimentResult
from ui import plots, view
from ui.frame import require_entry
from ui.help import HELP
from ui.plan import Plan, plan
from ui.session import Dataset, bound, config_field, prewarm, session
from ui.widgets import (
    capitalized,
    duration,
    fit_duration,
    live,
    next_step,
    plain,
    sentence,
    show_problems,
    usable_dataset,
)


def whole(name: str) -> dict:
    """Bounds of a whole-number setting, from the config's LIMITS."""
    low, high = LIMITS[name]
    return {"min_value": int(low), "max_value": int(high), "step": 1}


def set_layers(count: int) -> None:
    config = session().config
    config.units = (config.units + [config.units[-1]] * count)[:count]


def set_units(layer: int, value: int) -> None:
    session().config.units[layer] = value


def network_settings() -> None:
    st.markdown("**Window and network**")
    st.number_input("Window (steps)", help=HELP["window"], **whole("window"), **config_field("window"))
    cell, strategy = st.columns(2)
    cell.selectbox("Network", CELLS, format_func=CELL_LABELS.get, help=HELP["cell"], **config_field("cell"))
    strategy.selectbox("Forecast strategy", STRATEGIES, help=HELP["strategy"], **config_field("strategy"))
    if session().config.strategy == "direct":
        st.caption(f"A direct model has one output per step of the horizon "
                   f"({session().config.horizon} steps, set on the Forecast page): changing the "
                   "horizon means training again.")
    low, high = LIMITS["layers"]
    st.slider("Layers", int(low), int(high), help=HELP["layers"],
              **bound("config.layers", len(session().config.units), set_layers))
    columns = st.columns(len(session().config.units))
    for layer, (column, units) in enumerate(zip(columns, session().config.units, strict=True)):
        with column:
            st.number_input(f"Units, layer {layer + 1}", help=HELP["units"], **whole("units"),
                            **bound(f"config.units.{layer}", units, lambda v, k=layer: set_units(k, v)))
    if view.hide_advanced():
        return
    low, high = LIMITS["dropout"]
    st.slider("Dropout", low, high, step=0.05, help=HELP["dropout"], **config_field("dropout"))


def training_settings() -> None:
    st.markdown("**Training**")
    st.number_input("Epochs (at most)", help=HELP["epochs"], **whole("epochs"), **config_field("epochs"))
    if view.hide_advanced():
        st.caption("Advanced controls are hidden: switch off 'Hide advanced controls' under Workshop "
                   "in the sidebar.")
        return
    st.number_input("Batch size", help=HELP["batch_size"], **whole("batch_size"),
                    **config_field("batch_size"))
    low, high = LIMITS["learning_rate"]
    st.number_input("Learning rate", min_value=low, max_value=high, step=0.0005, format="%g",
                    help=HELP["learning_rate"], **config_field("learning_rate"))
    st.number_input("Early-stopping patience (epochs)", help=HELP["patience"], **whole("patience"),
                    **config_field("patience"))
    st.number_input("Seed", help=HELP["seed"], **whole("seed"), **config_field("seed"))


def preprocessing_settings() -> None:
    st.markdown("**Preprocessing and baselines**")
    st.selectbox("Transform", TRANSFORMS, help=HELP["transform"], **config_field("transform"))
    st.selectbox("Scaler", SCALERS, help=HELP["scaler"], **config_field("scaler"))
    st.number_input("Season length (0 = detect)", help=HELP["season_length"],
                    **whole("season_length"), **config_field("season_length"))
    st.selectbox("Season as inputs", SEASON_INPUTS, help=HELP["season_inputs"],
                 **config_field("season_inputs"))


def live_figures(data: Dataset, layout: Plan) -> None:
    n_features = input_columns(data.series, session().config)
    cards = st.columns(4)
    cards[0].metric("Parameters", f"{count_params(session().config, n_features):,}",
                    help="Trainable weights of the network's layers and its Dense head.")
    cards[1].metric("Training windows", f"{layout.train_windows:,}")
    cards[2].metric("Validation windows", f"{layout.val_windows:,}")
    cards[3].metric("Test windows", f"{layout.test_windows:,}")
    window = session().config.window
    if layout.problem is None and window < len(data.series):
        values = data.series.values
        st.plotly_chart(plots.window_figure(values[:window], values[window]))
        st.caption(f"The first training window, in the series' own units. The model sees it "
                   f"transformed ({layout.transform}) and scaled, and slides it one step at a time.")


def train_controls(data: Dataset, problems: list[str]) -> None:
    current = session()
    with st.container(horizontal=True, vertical_alignment="center"):
        # Callbacks run before the page, so the page already shows the training (or its end).
        st.button("Train", type="primary", icon=":material/play_arrow:", disabled=bool(problems),
                  on_click=current.start_training, args=(data,))
        st.button("Stop", icon=":material/stop:", disabled=not current.training.job.running,
                  on_click=current.stop_training)
        st.caption("Training runs in the background: you may switch pages meanwhile. "
                   "Stop keeps the model as trained so far.")
    refusal = current.training.refusal.take()
    if refusal:
        st.warning(plain(sentence(refusal)), icon=":material/block:")


def running_panel(snap: JobSnapshot) -> None:
    if snap.epochs and snap.stage == EVALUATING:
        text = (f"Trained {snap.epoch} epochs · now scoring it against the yardsticks (ETS, ARIMA, "
                f"Theta, each within its time allowance) and forecasting… ({duration(snap.elapsed)})")
    elif snap.epochs:
        left = f" · at most {duration(snap.eta)} left" if snap.eta is not None else ""
        text = f"Epoch {snap.epoch} of {snap.total_epochs} · {duration(snap.elapsed)} elapsed{left}"
    else:
        text = f"{capitalized(snap.activity)}… ({duration(snap.elapsed)})"
        if snap.queue_position is not None:
            st.caption("Everyone on this server shares a few training slots, one per core: "
                       "yours starts as soon as one is free. Stop leaves the queue.")
    st.progress(snap.fraction, text=text)
    if snap.stop_requested:
        st.caption("Stopping after the current batch…")


def loss_chart(history: dict[str, list], best_epoch: int | None) -> None:
    log_scale = st.toggle("Logarithmic loss axis", value=True, key="model.log_scale", help=HELP["log_scale"])
    st.plotly_chart(plots.loss_figure(history, log_scale, best_epoch))


def result_panel(result: ExperimentResult, snap: JobSnapshot) -> None:
    """The current result's own training: the job's last one, or a run restored, imported or found
    by a search (named so); said to be stale when the data or a setting changed since."""
    current = session()
    training, own = result.training, result is current.training.job.result
    took = fit_duration(result)
    if own:
        took += f" ({duration(snap.elapsed)} in all, with waiting for a slot and start-up)"
    origin = None if own else current.training.origin
    lead = f"{plain(origin)}: " if origin else ""
    if current.stale():
        st.info("This run was trained on other data or other settings than the current ones: its "
                "results are stale. Press Train to train the current setup.", icon=":material/history:")
    st.success(f"{lead}{sentence(training.message)} Test RMSE "
               f"**{metric_text(result.evaluation.test_metrics.rmse)}**. {took}.",
               icon=":material/check_circle:")
    if training.loss:
        loss_chart(training.history, training.best_epoch)
    next_step("results", "See the results")
    next_step("forecast", "See the forecast")


def training_panel() -> None:
    current = session()
    snap, result = current.training.job.snapshot(), current.result()
    if snap.running:
        running_panel(snap)
    elif snap.state == FAILED:
        show_problems([snap.error or "the training failed"])
    elif result is not None:
        result_panel(result, snap)
        return
    else:
        st.caption("Press Train to fit the model. The loss curves will grow here, epoch by epoch.")
        return
    if snap.epochs:
        loss_chart(snap.history, snap.best_epoch)


def page(data: Dataset) -> None:
    prewarm()
    config = session().config
    layout = plan(data.series, config)
    problems = config.problems() + ([layout.problem] if layout.problem else [])
    train_controls(data, problems)
    show_problems(problems)
    live(training_panel)
    st.divider()
    st.subheader("Settings")
    groups = [network_settings, training_settings]
    if not view.hide_advanced():
        groups.append(preprocessing_settings)
    for column, settings in zip(st.columns(3, gap="large"), groups, strict=False):
        with column:
            settings()
    st.subheader("What the model will see")
    live_figures(data, layout)


require_entry()
st.title("Model & training")
st.caption("Step 2 of 4: every knob says what it does; the defaults train a good model on the "
           "default series in well under a minute.")
if (dataset := usable_dataset()) is not None:
    page(dataset)
