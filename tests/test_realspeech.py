"""The realistic evaluation set (tests/fixtures/realspeech) is complete and consistent.

Every call imports with callcoach's own transcript reader, its truth points at
turns that exist and are spoken by the right side, uses only the course's
names, and the dev and held-out splits do not overlap.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from callcoach.transcript_files import load_transcript

HERE = Path(__file__).resolve().parent / "fixtures" / "realspeech"
TOPICS = {"why", "what", "where", "when", "who", "how", "how_much"}
INTRO = {"greeting", "bare_wei", "company", "agent_name", "offer_help"}
CLOSING = {"anything_else", "recap", "next_step", "thanks", "own_name"}
KINDS = {"wording", "forbidden", "you_statements"}


def _calls(split: str) -> list[Path]:
    return sorted((HERE / split).glob("*.truth.json"))


ALL = [p for split in ("dev", "heldout") for p in _calls(split)]


def test_set_size_languages_and_industries():
    truths = [json.loads(p.read_text(encoding="utf-8")) for p in ALL]
    assert len(truths) >= 40
    languages = [t["language"] for t in truths]
    assert 0.5 < languages.count("zh") / len(truths) <= 0.75  # Mandarin first: more than half of the calls
    assert len({t["industry"] for t in truths}) >= 6
    for split in ("dev", "heldout"):
        split_truths = [json.loads(p.read_text(encoding="utf-8")) for p in _calls(split)]
        assert {t["language"] for t in split_truths} == {"zh", "en"}
        assert len({t["industry"] for t in split_truths}) >= 6
    # a held-out part of at least 20 calls and 15 % of the set, never tuned on
    assert len(_calls("heldout")) >= 20 and 0.5 <= len(_calls("dev")) / len(truths) <= 0.85


def test_splits_do_not_overlap():
    dev = {p.name for p in (HERE / "dev").iterdir()}
    heldout = {p.name for p in (HERE / "heldout").iterdir()}
    assert not dev & heldout

    # Not the same call under another name either: no long turn shared between the splits
    # (short stock phrases such as "Is there anything else I can help you with?" may recur).
    def agent_lines(split):
        return {
            line
            for p in (HERE / split).glob("*.srt")
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.startswith(("客服：", "客户：", "Agent:", "Customer:"))
            and (len(line) > 25 if "：" in line[:4] else len(line.split()) > 12)
        }

    assert not agent_lines("dev") & agent_lines("heldout")


def test_generated_files_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(HERE / "build.py"), "--check"], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("truth_path", ALL, ids=[p.name.removesuffix(".truth.json") for p in ALL])
def test_call_imports_and_truth_is_consistent(truth_path: Path):
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    srt = truth_path.with_name(truth_path.name.replace(".truth.json", ".srt"))
    transcript = load_transcript(srt, language=truth["language"])
    turns = transcript.turns
    assert len(turns) == truth["turns"]
    assert 8 <= len(turns) <= 36
    assert {t.speaker for t in turns} == {"agent", "customer"}
    assert turns[0].speaker == "agent"
    for a, b in itertools.pairwise(turns):
        assert a.end_s <= b.start_s, "turns overlap"
    # Pace of real calls: Mandarin about 180-260 chars/min, English 130-170 words/min.
    speech_min = sum(t.end_s - t.start_s for t in turns) / 60
    if truth["language"] == "zh":
        units = sum(len(re.findall(r"[\u4e00-\u9fff]", t.text)) for t in turns)
        assert 160 <= units / speech_min <= 270
    else:
        units = sum(len(t.text.split()) for t in turns)
        assert 115 <= units / speech_min <= 175
    assert set(truth["introduction"]) == INTRO
    assert not (truth["introduction"]["greeting"] and truth["introduction"]["bare_wei"])
    assert set(truth["closing"]) == CLOSING
    assert set(truth["5w2h"]["agent"]) <= TOPICS and set(truth["5w2h"]["customer"]) <= TOPICS
    for item in truth["improper"]:
        assert item["kind"] in KINDS
        turn = turns[item["turn"]]
        assert turn.speaker == "agent"
        assert item["text"] in turn.text
    asked = set()
    for q in truth["questions"]:
        assert q["topic"] in TOPICS
        assert turns[q["turn"]].speaker == "customer"
        asked.add(q["topic"])
    assert asked == set(truth["5w2h"]["customer"])
    assert truth["unanswered"] == [
        {"turn": q["turn"], "topic": q["topic"]} for q in truth["questions"] if not q["answered"]
    ]
    for name in ("company", "agent"):
        assert truth[name] is None or truth[name] == truth["story"][name]


def _bench():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_realspeech

    return bench_realspeech


def _perfect_card(truth: dict, turns) -> dict:
    """A scorecard that agrees with the truth in every figure the benchmark reads."""
    found = {kind: [] for kind in KINDS}
    for item in truth["improper"]:
        turn = turns[item["turn"]]
        found[item["kind"]].append({"at_s": (turn.start_s + turn.end_s) / 2, "phrase": item["text"]})
    questions = [
        {
            "turn": q["turn"],
            "at_s": turns[q["turn"]].start_s,
            "topic": q["topic"],
            "heard": "",
            "answered": q["answered"],
            "answer_turn": None,
        }
        for q in truth["questions"]
    ]
    return {
        "checks": {
            "introduction": dict(truth["introduction"]),
            "closing": dict(truth["closing"]),
            "5w2h": {"covered": list(truth["5w2h"]["agent"])},
            **{kind: {"found": found[kind]} for kind in KINDS},
            "unanswered": {"questions": questions},
        }
    }


def _one_call_perfectly_scored() -> tuple[dict, list, dict]:
    """A dev call's truth, its clean turns and a scorecard that agrees with the truth (:func:`_perfect_card`)."""
    path = HERE / "dev" / "zh_ecommerce_01.truth.json"
    truth = json.loads(path.read_text(encoding="utf-8"))
    turns = load_transcript(path.with_name("zh_ecommerce_01.srt")).turns
    return truth, turns, _perfect_card(truth, turns)


