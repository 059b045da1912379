"""LSTM Lab's library: series to forecast, honestly evaluated. It never imports streamlit.

Importing the package is cheap; TensorFlow is imported only by :mod:`lstm_core.nn.build`,
:mod:`lstm_core.nn.train` and what runs a model (:func:`lstm_core.runs.experiment.run_experiment`).
"""

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.data.series import GENERATORS, Series, generate
from lstm_core.errors import ConfigError, DataError, LSTMLabError

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
