"""The person's session: one typed :class:`Session` under one key of ``st.session_state``.

Sessions never see each other's data or models: everything a person has (the config, the
dataset it describes, the training jobs, the run history, what each page keeps) lives in the
Session that :func:`session` returns. Widgets keep their values in ``st.session_state`` under
their own namespaced keys ("config.window", "lab.units", "view.presenter"), because Streamlit
keeps a widget's state there. The config is the one source of truth for the settings:
:func:`bound` seeds a widget from it on every run and writes a change back, so a setting
changed on one page (an example's suggested window, say) shows on every other page.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Generic, TypeVar

import numpy as np
import streamlit as st

from lstm_core.config.fields import as_text
from lstm_core.config.presets import PRESETS
from lstm_core.config.settings import DataMode, ExperimentConfig, SourceConfig
from lstm_core.data.csv.load import CsvPreview, LoadOptions, inspect_csv
from lstm_core.data.examples import EXAMPLES, example_at
from lstm_core.data.series import GENERATORS, Series
from lstm_core.data.suggest import suggest_horizon, suggest_settings
from lstm_core.data.sum_task import MANY_TO_MANY, parse_bits
from lstm_core.errors import ConfigError, LSTMLabError
from lstm_core.infer.forecast import ForecastBand
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.jobs.job import FINISHED, JobBusyError, TrainingJob
from lstm_core.jobs.pool import shared_pool
from lstm_core.runs.backtest import BacktestSpec, run_backtest
from lstm_core.runs.experiment import ExperimentResult, load_series
from lstm_core.runs.export import Restored, rebuild_run
from lstm_core.runs.history import Run, RunHistory
from lstm_core.runs.sequence_lab import LabModel, train_lab_model
from lstm_core.search.job import SearchOutcome, search_job
from lstm_core.search.search import Budget
from lstm_core.search.space import EPOCHS as TRIAL_EPOCHS
from ui.closing import watch_jobs

SESSION_KEY = "session"
# Settings that change only what is drawn after training, not the model.
NOT_TRAINED_ON = ("horizon",)
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's; see browser_owner
LOAD_OUT_OF_MEMORY = ("this series needs more memory than the server can spare: choose a shorter or "
                      "simpler one")

T = TypeVar("T")


@dataclass
class Memo(Generic[T]):
    """The last value worked out, kept with what it came from, and worked out again when that changes.

    ``key`` is compared by value (a horizon, a file's digest); ``of`` by identity (a trained
    result: the same settings trained twice are two models).
    """

    _entry: tuple[object, Hashable, T] | None = None

    def get(self, key: Hashable, compute: Callable[[], T], of: object = None) -> T:
        entry = self._entry
        if entry is None or entry[0] is not of or entry[1] != key:
            entry = self._entry = (of, key, compute())
        return entry[2]


@dataclass
class Once(Generic[T]):
    """Something to say on a page's next run only: a callback puts it, the page takes it."""

    _value: T | None = None

    def put(self, value: T) -> None:
        self._value = value

    def take(self) -> T | None:
        value, self._value = self._value, None
        return value


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Dataset:
    """A loaded series and the key of the settings it was loaded with."""

    series: Series
    label: str
    key: str


DEFAULT_TRIALS, DEFAULT_MINUTES = 30, 3.0  # a search's budget: whichever ends first


def _new_job() -> TrainingJob:
    """A training job of this session; its trainings run in the server's shared pool of workers."""
    return TrainingJob(pool=shared_pool())


def prewarm() -> None:
    """Have a training process ready (TensorFlow loaded) before the person presses Train."""
    shared_pool().prewarm()


@dataclass
class DataChoice:
    """Where the series comes from, the uploaded file, and what reading and loading it gave."""

    mode: DataMode = DataMode.GENERATE
    upload: Upload | None = None
    upload_error: Once[str] = field(default_factory=Once)
    fitted: str | None = None  # the settings proposed for the upload, as the Data page says them
    previewed: Memo[CsvPreview] = field(default_factory=Memo)
    loaded: Memo[tuple[Dataset | None, str | None]] = field(default_factory=Memo)