def test_benchmark_scores_a_perfect_card_perfectly_and_counts_errors():
    bench = _bench()
    truth, turns, card = _one_call_perfectly_scored()
    f = bench.tally(card, truth, turns).figures()
    assert (f["intro"], f["improper_recall"], f["improper_fa"], f["f1"], f["closing"]) == (1.0, 1.0, 0.0, 1.0, 1.0)
    assert (f["unanswered_recall"], f["unanswered_precision"]) == (1.0, 1.0)
    # One improper phrase placed in the wrong turn: a miss and a false alarm; a wrong topic; no unanswered rule.
    card["checks"]["wording"]["found"][0]["at_s"] = turns[1].start_s + 0.5
    card["checks"]["5w2h"]["covered"].append("why")
    del card["checks"]["unanswered"]
    f = bench.tally(card, truth, turns).figures()
    assert f["improper_recall"] == (len(truth["improper"]) - 1) / len(truth["improper"])
    assert f["improper_fa"] == 1.0
    assert f["precision"] < 1.0 and f["recall"] == 1.0
    assert f["unanswered_rule"] is False and f["unanswered_recall"] is None


def test_benchmark_tells_a_missed_phrase_still_heard_from_one_the_errors_took():
    bench = _bench()
    truth, turns, card = _one_call_perfectly_scored()
    item = truth["improper"][0]
    card["checks"][item["kind"]]["found"] = [
        f for f in card["checks"][item["kind"]]["found"] if f["phrase"] != item["text"]
    ]
    heard = list(turns)
    heard[item["turn"]] = replace(turns[item["turn"]], text=" ".join(turns[item["turn"]].text))  # a recogniser's spaces
    t = bench.tally(card, truth, turns, heard)
    assert t.improper_heard == 1 and t.figures()["improper_missed_heard"] == 1.0
    assert any("(its words still heard)" in m for m in t.misses)
    heard[item["turn"]] = replace(turns[item["turn"]], text="嗯")  # the words lost to the recogniser
    t = bench.tally(card, truth, turns, heard)
    assert t.improper_heard == 0 and t.figures()["improper_missed_heard"] == 0.0
    assert bench.tally(card, truth, turns).improper_heard == 0  # clean: nothing to tell apart


def test_benchmark_scores_one_batch_by_its_ids():
    bench = _bench()
    batch = bench.load_calls("all", "*_4[78]")
    assert batch and {truth["id"][-3:] for truth, _ in batch} == {"_47", "_48"}
    assert all(srt.exists() and srt.name == truth["id"] + ".srt" for truth, srt in batch)
    assert len(batch) < len(bench.load_calls("all"))
    assert bench.load_calls("dev", "no_such_call") == []
    both = bench.load_calls("all", "*_47, *_48")
    assert [truth["id"] for truth, _ in both] == [truth["id"] for truth, _ in batch]


