"""A whole setup in a link: the config, the data source and the view as URL query parameters.

:func:`to_query` writes a flat ``{name: text}`` mapping (what ``st.query_params`` holds);
:func:`from_query` reads one back into a :class:`SharedSetup`. Reading never fails: a value
that is unknown, malformed or out of range falls back to its default with a notice a person
can read, so a mistyped link opens the app rather than an error page. A link names a bundled
example by its name only and an uploaded file not at all: no file path ever comes from a URL.

    ?data=generate&gen=sine&g.period=100&window=25&units=300&seed=7&presenter=1
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from lstm_core.config.settings import (
    LIMITS,
    SCALERS,
    TRANSFORMS,
    DataMode,
    ExperimentConfig,
    SourceConfig,
    _as_units,
)
from lstm_core.data.csv.load import DUPLICATE_RULES, MISSING_RULES
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError

GENERATE, EXAMPLE, UPLOAD = DataMode
MODES = tuple(DataMode)

# Settings of the model and its training, in the order a link lists them.
SETTINGS = ("window", "units", "dropout", "epochs", "batch_size", "learning_rate", "patience",
            "val_share", "test_share", "transform", "scaler", "season_length", "horizon", "seed")
CHOICES = {"transform": TRANSFORMS, "scaler": SCALERS}
# Column choices and cleaning options of a CSV source (an example or an upload).
CSV_KEYS = {"target": "target", "date": "date_col", "features": "features",
            "duplicates": "duplicates", "missing": "missing", "resample": "resample"}
# How the app looks: not part of the experiment, carried by the link all the same.
VIEW_KEYS = ("preset", "presenter", "hide")
GENERATOR_PREFIX = "g."


@dataclass
class SharedSetup:
    config: ExperimentConfig
    mode: str = GENERATE
    example: str | None = None
    view: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def wants_upload(self) -> bool:
        """The link was made on an uploaded file, which a link cannot carry."""
        return self.mode == UPLOAD


def _text(value: object) -> str:
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return str(value)


def to_query(config: ExperimentConfig, mode: str, example: str | None = None,
             view: Mapping[str, str] | None = None) -> dict[str, str]:
    """The setup as query parameters; ``mode`` is one of :data:`MODES`."""
    query = {"data": mode}
    source = config.source
    if mode == GENERATE:
        query["gen"] = source.generator
        for name, value in source.params.items():
            query[GENERATOR_PREFIX + name] = _text(value)
    else:
        if mode == EXAMPLE and example is not None:
            query["example"] = example
        for key, attribute in CSV_KEYS.items():
            value = getattr(source, attribute)
            if value:
                query[key] = ",".join(value) if isinstance(value, list) else _text(value)
    for name in SETTINGS:
        value = getattr(config, name)
        query[name] = ",".join(str(u) for u in value) if name == "units" else _text(value)
    for key in VIEW_KEYS:
        if view and view.get(key):
            query[key] = str(view[key])
    return query


def from_query(params: Mapping[str, str]) -> SharedSetup:
    """The setup a link describes; anything unusable is replaced by its default, with a notice."""
    notices: list[str] = []
    mode = params.get("data", GENERATE)
    if mode not in MODES:
        notices.append(f"The link's data source '{mode}' is unknown: using a generated series.")
        mode = GENERATE
    config, example = ExperimentConfig(), None
    if mode == GENERATE:
        config.source = _generator_source(params, notices)
    elif mode == EXAMPLE:
        example = params.get("example")
        if example in EXAMPLES:
            _use_example(config, example)
        else:
            notices.append(f"The link's example '{example}' is not one of "
                           f"{', '.join(EXAMPLES)}: using a generated series.")
            mode, example = GENERATE, None
    else:
        notices.append("This link was made with an uploaded CSV file, which a link cannot carry: "
                       "upload the file again on the Data page; the link's settings are applied.")
        config.source = SourceConfig(kind="csv", csv_path=None)
    if mode != GENERATE:
        _csv_choices(config.source, params, notices)
    for name in SETTINGS:
        if name in params:
            _setting(config, name, params[name], notices)
    _settle(config, notices, check_source=mode != UPLOAD)
    unknown = sorted(set(params) - _known_keys(params))
    if unknown:
        notices.append(f"The link's parameter(s) {', '.join(unknown)} are unknown and were ignored.")
    view = {key: params[key] for key in VIEW_KEYS if key in params}
    return SharedSetup(config, mode, example, view, notices)


def _known_keys(params: Mapping[str, str]) -> set[str]:
    prefixed = {key for key in params if key.startswith(GENERATOR_PREFIX)}
    return {"data", "gen", "example", *CSV_KEYS, *SETTINGS, *VIEW_KEYS} | prefixed


def _generator_source(params: Mapping[str, str], notices: list[str]) -> SourceConfig:
    name = params.get("gen", "sine")
    if name not in GENERATORS:
        notices.append(f"The link's generator '{name}' is unknown: using sine.")
        name = "sine"
    generator = GENERATORS[name]
    values: dict[str, object] = {}  # those the link sets; the generator's defaults fill the rest
    known = {p.name: p for p in generator.params}
    for key, text in params.items():
        if not key.startswith(GENERATOR_PREFIX):
            continue
        param = known.get(key[len(GENERATOR_PREFIX):])
        if param is None:
            notices.append(f"The {name} generator has no parameter '{key[len(GENERATOR_PREFIX):]}': "
                           "ignored.")
            continue
        try:
            values[param.name] = param.coerce(text)
        except ConfigError as exc:
            notices.append(f"The link's {exc}: using {param.default}.")
    return SourceConfig(kind="generate", generator=name, params=values)


def _use_example(config: ExperimentConfig, name: str) -> None:
    """The example's own file and columns, and the settings that suit it (as picking it does)."""
    chosen = EXAMPLES[name]
    config.source = SourceConfig(kind="csv", csv_path=str(chosen.path), target=chosen.target,
                                 date_col=chosen.date_col)
    for setting, value in chosen.settings.items():
        setattr(config, setting, list(value) if isinstance(value, list) else value)


