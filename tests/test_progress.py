"""The progress database: schema migration, recording scorecards, and `callcoach progress` on real batch output."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from callcoach.errors import ConfigError
from callcoach.progress import MIGRATIONS, SCHEMA_VERSION, default_db_path, history, open_db, record_card

REPO = Path(__file__).resolve().parents[1]


def _card(file: str, score: float, statuses: dict[str, str], agent: str = "李娜", hints=()) -> dict:
    return {
        "file": file,
        "duration_s": 60.0,
        "language": "zh",
        "agent": agent,
        "company": "瑞丰空调",
        "score": score,
        "checks": {k: {"status": v} for k, v in statuses.items()},
        "findings": [{"rule": "hold"}],
        "signals": {"practice": {"scenario": "install-request", "live_hints": list(hints)}},
    }


def test_default_location_is_the_users_data_folder():
    assert default_db_path({}, "/home/ann") == Path("/home/ann/.local/share/callcoach/progress.sqlite")
    assert default_db_path({"XDG_DATA_HOME": "/data"}, "/home/ann") == Path("/data/callcoach/progress.sqlite")
    assert default_db_path({"APPDATA": "C:/Users/ann/AppData/Roaming"}, "C:/Users/ann").parts[-2:] == (
        "callcoach",
        "progress.sqlite",
    )


def test_a_version_1_database_is_migrated_and_keeps_its_calls(tmp_path):
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    old.execute(
        "INSERT INTO calls (kind, file, agent, at, score) VALUES ('practice', 'a.wav', '李娜', "
        "'2026-11-01T09:00:00+00:00', 55.0)"
    )
    old.execute("INSERT INTO checks VALUES (1, 'hold', 'fail')")
    old.commit()
    old.close()
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    entries = history(db)
    assert [(e.file, e.score, e.checks, e.findings, e.hints) for e in entries] == [
        ("a.wav", 55.0, {"hold": "fail"}, 0, 0)
    ]
    record_card(
        db, _card("b.wav", 80.0, {"hold": "pass"}, hints=[{"at_s": 3.0, "rule": "hold", "text": "x"}]), kind="practice"
    )
    assert [e.hints for e in history(db)] == [0, 1]
    db.close()


def test_recording_the_same_call_again_replaces_it_and_agents_are_kept_apart(tmp_path):
    db = open_db(tmp_path / "p.sqlite")
    record_card(
        db,
        _card("/calls/a.wav", 40.0, {"hold": "fail", "pace": "pass"}),
        kind="practice",
        at="2026-11-01T09:00:00+00:00",
    )
    record_card(
        db,
        _card("/calls/a.wav", 60.0, {"hold": "warn", "pace": "pass"}),
        kind="practice",
        at="2026-11-01T09:00:00+00:00",
    )
    record_card(
        db, _card("/calls/b.wav", 90.0, {"hold": "pass"}, agent="王芳"), kind="batch", at="2026-11-02T09:00:00+00:00"
    )
    assert [(e.file, e.score, e.checks) for e in history(db, agent="李娜")] == [
        ("/calls/a.wav", 60.0, {"hold": "warn", "pace": "pass"})
    ]
    assert [e.agent for e in history(db)] == ["李娜", "王芳"]
    assert db.execute("SELECT count(*) FROM checks").fetchone()[0] == 3  # the replaced call's checks went too
    db.close()


def test_refuses_other_files_and_newer_schemas(tmp_path):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE x (y)")
    con.commit()
    con.close()
    with pytest.raises(ConfigError) as err:
        open_db(other)
    assert "not a callcoach progress database" in str(err.value) and str(other) in str(err.value)
    newer = tmp_path / "newer.sqlite"
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(ConfigError) as err:
        open_db(newer)
    assert "newer" in err.value.problem
    with pytest.raises(ConfigError):
        open_db(tmp_path / "missing.sqlite", create=False)


def test_batch_db_records_every_scored_call_and_progress_shows_them(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("zh_bad_wei", "en_good_support"):
        for suffix in (".wav", ".srt"):
            shutil.copy(REPO / "samples" / f"{name}{suffix}", calls / f"{name}{suffix}")
    db = tmp_path / "progress.sqlite"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(calls),
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(db),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    assert f"2 calls recorded in {db}" in run.stdout
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "batch",
            str(calls),
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(db),
            "-j",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert again.returncode == 0, again.stderr
    con = open_db(db)
    entries = history(con)
    con.close()
    assert len(entries) == 2 and {e.kind for e in entries} == {"batch"}  # a re-run counts nobody twice
    docs = {
        Path(d["file"]).name: d
        for d in (json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out" / "calls").glob("*.json"))
    }
    for e in entries:
        doc = docs[Path(e.file).name]
        assert e.score == doc["score"] and e.checks == {k: v["status"] for k, v in doc["checks"].items()}

    shown = subprocess.run(
        [sys.executable, "-m", "callcoach", "progress", "--db", str(db), "--html", str(tmp_path / "progress.html")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert shown.returncode == 0, shown.stderr
    assert "zh_bad_wei.wav" in shown.stdout and "introduction" in shown.stdout and "score" in shown.stdout
    page = (tmp_path / "progress.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1 + len({c for e in entries for c, s in e.checks.items() if s != "n/a"})
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script" not in page

    missing = subprocess.run(
        [sys.executable, "-m", "callcoach", "progress", "--db", str(tmp_path / "none.sqlite")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert (
        missing.returncode == 2 and missing.stderr.startswith("callcoach: error:") and "none.sqlite" in missing.stderr
    )
