"""``ecoinspect indicators ...``: the command line of the indicator engine.

Each module in ``SUBCOMMAND_MODULES`` exposes ``register(subparsers)`` and sets ``func=handler(args) -> int``
on its subcommands. Bad input ends with exit code 2 and a bilingual message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import IndicatorInputError

SUBCOMMAND_MODULES = ("ecoinspect.indicators.cli_air", "ecoinspect.indicators.cli_water")
EXIT_BAD_INPUT = 2


def _register_all(subparsers: argparse._SubParsersAction) -> None:
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but one of its imports is missing: a real error
                raise
            continue  # a subcommand module not written yet (work in progress in another branch)
        module.register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecoinspect indicators",
        description="Environmental-quality indicators computed to the letter of the national standards "
        "(HJ 633, HJ 663, GB 3095, GB 3838, CWQI). Input and output: .csv, .xlsx, .parquet.",
    )
    _register_all(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def main(argv: list[str]) -> int:
    """Run one subcommand; returns the exit code (0 ok, 2 bad input or usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, message already printed by argparse)
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else EXIT_BAD_INPUT
    try:
        return int(args.func(args))
    except IndicatorInputError as exc:
        print(f"输入有误 / bad input:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, OSError) as exc:  # bad option values, unwritable output
        print(f"参数或文件有误 / bad option or file: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
