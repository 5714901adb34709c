"""The rest of the course (docs/course.md §6): wording, forbidden phrases, 你-statements, closing,
interruptions, volume, intonation, filler words, required and company phrases.

Transcripts are built here or read from tests/fixtures/course/; audio is
synthesised here (espeak-ng speech, harmonic voices with known pitch
contours) into two-channel files with known overlaps and levels, and every
call is scored through ``score_call`` like a user's call.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callcoach.cli import main as cli_main
from callcoach.errors import ConfigError
from callcoach.packs import load_pack
from callcoach.rules import ALL, docs
from callcoach.rules.base import CallSetup
from callcoach.rules.lexicon import fill
from callcoach.scoring import score_call
from callcoach.textnorm import simplify
from callcoach.transcript import Transcript, Turn, Word
from synth import at_level, espeak, harmonic_voice, place, rms_dbfs

FIXTURES = Path(__file__).parent / "fixtures" / "course"
REPO = Path(__file__).resolve().parents[1]
SR = 16000
NEW_CHECKS = (
    "wording",
    "forbidden",
    "you_statements",
    "closing",
    "interruption",
    "volume",
    "intonation",
    "filler",
    "required",
)
PHRASE_RULES = ("wording", "forbidden", "you_statements")


# --------------------------------------------------------------------------- helpers


def call(*lines, language: str = "zh") -> Transcript:
    """A transcript from (speaker, start_s, end_s, text) lines."""
    turns = tuple(Turn(sp, a, b, text, simplified=simplify(text)) for sp, a, b, text in lines)
    return Transcript(turns, language)


def agent_says(text: str, language: str = "zh") -> Transcript:
    """A short call whose middle agent turn says ``text`` (the first turn is a proper greeting)."""
    greet = (
        "您好，华信公司，我是李明，请问有什么可以帮您？"
        if language == "zh"
        else "Thank you for calling Acme, this is Anna, how may I help you?"
    )
    reply = "我想问一下。" if language == "zh" else "I have a question."
    return call(
        ("agent", 0.0, 4.0, greet), ("customer", 4.5, 6.0, reply), ("agent", 6.5, 10.0, text), language=language
    )


def scored(transcript: Transcript, *, audio=None, setup: CallSetup | None = None, extra_packs=()):
    card = score_call(
        audio, transcript=transcript, setup=setup or CallSetup(company="华信", agent="李明"), extra_packs=extra_packs
    )
    return card.to_dict()


def findings(card: dict, rule: str) -> list[dict]:
    return [f for f in card["findings"] if f["rule"] == rule]


def write_stereo(path: Path, agent: np.ndarray, customer: np.ndarray, samplerate: int = SR) -> Path:
    n = max(len(agent), len(customer))
    frames = np.zeros((n, 2), np.float32)
    frames[: len(agent), 0] = agent
    frames[: len(customer), 1] = customer
    sf.write(path, np.clip(frames, -1.0, 1.0), samplerate, subtype="PCM_16")
    return path


def speech(text: str, level_dbfs: float = -22.0) -> np.ndarray:
    signal, _ = espeak(text, voice="en-us", samplerate=SR)
    return at_level(signal, level_dbfs)


# --------------------------------------------------------------------------- the 003 table

#: The 003 table (docs/course.md §6.1): improper wording said in a sentence -> the polite form's core.
TABLE_003 = [
    ("喂，哪位？", "您好"),
    ("我是华信公司的，找您有点事。", "这里是华信"),
    ("你是谁？", "请问您是"),
    ("你叫什么名字？", "能告诉我您的姓名吗"),
    ("你姓什么？", "请问您贵姓"),
    ("你电话是多少？", "能留下您的联系方式吗"),
    ("你有什么事？", "请问您有什么事吗"),
    ("你等着。", "请您稍等一会儿"),
    ("你说完了吗？", "您还有其他事吗"),
    ("我忘不了的。", "请放心，我一定照办"),
    ("什么？再说一遍！", "对不起，我没听清楚，请您再说一遍，好吗"),
    ("这个不归我管。", "我可以帮您询问下"),
]


@pytest.mark.parametrize("said, polite", TABLE_003)
def test_every_row_of_the_003_table_is_found_with_its_polite_form(said, polite):
    # the bare 喂 counts when it opens the call; the other rows anywhere in the agent's speech
    transcript = (
        call(("agent", 0.0, 3.0, said), ("customer", 3.5, 5.0, "我想问一下。"))
        if said.startswith("喂")
        else agent_says(said)
    )
    card = scored(transcript)
    (found,) = findings(card, "wording")
    assert polite in found["suggestion"]
    assert found["heard"] and found["at_s"] is not None
    assert card["checks"]["wording"]["status"] == "warn" and card["checks"]["wording"]["count"] == 1


def test_polite_forms_do_not_trip_the_improper_ones():
    card = scored(
        call(
            ("agent", 0.0, 4.0, "您好，这里是华信公司，我是李明。"),
            ("agent", 5.0, 12.0, "请您稍等一会儿。我可以帮您询问下。请问您是……？请问您贵姓？"),
            ("agent", 13.0, 20.0, "能留下您的联系方式吗？请问您有什么事吗？对不起，我没听清楚，请您再说一遍，好吗？"),
            ("agent", 21.0, 26.0, "请放心，我一定照办。您还有其他事吗？"),
        )
    )
    for rule in PHRASE_RULES:
        assert card["checks"][rule]["status"] == "pass", findings(card, rule)


def test_a_whole_polite_call_passes_and_a_rude_one_with_asr_noise_fails():
    polite = score_call(transcript_path=FIXTURES / "zh_polite.srt", setup=CallSetup(company="华信", agent="李明"))
    checks = polite.to_dict()["checks"]
    for key in ("wording", "forbidden", "you_statements", "closing", "filler", "interruption"):
        assert checks[key]["status"] == "pass", (key, checks[key])
    # no punctuation, spaces between characters, a homophone (不规我管), traditional 等著
    rude = score_call(transcript_path=FIXTURES / "zh_rude.srt", setup=CallSetup(company="华信", agent="李明")).to_dict()
    got = {(f["rule"], f["suggestion"]) for f in rude["findings"]}
    for polite_form in (
        "您好",
        "请问您是……？",
        "能告诉我您的姓名吗？",
        "能留下您的联系方式吗？",
        "请您稍等一会儿",
        "我可以帮您询问下",
        "对不起，我没听清楚，请您再说一遍，好吗？",
        "您还有其他事吗？",
    ):
        assert ("wording", polite_form) in got, polite_form
    assert rude["checks"]["wording"]["status"] == "fail"
    assert rude["checks"]["forbidden"]["status"] == "fail"
    assert rude["checks"]["you_statements"]["status"] == "fail"
    assert rude["checks"]["closing"]["status"] == "fail"
    assert polite.score > rude["score"]


@pytest.mark.parametrize(
    "heard, polite",
    [
        ("你 等 着", "请您稍等一会儿"),  # spaces between characters
        ("这个不规我管", "我可以帮您询问下"),  # homophone 规/归
        ("你教什么名字", "能告诉我您的姓名吗？"),  # homophone 教/叫
        ("你電話是多少", "能留下您的联系方式吗？"),  # traditional characters
    ],
)
def test_wording_survives_asr_noise(heard, polite):
    (found,) = findings(scored(agent_says(heard)), "wording")
    assert found["suggestion"] == polite


def test_a_finding_is_timed_by_the_words_when_the_turn_has_word_timing():
    words = (Word("好的", 6.5, 6.9), Word("你", 7.4, 7.5), Word("等着", 7.5, 8.0), Word("吧", 8.0, 8.2))
    turn = Turn("agent", 6.5, 8.2, "好的你等着吧", words)
    transcript = Transcript((Turn("agent", 0.0, 4.0, "您好，华信公司，我是李明"), turn), "zh")
    (found,) = findings(scored(transcript), "wording")
    assert found["at_s"] == pytest.approx(7.4, abs=0.01)


def test_company_and_agent_names_fill_the_suggestion():
    (found,) = findings(scored(agent_says("我是星河公司的"), setup=CallSetup(company="星河物业")), "wording")
    assert found["suggestion"] == "这里是星河物业"


# --------------------------------------------------------------------------- forbidden phrases

#: 000 服务的禁言, 这种事情通常不会发生, 是的，但是 (000) and 004's words, as the seeds write them.
FORBIDDEN_000_004 = [
    "你好像不明白",
    "你肯定弄混了",
    "你应该",
    "我们不会",
    "我们从没",
    "我们不可能",
    "你弄错了",
    "以前从来没有人抱怨过这些",
    "这是我们公司的规定",
    "我不知道",
    "这不关我的事",
    "我们可不负责",
    "我们一直都是这样做的",
    "这是你的事，你自己做决定",
    "绝对不会，绝对不可能",
    "这种事情通常不会发生",
    "是的，但是",
    "我不懂",
    "我想",
    "可能",
]


@pytest.mark.parametrize("phrase", FORBIDDEN_000_004)
def test_every_forbidden_phrase_of_the_seeds_is_found(phrase):
    card = scored(agent_says(f"嗯，{phrase}。"))
    found = findings(card, "forbidden")
    assert found, phrase
    assert all(f["suggestion"] for f in found)
    assert card["checks"]["forbidden"]["status"] in ("warn", "fail")


def test_forbidden_homophone_and_longest_phrase():
    found = findings(scored(agent_says("这不官我的事")), "forbidden")  # 官/关
    assert [f["heard"] for f in found] == ["这不官我的事"]
    # 我们不可能 is one finding, not also the hedge 可能
    card = scored(agent_says("我们不可能这么做"))
    assert card["checks"]["forbidden"]["count"] == 1


def test_allowed_phrases_and_short_words_by_characters_only():
    card = scored(agent_says("我们会尽可能快地处理。我想请问一下您的地址。我先帮您查一下，我现在就安排。"))
    assert card["checks"]["forbidden"]["status"] == "pass", findings(card, "forbidden")


def test_hedges_warn_but_never_fail_and_two_forbidden_phrases_fail():
    hedges = scored(agent_says("可能明天吧，我想应该可以，可能后天。"))
    assert hedges["checks"]["forbidden"]["status"] == "warn"
    assert {f["severity"] for f in findings(hedges, "forbidden")} == {"info"}
    two = scored(agent_says("我不知道，这是我们公司的规定。"))
    assert two["checks"]["forbidden"]["status"] == "fail"


def test_required_phrase_masks_a_forbidden_word_inside_it(tmp_path):
    pack = tmp_path / "company.toml"
    pack.write_text('language = "zh"\n[required]\nprivacy = ["本次通话可能会被录音"]\n', encoding="utf-8")
    card = scored(agent_says("本次通话可能会被录音。"), extra_packs=[pack])
    assert card["checks"]["forbidden"]["status"] == "pass"
    assert card["checks"]["required"]["status"] == "pass"


# --------------------------------------------------------------------------- 你-statements


@pytest.mark.parametrize(
    "said, suggestion",
    [
        ("你必须先交费", "我们需要"),
        ("如果你需要我的帮助，你必须先登记", "我愿意帮助您，但首先我需要"),
        ("你错了，不是那样的！", "对不起，我没说清楚"),
        ("你没有弄明白，这次听好了。", "也许我说得不够清楚，请允许我再解释一遍"),
        ("你没 有 弄 明 白", "也许我说得不够清楚"),  # ASR spacing
    ],
)
def test_accusing_you_statements_get_the_i_form(said, suggestion):
    found = findings(scored(agent_says(said)), "you_statements")
    assert len(found) == 1 and suggestion in found[0]["suggestion"]


def test_i_statements_pass():
    card = scored(agent_says("也许我说得不够清楚，请允许我再解释一遍。我们需要您提供发票。对不起我没说清楚。"))
    assert card["checks"]["you_statements"]["status"] == "pass"


# --------------------------------------------------------------------------- every pack phrase belongs to one rule


def _pack_phrases(language: str):
    pack = load_pack(language)
    for name, pair in pack["wording"]["pairs"].items():
        if not pair.get("opening"):
            yield "wording", pair["improper"][0], pair["polite"]
    for name, group in pack["forbidden"]["groups"].items():
        yield "forbidden", group["phrases"][0], group["suggestion"]
    for name, pair in pack["you_statements"]["pairs"].items():
        yield "you_statements", pair["improper"][0], pair["polite"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_phrase_trips_exactly_its_own_rule_and_each_suggestion_trips_none(language):
    for rule, phrase, suggestion in _pack_phrases(language):
        phrase = phrase.replace("…", "我们") if language == "zh" else phrase.replace("…", "so")
        card = scored(agent_says(phrase, language), setup=CallSetup(company="Acme", agent="Anna"))
        tripped = {r for r in PHRASE_RULES if findings(card, r)}
        assert tripped == {rule}, (phrase, tripped)
        said = fill(suggestion, CallSetup(company="Acme", agent="Anna"), language).replace("…", "")
        card = scored(agent_says(said, language), setup=CallSetup(company="Acme", agent="Anna"))
        assert not [f for r in PHRASE_RULES for f in findings(card, r)], (said, card["findings"])


# --------------------------------------------------------------------------- closing


def test_a_full_closing_passes_with_evidence():
    transcript = call(
        ("agent", 0.0, 4.0, "您好，华信公司，我是李明，请问有什么可以帮您？"),
        ("customer", 4.5, 8.0, "空调坏了。"),
        ("agent", 40.0, 48.0, "跟您确认一下，明天上午十点师傅上门维修，出发前会先给您打电话。"),
        ("agent", 48.5, 51.0, "您还有其他事吗？"),
        ("customer", 51.5, 52.5, "没有了。"),
        ("agent", 53.0, 57.0, "我是黎明，感谢您的来电，再见。"),
    )  # ASR wrote 黎明 for 李明
    card = scored(transcript)
    got = card["checks"]["closing"]
    assert got["status"] == "pass" and got["said"] == 5
    assert got["evidence"]["anything_else"]["at_s"] == pytest.approx(48.5, abs=0.01)
    assert "黎明" in got["evidence"]["own_name"]["heard"]
    assert not findings(card, "closing")


def test_recap_by_restating_the_agreed_points_and_missing_parts():
    transcript = call(
        ("agent", 0.0, 4.0, "您好，华信公司，我是李明。"),
        ("customer", 4.5, 8.0, "空调坏了。"),
        ("agent", 20.0, 26.0, "好的，明天上午师傅上门，地址是幸福小区三栋，上门费五十元。"),
        ("agent", 27.0, 28.0, "再见。"),
    )
    card = scored(transcript)
    got = card["checks"]["closing"]
    assert got["recap"] and set(got["evidence"]["recap"]["topics"]) >= {"when", "where", "who", "how_much"}
    missing = {f["suggestion"] for f in findings(card, "closing")}
    assert "您还有其他事吗？" in missing and "感谢您的来电。" in missing
    assert "我是李明，有问题可以随时联系我。" in missing  # the opening does not count as repeating the name
    assert got["status"] == "fail"


def closed(language: str, customer: str, close: str) -> dict:
    """The scorecard of a short call: an opening, the customer's line, then ``close`` and a goodbye."""
    opening = "您好，华信公司，我是李明。" if language == "zh" else "Hello, Acme, Anna speaking."
    return scored(
        call(
            ("agent", 0.0, 4.0, opening),
            ("customer", 4.5, 8.0, customer),
            ("agent", 20.0, 26.0, close),
            ("agent", 27.0, 28.0, "再见。" if language == "zh" else "Bye."),
            language=language,
        )
    )