@dataclass
class Training:
    """The main training job, the current result and the history of finished trainings."""

    job: TrainingJob = field(default_factory=_new_job)
    history: RunHistory = field(default_factory=RunHistory)
    # The current result (the latest training filed, or a run restored or imported), and the
    # data and settings it was trained on, to tell when it is stale.
    result: ExperimentResult | None = None
    trained_on: str | None = None
    # What the job's training was started on, and its data's label, for when it is filed.
    started_on: tuple[str | None, str] = (None, "")
    filed: ExperimentResult | None = None  # the job's result last filed in the history
    refusal: Once[str] = field(default_factory=Once)
    compared_up_to: int = 0  # the newest run Run history's comparison has offered
    # Where the current result comes from when no training of this page made it ("Restored run
    # 2", "Found by the search"), as the Model page names it; and the run a restore just made
    # current, for Run history to say so once.
    origin: str | None = None
    restored: Once[int] = field(default_factory=Once)

    def unfiled(self) -> bool:
        finished = self.job.result
        return not self.job.running and finished is not None and finished is not self.filed

    def file_finished(self) -> None:
        """File the job's finished training in the history and make it the current result."""
        if not self.unfiled():
            return
        self.filed = self.result = self.job.result
        self.origin = None
        self.trained_on, label = self.started_on
        self.history.add(self.result, label, self.job.snapshot().elapsed)


@dataclass
class LabSettings:
    """The sequence lab's task and model: the sum of ``length`` bits, learned by ``units`` units."""

    kind: str = MANY_TO_MANY
    length: int = 20
    units: int = 16
    epochs: int = 30
    samples: int = 2000


@dataclass
class Kept:
    """The state after the first sequence, and the model that made it."""

    net: NumpyNet
    text: str
    total: float  # the model's running total after it
    true_total: int
    states: list[tuple[np.ndarray, np.ndarray]]


@dataclass
class SequenceLab:
    """The sequence lab's own job, its settings, and the last trained model of each kind."""

    job: TrainingJob = field(default_factory=_new_job)
    settings: LabSettings = field(default_factory=LabSettings)
    models: dict[str, LabModel] = field(default_factory=dict)
    shown: str | None = None  # the kind of model the carrying-state box runs
    kept: Kept | None = None
    first_error: str | None = None
    refusal: Once[str] = field(default_factory=Once)

    def train(self) -> None:
        """Start a training with the current settings; a refusal is kept for the page."""
        chosen = self.settings
        work = partial(train_lab_model, chosen.kind, chosen.length, chosen.units, chosen.epochs,
                       chosen.samples)
        try:
            self.job.start_work(work, chosen.epochs)
        except JobBusyError as exc:
            self.refusal.put(str(exc))

    def unfiled(self) -> bool:
        finished = self.job.result
        if self.job.running or finished is None:
            return False
        return self.models.get(finished.kind) is not finished

    def file_finished(self) -> None:
        """File the finished training under its kind: the carrying-state box runs it next."""
        if self.unfiled():
            finished = self.job.result
            self.models[finished.kind], self.shown = finished, finished.kind

    def keep_first(self, net: NumpyNet, text: str) -> None:
        """Run the first sequence ``text`` through ``net`` and keep its final (h, c)."""
        try:
            bits = parse_bits(text)
        except ConfigError as exc:
            self.kept, self.first_error = None, str(exc)
            return
        outputs, states = net.run(bits)
        self.kept = Kept(net, text, float(outputs[0, -1]), int(bits.sum()), states)
        self.first_error = None

    def kept_by(self, net: NumpyNet) -> Kept | None:
        """The kept state, if ``net`` made it."""
        return self.kept if self.kept is not None and self.kept.net is net else None


@dataclass
class Backtests:
    """The Backtest page's own job and the backtest its widgets describe."""

    job: TrainingJob = field(default_factory=_new_job)
    spec: BacktestSpec = field(default_factory=BacktestSpec)
    refusal: Once[str] = field(default_factory=Once)

    def set(self, name: str, value: Any) -> None:
        """Change one setting of the spec (a widget's callback)."""
        self.spec = replace(self.spec, **{name: value})

    def start(self, config: ExperimentConfig, data: Dataset) -> None:
        """Run the spec on ``data`` with a copy of ``config``; a refusal is kept for the page."""
        frozen = ExperimentConfig.from_dict(config.to_dict())
        trainings = self.spec.origins if self.spec.refit else 1
        try:
            self.job.start_work(partial(run_backtest, frozen, data.series, self.spec),
                                trainings * frozen.epochs)
        except JobBusyError as exc:
            self.refusal.put(str(exc))


