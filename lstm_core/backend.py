"""The one place TensorFlow and Keras are imported (seconds, hundreds of MB).

TensorFlow's C++ start-up prints notices straight to the process's stderr that no setting
turns off; they are muted for the duration of the import only, so errors still show.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _import_quietly():
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import keras
        import tensorflow  # noqa: F401  (its notices are printed on first import)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return keras


keras = _import_quietly()
