"""Every help text of the app in one place: what a knob does and what it trades off.

The experiment's settings carry their own help in :mod:`lstm_core.config.fields`, and generator
parameters theirs in :mod:`lstm_core.data.series`; these are the rest, the app's own.
"""

from __future__ import annotations

from lstm_core.config.fields import SETTINGS

# The experiment's settings, as their widgets explain them.
HELP: dict[str, str] = {s.name: s.widget_help for s in SETTINGS}

# The app's own knobs and figures.
HELP |= {
    # data
    "source": "Generate a synthetic series, pick a classic example, or upload your own CSV file.",
    "generator": "The shape of the synthetic series. Each one has its own parameters below.",
    "example": "Small classic series, bundled with the app. Picking one also applies settings "
               "that suit it (window, transform, epochs).",
    "upload": "A CSV (comma, semicolon or tab separated) with a header row. Non-numeric cells "
              "are dropped and reported.",
    # training, run history and downloads
    "log_scale": "Draw the losses on a logarithmic axis, which shows late small improvements.",
    "history_compare": "Overlay these runs' loss curves and test predictions. A lower validation "
                       "loss is a better model only when the runs share the same data and scaling.",
    "bundle": "The trained weights with their settings, the data and a script, in one zip: import "
              "it on the Run history page, here or on another LSTM Lab.",
    "script": "A standalone Python script using plain Keras that retrains this run (put it next to "
              "the zip's data.csv) and prints the same test RMSE.",
    "history_import": "A zip from 'Download the run' brings the run back (its weights into the same "
                      "architecture, nothing else is executed); a settings JSON sets every widget.",
    "history_restore": "Make a run current again: its results, forecast and settings come back, "
                       "and training it again with the same seed gives the same numbers.",
    # results and forecast
    "rmse": "Root mean squared error, in the series' units: punishes large misses.",
    "mae": "Mean absolute error, in the series' units: the typical miss.",
    "mape": "Mean absolute percentage error: left out (—) when the truth holds, crosses or comes "
            "near zero, where a percentage explodes.",
    "smape": "Symmetric percentage error, 0 to 200%: stays finite near zero.",
    "mase": "Mean absolute error divided by the naive forecast's error on the training part: "
            "below 1 beats the naive forecast.",
    "band": "The model is run 100 times with its dropout left on, each run dropping other "
            "units: the shaded areas hold 80% and 95% of those forecasts. A wide band means the "
            "model is unsure; it does not cover errors the model makes every time.",
}

def metric_units(series: str) -> str:
    """The units of the metric cards, said once under them: in a card's label a long series name
    was cut ("Test RMSE (Passen...")."""
    return (f"RMSE and MAE in the series' units ({series}), MAPE and sMAPE in %, MASE as a ratio to "
            "the naive forecast's error on the training part (below 1 beats it).")


# How the LSTM works, and the sequence lab
HELP |= {
    "inside_window": "Which test window the model reads: the gates below are those of this one "
                     "window, step by step.",
    "inside_layer": "Stacked models: each layer reads the h sequence of the layer below; the first "
                    "one reads the (scaled) series.",
    "inside_unit": "One memory cell of the layer, drawn as lines below and used in the worked step.",
    "inside_step": "Walk through the window: the step is marked on every chart and worked out with "
                   "its numbers below.",
    "saturation": "A gate near 0 or 1 acts as a hard switch (closed or open); values in between "
                  "let part through. Counted over every unit and step of this window.",
    "lab_kind": "many-to-one: return_sequences=False, the model answers once, at the end, with "
                "the total. many-to-many: return_sequences=True and a Dense head at every step, "
                "it answers the running sum after each input.",
    "lab_length": "Length L of the training sequences. The error chart evaluates lengths 1 to 2L.",
    "lab_units": "Memory cells of the single LSTM layer. A few are enough to count.",
    "lab_epochs": "Passes over the training sequences; the best epoch's weights are kept.",
    "lab_samples": "Random 0/1 sequences to train on (a fifth as many more validate).",
    "lab_first": "0s and 1s, separated by commas or spaces, or written together (101).",
    "lab_second": "Run after the kept (h, c), and again from zeros, to compare.",
    "lab_model": "Which trained model runs the sequences.",
}

# One LSTM step: each equation (LaTeX) and what it says in one line.
LSTM_STEP: tuple[tuple[str, str], ...] = (
    (r"f_t = \sigma(W_f\,x_t + U_f\,h_{t-1} + b_f)",
     "Forget gate: for each cell, how much of the old cell state to keep (0 = wipe, 1 = keep)."),
    (r"i_t = \sigma(W_i\,x_t + U_i\,h_{t-1} + b_i)",
     "Input gate: how much of the new candidate to write into the cell."),
    (r"g_t = \tanh(W_g\,x_t + U_g\,h_{t-1} + b_g)",
     "Candidate: the new content proposed for the cell, between -1 and 1."),
    (r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
     "Cell state, the highway: the kept part of the old memory plus the written part of the new."),
    (r"o_t = \sigma(W_o\,x_t + U_o\,h_{t-1} + b_o)",
     "Output gate: how much of the cell state to show the next layer and the next step."),
    (r"h_t = o_t \odot \tanh(c_t)",
     "Hidden state: the layer's output at step t, squashed to -1..1 and filtered by the output gate."),
)

# One step of a GRU layer (Keras' default: the reset gate applied after the recurrent product).
GRU_STEP: tuple[tuple[str, str], ...] = (
    (r"z_t = \sigma(W_z\,x_t + U_z\,h_{t-1} + b_z)",
     "Update gate: for each unit, how much of the old state to keep (1 = keep, 0 = replace)."),
    (r"r_t = \sigma(W_r\,x_t + U_r\,h_{t-1} + b_r)",
     "Reset gate: how much of the old state the candidate may read (0 = start afresh)."),
    (r"\begin{aligned} g_t = \tanh\big(&W_g\,x_t + b_g \\ &+ r_t \odot (U_g\,h_{t-1} + b'_g)\big)"
     r"\end{aligned}",
     "Candidate: the new content proposed for the state, between -1 and 1."),
    (r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot g_t",
     "Hidden state, the GRU's only memory: a blend of the old state and the candidate."),
)

# The Backtest page
HELP |= {
    "backtest_origins": "How many times the model is trained and forecasts, each time from a later "
                        "point (an origin) before the test part. More origins: a steadier error, "
                        "longer to run.",
    "backtest_horizon": "Steps forecast from each origin. The origins sit this many steps apart, so "
                        "origins x horizon points before the test part are forecast once each.",
    "backtest_window": "expanding: train on everything before each origin. fixed: on the same number "
                       "of points each time, as many as the first origin has (older data dropped).",
    "backtest_refit": "On: train the LSTM again at every origin (honest, slower). Off: train it once, "
                      "before the first origin, and reuse it at every later one.",
    "backtest_model": "Whose errors the heat-map shows.",
}

# The Find a model page
HELP |= {
    "search_trials": "How many settings to try at most. The first trial is the settings a new series "
                     "gets; the next few are random; then the sampler (TPE) tries more of what did well.",
    "search_minutes": "The search's time budget: no new trial starts after it (the one under way "
                      "finishes). Whichever of trials and minutes comes first ends the search.",
    "search_epochs": "The most epochs one trial trains; each stops early after 10 epochs without a "
                     "better validation loss, and the pruner stops trials that trail the others.",
    "search_use": "Make the winner the current run: its settings go into every widget (and the link), "
                  "and Results, Forecast and Run history show it.",
}
