"""callcoach rules: what each rule checks, why, and what to say instead."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.markup import escape
from rich.table import Table

from ..rules import docs


def add_parser(sub) -> None:
    p = sub.add_parser(
        "rules",
        help="list the rules, or explain one",
        description="List the rules callcoach checks, or explain one with `callcoach rules ID`.",
    )
    p.add_argument("rule_id", nargs="?", metavar="ID", help="a rule id from the list")
    p.set_defaults(run=run)


def run(args, console) -> int:
    if args.rule_id:
        console.print(Markdown(docs.explain(args.rule_id)))
        return 0
    table = Table(title="callcoach rules")
    for col in ("id", "title", "seeds", "weight zh/en"):
        table.add_column(col)
    for row in docs.rule_list():
        weights = "/".join("—" if w is None else f"{w:g}" for w in row["weights"].values())
        table.add_row(row["id"], escape(row["title"]), ", ".join(row["seeds"]), weights)
    console.print(table)
    console.print("Explain one: callcoach rules ID. The course and its sources: docs/course.md", highlight=False)
    return 0