@dataclass
class Searches:
    """The Find a model page's job, its budget, and which finished search was made the current run."""

    job: TrainingJob = field(default_factory=_new_job)
    trials: int = DEFAULT_TRIALS
    minutes: float = DEFAULT_MINUTES
    epochs: int = TRIAL_EPOCHS  # at most, per trial (early stopping usually ends sooner)
    refusal: Once[str] = field(default_factory=Once)
    started_on: tuple[str | None, str] = (None, "")  # the data's key and label, as a training's
    used: SearchOutcome | None = None

    def set(self, name: str, value: Any) -> None:
        setattr(self, name, value)

    def start(self, config: ExperimentConfig, data: Dataset) -> None:
        """Search from a copy of ``config`` on ``data``; a refusal is kept for the page."""
        frozen = ExperimentConfig.from_dict(config.to_dict())
        try:
            budget = Budget(self.trials, self.minutes).validate()
            self.job.start_work(partial(search_job, frozen, data.series, budget, frozen.seed, self.epochs),
                                self.trials, wide=True)
        except LSTMLabError as exc:
            self.refusal.put(str(exc))
            return
        self.started_on = (data.key, data.label)

    def outcome(self) -> SearchOutcome | None:
        """The finished search, once it has ended with one."""
        done = self.job.result
        return done if not self.job.running and isinstance(done, SearchOutcome) else None


@dataclass
class Imports:
    """A run zip: checked in the server (cheap, bounded), its run rebuilt in a worker (windows,
    predictions and errors: work that grows with its data)."""

    job: TrainingJob = field(default_factory=_new_job)
    pending: tuple[str, str] | None = None  # the digest and name of the file being rebuilt
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)  # by digest: (kind, message)

    def start(self, digest: str, name: str, restored: Restored) -> None:
        """Rebuild ``restored`` in the pool; JobBusyError when the session holds two jobs already."""
        self.job.start_work(partial(rebuild_run, restored), 1)
        self.pending = (digest, name)

    def unfiled(self) -> bool:
        return self.pending is not None and not self.job.running


@dataclass
class Forecasts:
    """The Forecast page's rollouts past the end, for one trained model and horizon each."""

    future: Memo[np.ndarray] = field(default_factory=Memo)
    band: Memo[ForecastBand] = field(default_factory=Memo)


@dataclass
class Link:
    """The page's link: read on the session's first run; what it could not set up, said once."""

    read: bool = False
    notices: Once[list[str]] = field(default_factory=Once)


def _mode_of(source: SourceConfig) -> DataMode:
    if source.kind == "generate":
        return DataMode.GENERATE
    return DataMode.EXAMPLE if example_at(source.csv_path) else DataMode.UPLOAD


def _generated_label(source: SourceConfig) -> str:
    """The generator and the parameters that differ from its defaults: "sine (period 100, noise 0.1)"."""
    defaults = GENERATORS[source.generator].defaults()
    changed = [f"{name.replace('_', ' ')} {as_text(value)}" for name, value in source.params.items()
               if defaults.get(name) != value]
    return f"{source.generator} ({', '.join(changed) or 'generated'})"


def _comparable(config: ExperimentConfig) -> dict[str, Any]:
    """``config`` as a dict in which a generator's unset parameters read as their defaults."""
    found = config.to_dict()
    source = config.source
    if source.kind == "generate" and source.generator in GENERATORS:
        found["source"]["params"] = GENERATORS[source.generator].defaults() | source.params
    return found


