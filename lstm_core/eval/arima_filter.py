"""A fitted AutoARIMA applied to the test part: one Kalman filter pass, nothing estimated again.

statsforecast's ``forward`` applies a fitted ARIMA to a new series with every coefficient fixed
(its optimiser never runs), but gives the forecast from the series' end only: a one-step
prediction at each test point that way filters the whole history again, once per point (806
points at season 336: over half an hour). Its in-sample fitted values, ``y - residuals``, come from
one pass, but its residuals are the innovations divided by the square root of their variance
relative to sigma² (R's convention), so the fitted value at t moves with y_t itself until the
filter has settled (on a 240-point seasonal series, by 1/4,000 of a change at t).

Here the filter runs once over the history (``forward_arima``, every coefficient fixed), then
steps through the test part with statsforecast's own filter step (``arima_like``), and the
prediction at t is the filtered state's one-step forecast ``Z·T·a`` plus the mean or drift:
the arithmetic ``forward(y[:t], h=1)`` does, at the cost of one filter step per point. The
rollout is the forecast from the history's end, as ``forecast_arima``'s.
"""

from __future__ import annotations

from typing import Any

import numpy as np

FILTER_METHOD = "CSS-ML"  # with every coefficient fixed: the exact Kalman filter, nothing optimised
ARMA_COEFFICIENTS = ("ar", "ma", "sar", "sma")


def regression(coef: dict[str, float], times: np.ndarray) -> np.ndarray:
    """The mean or drift part of the model at ``times`` (statsforecast's drift is 1 at time 0)."""
    if unknown := [name for name in coef if not name.startswith(ARMA_COEFFICIENTS)
                   and name not in ("intercept", "drift")]:
        raise ValueError(f"regressors other than a mean or drift: {', '.join(unknown)}")
    return coef.get("intercept", 0.0) + coef.get("drift", 0.0) * (np.asarray(times) + 1.0)


class ArimaFilter:
    """The Kalman filter of a fitted ARIMA, run over ``history`` and then stepped one value at a time.

    statsforecast's filter step takes the covariance predicted for its first value as given
    (``Pn``) and predicts it itself for the next ones; :meth:`update` therefore also runs one
    step further on a copy, to leave ``Pn`` ready for the next value.
    """

    def __init__(self, fitted: dict[str, Any], history: np.ndarray) -> None:
        from statsforecast.arima import forward_arima

        self.applied = forward_arima(fitted, y=np.asarray(history, dtype=np.float64),
                                     method=FILTER_METHOD)
        self.state = state = self.applied["model"]
        # forward_arima leaves in Pn the covariance it predicted for the history's last value:
        # the one for the next value, as statsforecast's kalman_forecast predicts it
        state["Pn"][:] = state["T"] @ state["P"] @ state["T"].T + state["V"]

    def rollout(self, times: np.ndarray) -> np.ndarray:
        """The forecast from the history's end over ``times`` (the consecutive times after it).

        ``forecast_arima``'s mean, without its standard errors: those propagate the covariance
        (rd³ operations a step for rd states; at season 336, 37 s over 806 steps)."""
        transition, observe, state = self.state["T"], self.state["Z"], self.state["a"].copy()
        means = np.empty(len(times))
        for step in range(len(times)):
            state = transition @ state
            means[step] = observe @ state
        return means + regression(self.applied["coef"], times)

    def predict(self) -> float:
        """The one-step forecast of the next value, without the mean or drift."""
        return float(self.state["Z"] @ (self.state["T"] @ self.state["a"]))

    def update(self, value: float) -> None:
        """Take in the next value (without the mean or drift)."""
        from statsforecast.arima import arima_like

        s = self.state
        ahead_a, ahead_P = s["a"].copy(), s["P"].copy()
        # a and P take in the value; Pn, the covariance predicted for it, is read, not written
        arima_like(np.array([value]), s["phi"], s["theta"], s["delta"], s["a"], s["P"], s["Pn"], 0, False)
        # the same on copies, then one step further (a missing value): Pn := the next prediction's
        arima_like(np.array([value, np.nan]), s["phi"], s["theta"], s["delta"], ahead_a, ahead_P,
                   s["Pn"], 0, False)


def arima_one_step(fitted: dict[str, Any], levels: np.ndarray,
                   times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-step predictions at ``times`` (consecutive, up to the end) and the rollout over them,
    from the model ``fitted`` on the levels before ``times[0]``."""
    kalman = ArimaFilter(fitted, levels[: times[0]])
    rollout = kalman.rollout(times)
    mean = regression(kalman.applied["coef"], times)
    predictions = np.empty(len(times))
    for i, (value, offset) in enumerate(zip(levels[times] - mean, mean, strict=True)):
        predictions[i] = kalman.predict() + offset
        kalman.update(value)
    return predictions, rollout