@pytest.mark.parametrize(
    "language, close",
    [
        ("zh", "好的，报价明天上午发短信给您。"),  # when + how: the next step
        ("en", "Right, I'll email you the quote tomorrow morning."),
    ],
)
def test_saying_how_and_when_the_next_step_comes_is_no_recap(language, close):
    """A recap restates the agreed points; "I'll email you the quote tomorrow" says what happens next (how it will
    come is not one of the points counted)."""
    card = closed(language, "空调坏了。" if language == "zh" else "My boiler's broken.", close)
    assert not card["checks"]["closing"]["recap"]
    assert {"when", "how"} <= set(card["checks"]["5w2h"]["covered"])


@pytest.mark.parametrize(
    "language, close",
    [
        # the last questions answered at the end are no recap of what was agreed (fewer than `recap_topics` points)
        ("zh", "明天吧，两个师傅过去，上门费一百五十元。"),
        ("en", "Tomorrow, an engineer, sixty pounds."),
    ],
)
def test_answering_a_last_question_or_two_is_no_recap(language, close):
    customer = "什么时候来？几个人？多少钱？" if language == "zh" else "When? Who? How much?"
    assert not closed(language, customer, close)["checks"]["closing"]["recap"]


@pytest.mark.parametrize(
    "language, close",
    [
        ("zh", "好的，一会儿我把定位发您微信上，周六见。"),
        ("en", "Lovely, you'll get a text the night before."),
    ],
)
def test_telling_what_comes_next_in_other_words_is_the_next_step(language, close):
    assert closed(language, "好的。" if language == "zh" else "Great.", close)["checks"]["closing"]["next_step"]


