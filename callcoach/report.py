"""Reports stage, files side: ``calls.csv``, ``agents.csv`` and a static HTML report.

Everything here works from result documents: the scorecard JSON
(``Scorecard.to_dict()``) that the batch runner writes per call, or the
``{"file", "error", ...}`` document of a call that could not be scored. So the
report can be rebuilt from ``OUT/calls/*.json`` at any time.

The HTML is rendered by jinja2 with autoescaping on (every text from a
transcript, a file name or a manifest is escaped). Charts and the per-call
timeline are inline SVG drawn server side (their geometry comes from
:mod:`callcoach.report_charts`); the only script is a few inline lines that
sort tables. Nothing is fetched from the network.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from . import __version__
from .batch.store import CALLS_DIR
from .report_charts import bar_chart, histogram, status_chart, timeline
from .rules.base import mmss
from .storage import write_atomic

__all__ = [
    "call_row",
    "write_calls_csv",
    "AgentTally",
    "agent_rows",
    "write_agents_csv",
    "write_report",
    "ReportFiles",
    "mmss",
]

#: Columns of calls.csv that come before the per-check ones.
CALL_COLUMNS = (
    "file",
    "agent",
    "company",
    "language",
    "duration_s",
    "result",
    "error",
    "score",
    "findings",
    "findings_error",
    "findings_warning",
)

#: Calls listed per page of the report: ``index.html`` holds the first page, ``calls-2.html``... the
#: rest, and each agent's calls are on ``agent-NAME-HASH.html`` (paged alike). A page of 500 rows is
#: about 0.5 MB and opens at once; 10,000 calls on one page (10 MB) take a browser many seconds.
CALLS_PER_PAGE = 500
#: Failed calls listed on the index; the rest are in calls.csv and on the pages of calls.
FAILURES_SHOWN = 100

#: Cells starting with these would run as a formula in a spreadsheet: they are prefixed with '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _page_name(doc: dict) -> str:
    key = (doc.get("batch") or {}).get("key")
    if not key:
        key = re.sub(r"[^\w.-]+", "_", Path(str(doc.get("file") or "call")).stem) or "call"
    return key


# --------------------------------------------------------------------------- calls.csv


def _figure_cells(check: str, figures: dict) -> dict[str, Any]:
    """One check's figures as flat cells: numbers and text kept, lists joined, lists of records counted."""
    cells: dict[str, Any] = {}
    for name, value in figures.items():
        if name == "status":
            continue
        column = f"{check}.{name}"
        if value is None or isinstance(value, (bool, int, float, str)):
            cells[column] = value
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                cells[column] = "; ".join(str(v) for v in value)
            else:
                cells[column] = len(value)
    if check == "hold" and isinstance(figures.get("holds"), list):
        limit = figures.get("limit_s")
        holds = [h for h in figures["holds"] if isinstance(h, dict)]
        cells["hold.over_limit"] = sum(1 for h in holds if limit is not None and (h.get("duration_s") or 0) > limit)
        cells["hold.unannounced"] = sum(1 for h in holds if not h.get("announced"))
    return cells


def call_row(doc: dict) -> dict[str, Any]:
    """One flat row of ``calls.csv`` for a result document."""
    findings = [f for f in doc.get("findings") or [] if isinstance(f, dict)]
    row: dict[str, Any] = {
        "file": doc.get("file"),
        "agent": doc.get("agent"),
        "company": doc.get("company"),
        "language": doc.get("language"),
        "duration_s": doc.get("duration_s"),
        "result": "error" if doc.get("error") else "scored",
        "error": doc.get("error"),
        "score": doc.get("score"),
        "findings": None if doc.get("error") else len(findings),
        "findings_error": None if doc.get("error") else sum(f.get("severity") == "error" for f in findings),
        "findings_warning": None if doc.get("error") else sum(f.get("severity") == "warning" for f in findings),
    }
    for check, figures in (doc.get("checks") or {}).items():
        figures = figures if isinstance(figures, dict) else {}
        row[check] = figures.get("status")
        row.update(_figure_cells(check, figures))
    row["json"] = f"{CALLS_DIR}/{_page_name(doc)}.json"
    row["page"] = f"{CALLS_DIR}/{_page_name(doc)}.html"
    return row


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def _columns(rows: list[dict], first: Iterable[str]) -> list[str]:
    columns = list(first)
    seen = set(columns)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                columns.append(key)
    return columns


