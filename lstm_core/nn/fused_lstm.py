"""The LSTM layer every LSTM Lab model is built from: Keras' LSTM, computed by TensorFlow's fused
kernel. Its source is also copied, as text, into the exported plain-Keras script.
"""

from __future__ import annotations

from lstm_core.nn.backend import keras


class FusedLSTM(keras.layers.Layer):
    """``keras.layers.LSTM`` computed by TensorFlow's fused ``BlockLSTM`` kernel: about twice
    as fast to train on a CPU as Keras' step-by-step loop.

    It is the same layer in every other respect: a ``keras.layers.LSTMCell`` holds the weights
    (kernel, recurrent kernel, bias; gates in Keras' order i, f, c, o), so they are created
    from the same seed with the same values, read by the same code, and a plain Keras LSTM
    given them computes the same outputs and gradients (tests/core/nn/test_training.py checks
    both to 1e-5). Zero initial state, no peepholes, no clipping, as Keras' defaults.
    """

    def __init__(self, units: int, return_sequences: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.units, self.return_sequences = units, return_sequences
        self.cell = keras.layers.LSTMCell(units)

    def build(self, input_shape) -> None:
        self.cell.build(input_shape[-1:])
        self.built = True

    def call(self, inputs):
        import tensorflow as tf

        def kernel_order(tensor, axis: int):  # Keras keeps gates as i, f, c, o; BlockLSTM as i, c, f, o
            i, f, c, o = tf.split(tensor, 4, axis=axis)
            return tf.concat([i, c, f, o], axis)

        cell = self.cell
        weights = tf.concat([cell.kernel, cell.recurrent_kernel], 0)
        zeros = tf.zeros(tf.stack([tf.shape(inputs)[0], self.units]), inputs.dtype)
        no_peephole = tf.zeros([self.units], inputs.dtype)
        hidden = tf.raw_ops.BlockLSTM(
            seq_len_max=tf.cast(tf.shape(inputs)[1], tf.int64), x=tf.transpose(inputs, [1, 0, 2]),
            cs_prev=zeros, h_prev=zeros, w=kernel_order(weights, 1),
            wci=no_peephole, wcf=no_peephole, wco=no_peephole, b=kernel_order(cell.bias, 0),
            forget_bias=0.0, cell_clip=-1.0, use_peephole=False,
        )[6]  # the h sequence, time first
        return tf.transpose(hidden, [1, 0, 2]) if self.return_sequences else hidden[-1]

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (*input_shape[:2], self.units)
        return (input_shape[0], self.units)
