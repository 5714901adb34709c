"""Speech activity: espeak-ng speech with planted silences, noise, tones and music; batch and streaming.

The truth is measured, not assumed: where each utterance starts and ends is
read off the clean synthesized signal (10 ms frames within AUDIBLE_DB of the
speech level) before any noise is added, because espeak-ng's audio has its own
quiet lead-in, pauses at commas and full stops, and soft endings.
"""

from __future__ import annotations

import numpy as np
import pytest

from callcoach import activity, cadences
from callcoach.activity import Segment, silences, speech_segments
from callcoach.errors import AudioError
from callcoach.live_activity import ActivityTracker
from synth import at_level, audible_spans, espeak, hold_music, noise_like, place, silence, tone, white_noise

#: Boundary tolerance, seconds (the product needs 0.3 s for the answer time, 0.5 s for holds).
BOUNDARY_S = 0.15
SPEECH_DBFS = -22.0
#: A frame of the clean speech is audible when within this many dB of the speech level.
AUDIBLE_DB = 30.0
#: Silence after which a live turn counts as ended, seconds (practice session: 0.6-1.0 s).
END_OF_TURN_S = 0.8

LINES = [
    "Thank you for calling Acme support, this is Alex speaking. How may I help you today?",
    "May I place you on a brief hold while I check your account?",
    "Thank you for holding. Your order will arrive tomorrow morning.",
]
LINES_ZH = [
    "nin2 hao3 zhe4 li3 shi4 ke4 fu2 zhong1 xin1 qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2",
    "qing3 nin2 shao1 deng3 wo3 bang1 nin2 cha2 yi2 xia4",
    "gan3 xie4 nin2 de5 nai4 xin1 deng3 dai4",
]


def heard(clean: np.ndarray, samplerate: int, bridge_s: float = 0.0) -> list[tuple[float, float]]:
    """Audible stretches of a clean (noise-free) signal, seconds."""
    return audible_spans(clean, samplerate, threshold_dbfs=SPEECH_DBFS - AUDIBLE_DB, bridge_s=bridge_s)


def utterance(samplerate: int, line: str, voice: str = "en") -> np.ndarray:
    """``line`` spoken by espeak-ng (trimmed), at SPEECH_DBFS."""
    speech, _ = espeak(line, voice=voice, samplerate=samplerate)
    return at_level(speech, SPEECH_DBFS)


def planted_call(
    samplerate: int,
    gaps_s: list[float],
    *,
    voice: str | list[str] = "en",
    lines=LINES,
    lead_s: float = 1.5,
    tail_s: float = 2.0,
):
    """Utterances separated by planted silences; returns (clean signal, [(start_s, end_s) heard per utterance]).

    ``voice`` is one espeak-ng voice for all lines or one per line. Each
    utterance's truth runs from its first to its last audible frame in the
    clean signal; the planted gap follows the end of espeak-ng's trimmed audio.
    """
    voices = [voice] * len(lines) if isinstance(voice, str) else list(voice)
    parts, placed, t = [], [], lead_s
    for i, line in enumerate(lines):
        speech = utterance(samplerate, line, voices[i])
        parts.append((t, speech))
        placed.append((t, t + len(speech) / samplerate))
        t = placed[-1][1] + (gaps_s[i] if i < len(gaps_s) else tail_s)
    x = place(t, samplerate, parts)
    spans = heard(x, samplerate)
    truth = []
    for a, b in placed:
        inside = [s for s in spans if a - 0.01 <= s[0] and s[1] <= b + 0.01]
        assert inside, "espeak-ng produced an inaudible utterance"
        truth.append((inside[0][0], inside[-1][1]))
    return x, truth


def covered_s(segments, spans) -> float:
    """Seconds of ``spans`` that lie inside ``segments``."""
    return sum(max(0.0, min(b, s.end_s) - max(a, s.start_s)) for a, b in spans for s in segments)


