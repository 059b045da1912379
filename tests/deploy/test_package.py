"""The library is an installed package (pyproject.toml): importable from any directory, no
sys.path set-up, with every file it needs."""

import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "lstm_core"


def test_the_library_imports_from_any_directory_and_finds_its_examples(tmp_path: Path) -> None:
    """What the pool's workers and the CLI rely on: `make` installed this tree (editable)."""
    code = ("import lstm_core.jobs.worker, lstm_core.data.examples as e; print(e.__file__); "
            "print(all(example.path.exists() for example in e.EXAMPLES.values()))")
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    module, found = done.stdout.split()
    assert Path(module).is_relative_to(LIBRARY), f"{module}: not these sources; run pip install -e ."
    assert found == "True"


def test_every_file_the_library_needs_is_package_data() -> None:
    """A file besides the code (an example CSV, say) must be declared, or an installed copy lacks it."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for path in LIBRARY.rglob("*"):
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            package = ".".join(path.parent.relative_to(ROOT).parts)
            assert any(fnmatch(path.name, pattern) for pattern in declared.get(package, [])), path