@pytest.mark.parametrize(
    "language, close",
    [
        ("zh", "周先生，得嘞，礼拜六上午我给您留着。"),  # what the agent keeps for the customer
        ("en", "The text'll come through in a few minutes."),
    ],
)
def test_what_is_kept_or_will_come_through_is_the_next_step(language, close):
    assert closed(language, "好的。" if language == "zh" else "Great.", close)["checks"]["closing"]["next_step"]


@pytest.mark.parametrize(
    "close, said",
    [
        ("Thanks for calling, it's Derek here if you need anything.", True),
        ("Thanks very much for calling, it was Sinéad here if you need us again.", True),
        ("It's all here in the pack, thanks.", False),
        ("It's not here yet, it'll come Monday.", False),
    ],
)
def test_its_name_here_is_the_agents_own_name_when_the_name_is_not_given(close, said):
    transcript = call(
        ("agent", 0.0, 4.0, "Hello, Acme."),
        ("customer", 4.5, 8.0, "Great."),
        ("agent", 20.0, 26.0, close),
        ("agent", 27.0, 28.0, "Bye."),
        language="en",
    )
    assert bool(scored(transcript, setup=CallSetup(company="Acme"))["checks"]["closing"]["own_name"]) is said


def test_going_over_the_points_again_in_mandarin_is_a_recap():
    close = "好额，那我再跟您讲一遍哦：礼拜四下半天两点，您到居委会二楼寻陆主任谈加梯。"
    assert closed("zh", "没了没了，就搿点。", close)["checks"]["closing"]["recap"]


