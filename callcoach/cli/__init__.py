"""The command line: the only layer that prints or exits.

Each command is a module in this package with ``add_parser(subparsers)`` and
``run(args, console) -> int``. Library errors (:class:`CallcoachError`) become
one line on stderr and exit status 2; nothing else is caught here, so a real
bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from rich.console import Console

from .. import __version__
from ..errors import CallcoachError

#: Command modules, in the order ``--help`` lists them.
COMMANDS = ("transcribe", "score", "batch", "practice", "progress", "devices", "rules", "models")


def _available_commands():
    for name in COMMANDS:
        try:
            yield importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callcoach",
        description="Offline telephone-etiquette coaching: transcribe calls with Vosk and "
        "score them against the training course.",
    )
    parser.add_argument("--version", action="version", version=f"callcoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in _available_commands():
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console = Console()
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(args.run(args, console) or 0)
    except CallcoachError as exc:
        errors.print(f"callcoach: error: {exc.one_line()}", markup=False)
        return 2
    except KeyboardInterrupt:
        errors.print("callcoach: interrupted", markup=False)
        return 130


def run() -> None:  # console-script entry point
    sys.exit(main())
