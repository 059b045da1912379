"""Errors that carry a message meant for a person, not a traceback."""


class LSTMLabError(ValueError):
    """Base class: its message says what is wrong and how to fix it."""


class ConfigError(LSTMLabError):
    """A setting is out of range or contradicts another setting or the data."""


class DataError(LSTMLabError):
    """The data cannot be used: unreadable, empty, too short, non-numeric..."""