def assert_matches_truth(segments, truth, clean, samplerate):
    """Answer onset, long silences, coverage of the heard speech and nothing outside it."""
    total_s = len(clean) / samplerate
    assert segments, "no speech found"
    assert abs(segments[0].start_s - truth[0][0]) <= BOUNDARY_S
    assert abs(segments[-1].end_s - truth[-1][1]) <= BOUNDARY_S
    found_gaps = silences(segments, segments[0].start_s, segments[-1].end_s, min_s=2.0)
    true_gaps = [(a[1], b[0]) for a, b in zip(truth, truth[1:])]
    assert len(found_gaps) == len(true_gaps)
    for gap, (start, end) in zip(found_gaps, true_gaps):
        assert abs(gap.start_s - start) <= BOUNDARY_S
        assert abs(gap.end_s - end) <= BOUNDARY_S
    # nothing is found outside the utterances
    for seg in segments:
        assert any(a - BOUNDARY_S <= seg.start_s and seg.end_s <= b + BOUNDARY_S for a, b in truth), seg
    # and almost everything audible inside them is found
    spans = heard(clean, samplerate)
    assert covered_s(segments, spans) >= 0.95 * sum(b - a for a, b in spans)
    assert segments[-1].end_s <= total_s


@pytest.mark.parametrize("samplerate", [8000, 16000])
@pytest.mark.parametrize("snr_db", [None, 15.0])
def test_planted_silences_are_found(samplerate, snr_db):
    clean, truth = planted_call(samplerate, [9.0, 12.0])
    x = clean if snr_db is None else noise_like(clean, level_dbfs=SPEECH_DBFS - snr_db, seed=7)
    segments = speech_segments(x, samplerate)
    assert_matches_truth(segments, truth, clean, samplerate)
    long_gaps = silences(segments, 0.0, len(x) / samplerate, min_s=7.0)
    assert [round(g.duration_s) for g in long_gaps] == [9, 12]


def test_mandarin_speech_in_noise():
    # the first line ends on a steady nasal (bang1 nin2): its last 0.15 s barely changes, and must count
    clean, truth = planted_call(8000, [9.0, 4.0], voice="cmn-latn-pinyin", lines=LINES_ZH)
    x = noise_like(clean, level_dbfs=SPEECH_DBFS - 12.0, seed=3)
    assert_matches_truth(speech_segments(x, 8000), truth, clean, 8000)


@pytest.mark.parametrize("level_dbfs", [-60.0, -40.0, -25.0])
def test_noise_alone_is_not_speech(level_dbfs):
    assert speech_segments(white_noise(15.0, 8000, level_dbfs=level_dbfs, seed=1), 8000) == []
    assert speech_segments(silence(5.0, 16000), 16000) == []


@pytest.mark.parametrize("samplerate", [8000, 16000])
def test_tones_and_hold_music_are_not_speech(samplerate):
    ring = {region: cadences.ringback_signal(region, 20.0, samplerate, onset_s=0.5) for region in ("cn", "na", "uk")}
    cases = {
        **{f"ringback {k}": v for k, v in ring.items()},
        "dial tone": tone([350.0, 440.0], 10.0, samplerate),
        "hold music": hold_music(20.0, samplerate, seed=4),
        "slow hold music": hold_music(20.0, samplerate, note_s=1.0, seed=5),
    }
    for what, signal in cases.items():
        found = speech_segments(noise_like(signal, level_dbfs=-45.0, seed=2), samplerate)
        assert sum(s.duration_s for s in found) < 0.3, (what, found)


def test_speech_after_ringback_starts_at_the_answer():
    sr = 8000
    speech = utterance(sr, LINES[0])
    ring = cadences.ringback_signal("cn", 16.0, sr, onset_s=0.5, stop_s=11.8, level_dbfs=-18.0)
    clean_speech = place(16.0, sr, [(12.0, speech)])
    answer_s = heard(clean_speech, sr)[0][0]
    x = noise_like(ring + clean_speech, level_dbfs=-40.0)
    found = speech_segments(x, sr)
    assert found and abs(found[0].start_s - answer_s) <= BOUNDARY_S


def test_speech_then_hold_music_without_a_pause():
    # the hold starts where the speech stops: the edge may run on into the music, but not by more than EDGE_S
    sr = 8000
    speech = utterance(sr, LINES[1])
    clean_speech = place(16.0, sr, [(1.0, speech)])
    end_s = heard(clean_speech, sr)[-1][1]
    music = place(16.0, sr, [(1.0 + len(speech) / sr, hold_music(10.0, sr, level_dbfs=-25.0, seed=4))])
    found = speech_segments(noise_like(clean_speech + music, level_dbfs=-50.0, seed=6), sr)
    assert found and abs(found[0].start_s - heard(clean_speech, sr)[0][0]) <= BOUNDARY_S
    assert end_s - BOUNDARY_S <= found[-1].end_s <= end_s + 0.35  # EDGE_S (0.3 s) and a frame or two


