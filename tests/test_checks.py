"""Edge cases of the five checks (issue 3), on synthesised calls.

Each call is built here: ringback from :func:`callcoach.cadences.ringback_signal`,
agent and customer lines spoken by espeak-ng and placed where the test says,
written to a WAV in ``tmp_path``, with a transcript whose turns sit exactly
where the speech was placed. Then :func:`callcoach.scoring.score_call` scores
it and the test checks the figures against the placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pypinyin import Style, lazy_pinyin

from callcoach.cadences import cadence, ringback_signal
from callcoach.scoring import CallSetup, score_call
from callcoach.transcript import Transcript, Turn
from synth import at_level, espeak, tone

SR = 8000
#: Our own placement is exact; what callcoach measures from audio may move by a frame or two.
EDGE_S = 0.15


def _pinyin(text: str) -> str:
    """Tone-numbered pinyin for espeak-ng's cmn-latn-pinyin voice (its cmn voice lacks most Han characters)."""
    parts = []
    for piece in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True):
        piece = piece.strip()
        if piece[:1].isascii() and piece[:1].isalpha():
            parts.append(piece)
        elif piece:
            parts.append(",")
    return " ".join(parts)


def speech(text: str, speaker: str, lang: str, samplerate: int = SR) -> np.ndarray:
    """One utterance, espeak-ng, trimmed; agent and customer in different voices."""
    pitch, speed = (65, 150) if speaker == "agent" else (30, 165)
    if lang == "zh":
        signal, _ = espeak(_pinyin(text), voice="cmn-latn-pinyin", pitch=pitch, speed_wpm=speed, samplerate=samplerate)
    else:
        signal, _ = espeak(text, voice="en-us", pitch=pitch, speed_wpm=speed, samplerate=samplerate)
    return at_level(signal, -20.0 if speaker == "agent" else -23.0)


@dataclass
class Ring:
    region: str
    onset_s: float
    stop_s: float | None  # ringing stops here (the pick-up); None: rings to the end


@dataclass
class Built:
    path: Path
    transcript: Transcript
    turns: list[Turn]


def build_call(
    tmp_path,
    lines,
    *,
    lang="zh",
    ring: Ring | None = None,
    stereo=True,
    tail_s=1.0,
    extra_customer: list[tuple[float, np.ndarray]] = (),
    name="call",
    samplerate=SR,
) -> Built:
    """Place ``lines`` = [(speaker, start_s, text)] on a timeline; write the WAV and the matching transcript."""
    placed = []
    for speaker, start_s, text in lines:
        signal = speech(text, speaker, lang, samplerate)
        placed.append((speaker, start_s, text, signal))
    end_s = max(
        [s + len(sig) / samplerate for _, s, _, sig in placed]
        + [(ring.stop_s or 0.0) if ring else 0.0]
        + [s + len(sig) / samplerate for s, sig in extra_customer]
    )
    n = int(round((end_s + tail_s) * samplerate))
    agent = np.zeros(n, np.float32)
    customer = np.zeros(n, np.float32)
    turns = []
    for speaker, start_s, text, signal in placed:
        target = agent if speaker == "agent" else customer
        a = int(round(start_s * samplerate))
        target[a : a + len(signal)] += signal[: n - a]
        turns.append(Turn(speaker, start_s, start_s + len(signal) / samplerate, text))
    for start_s, signal in extra_customer:
        a = int(round(start_s * samplerate))
        customer[a : a + len(signal)] += signal[: n - a]
    if ring is not None:
        customer += ringback_signal(
            ring.region, n / samplerate, samplerate, onset_s=ring.onset_s, stop_s=ring.stop_s, level_dbfs=-22.0
        )
    frames = np.stack([agent, customer], axis=1) if stereo else (agent + customer)[:, None]
    path = tmp_path / f"{name}.wav"
    sf.write(path, np.clip(frames, -1, 1), samplerate, subtype="PCM_16")
    return Built(path, Transcript(tuple(turns), language=lang, duration_s=n / samplerate, source="test"), turns)


def score(built: Built, **setup) -> dict:
    return score_call(built.path, transcript=built.transcript, setup=CallSetup(**setup)).to_dict()


