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


def _skip_graph_rewrites() -> None:
    """Turn off Grappler, TensorFlow's rewriting of a traced function's graph before it first
    runs. The models here are a few small layers with nothing for it to fold or fuse: with it off
    a small model's later epochs take about 40% less time, and the numbers trained are the same up
    to float32 rounding (the last bits may differ on some processors, as rewriting can reorder
    sums; benchmarks/search.py's ``grappler`` figures; tests/core/nn/test_training.py).
    ``LSTM_LAB_TF_GRAPPLER=on`` keeps it, for those comparisons. It must be set before TensorFlow
    runs its first function: later changes are not seen."""
    import tensorflow as tf

    if os.environ.get("LSTM_LAB_TF_GRAPPLER", "") != "on":
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})


_skip_graph_rewrites()


def set_threads(intra_op: int, inter_op: int = 1) -> None:
    """Size TensorFlow's thread pools; only takes effect before TensorFlow runs its first op.

    Several trainings at once on one machine each get a share of the cores instead of all of
    them, so they don't thrash each other.
    """
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(intra_op)
    tf.config.threading.set_inter_op_parallelism_threads(inter_op)


def intra_op_threads() -> int:
    """TensorFlow's intra-op threads; 0 means its default, one per core."""
    import tensorflow as tf

    return tf.config.threading.get_intra_op_parallelism_threads()


# The training pool gives each training process its share of the cores through this variable.
if _threads := os.environ.get("LSTM_LAB_TF_THREADS"):
    set_threads(int(_threads))