def _csv_choices(source: SourceConfig, params: Mapping[str, str], notices: list[str]) -> None:
    """Column names and cleaning options: plain strings, checked when the data are loaded."""
    for key, attribute in CSV_KEYS.items():
        if key in params:
            text = params[key]
            setattr(source, attribute, [c for c in text.split(",") if c] if key == "features" else text)
    defaults = SourceConfig()
    for attribute, allowed in (("duplicates", DUPLICATE_RULES), ("missing", MISSING_RULES)):
        if getattr(source, attribute) not in allowed:
            notices.append(f"The link's {attribute} option '{getattr(source, attribute)}' is unknown: "
                           f"using {getattr(defaults, attribute)}.")
            setattr(source, attribute, getattr(defaults, attribute))


def _setting(config: ExperimentConfig, name: str, text: str, notices: list[str]) -> None:
    default = getattr(config, name)
    try:
        value = _parse(name, text)
    except ConfigError as exc:
        shown = ",".join(str(u) for u in default) if name == "units" else default
        notices.append(f"The link's {name} '{text}' is not usable ({exc}): using {shown}.")
        return
    setattr(config, name, value)


def _parse(name: str, text: str):
    if name in CHOICES:
        if text not in CHOICES[name]:
            raise ConfigError(f"choose one of {', '.join(CHOICES[name])}")
        return text
    if name == "units":
        units = _as_units(text)
        low, high = LIMITS["units"]
        if not units or len(units) > LIMITS["layers"][1] or any(
                not isinstance(u, int) or not low <= u <= high for u in units):
            raise ConfigError(f"give 1 to {int(LIMITS['layers'][1])} whole numbers from {low} to {high}")
        return units
    low, high = LIMITS[name]
    try:
        number = float(text)
    except ValueError:
        raise ConfigError("not a number") from None
    if not math.isfinite(number):
        raise ConfigError(f"outside {low} to {high}")
    if isinstance(low, int) and isinstance(high, int):
        if number != int(number):
            raise ConfigError("not a whole number")
        number = int(number)
    if not low <= number <= high:
        raise ConfigError(f"outside {low} to {high}")
    return number


def _settle(config: ExperimentConfig, notices: list[str], check_source: bool) -> None:
    """Settings valid one by one may still clash (the two shares); fall back until none does.

    An upload's source is checked once the file is uploaded again, not here.
    """
    def problems() -> list[str]:
        found = config.problems()
        return found if check_source else [p for p in found if p not in config.source.problems()]

    if found := problems():
        defaults = ExperimentConfig()
        config.val_share, config.test_share = defaults.val_share, defaults.test_share
        notices.append(f"The link's settings do not fit together ({'; '.join(found)}): using the "
                       "default validation and test shares.")
    if problems():
        notices.append("The link's setup could not be used: using the defaults.")
        for item in fields(ExperimentConfig):
            setattr(config, item.name, getattr(ExperimentConfig(), item.name))