def test_overlap_of_two_channels():
    # interruptions: the agent starts while the customer still speaks, or half a second after the customer stopped
    sr = 8000
    customer = place(20.0, sr, [(1.0, utterance(sr, LINES_ZH[0], "cmn-latn-pinyin"))])
    c_start, c_end = heard(customer, sr)[0][0], heard(customer, sr)[-1][1]
    c_found = speech_segments(noise_like(customer, level_dbfs=SPEECH_DBFS - 20.0, seed=8), sr)
    for agent_at_s in (c_start + 3.0, c_end + 0.5):
        agent = place(20.0, sr, [(agent_at_s, utterance(sr, LINES[1]))])
        a_start = heard(agent, sr)[0][0]
        a_found = speech_segments(noise_like(agent, level_dbfs=SPEECH_DBFS - 20.0, seed=9), sr)
        assert abs(a_found[0].start_s - a_start) <= BOUNDARY_S
        cut = a_found[0]
        found_overlap = sum(max(0.0, min(cut.end_s, s.end_s) - max(cut.start_s, s.start_s)) for s in c_found)
        true_overlap = max(0.0, c_end - a_start)
        if true_overlap:
            assert abs(found_overlap - true_overlap) <= 2 * BOUNDARY_S, (found_overlap, true_overlap)
        else:
            assert found_overlap == 0.0


def test_excluded_intervals_are_never_speech():
    sr = 8000
    x, truth = planted_call(sr, [9.0, 9.0])
    found = speech_segments(x, sr, exclude=[truth[1]])
    assert len(silences(found, 0.0, len(x) / sr, min_s=7.0)) == 1  # the middle utterance is gone
    assert not any(truth[1][0] < s.end_s and s.start_s < truth[1][1] for s in found)
    assert len(speech_segments(x, sr)) >= 3 and found  # the others are still there
    with pytest.raises(AudioError, match="exclude"):
        speech_segments(x, sr, exclude=[(1.0,)])


def test_settings_change_the_result():
    sr = 8000
    clean, truth = planted_call(sr, [9.0, 9.0])
    default = speech_segments(clean, sr)
    merged = speech_segments(clean, sr, min_silence_s=10.0)
    assert len(merged) == 1 and len(default) >= 3
    # the threshold is measured from the noise floor: a stricter one hears less, and at 50 dB over
    # 15 dB SNR nothing is left
    noisy = noise_like(clean, level_dbfs=SPEECH_DBFS - 15.0, seed=7)
    heard_s = [sum(s.duration_s for s in speech_segments(noisy, sr, threshold_db=t)) for t in (5, 10, 20, 30, 50)]
    assert heard_s[1] >= 0.85 * sum(b - a for a, b in truth)
    assert all(a >= b for a, b in zip(heard_s, heard_s[1:])) and heard_s[-1] == 0.0
    # digital silence is not a floor 120 dB down: 80 dB over the quietest believable floor is more than speech
    assert speech_segments(clean, sr, threshold_db=80.0) == []
    # longer minimum speech drops the shortest segments only
    assert len(speech_segments(clean, sr, min_speech_s=10.0)) == 0


def test_silences_between_segments():
    segs = [Segment(1.0, 2.0), (1.5, 3.0), Segment(10.0, 12.0)]
    gaps = silences(segs, 0.0, 20.0)
    assert [(g.start_s, g.end_s) for g in gaps] == [(0.0, 1.0), (3.0, 10.0), (12.0, 20.0)]
    assert [(g.start_s, g.end_s) for g in silences(segs, 0.0, 20.0, min_s=7.5)] == [(12.0, 20.0)]
    assert [(g.start_s, g.end_s) for g in silences(segs, 2.5, 11.0)] == [(3.0, 10.0)]
    assert [(g.start_s, g.end_s) for g in silences([], 0.0, 5.0, min_s=1.0)] == [(0.0, 5.0)]
    with pytest.raises(AudioError):
        silences(segs, 5.0, 1.0)


