"""The command line: ``python -m lstm_core train ...``, ``python -m lstm_core backtest ...``,
``python -m lstm_core tune ...`` and ``python -m lstm_core generators``.

Every flag maps onto :class:`ExperimentConfig`; bad input exits with status 2 and one line
``error: ...`` on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from lstm_core.config import safe_json
from lstm_core.config.checks import checked_number
from lstm_core.config.fields import CSV_OPTIONS, LIMITS, SETTINGS, Kind, Setting, as_columns, as_text
from lstm_core.config.settings import MAX_CONFIG_BYTES, ExperimentConfig, SourceConfig, parse_units
from lstm_core.data.examples import EXAMPLES
from lstm_core.data.series import GENERATORS
from lstm_core.errors import ConfigError, LSTMLabError
from lstm_core.runs.backtest import EXPANDING, FIXED, LABELS, BacktestResult, BacktestSpec
from lstm_core.search.search import Budget, SearchResult
from lstm_core.search.space import EPOCHS, PATIENCE

EXIT_USAGE = 2
# The settings a search chooses (tune has no flag for them) and those its summary shows.
SEARCHED = ("window", "units", "layers", "dropout", "epochs", "batch_size", "learning_rate", "patience",
            "transform")
SHOWN = ("window", "units", "dropout", "learning_rate", "batch_size", "transform", "season_length")
# How the command line reads a setting's value; argparse names a wrong one ("invalid int value").
_TYPES: dict[Kind, Any] = {Kind.WHOLE: int, Kind.NUMBER: float, Kind.COLUMNS: as_columns}


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
    _add_experiment_flags(train)
    backtest = commands.add_parser(
        "backtest", help="rolling-origin backtest before the test part",
        description="Train the LSTM at several origins before the test part, forecast from each, "
                    "and score it by step ahead next to every yardstick. The test part is never read.")
    _add_experiment_flags(backtest, without=("horizon",))  # --horizon is the backtest's own
    _add_backtest_flags(backtest)
    tune = commands.add_parser(
        "tune", help="search for the best LSTM settings",
        description="Search window, units, layers, dropout, learning rate, batch size and transform "
                    "with Optuna on validation before the test part, then train the best settings and "
                    "score them on the test part once, next to every yardstick.")
    _add_experiment_flags(tune, without=SEARCHED, examples=True)
    _add_tune_flags(tune)
    return parser


def _add_experiment_flags(command: argparse.ArgumentParser, without: tuple[str, ...] = (),
                          examples: bool = False) -> None:
    """The data source, model and output flags that ``train``, ``backtest`` and ``tune`` share, but
    the settings named in ``without``; ``examples`` adds --example."""
    source = command.add_argument_group("data source (default: --generate sine)")
    which = source.add_mutually_exclusive_group()
    if examples:
        which.add_argument("--example", metavar="NAME", choices=list(EXAMPLES),
                           help=f"a bundled example with its settings: {', '.join(EXAMPLES)}")
    which.add_argument("--generate", metavar="KIND", choices=list(GENERATORS),
                       help=f"generate a series: {', '.join(GENERATORS)}")
    which.add_argument("--csv", metavar="PATH", help="read the series from a CSV file")
    for setting in CSV_OPTIONS:
        _add_flag(source, setting, SourceConfig())

    generator = command.add_argument_group("generator parameters (see 'generators')")
    for name, param in _generator_params().items():
        generator.add_argument(f"--{name.replace('_', '-')}", dest=f"gen_{name}", metavar="V",
                               help=param.help)

    model = command.add_argument_group("model and training")
    for setting in SETTINGS:
        if not setting.source and setting.name not in without:
            _add_flag(model, setting, ExperimentConfig())

    output = command.add_argument_group("input and output")
    output.add_argument("--config", metavar="FILE", help="start from a JSON config; flags override it")
    output.add_argument("--json", action="store_true", help="print one JSON object with the results")
    output.add_argument("--quiet", action="store_true", help="no progress lines on stderr")


def _add_backtest_flags(command: argparse.ArgumentParser) -> None:
    spec = BacktestSpec()
    group = command.add_argument_group("backtest")
    group.add_argument("--origins", type=int, metavar="K", default=spec.origins,
                       help=f"forecast origins before the test part; default {spec.origins}")
    group.add_argument("--horizon", dest="backtest_horizon", type=int, metavar="H", default=spec.horizon,
                       help=f"steps forecast from each origin (not the config's horizon past the "
                            f"end); default {spec.horizon}")
    group.add_argument("--fixed-window", action="store_true",
                       help="train on the last points before each origin, as many as the first "
                            "origin has, instead of on everything before it")
    group.add_argument("--reuse-model", action="store_true",
                       help="train the LSTM once, before the first origin, and reuse it at every origin")


def _add_tune_flags(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("search (the seed is --seed)")
    group.add_argument("--trials", type=int, metavar="N", default=None,
                       help=f"most trials; default {Budget().trials} when --minutes is not given")
    group.add_argument("--minutes", type=float, metavar="M", help="most minutes of trials")
    group.add_argument("--epochs", type=int, metavar="N", default=EPOCHS,
                       help=f"most epochs of each trial; default {EPOCHS}")
    group.add_argument("--patience", type=int, metavar="N", default=PATIENCE,
                       help=f"a trial stops after this many epochs without a better validation loss; "
                            f"default {PATIENCE}")


def _add_flag(group: argparse._ArgumentGroup, setting: Setting,
              defaults: ExperimentConfig | SourceConfig) -> None:
    """The setting's flag, its help saying the default; a day order is two flags."""
    default = getattr(defaults, setting.name)
    stated = setting.stored and default not in (None, [], "")  # layers follows --units
    shown = f"; default {as_text(default)}" if stated else ""
    if setting.kind is Kind.DAY_ORDER:
        order = group.add_mutually_exclusive_group()
        order.add_argument(setting.flag, dest=setting.name, action="store_const", const=True,
                           help=setting.help)
        order.add_argument("--monthfirst", dest=setting.name, action="store_const", const=False,
                           help=f"see {setting.flag}")
    elif setting.kind is Kind.CHOICE:
        group.add_argument(setting.flag, choices=setting.choices, help=setting.help + shown)
    else:
        group.add_argument(setting.flag, type=_TYPES.get(setting.kind, str), metavar=setting.metavar,
                           help=setting.help + shown)


