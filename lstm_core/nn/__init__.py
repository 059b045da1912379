"""The neural network: the only modules that import TensorFlow or Keras (backend, the fused
layer, build, train, the sequence-lab task). They run in a worker process, never in the server."""
