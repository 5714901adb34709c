"""Reports stage, terminal side: the text scorecard as a rich renderable.

Works from the scorecard's JSON dict, so the same view serves a fresh score,
a practice session and a JSON file read back from a batch. Nothing is printed
here: the CLI prints what this returns.
"""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .rules import by_check
from .rules.base import mmss

#: The scorecard's own words; each check's name and figures come from its rule (``RULE.labels``, ``detail``).
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "通话评分",
        "score": "总分",
        "check": "检查项",
        "status": "结果",
        "detail": "要点",
        "findings": "发现与建议",
        "heard": "听到",
        "reply": "回复",
        "say": "建议",
        "none": "没有发现问题。",
        "pass": "通过",
        "warn": "注意",
        "fail": "未通过",
        "n/a": "不适用",
    },
    "en": {
        "title": "Call scorecard",
        "score": "Score",
        "check": "Check",
        "status": "Result",
        "detail": "Figures",
        "findings": "Findings and coaching tips",
        "heard": "heard",
        "reply": "reply",
        "say": "say",
        "none": "No findings.",
        "pass": "pass",
        "warn": "warn",
        "fail": "fail",
        "n/a": "n/a",
    },
}
STATUS_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "n/a": "dim"}
SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "error": "bold red"}


#: Characters of a quoted reply shown in the terminal (the JSON and the HTML report keep it whole).
REPLY_CHARS = 80


def _short(text: str) -> str:
    return text if len(text) <= REPLY_CHARS else text[: REPLY_CHARS - 1].rstrip() + "…"


def _label(key: str, language: str) -> str:
    """A check's name in the scorecard table: its rule's label, else the key itself."""
    rule = by_check(key)
    return rule.RULE.labels.get(language, key) if rule is not None else key


def _detail(key: str, check: dict, language: str) -> str:
    """A check's figures in the scorecard table: its rule's ``detail``, else the first few plain figures."""
    rule = by_check(key)
    shown = getattr(rule, "detail", None)
    text = shown(check, language) if shown is not None else None
    if text is not None:
        return text
    if check.get("status") == "n/a":
        return "—"
    status_free = {k: v for k, v in check.items() if k != "status" and isinstance(v, (int, float, str, bool))}
    return ", ".join(f"{k}={v}" for k, v in list(status_free.items())[:3])


def scorecard_view(card: dict):
    """A rich renderable of a scorecard dict (``Scorecard.to_dict()``)."""
    lang = str(card.get("language")) if card.get("language") in LABELS else "en"
    L = LABELS[lang]
    head = Text()
    head.append(f"{L['title']}: ", style="bold")
    head.append(str(card.get("file") or "(transcript)"))
    if card.get("agent"):
        head.append(f"  · {card['agent']}")
    head.append(f"  · {mmss(card.get('duration_s'))}")
    score = card.get("score")
    head.append(f"\n{L['score']}: ", style="bold")
    head.append(
        "—" if score is None else f"{score:.0f}/100",
        style="bold green" if (score or 0) >= 80 else "bold yellow" if (score or 0) >= 60 else "bold red",
    )
    table = Table(show_header=True, header_style="bold", expand=True)
    table.add_column(L["check"])
    table.add_column(L["status"])
    table.add_column(L["detail"], overflow="fold")
    for key, check in card.get("checks", {}).items():
        status = check.get("status", "n/a")
        table.add_row(
            escape(_label(key, lang)),
            Text(L.get(status, status), style=STATUS_STYLE.get(status, "")),
            escape(_detail(key, check, lang)),
        )
    lines = []
    for f in card.get("findings", []):
        line = Text()
        line.append(f"{mmss(f.get('at_s')) if f.get('at_s') is not None else '  —  '} ", style="dim")
        line.append(f"[{f['rule']}] ", style=SEVERITY_STYLE.get(f["severity"], ""))
        line.append(f["message"])
        if f.get("heard"):
            line.append(f"\n        {L['heard']}: ", style="dim")
            line.append(f"“{f['heard']}”")
        if f.get("reply"):
            line.append(f"\n        {L['reply']}: ", style="dim")
            line.append(f"“{_short(f['reply'])}”")
        if f.get("suggestion"):
            line.append(f"\n        {L['say']}: ", style="green")
            line.append(f["suggestion"])
        lines.append(line)
    body = Group(*lines) if lines else Text(L["none"], style="green")
    return Group(head, table, Panel(body, title=L["findings"], title_align="left"))