@dataclass
class Session:
    """Everything one person has in the app; pages change it through its methods."""

    config: ExperimentConfig = field(default_factory=ExperimentConfig)
    data: DataChoice = field(default_factory=DataChoice)
    training: Training = field(default_factory=Training)
    lab: SequenceLab = field(default_factory=SequenceLab)
    backtest: Backtests = field(default_factory=Backtests)
    search: Searches = field(default_factory=Searches)
    imports: Imports = field(default_factory=Imports)
    forecasts: Forecasts = field(default_factory=Forecasts)
    history_import: Memo[tuple[str, str]] = field(default_factory=Memo)  # once per imported file
    link: Link = field(default_factory=Link)
    preset: str | None = None
    live_jobs: set[int] = field(default_factory=set)  # see ui.widgets.live
    in_entry: bool = False  # see ui.frame
    # The pool's name for whoever owns this session's jobs: its browser (see browser_owner), so
    # that the tabs of one person share one running and one queued job.
    owner: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        for job in self.jobs():
            job.owner = self.owner  # the pool runs one of this session's jobs at a time

    def jobs(self) -> tuple[TrainingJob, ...]:
        """Every job of this session: its trainings, the sequence lab's and the backtests'."""
        return self.training.job, self.lab.job, self.backtest.job, self.search.job, self.imports.job

    # The data

    def use_generator(self, name: str) -> None:
        """Switch to generator ``name`` with its default parameters."""
        source = self.config.source
        source.kind, source.generator, source.params = "generate", name, GENERATORS[name].defaults()
        source.csv_path = source.target = source.date_col = None
        source.features = []
        self.data.mode = DataMode.GENERATE

    def use_example(self, name: str) -> None:
        """Switch to the bundled example ``name`` and apply the settings that suit it, with a
        horizon that fits it (as an upload gets)."""
        EXAMPLES[name].apply_to(self.config)
        self.data.mode = DataMode.EXAMPLE
        data = self.dataset()
        if data is not None:
            self.config.horizon = suggest_horizon(data.series, self.config)

    def use_upload(self, chosen: Upload) -> None:
        """Keep ``chosen`` and point the config at it, with the columns the file suggests.

        Raises DataError (and keeps nothing) when the file cannot give a series.
        """
        if self.data.upload is None or chosen.digest != self.data.upload.digest:
            self.config.source.decimal = "auto"  # a mark chosen for another file's cells
        found = self.preview(chosen)
        self.data.upload = chosen
        source = self.config.source
        source.kind, source.csv_path = "csv", chosen.name
        source.target, source.date_col, source.features = found.default_target, found.time_column, []
        self.data.mode = DataMode.UPLOAD
        self._fit_settings()

    def _fit_settings(self) -> None:
        """Apply the window and season length that suit the uploaded series, as examples do theirs."""
        data = self.dataset()
        if data is None:
            self.data.fitted = None
            return
        suggestion = suggest_settings(data.series, self.config)
        for setting, value in suggestion.settings.items():
            setattr(self.config, setting, value)
        self.data.fitted = suggestion.describe()

    def drop_upload(self) -> None:
        self.data.upload = self.data.fitted = None

    def choose_mode(self, mode: DataMode) -> None:
        """Switch the data source: the current generator, the first example, or the kept upload."""
        if mode == DataMode.GENERATE:
            self.use_generator(self.config.source.generator)
        elif mode == DataMode.EXAMPLE:
            self.use_example(next(iter(EXAMPLES)))
        elif self.data.upload is not None:
            self.use_upload(self.data.upload)
        else:
            self.data.mode = DataMode.UPLOAD

    def preview(self, chosen: Upload) -> CsvPreview:
        """What the uploaded file holds (columns, time, first rows) and how it was read, read once
        per file and decimal mark: the Data page's headline says what the loading does.

        Raises DataError when the file cannot give a series read that way.
        """
        decimal = self.config.source.decimal
        return self.data.previewed.get((chosen.digest, decimal), lambda: inspect_csv(
            chosen.data, options=LoadOptions(decimal=decimal)))

    def dataset(self) -> Dataset | None:
        """The series the config describes, loaded once per change of source; None if it fails."""
        return self._loaded()[0]

    def dataset_error(self) -> str | None:
        """Why the series could not be loaded, if it could not."""
        return self._loaded()[1]

    def _loaded(self) -> tuple[Dataset | None, str | None]:
        upload = self.data.upload if self.data.mode == DataMode.UPLOAD else None
        key = json.dumps({"mode": self.data.mode, "source": self.config.source.__dict__,
                          "upload": upload.digest if upload else None}, sort_keys=True, default=str)
        return self.data.loaded.get(key, partial(self._load, key))

    def _load(self, key: str) -> tuple[Dataset | None, str | None]:
        try:
            series, label = self._read_series()
        except LSTMLabError as exc:
            return None, str(exc)
        except MemoryError:  # kept, as a refusal is: every page goes on, with a message
            return None, LOAD_OUT_OF_MEMORY
        return Dataset(series, label, key), None

    def _read_series(self) -> tuple[Series, str]:
        source, mode = self.config.source, self.data.mode
        if mode == DataMode.GENERATE:
            return load_series(source), _generated_label(source)
        if mode == DataMode.EXAMPLE:
            series = load_series(source)
            return series, EXAMPLES[example_at(source.csv_path)].title
        if self.data.upload is None:
            raise LSTMLabError("upload a CSV file to use your own data")
        # load_csv reads bytes as well as a path: the upload is cleaned with exactly the options
        # (duplicates, missing values, day/month order) that a file on disk would be.
        return load_series(replace(source, csv_path=self.data.upload.data)), self.data.upload.name

    # Training and its results

    def start_training(self, data: Dataset) -> None:
        """Start the job on ``data``; when one already runs, the refusal is kept for the page."""
        try:
            self.training.job.start(self.config, data.series)
        except JobBusyError as exc:
            self.training.refusal.put(str(exc))
            return
        self.training.started_on = (self._trained_on(data), data.label)

    def train_as(self, cell: str, data: Dataset) -> None:
        """The current settings with another network, trained on ``data``."""
        self.config.cell = cell
        self.start_training(data)

    def stop_training(self) -> None:
        self.training.job.stop()

    def file_finished(self) -> None:
        """File what the trainings have finished since: the main one's run in the history (and as
        the current result), the sequence lab's model under its kind.

        app.py calls this once per script run, before the page: reading never files anything.
        """
        self.training.file_finished()
        self.lab.file_finished()
        self._file_import()

    def unfiled(self) -> bool:
        """A training has finished since :meth:`file_finished` last ran."""
        return self.training.unfiled() or self.lab.unfiled() or self.imports.unfiled()

    def result(self) -> ExperimentResult | None:
        """The current result: the latest training filed, or a run restored or imported.

        None while a training runs.
        """
        return None if self.training.job.running else self.training.result

    def stale(self) -> bool:
        """True when the shown results come from other data or other settings than the current ones."""
        result, data = self.result(), self.dataset()
        if result is None or data is None:
            return result is not None
        return self.training.trained_on != self._trained_on(data)

    def _trained_on(self, data: Dataset) -> str:
        # a direct model's head has one output per step of the horizon: for it the horizon is trained on
        ignored = () if self.config.strategy == "direct" else NOT_TRAINED_ON
        settings = {k: v for k, v in self.config.to_dict().items() if k not in ignored}
        return json.dumps([data.key, settings], sort_keys=True, default=str)

    def restore(self, run: Run) -> None:
        """Make ``run`` current again: its result, and its settings in every widget."""
        self.adopt(run.restore(), f"Restored run {run.number}")
        self.training.restored.put(run.number)

    def adopt(self, chosen: ExperimentResult, origin: str | None = None) -> None:
        """Make ``chosen`` the current result, its settings current too; ``origin`` says where it
        comes from (see :attr:`Training.origin`)."""
        self.training.result, self.training.origin = chosen, origin
        self.use_config(chosen.config)
        data = self.dataset()
        self.training.trained_on = self._trained_on(data) if data is not None else None

    def use_search(self, outcome: SearchOutcome) -> Run:
        """Make a search's winner the current run (its settings in every widget, so its link
        reproduces it) and file it in the history."""
        self.adopt(outcome.final, f"Found by the search (trial {outcome.best_number + 1})")
        self.search.used = outcome
        label = self.search.started_on[1]
        return self.training.history.add(outcome.final, f"{label}, found by a search (trial "
                                         f"{outcome.best_number + 1})", outcome.final.training.fit_seconds)

    def _file_import(self) -> None:
        """An import rebuilt in a worker becomes the current run; its outcome is kept for the page."""
        imports = self.imports
        if not imports.unfiled():
            return
        digest, name = imports.pending
        imports.pending = None
        snap = imports.job.snapshot()
        if snap.state != FINISHED:
            imports.outcomes[digest] = ("error", f"{name} was not imported: {snap.error}.")
            return
        run = self.import_run(imports.job.result, f"imported from {name}")
        imports.outcomes[digest] = ("ok", f"Run imported from {name} as run {run.number}: its results, "
                                          "forecast and settings are current, recomputed from its weights.")

    def import_run(self, imported: ExperimentResult, label: str) -> Run:
        """Make an imported run current and file it in the history."""
        self.adopt(imported, label[:1].upper() + label[1:])
        return self.training.history.add(imported, label, imported.training.fit_seconds)

    # Settings

    def use_config(self, config: ExperimentConfig, mode: DataMode | None = None) -> None:
        """Put a copy of ``config`` in every widget, with ``mode`` or the data mode its source calls for."""
        self.config = ExperimentConfig.from_dict(config.to_dict())
        self.data.mode = mode or _mode_of(config.source)

    def use_preset(self, name: str) -> None:
        self.use_config(PRESETS[name].apply(), DataMode.GENERATE)
        self.preset = name

    def kept_preset(self) -> str | None:
        """The picked preset, while every setting is still the preset's own."""
        if self.preset not in PRESETS or self.data.mode != DataMode.GENERATE:
            return None
        same = _comparable(self.config) == _comparable(PRESETS[self.preset].config)
        return self.preset if same else None


