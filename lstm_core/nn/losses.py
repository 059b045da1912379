"""The loss of a direct model: the mean squared error over the targets that exist.

A direct model's window near the end of its part has fewer true values ahead in that part
than the head has outputs; those targets are NaN (:meth:`WindowedData.targets_ahead`) and
left out, so no window learns from a later part. Its source is also copied, as text, into the
exported plain-Keras script.
"""

from __future__ import annotations

from lstm_core.nn.backend import keras


def masked_mse(y_true, y_pred):
    """Each window's mean squared error over its known (non-NaN) targets."""
    ops = keras.ops
    known = ops.logical_not(ops.isnan(y_true))
    truth = ops.where(known, y_true, ops.zeros_like(y_true))
    error = ops.where(known, y_pred - truth, ops.zeros_like(y_pred))
    counted = ops.maximum(ops.sum(ops.cast(known, y_pred.dtype), axis=-1), 1.0)
    return ops.sum(ops.square(error), axis=-1) / counted
