"""One config describes an experiment end to end, validates itself and round-trips to JSON.

The command line flags, the page widgets, exports and shareable links all map onto
:class:`ExperimentConfig`; its bounds live in :data:`LIMITS` so every entry point checks
the same ranges.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError

TRANSFORMS = ("auto", "none", "diff", "log")
SCALERS = ("minmax", "standard")
SOURCES = ("generate", "csv")


class DataMode(StrEnum):
    """Where a session's series comes from: one word for the Data page, links, history and exports."""

    GENERATE = "generate"
    EXAMPLE = "example"
    UPLOAD = "upload"

# name -> (minimum, maximum); inclusive unless noted in the message.
LIMITS: dict[str, tuple[float, float]] = {
    "window": (1, 1000),
    "units": (1, 512),
    "layers": (1, 4),
    "dropout": (0.0, 0.9),
    "epochs": (1, 1000),
    "batch_size": (1, 4096),
    "learning_rate": (1e-6, 10.0),
    "patience": (0, 1000),
    "val_share": (0.0, 0.5),
    "test_share": (0.05, 0.5),
    "season_length": (0, 10_000),
    "horizon": (1, 10_000),
    "seed": (0, 2**31 - 1),
}


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
    max_mb: float = 50.0
    max_rows: int = 1_000_000

    def problems(self) -> list[str]:
        if self.kind not in SOURCES:
            return [f"source must be one of {', '.join(SOURCES)}, got {self.kind!r}"]
        if self.kind == "csv":
            return [] if self.csv_path else ["a CSV source needs a file path"]
        if self.generator not in GENERATORS:
            return [f"unknown generator '{self.generator}'; choose one of {', '.join(GENERATORS)}"]
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
    horizon: int = 100
    seed: int = 0

    @property
    def layers(self) -> int:
        return len(self.units)

    def problems(self) -> list[str]:
        """Every problem with the settings, each as a sentence a person can act on."""
        found = list(self.source.problems())
        for name in ("window", "dropout", "epochs", "batch_size", "learning_rate", "patience",
                     "val_share", "test_share", "season_length", "horizon", "seed"):
            found += _range_problem(name, getattr(self, name))
        if not self.units:
            found.append("the model needs at least one LSTM layer (units is empty)")
        found += _range_problem("layers", len(self.units))
        for value in self.units:
            found += _range_problem("units", value)
        if self.transform not in TRANSFORMS:
            found.append(f"transform must be one of {', '.join(TRANSFORMS)}, got {self.transform!r}")
        if self.scaler not in SCALERS:
            found.append(f"scaler must be one of {', '.join(SCALERS)}, got {self.scaler!r}")
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
        config.units = _as_units(config.units)
        return config

    @classmethod
    def from_json(cls, text: str) -> ExperimentConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"the config is not valid JSON: {exc.msg} (line {exc.lineno})") from None
        return cls.from_dict(data)


def _range_problem(name: str, value: Any) -> list[str]:
    low, high = LIMITS[name]
    whole = isinstance(low, int) and isinstance(high, int)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [f"{name} must be a number, got {value!r}"]
    if not math.isfinite(value):
        return [f"{name} must be between {low} and {high}, got {value}"]
    if whole and int(value) != value:
        return [f"{name} must be a whole number, got {value}"]
    if not low <= value <= high:
        return [f"{name} must be between {low} and {high}, got {value}"]
    return []


def _refuse_unknown(data: dict[str, Any], cls: type, what: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown {what} setting(s): {', '.join(unknown)}")


def _as_units(value: Any) -> list[int]:
    """Accept 32, "100,50" or [100, 50]."""
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


def parse_units(units: str | int | list[int], layers: int | None = None) -> list[int]:
    """Units per layer from ``"100,50"`` or from one number repeated ``layers`` times."""
    parsed = _as_units(units)
    if layers is None:
        return parsed
    if len(parsed) == 1:
        return parsed * layers
    if len(parsed) != layers:
        raise ConfigError(f"{layers} layers but {len(parsed)} unit counts ({units}): give one or {layers}")
    return parsed
