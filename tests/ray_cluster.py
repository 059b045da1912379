"""A real Ray cluster on this machine for the tests: ``ray start --head`` on a free port, the
repository on its workers' path (they unpickle the tests' stand-in trainings by name), and
``ray stop`` at the end. The test process connects to it as the server would, through
``LSTM_LAB_RAY_ADDRESS``'s value.

Use the ``ray_address`` fixture (tests/conftest.py), session-scoped: the cluster starts once, for
the first test that asks for it, in a few seconds. Its token (Ray's token authentication) is
set in this process's environment when this module is imported, as a server's would be.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAY = Path(sys.executable).with_name("ray")
# Ray's token authentication, with a token of this process's own for every cluster it starts:
# the process (the server's stand-in) connects with it. Set on import, before Ray's own import
# reads it.
os.environ.setdefault("RAY_AUTH_MODE", "token")
os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
CPUS = 3  # more than the cores: a search job on one and two trials at once beside it


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ray(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> None:
    subprocess.run([str(RAY), *args], env=env, check=True, timeout=timeout, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@contextmanager
def local_ray_cluster(cpus: int = CPUS, **environment: str) -> Iterator[str]:
    """Start a one-node Ray cluster with ``cpus`` CPUs, its processes given ``environment`` too;
    yield its address; stop it."""
    port = _free_port()
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path, RAY_USAGE_STATS_ENABLED="0", **environment)
    _ray("start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1", f"--num-cpus={cpus}",
         "--include-dashboard=false", "--disable-usage-stats", env=env)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        import ray

        ray.shutdown()
        _ray("stop", "--force", env=env)


def launcher_for(engine: str, request: pytest.FixtureRequest):
    """The pool's launcher for ``engine`` ("local" or "ray"); "ray" connects to the session's
    cluster (the ``ray_address`` fixture), starting it if it is not up yet."""
    from lstm_core.jobs.pool import LocalProcesses

    if engine == "ray":
        from lstm_core.jobs.ray_engine import RayCluster

        return RayCluster(request.getfixturevalue("ray_address"))
    return LocalProcesses()
