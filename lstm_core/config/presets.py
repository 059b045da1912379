"""Ready-made setups a presenter picks in one click, each with a two-sentence explanation.

The first four are the set-ups of the tutorials LSTM Lab grew from; the others each show one
lesson on purpose (the figures their texts quote: benchmarks/strategies.py, benchmarks/cells.py).
Every preset is a complete :class:`ExperimentConfig` (the seed included), so training one twice
gives the same numbers, and its link reproduces it anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_core.config.settings import ExperimentConfig, SourceConfig


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    why: str  # two sentences: what the set-up is, and what to look at
    config: ExperimentConfig

    def apply(self) -> ExperimentConfig:
        """A fresh copy of the preset's config, to change freely."""
        return ExperimentConfig.from_dict(self.config.to_dict())


def _sine(**params) -> SourceConfig:
    return SourceConfig(kind="generate", generator="sine", params=params)


# Every preset feeds the model the scaled levels, as the tutorials did (transform "none"): auto
# would pick a seasonal difference for the clean sines and the square wave, and change the lesson.
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "clean_sine",
            "Tutorial: a clean sine, LSTM(10)",
            "A noise-free sine, windows of 50 steps and a single LSTM layer of 10 units trained for "
            "20 epochs in batches of 128. With nothing random to miss, even this small model "
            "follows the wave almost exactly: compare its error with the naive forecast's.",
            ExperimentConfig(source=_sine(noise="none"), window=50, units=[10], epochs=20,
                             batch_size=128, learning_rate=0.01, patience=0, horizon=200, transform="none"),
        ),
        Preset(
            "fading_rollout",
            "Tutorial: LSTM(300) and a 400-step rollout",
            "A sine of period 100 with ±0.05 uniform noise, windows of 25, one LSTM(300) with early "
            "stopping after 20 epochs without progress, then a 400-step recursive forecast. "
            "Watch the forecast: fed its own predictions, the wave's amplitude slowly fades, "
            "as the tutorial found.",
            ExperimentConfig(source=_sine(period=100.0, noise="uniform", noise_level=0.05),
                             window=25, units=[300], epochs=60, batch_size=32, patience=20,
                             horizon=400, transform="none"),
        ),
        Preset(
            "sin_t_lookback_1",
            "Tutorial: sin(t), noise σ = 0.5, look-back 1",
            "sin(t) sampled every 0.1 (a period of 62.83 samples) under heavy Gaussian noise "
            "(σ = 0.5), min-max scaled, and a window of a single step. One noisy value says "
            "little about where the wave goes next: the error stays near the noise level, only "
            "a little below the naive forecast's; try a window of 30 and compare.",
            ExperimentConfig(source=_sine(period=62.83185307179586, noise_level=0.5), window=1,
                             units=[32], scaler="minmax", epochs=30, patience=5, transform="none"),
        ),
        Preset(
            "stacked_dropout",
            "Tutorial: two stacked layers, 100 and 50 units, dropout 0.2",
            "Two LSTM layers, the first passing its whole sequence to the second, with 20% "
            "dropout after each. Dropout also gives the forecast its uncertainty band: each "
            "rollout drops different units, and their spread is drawn around the forecast.",
            ExperimentConfig(source=_sine(), window=50, units=[100, 50], dropout=0.2, epochs=30,
                             patience=5, horizon=200, transform="none"),
        ),
        Preset(
            "direct_no_fade",
            "Lesson: direct forecasts don't fade",
            "The same LSTM(300) sine, but its head has 400 outputs, one per step ahead, each trained "
            "on the true value that far ahead: no step of the forecast is fed a prediction. Its wave "
            "keeps its full height to the last step, where the recursive one ('Tutorial: LSTM(300) and "
            "a 400-step rollout') loses about half; train both and compare them on the Forecast page.",
            ExperimentConfig(source=_sine(period=100.0, noise="uniform", noise_level=0.05),
                             window=25, units=[300], epochs=60, batch_size=32, patience=20,
                             horizon=400, transform="none", strategy="direct"),
        ),
        Preset(
            "window_too_short",
            "Lesson: a window too short to see one period",
            "A square wave of period 50 read through windows of only 5 steps: inside a flat "
            "stretch, nothing in the window says when the next jump comes. Its one-step errors "
            "pile up at every jump and the forecast goes flat; set the window to 60 and train again.",
            ExperimentConfig(source=SourceConfig(kind="generate", generator="square",
                                                 params={"period": 50.0, "noise_level": 0.05}),
                             window=5, units=[32], epochs=40, patience=10, horizon=200,
                             transform="none"),
        ),
        Preset(
            "simpler_network",
            "Lesson: a simpler network does as well",
            "The default noisy sine and settings with a plain RNN instead of the LSTM: no gates, no "
            "cell state and a quarter of the parameters. On this series its test error comes within "
            "5% of the LSTM's; press 'Train as LSTM' on Run history and compare them side by side.",
            ExperimentConfig(cell="rnn"),
        ),
        Preset(
            "overfitting",
            "Lesson: overfitting, a big model on little data",
            "120 noisy samples, two layers of 128 units, no dropout and no early stopping for "
            "200 epochs. The training loss keeps falling while the validation loss turns back up "
            "after about 100 epochs: the model learns the noise; add dropout or patience and "
            "compare the test error.",
            ExperimentConfig(source=_sine(length=120, period=25.0, noise_level=0.4), window=30,
                             units=[128, 128], epochs=200, patience=0, learning_rate=0.005,
                             val_share=0.2, test_share=0.2, horizon=50, transform="none"),
        ),
    )
}
