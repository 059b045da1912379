"""compose.yaml: valid by the Compose specification, and wired as the README says: one image for
the app, the Ray head and the workers, the app pointed at the head, every node on one token."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"


def services() -> dict[str, dict]:
    return yaml.safe_load(COMPOSE.read_text())["services"]  # merge keys (<<) resolved


def test_compose_yaml_is_valid_by_the_compose_specification() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_app_the_head_and_the_workers_share_one_image_and_one_token() -> None:
    found = services()
    assert set(found) == {"app", "ray-head", "ray-worker"}
    for name, service in found.items():
        assert service["build"] == ".", name  # the project's Dockerfile, Ray pinned in requirements.txt
        assert service["environment"]["RAY_AUTH_MODE"] == "token", name
        assert service["environment"]["RAY_AUTH_TOKEN"].startswith("${RAY_AUTH_TOKEN:?"), name
    assert re.search(r"^ray==\d", (ROOT / "requirements.txt").read_text(), re.M)


def test_the_app_uses_the_head_and_the_workers_join_it() -> None:
    found = services()
    head = found["ray-head"]["entrypoint"]
    assert head[:3] == ["ray", "start", "--head"] and "--num-cpus=0" in head and "--block" in head
    port = next(arg.split("=")[1] for arg in head if arg.startswith("--port="))
    address = f"ray-head:{port}"
    assert found["app"]["environment"]["LSTM_LAB_RAY_ADDRESS"] == address
    assert "entrypoint" not in found["app"]  # the image's own: serve.py, as `make run`
    assert found["app"]["ports"] == ["8501:8501"]
    worker = found["ray-worker"]["entrypoint"]
    assert worker[:2] == ["ray", "start"] and f"--address={address}" in worker and "--block" in worker
    assert found["ray-worker"]["deploy"]["replicas"] >= 1