@pytest.mark.parametrize(
    "close",
    [
        "Okay, so just to go over it: Archie's booked in Thursdays at nine-thirty with Leanne.",
        "So just to run through it: Gareth surveys the stairs on Monday.",
        "Lovely. Right, so I've got you down for the thirteenth, three o'clock.",
    ],
)
def test_going_over_or_running_through_the_booking_is_a_recap(close):
    assert closed("en", "Great.", close)["checks"]["closing"]["recap"]


def long_close(language: str, long_turn: str) -> dict:
    """A call whose agent says ``long_turn`` from 100 s to 140 s, then two short turns, the goodbye at 143-145 s:
    the long turn starts 45 s before the agent's last word, outside the 30-second closing window."""
    opening = "您好，华信公司，我是李明。" if language == "zh" else "Hello, Acme, Anna speaking."
    return scored(
        call(
            ("agent", 0.0, 4.0, opening),
            ("customer", 4.5, 8.0, "空调坏了。" if language == "zh" else "My boiler's broken."),
            ("agent", 100.0, 140.0, long_turn),
            ("customer", 140.5, 141.0, "嗯。" if language == "zh" else "Mm."),
            ("agent", 141.5, 142.0, "好。" if language == "zh" else "Right."),
            ("customer", 142.5, 142.8, "谢谢。" if language == "zh" else "Thanks."),
            ("agent", 143.0, 145.0, "再见。" if language == "zh" else "Bye now."),
            language=language,
        )
    )["checks"]["closing"]


@pytest.mark.parametrize(
    "language, long_turn",
    [
        (
            "en",
            "Right, so just to recap: the service on the twelfth with Gary, sixty-eight pounds, parts included, "
            "and he'll ring you half an hour before. Anything else I can help you with today?",
        ),
        (
            "zh",
            "好的，那我跟您确认一下：十二号上午王师傅上门，检修费六十八元，配件另算，出发前半小时会给您打电话。"
            "您还有其他需要帮助的吗？",
        ),
    ],
)
def test_a_long_recap_that_began_before_the_last_thirty_seconds_is_the_close(language, long_turn):
    """The close starts at its recap: a recap turn that began more than 30 s before the agent's last word still
    counts whole from "So just to recap" on — the recap, the next step and the anything-else in it."""
    got = long_close(language, long_turn)
    assert got["recap"] and got["next_step"] and got["anything_else"]
    assert got["window_start_s"] < 115.0 and got["evidence"]["recap"]["at_s"] >= 100.0


@pytest.mark.parametrize(
    "language, long_turn",
    [
        (
            "en",
            "I'll send the engineer's notes to head office, they'll look at the warranty, that usually takes a "
            "while, and the part itself is the old type, so the whole unit was made before the changes came in and "
            "nobody really fits them now, they're all combi boilers these days.",
        ),
        (
            "zh",
            "我们会把师傅的记录发给总部，总部再看保修，这个一般要一段时间，而且这个零件是老款的，整台机器都是改版之前做的，"
            "如今基本上没人装这种了，都换成变频的了。",
        ),
    ],
)
def test_what_a_long_turn_said_before_the_last_thirty_seconds_is_no_close(language, long_turn):
    """A long explanation that runs into the last 30 s is heard only from there: "I'll send the engineer's notes"
    40 s before the goodbye is no next step of the close."""
    got = long_close(language, long_turn)
    assert not got["next_step"] and not got["recap"]
    assert got["window_start_s"] == pytest.approx(115.0)


def test_closing_is_not_applicable_without_agent_speech():
    card = scored(call(("customer", 0.0, 3.0, "喂？有人吗？")))
    assert card["checks"]["closing"]["status"] == "n/a"
    for key in NEW_CHECKS:
        assert card["checks"][key]["status"] == "n/a", key


# --------------------------------------------------------------------------- interruptions


def test_interruptions_from_transcript_times_when_speakers_are_labelled():
    transcript = call(
        ("agent", 0.0, 3.0, "您好，华信公司，我是李明。"),
        ("customer", 3.5, 9.0, "我上周就报修了，到现在还没人来。"),
        ("agent", 6.0, 8.0, "那个我们查不到。"),  # cuts in: 2 s of overlap
        ("agent", 8.8, 9.1, "嗯。"),  # backchannel: 0.2 s, not counted
        ("customer", 10.0, 12.0, "你们到底什么时候来？"),
        ("agent", 12.5, 15.0, "明天上午。"),
    )
    card = scored(transcript)
    got = card["checks"]["interruption"]
    assert got["source"] == "transcript" and got["count"] == 1 and got["status"] == "warn"
    assert got["interruptions"][0]["at_s"] == 6.0 and got["interruptions"][0]["overlap_s"] == 2.0
    (found,) = findings(card, "interruption")
    assert found["heard"] == "那个我们查不到。" and found["suggestion"]


def test_interruptions_need_the_two_sides_apart():
    transcript = Transcript((Turn("unknown", 0.0, 3.0, "您好"), Turn("unknown", 2.0, 5.0, "我想问一下")), "zh")
    assert scored(transcript)["checks"]["interruption"]["status"] == "n/a"


