"""One config describes an experiment end to end, validates itself and round-trips to JSON.

The command line flags, the page widgets, exports and shareable links all map onto
:class:`ExperimentConfig`; what each setting accepts is written once, in
:data:`lstm_core.config.fields.SETTINGS`, so every entry point checks the same ranges.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from lstm_core.config import safe_json
from lstm_core.config.checks import quoted
from lstm_core.config.fields import CSV_OPTIONS, EXPERIMENT, LIMITS, SCALERS, TRANSFORMS, as_units
from lstm_core.data.csv.load import MAX_BYTES, MAX_ROWS
from lstm_core.data.csv.read import MB
from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError

# LIMITS, SCALERS and TRANSFORMS are the table's, named here too for the pages' widgets.
__all__ = ["LIMITS", "SCALERS", "SOURCES", "TRANSFORMS", "DataMode", "ExperimentConfig", "SourceConfig",
           "parse_units"]
SOURCES = ("generate", "csv")
MAX_CONFIG_BYTES = MB  # a config file is a few hundred bytes


class DataMode(StrEnum):
    """Where a session's series comes from: one word for the Data page, links, history and exports."""

    GENERATE = "generate"
    EXAMPLE = "example"
    UPLOAD = "upload"


@dataclass
class SourceConfig:
    """Where the series comes from: a generator and its parameters, or a CSV file."""

    kind: str = "generate"
    generator: str = "sine"
    params: dict[str, Any] = field(default_factory=dict)
    csv_path: str | None = None
    target: str | None = None
    date_col: str | None = None
    features: list[str] = field(default_factory=list)
    duplicates: str = "mean"  # CSV cleaning, see lstm_core.data.csv.load.LoadOptions
    missing: str = "interpolate"
    resample: str | None = None
    dayfirst: bool | None = None
    decimal: str = "auto"
    max_mb: float = MAX_BYTES / MB
    max_rows: int = MAX_ROWS

    def problems(self) -> list[str]:
        found = [problem for s in CSV_OPTIONS for problem in s.problems(getattr(self, s.name))]
        return found + (self.shape_problems() or self._kind_problems())

    def shape_problems(self) -> list[str]:
        """What leaves nothing to build on, whatever else is set: a source kind, generator or
        parameters of the wrong type, or unknown. A config read from a file is refused with these
        at once (:meth:`ExperimentConfig.from_dict`), before anything uses it."""
        found = []
        if not isinstance(self.kind, str) or self.kind not in SOURCES:
            found.append(f"source must be one of {', '.join(SOURCES)}, got {quoted(self.kind)}")
        if not isinstance(self.generator, str) or self.generator not in GENERATORS:
            found.append(f"unknown generator {quoted(self.generator)}; choose one of "
                         f"{', '.join(GENERATORS)}")
        if not isinstance(self.csv_path, str | bytes | None):  # bytes: an upload's, as the app loads it
            found.append(f"the CSV file's path must be text, got {quoted(self.csv_path)}")
        if not isinstance(self.params, dict):
            found.append("the generator's parameters must be an object of names and values "
                         f'(such as {{"length": 500}}), got {quoted(self.params)}')
        return found

    def _kind_problems(self) -> list[str]:
        if self.kind == "csv":
            return [] if self.csv_path else ["a CSV source needs a file path"]
        try:
            GENERATORS[self.generator].resolve(self.params)
        except ConfigError as exc:
            return [str(exc)]
        return []


@dataclass
class ExperimentConfig:
    """Every setting of one experiment. Defaults train a good model on the default sine."""

    source: SourceConfig = field(default_factory=SourceConfig)
    window: int = 50
    cell: str = "lstm"
    strategy: str = "recursive"
    units: list[int] = field(default_factory=lambda: [32])
    dropout: float = 0.0
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 0.003
    patience: int = 5
    val_share: float = 0.1
    test_share: float = 0.2
    transform: str = "auto"
    scaler: str = "minmax"
    season_length: int = 0
    season_inputs: str = "none"
    horizon: int = 100
    seed: int = 0

    @property
    def layers(self) -> int:
        return len(self.units)

    @property
    def outputs(self) -> int:
        """The network's outputs: 1 (the next step) for the recursive strategy, one per step of
        the horizon for the direct one."""
        return self.horizon if self.strategy == "direct" else 1

    def problems(self) -> list[str]:
        """Every problem with the settings, each as a sentence a person can act on."""
        found = list(self.source.problems())
        for setting in EXPERIMENT:  # the number of layers is checked with units
            found += setting.problems(getattr(self, setting.name))
        if self.val_share + self.test_share >= 0.8:
            found.append(
                f"validation ({self.val_share:.0%}) and test ({self.test_share:.0%}) shares leave "
                "under 20% of the data for training: lower one of them"
            )
        return found

    def validate(self) -> ExperimentConfig:
        """Raise ConfigError listing every problem; return self when there is none."""
        found = self.problems()
        if found:
            raise ConfigError("; ".join(found))
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperimentConfig:
        """Build a config from a dict such as ``to_dict`` made; unknown keys are refused."""
        if not isinstance(data, dict):
            raise ConfigError("a config must be a JSON object")
        data = dict(data)
        source = data.pop("source", {})
        if not isinstance(source, dict):
            raise ConfigError("the config's 'source' must be an object")
        _refuse_unknown(data, cls, "config")
        _refuse_unknown(source, SourceConfig, "source")
        config = cls(source=SourceConfig(**source), **data)
        if found := config.source.shape_problems():
            raise ConfigError("; ".join(found))
        config.units = as_units(config.units)
        return config

    @classmethod
    def from_json(cls, text: str | bytes) -> ExperimentConfig:
        """A config from JSON text, read within bounds (:mod:`lstm_core.config.safe_json`)."""
        return cls.from_dict(safe_json.loads(text, "the config", MAX_CONFIG_BYTES))


def _refuse_unknown(data: dict[str, Any], cls: type, what: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown {what} setting(s): {', '.join(unknown)}")


def parse_units(units: str | int | list[int], layers: int | None = None) -> list[int]:
    """Units per layer from ``"100,50"`` or from one number repeated ``layers`` times."""
    parsed = as_units(units)
    if layers is None:
        return parsed
    if len(parsed) == 1:
        return parsed * layers
    if len(parsed) != layers:
        raise ConfigError(f"{layers} layers but {len(parsed)} unit counts ({units}): give one or {layers}")
    return parsed
