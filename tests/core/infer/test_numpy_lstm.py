"""The NumPy recomputation of the gates, and the running-sum sequence lab."""

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.sum_task import MANY_TO_MANY, MANY_TO_ONE, parse_bits, sum_task
from lstm_core.errors import ConfigError
from lstm_core.infer.numpy_lstm import NumpyLSTM
from lstm_core.infer.param_count import lstm_layer_params
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
    traces = NumpyLSTM.from_model(model).trace(window)
    assert len(traces) == 3
    assert keras_difference(NumpyLSTM.from_model(model), window) < 1e-5  # every h and the final c
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
    assert lstm_layer_params(7, 2) == model.get_layer("lstm_1").count_params() == 4 * (7 * (7 + 2) + 7)
    assert lstm_layer_params(3, 7) == model.get_layer("lstm_2").count_params()


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
        nets[kind] = NumpyLSTM.from_model(model)
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
