"""Hostile run zips, settings files and links: every import or link row of issue 20's table, and
others of the same kinds. Each is generated in milliseconds; the largest file written is a few
hundred kilobytes, however much it claims to unpack to."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from lstm_core.config.settings import ExperimentConfig, SourceConfig
from lstm_core.infer.architecture import weight_shapes
from lstm_core.runs.export import FORMAT
from tests.hostile.harness import Case
from tests.hostile.zips import DEFLATED, Member, bomb, deflated, packed, stored

MB = 2**20
SMALL = ExperimentConfig(source=SourceConfig(params={"length": 200}), window=5, units=[4], epochs=2)
ROWS = 200


def npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """A version 1.0 .npy header declaring ``shape`` and ``descr``, without the array."""
    return raw_npy_header(f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}")


def raw_npy_header(text: str) -> bytes:
    """A version 1.0 .npy header holding ``text``, padded as numpy pads it."""
    text += " " * (63 - (10 + len(text)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text.encode()


def weights(config: ExperimentConfig = SMALL, scale: float = 0.1) -> list[np.ndarray]:
    generator = np.random.default_rng(0)
    return [scale * generator.standard_normal(shape) for shape in weight_shapes(config, 1)]


def npz(arrays: list[np.ndarray]) -> bytes:
    return packed([stored(f"w{k}.npy", npy(a)) for k, a in enumerate(arrays)])


def data_csv(rows: int = ROWS) -> bytes:
    values = np.sin(np.arange(rows) * 2 * np.pi / 20)
    return ("value\n" + "".join(f"{v:.6f}\n" for v in values)).encode()


def summary(**changes: object) -> bytes:
    record = {"stop_reason": "completed", "message": "", "epochs_run": 2, "best_epoch": 2,
              "fit_seconds": 1.0, "loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}
    return json.dumps({"format": FORMAT, "series_name": "sine", "feature_names": [],
                       "example": None, "transform": "none", "threads": 1, "test_rmse": 0.1,
                       "yardsticks": {}, "training": record} | changes).encode()


def run_files(config: ExperimentConfig = SMALL, **members: bytes) -> dict[str, bytes]:
    """A run bundle's files, those given in ``members`` in place of a sane run's."""
    return {"config.json": config.to_json().encode(), "weights.npz": npz(weights(config)),
            "data.csv": data_csv(), "summary.json": summary()} | members


def zipped(files: dict[str, bytes], *extra: Member) -> bytes:
    return packed([deflated(name, content) for name, content in files.items()] + list(extra))


def write(name: str, content: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content() if callable(content) else content)
        return path

    return build


def bundle_case(name: str, make: Callable[[], bytes]) -> Case:
    return Case(name, "bundle", write("run.zip", make))


def config_case(name: str, make: Callable[[], bytes]) -> Case:
    return Case(name, "config", write("settings.json", make))


def link_case(name: str, params: dict[str, str]) -> Case:
    return Case(name, "link", write("link.json", lambda: json.dumps(params).encode()))


def with_member(replaced: Member, **files: bytes) -> bytes:
    """A run whose file ``replaced.name`` is written as ``replaced`` claims."""
    kept = {k: v for k, v in run_files(**files).items() if k != replaced.name}
    return zipped(kept, replaced)


def settings(**changes: object) -> bytes:
    """A settings file, ``changes`` made to its top level (``source`` merged into the source)."""
    data = SMALL.to_dict()
    data["source"] |= changes.pop("source", {})
    return json.dumps(data | changes).encode()


def csv_settings(**source: object) -> bytes:
    return settings(source={"kind": "csv", "csv_path": "mine.csv", **source})


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def npz_bomb() -> bytes:
    """weights.npz holding 800 MB of compressed zeros (the bundle is a few kilobytes)."""
    zeros = bomb("w0.npy", npy_header((100_000_000,)), bytes(MB), 800)
    inner = packed([zeros] + [stored(f"w{k}.npy", npy(w)) for k, w in enumerate(weights()) if k])
    return zipped(run_files(**{"weights.npz": inner}))


def npz_member_past_its_header() -> bytes:
    """w0.npy declares the shape the model needs, then 16 MB of zeros follow."""
    shape = weight_shapes(SMALL, 1)[0]
    zeros = bomb("w0.npy", npy_header(shape) + bytes(8 * math.prod(shape)), bytes(MB), 16)
    inner = packed([zeros] + [stored(f"w{k}.npy", npy(w)) for k, w in enumerate(weights()) if k])
    return zipped(run_files(**{"weights.npz": inner}))


def npz_replacing(member: Member) -> bytes:
    """A run whose weights.npz has ``member`` in place of its w0.npy."""
    others = [stored(f"w{k}.npy", npy(w)) for k, w in enumerate(weights()) if k]
    return zipped(run_files(**{"weights.npz": packed([member, *others])}))


def lying(name: str, content: bytes, stated: int) -> Member:
    """``content`` deflated, its headers stating ``stated`` bytes unpacked."""
    real = deflated(name, content)
    return Member(name, real.packed, DEFLATED, real.crc, stated)


def many_members(count: int) -> bytes:
    """A run's files and ``count`` empty ones: a table of contents of megabytes."""
    return zipped(run_files(), *(stored(f"x/{k}", b"") for k in range(count)))


