import numpy as np
import pandas as pd
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import Split, prepare, sliding_windows
from lstm_core.errors import ConfigError


def test_sliding_windows_on_a_tiny_array():
    X, y = sliding_windows(np.arange(6.0), 3)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    np.testing.assert_array_equal(y, [3, 4, 5])


def test_sliding_windows_with_feature_columns_predict_the_target_column():
    matrix = np.column_stack([np.arange(5.0), 10 * np.arange(5.0)])
    X, y = sliding_windows(matrix, 2)
    assert X.shape == (3, 2, 2)
    np.testing.assert_array_equal(X[0], [[0, 0], [1, 10]])
    np.testing.assert_array_equal(y, [2, 3, 4])


def test_split_is_chronological_and_complete():
    split = Split.of(100, val_share=0.1, test_share=0.2)
    assert (split.train_end, split.val_end, split.rows) == (70, 80, 100)


def config(**overrides):
    return ExperimentConfig(**({"window": 4, "val_share": 0.1, "test_share": 0.2} | overrides))


def test_prepare_assigns_each_window_to_the_part_of_its_label():
    series = Series(values=np.arange(100.0))
    data = prepare(series, config(transform="none"))
    assert data.train_times[0] == 4 and data.train_times[-1] == 69
    assert list(data.val_times) == list(range(70, 80))
    assert list(data.test_times) == list(range(80, 100))
    # every training label and every training input lies inside the training part
    assert data.X_train.shape == (66, 4, 1)
    assert data.scaler.data_max_[0] == 69
    assert data.y_train.max() == pytest.approx(1.0)
    # labels unscale back to the series
    np.testing.assert_allclose(data.to_levels(data.y_test, data.test_times), np.arange(80.0, 100.0))


def test_changing_test_values_changes_neither_scaler_nor_training_data():
    values = generate("sine", length=300).values
    changed = values.copy()
    changed[240:] += 1000.0  # the test part only
    a = prepare(Series(values=values), config(window=10))
    b = prepare(Series(values=changed), config(window=10))
    assert a.split == b.split
    np.testing.assert_array_equal(a.scaler.data_min_, b.scaler.data_min_)
    np.testing.assert_array_equal(a.scaler.data_max_, b.scaler.data_max_)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    np.testing.assert_array_equal(a.X_val, b.X_val)
    assert not np.array_equal(a.y_test, b.y_test)


def test_auto_transform_decides_on_the_training_part_only():
    flat = generate("sine", length=400).values
    tail_trend = flat.copy()
    tail_trend[320:] += np.arange(80) * 5.0  # a trend that starts in the test part
    assert prepare(Series(values=tail_trend), config(transform="auto")).transform.name == "none"
    rising = generate("trend_seasonal", length=400).values
    assert prepare(Series(values=rising), config(transform="auto")).transform.name == "diff"


def test_feature_columns_are_scaled_and_windowed_with_the_target():
    n = 120
    series = Series(values=np.arange(n, dtype=float),
                    features=pd.DataFrame({"x": 2.0 * np.arange(n)}))
    data = prepare(series, config(window=3, transform="none"))
    assert data.n_features == 2
    assert data.X_train.shape[2] == 2
    np.testing.assert_allclose(data.X_train[:, :, 0], data.X_train[:, :, 1])  # same shape, scaled


def test_a_window_too_long_for_the_training_part_is_refused_with_advice():
    with pytest.raises(ConfigError, match=r"window \(80 steps\) is too long.*at most 60"):
        prepare(Series(values=np.arange(100.0)), config(window=80, transform="none"))


def test_windows_travel_without_their_copies_and_come_back_the_same():
    """A result sent back from a worker pickles its windows as views of the scaled series: the
    message weighs about the series, not window times the series."""
    import pickle

    from lstm_core import ExperimentConfig, generate

    data = prepare(generate("sine", length=2000), ExperimentConfig(window=200))
    windows_bytes = sum(x.size for x in (data.X_train, data.X_val, data.X_test)) * 8
    message = pickle.dumps(data)
    assert len(message) < windows_bytes / 20
    back = pickle.loads(message)
    for name in ("X_train", "X_val", "X_test", "y_train", "y_test", "test_times"):
        np.testing.assert_array_equal(getattr(back, name), getattr(data, name))
