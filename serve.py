"""Start LSTM Lab's server: `python serve.py [streamlit options]` = `streamlit run app.py ...`.

The difference: the modules the pages need (the ui package, plotly, lstm_core without
TensorFlow) are imported here, before the server accepts connections, instead of during the
first visitor's first page. `make run` and the Docker image start the app this way.
"""

import gc
import importlib
import pkgutil
import sys
from pathlib import Path

from streamlit.web import cli

ROOT = Path(__file__).resolve().parent


def preload() -> None:
    import plotly.graph_objects  # noqa: F401  (every page draws with it)

    import ui

    for module in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"ui.{module.name}")


if __name__ == "__main__":
    # Many sessions' scripts run in threads beside the event loop that serves pages; a shorter
    # GIL switch interval (5 ms by default) lets the loop in sooner, so pages load quickly.
    sys.setswitchinterval(0.001)
    preload()
    # What is loaded now lives as long as the server: frozen, it is skipped by every garbage
    # collection to come (the training pool runs a full one every few seconds while trainings
    # run, and each holds the interpreter lock for as long as it scans).
    gc.collect()
    gc.freeze()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