@pytest.fixture(scope="module")
def overlap_call(tmp_path_factory):
    """Stereo call: the agent talks over the customer once (known overlap), says a short 'yes' once, waits once."""
    customer_1 = speech("I have been waiting for the engineer since Monday and nobody has called me back about it")
    agent_cut = speech("Sorry let me check that for you right now")
    customer_2 = speech("Can someone come tomorrow morning please")
    agent_yes = speech("yes")
    agent_reply = speech("Yes a technician can come tomorrow at ten")
    c1_at, cut_at = 1.0, 3.0
    c1_end = c1_at + len(customer_1) / SR
    c2_at = cut_at + len(agent_cut) / SR + 1.5
    yes_at = c2_at + 0.8
    c2_end = c2_at + len(customer_2) / SR
    reply_at = c2_end + 0.8
    total = reply_at + len(agent_reply) / SR + 1.0
    agent = place(total, SR, [(cut_at, agent_cut), (yes_at, agent_yes), (reply_at, agent_reply)])
    customer = place(total, SR, [(c1_at, customer_1), (c2_at, customer_2)])
    path = write_stereo(tmp_path_factory.mktemp("overlap") / "overlap.wav", agent, customer)
    transcript = call(
        ("customer", c1_at, c1_end, "I have been waiting for the engineer since Monday"),
        ("agent", cut_at, cut_at + len(agent_cut) / SR, "Sorry, let me check that for you right now."),
        ("customer", c2_at, c2_end, "Can someone come tomorrow morning, please?"),
        ("agent", yes_at, yes_at + len(agent_yes) / SR, "Yes."),
        ("agent", reply_at, reply_at + len(agent_reply) / SR, "Yes, a technician can come tomorrow at ten."),
        language="en",
    )
    truth = {
        "at_s": cut_at,
        "overlap_s": min(c1_end, cut_at + len(agent_cut) / SR) - cut_at,
        "yes_s": len(agent_yes) / SR,
    }
    return path, transcript, truth


def test_interruption_found_on_two_channel_audio_with_known_overlap(overlap_call):
    path, transcript, truth = overlap_call
    assert truth["yes_s"] < 0.5  # the short "yes" is a backchannel under the minimum overlap
    card = scored(transcript, audio=path, setup=CallSetup(layout="stereo"))
    got = card["checks"]["interruption"]
    assert got["source"] == "audio"
    assert got["count"] == 1, got
    (cut,) = got["interruptions"]
    assert cut["at_s"] == pytest.approx(truth["at_s"], abs=0.3)
    assert cut["overlap_s"] == pytest.approx(truth["overlap_s"], abs=0.4)
    assert findings(card, "interruption")[0]["heard"].startswith("Sorry")


def test_a_longer_minimum_overlap_from_a_pack_clears_the_interruption(overlap_call, tmp_path):
    path, transcript, truth = overlap_call
    pack = tmp_path / "lenient.toml"
    pack.write_text(f'language = "en"\n[interruption]\nmin_overlap_s = {truth["overlap_s"] + 1.0:.1f}\n')
    card = scored(transcript, audio=path, setup=CallSetup(layout="stereo"), extra_packs=[pack])
    assert card["checks"]["interruption"]["status"] == "pass"


# --------------------------------------------------------------------------- volume


def _limited(signal: np.ndarray, level_dbfs: float, ceiling: float = 0.85) -> np.ndarray:
    """``signal`` pushed through a soft limiter (a loud voice through a headset's AGC) to ``level_dbfs`` RMS.

    The ceiling leaves the usual headroom of a limiter (-1.4 dBFS) for the overshoot of later resampling.
    """
    drive = 1.0
    while rms_dbfs(ceiling * np.tanh(drive * signal)) < level_dbfs and drive < 1e4:
        drive *= 1.1
    return (ceiling * np.tanh(drive * signal)).astype(np.float32)


def _volume_call(tmp_path: Path, level_dbfs: float, clip_gain: float = 1.0, limit: bool = False):
    a1 = speech("Thank you for calling Acme support, this is Anna, how may I help you today", level_dbfs)
    a2 = speech("Thank you, I will book the technician for tomorrow morning at ten", level_dbfs)
    c1 = speech("My internet connection keeps dropping every evening", -24.0)
    if limit:
        a1, a2 = _limited(a1, level_dbfs), _limited(a2, level_dbfs)
    a1, a2 = np.clip(a1 * clip_gain, -1, 1), np.clip(a2 * clip_gain, -1, 1)
    t_a2 = 1.0 + len(a1) / SR + 0.8 + len(c1) / SR + 0.8
    total = t_a2 + len(a2) / SR + 1.0
    agent = place(total, SR, [(1.0, a1), (t_a2, a2)])
    customer = place(total, SR, [(1.0 + len(a1) / SR + 0.8, c1)])
    path = write_stereo(tmp_path / f"volume{level_dbfs:+.0f}_{clip_gain:g}.wav", agent, customer)
    transcript = call(
        ("agent", 1.0, 1.0 + len(a1) / SR, "Thank you for calling Acme support, this is Anna."),
        ("customer", 1.0 + len(a1) / SR + 0.8, t_a2 - 0.8, "My internet keeps dropping."),
        ("agent", t_a2, t_a2 + len(a2) / SR, "Thank you, I will book the technician."),
        language="en",
    )
    expected = rms_dbfs(np.concatenate([a1, a2]))
    return scored(transcript, audio=path, setup=CallSetup(layout="stereo")), expected


def test_volume_in_band_passes_and_is_measured(tmp_path):
    card, expected = _volume_call(tmp_path, -24.0)
    got = card["checks"]["volume"]
    assert got["status"] == "pass" and got["channel"] == "agent"
    assert got["level_dbfs"] == pytest.approx(expected, abs=2.0)
    assert got["clipping_ratio"] == 0.0


def test_loud_voice_warns(tmp_path):
    card, expected = _volume_call(tmp_path, -11.0, limit=True)
    got = card["checks"]["volume"]
    assert got["level_dbfs"] == pytest.approx(expected, abs=2.0) and got["level_dbfs"] > -15.0
    assert got["clipping_ratio"] < got["clip_limit"]
    assert got["status"] == "warn"
    (found,) = findings(card, "volume")
    assert found["severity"] == "warning" and "loud" in found["message"]


def test_clipping_fails(tmp_path):
    card, _ = _volume_call(tmp_path, -20.0, clip_gain=6.0)
    got = card["checks"]["volume"]
    assert got["status"] == "fail" and got["clipping_ratio"] > 0.001
    assert any(f["severity"] == "error" and "clips" in f["message"] for f in findings(card, "volume"))