def write_calls_csv(path: str | Path, rows: list[dict]) -> None:
    """Write ``calls.csv`` (UTF-8 with BOM, so that Excel shows Chinese text; CRLF line ends).

    Columns: :data:`CALL_COLUMNS`, then per check its status (column named
    after the check) and its figures (``check.figure``), then the paths of the
    call's JSON and HTML page.
    """
    columns = _columns(rows, CALL_COLUMNS)
    tail: list[str] = [c for c in ("json", "page") if c in columns]
    columns = [c for c in columns if c not in tail] + tail
    write_atomic(path, _csv_text(columns, rows), encoding="utf-8-sig")


# --------------------------------------------------------------------------- agents.csv

_NUMBERS = re.compile(r"\d+(?:[.:]\d+)*")


def _finding_kind(finding: dict) -> str:
    """A finding with its times and figures blanked, so that the same advice counts as one kind."""
    return f"{finding.get('rule')}: {_NUMBERS.sub('N', str(finding.get('message') or '')).strip()}"


@dataclass
class AgentTally:
    """Running totals for one agent over the batch's calls."""

    agent: str
    calls: int = 0
    failed: int = 0
    audio_s: float = 0.0
    scores: list[float] = field(default_factory=list)
    statuses: dict[str, Counter] = field(default_factory=dict)
    pace: list[float] = field(default_factory=list)
    pace_units: Counter = field(default_factory=Counter)
    holds: int = 0
    holds_over_limit: int = 0
    findings: Counter = field(default_factory=Counter)

    def add(self, doc: dict) -> None:
        self.calls += 1
        if doc.get("error"):
            self.failed += 1
            return
        self.audio_s += float(doc.get("duration_s") or 0.0)
        if isinstance(doc.get("score"), (int, float)):
            self.scores.append(float(doc["score"]))
        for check, figures in (doc.get("checks") or {}).items():
            if isinstance(figures, dict):
                self.statuses.setdefault(check, Counter())[figures.get("status", "n/a")] += 1
        pace = (doc.get("checks") or {}).get("pace") or {}
        if isinstance(pace.get("rate"), (int, float)):
            self.pace.append(float(pace["rate"]))
            self.pace_units[pace.get("unit") or ""] += 1
        hold = (doc.get("checks") or {}).get("hold") or {}
        limit = hold.get("limit_s")
        for h in hold.get("holds") or []:
            self.holds += 1
            if limit is not None and (h.get("duration_s") or 0) > limit:
                self.holds_over_limit += 1
        for f in doc.get("findings") or []:
            if f.get("severity") in ("warning", "error"):
                self.findings[_finding_kind(f)] += 1

    @staticmethod
    def pass_pct(counts: Counter) -> float | None:
        """Share of applicable results (pass, warn, fail) that passed, in percent."""
        applicable = counts["pass"] + counts["warn"] + counts["fail"]
        return round(100.0 * counts["pass"] / applicable, 1) if applicable else None

    def row(self, checks: list[str]) -> dict[str, Any]:
        total: Counter[str] = Counter()
        for counts in self.statuses.values():
            total.update(counts)
        row: dict[str, Any] = {
            "agent": self.agent,
            "calls": self.calls,
            "scored": self.calls - self.failed,
            "failed": self.failed,
            "audio_min": round(self.audio_s / 60.0, 1),
            "mean_score": round(sum(self.scores) / len(self.scores), 1) if self.scores else None,
            "min_score": min(self.scores) if self.scores else None,
            "checks_pass_pct": self.pass_pct(total),
        }
        for check in checks:
            row[f"{check}_pass_pct"] = self.pass_pct(self.statuses.get(check, Counter()))
        row["mean_pace"] = round(sum(self.pace) / len(self.pace), 1) if self.pace else None
        row["pace_unit"] = self.pace_units.most_common(1)[0][0] if self.pace_units else None
        row["holds"] = self.holds
        row["holds_over_limit"] = self.holds_over_limit
        row["top_findings"] = " | ".join(f"{kind} (×{n})" for kind, n in self.findings.most_common(3))
        return row


UNKNOWN_AGENT = "(unknown)"