def test_benchmark_pairs_a_truth_phrase_with_the_finding_that_says_it():
    """Two findings in a turn that holds one improper phrase: the false alarm listed is the one that does not say
    the truth's words, whichever was found first."""
    bench = _bench()
    truth, turns, card = _one_call_perfectly_scored()
    item = truth["improper"][0]
    turn = turns[item["turn"]]
    found = card["checks"][item["kind"]]["found"]
    found.insert(0, {"at_s": turn.start_s + 0.1, "phrase": "我们不管", "heard": "我们不管排版"})
    t = bench.tally(card, truth, turns)
    assert t.figures()["improper_recall"] == 1.0 and t.improper_false == 1
    false_alarms = [m for m in t.misses if "false alarm" in m]
    assert len(false_alarms) == 1 and "我们不管" in false_alarms[0]


AGREEMENT = [p for split in ("dev", "heldout") for p in sorted((HERE / "agreement" / split).glob("*.json"))]


def test_second_annotations_cover_both_splits_and_languages():
    """bench_agreement.py needs a second annotation of calls of each split and language (20 each)."""
    for split in ("dev", "heldout"):
        names = [p.stem for p in AGREEMENT if p.parent.name == split]
        assert sum(n.startswith("zh_") for n in names) >= 20 and sum(n.startswith("en_") for n in names) >= 20


@pytest.mark.parametrize("path", AGREEMENT, ids=[f"{p.parent.name}/{p.stem}" for p in AGREEMENT])
def test_second_annotation_is_consistent_with_its_call(path: Path):
    """A second annotation names a call of its split and holds the truth's fields, with turns where they belong."""
    annotation = json.loads(path.read_text(encoding="utf-8"))
    truth_path = HERE / path.parent.name / f"{path.stem}.truth.json"
    assert truth_path.exists(), f"no call {path.stem} in {path.parent.name}/"
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    turns = load_transcript(truth_path.with_name(f"{path.stem}.srt"), language=truth["language"]).turns
    assert annotation["id"] == path.stem
    assert set(annotation["introduction"]) == INTRO and set(annotation["closing"]) == CLOSING
    assert set(annotation["5w2h"]["agent"]) <= TOPICS and set(annotation["5w2h"]["customer"]) <= TOPICS
    for item in annotation["improper"]:
        assert item["kind"] in KINDS
        assert turns[item["turn"]].speaker == "agent"
        assert item["text"] in turns[item["turn"]].text
    for q in annotation["questions"]:
        assert q["topic"] in TOPICS and isinstance(q["answered"], bool)
        assert turns[q["turn"]].speaker == "customer"


def test_agreement_benchmark_scores_a_copy_of_the_truth_as_full_agreement():
    """A second annotation equal to the truth agrees in every figure; one that drops a phrase and calls an answered
    question unanswered loses exactly those."""
    _bench()
    import bench_agreement

    truth, turns, _ = _one_call_perfectly_scored()
    bench = bench_agreement.bench
    f = bench.tally(bench_agreement.annotation_card(truth, turns), truth, turns).figures()
    assert (f["intro"], f["improper_recall"], f["improper_fa"], f["f1"], f["closing"]) == (1.0, 1.0, 0.0, 1.0, 1.0)
    assert (f["unanswered_recall"], f["unanswered_precision"]) == (1.0, 1.0)
    other = json.loads(json.dumps(truth))
    other["improper"] = other["improper"][1:]
    answered = next(q for q in other["questions"] if q["answered"])
    answered["answered"] = False
    f = bench.tally(bench_agreement.annotation_card(other, turns), truth, turns).figures()
    assert f["improper_recall"] == (len(truth["improper"]) - 1) / len(truth["improper"]) and f["improper_fa"] == 0
    assert f["unanswered_recall"] == 1.0
    assert f["unanswered_precision"] == len(truth["unanswered"]) / (len(truth["unanswered"]) + 1)
    # what both annotators marked, and what either did: the phrase the second dropped is in "either" only, and a
    # question only the second calls unanswered too
    both, either = bench_agreement.consensus(truth, bench_agreement.as_truth(other, truth))
    assert both["improper"] == truth["improper"][1:] and either["improper"] == truth["improper"]
    assert both["unanswered"] == truth["unanswered"]
    assert either["unanswered"] == truth["unanswered"] + [{"turn": answered["turn"], "topic": answered["topic"]}]
    # and as_truth makes the second annotation a truth the checker can be scored against
    second = bench_agreement.as_truth(other, truth)
    assert second["unanswered"] == [
        {"turn": q["turn"], "topic": q["topic"]} for q in other["questions"] if not q["answered"]
    ]
