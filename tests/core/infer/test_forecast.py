import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.windows import prepare
from lstm_core.infer.forecast import forecast_future, rollout_scaled, rollout_test


class LastPlusOne:
    """A stand-in network: predicts the window's last target value plus one."""

    dropout = 0.0

    def __init__(self):
        self.seen = []

    def predict(self, windows, rng=None):
        self.seen.append(windows[:, :, 0].copy())
        return windows[:, -1, 0] + 1.0


def test_rollout_feeds_the_model_its_own_outputs():
    net = LastPlusOne()
    out = rollout_scaled(net, np.array([[0.0], [1.0], [2.0]]), steps=4)
    np.testing.assert_array_equal(out, [[3, 4, 5, 6]])
    np.testing.assert_array_equal(net.seen[1], [[1, 2, 3]])  # window 2 ends with prediction 1
    np.testing.assert_array_equal(net.seen[3], [[3, 4, 5]])  # window 4 holds predictions only


class Recorder(LastPlusOne):
    def predict(self, windows, rng=None):
        self.seen.append(windows.copy())
        return windows[:, -1, 0] + 1.0


def test_rollout_holds_features_at_their_last_value_unless_given():
    start = np.array([[0.0, 7.0], [1.0, 8.0]])
    held = Recorder()
    rollout_scaled(held, start, steps=3)
    np.testing.assert_array_equal(held.seen[2][0], [[2, 8], [3, 8]])
    given = Recorder()
    rollout_scaled(given, start, steps=3, features=np.array([[5.0], [6.0], [9.0]]))
    np.testing.assert_array_equal(given.seen[2][0], [[2, 5], [3, 6]])


def test_forecast_future_in_original_units_with_a_diff_transform():
    values = np.arange(0.0, 200.0) * 2.0  # rises 2 a step
    data = prepare(Series(values=values), ExperimentConfig(window=5, transform="diff"))

    class Oracle:
        dropout = 0.0

        def predict(self, windows, rng=None):
            return windows[:, -1, 0]  # the next change equals the last one

    forecast = forecast_future(Oracle(), data, horizon=10)
    np.testing.assert_allclose(forecast, values[-1] + 2.0 * np.arange(1, 11))


def test_test_rollout_starts_from_real_data_before_the_test_part():
    values = np.arange(100.0)
    data = prepare(Series(values=values), ExperimentConfig(window=5, transform="none"))

    class Repeat:
        dropout = 0.0

        def predict(self, windows, rng=None):
            return windows[:, -1, 0]

    rollout = rollout_test(Repeat(), data)
    np.testing.assert_array_equal(rollout.times, np.arange(80, 100))
    # the network computes in float32: compare to its precision
    np.testing.assert_allclose(rollout.predicted, np.full(20, 79.0), rtol=1e-6)  # the last real value
    np.testing.assert_allclose(rollout.error_by_horizon, np.arange(1.0, 21.0), atol=1e-4)
    assert rollout.rmse == pytest.approx(np.sqrt(np.mean(np.arange(1.0, 21.0) ** 2)), rel=1e-5)


def test_monte_carlo_dropout_band_brackets_its_median():
    from lstm_core.errors import ConfigError
    from lstm_core.infer.forecast import forecast_band
    from lstm_core.infer.numpy_net import LayerWeights, NumpyNet

    rng = np.random.default_rng(0)
    u = 8
    layer = LayerWeights(rng.normal(0, 0.5, (1, 4 * u)).astype("float32"),
                        rng.normal(0, 0.3, (u, 4 * u)).astype("float32"), np.zeros(4 * u, "float32"))
    head = rng.normal(0, 0.5, (u, 1)).astype("float32"), np.zeros(1, "float32")
    data = prepare(Series(values=np.sin(np.arange(200) / 5)), ExperimentConfig(window=10, transform="none"))
    band = forecast_band(NumpyNet((layer,), *head, dropout=0.3), data, horizon=30, paths=200)
    assert band.median.shape == (30,)
    assert np.all(band.lower_95 <= band.lower_80) and np.all(band.lower_80 <= band.median)
    assert np.all(band.median <= band.upper_80) and np.all(band.upper_80 <= band.upper_95)
    assert np.all(band.upper_95 - band.lower_95 > 0)  # dropout spreads the paths
    with pytest.raises(ConfigError, match="needs a model trained with dropout"):
        forecast_band(NumpyNet((layer,), *head, dropout=0.0), data, horizon=5)