def score_text(turns: list[tuple[str, float, float, str]], lang: str = "zh", **setup) -> dict:
    """Score a transcript alone (no audio): [(speaker, start_s, end_s, text)]."""
    transcript = Transcript(tuple(Turn(s, a, b, t) for s, a, b, t in turns), language=lang, source="test")
    return score_call(transcript=transcript, setup=CallSetup(**setup)).to_dict()


OPENING = "您好，星河物业，我是李明，请问有什么可以帮您？"


# --------------------------------------------------------------------------- answer


@pytest.mark.parametrize("stereo", [True, False], ids=["stereo", "mono"])
def test_answer_during_a_ring_burst(tmp_path, stereo):
    """The agent starts talking while ring 3 is still sounding (in mono, the voice and the ring overlap)."""
    onset, answer = 0.5, 10.9  # ring 3 sounds 10.5-11.5 s
    built = build_call(tmp_path, [("agent", answer, OPENING)], ring=Ring("cn", onset, onset + 11.0), stereo=stereo)
    got = score(built)["checks"]["answer"]
    assert got["ringback"] == "cn"
    assert got["answer_s"] == pytest.approx(answer, abs=EDGE_S)
    assert got["rings"] == pytest.approx((answer - onset) / 5.0, abs=0.05)
    assert got["status"] == "pass"


@pytest.mark.parametrize(
    "region, onset, stop, answer",
    [
        ("cn", 0.5, 11.0, 11.3),  # ring 3 (10.5-11.5 s) cut after 0.5 s
        ("na", 0.3, 7.1, 7.5),  # ring 2 (6.3-8.3 s) cut after 0.8 s
        ("uk", 0.4, 7.15, 7.45),  # ring 3, cut in the second half of its double burst (6.4-6.8, 7.0-7.4 s)
    ],
)
def test_answer_when_the_ring_is_cut_short(tmp_path, region, onset, stop, answer):
    built = build_call(tmp_path, [("agent", answer, OPENING)], ring=Ring(region, onset, stop), stereo=False)
    card = score(built)
    got = card["checks"]["answer"]
    assert got["ringback"] == region
    assert got["ring_onset_s"] == pytest.approx(onset, abs=0.05)
    assert card["signals"]["ringback"]["bursts"][-1][1] <= stop + 0.05  # the last burst ends where ringing stopped
    assert got["answer_s"] == pytest.approx(answer, abs=EDGE_S)
    cycle = cadence(region).cycle_s
    assert got["rings"] == pytest.approx((answer - onset) / cycle, abs=EDGE_S / cycle)
    assert got["status"] == "pass"


def test_first_ring_cut_by_the_start_of_the_recording(tmp_path):
    """The recording starts 0.4 s into ring 1: its onset is extrapolated before 0 s, rings still count from it."""
    onset, answer = -0.4, 11.0
    built = build_call(tmp_path, [("agent", answer, OPENING)], ring=Ring("cn", onset, answer - 0.3))
    got = score(built)["checks"]["answer"]
    assert got["ring_onset_s"] == pytest.approx(onset, abs=0.05)
    assert got["rings"] == pytest.approx((answer - onset) / 5.0, abs=0.05)
    assert got["status"] == "pass"


def test_answer_after_the_fourth_ring_started_fails(tmp_path):
    onset, answer = 0.5, 15.9  # ring 4 starts at 15.5 s
    built = build_call(tmp_path, [("agent", answer, OPENING)], ring=Ring("cn", onset, answer - 0.2))
    got = score(built)["checks"]["answer"]
    assert got["rings"] == pytest.approx(3.08, abs=0.04)
    assert got["status"] == "fail"


def test_early_answer_under_one_ring_is_a_warning(tmp_path):
    onset, answer = 0.5, 2.6  # ring 1 sounded 0.5-1.5 s; picked up in the pause after it
    built = build_call(tmp_path, [("agent", answer, OPENING)], ring=Ring("cn", onset, answer - 0.3))
    card = score(built)
    got = card["checks"]["answer"]
    assert got["ringback"] == "cn"
    assert got["rings"] == pytest.approx((answer - onset) / 5.0, abs=0.04)
    assert got["status"] == "warn"
    assert [f["severity"] for f in card["findings"] if f["rule"] == "answer"] == ["warning"]


