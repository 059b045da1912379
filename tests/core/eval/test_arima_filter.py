"""AutoARIMA's one-step predictions by one filter pass (statsforecast, no mocks): the same numbers
as statsforecast's own refit-free forecast at every test point, for every kind of model."""

import warnings

import numpy as np
import pytest

from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import generate
from lstm_core.eval.arima_filter import arima_one_step, regression
from lstm_core.eval.classical import arima_options, import_models

# The filter and statsforecast's forward do the same arithmetic on the same numbers, in a
# different order only where a dot product is summed: they agree to about 1e-15 of the
# series' spread (measured). 1e-9 leaves room for any BLAS and is still far below what
# would move a score: the path this replaced moved the predictions by up to 3e-4 of the level.
AGREE = 1e-9


def fitted(values: np.ndarray, season: int, start: int):
    options = arima_options(start, season)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return import_models()["auto_arima"](season_length=season, **options).fit(values[:start])


def reference_one_step(model, values: np.ndarray, times: np.ndarray) -> np.ndarray:
    """statsforecast's own one-step forecast at each time: the fitted model applied to the values
    before it (``forward``, nothing estimated again), its whole past each time. It is what the
    old path computed on a series this short (it passed the last 100 values or 4 seasons)."""
    return np.array([model.forward(y=values[:t], h=1)["mean"][0] for t in times])


def noisy_mean_ar(length: int = 130) -> np.ndarray:
    return 50 + np.convolve(np.random.default_rng(1).normal(size=length), [1, 0.6, 0.3])[:length]


SERIES = {  # name -> (values, season): models with drift, a seasonal MA, a non-zero mean
    "nile_flow": (EXAMPLES["nile_flow"].load().values, 1),
    "lynx_trappings": (EXAMPLES["lynx_trappings"].load().values, 10),
    "trend_seasonal": (generate("trend_seasonal", length=240, period=12, slope=0.05).values, 12),
    "mean_ar": (noisy_mean_ar(), 1),
}


@pytest.fixture(scope="module")
def models():
    return {name: fitted(values, season, int(len(values) * 0.8)) for name, (values, season) in SERIES.items()}


@pytest.mark.parametrize("name", SERIES)
def test_one_step_and_rollout_equal_statsforecasts_own(name, models):
    values, _ = SERIES[name]
    model = models[name]
    times = np.arange(len(model.model_["x"]), len(values))
    one_step, rollout = arima_one_step(model.model_, values, times)
    within = AGREE * np.std(values)
    np.testing.assert_allclose(one_step, reference_one_step(model, values, times), rtol=0, atol=within)
    np.testing.assert_allclose(rollout, model.predict(h=len(times))["mean"], rtol=0, atol=within)


def test_the_models_cover_drift_seasonal_terms_and_a_mean(models):
    """The cases above are the kinds of model AutoARIMA picks: each regression part is tested."""
    coefficients = {name: set(model.model_["coef"]) for name, model in models.items()}
    assert "drift" in coefficients["nile_flow"] and "intercept" in coefficients["mean_ar"]
    seasonal = coefficients["lynx_trappings"] | coefficients["trend_seasonal"]
    assert any(name.startswith(("sar", "sma")) for name in seasonal)


def test_a_long_season_fitted_by_css_is_filtered_from_its_history():
    """Over 24 steps the fit is by conditional sums of squares, after which statsforecast's own
    forecast starts from an unset (zero) state; the filter here starts from the history's."""
    from statsforecast.arima import forecast_arima, forward_arima

    season, length = 30, 200
    rng = np.random.default_rng(2)
    values = 100 + 10 * np.sin(2 * np.pi * np.arange(length) / season) + np.cumsum(rng.normal(0, 1, length))
    start = 185
    times = np.arange(start, length)
    model = fitted(values, season, start)
    assert arima_options(start, season)["method"] == "CSS"
    one_step, rollout = arima_one_step(model.model_, values, times)
    filtered = [forward_arima(model.model_, y=values[:t], method="CSS-ML") for t in times]
    expected = [forecast_arima(applied, h=1)["mean"][0] for applied in filtered]
    np.testing.assert_allclose(one_step, expected, rtol=0, atol=AGREE * np.std(values))
    np.testing.assert_allclose(rollout, forecast_arima(filtered[0], h=len(times))["mean"], rtol=0,
                               atol=AGREE * np.std(values))
    unset = model.predict(h=len(times))["mean"]
    assert np.max(np.abs(unset - values[times])) > 10 * np.max(np.abs(rollout - values[times]))


def test_a_regressor_other_than_mean_or_drift_is_refused():
    assert regression({"ar1": 0.5, "drift": 2.0}, np.array([0, 9])).tolist() == [2.0, 20.0]
    with pytest.raises(ValueError, match="ex_1"):
        regression({"ar1": 0.5, "ex_1": 1.0}, np.array([0]))
