"""Ringback: cadence data and synthesis (callcoach.cadences), detection by tone and cadence on synthesised calls."""

from __future__ import annotations

import json

import numpy as np
import pytest

from callcoach import cadences, tones
from callcoach.errors import AudioError, ConfigError
from synth import at_level, espeak, hold_music, noise_like, place, silence, tone, white_noise

TONE_DBFS = -20.0
ONSET_TOLERANCE_S = 0.1

MALE_EN = (
    "Thank you for calling Acme support, this is Alex speaking. How may I help you today? "
    "I can check the order status, the delivery date and the invoice for you."
)
MALE_ZH = "nin2 hao3 zhe4 li3 shi4 ke4 fu2 zhong1 xin1 qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2"


def call_with_ringback(
    region: str,
    samplerate: int,
    *,
    onset_s: float,
    answer_s: float,
    total_s: float,
    snr_db: float | None = None,
    seed: int = 0,
    speech: np.ndarray | None = None,
) -> np.ndarray:
    """Ringback from ``onset_s`` until ``answer_s``, then (optionally) speech, in white noise at ``snr_db``."""
    x = cadences.ringback_signal(region, total_s, samplerate, onset_s=onset_s, stop_s=answer_s, level_dbfs=TONE_DBFS)
    if speech is not None:
        x = x + place(total_s, samplerate, [(answer_s + 0.3, speech)])
    if snr_db is not None:
        x = noise_like(x, level_dbfs=TONE_DBFS - snr_db, seed=seed)
    return x


# --------------------------------------------------------------------------- data


def test_bundled_cadences_match_the_standards():
    table = cadences.cadences()
    assert set(table) >= {"cn", "na", "uk"}
    cn, na, uk = table["cn"], table["na"], table["uk"]
    assert cn.frequencies_hz == (450.0,) and cn.pattern_s == (1.0, 4.0) and cn.cycle_s == 5.0
    assert na.frequencies_hz == (440.0, 480.0) and na.pattern_s == (2.0, 4.0) and na.cycle_s == 6.0
    assert uk.frequencies_hz == (400.0, 450.0) and uk.pattern_s == (0.4, 0.2, 0.4, 2.0) and uk.cycle_s == 3.0
    assert uk.on_s == (0.4, 0.4) and uk.off_s == (0.2, 2.0)
    for cad in table.values():
        assert abs(sum(cad.pattern_s) - cad.cycle_s) < 1e-9
        assert 0 < cad.tolerance_s < min(cad.pattern_s)
    assert cadences.cadence("cn") is cn
    assert json.dumps(cn.to_dict())


GOOD = """
[regions.xx]
name = "Test"
frequencies_hz = [425.0]
pattern_s = [1.0, 3.0]
cycle_s = 4.0
tolerance_s = 0.2
frequency_tolerance = 0.01
"""


