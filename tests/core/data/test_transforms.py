"""Transforms invert exactly (one step and along paths, seasonal ones included), and ``auto``
decides on the training part alone."""

import numpy as np
import pytest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.season import detect_season
from lstm_core.data.series import Series, generate
from lstm_core.data.transforms import (
    Difference,
    Log,
    SeasonalDifference,
    Transform,
    auto_transform,
    has_trend,
    make_transform,
)
from lstm_core.data.windows import choose_split, prepare
from lstm_core.errors import ConfigError, DataError

ALL = [Transform(), Difference(), Log(), SeasonalDifference(12), Log(SeasonalDifference(12))]


def test_has_trend_tells_a_trend_from_a_wave():
    assert has_trend(np.arange(50.0) + np.sin(np.arange(50)))
    assert not has_trend(generate("sine", length=500, noise="none").values)


def test_transforms_are_named_as_the_settings_name_them():
    assert [t.name for t in ALL] == ["none", "diff", "log", "sdiff", "log_sdiff"]
    assert [t.offset for t in ALL] == [0, 1, 0, 12, 12]
    assert [make_transform(t.name, 12).name for t in ALL] == [t.name for t in ALL]


@pytest.mark.parametrize("transform", ALL, ids=lambda t: t.name)
def test_one_step_predictions_invert_exactly(transform):
    y = generate("trend_seasonal", length=200, period=12, mode="multiplicative").values  # positive
    z = transform.forward(y)
    assert len(z) == len(y) - transform.offset
    times = np.arange(transform.offset, len(y))
    np.testing.assert_allclose(transform.inverse_one_step(z[times - transform.offset], y, times), y[times],
                               rtol=1e-12)


@pytest.mark.parametrize("transform", ALL, ids=lambda t: t.name)
def test_paths_longer_than_a_season_invert_exactly_one_or_many_at_once(transform):
    y = generate("trend_seasonal", length=200, period=12, mode="multiplicative").values
    z, start = transform.forward(y), 50  # the path begins at time start + 1: 149 steps, over 12 seasons
    path = transform.inverse_path(z[start + 1 - transform.offset:], y[:start + 1])
    np.testing.assert_allclose(path, y[start + 1:], rtol=1e-12)
    other = z[start + 1 - transform.offset:] + 0.01  # a second path, another prediction
    both = transform.inverse_path(np.stack([z[start + 1 - transform.offset:], other]), y[:start + 1])
    np.testing.assert_allclose(both[0], y[start + 1:], rtol=1e-12)
    np.testing.assert_array_equal(both[1], transform.inverse_path(other, y[:start + 1]))


def test_a_seasonal_path_builds_on_its_own_earlier_levels():
    # levels before the path: 10, 20; each step adds 1 to the level one season (2 steps) before
    path = SeasonalDifference(2).inverse_path(np.ones(5), np.array([5.0, 10.0, 20.0]))
    np.testing.assert_array_equal(path, [11, 21, 12, 22, 13])


def test_a_seasonal_path_needs_a_season_of_history():
    with pytest.raises(ValueError, match="3 earlier levels"):
        SeasonalDifference(3).inverse_path(np.ones(4), np.array([1.0, 2.0]))


def test_difference_reaches_levels_never_seen_in_training():
    y = np.arange(0.0, 100.0)
    z = Difference().forward(y)
    path = Difference().inverse_path(z[:10] * 0 + 1.0, y[-1])  # keep rising by 1 a step
    np.testing.assert_array_equal(path, np.arange(100.0, 110.0))


def test_difference_inverts_many_paths_at_once():
    paths = np.array([[1.0, 1.0], [2.0, -1.0]])
    np.testing.assert_array_equal(Difference().inverse_path(paths, 10.0), [[11, 12], [12, 11]])


@pytest.mark.parametrize("name", ["log", "log_sdiff"])
def test_log_transforms_need_a_positive_series(name):
    with pytest.raises(DataError, match=f"the {name} transform needs a positive series"):
        make_transform(name, 2).forward(np.array([1.0, 0.0, 2.0, 3.0]))