def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    config = _base_config(args.config)
    source = config.source
    if getattr(args, "example", None):
        EXAMPLES[args.example].apply_to(config)
    elif args.csv:
        source.kind, source.csv_path = "csv", args.csv
    elif args.generate:
        if source.generator != args.generate:
            source.params = {}
        source.kind, source.generator = "generate", args.generate
    source.params.update(_generator_args(args, source))
    for setting in SETTINGS:
        value = getattr(args, setting.name, None)  # a command may leave a setting out
        if value is not None and setting.stored and setting.kind is not Kind.UNITS:
            setattr(source if setting.source else config, setting.name, value)
    if getattr(args, "units", None) is not None or getattr(args, "layers", None) is not None:
        units = args.units if args.units is not None else config.units[:1]  # [] when it has none
        config.units = parse_units(units, args.layers)
    return config.validate()


def _base_config(path: str | None) -> ExperimentConfig:
    if not path:
        return ExperimentConfig()
    try:
        with open(path, "rb") as handle:  # bytes: the JSON reader says when they are not UTF-8
            text = handle.read(MAX_CONFIG_BYTES + 1)  # one byte more than allowed: refused, unread
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror}") from None
    try:
        return ExperimentConfig.from_json(text)
    except ConfigError as exc:
        raise ConfigError(f"the config file {path} cannot be used: {exc}") from None


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
    print(f"\n{'':<18}{'test RMSE':>12}{'test MAE':>12}")
    print(f"{'LSTM':<18}{summary['test_rmse']:>12.5g}{summary['test_mae']:>12.5g}")
    for name, metrics in (summary["baselines"] | summary["ensembles"]).items():
        print(f"{name:<18}{metrics['rmse']:>12.5g}{metrics['mae']:>12.5g}")
    print(f"\n{summary['verdict']}")
    for note in summary["notes"]:
        print(f"note: {note}")
    forecast = summary["forecast"]
    head = ", ".join(f"{v:.4g}" for v in forecast[:5])
    print(f"forecast ({len(forecast)} steps): {head}{' ...' if len(forecast) > 5 else ''}")


