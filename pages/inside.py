"""How the LSTM works: the equations of one step, then the gates of the trained model on a test window
(an LSTM's or a GRU's; a plain RNN and an MLP have none, and the page says so)."""

import streamlit as st

from lstm_core.config.fields import CELL_LABELS
from lstm_core.infer.architecture import GATES as GATE_BLOCKS
from lstm_core.infer.architecture import layer_params
from lstm_core.infer.numpy_net import TRACES, GateTrace, GRUTrace
from lstm_core.runs.experiment import ExperimentResult
from ui import gate_plots
from ui.frame import require_entry
from ui.gate_plots import QUANTITIES_OF
from ui.help import GRU_STEP, HELP, LSTM_STEP
from ui.plan import time_axis
from ui.session import session
from ui.widgets import trained_result


def steps(rows: tuple[tuple[str, str], ...]) -> None:
    for latex, meaning in rows:
        formula, text = st.columns([2, 3], vertical_alignment="center")
        formula.latex(latex)
        text.markdown(meaning)


def equations() -> None:
    st.subheader("One step of an LSTM layer")
    st.caption("At every step t of the window, each layer reads the input x_t and its own previous "
               "output h_(t-1), and updates its memory c. Four small networks, the gates, decide how.")
    steps(LSTM_STEP)
    words, chart = st.columns([2, 3], vertical_alignment="center")
    words.markdown(
        "- **x_t**: the input at step t; **h_(t-1)**, **c_(t-1)**: the state after the previous step.\n"
        "- **W**, **U**, **b**: the learned weights for the input, for the previous output, and the "
        "bias, one set per gate.\n"
        "- **σ**, the sigmoid, squashes to **0..1**: a gate, *how much to keep* or let through "
        "(0 = nothing, 1 = all).\n"
        "- **tanh** squashes to **-1..1**: a value with a sign, content rather than a switch.\n"
        "- **⊙**: multiply cell by cell. Because c is only scaled and added to, never squashed, "
        "it carries information across many steps: the cell state is a highway."
    )
    chart.plotly_chart(gate_plots.activation_figure())


def picker(label: str, high: int, key: str, default: int) -> int:
    """A slider from 1 to ``high``, or nothing to pick when ``high`` is 1.

    The value is kept within 1..``high``: a newly trained model may have fewer windows or units.
    """
    if high <= 1:
        return 1
    st.session_state[key] = min(st.session_state.get(key, default), high)
    return st.slider(label, 1, high, key=key, help=HELP[key.replace(".", "_")])


def window_caption(result: ExperimentResult, index: int) -> None:
    data = result.data
    target_time = data.test_times[index]
    x = time_axis(data.series)
    st.caption(f"Test window {index + 1} of {len(data.test_times)}: the {data.window} steps before "
               f"{x[target_time]} (scaled, transform: {data.transform.name}); the model predicts the "
               f"value at {x[target_time]}.")


def quantities(trace: GateTrace | GRUTrace) -> tuple[gate_plots.Quantity, ...]:
    return QUANTITIES_OF["gru" if isinstance(trace, GRUTrace) else "lstm"]


def heatmaps(trace: GateTrace | GRUTrace, step: int) -> None:
    st.caption("Units × time: each row is one unit of the layer, each column one step of the "
               "window. Gates run from 0 (closed) to 1 (open); g and h from -1 to 1.")
    shown = quantities(trace)
    per_row = 3 if len(shown) == 6 else 2
    for start in range(0, len(shown), per_row):
        row = shown[start:start + per_row]
        for column, quantity in zip(st.columns(per_row), row, strict=True):
            values = getattr(trace, quantity.attribute)[0]
            column.plotly_chart(gate_plots.gate_heatmap(values, quantity, step))


def signed(value: float) -> str:
    """A number for a formula, negatives in brackets."""
    return f"({value:.3f})" if value < 0 else f"{value:.3f}"


def worked_step(trace: GateTrace | GRUTrace, unit: int, step: int) -> None:
    """The state update of one unit at one step, with the numbers filled in."""
    t, u = step - 1, unit - 1
    value = {q.symbol: float(getattr(trace, q.attribute)[0, t, u]) for q in quantities(trace)}
    v = {symbol: signed(number) for symbol, number in value.items()}
    if isinstance(trace, GRUTrace):
        previous = signed(float(trace.hidden[0, t - 1, u]) if t > 0 else 0.0)
        st.markdown(f"**Unit {unit} at step {step}**")
        st.latex(rf"""\begin{{aligned}}
            h_t &= z_t\,h_{{t-1}} + (1 - z_t)\,g_t \\
                &= {v['z']} \times {previous} + (1 - {v['z']}) \times {v['g']} \\
                &= {value['h']:.3f}
            \end{{aligned}}""")
        st.caption("The update gate keeps part of the old state and fills the rest with the candidate, "
                   "which read the old state through the reset gate.")
        return
    previous = signed(float(trace.cell[0, t - 1, u]) if t > 0 else 0.0)
    st.markdown(f"**Unit {unit} at step {step}**")
    st.latex(rf"""\begin{{aligned}}
        c_t &= f_t\,c_{{t-1}} + i_t\,g_t \\
            &= {v['f']} \times {previous} + {v['i']} \times {v['g']} \\
            &= {value['c']:.3f} \\[6pt]
        h_t &= o_t \tanh(c_t) \\
            &= {v['o']} \times \tanh({value['c']:.3f}) \\
            &= {value['h']:.3f}
        \end{{aligned}}""")
    st.caption("The forget gate scales the old cell state, the input gate the candidate; the output "
               "gate then decides how much of the squashed cell state leaves as h.")


