"""The app's side of LSTM Lab: session state, charts, help texts and shared widgets.

Pages import from here and from :mod:`lstm_core`; nothing here imports TensorFlow.
"""
