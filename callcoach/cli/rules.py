"""callcoach rules: what each rule checks, why, and what to say instead."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table

from ..errors import ConfigError
from ..rules import ALL, by_id


def add_parser(sub) -> None:
    p = sub.add_parser("rules", help="list the rules, or explain one",
                       description="List the rules callcoach checks, or explain one with `callcoach rules ID`.")
    p.add_argument("rule_id", nargs="?", metavar="ID", help="a rule id from the list")
    p.set_defaults(run=run)


def run(args, console) -> int:
    if args.rule_id:
        module = by_id(args.rule_id)
        if module is None:
            known = ", ".join(m.RULE.id for m in ALL)
            raise ConfigError(f"unknown rule {args.rule_id!r} (known: {known})")
        r = module.RULE
        console.print(f"[bold]{escape(r.id)}[/bold]: {escape(r.title)}")
        console.print(f"[dim]seeds:[/dim] {', '.join(r.seeds)}")
        console.print(f"\n[bold]Why it matters[/bold]\n{escape(r.why)}")
        console.print(f"\n[bold]Example[/bold]\n[red]{escape(r.example)}[/red]")
        console.print(f"\n[bold]Use instead[/bold]\n[green]{escape(r.instead)}[/green]")
        return 0
    table = Table(title="callcoach rules")
    for col in ("id", "title", "seeds"):
        table.add_column(col)
    for module in ALL:
        r = module.RULE
        table.add_row(r.id, escape(r.title), ", ".join(r.seeds))
    console.print(table)
    console.print("Explain one: callcoach rules ID", highlight=False)
    return 0
