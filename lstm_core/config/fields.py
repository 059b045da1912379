"""One table of the experiment's settings: each written once, with everything said about it.

A :class:`Setting` holds a field's kind, its bounds or choices, its one-line help (the command
line's), the page widget's longer help where there is one, the name a link gives it and,
from its name, its command-line flag. Everything else is derived from :data:`SETTINGS`:
:meth:`ExperimentConfig.problems`, the links (:mod:`lstm_core.runs.links`), the command line's
flags (:mod:`lstm_core.cli`), the exported script's settings, the run history's columns and
the app's help texts. Adding a setting is adding its field to the config and one row here.

The source's identity (generator or CSV file, and the generator's parameters) is not here:
the generators describe their own parameters (:class:`lstm_core.data.series.Param`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from lstm_core.config.checks import checked_choice, checked_number
from lstm_core.data.csv.load import DECIMAL_RULES, DUPLICATE_RULES, MISSING_RULES
from lstm_core.errors import ConfigError

TRANSFORMS = ("auto", "none", "diff", "log", "sdiff", "log_sdiff", "dseason", "log_dseason")
SCALERS = ("minmax", "standard")
SEASON_INPUTS = ("none", "phase")
CELLS = ("lstm", "gru", "rnn", "mlp")
CELL_LABELS = {"lstm": "LSTM", "gru": "GRU", "rnn": "plain RNN", "mlp": "MLP"}
RECURRENT = ("lstm", "gru", "rnn")  # the cells with a state carried from step to step
STRATEGIES = ("recursive", "direct")


class Kind(StrEnum):
    WHOLE = "whole"
    NUMBER = "number"
    CHOICE = "choice"
    UNITS = "units"  # whole numbers, one per LSTM layer
    TEXT = "text"  # optional: None when not given
    COLUMNS = "columns"  # column names
    DAY_ORDER = "day_order"  # True: day first, False: month first, None: ask


NUMBERS = (Kind.WHOLE, Kind.NUMBER)


@dataclass(frozen=True)
class Setting:
    """One field of :class:`ExperimentConfig` (or, with ``source``, of its :class:`SourceConfig`)."""

    name: str
    kind: Kind
    help: str  # one line: the command line's help, and the widget's unless ``tooltip`` says more
    tooltip: str = ""  # the page widget's help, where it explains more than the one line
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    link: str | None = ""  # the link's parameter: "" for the field's own name, None when not carried
    metavar: str = "N"  # the command line's placeholder for the value
    source: bool = False  # a CSV option, held by the config's source
    stored: bool = True  # False for layers: the length of units, set through it
    count: Setting | None = None  # for a list: the setting that bounds its length

    def __post_init__(self) -> None:
        if self.link == "":
            object.__setattr__(self, "link", self.name)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def widget_help(self) -> str:
        return self.tooltip or self.help

    def problems(self, value: Any) -> list[str]:
        """What is wrong with ``value`` for this setting, each a sentence; empty when nothing is."""
        if self.kind in NUMBERS:
            return _refusals(checked_number, self.name, value, self.low, self.high,
                             whole=self.kind is Kind.WHOLE)
        if self.kind is Kind.CHOICE:
            return _refusals(checked_choice, self.name, value, self.choices)
        if self.kind is Kind.UNITS:
            return self._units_problems(value)
        types, described = _PLAIN[self.kind]
        names = value if self.kind is Kind.COLUMNS and isinstance(value, list) else []
        if isinstance(value, types) and all(isinstance(name, str) for name in names):
            return []
        return [f"{self.name} must be {described}, got {value!r}"]

    def _units_problems(self, value: Any) -> list[str]:
        if not isinstance(value, list):
            return [f"{self.name} must be a list of whole numbers, got {value!r}"]
        found = [] if value else [f"the model needs at least one layer ({self.name} is empty)"]
        if self.count is not None:
            found += self.count.problems(len(value))
        for item in value:
            found += _refusals(checked_number, self.name, item, self.low, self.high, whole=True)
        return found

    def parse(self, text: str) -> Any:
        """The value a link's text stands for, checked; ConfigError saying why it is unusable."""
        if self.kind in NUMBERS:
            return checked_number(self.name, text, self.low, self.high, whole=self.kind is Kind.WHOLE,
                                  text=True)
        value = {Kind.UNITS: as_units, Kind.COLUMNS: as_columns}.get(self.kind, str)(text)
        if found := self.problems(value):
            raise ConfigError("; ".join(found))
        return value