def corrupt(name: str) -> Member:
    return Member(name, bytes(range(256)) * 40, DEFLATED, 0, 10_000)


def big_run() -> bytes:
    """100,000 rows and a window of 1000 in a 12 KB zip: 100 million window values."""
    config = ExperimentConfig(source=SourceConfig(params={"length": 200}), window=1000, units=[4])
    return zipped(run_files(config, **{"data.csv": b"value\n" + b"0.5\n0.25\n" * 50_000}))


AIRLINE = {"data": "example", "example": "airline_passengers"}

def run_with(**files: bytes | Callable[[], bytes]) -> Callable[[], bytes]:
    """A sane run's bundle with ``files`` (or what they make) in place of its own
    (``summary_json`` for summary.json)."""
    return lambda: zipped(run_files(**{name.replace("_", "."): content() if callable(content) else content
                                       for name, content in files.items()}))


def w0(member: Member) -> Callable[[], bytes]:
    return lambda: npz_replacing(member)


HOSTILE_HEADER = "__import__('os').system('true')"
def summary_padded() -> bytes:
    return summary()[:-1] + b', "pad": [' + b"0," * 12_000_000 + b"0]}"


SUMMARY_BIG_INT = summary().replace(b'"threads": 1', b'"threads": ' + b"9" * 5000)

