"""The command line: ``python -m lstm_core train ...`` and ``python -m lstm_core generators``.

Every flag maps onto :class:`ExperimentConfig`; bad input exits with status 2 and one line
``error: ...`` on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from lstm_core.config.settings import (
    SCALERS,
    TRANSFORMS,
    ExperimentConfig,
    SourceConfig,
    parse_units,
)
from lstm_core.data.csv.load import DUPLICATE_RULES, MISSING_RULES
from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError, LSTMLabError

EXIT_USAGE = 2

# Settings with a flag of the same name; their help texts explain the trade-off.
MODEL_FLAGS: dict[str, tuple[type, str]] = {
    "window": (int, "past steps the model sees to predict the next one"),
    "dropout": (float, "share of LSTM outputs dropped while training (0 = off)"),
    "epochs": (int, "most passes over the training windows"),
    "batch_size": (int, "windows per gradient step"),
    "learning_rate": (float, "Adam's step size; too high and the loss diverges"),
    "patience": (int, "stop after this many epochs without a better validation loss (0 = off)"),
    "val_share": (float, "share of the series, after training, used for validation"),
    "test_share": (float, "share at the end of the series kept for the test"),
    "season_length": (int, "season for the seasonal-naive baseline (0 = detect)"),
    "horizon": (int, "steps to forecast past the end of the data"),
    "seed": (int, "seed of weights and shuffling: the same seed repeats a run"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise ConfigError(message)


def _generator_params() -> dict[str, Any]:
    """Every generator parameter by name (shared names share one flag)."""
    params: dict[str, Any] = {}
    for generator in GENERATORS.values():
        for param in generator.params:
            params.setdefault(param.name, param)
    return params


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lstm_core", description="LSTM Lab on the command line.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("generators", help="list the series generators and their parameters")
    train = commands.add_parser("train", help="train an LSTM and forecast",
                                description="Train an LSTM on a series and forecast past its end.")

    source = train.add_argument_group("data source (default: --generate sine)")
    which = source.add_mutually_exclusive_group()
    which.add_argument("--generate", metavar="KIND", choices=list(GENERATORS),
                       help=f"generate a series: {', '.join(GENERATORS)}")
    which.add_argument("--csv", metavar="PATH", help="read the series from a CSV file")
    source.add_argument("--target", metavar="COL", help="CSV column to forecast (default: first numeric)")
    source.add_argument("--date-col", metavar="COL",
                        help="CSV column holding the time of each row (default: detected)")
    source.add_argument("--features", metavar="COLS", help="extra CSV columns as inputs, comma separated")
    source.add_argument("--duplicates", choices=DUPLICATE_RULES,
                        help="CSV rows sharing a time: average them (mean, default), keep the last, "
                             "or keep the first and drop the rest (drop)")
    source.add_argument("--missing", choices=MISSING_RULES,
                        help="missing CSV values: interpolate (default), ffill (previous value), "
                             "or drop their rows")
    source.add_argument("--resample", metavar="FREQ",
                        help="resample the CSV series to even steps: auto (the usual step) or a "
                             "pandas frequency such as D, W, MS, h")
    order = source.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="read dates such as 03/04/2021 as day/month")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read dates such as 03/04/2021 as month/day")
    source.add_argument("--max-mb", type=float, metavar="MB", help="largest CSV file read (default 50)")
    source.add_argument("--max-rows", type=int, metavar="N", help="most CSV rows read (default 1000000)")

    generator = train.add_argument_group("generator parameters (see 'generators')")
    for name, param in _generator_params().items():
        generator.add_argument(f"--{name.replace('_', '-')}", dest=f"gen_{name}", metavar="V",
                               help=param.help)

    model = train.add_argument_group("model and training")
    model.add_argument("--units", help="LSTM units: one number for every layer, or one per layer (100,50)")
    model.add_argument("--layers", type=int, help="number of stacked LSTM layers")
    for name, (kind, text) in MODEL_FLAGS.items():
        model.add_argument(f"--{name.replace('_', '-')}", type=kind, metavar="N", help=text)
    model.add_argument("--transform", choices=TRANSFORMS,
                       help="target transform; auto picks diff when the training part trends")
    model.add_argument("--scaler", choices=SCALERS, help="scaler fitted on the training part")

    output = train.add_argument_group("input and output")
    output.add_argument("--config", metavar="FILE", help="start from a JSON config; flags override it")
    output.add_argument("--json", action="store_true", help="print one JSON object with the results")
    output.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser


def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    config = _base_config(args.config)
    source = config.source
    if args.csv:
        source.kind, source.csv_path = "csv", args.csv
    elif args.generate:
        if source.generator != args.generate:
            source.params = {}
        source.kind, source.generator = "generate", args.generate
    for attr in ("target", "date_col", "duplicates", "missing", "resample", "dayfirst", "max_mb", "max_rows"):
        if getattr(args, attr) is not None:
            setattr(source, attr, getattr(args, attr))
    if args.features:
        source.features = [f.strip() for f in args.features.split(",") if f.strip()]
    source.params.update(_generator_args(args, source))
    for name in MODEL_FLAGS:
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    for name in ("transform", "scaler"):
        if getattr(args, name) is not None:
            setattr(config, name, getattr(args, name))
    if args.units is not None or args.layers is not None:
        units = args.units if args.units is not None else config.units[0]
        config.units = parse_units(units, args.layers)
    return config.validate()


def _base_config(path: str | None) -> ExperimentConfig:
    if not path:
        return ExperimentConfig()
    try:
        with open(path, encoding="utf-8") as handle:
            return ExperimentConfig.from_json(handle.read())
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None


def _generator_args(args: argparse.Namespace, source: SourceConfig) -> dict[str, str]:
    given = {name: value for name, value in vars(args).items()
             if name.startswith("gen_") and value is not None}
    if given and source.kind == "csv":
        flags = ", ".join(f"--{n[4:].replace('_', '-')}" for n in given)
        raise ConfigError(f"{flags} set(s) a generator parameter, but the data come from --csv")
    accepted = {p.name for p in GENERATORS[source.generator].params}
    wrong = [n[4:] for n in given if n[4:] not in accepted]
    if wrong:
        raise ConfigError(
            f"the '{source.generator}' generator has no parameter "
            f"{', '.join('--' + w.replace('_', '-') for w in wrong)}; it takes "
            f"{', '.join('--' + a.replace('_', '-') for a in sorted(accepted))}"
        )
    return {name[4:]: value for name, value in given.items()}


def _print_generators() -> None:
    for generator in GENERATORS.values():
        print(f"{generator.name}: {generator.description}")
        for p in generator.params:
            flag = "--" + p.name.replace("_", "-")
            print(f"  {flag:<14} {p.help} (default {p.default})")


def _progress_printer(event) -> None:
    val = "" if event.val_loss is None else f"  val_loss {event.val_loss:.5f}"
    print(f"epoch {event.epoch}/{event.epochs}  loss {event.loss:.5f}{val}  ({event.seconds:.1f}s)",
          file=sys.stderr, flush=True)


def _print_summary(result) -> None:
    summary = result.to_dict()
    report = result.data.series.report
    if report is not None:
        print("\n".join(report.lines()))
    print(result.data.describe())
    print(result.training.message)
    print(f"\n{'':<16}{'test RMSE':>12}{'test MAE':>12}")
    print(f"{'LSTM':<16}{summary['test_rmse']:>12.5g}{summary['test_mae']:>12.5g}")
    for name, metrics in summary["baselines"].items():
        print(f"{name:<16}{metrics['rmse']:>12.5g}{metrics['mae']:>12.5g}")
    print(f"\n{summary['verdict']}")
    for note in summary["notes"]:
        print(f"note: {note}")
    forecast = summary["forecast"]
    head = ", ".join(f"{v:.4g}" for v in forecast[:5])
    print(f"forecast ({len(forecast)} steps): {head}{' ...' if len(forecast) > 5 else ''}")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "generators":
            _print_generators()
            return 0
        config = config_from_args(args)
        from lstm_core.runs.experiment import run_experiment  # imports TensorFlow: only once input is valid

        result = run_experiment(config, progress=None if args.quiet else _progress_printer)
    except LSTMLabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        _print_summary(result)
    return 0

