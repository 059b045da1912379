"""Hostile inputs of issue 26: config files given to the command line, a summed-sines generator
asked for hundreds of waves (by a link, an imported settings file and the command line), and a
sequence of a million bits typed into the sequence lab. Each must end in one clear sentence,
within the harness's ceilings; ``expect`` holds what that sentence says."""

from __future__ import annotations

import json

from lstm_core.data.series import MAX_WAVES
from lstm_core.data.sum_task import MAX_BITS
from tests.hostile.cases_import import settings, write
from tests.hostile.harness import Case


def waves(count: int) -> str:
    """``count`` periods (or amplitudes) of one digit each: 500 of them fit a link's 1,000 characters."""
    return ",".join(str(2 + k % 8) for k in range(count))


def multi_sine(count: int, length: int = 200_000) -> dict[str, object]:
    return {"generator": "multi_sine",
            "params": {"length": length, "periods": waves(count), "amplitudes": waves(count)}}


def multi_sine_link(count: int) -> dict[str, str]:
    """The link's query: ``count`` waves over 200,000 points (500 of them make a 2 KB link)."""
    return {"gen": "multi_sine", "g.length": "200000", "g.periods": waves(count),
            "g.amplitudes": waves(count)}


def cli_case(name: str, content: bytes, expect: str) -> Case:
    return Case(name, "cli", write("config.json", content), expect)


def config_case(name: str, content: bytes, expect: str) -> Case:
    return Case(name, "config", write("settings.json", content), expect)


def link_case(name: str, params: dict[str, str], expect: str) -> Case:
    return Case(name, "link", write("link.json", json.dumps(params).encode()), expect)


def bits_case(name: str, text: str, expect: str) -> Case:
    return Case(name, "bits", write("bits.txt", text.encode()), expect)


TOO_MANY = f"more than the {MAX_WAVES} allowed"
TOO_MUCH_WORK = "values to compute, more than the 5,000,000 a series may take"

CASES: list[Case] = [
    # The command line's --config
    cli_case("cli: params a list", settings(source={"params": [1, 2]}),
             "the generator's parameters must be an object of names and values"),
    cli_case("cli: generator {}", settings(source={"generator": {}}), "unknown generator {}; choose one of"),
    cli_case("cli: generator unknown", settings(source={"generator": "nope"}), "unknown generator 'nope'"),
    cli_case("cli: a CSV path that is a number", settings(source={"kind": "csv", "csv_path": 5}),
             "the CSV file's path must be text, got 5"),
    cli_case("cli: a binary file", bytes(range(256)) * 4, "is not text (UTF-8)"),
    cli_case("cli: a list, not an object", b"[1, 2]", "a config must be a JSON object"),
    cli_case("cli: 2,000 waves of 200,000 points", settings(source=multi_sine(2000)),
             f"periods holds 2,000 values, {TOO_MANY}"),
    cli_case("cli: 50 waves of 200,000 points", settings(source=multi_sine(MAX_WAVES)), TOO_MUCH_WORK),
    # A link and an imported settings file
    link_case("link: multi_sine of 500 waves and 200,000 points", multi_sine_link(500),
              f"periods holds 500 values, {TOO_MANY}"),
    link_case("link: multi_sine of 30 waves and 200,000 points", multi_sine_link(30), TOO_MUCH_WORK),
    config_case("settings: multi_sine of 100,000 waves", settings(source=multi_sine(100_000)),
                f"periods holds 100,000 values, {TOO_MANY}"),
    config_case("settings: multi_sine of 50 waves and 200,000 points", settings(source=multi_sine(MAX_WAVES)),
                TOO_MUCH_WORK),
    config_case("settings: multi_sine of 25 waves and 200,000 points is accepted",
                settings(source=multi_sine(25)), "window 5"),
    # The sequence lab's "Then continue with"
    bits_case("sequence lab: 1,000,000 bits", "1" * 1_000_000, f"at most {MAX_BITS:,} bits"),
    bits_case("sequence lab: 1,001 bits, comma separated", ",".join("1" * (MAX_BITS + 1)),
              f"at most {MAX_BITS:,} bits, got {MAX_BITS + 1:,}"),
    bits_case("sequence lab: 1,000 bits are accepted", ", ".join("10" * (MAX_BITS // 2)),
              f"{MAX_BITS} bits: the model's total"),
]
