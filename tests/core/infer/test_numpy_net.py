"""The NumPy recomputation of the gates, and the running-sum sequence lab."""

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.sum_task import MANY_TO_MANY, MANY_TO_ONE, parse_bits, sum_task
from lstm_core.errors import ConfigError
from lstm_core.infer.architecture import count_params, layer_params
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.nn.build import build_model
from lstm_core.nn.keras_check import keras_difference
from lstm_core.nn.sum_model import train_sum_model
from lstm_core.runs.sequence_lab import mse_by_length


def test_gates_recomputed_in_numpy_match_keras_in_every_layer():
    model = build_model(ExperimentConfig(window=12, units=[6, 5, 3]), n_features=2)
    rng = np.random.default_rng(0)
    for layer in model.layers:  # random, non-trivial weights
        layer.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in layer.get_weights()])
    window = rng.normal(0, 1, (12, 2)).astype("float32")
    traces = NumpyNet.from_model(model).trace(window)
    assert len(traces) == 3
    assert keras_difference(NumpyNet.from_model(model), window) < 1e-5  # every h and the final c
    for trace in traces:
        for gate in (trace.input_gate, trace.forget_gate, trace.output_gate):
            assert gate.min() >= 0 and gate.max() <= 1
        assert np.abs(trace.candidate).max() <= 1
        # the cell update and the hidden state follow from the recorded gates
        c_prev = np.concatenate([np.zeros_like(trace.cell[:, :1]), trace.cell[:, :-1]], axis=1)
        updated = trace.forget_gate * c_prev + trace.input_gate * trace.candidate
        np.testing.assert_allclose(trace.cell, updated, atol=1e-6)
        np.testing.assert_allclose(trace.hidden, trace.output_gate * np.tanh(trace.cell), atol=1e-6)


def test_layer_parameter_formula():
    model = build_model(ExperimentConfig(units=[7, 3]), n_features=2)
    assert layer_params("lstm", 7, 2) == model.get_layer("lstm_1").count_params() == 4 * (7 * (7 + 2) + 7)
    assert layer_params("lstm", 3, 7) == model.get_layer("lstm_2").count_params()
    gru = build_model(ExperimentConfig(units=[7], cell="gru"), n_features=2)
    assert layer_params("gru", 7, 2) == gru.get_layer("gru_1").count_params() == 3 * (7 * (7 + 2) + 2 * 7)


def randomised(model, seed: int = 0):
    """``model`` with random, non-trivial weights."""
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    return model


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn", "mlp"])
@pytest.mark.parametrize("strategy", ["recursive", "direct"])
def test_every_cell_and_strategy_in_numpy_matches_keras(cell: str, strategy: str):
    config = ExperimentConfig(window=9, units=[6, 4], cell=cell, strategy=strategy, horizon=5)
    model = randomised(build_model(config, n_features=2))
    assert model.count_params() == count_params(config, 2)
    assert model.output_shape == (None, 5 if strategy == "direct" else 1)
    net = NumpyNet.for_config(model.get_weights(), config)
    assert NumpyNet.from_model(model).cell == cell and net.outputs == model.output_shape[1]
    windows = np.random.default_rng(1).normal(0, 1, (6, 9, 2)).astype("float32")
    np.testing.assert_allclose(net.predict_block(windows), np.asarray(model(windows)), atol=1e-5)
    assert keras_difference(net, windows[0]) < 1e-5  # layer by layer: every h (LSTM: and the last c)


