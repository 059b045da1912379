"""Small classic public-domain series bundled as CSV files, so the app needs no download.

Each :class:`Example` names its file, its columns and the settings that suit it (a window
that spans a season or a cycle, a transform, enough epochs), found by trying a few on these
series; the app applies them when a person picks the example.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lstm_core.data.csv.load import load_csv
from lstm_core.data.series import Series
from lstm_core.errors import ConfigError

if TYPE_CHECKING:
    from lstm_core.config.settings import ExperimentConfig

FOLDER = Path(__file__).parent


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    file: str
    target: str
    date_col: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return FOLDER / self.file

    def load(self) -> Series:
        return load_csv(self.path, target=self.target, date_col=self.date_col)

    def apply_to(self, config: ExperimentConfig) -> None:
        """Point ``config`` at this example's file and columns, with the settings that suit it.

        The settings are copied: a later change to the config (a layer's units) never reaches
        the example, which every session shares.
        """
        source = config.source
        source.kind, source.csv_path = "csv", str(self.path)
        source.target, source.date_col, source.features = self.target, self.date_col, []
        for setting, value in self.settings.items():
            setattr(config, setting, copy.copy(value))


EXAMPLES: dict[str, Example] = {
    e.name: e
    for e in (
        Example(
            "airline_passengers",
            "Airline passengers, 1949-1960",
            "Monthly international airline passengers in thousands (Box & Jenkins): a rising "
            "trend with a yearly season that grows with it. 144 months.",
            "airline_passengers.csv", "passengers", "month",
            {"window": 12, "season_length": 12, "transform": "diff", "epochs": 150, "patience": 20},
        ),
        Example(
            "nile_flow",
            "Nile river flow, 1871-1970",
            "Yearly flow of the Nile at Aswan in 10^8 m^3 (Cobb, 1978): noisy, with a drop "
            "around 1898 and no season. 100 years.",
            "nile_flow.csv", "flow", "year",
            {"window": 10, "units": [16], "season_length": 0, "transform": "none", "epochs": 150,
             "patience": 10},
        ),
        Example(
            "lynx_trappings",
            "Canadian lynx trappings, 1821-1934",
            "Lynx trapped yearly in the Mackenzie River district (Elton & Nicholson, 1942): "
            "sharp cycles of about ten years. 114 years.",
            "lynx_trappings.csv", "lynx", "year",
            {"window": 12, "season_length": 10, "transform": "none", "learning_rate": 0.01,
             "epochs": 100, "patience": 20},
        ),
    )
}


def example_at(path: object) -> str | None:
    """The name of the bundled example whose file ``path`` is, or None (an upload, a generator).

    The one rule for "is this source a bundled example": the file's own folder and name.
    """
    if not isinstance(path, (str, Path)) or not str(path):
        return None
    return next((name for name, e in EXAMPLES.items() if Path(path) == e.path), None)


def load_example(name: str) -> Series:
    """The bundled series called ``name``; an unknown name raises ConfigError."""
    if name not in EXAMPLES:
        raise ConfigError(f"unknown example '{name}'; choose one of {', '.join(EXAMPLES)}")
    return EXAMPLES[name].load()