def test_no_ringback_is_not_measurable_never_guessed(tmp_path):
    built = build_call(tmp_path, [("agent", 0.6, OPENING), ("customer", 6.0, "你好，我家水管漏水了。")])
    card = score(built)
    got = card["checks"]["answer"]
    assert got["status"] == "n/a"
    assert got["ringback"] is None and got["rings"] is None and got["ring_onset_s"] is None
    assert got["answer_s"] == pytest.approx(0.6, abs=EDGE_S)  # the moment is known, the rings are not
    assert card["signals"]["ringback"] is None


def test_tones_that_are_not_ringback_are_not_taken_for_rings(tmp_path):
    """A continuous 450 Hz tone (dial-tone-like) and 1 s beeps of 1 kHz every 5 s: neither is a ring."""
    dial = tone(450.0, 6.0, SR, level_dbfs=-22.0)
    beeps = np.concatenate(
        [np.concatenate([tone(1000.0, 1.0, SR, level_dbfs=-22.0), np.zeros(4 * SR, np.float32)]) for _ in range(2)]
    )
    built = build_call(tmp_path, [("agent", 17.0, OPENING)], extra_customer=[(0.5, dial), (7.0, beeps)])
    got = score(built)["checks"]["answer"]
    assert got["ringback"] is None
    assert got["status"] == "n/a"


@pytest.mark.parametrize(
    "lang, region, cycle_s, status",
    [
        ("zh", None, 5.0, "pass"),  # default region of the Mandarin pack: China
        ("en", None, 6.0, "pass"),  # default region of the English pack: North America
        ("zh", "uk", 3.0, "fail"),  # UK cadence: 9.9 s of ringing is 3.3 rings
    ],
)
def test_ring_time_given_without_ringback(tmp_path, lang, region, cycle_s, status):
    text = OPENING if lang == "zh" else "Thank you for calling Acme Telecom, this is Sam, how can I help you?"
    built = build_call(tmp_path, [("agent", 0.9, text)], lang=lang)
    got = score(built, ring_s=9.0, region=region)["checks"]["answer"]
    assert got["ringback"] is None
    assert got["ring_source"] == "metadata"
    assert got["ring_onset_s"] == pytest.approx(-9.0)
    assert got["cycle_s"] == cycle_s
    assert got["rings"] == pytest.approx((0.9 + 9.0) / cycle_s, abs=EDGE_S / cycle_s)
    assert got["status"] == status


def test_ring_time_alone_without_audio():
    card = score_text([("agent", 1.2, 6.0, OPENING)], ring_s=10.0)
    got = card["checks"]["answer"]
    assert got["answer_s"] == pytest.approx(1.2)
    assert got["rings"] == pytest.approx(11.2 / 5.0, abs=0.01)
    assert got["status"] == "pass"


# --------------------------------------------------------------------------- holds


def _hold_call(tmp_path, holds, stereo=True):
    """An opening, then per hold: announcement, customer's 好的, a wait of ``seconds``, the agent's return."""
    lines = [("agent", 0.5, OPENING), ("customer", 6.5, "我想查一下我的账单。")]
    t = 10.0
    expected = []
    for announce, seconds, back in holds:
        lines.append(("agent", t, announce))
        end_announce = t + len(speech(announce, "agent", "zh")) / SR
        reply_at = end_announce + 0.4
        lines.append(("customer", reply_at, "好的。"))
        start = reply_at + len(speech("好的。", "customer", "zh")) / SR
        lines.append(("agent", start + seconds, back))
        expected.append((start, start + seconds))
        t = start + seconds + len(speech(back, "agent", "zh")) / SR + 0.6
    lines.append(("customer", t, "好的，谢谢。"))
    return build_call(tmp_path, lines, stereo=stereo), expected