def _refusals(check: Callable[..., object], *args: Any, **kwargs: Any) -> list[str]:
    """The sentence ``check`` refuses its arguments with, as a list; empty when it accepts them."""
    try:
        check(*args, **kwargs)
    except ConfigError as exc:
        return [str(exc)]
    return []


# The kinds that are checked by their type alone: the types, and how a refusal describes them.
_PLAIN: dict[Kind, tuple[tuple[type, ...], str]] = {
    Kind.TEXT: ((str, type(None)), "text, or nothing"),
    Kind.COLUMNS: ((list,), "a list of column names"),
    Kind.DAY_ORDER: ((bool, type(None)), "true (day first), false (month first) or nothing (ask)"),
}


def as_units(value: Any) -> list[int]:
    """Accept 32, "100,50" or [100, 50]; a unit that is not whole stays a float, for the check."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        parts = [value]
    try:
        return [int(p) if float(p) == int(float(p)) else float(p) for p in parts]
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"units must be whole numbers separated by commas, got {value!r}") from None


def as_columns(text: str) -> list[str]:
    """Column names from ``"a, b"``."""
    return [name.strip() for name in text.split(",") if name.strip()]


def as_text(value: Any) -> str:
    """A value as a link or a help text writes it; a float reads back as the same float."""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return repr(value) if isinstance(value, float) else str(value)


LAYERS = Setting(
    "layers", Kind.WHOLE, "number of stacked layers",
    "Stacked layers. A second layer can learn more complex patterns but trains slower and "
    "overfits small series more easily.",
    low=1, high=4, link=None, stored=False,
)

SETTINGS: tuple[Setting, ...] = (
    # The CSV options of a source (an example or an upload); the loader checks the column names.
    Setting("target", Kind.TEXT, "CSV column to forecast (default: the first numeric one)",
            "The column the model forecasts.", metavar="COL", source=True),
    Setting("date_col", Kind.TEXT, "CSV column holding the time of each row (default: detected)",
            "Optional: the column of dates or times. Rows are sorted by it and charts use it as the "
            "time axis.", link="date", metavar="COL", source=True),
    Setting("features", Kind.COLUMNS, "extra CSV columns as inputs, comma separated",
            "Optional extra columns the model reads alongside the target. It cannot forecast them, "
            "so past the end of the data they are held at their last value.",
            metavar="COLS", source=True),
    Setting("duplicates", Kind.CHOICE, "CSV rows sharing a time: average them (mean), keep the last, "
            "or keep the first and drop the rest (drop)",
            "Rows that share a time: mean averages them, last keeps the last one in the file, drop "
            "keeps only the first.", choices=DUPLICATE_RULES, source=True),
    Setting("missing", Kind.CHOICE, "missing CSV values: interpolate, ffill (the previous value), "
            "or drop their rows",
            "Missing or unreadable values: interpolate fills them linearly in time, ffill repeats "
            "the previous value, drop removes their rows.", choices=MISSING_RULES, source=True),
    Setting("resample", Kind.TEXT, "resample the CSV series to even steps: auto (the usual step) or "
            "a pandas frequency such as D, W, MS, h",
            "Put the rows on a regular time step (the usual step of the data); gaps become missing "
            "values, filled as chosen.", metavar="FREQ", source=True),
    Setting("dayfirst", Kind.DAY_ORDER, "read dates such as 03/04/2021 as day/month (--dayfirst) or "
            "month/day (--monthfirst); default: ask when the data do not tell",
            "Dates such as 03/04/2021 read either way here: say whether the day or the month comes "
            "first.", link=None, source=True),
    Setting("decimal", Kind.CHOICE, "decimal mark of the CSV numbers: auto (the cells tell; a tie goes "
            "to comma in a semicolon-separated file), point or comma",
            "How to read numbers such as 15,136: point reads 15136 (the comma groups thousands), "
            "comma reads 15.136. auto decides from the cells, and the load report says why.",
            choices=DECIMAL_RULES, source=True),
    Setting("max_mb", Kind.NUMBER, "largest CSV file read, in MB", low=0.001, link=None, metavar="MB",
            source=True),
    Setting("max_rows", Kind.WHOLE, "most CSV rows read", low=1, link=None, source=True),
    # The model, its training and the split.
    Setting("window", Kind.WHOLE, "past steps the model sees to predict the next one",
            "How many past steps the model reads to predict the next one. Longer windows see more "
            "context (cover at least one cycle) but train slower and leave fewer windows.",
            low=1, high=1000),
    Setting("cell", Kind.CHOICE, "the network: lstm, gru, rnn (plain) or mlp (dense layers on the window)",
            "LSTM: gated memory (input, forget, output gates and a cell state). GRU: two gates and no "
            "separate cell state, fewer parameters. Plain RNN: no gates, h = tanh(x·W + h·U + b). "
            "MLP: dense layers on the flattened window, no recurrence. Would a simpler network do "
            "as well? Train each and compare them on Run history.", choices=CELLS),
    Setting("strategy", Kind.CHOICE,
            "multi-step forecasts: recursive (one step, fed back) or direct (one output per step "
            "of the horizon)",
            "recursive: the network predicts the next step and each forecast step is fed its own "
            "previous predictions, so errors compound and long forecasts may fade. direct: the "
            "network has one output per step of the horizon, trained on the true values that far "
            "ahead, and gives the whole forecast at once.", choices=STRATEGIES),
    Setting("units", Kind.UNITS, "units per layer: one number for every layer, or one per layer (100,50)",
            "Units in this layer (memory cells; neurons in an MLP). More units fit richer patterns, "
            "at the cost of more parameters, slower training and a higher risk of overfitting.",
            low=1, high=512, metavar="N[,N]", count=LAYERS),
    LAYERS,
    Setting("dropout", Kind.NUMBER, "share of LSTM outputs dropped while training (0 = off)",
            "Share of the layer's outputs dropped at random during training. Fights overfitting on "
            "small or noisy series; too much makes the fit sluggish.", low=0.0, high=0.9),
    Setting("epochs", Kind.WHOLE, "most passes over the training windows",
            "Maximum passes over the training windows. Early stopping usually ends sooner.",
            low=1, high=1000),
    Setting("batch_size", Kind.WHOLE, "windows per gradient step",
            "Windows per weight update. Small batches learn in more, noisier steps; large ones are "
            "faster per epoch but may need more epochs.", low=1, high=4096),
    Setting("learning_rate", Kind.NUMBER, "Adam's step size; too high and the loss diverges",
            "Step size of the Adam optimiser. Too high and the loss jumps or diverges; too low and "
            "training crawls.", low=1e-6, high=10.0),
    Setting("patience", Kind.WHOLE,
            "stop after this many epochs without a better validation loss (0 = off)",
            "Stop when the validation loss has not improved for this many epochs; the best epoch's "
            "weights are kept. 0 turns early stopping off.", low=0, high=1000),
    Setting("val_share", Kind.NUMBER, "share of the series, after training, used for validation",
            "Part of the series, just before the test part, used to watch for overfitting and to "
            "stop early. More validation leaves less to train on.", low=0.0, high=0.5),
    Setting("test_share", Kind.NUMBER, "share at the end of the series kept for the test",
            "The last part of the series, never seen in training: every error is measured here. "
            "More test points give a steadier error but less training data.", low=0.05, high=0.5),
    Setting("transform", Kind.CHOICE,
            "target transform; auto: sdiff or log_sdiff when a season dominates, else diff when the "
            "training part trends, else none",
            "auto decides on the training part alone. With a season (the season length, or detected) "
            "that dominates, that is, when the change over one season varies less than half as much "
            "as the change over one step: sdiff, or log_sdiff when the series is positive and its "
            "seasonal swings grow with its level. Otherwise diff when the training part trends, else "
            "none. The run's notes say why. diff: learn the change from step to step (reaches levels "
            "never seen). log: for positive series whose swings grow with the level. sdiff: learn the "
            "change since the same point one season ago (takes out the season and a trend; the first "
            "season is consumed). log_sdiff: log, then sdiff. dseason, the hybrid: a seasonal profile "
            "fitted on the training part alone (a classical decomposition) is taken out, the network "
            "learns how the rest moves from step to step, and the season is put back into its "
            "forecasts (the M4 winner's idea; no noise from a season ago, only one sample consumed). "
            "log_dseason: log, then dseason.", choices=TRANSFORMS),
    Setting("scaler", Kind.CHOICE, "scaler fitted on the training part",
            "minmax scales the training part to 0..1; standard to mean 0, spread 1. Fitted on the "
            "training part only, so the test part leaks nothing.", choices=SCALERS),
    Setting("season_length", Kind.WHOLE,
            "season in steps for the seasonal baselines, the classical models and the seasonal "
            "transforms (0 = detect)",
            "Season of the series, in steps: the seasonal-naive baseline, the classical models "
            "(ETS, ARIMA, Theta) and the seasonal transforms use it. 0 detects it from the training "
            "part.",
            low=0, high=10_000),
    Setting("season_inputs", Kind.CHOICE,
            "extra inputs: none, or phase (where each step stands in the season, as sine and cosine)",
            "phase gives the network, beside each value of the window, where that step stands in the "
            "season (given, or detected on the training part), as a sine and a cosine: a window "
            "shorter than the season still knows which part of it comes next, so half-hourly data "
            "with a daily season needs no window of 48 steps or more. Without a season it adds "
            "nothing.", choices=SEASON_INPUTS),
    Setting("horizon", Kind.WHOLE, "steps to forecast past the end of the data (a direct model's outputs)",
            "How many steps past the end of the data to forecast. With the recursive strategy each "
            "step feeds on the model's own previous predictions, so errors compound with the "
            "horizon; a direct model has one output per step of it.", low=1, high=10_000),
    Setting("seed", Kind.WHOLE, "seed of weights and shuffling: the same seed repeats a run",
            "Fixes the initial weights and the shuffling: the same seed and settings give the same "
            "model.", low=0, high=2**31 - 1),
)

CSV_OPTIONS = tuple(s for s in SETTINGS if s.source)  # fields of SourceConfig
EXPERIMENT = tuple(s for s in SETTINGS if s.stored and not s.source)  # fields of ExperimentConfig
# name -> (minimum, maximum) of the experiment's numbers, for the page widgets' bounds
LIMITS: dict[str, tuple[float, float]] = {
    s.name: (s.low, s.high) for s in SETTINGS if not s.source and s.low is not None
}


def model_name(config: Any) -> str:
    """The network and, when it is not the default, the forecast strategy: "GRU", "LSTM, direct"."""
    return CELL_LABELS[config.cell] + (", direct" if config.strategy == "direct" else "")


def experiment_values(config: Any) -> dict[str, Any]:
    """Every stored setting of an :class:`ExperimentConfig` by name, in the table's order."""
    return {s.name: getattr(config, s.name) for s in EXPERIMENT}