def test_gru_gates_recomputed_in_numpy_match_keras():
    config = ExperimentConfig(window=12, units=[6, 3], cell="gru")
    model = randomised(build_model(config, n_features=2))
    window = np.random.default_rng(2).normal(0, 1, (12, 2)).astype("float32")
    net = NumpyNet.for_config(model.get_weights(), config)
    assert keras_difference(net, window) < 1e-5
    traces = net.trace(window)
    assert len(traces) == 2
    inputs = window[None]
    for weights, trace in zip(net.layers, traces, strict=True):
        for gate in (trace.update_gate, trace.reset_gate):
            assert gate.min() >= 0 and gate.max() <= 1 and gate.std() > 0.01
        assert np.abs(trace.candidate).max() <= 1
        # h follows from the recorded gates: z keeps the old h, 1 - z takes the candidate
        h_prev = np.concatenate([np.zeros_like(trace.hidden[:, :1]), trace.hidden[:, :-1]], axis=1)
        mixed = trace.update_gate * h_prev + (1 - trace.update_gate) * trace.candidate
        np.testing.assert_allclose(trace.hidden, mixed, atol=1e-6)
        # the candidate reads the old h through the reset gate, as Keras' GRU (reset after) does
        u = weights.units
        a = inputs @ weights.kernel[:, 2 * u:] + weights.bias[0, 2 * u:]
        m = h_prev @ weights.recurrent[:, 2 * u:] + weights.bias[1, 2 * u:]
        np.testing.assert_allclose(trace.candidate, np.tanh(a + trace.reset_gate * m), atol=1e-5)
        inputs = trace.hidden


def test_cells_without_gates_say_so():
    for cell in ("rnn", "mlp"):
        config = ExperimentConfig(window=4, units=[3], cell=cell)
        net = NumpyNet.for_config(build_model(config).get_weights(), config)
        with pytest.raises(ConfigError, match="gates exist in LSTM and GRU"):
            net.trace(np.zeros((4, 1), dtype="float32"))


def test_sum_task_targets():
    task = sum_task(50, 8, seed=1)
    assert task.inputs.shape == (50, 8, 1)
    assert set(np.unique(task.inputs)) == {0.0, 1.0}
    np.testing.assert_array_equal(task.running_sum, np.cumsum(task.inputs[:, :, 0], axis=1))
    np.testing.assert_array_equal(task.total, task.inputs.sum(axis=(1, 2)))
    assert task.targets(MANY_TO_ONE).shape == (50, 1)
    assert task.targets(MANY_TO_MANY).shape == (50, 8, 1)
    np.testing.assert_array_equal(sum_task(5, 4, seed=3).inputs, sum_task(5, 4, seed=3).inputs)


def test_parse_bits():
    np.testing.assert_array_equal(parse_bits("1,0, 1")[0, :, 0], [1, 0, 1])
    np.testing.assert_array_equal(parse_bits("110")[0, :, 0], [1, 1, 0])
    with pytest.raises(ConfigError, match="0s and 1s"):
        parse_bits("1,2")
    with pytest.raises(ConfigError, match="0s and 1s"):
        parse_bits("")


LENGTH = 10


@pytest.fixture(scope="module")
def sum_models():
    nets = {}
    for kind in (MANY_TO_ONE, MANY_TO_MANY):
        model, result = train_sum_model(kind, length=LENGTH, units=12, epochs=25, samples=1000)
        assert result.epochs_run == 25
        nets[kind] = NumpyNet.from_model(model)
    return nets


def test_many_to_many_also_works_below_the_training_length(sum_models):
    one = mse_by_length(sum_models[MANY_TO_ONE], 2 * LENGTH)
    many = mse_by_length(sum_models[MANY_TO_MANY], 2 * LENGTH)
    below = slice(0, LENGTH // 2)  # lengths 1..L/2
    assert many[below].mean() < 0.1
    assert many[below].mean() < one[below].mean() / 5
    # the many-to-one model is at its best near the length it was trained on
    assert np.argmin(one) in range(LENGTH - 3, LENGTH + 2)
    # neither extrapolates far past L
    assert one[-1] > 4 * one[LENGTH - 1] and many[-1] > 4 * many[LENGTH - 1]


def test_carrying_the_state_continues_the_count(sum_models):
    net = sum_models[MANY_TO_MANY]
    first, state = net.run(parse_bits("1,1,1"))
    assert first[0, -1] == pytest.approx(3, abs=0.5)
    carried, _ = net.run(parse_bits("1,0,1"), state)
    fresh, _ = net.run(parse_bits("1,0,1"))
    assert carried[0, -1] == pytest.approx(5, abs=0.5)
    assert fresh[0, -1] == pytest.approx(2, abs=0.5)
