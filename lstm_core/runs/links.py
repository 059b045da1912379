"""A whole setup in a link: the config, the data source and the view as URL query parameters.

:func:`to_query` writes a flat ``{name: text}`` mapping (what ``st.query_params`` holds);
:func:`from_query` reads one back into a :class:`SharedSetup`. Reading never fails: a value
that is unknown, malformed or out of range falls back to its default with a notice a person
can read, so a mistyped link opens the app rather than an error page. A link names a bundled
example by its name only and an uploaded file not at all: no file path ever comes from a URL.

    ?data=generate&gen=sine&g.period=100&window=25&units=300&seed=7&presenter=1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from lstm_core.config.fields import SETTINGS, Setting, as_text
from lstm_core.config.settings import DataMode, ExperimentConfig, SourceConfig
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError

GENERATE, EXAMPLE, UPLOAD = DataMode
MODES = tuple(DataMode)

# The settings a link carries, in the order it lists them: a CSV source's options (an example's or
# an upload's), then the model and its training.
LINKED = tuple(s for s in SETTINGS if s.link)
# How the app looks: not part of the experiment, carried by the link all the same.
VIEW_KEYS = ("preset", "presenter", "hide")
GENERATOR_PREFIX = "g."
MAX_VALUE_CHARS = 1000  # longer than any setting's text (a list of feature columns included)
SHOWN_CHARS = 60  # of a value quoted in a notice
LISTED_KEYS = 10  # unknown parameters named in a notice


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


def to_query(config: ExperimentConfig, mode: str, example: str | None = None,
             view: Mapping[str, str] | None = None) -> dict[str, str]:
    """The setup as query parameters; ``mode`` is one of :data:`MODES`."""
    query = {"data": mode}
    source = config.source
    if mode == GENERATE:
        query["gen"] = source.generator
        for name, value in source.params.items():
            query[GENERATOR_PREFIX + name] = as_text(value)
    elif mode == EXAMPLE and example is not None:
        query["example"] = example
    for setting in _carried(mode):
        value = getattr(source if setting.source else config, setting.name)
        if value not in (None, "", []):  # an optional CSV option left unset
            query[setting.link] = as_text(value)
    for key in VIEW_KEYS:
        if view and view.get(key):
            query[key] = str(view[key])
    return query


def _carried(mode: str) -> tuple[Setting, ...]:
    """The settings a link in ``mode`` carries: a generated series has no CSV options."""
    return tuple(s for s in LINKED if not (s.source and mode == GENERATE))


def from_query(params: Mapping[str, str]) -> SharedSetup:
    """The setup a link describes; anything unusable is replaced by its default, with a notice."""
    notices: list[str] = []
    mode = params.get("data", GENERATE)
    if mode not in MODES:
        notices.append(f"The link's data source '{_shown(mode)}' is unknown: using a generated series.")
        mode = GENERATE
    config, example = ExperimentConfig(), None
    if mode == GENERATE:
        config.source = _generator_source(params, notices)
    elif mode == EXAMPLE:
        example = params.get("example")
        if example in EXAMPLES:
            _use_example(config, example)
        else:
            notices.append(f"The link's example '{_shown(example)}' is not one of "
                           f"{', '.join(EXAMPLES)}: using a generated series.")
            mode, example = GENERATE, None
    else:
        notices.append("This link was made with an uploaded CSV file, which a link cannot carry: "
                       "upload the file again on the Data page; the link's settings are applied.")
        config.source = SourceConfig(kind="csv", csv_path=None)
    for setting in _carried(mode):
        if setting.link in params:
            _setting(config.source if setting.source else config, setting, params[setting.link], notices)
    _settle(config, notices, check_source=mode != UPLOAD)
    unknown = sorted(set(params) - _known_keys(params))
    if unknown:
        more = f" and {len(unknown) - LISTED_KEYS:,} more" if len(unknown) > LISTED_KEYS else ""
        named = ", ".join(_shown(key) for key in unknown[:LISTED_KEYS])
        notices.append(f"The link's parameter(s) {named}{more} are unknown and were ignored.")
    view = {key: params[key] for key in VIEW_KEYS if key in params}
    return SharedSetup(config, mode, example, view, notices)


def _known_keys(params: Mapping[str, str]) -> set[str]:
    prefixed = {key for key in params if key.startswith(GENERATOR_PREFIX)}
    return {"data", "gen", "example", *(s.link for s in LINKED), *VIEW_KEYS} | prefixed


def _generator_source(params: Mapping[str, str], notices: list[str]) -> SourceConfig:
    name = params.get("gen", "sine")
    if name not in GENERATORS:
        notices.append(f"The link's generator '{_shown(name)}' is unknown: using sine.")
        name = "sine"
    generator = GENERATORS[name]
    values: dict[str, object] = {}  # those the link sets; the generator's defaults fill the rest
    known = {p.name: p for p in generator.params}
    for key, text in params.items():
        if not key.startswith(GENERATOR_PREFIX):
            continue
        param = known.get(key[len(GENERATOR_PREFIX):])
        if param is None:
            notices.append(f"The {name} generator has no parameter "
                           f"'{_shown(key[len(GENERATOR_PREFIX):])}': ignored.")
            continue
        try:
            values[param.name] = param.coerce(_checked_length(param.name, text))
        except ConfigError as exc:
            notices.append(f"The link's {_shown(str(exc), 4 * SHOWN_CHARS)}: using {param.default}.")
    try:
        generator.resolve(values)  # each value may fit while together they do not
    except ConfigError as exc:
        notices.append(f"The link's {name} settings do not fit together "
                       f"({_shown(str(exc), 4 * SHOWN_CHARS)}): using the {name} generator's defaults.")
        values = {}
    return SourceConfig(kind="generate", generator=name, params=values)


def _use_example(config: ExperimentConfig, name: str) -> None:
    """The example's own file and columns, and the settings that suit it (as picking it does)."""
    EXAMPLES[name].apply_to(config)


def _setting(owner: ExperimentConfig | SourceConfig, setting: Setting, text: str,
             notices: list[str]) -> None:
    """Set one setting from the link's text, or keep its default and say why."""
    try:
        value = setting.parse(_checked_length(setting.link, text))
    except ConfigError as exc:
        default = as_text(getattr(owner, setting.name))
        notices.append(f"The link's {setting.link} '{_shown(text)}' is not usable "
                       f"({_shown(str(exc), 4 * SHOWN_CHARS)}): using {default}.")
        return
    setattr(owner, setting.name, value)


def _checked_length(name: str, text: str) -> str:
    """``text`` when it is short enough to be a setting's: a longer one is refused unread."""
    if len(text) > MAX_VALUE_CHARS:
        raise ConfigError(f"{name} is {len(text):,} characters long, more than any setting's "
                          f"{MAX_VALUE_CHARS:,}")
    return text


def _shown(text: object, most: int = SHOWN_CHARS) -> str:
    """``text`` as a notice quotes it: cut short when long (a link is anyone's text)."""
    text = str(text)
    return text if len(text) <= most else text[:most - 1] + "…"


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
