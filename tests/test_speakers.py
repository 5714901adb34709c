"""Telling the agent from the customer on one-channel calls (issue 11), through the real engines.

Calls are synthesised with espeak-ng (two voice variants), laid out by
``samples/make_samples.py``'s renderer in stereo, and mixed down to mono; the
truth is where the script placed each line. ASR is the real Vosk engine with
the Korean test model; x-vectors come from the real ``vosk-model-spk-0.4``
(fetched with npm, see tests/speaker_model.py).
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import speaker_calls
from speaker_calls import Condition, VoiceVariant, speaker_accuracy, transcript_json

from callcoach import models
from callcoach.packs import load_pack
from callcoach.rules.base import Call
from callcoach.scoring import CallSetup, score_call
from callcoach.transcript import Transcript, Turn

DISTINCT = Condition("distinct", VoiceVariant("f3", 60, 150), VoiceVariant("m3", 35, 165), "distinct")


def _short_script():
    ms = speaker_calls.samples_module()
    return ms.CallScript(
        name="spk_short",
        lang="zh",
        samplerate=16000,
        layout="stereo",
        agent="李明",
        company="星河物业",
        region="cn",
        ring_onset_s=0.5,
        answer_after_s=7.0,
        intro=ms.INTRO_ALL,
        agent_voice=ms.Voice(60, 150),
        customer_voice=ms.Voice(35, 165),
        lines=[
            ms.A("您好，星河物业，我是李明，请问有什么可以帮您？"),
            ms.C("我家厨房的水管漏水了，一直在滴水。"),
            ms.A("请问您的地址是哪里？"),
            ms.C("阳光花园三栋二单元五零一。"),
            ms.A("好的，我们明天上午九点派师傅上门维修。"),
            ms.C("好的，谢谢你。"),
        ],
    )


@pytest.fixture(scope="module")
def short_call(tmp_path_factory):
    """A 25-second two-speaker call with ringback: stereo file, mono file, truth utterances."""
    from synth import has_espeak

    if not has_espeak():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    ms = speaker_calls.samples_module()
    script = _short_script()
    original = ms._speak
    ms._speak = speaker_calls._speak_variant
    try:
        script = dataclasses.replace(script, agent_voice=DISTINCT.agent, customer_voice=DISTINCT.customer)
        frames, _, truth = ms.render(script, 0)
    finally:
        ms._speak = original
    folder = tmp_path_factory.mktemp("speakers")
    stereo, mono = folder / "call_stereo.wav", folder / "call_mono.wav"
    sf.write(stereo, frames, script.samplerate)
    sf.write(mono, np.clip(frames.sum(axis=1), -1, 1), script.samplerate)
    utterances = [{k: u[k] for k in ("speaker", "start_s", "end_s", "transcript")} for u in truth["utterances"]]
    return {"stereo": stereo, "mono": mono, "utterances": utterances, "script": script, "folder": folder}


def _turn_accuracy(turns, utterances) -> float:
    """Share of the truth's speech time covered by turns of the right speaker."""
    segments = [[t.start_s, t.end_s, t.speaker, t.speaker_confidence] for t in turns]
    return speaker_accuracy(segments, utterances)["right"]


def test_mono_call_through_vosk_gets_turns_per_speaker_with_the_agent_right(engine, speaker_model, short_call):
    transcript = engine.transcribe(short_call["mono"], speaker_model=str(speaker_model), names=("星河物业", "李明"))
    assert transcript.speakers["method"] == "voice"
    assert transcript.speakers["embedder"] == "vosk-model-spk-0.4"
    speakers = {t.speaker for t in transcript.turns}
    assert {"agent", "customer"} <= speakers
    assert transcript.turns[0].speaker == "agent"  # the one who picks up speaks first
    assert all(t.speaker_confidence is not None and 0.0 <= t.speaker_confidence <= 1.0 for t in transcript.turns)
    # turns follow the speakers: no turn runs across a change of speaker in the truth
    assert _turn_accuracy(transcript.turns, short_call["utterances"]) >= 0.7
    # the JSON carries the labels, their confidence and how they were found
    data = transcript.to_dict()
    assert data["speakers"]["method"] == "voice" and "speaker_confidence" in data["turns"][0]