def _stage_printer(stage: str) -> None:
    print(stage, file=sys.stderr, flush=True)


def _print_backtest(result: BacktestResult) -> None:
    """The spec, then per model the RMSE's mean ± spread across origins and its RMSE by step."""
    print(f"backtest: {result.spec.describe()}; origins at t = "
          f"{', '.join(str(o) for o in result.origins)} (test part from t = {result.test_start})")
    steps = range(1, result.spec.horizon + 1)
    print(f"\n{'RMSE':<16}{'mean':>10}{'± std':>10}  by step ahead: " + " ".join(f"{s:>8}" for s in steps))
    for key, (mean, std) in result.summary().items():
        by_step = " ".join(f"{v:>8.4g}" for v in result.rmse_by_step(key))
        print(f"{LABELS.get(key, key):<16}{mean:>10.4g}{std:>10.4g}  {'':>15}{by_step}")
    for note in result.notes:
        print(f"note: {note}")
    print(f"\nwall time: {result.seconds:.1f} s")


def _train(config: ExperimentConfig, args: argparse.Namespace):
    from lstm_core.runs.experiment import run_experiment  # imports TensorFlow: only once input is valid

    return run_experiment(config, progress=None if args.quiet else _progress_printer)


def _backtest(config: ExperimentConfig, args: argparse.Namespace) -> BacktestResult:
    from lstm_core.runs.backtest import run_backtest

    spec = BacktestSpec(args.origins, args.backtest_horizon, FIXED if args.fixed_window else EXPANDING,
                        refit=not args.reuse_model)
    return run_backtest(config, None, spec.validate(), progress=None if args.quiet else _progress_printer,
                        on_stage=None if args.quiet else _stage_printer)


def _tune(config: ExperimentConfig, args: argparse.Namespace) -> SearchResult:
    from lstm_core.search.search import run_search

    trials = Budget().trials if args.trials is None and args.minutes is None else args.trials
    budget = Budget(trials, args.minutes)
    checked_number("epochs", args.epochs, 1, LIMITS["epochs"][1], whole=True)
    checked_number("patience", args.patience, 0, LIMITS["patience"][1], whole=True)
    return run_search(config, budget.validate(), progress=None if args.quiet else _trial_printer,
                      epochs=args.epochs, patience=args.patience)


def _trial_printer(row: dict[str, Any]) -> None:
    score = "" if row["score"] is None else f"  validation RMSE {row['score']:.5g}"
    params = ", ".join(f"{name} {value:.3g}" if isinstance(value, float) else f"{name} {value}"
                       for name, value in row["params"].items())
    print(f"trial {row['number']}: {row['state']}{score}  ({row['seconds']:.1f}s)  {params}",
          file=sys.stderr, flush=True)


def _print_search(result: SearchResult) -> None:
    best = result.best
    print(f"best of {len(result.search.trials())} trials: trial {best.number}, validation RMSE "
          f"{best.score:.5g} ({result.seconds:.1f} s)")
    print(", ".join(f"{name} {as_text(getattr(best.config, name))}" for name in SHOWN))
    _print_summary(result.final)
    choice, spent = result.choice(), result.time_spent()
    print(f"\nthe search's choice (on the validation part): {choice['label']}, test RMSE "
          f"{choice['test_rmse']:.5g}")
    print(f"time: {spent['searching_seconds']:.1f} s searching ({spent['stopped_by_budget']} trials "
          f"stopped by the budget), {spent['final_training_seconds']:.1f} s final training")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "generators":
            _print_generators()
            return 0
        config = config_from_args(args)
        run = {"backtest": _backtest, "tune": _tune}.get(args.command, _train)
        result = run(config, args)
    except LSTMLabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(safe_json.dumps(result.to_dict()))
    elif args.command == "backtest":
        _print_backtest(result)
    elif args.command == "tune":
        _print_search(result)
    else:
        _print_summary(result)
    return 0
