"""The recognition-error simulator used by benchmarks/bench_realspeech.py does what it claims."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from asr_errors import error_rate, near_syllables, perturb, sound_key, units
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import Levenshtein

from callcoach.transcript_files import load_transcript

REAL = Path(__file__).resolve().parent / "fixtures" / "realspeech" / "dev"
ZH = REAL / "zh_appliance_01.srt"
EN = REAL / "en_broadband_01.srt"


@pytest.mark.parametrize("path", [ZH, EN], ids=["zh", "en"])
@pytest.mark.parametrize("rate", [0.1, 0.2, 0.3])
def test_achieved_error_rate_is_near_the_target(path, rate):
    clean = load_transcript(path)
    for seed in (0, 1, 2):
        achieved = error_rate(clean, perturb(clean, rate, seed=seed))
        assert abs(achieved - rate) <= 0.025, (seed, achieved)


@pytest.mark.parametrize("path", [ZH, EN], ids=["zh", "en"])
def test_speakers_and_times_survive_and_text_looks_like_vosk(path):
    clean = load_transcript(path)
    noisy = perturb(clean, 0.2, seed=3)
    assert noisy.language == clean.language
    assert [(t.speaker, t.start_s, t.end_s) for t in noisy.turns] == [
        (t.speaker, t.start_s, t.end_s) for t in clean.turns
    ]
    text = " ".join(t.text for t in noisy.turns)
    assert not re.search(r"[，。？！、,.?!]", text)
    assert text == text.lower()
    if clean.language == "zh":
        # jieba's words between spaces: most tokens are one to four characters, and there are many of them.
        words = text.split()
        assert len(words) > len(units(" ".join(t.text for t in clean.turns), "zh")) / 3
        assert max(len(w) for w in words) <= 8


def test_same_seed_same_output_other_seed_other_output():
    clean = load_transcript(ZH)
    a, b, c = perturb(clean, 0.2, seed=5), perturb(clean, 0.2, seed=5), perturb(clean, 0.2, seed=6)
    assert [t.text for t in a.turns] == [t.text for t in b.turns]
    assert [t.text for t in a.turns] != [t.text for t in c.turns]
    assert error_rate(clean, perturb(clean, 0.0)) == 0.0


def test_mandarin_substitutions_mostly_sound_alike():
    clean = load_transcript(ZH)
    same_or_near = total = 0
    for seed in range(10):
        noisy = perturb(clean, 0.1, seed=seed)
        for ref, hyp in zip(clean.turns, noisy.turns):
            a, b = units(ref.text, "zh"), units(hyp.text, "zh")
            for op in Levenshtein.editops(a, b):
                if op.tag != "replace" or len(a[op.src_pos]) != 1 or len(b[op.dest_pos]) != 1:
                    continue
                sa = lazy_pinyin(a[op.src_pos], style=Style.NORMAL, v_to_u=False)[0]
                sb = lazy_pinyin(b[op.dest_pos], style=Style.NORMAL, v_to_u=False)[0]
                total += 1
                same_or_near += sa == sb or sb in near_syllables(sa)
    assert total > 50
    # 90 % are drawn as same or near syllable; the alignment pairs a few others (a deletion beside an insertion).
    assert same_or_near / total >= 0.7


def test_near_homophones_include_the_pairs_recognisers_confuse():
    assert "zhi" in near_syllables("zi") and "zi" in near_syllables("zhi")
    assert "lan" in near_syllables("nan") and "nin" in near_syllables("ning")
    assert "ma" in near_syllables("me") and "nv" in near_syllables("ni")
    assert "wu" in near_syllables("wo") and "nan" in near_syllables("nin")
    assert "hao" not in near_syllables("nin")


def test_english_sound_key_groups_similar_words():
    assert sound_key("their") == sound_key("there")
    assert sound_key("know") == sound_key("no")
    assert sound_key("phone") == sound_key("fone")
    assert sound_key("help") != sound_key("hello")