def test_model_free_embedder_separates_the_same_call_without_the_speaker_model(engine, short_call):
    transcript = engine.transcribe(short_call["mono"], speaker_model="spectral", names=("星河物业", "李明"))
    assert transcript.speakers["embedder"] == "spectral"
    assert transcript.turns[0].speaker == "agent"
    assert _turn_accuracy(transcript.turns, short_call["utterances"]) >= 0.8


def test_stereo_keeps_the_channel_split(engine, short_call):
    transcript = engine.transcribe(short_call["stereo"])
    assert transcript.speakers == {"method": "channels", "agent_channel": "left"}
    assert all(t.speaker_confidence is None for t in transcript.turns)
    for turn in transcript.turns:  # every turn lies inside its own side's lines
        mid = 0.5 * (turn.start_s + turn.end_s)
        owner = [u["speaker"] for u in short_call["utterances"] if u["start_s"] - 0.5 <= mid <= u["end_s"] + 0.5]
        assert owner == [turn.speaker]


def test_speakers_none_leaves_mono_turns_unknown(engine, short_call):
    transcript = engine.transcribe(short_call["mono"], speakers="none")
    assert transcript.turns and {t.speaker for t in transcript.turns} == {"unknown"}
    assert transcript.speakers is None


def _write_transcript(call, folder: Path, labelled: bool) -> Path:
    synth = speaker_calls.SynthCall(
        name="x",
        condition=DISTINCT,
        lang="zh",
        samplerate=16000,
        stereo=None,
        mono=np.zeros(26 * 16000, np.float32),
        utterances=call["utterances"],
        truth={},
        agent="李明",
        company="星河物业",
        region="cn",
        ring_s=None,
    )
    path = folder / ("labelled.json" if labelled else "unlabelled.json")
    path.write_text(json.dumps(transcript_json(synth, labelled), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("embedder", ["spectral", "vosk"])
def test_imported_unlabelled_transcript_gets_speakers_from_the_audio(short_call, speaker_model, embedder, engine):
    setup = CallSetup(
        company="星河物业", agent="李明", speaker_model="spectral" if embedder == "spectral" else str(speaker_model)
    )
    mono = score_call(
        short_call["mono"],
        transcript_path=_write_transcript(short_call, short_call["folder"], False),
        setup=setup,
        engine=engine,
    )
    stereo = score_call(
        short_call["stereo"], transcript_path=_write_transcript(short_call, short_call["folder"], True), setup=setup
    )
    record = mono.to_dict()["signals"]["speakers"]
    assert record["method"] == "voice"
    assert record["embedder"] == ("spectral" if embedder == "spectral" else "vosk-model-spk-0.4")
    assert stereo.to_dict()["signals"]["speakers"] == {"method": "transcript labels"}
    got = [t.speaker for t in mono.transcript.turns]
    truth = [u["speaker"] for u in short_call["utterances"]]
    # each line gets its own speaker, or "unknown" when the voice is too unsure: never the other side
    assert all(g in (t, "unknown") for g, t in zip(got, truth)) and len(got) == len(truth)
    assert got.count("unknown") <= 1 and got[0] == "agent"
    # the checks on the mix agree with the labelled stereo call
    for key in ("answer", "introduction", "pace", "5w2h"):
        assert mono.checks[key].status == stereo.checks[key].status, key
    assert abs(mono.checks["answer"].figures["answer_s"] - stereo.checks["answer"].figures["answer_s"]) <= 0.5
    assert mono.checks["introduction"].figures == stereo.checks["introduction"].figures


def test_separation_of_distinct_voices_on_the_signal(short_call):
    from callcoach import audio, speakers

    separation = speakers.separate_file(short_call["mono"])
    turns = [
        Turn(speaker="unknown", start_s=u["start_s"], end_s=u["end_s"], text=u["transcript"])
        for u in short_call["utterances"]
    ]
    _, info = speakers.label_turns(turns, separation, "zh", ("星河物业", "李明"))
    assert separation.ring_end_s is not None  # the ringback is heard and left out
    assert info["agent_evidence"]["first_after_pickup"] == "agent"
    assert speaker_accuracy(info["segments"], short_call["utterances"])["right"] >= 0.95
    assert audio.info(short_call["mono"]).channels == 1


def test_unknown_turns_are_not_the_agents_words():
    turns = (
        Turn("agent", 1.0, 3.0, "您好，星河物业"),
        Turn("unknown", 3.2, 3.5, "嗯"),
        Turn("customer", 4.0, 6.0, "我家水管漏水了"),
    )
    call = Call(
        transcript=Transcript(turns=turns), language="zh", pack=load_pack("zh"), setup=CallSetup(), duration_s=7.0
    )
    assert [t.text for t in call.agent_turns] == ["您好，星河物业"]


def test_speakers_channels_on_a_mono_file_is_a_clear_error(short_call):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "callcoach",
            "score",
            str(short_call["mono"]),
            "--transcript",
            str(_write_transcript(short_call, short_call["folder"], False)),
            "--speakers",
            "channels",
        ],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 2
    assert "call_mono.wav" in run.stderr and "two-channel" in run.stderr


def test_speaker_model_is_registered_and_installs_from_a_zip(speaker_model, tmp_path):
    _, specs = models.registry()
    spec = specs["vosk-model-spk-0.4"]
    assert spec.kind == "speaker" and spec.zip_bytes == 13869103
    assert spec.sha256 == "a74d8f51144484813e16af689bb0f916b7a111e2347f467c4933c1166097b5a7"
    archive = tmp_path / "vosk-model-spk-0.4.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(speaker_model.iterdir()):
            zf.write(f, f"vosk-model-spk-0.4/{f.name}")
    dest = tmp_path / "models"
    dest.mkdir()
    installed = models.safe_extract(archive, dest, kind="speaker")
    assert models.is_speaker_model_dir(installed)
    assert models.resolve_speaker_model(str(installed)) == installed
    assert models.resolve_speaker_model("spectral") is None
    with pytest.raises(models.ModelError, match="not a Vosk speaker model"):
        models.resolve_speaker_model(str(tmp_path))
    # the default speech model is never the speaker model
    assert all(s.kind == "asr" for n, s in specs.items() if s.language == "zh")


def test_speaker_model_fetch_says_why_it_failed_without_npm(tmp_path, monkeypatch):
    import speaker_model

    monkeypatch.setenv("CALLCOACH_TEST_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm here
    with pytest.raises(speaker_model.SpeakerModelUnavailable, match="npm is not installed"):
        speaker_model.fetch_speaker_model()


def test_a_cached_speaker_model_with_a_wrong_file_is_fetched_again(speaker_model, tmp_path, monkeypatch):
    import shutil as sh

    import speaker_model as helper

    cache = tmp_path / "cache"
    sh.copytree(speaker_model, cache / helper.NAME)
    (cache / helper.NAME / "mean.vec").write_bytes(b"tampered")
    monkeypatch.setenv("CALLCOACH_TEST_CACHE", str(cache))
    monkeypatch.setenv("PATH", str(tmp_path))  # it must try to fetch, and cannot
    with pytest.raises(helper.SpeakerModelUnavailable):
        helper.fetch_speaker_model()


def test_frame_models_reassign_pieces_whose_mean_envelope_misleads():
    """Two voices with the same mean envelope but a different spread: a piece's mean cannot tell them apart,
    its frames can. Pieces given the wrong voice at first are moved to the voice their frames belong to."""
    from callcoach.activity import Segment
    from callcoach.speaker_embed import FrameFeatures
    from callcoach.speakers import _refine

    rng = np.random.default_rng(3)
    pieces, blocks, truth = [], [], []
    for i in range(12):
        voice = i % 2
        blocks.append(rng.normal(0.0, 0.3 if voice == 0 else 2.0, size=(100, 12)))
        pieces.append(Segment(i * 1.0, i * 1.0 + 1.0))
        truth.append(voice)
    cepstra = np.concatenate(blocks)
    features = FrameFeatures(cepstra, np.full(len(cepstra), -20.0), np.full(len(cepstra), np.nan))
    start = np.array(truth)
    start[[0, 3, 6]] = 1 - start[[0, 3, 6]]  # three pieces on the wrong side
    assert list(_refine(features, pieces, start, 3)) == truth
    assert list(_refine(features, pieces, start, 0)) == list(start)  # refinement off: unchanged


def _phone_voices(seed: int):
    """Frames of two synthetic voices that make the same four sounds slightly differently, in pieces whose mix of
    sounds differs more than the voices do (a piece's mean envelope misleads; its frames per sound do not)."""
    from callcoach.activity import Segment
    from callcoach.speaker_embed import FrameFeatures

    rng = np.random.default_rng(seed)
    sounds = rng.normal(0.0, 3.0, size=(4, 12))
    shift = rng.normal(0.0, 1.0, size=(4, 12))
    shift *= 1.2 / np.linalg.norm(shift, axis=1, keepdims=True)
    cepstra, level, pieces, truth = [], [], [], []
    t = 0
    for i in range(16):
        voice = int(rng.integers(0, 2)) if i > 1 else i
        mix = rng.dirichlet(np.full(4, 0.5))
        which = rng.choice(4, size=100, p=mix)
        cepstra.append(sounds[which] + voice * shift[which] + rng.normal(0.0, 0.4, size=(100, 12)))
        level.append(np.full(100, -20.0))
        pieces.append(Segment(t * 0.01, (t + 100) * 0.01))
        truth.append(voice)
        cepstra.append(rng.normal(0.0, 0.1, size=(30, 12)))  # a pause
        level.append(np.full(30, -70.0))
        t += 130
    c = np.concatenate(cepstra)
    features = FrameFeatures(c, np.concatenate(level), np.full(len(c), np.nan))
    return features, pieces, np.array(truth)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_frame_models_tell_voices_apart_by_how_each_makes_the_same_sounds(seed):
    from callcoach.datafiles import load_toml_resource
    from callcoach.speaker_models import decide_voices

    features, pieces, truth = _phone_voices(seed)
    conf = {**load_toml_resource("speakers.toml")["voice_models"], "frame_step": 1}
    means = np.array([features.cepstra[features.frames(p.start_s, p.end_s)].mean(axis=0) for p in pieces])
    rng = np.random.default_rng(seed)
    wrong = rng.integers(0, 2, size=len(pieces))  # a start that knows nothing
    decision = decide_voices(features, pieces, [wrong], means, conf, 0.1)
    assert decision is not None
    voices = decision.voices if decision.voices[0] == truth[0] else 1 - decision.voices
    assert list(voices) == list(truth)
    assert (decision.margin > 0).all()


def test_a_change_of_voice_without_a_pause_costs_more_than_after_one():
    from callcoach.speaker_models import _viterbi

    scores = np.array([[50.0, 0.0], [50.0, 0.0], [0.0, 20.0], [50.0, 0.0]])
    joined = np.array([True, True, True])
    voices, total, margin = _viterbi(scores, joined, 50.0)
    assert list(voices) == [0, 0, 0, 0]  # a weak piece inside one stretch of speech keeps its neighbours' voice
    assert total == 150.0 and margin[2] == pytest.approx(-20.0 + 100.0)
    voices, total, _ = _viterbi(scores, np.array([True, False, False]), 50.0)
    assert list(voices) == [0, 0, 1, 0]  # after pauses it changes freely
    assert total == 170.0