def agent_rows(tallies: dict[str, AgentTally], checks: list[str]) -> list[dict]:
    """Rows of ``agents.csv``, by agent name (the unknown agent last)."""
    names = sorted(tallies, key=lambda a: (a == UNKNOWN_AGENT, a))
    return [tallies[n].row(checks) for n in names]


def write_agents_csv(path: str | Path, rows: list[dict]) -> None:
    """Write ``agents.csv`` (UTF-8 with BOM): per agent, calls, pass rates, pace, holds, top findings."""
    write_atomic(path, _csv_text(_columns(rows, ["agent"]), rows), encoding="utf-8-sig")


# --------------------------------------------------------------------------- HTML


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("callcoach", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["mmss"] = mmss
    env.filters["num"] = lambda v, digits=1: "–" if v is None else f"{v:.{digits}f}"
    return env


def _figure_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(str(v) for v in value) or "—"
        return f"{len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return ", ".join(str(k) for k in value) or "—"
    return "—" if value is None else str(value)


def _check_rows(doc: dict) -> list[dict]:
    out = []
    for check, figures in (doc.get("checks") or {}).items():
        figures = figures if isinstance(figures, dict) else {}
        details = [(k, _figure_text(v)) for k, v in figures.items() if k not in ("status", "turns", "evidence")]
        out.append({"check": check, "status": figures.get("status", "n/a"), "details": details})
    return out


def _display_names(files: list[str]) -> list[str]:
    """The files' paths relative to the folder they all share (the whole path when they share none)."""
    import os

    folders = [os.path.dirname(os.path.abspath(f)) for f in files if f]
    try:
        base = os.path.commonpath(folders) if folders else ""
    except ValueError:  # different drives
        base = ""
    if base in ("", os.sep):
        return files
    return [os.path.relpath(os.path.abspath(f), base) if f else f for f in files]


def _agent_page_name(agent: str) -> str:
    """A file name for an agent's page: readable where the name allows, unique by a digest."""
    import hashlib

    stem = re.sub(r'[\x00-\x1f<>:"/\\|?*\s#%&]+', "_", agent).strip("._")[:40] or "agent"
    return f"agent-{stem}-{hashlib.sha1(agent.encode('utf-8')).hexdigest()[:8]}.html"


def _paged(rows: list[dict], first: str, pattern: str, per_page: int | None = None) -> list[tuple[dict, list[dict]]]:
    """``rows`` cut into pages of ``per_page``: each page's navigation (links, numbers) and its rows.

    The first page is the file ``first``; page n >= 2 is ``pattern.format(n=n)``.
    """
    per_page = per_page or CALLS_PER_PAGE
    count = max(1, -(-len(rows) // per_page))
    names = [first] + [pattern.format(n=n) for n in range(2, count + 1)]
    out = []
    for i, name in enumerate(names):
        nav = {
            "self": name,
            "number": i + 1,
            "total": len(rows),
            "per_page": per_page,
            "first": i * per_page + 1 if rows else 0,
            "last": min(len(rows), (i + 1) * per_page),
            "prev": names[i - 1] if i else None,
            "next": names[i + 1] if i + 1 < count else None,
            "pages": [{"number": j + 1, "href": n, "current": j == i} for j, n in enumerate(names)],
        }
        out.append((nav, rows[i * per_page : (i + 1) * per_page]))
    return out


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote."""

    index: Path
    calls_csv: Path
    agents_csv: Path
    pages: int
    calls: int
    failed: int


def write_report(out_dir: str | Path, documents: Iterable[dict], title: str = "callcoach: batch report") -> ReportFiles:
    """Write ``calls.csv``, ``agents.csv``, ``index.html``, ``report.css`` and one page per call.

    ``documents`` (the calls' result documents) are read once, one at a
    time, so a batch of thousands of calls is never held in memory whole.
    Per-call pages go to ``OUT/calls/<key>.html`` beside the call's JSON.
    """
    out_dir = Path(out_dir)
    env = _environment()
    page = env.get_template("call.html")
    rows: list[dict] = []
    tallies: dict[str, AgentTally] = {}
    statuses: dict[str, Counter] = {}
    scores: list[float] = []
    failures = []
    audio_s = 0.0
    for doc in documents:
        row = call_row(doc)
        rows.append(row)
        agent = doc.get("agent") or UNKNOWN_AGENT
        tallies.setdefault(agent, AgentTally(agent)).add(doc)
        if doc.get("error"):
            failures.append(row)
        else:
            audio_s += float(doc.get("duration_s") or 0.0)
            if isinstance(doc.get("score"), (int, float)):
                scores.append(float(doc["score"]))
            for check, figures in (doc.get("checks") or {}).items():
                if isinstance(figures, dict):
                    statuses.setdefault(check, Counter())[figures.get("status", "n/a")] += 1
        head = {k: doc.get(k) for k in ("file", "agent", "company", "language", "duration_s", "score", "error")}
        head["name"] = Path(str(doc.get("file") or "call")).name
        head["redactions"] = len(doc.get("redactions") or []) if doc.get("redacted") else None
        html = page.render(
            title=title,
            head=head,
            row=row,
            checks=_check_rows(doc),
            timeline=None if doc.get("error") else timeline(doc),
            turns=(doc.get("transcript") or {}).get("turns") or [],
            findings=doc.get("findings") or [],
            holds=((doc.get("checks") or {}).get("hold") or {}).get("holds") or [],
            version=__version__,
        )
        write_atomic(out_dir / CALLS_DIR / f"{_page_name(doc)}.html", html)
    names = _display_names([str(r.get("file") or "") for r in rows])
    checks = list(statuses)
    agents = agent_rows(tallies, checks)
    write_calls_csv(out_dir / "calls.csv", rows)
    write_agents_csv(out_dir / "agents.csv", agents)
    css = (resources.files("callcoach") / "templates" / "report.css").read_text(encoding="utf-8")
    write_atomic(out_dir / "report.css", css)
    agent_page = {a["agent"]: _agent_page_name(a["agent"]) for a in agents}
    for a in agents:
        a["page"] = agent_page[a["agent"]]
    listed = [
        {**r, "name": n, "agent_page": agent_page.get(r.get("agent") or UNKNOWN_AGENT)} for r, n in zip(rows, names)
    ]
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    pages = _paged(listed, "index.html", "calls-{n}.html")
    written = {"index.html"}
    calls_page = env.get_template("calls.html")
    for nav, chunk in pages[1:]:
        html = calls_page.render(
            title=title,
            heading=f"Calls, page {nav['number']}",
            rows=chunk,
            checks=checks,
            nav=nav,
            agent=None,
            version=__version__,
        )
        write_atomic(out_dir / nav["self"], html)
        written.add(nav["self"])
    by_agent: dict[str, list[dict]] = {}
    for r in listed:
        by_agent.setdefault(r.get("agent") or UNKNOWN_AGENT, []).append(r)
    for a in agents:
        base = agent_page[a["agent"]]
        for nav, chunk in _paged(by_agent.get(a["agent"], []), base, base[: -len(".html")] + "-{n}.html"):
            html = calls_page.render(
                title=title,
                heading=f"Agent {a['agent']}",
                rows=chunk,
                checks=checks,
                nav=nav,
                agent=a,
                version=__version__,
            )
            write_atomic(out_dir / nav["self"], html)
            written.add(nav["self"])
    for stale in [*out_dir.glob("calls-*.html"), *out_dir.glob("agent-*.html")]:  # pages of an earlier, larger run
        if stale.name not in written:
            stale.unlink(missing_ok=True)
    first_nav, first_rows = pages[0]
    index = env.get_template("index.html").render(
        title=title,
        rows=first_rows,
        nav=first_nav,
        agents=agents,
        checks=checks,
        failures=failures,
        failures_shown=FAILURES_SHOWN,
        summary={
            "calls": len(rows),
            "scored": len(rows) - len(failures),
            "failed": len(failures),
            "audio_h": audio_s / 3600.0,
            "mean_score": sum(scores) / len(scores) if scores else None,
        },
        score_chart=bar_chart([(a["agent"], a["mean_score"]) for a in agents]),
        status_chart=status_chart(statuses),
        histogram=histogram(scores),
        generated=generated,
        version=__version__,
    )
    write_atomic(out_dir / "index.html", index)
    return ReportFiles(
        index=out_dir / "index.html",
        calls_csv=out_dir / "calls.csv",
        agents_csv=out_dir / "agents.csv",
        pages=len(rows),
        calls=len(rows),
        failed=len(failures),
    )