def test_quiet_voice_warns_and_no_audio_is_not_applicable(tmp_path):
    card, expected = _volume_call(tmp_path, -50.0)
    assert card["checks"]["volume"]["status"] == "warn"
    assert card["checks"]["volume"]["level_dbfs"] == pytest.approx(expected, abs=3.0)
    assert scored(agent_says("您好"))["checks"]["volume"]["status"] == "n/a"


# --------------------------------------------------------------------------- intonation


def _voice_call(tmp_path: Path, contour, name: str):
    agent_1 = harmonic_voice(contour, 4.0, SR, level_dbfs=-22.0, syllable_hz=4.0)
    agent_2 = harmonic_voice(contour, 4.0, SR, level_dbfs=-22.0, syllable_hz=4.0)
    customer = speech("Can you tell me when the technician will arrive")
    c_at = 6.0
    a2_at = c_at + len(customer) / SR + 0.8
    total = a2_at + 5.0
    path = write_stereo(
        tmp_path / f"{name}.wav",
        place(total, SR, [(1.0, agent_1), (a2_at, agent_2)]),
        place(total, SR, [(c_at, customer)]),
    )
    transcript = call(
        ("agent", 1.0, 5.0, "Thank you for calling, this is Anna."),
        ("customer", c_at, c_at + len(customer) / SR, "When will the technician arrive?"),
        ("agent", a2_at, a2_at + 4.0, "Tomorrow at ten."),
        language="en",
    )
    return scored(transcript, audio=path, setup=CallSetup(layout="stereo"))


def test_flat_voice_is_monotone(tmp_path):
    card = _voice_call(tmp_path, 140.0, "flat")
    got = card["checks"]["intonation"]
    assert got["status"] == "fail" and got["variation_semitones"] < 0.5
    assert got["pitch_median_hz"] == pytest.approx(140.0, rel=0.03)
    assert findings(card, "intonation")[0]["suggestion"]


def test_varied_voice_passes_with_the_contours_range(tmp_path):
    depth_st = 4.0  # f0 swings +-4 semitones: the 10-90 % range of a sine is 2 * 4 * sin(0.4 pi) = 7.6 semitones
    card = _voice_call(tmp_path, lambda t: 140.0 * 2 ** (depth_st * np.sin(2 * np.pi * 0.5 * t) / 12), "varied")
    got = card["checks"]["intonation"]
    assert got["status"] == "pass"
    assert got["variation_semitones"] == pytest.approx(2 * depth_st * np.sin(0.4 * np.pi), abs=1.0)


def test_slightly_varied_voice_warns(tmp_path):
    card = _voice_call(tmp_path, lambda t: 140.0 * 2 ** (1.2 * np.sin(2 * np.pi * 0.5 * t) / 12), "narrow")
    got = card["checks"]["intonation"]
    assert 1.5 <= got["variation_semitones"] < 3.0 and got["status"] == "warn"


# --------------------------------------------------------------------------- filler words


def test_filler_words_per_minute():
    many = call(
        ("agent", 0.0, 10.0, "嗯，那个，您好，就是说，嗯，您那个地址是哪里？"),
        ("agent", 12.0, 22.0, "呃，嗯，那个，明天上午可以吗？"),
    )
    got = scored(many)["checks"]["filler"]
    # 那个 before 地址 is an ordinary word: 嗯 x3, 那个 x2, 就是说, 呃 = 7 in 20 s of speech
    assert got["count"] == 7 and got["per_min"] == pytest.approx(21.0, abs=0.01)
    assert got["counts"]["嗯"] == 3 and got["counts"]["那个"] == 2
    assert got["status"] == "fail"
    few = call(
        ("agent", 0.0, 30.0, "您好，华信公司。那个地址是哪里？请问您什么时候方便？"),
        ("agent", 31.0, 60.0, "嗯，好的，明天上午十点师傅上门。"),
    )
    assert scored(few)["checks"]["filler"]["status"] == "pass"


def test_english_fillers():
    transcript = call(
        ("agent", 0.0, 15.0, "Um, thank you for calling, uh, this is Anna. Um, how can I, uh, help?"), language="en"
    )
    got = scored(transcript, setup=CallSetup())["checks"]["filler"]
    assert got["count"] == 4 and got["status"] == "fail"


# --------------------------------------------------------------------------- required and company phrases


def test_required_phrases_from_a_company_pack(tmp_path):
    pack = tmp_path / "company.toml"
    pack.write_text(
        'language = "zh"\n[required]\nprivacy = ["本次通话可能会被录音", "通话将被录音"]\n'
        'survey = ["请您对我的服务做出评价"]\n',
        encoding="utf-8",
    )
    card = scored(agent_says("本次通话可能会被录音"), extra_packs=[pack])
    got = card["checks"]["required"]
    assert got["status"] == "fail" and got["missing"] == ["survey"] and got["required"]["privacy"]["said"]
    (missing,) = findings(card, "required")
    assert missing["suggestion"] == "请您对我的服务做出评价"
    # said without punctuation, with a homophone (平价 for 评价)
    card = scored(agent_says("本次通话可能会被录音 请您对我的服务做出平价"), extra_packs=[pack])
    assert card["checks"]["required"]["status"] == "pass"
    assert scored(agent_says("您好"))["checks"]["required"]["status"] == "n/a"


def test_company_pack_adds_forbidden_phrases_that_are_then_found(tmp_path):
    pack = tmp_path / "company.toml"
    pack.write_text(
        'language = "zh"\n\n[forbidden]\nphrases = ["爱莫能助"]\n\n'
        '[custom.competitor]\nlabel = "提到竞争对手"\nphrases = ["隔壁那家"]\n'
        'suggestion = "我们的方案是……"\n',
        encoding="utf-8",
    )
    text = "爱莫能助，您去隔壁那家看看吧。"
    assert not findings(scored(agent_says(text)), "forbidden")
    card = scored(agent_says(text), extra_packs=[pack])
    got = {f["heard"]: f for f in findings(card, "forbidden")}
    assert len(got) == 2
    extra = next(f for h, f in got.items() if "爱莫能助" in h)
    custom = next(f for h, f in got.items() if "隔壁那家" in h)
    assert extra["suggestion"] == load_pack("zh")["forbidden"]["suggestion"]
    assert custom["suggestion"] == "我们的方案是……" and "提到竞争对手" in custom["message"]
    assert card["checks"]["forbidden"]["custom"] == 1 and card["checks"]["forbidden"]["status"] == "fail"