class SameChange:
    """A perfect network for a series whose transform is constant: the next z is the last one."""

    dropout = 0.0

    def predict(self, windows, rng=None):
        return windows[:, -1, 0]


def seasonal_series(transform: str, length: int) -> np.ndarray:
    """A season of 12 on a trend: added to a line (sdiff: constant), or multiplying a growth
    (log_sdiff: constant), so a perfect rollout continues the series exactly."""
    t = np.arange(length)
    season = np.array([0, 3, 5, 4, 1, -2, -4, -5, -3, -1, 2, 0], dtype=float)[t % 12]
    return 50 + 0.5 * t + season if transform == "sdiff" else np.exp(0.01 * t) * (10 + season)


@pytest.mark.parametrize("transform", ["sdiff", "log_sdiff"])
def test_seasonal_forecasts_and_rollouts_invert_to_the_series_own_continuation(transform):
    full = seasonal_series(transform, 330)
    data = prepare(Series(values=full[:300]), ExperimentConfig(window=5, transform=transform))
    assert data.transform.name == transform and data.transform.offset == 12
    np.testing.assert_allclose(data.to_levels(data.y_test, data.test_times), full[data.test_times], rtol=1e-9)
    # 30 steps past the end: beyond one season, the path builds on its own predictions
    np.testing.assert_allclose(forecast_future(SameChange(), data, horizon=30), full[300:], rtol=1e-5)
    paths = forecast_future(SameChange(), data, horizon=30, paths=3)
    assert paths.shape == (3, 30)
    np.testing.assert_allclose(paths, np.tile(full[300:], (3, 1)), rtol=1e-5)
    rollout = rollout_test(SameChange(), data)
    np.testing.assert_allclose(rollout.predicted, full[data.test_times], rtol=1e-5)


def test_a_tiny_training_with_sdiff_forecasts_in_the_series_units():
    from lstm_core.config.settings import SourceConfig
    from lstm_core.runs.experiment import run_experiment

    source = SourceConfig(generator="trend_seasonal", params={"length": 300, "period": 12, "slope": 0.2})
    config = ExperimentConfig(source=source, window=12, units=[8], epochs=30, patience=0,
                              learning_rate=0.01, transform="sdiff", horizon=24)
    result = run_experiment(config)
    values = result.data.series.values
    assert result.data.transform.offset == 12
    ev = result.evaluation
    # seasonal naive misses the trend's rise over a season (2.4); the naive misses the season
    assert ev.test_metrics.rmse < 0.5 * ev.baselines["seasonal_naive"].metrics.rmse
    assert ev.test_metrics.rmse < ev.baselines["naive"].metrics.rmse
    # the forecast continues the rising level (about 0.2 a step), not the differences' scale
    assert abs(result.forecast.mean() - (values[-12:].mean() + 0.2 * 18)) < 2.0
    assert result.test_rollout.rmse < ev.baselines["seasonal_naive"].metrics.rmse


def test_a_rollout_in_the_server_is_bounded_by_the_network_window_and_paths() -> None:
    """The run the hostile probe imported (window 1000, 4 x 128 LSTM units): its Monte-Carlo
    band (100 paths) gets no step in the server and its line a few dozen, while the default
    network's band reaches the page's longest horizon."""
    from lstm_core.config.settings import ExperimentConfig
    from lstm_core.infer.architecture import weight_shapes
    from lstm_core.infer.forecast import SERVER_ROLLOUT_WORK, steps_within
    from lstm_core.infer.numpy_net import NumpyNet

    def net(config: ExperimentConfig) -> NumpyNet:
        return NumpyNet.for_config([np.zeros(shape) for shape in weight_shapes(config, 1)], config)

    big = ExperimentConfig(window=1000, units=[128] * 4, dropout=0.2)
    assert net(big).size == sum(int(np.prod(s)) for s in weight_shapes(big, 1))
    assert steps_within(net(big), 1000, paths=100) == 0
    assert 10 <= steps_within(net(big), 1000) <= 100
    default = ExperimentConfig(dropout=0.2)
    assert steps_within(net(default), default.window, paths=100) >= 1000
    mlp = ExperimentConfig(cell="mlp", window=1000, units=[128] * 4)  # one pass a step, not one per input
    assert steps_within(net(mlp), 1000) > 1000 * steps_within(net(big), 1000) / 10
    assert SERVER_ROLLOUT_WORK <= 5e10  # about ten seconds of NumPy at most