@pytest.mark.parametrize("stereo", [True, False], ids=["stereo", "mono"])
def test_two_holds_in_one_call(tmp_path, stereo):
    built, expected = _hold_call(
        tmp_path,
        [
            ("请您稍等，我帮您查一下，好吗？", 5.0, "让您久等了，账单查到了。"),
            ("请稍等，我再核对一下金额。", 9.0, "查好了，上个月多收了二十元。"),
        ],
        stereo=stereo,
    )
    card = score(built)
    got = card["checks"]["hold"]
    assert len(got["holds"]) == 2
    for found, (start, end) in zip(got["holds"], expected):
        assert found["start_s"] == pytest.approx(start, abs=EDGE_S)
        assert found["end_s"] == pytest.approx(end, abs=EDGE_S)
        assert found["announced"] is True
    assert [h["acknowledged"] for h in got["holds"]] == [True, False]
    assert [h["permission_asked"] for h in got["holds"]] == [True, False]
    assert got["status"] == "fail"  # the second is over 7 s
    over = [f for f in card["findings"] if f["rule"] == "hold" and f["severity"] == "error"]
    assert len(over) == 1 and over[0]["at_s"] == pytest.approx(expected[1][0], abs=EDGE_S)


def test_an_announced_hold_and_dead_air_in_one_call(tmp_path):
    lines = [("agent", 0.5, OPENING), ("customer", 6.5, "我想查一下我的账单。"), ("agent", 10.0, "请您稍等，好吗？")]
    first_back = 10.0 + len(speech("请您稍等，好吗？", "agent", "zh")) / SR + 4.0
    lines.append(("agent", first_back, "感谢您的耐心等待，查到了。"))
    said_end = first_back + len(speech("感谢您的耐心等待，查到了。", "agent", "zh")) / SR
    lines.append(("customer", said_end + 0.5, "多少钱？"))
    asked_end = said_end + 0.5 + len(speech("多少钱？", "customer", "zh")) / SR
    lines.append(("agent", asked_end + 8.0, "二十元。"))  # 8 s of silence nobody announced
    built = build_call(tmp_path, lines)
    got = score(built)["checks"]["hold"]
    assert [h["announced"] for h in got["holds"]] == [True, False]
    dead = got["holds"][1]
    assert dead["start_s"] == pytest.approx(asked_end, abs=EDGE_S)
    assert dead["end_s"] == pytest.approx(asked_end + 8.0, abs=EDGE_S)
    assert dead["acknowledged"] is False
    assert got["status"] == "fail"


def test_announced_hold_under_the_limit_passes(tmp_path):
    built, expected = _hold_call(tmp_path, [("请您稍等一下，我帮您查询，可以吗？", 6.5, "让您久等了，查到了。")])
    card = score(built)
    got = card["checks"]["hold"]
    assert len(got["holds"]) == 1
    hold = got["holds"][0]
    assert hold["duration_s"] == pytest.approx(6.5, abs=EDGE_S)
    assert (hold["announced"], hold["acknowledged"], hold["permission_asked"]) == (True, True, True)
    assert got["status"] == "pass"
    assert not [f for f in card["findings"] if f["rule"] == "hold"]


def test_silence_under_the_limit_without_announcement_is_not_a_hold(tmp_path):
    lines = [("agent", 0.5, OPENING), ("customer", 6.5, "我家水管漏水了。"), ("agent", 14.0, "好的，我们马上派人。")]
    got = score(build_call(tmp_path, lines))["checks"]["hold"]
    assert got["holds"] == [] and got["status"] == "pass"


def test_checking_while_still_talking_is_not_a_hold():
    card = score_text(
        [
            ("agent", 0.5, 5.0, OPENING),
            ("customer", 5.5, 7.0, "我的快递到哪了？"),
            ("agent", 7.5, 9.0, "我帮您查一下。"),
            ("agent", 9.3, 12.0, "您的快递在路上，明天到。"),
        ]
    )
    got = card["checks"]["hold"]
    assert got["holds"] == [] and got["status"] == "pass"


# --------------------------------------------------------------------------- no agent speech


def test_a_call_with_no_agent_speech(tmp_path):
    """The phone rang, the customer spoke into a line nobody answered: nothing to judge but the answer."""
    built = build_call(
        tmp_path, [("customer", 17.0, "喂？有人吗？"), ("customer", 22.0, "喂？")], ring=Ring("cn", 0.5, 16.5)
    )
    card = score(built)
    checks = card["checks"]
    assert checks["answer"]["ringback"] == "cn"
    assert checks["answer"]["answer_s"] is None
    assert checks["answer"]["status"] == "fail"  # it rang and nobody ever spoke
    for key in ("introduction", "hold", "pace", "5w2h"):
        assert checks[key]["status"] == "n/a", key
    assert checks["pace"]["rate"] is None
    assert checks["hold"]["holds"] == []


