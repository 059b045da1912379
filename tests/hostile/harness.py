"""Running one hostile input through the app's loaders, in a child process with ceilings.

A :class:`Case` writes its input into a folder (generated, never a committed file);
:func:`run_case` hands it to ``python -m tests.hostile.entry <kind> <path>`` and watches the child:
a time ceiling of :data:`TIME_CEILING_S`, a memory ceiling of :data:`MEMORY_CEILING_MB` (its peak
resident memory, polled from /proc while it runs and reported exactly by the child itself when it
ends; the kernel's ``ru_maxrss`` is not used, as it also counts the parent the child was forked
from, a test process that may hold a gigabyte of TensorFlow) and, as a
safety stop only, an address-space limit of :data:`ADDRESS_SPACE_LIMIT` bytes, high enough for
NumPy, pandas and scikit-learn to import. ``python -m tests.hostile.harness`` prints every case's
outcome, peak memory and time as JSON lines.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("csv", "bundle", "config", "link", "cli", "bits")
TIME_CEILING_S = 20.0
MEMORY_CEILING_MB = 1024
ADDRESS_SPACE_LIMIT = 3 * 2**30
POLL_S = 0.02
# One thread each: a BLAS's per-thread buffers would count against the ceilings, not the input.
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}

Kind = Literal["csv", "bundle", "config", "link", "cli", "bits"]
Result = Literal["refused", "accepted", "crashed", "timeout", "memory"]


@dataclass(frozen=True)
class Case:
    """One hostile input: ``build(folder)`` writes it there and returns its path. ``expect``, when
    given, is what the outcome's message must say (the refusal, or a link's notice)."""

    name: str
    kind: Kind
    build: Callable[[Path], Path]
    expect: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; one of {KINDS}")


@dataclass(frozen=True)
class Outcome:
    kind: Result
    message: str
    peak_mb: float
    seconds: float


def run_case(case: Case, tmp_dir: Path) -> Outcome:
    """The case's input built in ``tmp_dir`` and run through its entry in a watched child."""
    path = case.build(tmp_dir)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.entry", case.kind, str(path)], cwd=ROOT,
            stdout=out, stderr=err, env=os.environ | THREADS, preexec_fn=_limit_address_space,
        )
        status, peak_mb, seconds, stopped = _watch(child)
        out.seek(0)
        err.seek(0)
        return _outcome(status, stopped, out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), peak_mb, seconds)


def _limit_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def _watch(child: subprocess.Popen) -> tuple[int, float, float, Result | None]:
    """Wait for ``child``, killing it past a ceiling: (wait status, peak MB, seconds, ceiling hit)."""
    start, stopped, peak = time.monotonic(), None, 0.0
    while True:
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _peak_mb(child.pid))
        if time.monotonic() - start > TIME_CEILING_S:
            stopped = "timeout"
        elif peak > MEMORY_CEILING_MB:
            stopped = "memory"
        if stopped:
            os.kill(child.pid, signal.SIGKILL)
            _, status = os.waitpid(child.pid, 0)
            break
        time.sleep(POLL_S)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return status, peak, time.monotonic() - start, stopped


def _peak_mb(pid: int) -> float:
    """The child's peak resident memory so far (VmHWM), 0 where /proc cannot tell."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _outcome(status: int, stopped: Result | None, out: str, err: str, peak_mb: float,
             seconds: float) -> Outcome:
    if stopped:
        return Outcome(stopped, f"stopped past the {stopped} ceiling", peak_mb, seconds)
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            said = json.loads(out.strip().splitlines()[-1])
            peak_mb = max(peak_mb, float(said["peak_mb"]))
            return Outcome(said["outcome"], str(said["message"]), peak_mb, seconds)
        except (IndexError, ValueError, KeyError, TypeError):
            return Outcome("crashed", f"no outcome printed: {out[-300:]!r}", peak_mb, seconds)
    last = (err.strip().splitlines() or ["killed by a signal"])[-1]
    return Outcome("memory" if "MemoryError" in last else "crashed", last[:500], peak_mb, seconds)


def all_cases() -> list[Case]:
    """Every ``CASES`` list of the modules ``tests/hostile/cases_*.py``."""
    folder = Path(__file__).parent
    found: list[Case] = []
    for module in sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("cases_")):
        found += importlib.import_module(f"tests.hostile.{module}").CASES
    return found


def main(kinds: list[str]) -> None:
    """Each case's outcome, peak memory and seconds, one JSON object a line (only the cases of
    ``kinds`` when any are named)."""
    cases = [case for case in all_cases() if case.kind in kinds or not kinds]
    with tempfile.TemporaryDirectory() as folder:
        for number, case in enumerate(cases):
            case_dir = Path(folder) / str(number)
            case_dir.mkdir()
            outcome = run_case(case, case_dir)
            row = {"case": case.name, "input": case.kind, **asdict(outcome)}
            row["peak_mb"], row["seconds"] = round(outcome.peak_mb, 1), round(outcome.seconds, 2)
            row["message"] = row["message"][:160]
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
