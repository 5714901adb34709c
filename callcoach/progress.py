"""Progress over sessions: every scored practice session and batch call in a local SQLite database.

The database (the standard library's :mod:`sqlite3`) holds one row per scored
call — a practice session (``kind = "practice"``) or a call scored by
``callcoach batch --db`` (``kind = "batch"``) — with its agent, time, score and
every check's status, plus the live hints a practice session showed. A call is
keyed by its recording's path: scoring the same recording again replaces its
row, so re-running a batch does not count a call twice.

The schema is versioned with SQLite's ``PRAGMA user_version`` and migrated
forward on open (:data:`MIGRATIONS`); a database from a newer callcoach is
refused rather than damaged.

Nothing here prints: :func:`history` returns plain records for the CLI, and
:func:`progress_html` renders the HTML page (inline SVG charts, no network).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ConfigError

__all__ = [
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "default_db_path",
    "open_db",
    "record_card",
    "history",
    "Entry",
    "check_points",
    "progress_html",
    "write_progress_html",
    "record_documents",
    "STATUS_POINTS",
]

#: Each migration takes the schema from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (
    # 1: scored calls and their checks
    """
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('practice', 'batch')),
        file TEXT NOT NULL UNIQUE,
        agent TEXT,
        company TEXT,
        language TEXT,
        scenario TEXT,
        at TEXT NOT NULL,
        duration_s REAL,
        score REAL
    );
    CREATE TABLE checks (
        call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        check_id TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (call_id, check_id)
    );
    CREATE INDEX calls_agent_at ON calls(agent, at);
    """,
    # 2: the live hints a practice session showed, and how many findings each call had
    """
    CREATE TABLE hints (
        call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
        at_s REAL NOT NULL,
        rule TEXT NOT NULL,
        text TEXT NOT NULL
    );
    ALTER TABLE calls ADD COLUMN findings INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Points of a check's status in the charts (n/a is left out).
STATUS_POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def default_db_path(env: Mapping[str, str], home: str | Path) -> Path:
    """Where the progress database lives by default: the user's data folder.

    ``$XDG_DATA_HOME/callcoach/progress.sqlite`` (default ``~/.local/share``);
    on Windows ``%APPDATA%\\callcoach\\progress.sqlite``. ``env`` and ``home``
    are passed in (the CLI gives :data:`os.environ` and :func:`Path.home`).
    """
    if env.get("APPDATA") and not env.get("XDG_DATA_HOME"):
        return Path(env["APPDATA"]) / "callcoach" / "progress.sqlite"
    base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path(home) / ".local" / "share"
    return base / "callcoach" / "progress.sqlite"


def open_db(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating as needed) the progress database.

    Raises
    ------
    ConfigError
        The file is not a callcoach progress database, is from a newer callcoach, or cannot be opened.
    """
    path = Path(path)
    if not create and not path.exists():
        raise ConfigError("no progress database here yet (practise a call or run `callcoach batch --db`)", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path)
        db.execute("PRAGMA foreign_keys = ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"cannot open the progress database: {exc}", path=path) from None
    if version > SCHEMA_VERSION:
        db.close()
        raise ConfigError(
            f"progress database schema {version} is newer than this callcoach's ({SCHEMA_VERSION}); upgrade callcoach",
            path=path,
        )
    if version == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            db.close()
            raise ConfigError("not a callcoach progress database", path=path)
    try:
        for step in range(version, SCHEMA_VERSION):
            with db:
                db.executescript(f"BEGIN; {MIGRATIONS[step]} PRAGMA user_version = {step + 1}; COMMIT;")
    except sqlite3.Error as exc:
        db.close()
        raise ConfigError(f"cannot migrate the progress database: {exc}", path=path) from None
    return db


def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def record_card(
    db: sqlite3.Connection, card: Mapping, *, kind: str, at: str | None = None, scenario: str | None = None
) -> int:
    """Record one scorecard (the public JSON); replaces an earlier row for the same recording.

    Parameters
    ----------
    card : mapping
        A scorecard dict (``Scorecard.to_dict()``, or a batch result document).
    kind : {"practice", "batch"}
    at : str, optional
        ISO 8601 time of the call; default: now (UTC).
    scenario : str, optional
        The practice scenario's name (default: from ``signals.practice``).

    Returns
    -------
    int
        The call's row id.
    """
    practice = (card.get("signals") or {}).get("practice") or {}
    file = str(card.get("file") or "")
    if not file:
        raise ConfigError("a scorecard without a file cannot be recorded")
    with db:
        db.execute("DELETE FROM calls WHERE file = ?", (file,))
        cur = db.execute(
            "INSERT INTO calls (kind, file, agent, company, language, scenario, at, duration_s, score, findings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                file,
                card.get("agent"),
                card.get("company"),
                card.get("language"),
                scenario or practice.get("scenario"),
                at or _now_iso(),
                card.get("duration_s"),
                card.get("score"),
                len(card.get("findings") or []),
            ),
        )
        call_id = int(cur.lastrowid or 0)
        db.executemany(
            "INSERT INTO checks (call_id, check_id, status) VALUES (?, ?, ?)",
            [(call_id, key, check.get("status", "n/a")) for key, check in (card.get("checks") or {}).items()],
        )
        db.executemany(
            "INSERT INTO hints (call_id, at_s, rule, text) VALUES (?, ?, ?, ?)",
            [
                (call_id, h.get("at_s", 0.0), h.get("rule", ""), h.get("text", ""))
                for h in practice.get("live_hints") or []
            ],
        )
    return call_id


def record_documents(db: sqlite3.Connection, documents: Iterable[Mapping], *, kind: str = "batch") -> int:
    """Record every scored document (failed calls, without checks, are skipped); return how many."""
    count = 0
    for doc in documents:
        if doc.get("checks") and doc.get("file"):
            mtime = _file_time(doc["file"])
            record_card(db, doc, kind=kind, at=mtime)
            count += 1
    return count


def _file_time(file: str) -> str | None:
    try:
        stamp = Path(file).stat().st_mtime
    except OSError:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Entry:
    """One recorded call."""

    id: int
    kind: str
    file: str
    agent: str | None
    language: str | None
    scenario: str | None
    at: str
    duration_s: float | None
    score: float | None
    findings: int
    checks: dict[str, str] = field(default_factory=dict)
    hints: int = 0

    @property
    def name(self) -> str:
        """The scenario (practice) or the recording's file name (batch)."""
        return self.scenario or Path(self.file).name