def test_no_agent_speech_and_no_ringback_is_not_measurable_at_all():
    card = score_text([("customer", 1.0, 3.0, "喂？有人吗？")])
    assert {
        k: v["status"] for k, v in card["checks"].items() if k in ("answer", "introduction", "hold", "pace", "5w2h")
    } == dict.fromkeys(("answer", "introduction", "hold", "pace", "5w2h"), "n/a")


# --------------------------------------------------------------------------- English


def test_an_english_call_is_scored_with_the_english_lexicon(tmp_path):
    lines = [
        ("agent", 0.5, "Thank you for calling Acme Telecom, this is Sam, how can I help you?"),
        ("customer", 6.0, "My internet keeps dropping."),
        ("agent", 8.5, "I'm sorry. What's the reason, did anything change recently?"),
        ("customer", 13.0, "No."),
        ("agent", 14.0, "What exactly do you need fixed? And what is your address?"),
        ("customer", 19.0, "Ten Oak Road. The connection."),
        ("agent", 22.0, "May I place you on a brief hold?"),
        ("customer", 24.5, "Sure."),
    ]
    hold_start = 24.5 + len(speech("Sure.", "customer", "en")) / SR
    lines += [
        ("agent", hold_start + 5.0, "Thanks for holding. A technician can come tomorrow morning."),
        ("customer", hold_start + 10.5, "Good. Will it cost anything?"),
        ("agent", hold_start + 13.5, "The visit is free of charge. Please make sure someone is home."),
    ]
    built = build_call(tmp_path, lines, lang="en")
    card = score(built, company="Acme Telecom", agent="Sam", ring_s=7.0)
    checks = card["checks"]
    assert card["language"] == "en"
    intro = checks["introduction"]
    assert {k: intro[k] for k in ("greeting", "bare_wei", "company", "agent_name", "offer_help")} == {
        "greeting": True,
        "bare_wei": False,
        "company": True,
        "agent_name": True,
        "offer_help": True,
    }
    assert checks["answer"]["cycle_s"] == 6.0  # North American cadence, the English pack's default
    hold = checks["hold"]["holds"]
    assert len(hold) == 1 and hold[0]["announced"] and hold[0]["acknowledged"] and hold[0]["permission_asked"]
    assert hold[0]["start_s"] == pytest.approx(hold_start, abs=EDGE_S)
    assert hold[0]["duration_s"] == pytest.approx(5.0, abs=EDGE_S)
    pace = checks["pace"]
    agent = [t for t in built.turns if t.speaker == "agent"]
    words = sum(len(t.text.replace(",", " ").replace(".", " ").replace("?", " ").split()) for t in agent)
    assert pace["unit"] == "words/min"
    assert pace["rate"] == pytest.approx(words / sum(t.duration_s for t in agent) * 60, rel=0.02)
    assert set(checks["5w2h"]["covered"]) == {"why", "what", "where", "when", "who", "how", "how_much"}
    assert checks["5w2h"]["status"] == "pass"


def test_an_english_bare_hello_fails_the_introduction():
    card = score_text(
        [
            ("agent", 0.5, 1.2, "Hello?"),
            ("customer", 2.0, 4.0, "Hi, is this Acme?"),
            ("agent", 4.5, 6.0, "Yeah, what do you want?"),
        ],
        lang="en",
        company="Acme",
        agent="Sam",
    )
    intro = card["checks"]["introduction"]
    assert intro["bare_wei"] is True and intro["greeting"] is False
    assert intro["status"] == "fail"
    polite = score_text(
        [("agent", 0.5, 4.0, "Hello, thank you for calling Acme, this is Sam, how may I help you?")],
        lang="en",
        company="Acme",
        agent="Sam",
    )["checks"]["introduction"]
    assert polite["bare_wei"] is False and polite["status"] == "pass"