@pytest.mark.parametrize(
    "content, line, problem",
    [
        (
            'language = "zh"\n\n[custom.competitor]\nphrases = "隔壁那家"\n',
            4,
            "custom.competitor.phrases should be a list",
        ),
        ('language = "zh"\n[custom.competitor]\nsuggestion = "x"\n', 2, "phrases should be a non-empty list"),
        ('language = "zh"\n[custom.competitor]\nphrases = ["x"]\nseverity = "fatal"\n', 4, "severity should be one of"),
        ('language = "zh"\n[custom.competitor]\nphrases = ["x"]\ncolour = "red"\n', 4, "unknown setting"),
        ('[volume]\nmax_dbfs = "loud"\n', 2, "volume.max_dbfs should be a number"),
        ('[wording.pairs.ask_wait]\nimproper = "你等着"\n', 2, "should be a list"),
        ('[filler\nwords = ["嗯"]\n', 1, "invalid TOML"),
        ('[wording]\npickup_pair = "greeting"\n', 2, "wording.pickup_pair: 'greeting' is not one of the wording pairs"),
    ],
)
def test_a_broken_pack_is_a_one_line_error_with_file_and_line(tmp_path, content, line, problem):
    pack = tmp_path / "broken.toml"
    pack.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_pack("zh", [pack])
    message = str(err.value)
    assert message.startswith(f"{pack}:{line}: ") and problem in message and "\n" not in message