def history(db: sqlite3.Connection, *, agent: str | None = None) -> list[Entry]:
    """Every recorded call (of one agent, if given), oldest first."""
    where, params = ("WHERE agent = ?", (agent,)) if agent else ("", ())
    rows = db.execute(
        f"SELECT id, kind, file, agent, language, scenario, at, duration_s, score, findings FROM calls "
        f"{where} ORDER BY at, id",
        params,
    ).fetchall()
    checks: dict[int, dict[str, str]] = {}
    for call_id, check_id, status in db.execute("SELECT call_id, check_id, status FROM checks"):
        checks.setdefault(call_id, {})[check_id] = status
    hints = dict(db.execute("SELECT call_id, count(*) FROM hints GROUP BY call_id").fetchall())
    return [
        Entry(
            id=row[0],
            kind=row[1],
            file=row[2],
            agent=row[3],
            language=row[4],
            scenario=row[5],
            at=row[6],
            duration_s=row[7],
            score=row[8],
            findings=row[9],
            checks=checks.get(row[0], {}),
            hints=hints.get(row[0], 0),
        )
        for row in rows
    ]


def check_points(entries: list[Entry]) -> dict[str, list[tuple[int, float]]]:
    """Per check, ``(index of the call, points)`` for the calls where it applied (pass 1, warn 0.5, fail 0)."""
    out: dict[str, list[tuple[int, float]]] = {}
    for i, entry in enumerate(entries):
        for check_id, status in entry.checks.items():
            if status in STATUS_POINTS:
                out.setdefault(check_id, []).append((i, STATUS_POINTS[status]))
    return out


def _svg_path(points: list[tuple[int, float]], count: int, width: float, height: float, top: float) -> str:
    """Polyline points of a 0..top series over ``count`` calls, in an SVG box."""
    step = width / max(1, count - 1)
    return " ".join(f"{i * step:.1f},{height - (value / top) * height:.1f}" for i, value in points)


def progress_html(entries: list[Entry], *, agent: str | None, version: str) -> str:
    """The progress page: the score and each check over time as inline SVG charts (no scripts, no network)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("callcoach", "templates"), autoescape=True)
    count = len(entries)
    width, height = 560.0, 80.0
    score_points = [(i, e.score) for i, e in enumerate(entries) if e.score is not None]
    charts = [
        {
            "id": check_id,
            "points": _svg_path(points, count, width, height, 1.0),
            "dots": [(i * width / max(1, count - 1), height - v * height, v) for i, v in points],
            "latest": entries[points[-1][0]].checks[check_id],
        }
        for check_id, points in sorted(check_points(entries).items())
    ]
    return env.get_template("progress.html").render(
        title=f"callcoach progress{' — ' + agent if agent else ''}",
        agent=agent,
        version=version,
        entries=entries,
        width=width,
        height=height,
        charts=charts,
        score_path=_svg_path(score_points, count, width, height, 100.0),
        score_dots=[(i * width / max(1, count - 1), height - s / 100.0 * height, s) for i, s in score_points],
    )


def write_progress_html(path: str | Path, entries: list[Entry], *, agent: str | None, version: str) -> Path:
    """Write :func:`progress_html` to ``path``.

    Raises
    ------
    ConfigError
        The file cannot be written.
    """
    path = Path(path)
    try:
        path.write_text(progress_html(entries, agent=agent, version=version), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the progress page: {exc.strerror}", path=path) from None
    return path