def test_english_words_are_not_matched_with_the_mandarin_lexicon():
    """The same English call forced to Mandarin finds no greeting: each language has its own pack."""
    turns = [("agent", 0.5, 4.0, "Thank you for calling Acme, this is Sam, how may I help you?")]
    assert score_text(turns, lang="en", company="Acme", agent="Sam")["checks"]["introduction"]["greeting"] is True
    forced = score_text(turns, lang="en", language="zh", company="Acme", agent="Sam")
    assert forced["language"] == "zh"
    assert forced["checks"]["introduction"]["greeting"] is False


# --------------------------------------------------------------------------- pace


def test_pace_counts_the_agents_characters_over_the_agents_own_speech_time():
    first, second = "您好星河物业我是李明请问有什么可以帮您", "好的，请问您的地址是哪里？"
    turns = [
        ("agent", 0.0, 6.0, first),
        ("customer", 6.5, 20.0, "我家厨房的水管漏水了，已经好几天了，麻烦你们快点来看看吧。"),
        ("agent", 21.0, 25.0, second),
    ]
    got = score_text(turns)["checks"]["pace"]
    assert got["unit"] == "chars/min"
    assert (len(first), len(second) - 2) == (19, 11)  # Han characters only; punctuation is not speech
    assert got["rate"] == pytest.approx((19 + 11) / (6.0 + 4.0) * 60)
    assert [t["rate"] for t in got["turns"]] == [pytest.approx(19 / 6.0 * 60), pytest.approx(11 / 4.0 * 60)]
    assert got["status"] == "pass"


def test_pace_too_fast_is_a_warning_with_the_rushed_turn():
    turns = [
        ("agent", 0.0, 4.0, "您好星河物业我是李明请问有什么可以帮您"),  # 19 in 4 s: 285 chars/min
        ("agent", 5.0, 8.0, "好的请问您的地址是哪里我们马上安排师傅"),
    ]  # 19 in 3 s: 380 chars/min
    card = score_text(turns)
    assert card["checks"]["pace"]["status"] == "warn"
    rushed = [f for f in card["findings"] if f["rule"] == "pace" and f["severity"] == "info"]
    assert [f["at_s"] for f in rushed] == [0.0, 5.0]


# --------------------------------------------------------------------------- 5W2H


NATURAL = {
    "why": ["请问是什么原因导致的？", "这是怎么回事呢？", "为何会这样？", "您为什么想换套餐？"],
    "what": ["您遇到的是什么问题？", "请问您要办理什么业务？", "是哪款产品？", "您具体的需求是？"],
    "where": ["您住在几栋几单元？", "请问具体位置在哪儿？", "门牌号是？", "您在哪个城市？"],
    "when": ["您几点方便？", "哪天上门合适？", "大概需要多长时间？", "您上午还是下午在家？"],
    "who": ["请问联系人是哪位？", "您贵姓？", "到时候谁在家？", "我们会派工程师过去。"],
    "how": ["您是如何操作的？", "需要准备身份证。", "我们按这个流程处理。", "您想用哪种方式付款？"],
    "how_much": ["一共多少钱？", "费用是三百元。", "需要几台？", "价格您能接受吗？"],
}


@pytest.mark.parametrize("topic, sentence", [(t, s) for t, ss in NATURAL.items() for s in ss])
def test_5w2h_natural_phrasings(topic, sentence):
    got = score_text([("agent", 0.0, 3.0, sentence)])["checks"]["5w2h"]
    assert topic in got["covered"], (sentence, got["evidence"])
    assert got["evidence"][topic]["at_s"] == 0.0


ASR_NOISE = [
    ("where", "您家地止是"),  # 址 -> 止, same sound
    ("when", "什么时侯方便"),  # 候 -> 侯
    ("why", "为甚么会这样"),  # 什 -> 甚
    ("how_much", "费永大概三百"),  # 用 -> 永
    ("who", "联习人电话给我"),  # 系 -> 习
    ("how", "你怎么操做的"),  # 作 -> 做
    ("why", "请 问 是 什 么 原 因"),  # spaces between characters, no punctuation
    ("when", "請問什麼時候方便"),  # traditional characters
    ("where", "请问您的住址在那里"),  # 哪 -> 那 (same syllable; ASR cannot tell them apart)
]


