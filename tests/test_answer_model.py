"""The answer model (issue 10): the unanswered rule's verdict weighed with what the reply and the customer's next
words look like, by weights fitted to the annotated dev transcripts.

Calls are scored by :func:`callcoach.scoring.score_call` with the bundled weights; a trainer's pack with
``[unanswered] model = false`` gives the rule's verdict alone. The examples are written for these tests, not
taken from the transcripts the weights were fitted to.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from callcoach.packs import load_pack
from callcoach.rules import answer_model
from callcoach.rules.base import Call
from callcoach.rules.unanswered import rule_verdicts
from callcoach.scoring import CallSetup, score_call
from callcoach.transcript import Transcript, Turn

REPO = Path(__file__).resolve().parents[1]


def _transcript(lang: str, lines: list[str], heard: bool = False) -> Transcript:
    """An opening and then ``lines`` ("C: …" / "A: …"), 3 s apart; ``heard``: the opening as a recogniser writes it, with
    no punctuation (the lines are given as they should read)."""
    if heard:
        opening = "您好安居置业我是钱磊您请说" if lang == "zh" else "thanks for calling archer autobody this is dana"
    else:
        opening = (
            "您好，安居置业，我是钱磊，您请说。"
            if lang == "zh"
            else "Thanks for calling Archer Autobody, this is Dana."
        )
    turns = [Turn("agent", 0.0, 3.0, opening)]
    for i, line in enumerate(lines):
        speaker, text = line.split(": ", 1)
        turns.append(Turn("agent" if speaker == "A" else "customer", 3.5 + 3.0 * i, 6.0 + 3.0 * i, text))
    return Transcript(tuple(turns), language=lang, source="test")


def _questions(tmp_path: Path, lang: str, lines: list[str], model: bool = True) -> list[dict]:
    """The unanswered check's questions for an opening and then ``lines`` ("C: …" / "A: …"), 3 s apart."""
    packs = []
    if not model:
        off = tmp_path / "rule-only.toml"
        off.write_text("[unanswered]\nmodel = false\n", encoding="utf-8")
        packs = [off]
    card = score_call(transcript=_transcript(lang, lines), setup=CallSetup(), extra_packs=packs).to_dict()
    return card["checks"]["unanswered"]["questions"]


def test_a_reply_that_answers_without_the_words_the_rule_looks_for_is_an_answer(tmp_path):
    # an instruction answers "can you fix it from there?" (no, but here is what to do): no yes, no topic stated
    lines = [
        "C: The box says no signal on every channel. Can you fix that from there?",
        "A: You have to unplug it for thirty seconds and plug it back in.",
        "C: Right, I'll try that.",
    ]
    (rule,) = _questions(tmp_path, "en", lines, model=False)
    (weighed,) = _questions(tmp_path, "en", lines)
    assert rule["answered"] is False and rule["p_unanswered"] is None
    assert weighed["answered"] is True and weighed["p_unanswered"] < 0.25
    assert weighed["answer_turn"] == 2  # the reply read: a trainer sees which turn answered


def test_a_vague_put_off_the_rule_took_for_an_explanation_is_no_answer(tmp_path):
    lines = ["C: 那运费怎么算呢？", "A: 运费啊，那个可能要看重量吧，到时候再说。", "C: 哦，那行吧。"]
    (rule,) = _questions(tmp_path, "zh", lines, model=False)
    (weighed,) = _questions(tmp_path, "zh", lines)
    assert rule["answered"] is True
    assert weighed["answered"] is False and weighed["answer_turn"] is None and weighed["p_unanswered"] >= 0.5


@pytest.mark.parametrize(
    "lang, lines",
    [
        # a promise of when and how the answer comes answers (004), however the words weigh
        ("zh", ["C: 换个门锁要多少钱？", "A: 我向师傅确认后给您回电告知。", "C: 嗯。"]),
        ("en", ["C: How much will the repair cost?", "A: I'll call you back with the price this afternoon.", "C: Ok."]),
    ],
)
def test_a_promise_of_the_answer_is_never_overruled(tmp_path, lang, lines):
    (q,) = _questions(tmp_path, lang, lines)
    assert q["answered"] is True and q["deferred"] is True and q["p_unanswered"] is None


