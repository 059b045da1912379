"""The core's promises with the default model settings, run through the command line.

These train real models for tens of seconds: they are the figures quoted in the README.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_core.data.series import generate
from lstm_core.data.windows import Split

ROOT = Path(__file__).resolve().parents[2]
NOISY_SINE = ["--generate", "sine", "--length", "10000", "--period", str(2 * np.pi / 0.1),
              "--noise", "gaussian", "--noise-level", "0.5"]


def train_json(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "lstm_core", "train", *args, "--json", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_noisy_sine_reaches_the_noise_floor():
    """sin(t), t = 0..1000 step 0.1, Gaussian noise 0.5: no model can beat RMSE 0.5."""
    result = train_json(*NOISY_SINE)
    assert 0.5 * 0.95 <= result["test_rmse"] <= 0.5 * 1.05
    assert result["test_rmse"] < result["baselines"]["naive"]["test_rmse"]


@pytest.mark.slow
def test_trend_beyond_the_training_range_beats_naive_and_seasonal_naive():
    values = generate("trend_seasonal").values
    split = Split.of(len(values), 0.1, 0.2)
    assert values[split.val_end:].max() > values[: split.train_end].max() + 5  # new levels
    result = train_json("--generate", "trend_seasonal")
    assert result["transform"] == "diff"
    for baseline in ("naive", "seasonal_naive"):
        assert result["test_rmse"] < result["baselines"][baseline]["test_rmse"], baseline