@pytest.mark.parametrize("topic, sentence", ASR_NOISE)
def test_5w2h_survives_asr_noise(topic, sentence):
    got = score_text([("agent", 0.0, 3.0, sentence)])["checks"]["5w2h"]
    assert topic in got["covered"], (sentence, got["evidence"])


def test_5w2h_whole_call_with_asr_noise_passes():
    turns = [(t, s) for t, s in ASR_NOISE[:6]] + [("what", "请问您要办理什么业务")]
    card = score_text([("agent", 3.0 * i, 3.0 * i + 2.5, s) for i, (_, s) in enumerate(turns)])
    assert card["checks"]["5w2h"]["covered"] == ["why", "what", "where", "when", "who", "how", "how_much"]
    assert card["checks"]["5w2h"]["status"] == "pass"


def test_5w2h_small_talk_covers_nothing():
    turns = [
        "您好，星河物业，我是李明，请问有什么可以帮您？",
        "好的，我明白了。",
        "请您稍等。",
        "让您久等了。",
        "不客气，祝您生活愉快。",
        "感谢您的来电，再见。",
    ]
    card = score_text([("agent", 3.0 * i, 3.0 * i + 2.5, s) for i, s in enumerate(turns)])
    got = card["checks"]["5w2h"]
    assert got["covered"] == [] and got["status"] == "fail"


def test_5w2h_counts_only_what_the_agent_says():
    card = score_text(
        [
            ("agent", 0.0, 3.0, "您好，请问有什么可以帮您？"),
            ("customer", 3.5, 8.0, "为什么我的网断了？什么时候能修好？要多少钱？"),
        ]
    )
    assert card["checks"]["5w2h"]["covered"] == []


# Matches by sound must start and end on word boundaries: 手机号 reads ji hao like 几号 (when),
# 方式付款 reads shi fu like 师傅 (who), 什么时候 reads shen me shi like 什么事 (what).
@pytest.mark.parametrize(
    "sentence, wrong",
    [
        ("请告诉我您的手机号码。", "when"),
        ("您想用哪种方式付款？", "who"),
        ("您什么时候方便？", "what"),
        ("请问是什么原因？", "what"),
        ("您住几号楼？", "when"),
    ],
)
def test_5w2h_homophones_across_word_boundaries_do_not_count(sentence, wrong):
    got = score_text([("agent", 0.0, 3.0, sentence)])["checks"]["5w2h"]
    assert wrong not in got["covered"], got["evidence"]


# --------------------------------------------------------------------------- an ASR-style transcript file


FIXTURES = Path(__file__).parent / "fixtures" / "checks"


def test_asr_style_srt_with_homophones_is_scored_by_pronunciation():
    """No punctuation, spaces between phrases, and homophones everywhere: 新河 for 星河, 黎明 for 李明,
    帮宁 for 帮您, 稍登 for 稍等, 就等了 for 久等了, 为甚么, 地止, 时侯, 准被, 费永."""
    card = score_call(
        transcript_path=FIXTURES / "asr_noisy_repair.srt", setup=CallSetup(company="星河物业", agent="李明", ring_s=0.0)
    ).to_dict()
    checks = card["checks"]
    intro = checks["introduction"]
    assert {k: intro[k] for k in ("greeting", "bare_wei", "company", "agent_name", "offer_help")} == {
        "greeting": True,
        "bare_wei": False,
        "company": True,
        "agent_name": True,
        "offer_help": True,
    }
    assert checks["answer"]["answer_s"] == pytest.approx(12.1)
    assert checks["answer"]["rings"] == pytest.approx(12.1 / 5.0, abs=0.01)
    holds = checks["hold"]["holds"]
    assert len(holds) == 1
    assert (holds[0]["start_s"], holds[0]["end_s"]) == (pytest.approx(35.6), pytest.approx(44.1))
    assert holds[0]["announced"] and holds[0]["acknowledged"] and holds[0]["permission_asked"]
    assert checks["hold"]["status"] == "fail"  # 8.5 s
    assert checks["5w2h"]["covered"] == ["why", "what", "where", "when", "who", "how", "how_much"]