def config(**overrides):
    return ExperimentConfig(**({"window": 12} | overrides))


@pytest.mark.parametrize(("generator", "params", "expected"), [
    ("sine", {}, "none"),  # a smooth wave: the last value predicts better than last season's
    ("trend_seasonal", {}, "diff"),  # the same wave on a trend
    ("random_walk", {}, "diff"),  # no season
    ("square", {}, "sdiff"),  # jumps that only last season's value foresees
    ("trend_seasonal", {"period": 12}, "sdiff"),
    ("trend_seasonal", {"period": 12, "mode": "multiplicative"}, "log_sdiff"),
    ("trend_seasonal", {"period": 12, "mode": "multiplicative", "level": 1000.0}, "sdiff"),  # ~ flat level
])
def test_auto_picks_a_seasonal_difference_when_the_season_dominates(generator, params, expected):
    transform, _ = choose_split(generate(generator, **params).values, config(transform="auto"))
    assert transform.name == expected
    assert transform.reason.startswith(f"auto chose {expected}: ")


def test_auto_says_why_it_chose():
    values = generate("trend_seasonal", period=12, mode="multiplicative").values
    transform, _ = choose_split(values, config(transform="auto"))
    assert "the season dominates: the seasonal difference over 12 steps keeps" in transform.reason
    assert "the swings grow with the level (elasticity" in transform.reason
    assert choose_split(values, config(transform="sdiff"))[0].reason == ""  # named, not chosen


def test_a_given_season_length_is_the_seasonal_difference_lag():
    values = generate("trend_seasonal", period=12).values
    assert choose_split(values, config(transform="sdiff", season_length=24))[0].offset == 24
    assert choose_split(values, config(transform="sdiff"))[0].offset == 12  # detected
    noise = generate("sine", amplitude=0.0).values  # white noise: a given season does not dominate it
    assert choose_split(noise, config(transform="auto", season_length=12))[0].name == "none"


def test_the_test_part_changes_neither_the_season_nor_the_choice():
    values = generate("trend_seasonal", length=400, period=12, mode="multiplicative").values
    changed = values.copy()
    changed[320:] = np.random.default_rng(0).normal(300.0, 50.0, 80)  # the test part only
    assert detect_season(changed) is None and auto_transform(changed, None).name == "diff"  # it would matter
    for transform in ("auto", "sdiff", "log_sdiff"):
        (a, split_a), (b, split_b) = (choose_split(v, config(transform=transform)) for v in (values, changed))
        assert (a.name, a.season, a.reason, split_a) == (b.name, b.season, b.reason, split_b)
        assert a.season == 12
    a, b = (prepare(Series(values=v), config(transform="auto")) for v in (values, changed))
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.y_test, b.y_test)


def test_auto_falls_back_when_a_season_does_not_fit_and_a_named_seasonal_transform_is_refused():
    values = generate("trend_seasonal", length=60, period=12).values
    transform, split = choose_split(values, config(window=24, transform="auto"))
    assert transform.name == "diff" and split.problem is None
    assert "too few for a window of 24" in transform.reason
    _, refused = choose_split(values, config(window=24, transform="sdiff"))  # no raise: a preview shows it
    with pytest.raises(ConfigError, match=r"the transform sdiff cannot be used: after its first season of 12 "
                                          r"steps the training part keeps 33 rows.*shorter window"):
        prepare(Series(values=values), config(window=24, transform="sdiff"))
    assert refused.problem is not None
    assert prepare(Series(values=values), config(window=12, transform="sdiff")).transform.name == "sdiff"


def test_a_named_seasonal_transform_needs_a_season():
    walk = Series(values=generate("random_walk").values)
    with pytest.raises(ConfigError, match="the transform log_sdiff cannot be used: no season was detected"):
        prepare(walk, config(transform="log_sdiff"))
    with pytest.raises(ConfigError, match="fewer than two seasons of 400 steps"):
        prepare(walk, config(transform="sdiff", season_length=400))
