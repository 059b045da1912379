"""Series and what is done to them before a model sees them: generators, transforms, windows,
the bundled examples and, in ``csv``, loading files. Knows nothing of Keras."""