CASES: list[Case] = [
    # Run zips
    bundle_case("bundle: a sane run is accepted", lambda: zipped(run_files())),
    bundle_case("bundle: weights.npz of 800 MB compressed zeros", npz_bomb),
    bundle_case("bundle: a .npy holding more than its header says", npz_member_past_its_header),
    bundle_case("bundle: .npy header shape 10^12", w0(stored("w0.npy", npy_header((10**12,))))),
    bundle_case("bundle: .npy header of object dtype", w0(stored("w0.npy", npy_header((1, 16), "|O")))),
    bundle_case("bundle: .npy header that is code", w0(stored("w0.npy", raw_npy_header(HOSTILE_HEADER)))),
    bundle_case("bundle: .npy of version 3", w0(stored("w0.npy", b"\x93NUMPY\x03\x00" + bytes(8)))),
    bundle_case("bundle: npz member with a corrupt deflate stream", w0(corrupt("w0.npy"))),
    bundle_case("bundle: data.csv claims 100 bytes, inflates to 100 MB",
                lambda: with_member(replace(bomb("data.csv", b"value\n", b"1\n" * (MB // 2), 100),
                                            size=100))),
    bundle_case("bundle: data.csv claims 4 GB",
                lambda: with_member(lying("data.csv", data_csv(), 2**32 - 1))),
    bundle_case("bundle: data.csv inflating to 1 GB of '1'",
                lambda: with_member(bomb("data.csv", b"value\n", b"1\n" * (MB // 2), 1024))),
    bundle_case("bundle: summary.json inflating to 1 GB",
                lambda: with_member(bomb("summary.json", b'{"a": "', b"x" * MB, 1024))),
    bundle_case("bundle: corrupt deflate member", lambda: with_member(corrupt("config.json"))),
    bundle_case("bundle: unknown compression method",
                lambda: with_member(Member("config.json", SMALL.to_json().encode(), 99, 0, 300))),
    bundle_case("bundle: bzip2 member",
                lambda: with_member(Member("config.json", b"BZh9" + bytes(60), 12, 0, 300))),
    bundle_case("bundle: encrypted member",
                lambda: with_member(replace(stored("config.json", SMALL.to_json().encode()), flags=1))),
    bundle_case("bundle: 200,000 members", lambda: many_members(200_000)),
    bundle_case("bundle: summary nested 100,000 deep", run_with(summary_json=nested(100_000).encode())),
    bundle_case("bundle: config nested 100,000 deep", run_with(config_json=nested(100_000).encode())),
    bundle_case("bundle: summary with a 5000-digit integer", run_with(summary_json=SUMMARY_BIG_INT)),
    bundle_case("bundle: summary with 12 million zeros", run_with(summary_json=summary_padded)),
    bundle_case("bundle: weights of 1e300", run_with(weights_npz=npz(weights(scale=1e300)))),
    bundle_case("bundle: 100,000 data rows and a window of 1000", big_run),
    bundle_case("bundle: settings max_rows 1e12", run_with(config_json=settings(source={"max_rows": 1e12}))),
    # Settings files
    config_case("settings: nested 100,000 deep", lambda: nested(100_000).encode()),
    config_case("settings: object nested 100,000 deep", lambda: (b'{"a":' * 100_000) + b"1" + b"}" * 100_000),
    config_case("settings: a 5000-digit window", lambda: b'{"window": ' + b"9" * 5000 + b"}"),
    config_case("settings: max_mb NaN", lambda: csv_settings(max_mb=math.nan)),
    config_case("settings: max_rows 1e12", lambda: csv_settings(max_rows=1e12)),
    config_case("settings: max_rows 10**12", lambda: csv_settings(max_rows=10**12)),
    config_case("settings: target {}", lambda: csv_settings(target={})),
    config_case("settings: features holding an object", lambda: csv_settings(features=["a", {}])),
    config_case("settings: window 10.0", lambda: settings(window=10.0)),
    config_case("settings: units [1e400]", lambda: settings(units=[1e400])),
    config_case("settings: units of 5000 digits", lambda: settings(units="9" * 5000)),
    config_case("settings: generator {}", lambda: settings(source={"generator": {}})),
    config_case("settings: params a list", lambda: settings(source={"params": [1, 2]})),
    config_case("settings: generator length 10**12", lambda: settings(source={"params": {"length": 10**12}})),
    config_case("settings: source kind a list", lambda: settings(source={"kind": []})),
    config_case("settings: 2 MB of spaces", lambda: b"{}" + b" " * (2 * MB)),
    config_case("settings: not UTF-8", lambda: b"\xff\xfe{}"),
    config_case("settings: a sane file is accepted", lambda: settings()),
    # Links
    link_case("link: airline resampled to 1min", AIRLINE | {"resample": "1min"}),
    link_case("link: airline resampled to 1ns", AIRLINE | {"resample": "1ns"}),
    link_case("link: airline resampled to 10^12 days", AIRLINE | {"resample": "1000000000000D"}),
    link_case("link: airline resampled to garbage", AIRLINE | {"resample": "%s%n{}"}),
    link_case("link: generator of 200,000 and a window of 1000",
              {"g.length": "200000", "window": "1000", "units": "1", "epochs": "1"}),
    link_case("link: a 5000-digit window", {"window": "9" * 5000}),
    link_case("link: 10,000 layers", {"units": ",".join(["1"] * 10_000)}),
    link_case("link: a 100 KB target", AIRLINE | {"target": "x" * 100_000}),
    link_case("link: 1000 unknown parameters", {f"p{k}": "1" for k in range(1000)}),
    link_case("link: script, path and dunder values",
              {"data": "<script>alert(1)</script>", "example": "../../etc/passwd", "gen": "__class__",
               "g.__init__": "1", "preset": "__proto__", "presenter": "<b>"}),
    link_case("link: example by path", {"data": "example", "example": "../../../etc/passwd"}),
    link_case("link: NaN and infinities", {"learning_rate": "nan", "dropout": "inf", "g.period": "-inf"}),
    link_case("link: upload mode with every option", {"data": "upload", "target": "{}", "features": ",,,",
                                                      "date": "\x00", "decimal": "both"}),
]