@pytest.mark.parametrize(
    "edit,problem",
    [
        (("cycle_s = 4.0", "cycle_s = 5.0"), "adds up to 4"),
        (("pattern_s = [1.0, 3.0]", "pattern_s = [1.0, 3.0, 1.0]"), "even length"),
        (("tolerance_s = 0.2\n", ""), "missing tolerance_s"),
        (('name = "Test"', 'name = "Test"\ncolour = 1'), "unknown key(s) colour"),
        (("frequencies_hz = [425.0]", "frequencies_hz = [42.5]"), "between 100 and 3000 Hz"),
        (("frequencies_hz = [425.0]", 'frequencies_hz = "425"'), "non-empty list of numbers"),
        (("tolerance_s = 0.2", "tolerance_s = 1.5"), "below the shortest"),
        (("[regions.xx]", "[regions.XX1]"), "lowercase letters"),
        (("cycle_s = 4.0", "cycle_s = = 4.0"), "invalid TOML"),
    ],
)
def test_malformed_cadence_file_names_file_and_problem(tmp_path, edit, problem):
    path = tmp_path / "ring.toml"
    path.write_text(GOOD.replace(*edit), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        cadences.load_cadences(path)
    assert str(path) in str(err.value)
    assert problem in str(err.value)


def test_good_custom_cadence_file_loads_and_detects(tmp_path):
    path = tmp_path / "ring.toml"
    path.write_text(GOOD, encoding="utf-8")
    table = cadences.load_cadences(path)
    assert table["xx"].frequencies_hz == (425.0,)
    x = cadences.ringback_signal("xx", 12.0, 8000, onset_s=0.5, stop_s=9.0, table=table)
    found = tones.detect_ringback(noise_like(x, level_dbfs=-35), 8000, table=table)
    assert found is not None and found.region == "xx"
    assert abs(found.first_onset_s - 0.5) < ONSET_TOLERANCE_S


def test_unknown_region_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown ringback region 'mars'"):
        cadences.cadence("mars")
    with pytest.raises(ConfigError):
        tones.detect_ringback(np.zeros(8000, np.float32), 8000, regions=["mars"])


# --------------------------------------------------------------------------- synthesis


@pytest.mark.parametrize("region", ["cn", "na", "uk"])
def test_ringback_signal_follows_the_cadence(region):
    sr = 8000
    cad = cadences.cadence(region)
    x = cadences.ringback_signal(region, 2 * cad.cycle_s + 1.0, sr, onset_s=1.0, level_dbfs=-20.0)
    assert x.dtype == np.float32 and x.ndim == 1 and len(x) == round((2 * cad.cycle_s + 1.0) * sr)
    schedule = cadences.ring_schedule(region, 1.0, 2 * cad.cycle_s + 1.0)
    assert len(schedule) == 2 * len(cad.on_s)
    for (start, end), on in zip(schedule, cad.on_s * 2):
        assert abs((end - start) - on) < 1e-9
        burst = x[int((start + 0.02) * sr) : int((end - 0.02) * sr)]
        assert abs(10 * np.log10(np.mean(burst.astype(float) ** 2)) + 20.0) < 0.3  # level as asked
        spectrum = np.abs(np.fft.rfft(burst, 8 * len(burst)))
        freqs = np.fft.rfftfreq(8 * len(burst), 1 / sr)
        peaks = sorted(freqs[np.argsort(spectrum)[-1:]].tolist())
        assert any(abs(peaks[0] - f) < 3 for f in cad.frequencies_hz)
    gaps = [(a[1], b[0]) for a, b in zip(schedule, schedule[1:])]
    for a, b in gaps:
        assert np.abs(x[int((a + 0.01) * sr) : int((b - 0.01) * sr)]).max() == 0.0
    assert np.abs(x[: int(0.99 * sr)]).max() == 0.0


def test_ringback_signal_stops_at_the_answer():
    x = cadences.ringback_signal("cn", 10.0, 8000, onset_s=0.0, stop_s=5.4)
    assert np.abs(x[int(5.2 * 8000) : int(5.38 * 8000)]).max() > 0.05  # ring 2 under way
    assert np.abs(x[int(5.41 * 8000) :]).max() == 0.0


# --------------------------------------------------------------------------- detection


CASES = {  # region: (onset_s, answer_s) — answers after two full rings, in the silence or mid-burst
    "cn": (1.3, 13.4),  # rings at 1.3, 6.3, 11.3; answered in the gap after ring 3
    "na": (0.7, 13.9),  # rings at 0.7, 6.7, 12.7; answered 1.2 s into ring 3 (cut)
    "uk": (2.1, 8.3),  # double rings at 2.1, 5.1, 8.1; answered in the first half of ring 3 (cut)
}


@pytest.mark.parametrize("samplerate", [8000, 16000])
@pytest.mark.parametrize("snr_db", [10.0, 20.0])
@pytest.mark.parametrize("region", ["cn", "na", "uk"])
def test_detects_region_and_burst_onsets_in_noise(region, samplerate, snr_db):
    onset_s, answer_s = CASES[region]
    x = call_with_ringback(
        region, samplerate, onset_s=onset_s, answer_s=answer_s, total_s=answer_s + 3.0, snr_db=snr_db, seed=int(snr_db)
    )
    found = tones.detect_ringback(x, samplerate)
    assert found is not None and found.region == region
    truth = cadences.ring_schedule(region, onset_s, answer_s)
    assert len(found.bursts) == len(truth)
    for (start, end), (true_start, true_end) in zip(found.bursts, truth):
        assert abs(start - true_start) <= ONSET_TOLERANCE_S
        assert abs(end - true_end) <= ONSET_TOLERANCE_S
    assert abs(found.first_onset_s - onset_s) <= ONSET_TOLERANCE_S
    assert abs(found.last_burst_end_s - min(answer_s, truth[-1][1])) <= ONSET_TOLERANCE_S
    assert found.cycle_s == cadences.cadence(region).cycle_s
    true_rings = (answer_s - onset_s) / found.cycle_s
    assert abs(found.rings_at(answer_s) - true_rings) < ONSET_TOLERANCE_S / found.cycle_s
    assert 2.0 <= found.rings_at(answer_s) < 3.0
    doc = found.to_dict()
    assert json.loads(json.dumps(doc))["region"] == region and len(doc["bursts"]) == len(truth)


def test_burst_cut_by_the_answer_is_kept_with_its_short_length():
    onset_s, answer_s = 0.5, 10.9  # ring 3 starts at 10.5: answered 0.4 s into it
    x = call_with_ringback("cn", 8000, onset_s=onset_s, answer_s=answer_s, total_s=14.0, snr_db=15.0)
    found = tones.detect_ringback(x, 8000)
    assert found is not None and found.region == "cn" and len(found.bursts) == 3
    start, end = found.bursts[-1]
    assert abs(start - 10.5) <= ONSET_TOLERANCE_S and abs(end - answer_s) <= ONSET_TOLERANCE_S
    assert found.last_burst_cut
    assert abs(found.rings_at(answer_s) - 2.08) < 0.03


@pytest.mark.parametrize("region", ["cn", "na", "uk"])
def test_one_complete_ring_then_speech_counts(region):
    sr = 16000
    cad = cadences.cadence(region)
    speech, _ = espeak(MALE_EN, samplerate=sr, pitch=30)
    answer_s = 1.0 + cad.cycle_s - 0.5  # in the silence after ring 1
    x = call_with_ringback(
        region,
        sr,
        onset_s=1.0,
        answer_s=answer_s,
        total_s=answer_s + 0.3 + len(speech) / sr + 1,
        snr_db=15.0,
        speech=at_level(speech, -18.0),
    )
    found = tones.detect_ringback(x, sr)
    assert found is not None and found.region == region
    assert len(found.bursts) == len(cad.on_s)
    assert abs(found.first_onset_s - 1.0) <= ONSET_TOLERANCE_S
    assert 0.8 < found.rings_at(answer_s) < 1.0


def test_answered_during_the_first_burst_is_not_ringback():
    x = call_with_ringback("cn", 8000, onset_s=1.0, answer_s=1.5, total_s=8.0, snr_db=15.0)
    assert tones.detect_ringback(x, 8000) is None


@pytest.mark.parametrize("region", ["cn", "na", "uk"])
def test_recording_starting_mid_ring_extrapolates_the_onset(region):
    cad = cadences.cadence(region)
    onset_s = -0.25  # the recording begins 0.25 s into the first burst
    x = call_with_ringback(
        region, 8000, onset_s=onset_s, answer_s=2.5 * cad.cycle_s, total_s=3 * cad.cycle_s, snr_db=15.0
    )
    found = tones.detect_ringback(x, 8000)
    assert found is not None and found.region == region
    assert found.bursts[0][0] == pytest.approx(0.0, abs=0.05)
    assert abs(found.first_onset_s - onset_s) <= ONSET_TOLERANCE_S


def test_restricting_regions():
    x = call_with_ringback("cn", 8000, onset_s=1.0, answer_s=12.0, total_s=13.0, snr_db=15.0)
    assert tones.detect_ringback(x, 8000, regions=["cn"]).region == "cn"
    assert tones.detect_ringback(x, 8000, regions=["na", "uk"]) is None


@pytest.mark.parametrize("shift", [0.99, 1.01])
def test_tolerates_a_one_percent_frequency_error(shift):
    sr = 8000
    cad = cadences.cadence("na")
    gate = np.abs(cadences.ringback_signal("na", 14.0, sr, onset_s=1.0)) > 0
    gate = np.convolve(gate, np.ones(40), mode="same") > 0  # close zero crossings inside bursts
    t = np.arange(len(gate)) / sr
    x = (0.07 * gate * sum(np.sin(2 * np.pi * f * shift * t) for f in cad.frequencies_hz)).astype(np.float32)
    found = tones.detect_ringback(noise_like(x, level_dbfs=-35), sr)
    assert found is not None and found.region == "na"


# --------------------------------------------------------------------------- what is not ringback


@pytest.mark.parametrize("samplerate", [8000, 16000])
def test_male_speech_is_not_ringback(samplerate):
    en, _ = espeak(MALE_EN, samplerate=samplerate, pitch=25)
    zh, _ = espeak(MALE_ZH, voice="cmn-latn-pinyin", samplerate=samplerate, pitch=25)
    x = np.concatenate([at_level(en, -20.0), silence(1.0, samplerate), at_level(zh, -20.0)])
    assert tones.detect_ringback(noise_like(x, level_dbfs=-45), samplerate) is None


@pytest.mark.parametrize("samplerate", [8000, 16000])
def test_hold_music_is_not_ringback(samplerate):
    for seed, note_s in ((0, 0.5), (1, 0.5), (2, 1.0)):
        music = hold_music(30.0, samplerate, note_s=note_s, seed=seed)
        assert tones.detect_ringback(noise_like(music, level_dbfs=-50), samplerate) is None


def test_silence_and_noise_are_not_ringback():
    assert tones.detect_ringback(silence(20.0, 8000), 8000) is None
    assert tones.detect_ringback(white_noise(20.0, 16000, level_dbfs=-30.0), 16000) is None
    assert tones.detect_ringback(np.zeros(0, np.float32), 8000) is None


@pytest.mark.parametrize(
    "what,signal",
    [
        ("short 450 Hz beep", tone(450.0, 0.3, 8000)),
        ("1 kHz beep of a ring's length", tone(1000.0, 1.0, 8000)),
        ("half a UK double ring", tone([400.0, 450.0], 0.4, 8000)),
        ("short North American beep", tone([440.0, 480.0], 0.6, 8000)),
        ("Chinese dial tone (continuous 450 Hz)", tone(450.0, 12.0, 8000)),
        ("North American dial tone", tone([350.0, 440.0], 12.0, 8000)),
        (
            "Chinese busy tone (0.35 s on / off)",
            np.tile(np.concatenate([tone(450.0, 0.35, 8000), silence(0.35, 8000)]), 15),
        ),
    ],
)
def test_isolated_beeps_and_other_tones_are_not_ringback(what, signal):
    x = noise_like(place(16.0, 8000, [(3.0, signal)]), level_dbfs=-40)
    assert tones.detect_ringback(x, 8000) is None, what


# --------------------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    "signal,samplerate,problem",
    [
        (np.zeros((8000, 2), np.float32), 8000, "mono"),
        (np.zeros(8000, np.int16), 8000, "float"),
        (np.zeros(8000, np.float32), 4000, "sample rate"),
        (np.full(8000, np.nan, np.float32), 8000, "NaN"),
        ([0.0] * 8000, 8000, "numpy array"),
    ],
)
def test_bad_input_is_an_audio_error(signal, samplerate, problem):
    with pytest.raises(AudioError, match=problem):
        tones.detect_ringback(signal, samplerate)