def saturation(trace: GateTrace | GRUTrace) -> None:
    gates = {q: getattr(trace, q.attribute)[0] for q in quantities(trace) if q.is_gate}
    chart, cards = st.columns([3, 1], vertical_alignment="center")
    chart.plotly_chart(gate_plots.saturation_figure(gates))
    with cards:
        for quantity, values in gates.items():
            st.metric(f"{quantity.name} saturated", f"{gate_plots.saturated_share(values):.0%}",
                      help=HELP["saturation"])


def parameter_counts(result: ExperimentResult) -> None:
    st.subheader("Parameters")
    cell = result.config.cell
    st.caption(PARAMETERS[cell])
    inputs = result.data.n_features * (result.config.window if cell == "mlp" else 1)
    for number, units in enumerate(result.config.units, start=1):
        count = layer_params(cell, units, inputs)
        st.latex(rf"\text{{layer {number}:}}\quad {_formula(cell, units, inputs)} = {count:,}"
                 .replace(",", "{,}"))
        inputs = units
    outputs = result.net.outputs
    st.latex(rf"\text{{Dense head:}}\quad {inputs}\cdot{outputs} + {outputs} = {inputs * outputs + outputs:,}"
             .replace(",", "{,}"))
    total = sum(w.size for w in result.weights)
    st.caption(f"Total: {total:,} trainable parameters, counted in the trained weights.")


PARAMETERS = {
    "lstm": "Each of the 4 gates has a kernel for the inputs, a recurrent kernel for the previous "
            "h and a bias, for every unit.",
    "gru": "Each of the 3 parts (update gate, reset gate, candidate) has a kernel for the inputs, a "
           "recurrent kernel for the previous h and two biases (one for x, one for h), for every unit.",
    "rnn": "One kernel for the inputs, one recurrent kernel for the previous h and a bias, for every unit.",
    "mlp": "A kernel from every value of the flattened window (steps × columns) to every neuron, and "
           "a bias.",
}


def _formula(cell: str, units: int, inputs: int) -> str:
    """The parameter count of one layer, written out with its numbers."""
    if cell == "mlp":
        return rf"{inputs}\cdot{units} + {units}"
    inner = rf"{units}\cdot({units} + {inputs}) + {2 * units if cell == 'gru' else units}"
    return inner if cell == "rnn" else rf"{GATE_BLOCKS[cell]}\cdot({inner})"


def no_gates(result: ExperimentResult) -> None:
    """What a plain RNN or an MLP is made of, said plainly: it has no gates to show."""
    name = CELL_LABELS[result.config.cell]
    if result.config.cell == "rnn":
        st.info(f"Your model is a {name}: at each step h_t = tanh(W x_t + U h_(t-1) + b), with no "
                "gates and no cell state, so there is nothing to open or close here. Train an LSTM or "
                "a GRU (Model & training) to see gates at work.", icon=":material/info:")
    else:
        st.info(f"Your model is an {name}: dense layers read the whole window at once, flattened, "
                "with no state carried from step to step and no gates. Train an LSTM or a GRU "
                "(Model & training) to see gates at work.", icon=":material/info:")
    parameter_counts(result)


def page(result: ExperimentResult) -> None:
    if session().stale():
        st.info("This model comes from an earlier setup: the data or a setting has changed since.",
                icon=":material/history:")
    if result.config.cell not in TRACES:
        no_gates(result)
        return
    if result.config.cell == "gru":
        st.markdown("**Your model is a GRU.** One step of a GRU layer:")
        steps(GRU_STEP)
    data, net = result.data, result.net
    pickers = st.columns(4)
    with pickers[0]:
        index = picker("Test window", len(data.X_test), "inside.window", 1) - 1
    with pickers[1]:
        layer = picker("Layer", len(net.layers), "inside.layer", 1) - 1
    window = data.X_test[index]
    traces = net.trace(window)
    with pickers[2]:
        unit = picker("Unit", net.layers[layer].units, "inside.unit", 1)
    with pickers[3]:
        step = picker("Time step", data.window, "inside.step", data.window)
    window_caption(result, index)
    trace = traces[layer]
    heatmaps(trace, step)
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.plotly_chart(gate_plots.unit_lines_figure(
        {q: getattr(trace, q.attribute)[0, :, unit - 1] for q in quantities(trace)}, unit, step))
    with right:
        worked_step(trace, unit, step)
    st.subheader("Saturation")
    saturation(trace)
    parameter_counts(result)
    if result.keras_check is not None:
        st.caption(f"These activations are recomputed in NumPy from the trained weights. When the "
                   f"model was trained, they were checked against Keras' own on test window 1 (the h "
                   f"sequence of every layer, and an LSTM's final c): they differ by at most "
                   f"{result.keras_check:.1e}.")


require_entry()
st.title("How the LSTM works")
st.caption("Inside one LSTM step: the equations, then the gates of your trained model at work on a "
           "test window of your choice.")
equations()
st.subheader("Your model, step by step")
trained = trained_result("the gates of the trained model")
if trained is not None:
    page(trained)