def test_segment_record():
    seg = Segment(1.25, 3.5)
    start_s, end_s = seg
    assert (start_s, end_s) == (1.25, 3.5) and seg.duration_s == 2.25
    assert seg.to_dict() == {"start_s": 1.25, "end_s": 3.5}


# --------------------------------------------------------------------------- streaming


def stream(x, samplerate, block_s, **kwargs):
    """Feed ``x`` to a new tracker in blocks of ``block_s`` seconds; return (segments, tracker)."""
    tracker = ActivityTracker(samplerate, **kwargs)
    n = max(1, int(block_s * samplerate))
    found = []
    for i in range(0, len(x), n):
        found += tracker.feed(x[i : i + n])
    return found + tracker.flush(), tracker


def assert_tracker_matches_batch(x, samplerate, **kwargs) -> list[Segment]:
    """Stream ``x`` in blocks of several sizes; return the segments, checked against the whole-signal pass."""
    batch = speech_segments(x, samplerate, **kwargs)
    runs = {}
    for block_s in (0.02, 0.07, 0.25, 1.0):
        found, tracker = stream(x, samplerate, block_s, start_s=100.0, **kwargs)
        runs[block_s] = [(round(s.start_s - 100.0, 3), round(s.end_s - 100.0, 3)) for s in found]
        assert tracker.time_s == pytest.approx(100.0 + len(x) / samplerate)
    # the same decisions whatever the block size ...
    assert all(r == runs[0.02] for r in runs.values()), runs
    # ... and those of the whole-signal pass, up to a frame or two (its noise floor looks ahead, the tracker's cannot)
    assert len(runs[0.02]) == len(batch), (runs[0.02], batch)
    for (a, b), seg in zip(runs[0.02], batch):
        assert abs(a - seg.start_s) <= 0.041 and abs(b - seg.end_s) <= 0.041
    return [Segment(a, b) for a, b in runs[0.02]]


def test_tracker_matches_batch_with_exact_recording_times():
    sr = 16000
    clean, truth = planted_call(sr, [9.0, 5.0])
    x = noise_like(clean, level_dbfs=SPEECH_DBFS - 15.0, seed=5)
    assert_matches_truth(assert_tracker_matches_batch(x, sr), truth, clean, sr)


def test_tracker_waits_for_edges_that_may_still_join():
    # two utterances with 0.6 s of music between: the music's steady notes are not speech, but both
    # utterances' edges run into it and meet, so the tracker must not close the first one early
    sr = 8000
    first, second = utterance(sr, LINES[1]), utterance(sr, LINES[2])
    t1 = 1.0 + len(first) / sr
    music = hold_music(0.6, sr, level_dbfs=-25.0, note_s=0.6, seed=11)
    x = place(t1 + 0.6 + len(second) / sr + 3.0, sr, [(1.0, first), (t1, music), (t1 + 0.6, second)])
    found = assert_tracker_matches_batch(noise_like(x, level_dbfs=-50.0, seed=12), sr)
    assert len(found) == 1
    assert len(assert_tracker_matches_batch(noise_like(x, level_dbfs=-50.0, seed=12), sr, min_silence_s=0.1)) >= 2


