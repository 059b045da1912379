"""The architecture's import rules, checked: where TensorFlow may be imported, and which way the
arrows go (pages -> ui -> lstm_core; inside lstm_core, data knows nothing of the network and the
network nothing of jobs).

The rules read every import statement of the source (at any depth, lazy ones included); imports
under ``if TYPE_CHECKING:`` are for type hints only and never run, so they are left out. A last
test imports everything the server imports and checks that TensorFlow did not come along.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NETWORK = ("tensorflow", "keras")
# Outside lstm_core/nn these may import it, inside a function that runs in a worker process:
# the experiment runner, the sequence lab's runner, and the worker's preload.
WORKER_ENTRIES = {"lstm_core/runs/experiment.py", "lstm_core/runs/sequence_lab.py",
                  "lstm_core/runs/backtest.py", "lstm_core/jobs/worker.py", "lstm_core/search/trial.py"}
SERVER_SIDE = ("lstm_core", "ui", "pages")


def sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path) -> Iterator[tuple[str, bool]]:
    """Each module ``path`` imports, with whether the import sits at the module's top level."""
    tree = ast.parse(path.read_text(), filename=str(path))

    def walk(node: ast.AST, top: bool) -> Iterator[tuple[str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking_only(child):
                yield from (item for part in child.orelse for item in walk(part, top))
                continue
            if isinstance(child, ast.Import):
                yield from ((alias.name, top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.module, top
                yield from ((f"{child.module}.{alias.name}", top) for alias in child.names)
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            yield from walk(child, inner)

    yield from walk(tree, True)


def offenders(paths: list[Path], forbidden: tuple[str, ...], allowed=lambda path, top: False) -> list[str]:
    found = []
    for path in paths:
        for module, top in imports(path):
            hit = any(module == banned or module.startswith(banned + ".") for banned in forbidden)
            if hit and not allowed(path, top):
                found.append(f"{name(path)} imports {module}")
    return sorted(set(found))


def test_only_lstm_core_nn_imports_tensorflow_or_keras() -> None:
    outside = [path for path in sources(*SERVER_SIDE) if not name(path).startswith("lstm_core/nn/")]
    outside += [ROOT / "app.py", ROOT / "serve.py"]
    assert offenders(outside, NETWORK) == []


def test_the_network_code_is_reached_only_lazily_from_a_worker_entry() -> None:
    outside = [path for path in sources(*SERVER_SIDE) if not name(path).startswith("lstm_core/nn/")]
    outside += [ROOT / "app.py", ROOT / "serve.py"]
    lazy_in_worker_entry = lambda path, top: name(path) in WORKER_ENTRIES and not top  # noqa: E731
    assert offenders(outside, ("lstm_core.nn",), lazy_in_worker_entry) == []


@pytest.mark.parametrize(("folder", "forbidden"), [
    ("lstm_core", ("streamlit", "ui", "pages")),
    ("lstm_core/data", ("lstm_core.nn", "lstm_core.jobs", "lstm_core.runs", "lstm_core.eval",
                        "lstm_core.infer")),
    ("lstm_core/nn", ("lstm_core.jobs", "lstm_core.cli")),
    ("lstm_core/infer", ("lstm_core.jobs", "lstm_core.cli")),
    ("lstm_core/eval", ("lstm_core.jobs", "lstm_core.cli")),
    ("ui", ("pages",)),
])
def test_the_arrows_go_one_way(folder: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(sources(folder), forbidden) == []


def test_the_checker_sees_lazy_imports_and_skips_type_hints(tmp_path: Path) -> None:
    """The rules above can fail: a lazy import is seen, a TYPE_CHECKING one is not."""
    module = tmp_path / "sample.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import keras\n"
                      "def f():\n    import tensorflow as tf\n"
                      "    from lstm_core.nn.build import build_model\n")
    found = dict(imports(module))
    assert "keras" not in found
    assert found["tensorflow"] is False and found["lstm_core.nn.build"] is False


def test_what_the_server_imports_leaves_tensorflow_out() -> None:
    """Every module outside lstm_core/nn, and the app's ui package, imported in a fresh interpreter:
    neither TensorFlow nor the classical models' statsforecast (and its numba) come along."""
    modules = [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in sources("lstm_core", "ui")
               if not name(path).startswith("lstm_core/nn/") and path.name != "__main__.py"]
    modules = [module.removesuffix(".__init__") for module in modules]
    script = ("import importlib, json, sys\n"
              f"for module in {modules!r}:\n    importlib.import_module(module)\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('tensorflow', 'keras', 'statsforecast', 'numba'))))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(modules) > 30
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
