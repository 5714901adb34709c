"""callcoach progress: the score and each check over time, from the progress database."""

from __future__ import annotations

import os
from pathlib import Path

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..progress import check_points, default_db_path, history, open_db, write_progress_html

_MARKS = {"pass": ("✓", "green"), "warn": ("~", "yellow"), "fail": ("✗", "red"), "n/a": ("·", "dim")}
_BARS = "▁▂▃▄▅▆▇█"


def default_db() -> Path:
    """The progress database in the user's data folder."""
    return default_db_path(os.environ, Path.home())


def add_db_option(p, what: str) -> None:
    p.add_argument(
        "--db", metavar="FILE.sqlite", type=Path, help=f"progress database to {what} (default: {default_db()})"
    )


def add_parser(sub) -> None:
    p = sub.add_parser(
        "progress",
        help="your score and each check over past sessions and calls",
        description="Show the score and each check's result over time, from the progress database "
        "that `callcoach practice` and `callcoach batch --db` write.",
    )
    p.add_argument("--agent", metavar="NAME", help="only this agent's calls (as in --agent / the manifest)")
    add_db_option(p, "read")
    p.add_argument("--html", metavar="PAGE.html", type=Path, help="also write a page with per-check trend charts")
    p.set_defaults(run=run)


def sparkline(values: list[float | None], top: float) -> str:
    """A one-line chart: one bar per value from 0 to ``top`` (a space where there is none)."""
    out = []
    for v in values:
        out.append(" " if v is None else _BARS[min(len(_BARS) - 1, int(v / top * (len(_BARS) - 1) + 0.5))])
    return "".join(out)


def run(args, console) -> int:
    db = open_db(args.db or default_db(), create=False)
    try:
        entries = history(db, agent=args.agent)
    finally:
        db.close()
    if not entries:
        console.print(f"No calls recorded{' for ' + escape(args.agent) if args.agent else ''} yet.", highlight=False)
        return 0
    checks = sorted({c for e in entries for c in e.checks})
    table = Table(title=f"callcoach progress{' — ' + escape(args.agent) if args.agent else ''}")
    for col in ("#", "when", "kind", "agent", "call", "score", "findings", "hints"):
        table.add_column(
            col, justify="right" if col in ("#", "score", "findings", "hints") else "left", overflow="fold"
        )
    for i, e in enumerate(entries, 1):
        table.add_row(
            str(i),
            e.at[:16].replace("T", " "),
            e.kind,
            escape(e.agent or "—"),
            escape(e.name),
            "—" if e.score is None else f"{e.score:.0f}",
            str(e.findings),
            str(e.hints),
        )
    console.print(table)
    chart = Table(title="each check, call by call (oldest first)", show_edge=False)
    chart.add_column("check", style="bold", no_wrap=True)
    chart.add_column("results", no_wrap=True)
    chart.add_column("trend", no_wrap=True)
    chart.add_column("latest", no_wrap=True)
    scores = [e.score for e in entries]
    known = [v for v in scores if v is not None]
    chart.add_row(
        "score",
        Text(" ".join("–" if v is None else f"{v:.0f}" for v in scores[-12:])),
        Text(sparkline(scores, 100.0), style="cyan"),
        f"{known[-1]:.0f}" if known else "—",
    )
    points = check_points(entries)
    for c in checks:
        marks = Text()
        for e in entries:
            mark, style = _MARKS.get(e.checks.get(c, "n/a"), _MARKS["n/a"])
            marks.append(mark, style=style)
        series: list[float | None] = [None] * len(entries)
        for i, v in points.get(c, []):
            series[i] = v
        latest = entries[points[c][-1][0]].checks[c] if points.get(c) else "n/a"
        chart.add_row(c, marks, Text(sparkline(series, 1.0), style="cyan"), latest)
    console.print(chart)
    console.print(
        "✓ pass  ~ warn  ✗ fail  · n/a; trend bars: pass high, warn half, fail low", highlight=False, markup=False
    )
    if args.html:
        page = write_progress_html(args.html, entries, agent=args.agent, version=__version__)
        console.print(f"progress page: {escape(str(page))}", highlight=False, soft_wrap=True)
    return 0
