"""LSTM Lab's library: series to forecast, honestly evaluated. It never imports streamlit.

Importing the package is cheap; TensorFlow is imported only by :mod:`lstm_core.model`,
:mod:`lstm_core.training` and what runs a model (:func:`lstm_core.experiment.run_experiment`).
"""

from .config import ExperimentConfig, SourceConfig
from .errors import ConfigError, DataError, LSTMLabError
from .series import GENERATORS, Series, generate

__all__ = [
    "GENERATORS",
    "ConfigError",
    "DataError",
    "ExperimentConfig",
    "LSTMLabError",
    "Series",
    "SourceConfig",
    "generate",
]
