"""Strict JSON out: what the command line prints and the Results page offers for download."""

import json
import math

from lstm_core.config import safe_json


def test_non_finite_figures_are_written_as_null_and_the_json_is_strict() -> None:
    text = safe_json.dumps({"rmse": math.inf, "mape": math.nan, "mae": 1.5,
                            "baselines": {"naive": {"rmse": -math.inf}}, "history": [1.0, math.nan]})
    assert "Infinity" not in text and "NaN" not in text
    assert json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name))) == {
        "rmse": None, "mape": None, "mae": 1.5, "baselines": {"naive": {"rmse": None}},
        "history": [1.0, None]}
