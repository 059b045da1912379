"""The trained network run in NumPy from its weights: one-step predictions, rollouts, gate
traces and parameter counts. No TensorFlow: the server and pages use it."""
