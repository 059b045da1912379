import numpy as np
import pytest

from lstm_core.data.series import GENERATORS, MAX_LENGTH, MAX_WAVE_VALUES, Series, generate
from lstm_core.errors import ConfigError, DataError


@pytest.mark.parametrize("kind", list(GENERATORS))
def test_every_generator_is_deterministic_for_a_seed(kind):
    first = generate(kind, length=300, data_seed=7)
    again = generate(kind, length=300, data_seed=7)
    assert len(first) == 300
    np.testing.assert_array_equal(first.values, again.values)
    assert np.all(np.isfinite(first.values))


@pytest.mark.parametrize("kind", ["sine", "trend_seasonal", "multi_sine", "random_walk"])
def test_another_seed_gives_other_noise(kind):
    assert not np.array_equal(generate(kind, data_seed=1).values, generate(kind, data_seed=2).values)


def test_sine_with_uniform_noise_stays_within_the_noise_band():
    clean = generate("sine", length=500, period=100, noise="none").values
    noisy = generate("sine", length=500, period=100, noise="uniform", noise_level=0.05).values
    deviation = noisy - clean
    assert np.abs(deviation).max() <= 0.05
    assert np.abs(deviation).max() > 0.04  # the band is used, not just a sliver of it
    np.testing.assert_allclose(clean[:4], np.sin(2 * np.pi * np.arange(4) / 100))


def test_tutorial_sin_t_with_gaussian_noise():
    """sin(t) for t = 0, 0.1, ..., 999.9 with sigma 0.5: period 2*pi/0.1 samples."""
    series = generate("sine", length=10_000, period=2 * np.pi / 0.1, noise="gaussian",
                      noise_level=0.5, data_seed=3)
    t = np.arange(10_000) * 0.1
    residual = series.values - np.sin(t)
    assert residual.std() == pytest.approx(0.5, rel=0.03)
    assert abs(residual.mean()) < 0.02


def test_trend_seasonal_additive_and_multiplicative():
    common = dict(length=400, level=10, slope=0.1, period=40, amplitude=2, noise="none")
    additive = generate("trend_seasonal", mode="additive", **common).values
    multiplicative = generate("trend_seasonal", mode="multiplicative", **common).values
    t = np.arange(400)
    trend = 10 + 0.1 * t
    season = np.sin(2 * np.pi * t / 40)
    np.testing.assert_allclose(additive, trend + 2 * season)
    np.testing.assert_allclose(multiplicative, trend * (1 + 0.2 * season))
    # the multiplicative swing grows with the level, the additive one does not
    assert np.ptp((multiplicative - trend)[-40:]) > 3 * np.ptp((multiplicative - trend)[:40])
    assert np.ptp((additive - trend)[-40:]) == pytest.approx(np.ptp((additive - trend)[:40]))


def test_square_sawtooth_and_multi_sine_shapes():
    square = generate("square", length=100, period=10, amplitude=2, noise="none").values
    np.testing.assert_array_equal(square[:10], [2] * 5 + [-2] * 5)
    saw = generate("sawtooth", length=20, period=10, amplitude=1, noise="none").values
    np.testing.assert_allclose(saw[:10], np.linspace(-1, 0.8, 10))
    multi = generate("multi_sine", length=50, periods="10,5", amplitudes="1,0.5", noise="none").values
    t = np.arange(50)
    np.testing.assert_allclose(multi, np.sin(2 * np.pi * t / 10) + 0.5 * np.sin(2 * np.pi * t / 5))


def test_random_walk_steps_have_the_drift_and_spread_asked_for():
    walk = generate("random_walk", length=20_000, start=5, drift=0.1, step_std=2).values
    assert walk[0] == 5
    steps = np.diff(walk)
    assert steps.mean() == pytest.approx(0.1, abs=0.05)
    assert steps.std() == pytest.approx(2, rel=0.03)


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("nope", {}, "unknown generator 'nope'"),
        ("sine", {"length": 3}, "length must be between 10 and"),
        ("sine", {"length": 10.5}, "length must be a whole number"),
        ("sine", {"noise": "pink"}, "noise must be one of gaussian, uniform, none"),
        ("sine", {"slope": 1}, "has no parameter slope"),
        ("sine", {"period": "abc"}, "period must be a number"),
        ("multi_sine", {"periods": "10,20", "amplitudes": "1"}, "periods has 2 values"),
        ("multi_sine", {"amplitudes": "1,-1e300,1"},
         "every value of amplitudes must be between -1e[+]06 and 1e[+]06, got -1e[+]300"),
        ("multi_sine", {"periods": "10,1,5"}, "every value of periods must be between 2 and 1e[+]06, got 1"),
        ("multi_sine", {"periods": [10, 20, 30]}, "periods must be numbers separated by commas"),
        ("multi_sine", {"periods": "9," * 51, "amplitudes": "1," * 51},
         "periods holds 51 values, more than the 50 allowed"),
        ("multi_sine", {"length": 200_000, "periods": "9," * 26, "amplitudes": "1," * 26},
         "26 waves of 200,000 samples are 5,200,000 values to compute, more than the 5,000,000"),
        ("trend_seasonal", {"mode": "multiplicative", "level": -1}, "positive level"),
    ],
)
def test_bad_generator_parameters_are_refused_with_a_message(kind, params, message):
    with pytest.raises(ConfigError, match=message):
        generate(kind, **params)


def test_the_most_waves_a_series_may_sum_take_little_time_and_memory():
    """The bound itself: 25 waves of 200,000 samples, one wave at a time."""
    import time
    import tracemalloc

    waves = MAX_WAVE_VALUES // MAX_LENGTH
    tracemalloc.start()
    started = time.perf_counter()
    series = generate("multi_sine", length=MAX_LENGTH, periods=",".join(["7"] * waves),
                      amplitudes=",".join(["0.1"] * waves))
    seconds = time.perf_counter() - started
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert len(series) == MAX_LENGTH
    assert seconds < 5 and peak_mb < 10 * MAX_LENGTH * 8 / 2**20, (seconds, peak_mb)


def test_series_refuses_missing_values_and_mismatched_features():
    with pytest.raises(DataError, match="missing or infinite"):
        Series(values=[1.0, np.nan, 3.0])
    with pytest.raises(DataError, match="empty"):
        Series(values=[])
    import pandas as pd

    with pytest.raises(DataError, match="differ in length"):
        Series(values=[1.0, 2.0], features=pd.DataFrame({"x": [1.0]}))


def test_series_refuses_values_too_large_to_compute_errors_with():
    import pandas as pd

    with pytest.raises(DataError, match="the values of 'value' reach -2e[+]100, too large to compute errors"):
        Series(values=[1.0, -2e100, 3.0])
    with pytest.raises(DataError, match="the values of 'x' reach 1e[+]300, too large to compute errors"):
        Series(values=[1.0, 2.0], features=pd.DataFrame({"x": [1.0, 1e300]}))
    assert Series(values=[1.0, 1e100]).values[1] == 1e100  # the bound itself is allowed
