"""Start the real app and a real browser: shared by the browser tests and the benchmarks.

The app runs as `make run` runs it (``serve.py``) on a free loopback port; the browser is Debian's
chromium driven by Playwright, which never downloads a browser of its own.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    seconds_to_healthy: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                return reply.status == 200
        except OSError:
            return False

    wait_until(healthy, SERVER_START_TIMEOUT, interval=0.05, message="streamlit did not become healthy")


@contextlib.contextmanager
def running_app(log_path: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A fresh server started as `make run` starts it (serve.py) on a free port, stopped on exit.

    ``options`` are more Streamlit options, e.g. "--server.disconnectedSessionTTL", "1"; ``env``
    more environment variables, e.g. LSTM_LAB_RAY_ADDRESS.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "serve.py", "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false", *options]
    with log_path.open("w") as log:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, **(env or {})))
        try:
            _wait_healthy(url, process)
            yield Server(url, process, time.monotonic() - started)
        finally:
            process.terminate()
            process.wait(timeout=20)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def tensorflow_loaded(process: subprocess.Popen) -> bool:
    """Whether the process has TensorFlow's library mapped, i.e. has imported it."""
    maps = Path(f"/proc/{process.pid}/maps").read_text()
    return "_pywrap_tensorflow" in maps or "libtensorflow" in maps


def resident_mb(process_id: int) -> float:
    for line in Path(f"/proc/{process_id}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS line")


def worker_pids(process: subprocess.Popen) -> list[int]:
    """The server's training processes (lstm_core.jobs.worker), found by their parent and command."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == process.pid and b"lstm_core.jobs.worker" in command:
            found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