def session() -> Session:
    """This person's session, made on their first run; its jobs are owned by its browser."""
    if SESSION_KEY not in st.session_state:
        owner = browser_owner(st.context.cookies) or uuid.uuid4().hex
        made = st.session_state[SESSION_KEY] = Session(owner=owner)
        watch_jobs(made.jobs())
    return st.session_state[SESSION_KEY]


def browser_owner(cookies: Mapping[str, str]) -> str | None:
    """The pool's name for the browser that sent ``cookies`` (with a session's first request),
    the same for each of its tabs, so that they share one allowance of jobs; None when it sent no
    usable XSRF cookie (protection off, or a client that keeps no cookies).

    Streamlit gives a browser its XSRF cookie once, a random 16-byte token, and sends it back on
    later responses masked anew ("2|mask|masked token|time"; version 1: the token in hex): the
    token, not the cookie's text, names the browser. Hashed, as the token guards requests.
    """
    text = cookies.get(XSRF_COOKIE, "").strip("\"'")
    try:
        if text.startswith("2|"):
            _, mask_hex, masked_hex, _ = text.split("|")
            mask, masked = bytes.fromhex(mask_hex), bytes.fromhex(masked_hex)
            token = bytes(byte ^ mask[k % 4] for k, byte in enumerate(masked)) if len(mask) == 4 else b""
        else:
            token = bytes.fromhex(text)
    except ValueError:
        return None
    return hashlib.sha256(token).hexdigest()[:32] if token else None


def bound(key: str, value: Any, put: Callable[[Any], None]) -> dict[str, Any]:
    """Widget arguments that show ``value`` and hand a change to ``put``.

    Use as ``st.slider(..., **bound(...))``. The widget's state is reset to ``value`` on
    every run, so the session, not the widget, holds the setting across pages. A callback that
    carries the value the widget was shown with changes nothing: when another widget's callback
    changes the config first (a new file on the uploader picks new columns), Streamlit may still
    call this one with its old value, which would undo that change.
    """
    st.session_state[key] = value

    def changed() -> None:
        if st.session_state[key] != value:
            put(st.session_state[key])

    return {"key": key, "on_change": changed}


def config_field(name: str) -> dict[str, Any]:
    """:func:`bound` for the setting ``name`` of the session's config: "window", "source.target"."""
    *path, attribute = name.split(".")

    def owner() -> Any:
        found: Any = session().config
        for part in path:
            found = getattr(found, part)
        return found

    return bound(f"config.{name}", getattr(owner(), attribute),
                 lambda value: setattr(owner(), attribute, value))
