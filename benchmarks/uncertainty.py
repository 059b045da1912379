"""Time for 100 Monte-Carlo-dropout rollouts of 400 steps, batched, on the default model with dropout."""

import json
import time

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.windows import prepare
from lstm_core.infer.forecast import forecast_band
from lstm_core.infer.numpy_net import NumpyNet
from lstm_core.nn.build import build_model
from lstm_core.runs.experiment import load_series

PATHS, HORIZON = 100, 400


def main() -> None:
    config = ExperimentConfig(dropout=0.2)
    data = prepare(load_series(config.source), config)
    net = NumpyNet.from_model(build_model(config, data.n_features))
    began = time.perf_counter()
    band = forecast_band(net, data, HORIZON, paths=PATHS)
    seconds = time.perf_counter() - began
    print(json.dumps({
        "benchmark": "uncertainty",
        "model": f"default: LSTM({config.units[0]}), window {config.window}, dropout {config.dropout}",
        "paths": band.paths,
        "horizon": HORIZON,
        "seconds": round(seconds, 2),
        "target": "a few seconds",
    }))


if __name__ == "__main__":
    main()