def test_a_broken_pack_on_the_command_line(tmp_path, capsys):
    pack = tmp_path / "broken.toml"
    pack.write_text('language = "zh"\n[custom.x]\nphrases = []\n', encoding="utf-8")
    rc = cli_main(["score", "--transcript", str(FIXTURES / "zh_rude.srt"), "--rules", str(pack)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and f"{pack}:3:" in err


def test_thresholds_with_negative_dbfs_can_be_set(tmp_path):
    pack = tmp_path / "strict.toml"
    pack.write_text("[volume]\nmax_dbfs = -30.0\nmin_dbfs = -60.0\n", encoding="utf-8")
    assert load_pack("zh", [pack])["volume"]["max_dbfs"] == -30.0


# --------------------------------------------------------------------------- English pack


def test_english_pack():
    transcript = call(
        ("agent", 0.0, 4.0, "Yeah?"),
        ("customer", 4.5, 7.0, "Hi, my internet is down."),
        ("agent", 7.5, 14.0, "Who is this? What's your phone number? I don't know, it's company policy."),
        ("customer", 14.5, 16.0, "But it worked yesterday."),
        ("agent", 16.5, 20.0, "You're wrong. Are you done?"),
        language="en",
    )
    card = scored(transcript, setup=CallSetup(company="Acme", agent="Anna"))
    wording = {f["suggestion"] for f in findings(card, "wording")}
    assert {
        "May I ask who's calling, please?",
        "Could I take a contact number for you?",
        "Is there anything else I can help you with?",
    } <= wording
    assert any(s.startswith("Good morning, thank you for calling Acme, this is Anna") for s in wording)
    assert len(findings(card, "forbidden")) == 2 and card["checks"]["forbidden"]["status"] == "fail"
    assert findings(card, "you_statements")[0]["suggestion"].startswith("I'm sorry, I didn't explain")
    polite = call(
        ("agent", 0.0, 5.0, "Thank you for calling Acme, this is Anna, how may I help you?"),
        ("customer", 5.5, 8.0, "My internet is down."),
        (
            "agent",
            8.5,
            16.0,
            "May I ask who's calling, please? Could I take a contact number for you? Let me find out for you.",
        ),
        (
            "agent",
            30.0,
            40.0,
            "Just to confirm, the technician will call you before arriving tomorrow. "
            "Is there anything else I can help you with? My name is Anna, thank you "
            "for calling.",
        ),
        language="en",
    )
    card = scored(polite, setup=CallSetup(company="Acme", agent="Anna"))
    for key in PHRASE_RULES + ("closing", "filler"):
        assert card["checks"][key]["status"] == "pass", (key, card["checks"][key], findings(card, key))


# --------------------------------------------------------------------------- score, rules, docs


def test_new_checks_count_in_the_score_with_their_weights():
    card = score_call(transcript=agent_says("你等着，这个不归我管。"), setup=CallSetup(company="华信", agent="李明"))
    data = card.to_dict()
    for key in NEW_CHECKS:
        assert key in data["checks"] and data["weights"].get(key, 0) > 0 or data["checks"][key]["status"] == "n/a"
    # wording failed: restoring it to pass raises the score by exactly its weighted share
    counted = {k: w for k, w in card.weights.items() if card.checks[k].status != "n/a"}
    card.checks["wording"].status = "pass"
    assert card.score - data["score"] == pytest.approx(100 * counted["wording"] / sum(counted.values()), abs=0.1)


def test_every_rule_describes_itself():
    ids = [m.RULE.id for m in ALL]
    assert len(ids) == len(set(ids))
    for module in ALL:
        r = module.RULE
        assert r.title and r.why and r.example and r.instead
        assert all(s in docs.SEEDS for s in r.seeds)
    checks = [m.RULE.check for m in ALL if m.RULE.check]
    assert set(NEW_CHECKS) <= set(checks)
    for lang in ("zh", "en"):
        assert set(checks) <= set(load_pack(lang)["weights"]), lang


def test_rules_command_lists_and_explains(capsys):
    assert cli_main(["rules"]) == 0
    out = capsys.readouterr().out
    for module in ALL:
        assert module.RULE.id in out
    assert cli_main(["rules", "wording"]) == 0
    out = capsys.readouterr().out
    assert "这个不归我管" in out and "我可以帮您询问下" in out
    assert cli_main(["rules", "no_such_rule"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_docs_page_is_generated_from_the_metadata_and_up_to_date():
    page = docs.rules_markdown()
    for module in ALL:
        assert f"## `{module.RULE.id}`" in page
    assert "这里是{company}" in page
    for said, polite in TABLE_003[2:]:
        assert polite.split("，")[0] in page
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == page, (
        "docs/rules.md is stale: python3 -m callcoach.rules.docs > docs/rules.md"
    )


def test_scorecard_json_carries_heard_and_suggestion():
    card = scored(agent_says("你等着"))
    text = json.dumps(card, ensure_ascii=False)
    (found,) = findings(card, "wording")
    assert found["heard"] == "你等着" and found["suggestion"] == "请您稍等一会儿"
    assert '"wording"' in text


def test_a_company_pack_extends_a_row_of_the_course_table(tmp_path):
    pack = tmp_path / "company.toml"
    pack.write_text('language = "zh"\n[wording.pairs.ask_wait]\nimproper = ["你先别挂"]\n', encoding="utf-8")
    assert not findings(scored(agent_says("你先别挂")), "wording")
    (found,) = findings(scored(agent_says("你先别挂"), extra_packs=[pack]), "wording")
    assert found["suggestion"] == "请您稍等一会儿"


def phrases_found(check: str, language: str, *lines: str) -> list[str]:
    """The phrases ``check`` flags in a call of ``lines``, agent and customer in turn (the agent first)."""
    transcript = Transcript(
        tuple(Turn("agent" if i % 2 == 0 else "customer", i * 5, i * 5 + 4, t) for i, t in enumerate(lines)),
        language=language,
    )
    card = score_call(transcript=transcript, setup=CallSetup(language=language)).to_dict()
    return [f["phrase"] for f in card["checks"][check]["found"]]


@pytest.mark.parametrize(
    "reply, found",
    [
        ("不可能，我们擦鞋都用软布。", ["不可能"]),  # all of a clause: it denies what the customer says
        ("不可能这么快的，要三天。", []),  # neither a denial nor the hedge 可能
        ("尽可能快给您弄好。", []),
        ("可能要三天。", ["可能"]),
    ],
)
def test_bukeneng_as_a_clause_denies_and_otherwise_stays_allowed(reply, found):
    assert phrases_found("forbidden", "zh", "您好，请讲。", "我的鞋被你们擦坏了！", reply, "好。") == found


@pytest.mark.parametrize(
    "reply, found",
    [
        ("公司规定，不收就是不收。", ["公司规定"]),  # the rule as all of a clause
        ("按公司规定，退款三个工作日到账。", []),  # the rule explained
    ],
)
def test_the_companys_rule_as_a_clause_of_its_own_is_hiding_behind_it(reply, found):
    assert phrases_found("forbidden", "zh", "您好，请讲。", "能不能收我的旧书？", reply, "好。") == found


def test_someone_at_the_till_hurries_the_caller_off():
    found = phrases_found(
        "wording",
        "en",
        "Kirkgate Music, hello.",
        "Is my son's violin ready yet?",
        "Look, I've got someone at the till.",
    )
    assert found == ["got someone at the till"]


@pytest.mark.parametrize(
    "check, language, reply, found",
    [
        # not knowing and not hearing, in dialect: 我哪晓得 (Sichuan), 啥子事, 你刚才说啥来着
        ("forbidden", "zh", "我哪晓得嘛，你问老板。", ["我哪知道"]),  # 晓得 reads as 知道
        ("wording", "zh", "啥子事？", ["什么事"]),
        ("wording", "zh", "你刚才说啥来着？", ["说啥来着"]),
        ("wording", "zh", "您刚才说的是周六对吧？", []),
        # "I don't know if the router's been fitted" does not know; "I don't know if you've seen our offer" asks
        ("forbidden", "en", "Honestly, I don't know if the router's been fitted yet.", ["i don't know"]),
        ("forbidden", "en", "I don't know if you've seen our spring offer?", []),
        # a dialect's 冇 is 没 (Wuhan, Cantonese): 退钱冇得办法, 我从来冇讲过
        ("forbidden", "zh", "那冇办法，钱都进了账了。", ["那没办法"]),
        ("forbidden", "zh", "我从来冇讲过不收钱。", ["我从来没"]),
        ("forbidden", "zh", "我们这里秤冇得问题。", []),
        ("wording", "zh", "你谁？哪个老刘？", ["你谁"]),
        ("wording", "zh", "你谁都可以找，我们都管。", []),
        ("wording", "en", "Name again?", ["name again"]),
        ("wording", "zh", "啊对，嘛事儿？", ["啥事儿"]),  # Tianjin 什么事 (嘛事 reads as 啥事)
        ("wording", "zh", "行了，我这儿还有别的电话进来。", ["别的电话进来"]),
        ("wording", "en", "Text me. Right, I've got folk waiting here.", ["i've got folk"]),
        ("forbidden", "en", "There's one for improvers, I'm no' sure if it's running.", ["i'm no sure"]),
        # 是但是 by its characters only: 是短丝 / 四点是 sound like it
        ("forbidden", "zh", "是，但是这个要另外收费。", ["是但是"]),
        ("forbidden", "zh", "剩下的是短丝，不影响。", []),
        # Sichuan: 我咋个晓得, 你等一哈 (一下); "That is your choice" leaves the customer to it
        ("forbidden", "zh", "我咋个晓得嘛，路牌又不是我们立的。", ["我怎么知道"]),
        ("wording", "zh", "你等一哈，我查一下。", ["你等一哈"]),
        ("forbidden", "en", "That is your choice, sir.", ["that is your choice"]),
        # Yunnan and Guizhou: 整哪样？ (what are you after), 你说哪样？, 莫得办法 (没有 is 莫得)
        ("wording", "zh", "喂，整哪样？", ["整哪样"]),
        ("wording", "zh", "啊？你说哪样？", ["你说哪样"]),
        ("forbidden", "zh", "早饭八点才有，莫得办法。", ["莫得办法"]),
    ],
)
def test_not_knowing_and_not_hearing_said_in_other_words(check, language, reply, found):
    opening = "您好，请讲。" if language == "zh" else "Hello, Acme."
    customer = "我想问个事。" if language == "zh" else "I wanted to ask something."
    assert phrases_found(check, language, opening, customer, reply) == found