def test_tracker_state_during_a_call():
    # an English line with pauses at its comma and full stop, then a Mandarin one ending on a steady nasal
    sr = 8000
    x, truth = planted_call(
        sr, [9.0, 9.0], voice=["en", "cmn-latn-pinyin", "en"], lines=[LINES[0], LINES_ZH[0], LINES[2]]
    )
    tracker = ActivityTracker(sr)
    block = int(0.1 * sr)
    times, speaking, quiet_s, completed = [], [], [], []
    for i in range(0, len(x), block):
        done = tracker.feed(x[i : i + block])
        completed += [(tracker.time_s, seg) for seg in done]
        times.append(tracker.time_s)
        speaking.append(tracker.in_speech)
        quiet_s.append(tracker.silence_s)
    times, speaking, quiet_s = np.array(times), np.array(speaking), np.array(quiet_s)
    spans = heard(x, sr, bridge_s=0.1)
    for (start, end), (_next_start, _) in zip(truth, truth[1:]):
        # while the agent talks (past the first second, which the floor waits for): in speech, heard within
        # the last 0.4 s wherever the audio was audible over the last half second, and never an end of turn
        # at the pauses inside the utterance
        talking = (times >= max(start, 1.0) + 0.5) & (times <= end)
        loud = np.array([any(a <= t - 0.6 and t - 0.1 <= b for a, b in spans) for t in times]) & talking
        assert loud.sum() >= 10
        assert speaking[loud].all() and (quiet_s[loud] <= 0.4).all()
        assert (quiet_s[talking] < END_OF_TURN_S).all()
        # the turn ends END_OF_TURN_S after the speech really stopped
        after = (times > end) & (quiet_s >= END_OF_TURN_S)
        assert abs(times[after][0] - (end + END_OF_TURN_S)) <= BOUNDARY_S + 0.1
        # 6 s into the 9 s silence: not speaking, silence measured from the end of the speech
        probe = np.argmin(np.abs(times - (end + 6.0)))
        assert not speaking[probe] and abs(quiet_s[probe] - (times[probe] - end)) <= BOUNDARY_S
        # the utterance came back as segments soon after it ended, long before the next one
        mine = [(t, seg) for t, seg in completed if start - 1.0 < seg.start_s < end]
        assert abs(mine[0][1].start_s - start) <= BOUNDARY_S
        reported_s, last = mine[-1]
        assert abs(last.end_s - end) <= BOUNDARY_S and reported_s < end + 1.0
        assert all(seg.end_s <= end + BOUNDARY_S for _, seg in mine)


@pytest.mark.parametrize("region", ["cn", "na", "uk"])
def test_tracker_never_takes_a_ring_heard_back_for_speech(region):
    # a practice session rings the headset and listens to the microphone: a ring heard back (a loop-back,
    # a loud earpiece) must not pick the call up, wherever its bursts fall on the tracker's frames; the edge
    # of a burst gives a run a frame or two long, which is no speech (a segment would never keep it)
    sr = 16000
    flickers = []
    for onset_s in np.arange(0.5, 2.0, 0.0131):
        x = noise_like(cadences.ringback_signal(region, 9.0, sr, onset_s=onset_s), level_dbfs=-80.0, seed=3)
        tracker = ActivityTracker(sr)
        for i in range(0, len(x), sr // 10):
            found = tracker.feed(x[i : i + sr // 10])
            if tracker.in_speech or found:
                flickers.append((round(float(onset_s), 3), i / sr, found))
    assert flickers == []


def test_tracker_flush_ends_the_open_segment():
    sr = 8000
    x, truth = planted_call(sr, [9.0, 9.0])
    cut = int((truth[2][0] + 1.0) * sr)  # one second into the last utterance
    tracker = ActivityTracker(sr)
    for i in range(0, cut, 1600):
        tracker.feed(x[i : min(cut, i + 1600)])
    assert tracker.in_speech
    last = tracker.flush()
    assert len(last) == 1 and abs(last[0].start_s - truth[2][0]) <= BOUNDARY_S
    heard_until_s = max(b for a, b in heard(x[:cut], sr))
    assert abs(last[0].end_s - heard_until_s) <= BOUNDARY_S and last[0].end_s <= cut / sr
    assert tracker.flush() == []
    with pytest.raises(AudioError):
        tracker.feed(x[:100])


def test_tracker_rejects_bad_blocks():
    tracker = ActivityTracker(8000)
    with pytest.raises(AudioError, match="mono"):
        tracker.feed(np.zeros((100, 2), np.float32))
    with pytest.raises(AudioError, match="sample rate"):
        ActivityTracker(1000)


@pytest.mark.parametrize(
    "kwargs", [{"frame_s": 0.0}, {"frame_s": 0.5}, {"threshold_db": -3.0}, {"min_silence_s": float("nan")}]
)
def test_bad_settings_are_audio_errors(kwargs):
    with pytest.raises(AudioError):
        speech_segments(np.zeros(8000, np.float32), 8000, **kwargs)


def test_require_mono_converts_and_checks():
    out = activity.require_mono(np.zeros(10, np.float64), 8000)
    assert out.dtype == np.float32
    with pytest.raises(AudioError, match="NaN"):
        activity.require_mono(np.array([0.0, np.inf]), 8000)
