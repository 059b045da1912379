"""The exported script's template repeats LSTM Lab's split, windows and transforms, so it is checked
against them: its own functions, imported, on series of several lengths, shares, windows and transforms."""

from __future__ import annotations

import ast

import numpy as np
import pandas as pd
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series
from lstm_core.data.windows import Split, prepare
from lstm_core.nn import reproduce_template as template  # imports Keras, as the script does
from lstm_core.runs.export import TEMPLATE

HORIZON = 7


@pytest.mark.parametrize(("rows", "val_share", "test_share"), [
    (100, 0.1, 0.2), (101, 0.0, 0.05), (37, 0.25, 0.3), (1000, 0.5, 0.05), (12, 0.0, 0.5), (8, 0.1, 0.05),
])
def test_the_split_is_lstm_labs(rows: int, val_share: float, test_share: float) -> None:
    split = Split.of(rows, val_share, test_share)
    assert template.split(rows, val_share, test_share) == (split.train_end, split.val_end)


@pytest.mark.parametrize(("length", "window", "val_share", "test_share", "transform", "features",
                          "strategy"), [
    (200, 5, 0.1, 0.2, "none", 0, "recursive"),
    (151, 1, 0.0, 0.05, "diff", 1, "recursive"),
    (97, 12, 0.25, 0.25, "log", 0, "direct"),
    (300, 30, 0.15, 0.3, "diff", 2, "direct"),
    (240, 6, 0.1, 0.2, "sdiff", 0, "recursive"),
    (181, 4, 0.0, 0.1, "log_sdiff", 1, "direct"),
])
def test_the_windows_are_lstm_labs(length: int, window: int, val_share: float, test_share: float,
                                   transform: str, features: int, strategy: str) -> None:
    rng = np.random.default_rng(length)
    season = np.sin(2 * np.pi * np.arange(length) / 12)  # detected for the seasonal transforms
    values = 5 + np.arange(length) / 50 + season + rng.uniform(0, 0.3, length)  # positive, for the log
    extra = pd.DataFrame({f"feature_{k + 1}": rng.normal(size=length) for k in range(features)})
    config = ExperimentConfig(window=window, val_share=val_share, test_share=test_share,
                              transform=transform, scaler="standard" if features else "minmax",
                              strategy=strategy, horizon=HORIZON)
    ours = prepare(Series(values, features=extra if features else None), config)
    settings = {"window": window, "val_share": val_share, "test_share": test_share,
                "transform": transform, "scaler": config.scaler, "season_length": ours.transform.season,
                "strategy": strategy, "horizon": HORIZON}
    table = pd.concat([pd.DataFrame({"value": values}), extra], axis=1)
    _, _, offset, X, y, rows, parts = template.prepare(table, settings)
    assert offset == ours.transform.offset
    expected = [(ours.X_train, ours.y_train, ours.train_times, "train"),
                (ours.X_val, ours.y_val, ours.val_times, "val"),
                (ours.X_test, ours.y_test, ours.test_times, "test")]
    for k, (part, (X_part, y_part, times, name)) in enumerate(zip(parts, expected, strict=True)):
        np.testing.assert_array_equal(X[part], X_part)
        targets = ours.targets_ahead(name, HORIZON) if strategy == "direct" else y_part
        np.testing.assert_array_equal(y[k], targets)
        np.testing.assert_array_equal(rows[part] + offset, times)
    z = ours.unscale_target(ours.y_test) + 0.1  # a prediction off by 0.1, back to levels alike
    np.testing.assert_array_equal(template.levels(z, values, ours.test_times, settings),
                                  ours.transform.inverse_one_step(z, ours.levels, ours.test_times))


def test_the_template_has_the_blocks_an_export_fills() -> None:
    text = TEMPLATE.read_text()
    for block in ("template", "run", "layer"):
        assert text.count(f"# >>> {block}\n") == 1 and text.count(f"# <<< {block}\n") == 1
    run = text[text.index("# >>> run\n"):text.index("# <<< run\n")]
    assigned = {target.id for node in ast.parse(run).body for target in
                (node.targets if isinstance(node, ast.Assign) else [node.target])}
    assert assigned == {"SETTINGS", "THREADS", "MEASURED_RMSE"}
    assert "lstm_core" not in text[text.index("# <<< template\n"):]