@pytest.mark.parametrize(
    "lang, lines",
    [
        ("en", ["C: What time do you open on Saturday?", "A: About twenty quid, cash or card.", "C: Okay."]),
        ("zh", ["C: 嗯，那滤网多久换一次啊？", "A: 两点之前开过来就行。", "C: 好的。"]),
    ],
)
def test_a_reply_about_something_else_stays_no_answer_whatever_the_weights_say(tmp_path, lang, lines):
    (q,) = _questions(tmp_path, lang, lines)
    assert q["answered"] is False


def test_the_probability_is_in_the_scorecard_for_every_weighed_question(tmp_path):
    lines = ["C: 你们几点关门？还有，停车要收费吗？", "A: 晚上九点关门。停车场是免费的。", "C: 好的，谢谢。"]
    questions = _questions(tmp_path, "zh", lines)
    assert len(questions) == 2
    for q in questions:
        assert 0.0 <= q["p_unanswered"] <= 1.0 and q["answered"] is True


@pytest.mark.parametrize(
    "lines, answered",
    [
        (["C: how much is the new router", "A: no idea mate you'd have to ask the shop", "C: right ok"], False),
        (["C: how much is the new router", "A: it's forty nine pounds a month", "C: right ok"], True),
    ],
)
def test_a_recognisers_text_is_weighed_by_the_model_fitted_to_recognised_calls(lines, answered):
    transcript = _transcript("en", lines, heard=True)
    card = score_call(transcript=transcript, setup=CallSetup()).to_dict()
    (q,) = card["checks"]["unanswered"]["questions"]
    assert q["answered"] is answered
    # the probability is the recognised-text model's, not the typed transcripts' one
    call = Call(transcript=transcript, language="en", pack=load_pack("en"), setup=CallSetup(), duration_s=12.0)
    assert answer_model.recognised(call)
    ((question, answer, deferred),) = rule_verdicts(call)
    features = answer_model.features(call, question, answer, deferred)
    heard, typed = answer_model.load("en", heard=True), answer_model.load("en")
    assert heard is not None and typed is not None and heard != typed
    assert q["p_unanswered"] == round(heard.probability(features), 2)


def test_fitting_learns_which_words_leave_a_question_open_and_is_repeatable():
    # replies that shrug leave questions open; replies that give a figure answer them
    examples = []
    for n in range(40):
        shrug = n % 2 == 0
        features = dict.fromkeys(answer_model.SIGNALS, 0.0)
        features["rule:answered"] = float(n % 4 != 0)
        features["reply:no idea" if shrug else "reply:twenty"] = 1.0
        examples.append((features, shrug))
    model = answer_model.fit(examples)
    assert model.weights["reply:no idea"] > 0 > model.weights["reply:twenty"]
    assert answer_model.fit(examples) == model
    text = answer_model.to_toml(model, {"questions": len(examples)})
    assert '"reply:no idea" = ' in text and "[weights]" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bundled_weights_are_fitted_to_todays_dev_transcripts(lang):
    """A changed or added dev transcript needs the weights refitted: python3 scripts/train_answer_model.py."""
    spec = importlib.util.spec_from_file_location("train_answer_model", REPO / "scripts" / "train_answer_model.py")
    assert spec and spec.loader
    trainer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trainer)
    assert not trainer.stale(lang), f"answer_model_{lang}.toml is stale: run python3 scripts/train_answer_model.py"
    for heard in (False, True):
        model = answer_model.load(lang, heard=heard)
        assert model is not None and model.weights["rule:answered"] < 0  # the rule's answer counts for an answer
        assert set(answer_model.SIGNALS) & set(model.weights)


def test_a_pack_sets_how_sure_the_model_must_be():
    settings = load_pack("en")["unanswered"]
    assert settings["model"] is True and 0 < settings["model_answered_below"] < settings["model_unanswered_at"] < 1
