#!/usr/bin/env python3
"""Synthesise callcoach's bundled sample calls, their transcripts and their truth.

Every call is a script: a ring (the ringback tone of a region, from
:func:`callcoach.cadences.ringback_signal`), then agent and customer lines spoken
by espeak-ng with different voices, placed one after the other on a timeline,
with holds (silence or hold music) and dead air where the script says. For each
call it writes

``NAME.wav``
    The recording: stereo (agent and customer on their own channels, the
    ringback on the customer's) or mono (everything mixed), 8 or 16 kHz, 16-bit.
``NAME.srt``
    The labelled transcript (``客服：``/``客户：`` or ``Agent:``/``Customer:``);
    each cue runs exactly from where the script placed the utterance to where
    it ends (espeak-ng's own leading and trailing silence trimmed off).
``NAME.truth.json``
    What the script knows: answer time, ringback region and rings, every hold
    (start, end, announced, acknowledged), the agent's pace, the introduction
    facts, the 5W2H topics covered, and the status each check should get.

and ``manifest.csv`` in the columns ``callcoach batch --manifest`` reads.

Definitions used for the truth (the same as docs/course.md and callcoach's rules):

* ``answer_s``: onset of the agent's first utterance. ``rings``:
  ``(answer_s - ring onset) / cadence cycle``; with no ringback in the audio the
  ring onset is ``-ring_s`` (the manifest's ring time before the recording).
* A hold runs from the end of the last utterance before the wait (the agent's
  announcement or the customer's "好的" to it) to the start of the agent's next
  utterance. Dead air is a hold nobody announced.
* Pace: the agent's Han characters (Mandarin) or words (English) per minute of
  the agent's speech time, the speech time being the sum of the agent's cue
  durations (as in ``callcoach/rules/pace.py``).
* Statuses follow the default thresholds of docs/course.md §1-5 (and the
  bundled rule packs): answer fails at 3 rings or more and warns under 1;
  introduction fails on a bare 喂 or no greeting, passes with company, own
  name and offer of help, else warns; hold fails when any hold exceeds 7 s,
  warns when one is unannounced or unacknowledged; pace passes inside
  120-200 chars/min (English 120-170 words/min), else warns; 5W2H passes with
  all seven, warns with four or more, else fails.

Mandarin is spoken with espeak-ng's Mandarin voice reading tone-numbered
pinyin (``cmn-latn-pinyin``; the text is converted with pypinyin): the ``cmn``
voice in Debian's espeak-ng data lacks most Han characters and spells them out
as English. English uses ``en-us``.

Usage::

    python3 samples/make_samples.py             # (re)write the samples next to this script
    python3 samples/make_samples.py --out DIR   # somewhere else
    python3 samples/make_samples.py --check     # regenerate in a temp dir, compare with the committed truth

Output is deterministic (fixed noise seeds, no randomness elsewhere) for the
versions of espeak-ng, pypinyin and soxr recorded in each truth file
(``made_with``); ``--check`` reports any difference in the truth, the
transcripts, the manifest or the audio.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a source checkout without installing

from callcoach.cadences import cadence, ring_schedule, ringback_signal  # noqa: E402

ESPEAK_RATE_HZ = 22050
#: espeak-ng output below this magnitude at either end is its own silence, cut off.
TRIM_THRESHOLD = 0.01
#: RMS levels, dBFS.
AGENT_DBFS = -20.0
CUSTOMER_DBFS = -23.0
RING_DBFS = -22.0
MUSIC_DBFS = -26.0
#: Default pause between one utterance's end and the next one's start, seconds.
GAP_S = 0.4
#: Silence between the agent picking up (ringback stops) and the first word, seconds.
PICKUP_S = 0.3
#: Silence after the last utterance, seconds.
TAIL_S = 0.6

#: Default thresholds (docs/course.md §1-5; callcoach/data/zh.toml, en.toml).
MAX_RINGS = 3.0
EARLY_RINGS = 1.0
HOLD_LIMIT_S = 7.0
PACE_BAND = {"zh": (120.0, 200.0), "en": (120.0, 170.0)}
FIVEW2H = ("why", "what", "where", "when", "who", "how", "how_much")
# The packs' [fivew2h] pass_min, warn_min, fail_missing and visit_requires.
FIVEW2H_PASS, FIVEW2H_WARN, FIVEW2H_FAIL_MISSING = 3, 2, 2
VISIT_REQUIRES = ("where", "when", "who")
UNANSWERED_FAIL = 2

LABELS = {"zh": {"agent": "客服：", "customer": "客户："}, "en": {"agent": "Agent: ", "customer": "Customer: "}}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


# --------------------------------------------------------------------------- the scripts


@dataclass
class Voice:
    """espeak-ng settings: ``-p`` pitch (0-99) and ``-s`` speed (words per minute)."""

    pitch: int
    speed: int


@dataclass
class Line:
    """One utterance.

    Attributes
    ----------
    speaker : {"agent", "customer"}
    text : str
        What is said (simplified characters for Mandarin).
    covers : tuple of str
        5W2H topics the agent asks about or confirms in this line; for the customer, the topics asked.
    heard : str, optional
        What the transcript shows instead of ``text`` (an ASR-style homophone).
    gap_s : float
        Silence before the line, after the previous utterance ends.
    """

    speaker: str
    text: str
    covers: tuple[str, ...] = ()
    heard: str | None = None
    gap_s: float = GAP_S
    #: A customer question the agent's next turns leave unanswered.
    unanswered: bool = False


@dataclass
class Wait:
    """A hold or dead air before the next line: silence, or hold music.

    ``announced`` / ``acknowledged`` record what the script's lines around it do.
    """

    duration_s: float
    announced: bool
    acknowledged: bool
    music: bool = False


def A(text: str, *covers: str, heard: str | None = None, gap_s: float = GAP_S) -> Line:
    return Line("agent", text, tuple(covers), heard, gap_s)


def C(text: str, *asks: str, gap_s: float = GAP_S, unanswered: bool = False) -> Line:
    """A customer line; ``asks``: the 5W2H topics it asks about (``unanswered``: the agent leaves them open)."""
    return Line("customer", text, tuple(asks), None, gap_s, unanswered)


@dataclass
class CallScript:
    """One sample call.

    Attributes
    ----------
    name : str
        File stem.
    lang : {"zh", "en"}
    samplerate : int
    layout : {"stereo", "mono"}
    agent_channel : {"left", "right"}
    agent, company : str
    region : str or None
        Ringback region heard in the recording; None: the recording starts at pick-up.
    ring_onset_s : float
        Start of the first ring in the recording, seconds.
    answer_after_s : float
        The agent's first word, seconds after the first ring's onset (or after the
        recording starts when there is no ringback).
    ring_s : float, optional
        Ring time before the recording (manifest ``ring_s``), for calls without ringback.
    intro : dict
        greeting, bare_wei, company, agent_name, offer_help: what the opening says.
    lines : list of Line and Wait
    agent_voice, customer_voice : Voice
    noise_dbfs : float, optional
        Steady background noise on every channel, RMS dBFS.
    traditional : bool
        Write the transcript in traditional characters.
    note : str
        What the call demonstrates.
    visit : bool
        The call arranges a service visit (5W2H then requires where, when and who).
    """

    name: str
    lang: str
    samplerate: int
    layout: str
    agent: str
    company: str
    region: str | None
    ring_onset_s: float
    answer_after_s: float
    intro: dict
    lines: list
    agent_voice: Voice
    customer_voice: Voice
    agent_channel: str = "left"
    ring_s: float | None = None
    noise_dbfs: float | None = None
    traditional: bool = False
    note: str = ""
    visit: bool = False


INTRO_ALL = {"greeting": True, "bare_wei": False, "company": True, "agent_name": True, "offer_help": True}
INTRO_BARE = {"greeting": False, "bare_wei": True, "company": False, "agent_name": False, "offer_help": False}

CALLS: list[CallScript] = [
    CallScript(
        name="zh_good_repair",
        visit=True,
        lang="zh",
        samplerate=8000,
        layout="stereo",
        agent="李明",
        company="星河物业",
        region="cn",
        ring_onset_s=0.5,
        answer_after_s=11.6,
        intro=INTRO_ALL,
        agent_voice=Voice(62, 145),
        customer_voice=Voice(30, 175),
        note="Good call: answered in ring 3, full introduction, a 5 s announced hold with thanks, all of 5W2H, a full close.",
        lines=[
            A("您好，星河物业，我是李明，请问有什么可以帮您？"),
            C("我家厨房的水管漏水了。"),
            A("请问您知道为什么会漏水吗？", "why"),
            C("不清楚。"),
            A("您是想要安排上门维修吧？", "what"),
            C("对。"),
            A("请问地址是哪里？", "where"),
            C("阳光花园三栋二单元五零一。"),
            A("您明天上午九点方便吗？", "when"),
            C("方便。"),
            A("请您稍等，我查一下师傅的排班，好吗？", "who"),
            C("好的。"),
            Wait(5.0, announced=True, acknowledged=True),
            A("让您久等了。维修前需要准备的是，请您先关好总水阀。", "how"),
            C("要收费吗？", "how_much"),
            A("上门服务免费，材料二十元。", "how_much"),
            C("行，谢谢。"),
            A("不客气。跟您确认一下，明天上午九点师傅到阳光花园三栋二单元五零一上门维修。您还有其他事吗？"),
            C("没有了。"),
            A("感谢您的来电，我是李明，再见。"),
        ],
    ),
    CallScript(
        name="zh_bad_wei",
        lang="zh",
        samplerate=8000,
        layout="mono",
        agent="张伟",
        company="星河物业",
        region="cn",
        ring_onset_s=0.5,
        answer_after_s=16.8,
        intro=INTRO_BARE,
        agent_voice=Voice(45, 200),
        customer_voice=Voice(25, 175),
        note="Bad call: answered after the 4th ring, bare 喂, no name or company, a 12 s hold with no "
        "thanks, one 5W2H topic, rushed.",
        lines=[
            A("喂？"),
            C("是星河物业吗？我家楼下的路灯坏了。"),
            A("哦，在哪儿？", "where"),
            C("阳光花园七栋门口。"),
            A("等一下。"),
            Wait(12.0, announced=True, acknowledged=False),
            A("查到了，已经有人报过了，过几天会修的。"),
            C("过几天是什么意思啊？", "when", unanswered=True),
            A("这个我不清楚，反正回头会有人处理的。"),
            C("好吧。"),
            A("嗯，还有事吗？没有就挂了。"),
        ],
    ),
    CallScript(
        name="zh_hold_music",
        visit=True,
        lang="zh",
        samplerate=16000,
        layout="mono",
        agent="王芳",
        company="华信电器",
        region="cn",
        ring_onset_s=1.0,
        answer_after_s=6.5,
        intro={"greeting": True, "bare_wei": False, "company": True, "agent_name": True, "offer_help": False},
        agent_voice=Voice(70, 140),
        customer_voice=Voice(35, 175),
        traditional=True,
        note="Mono 16 kHz, transcript in traditional characters: answered in ring 2, no offer of help, "
        "a 10 s announced hold with hold music, five of 5W2H.",
        lines=[
            A("您好，华信电器售后服务中心，我是王芳。"),
            C("我想预约安装空调。"),
            A("好的，请问是哪款空调？", "what"),
            C("一点五匹的挂机。"),
            A("安装地址在哪里？", "where"),
            C("幸福路八号二楼。"),
            A("您希望什么时候安装？", "when"),
            C("这周六下午。"),
            A("请您稍等，我查一下安装师傅，可以吗？", "who"),
            C("可以。"),
            Wait(10.0, announced=True, acknowledged=True, music=True),
            A("感谢您的耐心等待。周六下午两点，刘师傅上门安装。", "who", "when"),
            C("安装要钱吗？", "how_much"),
            A("标准安装免费，加长铜管每米六十元。", "how_much"),
            C("明白了，谢谢。"),
            A("不客气，感谢您的来电，再见。"),
        ],
    ),
    CallScript(
        name="zh_dead_air_noise",
        visit=True,
        lang="zh",
        samplerate=8000,
        layout="stereo",
        agent="陈静",
        company="蓝天宽带",
        region="cn",
        ring_onset_s=0.8,
        answer_after_s=2.4,
        intro=INTRO_ALL,
        noise_dbfs=-45.0,
        agent_voice=Voice(75, 150),
        customer_voice=Voice(28, 170),
        note="Stereo 8 kHz with background noise: answered during the first ring cycle (early), "
        "9 s of unannounced dead air, all of 5W2H.",
        lines=[
            A("您好，蓝天宽带，我是陈静，请问有什么可以帮您？"),
            C("我家的网断了，一直连不上。"),
            A("为什么会断网，您动过路由器吗？", "why"),
            C("没有动过。"),
            A("您的需求是尽快恢复上网，对吗？", "what"),
            C("对。"),
            Wait(9.0, announced=False, acknowledged=False),
            A("您的宽带装在哪个小区？", "where"),
            C("绿洲小区十二栋。"),
            A("我们派工程师上门，您明天下午在家吗？", "who", "when"),
            C("在的。"),
            A("请您先把光猫的电源打开。", "how"),
            C("要收费吗？", "how_much"),
            A("线路问题免费，换设备的费用是八十元。", "how_much"),
            C("好的。"),
            A("感谢您的来电，我是陈静，再见。"),
        ],
    ),
    CallScript(
        name="zh_no_ringback",
        lang="zh",
        samplerate=16000,
        layout="mono",
        agent="赵磊",
        company="星河物业",
        region=None,
        ring_onset_s=0.0,
        answer_after_s=0.8,
        ring_s=9.0,
        intro=INTRO_ALL,
        agent_voice=Voice(55, 145),
        customer_voice=Voice(35, 175),
        note="Mono 16 kHz; the recording starts at pick-up (no ringback); the ring time comes from the "
        "manifest (9 s). "
        "Two announced holds under the limit, both acknowledged; five of 5W2H.",
        lines=[
            A("您好，星河物业，我是赵磊，请问有什么可以帮您？"),
            C("我想问一下物业费的账单。"),
            A("好的，请问您住在哪个小区？", "where"),
            C("阳光花园十栋。"),
            A("请您稍等，我查一下账单，好吗？"),
            C("好的。"),
            Wait(4.0, announced=True, acknowledged=True),
            A("让您久等了。请问您想了解哪方面？", "what"),
            C("为什么这个月多了？", "why"),
            A("多出来的是电梯维修的分摊。", "why"),
            C("什么时候修的？", "when"),
            A("请稍等，我帮您确认一下维修的时间。", "when"),
            Wait(6.0, announced=True, acknowledged=True),
            A("感谢您的耐心等待。上个月十五号修的，由电梯公司负责。", "who", "when"),
            C("那我怎么交费？", "how"),
            A("可以在公众号在线缴纳，操作步骤是先绑定房号。", "how"),
            C("明白了。"),
            A("感谢您的来电，再见。"),
        ],
    ),
    CallScript(
        name="zh_fast_right",
        lang="zh",
        samplerate=8000,
        layout="stereo",
        agent_channel="right",
        agent="刘洋",
        company="云帆通信",
        region="cn",
        ring_onset_s=1.0,
        answer_after_s=10.8,
        intro=INTRO_ALL,
        agent_voice=Voice(60, 210),
        customer_voice=Voice(30, 175),
        note="Stereo with the agent on the right channel, answered during ring 3 (the ring is cut short); "
        "the transcript spells the names as ASR would (刘阳, 云凡); rushed; three of 5W2H.",
        lines=[
            A("您好，云帆通信，我是刘洋，请问有什么可以帮您？", heard="您好，云凡通信，我是刘阳，请问有什么可以帮您？"),
            C("我这个月的话费怎么这么高？", "why"),
            A("请问为什么会多，您最近开通过新业务吗？", "why"),
            C("没有啊。"),
            A("请告诉我您的电话号码，好吗？", "who"),
            C("一三九零零一二三四五六。"),
            A("查到了，多出的三十元是国际漫游费用，是上周三产生的。", "how_much", "when"),
            C("哦，我上周去了香港。"),
            A("以后出境前可以先开漫游套餐，方法是发短信到一零零八六。", "how"),
            C("好的，谢谢。"),
            A("不客气，感谢您的来电，再见。"),
        ],
    ),
    CallScript(
        name="en_good_support",
        visit=True,
        lang="en",
        samplerate=8000,
        layout="stereo",
        agent="Emily",
        company="Bluewave Internet",
        region="na",
        ring_onset_s=0.5,
        answer_after_s=7.5,
        intro=INTRO_ALL,
        agent_voice=Voice(70, 120),
        customer_voice=Voice(30, 175),
        note="English, stereo 8 kHz, North American ringback answered during ring 2 (cut short); "
        "a 5 s announced hold with thanks; all of 5W2H.",
        lines=[
            A("Thank you for calling Bluewave Internet, this is Emily, how may I help you?"),
            C("My internet has been down since this morning."),
            A("Do you know why it stopped working?", "why"),
            C("No idea."),
            A("What exactly would you like us to fix?", "what"),
            C("Just get it working again."),
            A("What is the service address?", "where"),
            C("Forty two Maple Street."),
            A("May I place you on a brief hold?"),
            C("Sure."),
            Wait(5.0, announced=True, acknowledged=True),
            A("Thank you for holding. A technician can come tomorrow morning, is that okay?", "who", "when"),
            C("Yes."),
            A("Please make sure the modem has power.", "how"),
            C("Will it cost anything?", "how_much"),
            A("The visit is free of charge.", "how_much"),
            A("Is there anything else I can help you with?", gap_s=0.3),
            C("No, that's all."),
            A(
                "The technician will call you before arriving. Thank you for calling Bluewave Internet, "
                "this is Emily. Goodbye."
            ),
        ],
    ),
    CallScript(
        name="en_bad_billing",
        lang="en",
        samplerate=8000,
        layout="mono",
        agent="James",
        company="Northgate Energy",
        region="uk",
        ring_onset_s=0.6,
        answer_after_s=9.9,
        noise_dbfs=-50.0,
        intro=INTRO_BARE,
        agent_voice=Voice(40, 190),
        customer_voice=Voice(65, 160),
        note="English, mono 8 kHz with noise, UK ringback answered after the 4th ring starts; bare 'Yeah?'; "
        "a 10 s announced hold with hold music; rushed; two of 5W2H.",
        lines=[
            A("Yeah?"),
            C("Hello, is this Northgate Energy? I have a question about my bill."),
            A("Yes. Give me your account number."),
            C("It is five five two one nine."),
            A("One moment."),
            Wait(10.0, announced=True, acknowledged=True, music=True),
            A("Thanks for waiting. Your bill went up because of the new tariff.", "why"),
            C("And by how much?", "how_much"),
            A("It is twelve pounds more every month.", "how_much"),
            C("That's a lot."),
            A("It is what it is. Anything else?"),
            C("No."),
            A("Bye."),
        ],
    ),
]


# --------------------------------------------------------------------------- synthesis


def _pinyin(text: str) -> str:
    """Tone-numbered pinyin for espeak-ng's ``cmn-latn-pinyin`` voice; punctuation becomes pauses."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for piece in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True):
        piece = piece.strip()
        if not piece:
            continue
        if re.fullmatch(r"[a-z]+[1-5]", piece):
            out.append(piece)
        elif re.search(r"[，、；：]", piece):
            out.append(",")
        elif re.search(r"[。！？…]", piece):
            out.append(".")
    return " ".join(out).replace(" ,", ",").replace(" .", ".")


def _speak(text: str, lang: str, voice: Voice, samplerate: int, level_dbfs: float) -> np.ndarray:
    """One utterance: espeak-ng, trimmed of its own silence, at ``samplerate``, RMS ``level_dbfs``."""
    said = _pinyin(text) if lang == "zh" else text
    name = "cmn-latn-pinyin" if lang == "zh" else "en-us"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "line.wav"
        subprocess.run(
            ["espeak-ng", "-v", name, "-p", str(voice.pitch), "-s", str(voice.speed), "-w", str(path), said],
            check=True,
            capture_output=True,
            timeout=60,
        )
        signal, sr = sf.read(path, dtype="float32")
    if signal.ndim > 1:
        signal = signal.mean(axis=1)
    loud = np.flatnonzero(np.abs(signal) > TRIM_THRESHOLD)
    if len(loud) == 0:
        raise RuntimeError(f"espeak-ng produced silence for {text!r}")
    signal = signal[loud[0] : loud[-1] + 1]
    if sr != samplerate:
        signal = soxr.resample(signal, sr, samplerate, quality="HQ").astype(np.float32)
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
    return (signal * (10 ** (level_dbfs / 20) / rms)).astype(np.float32)


def hold_music(duration_s: float, samplerate: int, level_dbfs: float = MUSIC_DBFS) -> np.ndarray:
    """A simple synthetic melody: a repeating eight-note tune (C5-C6) with two soft overtones.

    The notes stay above 500 Hz, away from every ringback tone (400-480 Hz).
    """
    tune_hz = [523.25, 659.26, 783.99, 1046.5, 880.0, 783.99, 659.26, 587.33]
    note_s = 0.4
    n_note = int(round(note_s * samplerate))
    t = np.arange(n_note) / samplerate
    envelope = np.minimum(1.0, np.minimum(t / 0.02, (note_s - t) / 0.08)) * np.exp(-1.5 * t)
    notes = []
    for f in tune_hz:  # eight notes, not samples
        wave = np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t) + 0.1 * np.sin(6 * np.pi * f * t)
        notes.append(wave * envelope)
    bar = np.concatenate(notes)
    n = int(round(duration_s * samplerate))
    music = np.tile(bar, n // len(bar) + 1)[:n]
    ramp = min(n // 2, int(0.05 * samplerate))
    if ramp:
        fade = 0.5 - 0.5 * np.cos(np.pi * np.arange(ramp) / ramp)
        music[:ramp] *= fade
        music[-ramp:] *= fade[::-1]
    rms = float(np.sqrt(np.mean(music**2))) or 1.0
    return (music * (10 ** (level_dbfs / 20) / rms)).astype(np.float32)


def _noise(n: int, level_dbfs: float, seed: int) -> np.ndarray:
    """Steady background noise: white noise, gently low-passed (a room / line hiss), RMS ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n + 1)
    hiss = white[1:] + 0.6 * white[:-1]
    return (hiss * (10 ** (level_dbfs / 20) / np.sqrt(np.mean(hiss**2)))).astype(np.float32)


@lru_cache(maxsize=1)
def espeak_version() -> str:
    """The espeak-ng version that speaks the samples (e.g. "1.51"); output can differ between versions."""
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+\.\d+(?:\.\d+)?)", out)
    return found.group(1) if found else out.strip()


@lru_cache(maxsize=1)
def made_with() -> dict[str, str]:
    """Versions of the tools whose output shapes the samples (speech, pinyin readings, resampling)."""
    from importlib.metadata import version

    return {"espeak_ng": espeak_version(), "pypinyin": version("pypinyin"), "soxr": version("soxr")}


def _ms(seconds: float) -> float:
    return round(seconds, 3)


def _srt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _units(text: str, lang: str) -> int:
    """Han characters (Mandarin) or words (English): the pace rule's units."""
    return len(_HAN.findall(text)) if lang == "zh" else len(_WORD.findall(text))


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _status_answer(rings: float | None) -> str:
    if rings is None:
        return "n/a"
    if rings >= MAX_RINGS:
        return "fail"
    if rings < EARLY_RINGS:
        return "warn"
    return "pass"


def _status_intro(intro: dict) -> str:
    if intro["bare_wei"] or not intro["greeting"]:
        return "fail"
    if intro["company"] and intro["agent_name"] and intro["offer_help"]:
        return "pass"
    return "warn"


def _status_hold(holds: list[dict]) -> str:
    if any(h["end_s"] - h["start_s"] > HOLD_LIMIT_S for h in holds):
        return "fail"
    if any(not (h["announced"] and h["acknowledged"]) for h in holds):
        return "warn"
    return "pass"


def _status_pace(rate: float | None, lang: str) -> str:
    if rate is None:
        return "n/a"
    lo, hi = PACE_BAND[lang]
    return "pass" if lo <= rate <= hi else "warn"


def _status_5w2h(covered: list[str], missing: list[str]) -> str:
    if not missing and len(covered) >= FIVEW2H_PASS:
        return "pass"
    return "fail" if len(missing) >= FIVEW2H_FAIL_MISSING or len(covered) < FIVEW2H_WARN else "warn"


def _status_unanswered(questions: list[dict]) -> str:
    if not questions:
        return "n/a"
    count = sum(1 for q in questions if not q["answered"])
    return "pass" if count == 0 else ("warn" if count < UNANSWERED_FAIL else "fail")


def render(call: CallScript, seed: int) -> tuple[np.ndarray, str, dict]:
    """Lay out one call: the recording ``(frames, channels)``, its SRT text and its truth."""
    sr = call.samplerate
    voices = {"agent": (call.agent_voice, AGENT_DBFS), "customer": (call.customer_voice, CUSTOMER_DBFS)}
    answer_s = _ms(call.ring_onset_s + call.answer_after_s) if call.region else _ms(call.answer_after_s)
    placed: list[dict] = []  # utterances: speaker, start_s, end_s, text, signal
    waits: list[dict] = []
    pending: Wait | None = None
    for item in call.lines:
        if isinstance(item, Wait):
            pending = item
            continue
        voice, level = voices[item.speaker]
        signal = _speak(item.text, call.lang, voice, sr, level)
        if placed:
            start = placed[-1]["end_s"] + (pending.duration_s if pending else item.gap_s)
        else:
            start = answer_s
        start = _ms(start)
        end = _ms(start + len(signal) / sr)
        if pending is not None:
            if item.speaker != "agent":
                raise ValueError(f"{call.name}: a wait must end with the agent's line")
            waits.append(
                {
                    "start_s": placed[-1]["end_s"],
                    "end_s": start,
                    "announced": pending.announced,
                    "acknowledged": pending.acknowledged,
                    "music": pending.music,
                }
            )
            pending = None
        placed.append(
            {
                "speaker": item.speaker,
                "start_s": start,
                "end_s": end,
                "text": item.text,
                "heard": item.heard or item.text,
                "covers": list(item.covers),
                "signal": signal,
                "unanswered": item.unanswered,
            }
        )
    duration_s = placed[-1]["end_s"] + TAIL_S
    n = int(round(duration_s * sr))
    agent = np.zeros(n, np.float32)
    customer = np.zeros(n, np.float32)
    for u in placed:
        target = agent if u["speaker"] == "agent" else customer
        a = int(round(u["start_s"] * sr))
        target[a : a + len(u["signal"])] += u["signal"][: n - a]
    ring_truth = {
        "region": call.region,
        "ring_onset_s": None,
        "ring_s": call.ring_s,
        "cycle_s": None,
        "ringback_stop_s": None,
        "bursts": [],
    }
    rings = None
    if call.region:
        stop_s = answer_s - PICKUP_S
        customer += ringback_signal(
            call.region, duration_s, sr, onset_s=call.ring_onset_s, stop_s=stop_s, level_dbfs=RING_DBFS
        )
        cycle_s = cadence(call.region).cycle_s
        bursts = ring_schedule(call.region, call.ring_onset_s, stop_s)
        rings = (answer_s - call.ring_onset_s) / cycle_s
        ring_truth.update(
            ring_onset_s=call.ring_onset_s,
            cycle_s=cycle_s,
            ringback_stop_s=_ms(stop_s),
            bursts=[[_ms(a), _ms(b)] for a, b in bursts],
        )
    elif call.ring_s is not None:
        cycle_s = cadence("cn" if call.lang == "zh" else "na").cycle_s
        rings = (answer_s + call.ring_s) / cycle_s
        ring_truth.update(ring_onset_s=-call.ring_s, cycle_s=cycle_s)
    for w in waits:
        if w["music"]:
            a = int(round(w["start_s"] * sr))
            music = hold_music(w["end_s"] - w["start_s"], sr)
            agent[a : a + len(music)] += music[: n - a]  # the line the caller hears from the company's side
    if call.noise_dbfs is not None:
        agent += _noise(n, call.noise_dbfs, seed)
        customer += _noise(n, call.noise_dbfs, seed + 1)
    if call.layout == "stereo":
        pair = (agent, customer) if call.agent_channel == "left" else (customer, agent)
        frames = np.stack(pair, axis=1)
    else:
        frames = (agent + customer)[:, None]
    frames = np.clip(frames, -1.0, 1.0)

    # transcript and truth
    cues = []
    for k, u in enumerate(placed, 1):
        text = _traditional(u["heard"]) if call.traditional else u["heard"]
        cues.append(
            f"{k}\n{_srt_time(u['start_s'])} --> {_srt_time(u['end_s'])}\n{LABELS[call.lang][u['speaker']]}{text}\n"
        )
    srt = "\n".join(cues)
    agent_lines = [u for u in placed if u["speaker"] == "agent"]
    units = sum(_units(_traditional(u["heard"]) if call.traditional else u["heard"], call.lang) for u in agent_lines)
    speech_s = sum(u["end_s"] - u["start_s"] for u in agent_lines)
    rate = units / speech_s * 60.0 if speech_s >= 1.0 and units else None
    covered = [name for name in FIVEW2H if any(name in u["covers"] for u in agent_lines)]
    questions = [
        {"turn": i, "topic": topic, "answered": not u["unanswered"]}
        for i, u in enumerate(placed)
        if u["speaker"] == "customer"
        for topic in u["covers"]
    ]
    asked = {q["topic"] for q in questions}
    required = [n for n in FIVEW2H if n in asked or (call.visit and n in VISIT_REQUIRES)]
    missing = [n for n in required if n not in covered]
    holds = [
        {
            "start_s": w["start_s"],
            "end_s": w["end_s"],
            "duration_s": _ms(w["end_s"] - w["start_s"]),
            "announced": w["announced"],
            "acknowledged": w["acknowledged"],
            "music": w["music"],
        }
        for w in waits
    ]
    truth = {
        "file": f"{call.name}.wav",
        "transcript": f"{call.name}.srt",
        "note": call.note,
        "language": call.lang,
        "samplerate": sr,
        "layout": call.layout,
        "agent_channel": call.agent_channel,
        "agent": call.agent,
        "company": call.company,
        "duration_s": _ms(duration_s),
        "noise_dbfs": call.noise_dbfs,
        "traditional": call.traditional,
        "made_with": made_with(),
        "answer": {"answer_s": answer_s, "rings": None if rings is None else round(rings, 3), **ring_truth},
        "introduction": dict(call.intro),
        "holds": holds,
        "pace": {
            "rate": None if rate is None else round(rate, 2),
            "units": units,
            "speech_s": _ms(speech_s),
            "unit": "chars/min" if call.lang == "zh" else "words/min",
        },
        "5w2h": {"covered": covered, "required": required, "missing": missing},
        "unanswered": {"questions": questions, "count": sum(1 for q in questions if not q["answered"])},
        "expected": {
            "answer": _status_answer(rings),
            "introduction": _status_intro(call.intro),
            "hold": _status_hold(holds),
            "pace": _status_pace(rate, call.lang),
            "5w2h": _status_5w2h(covered, missing),
            "unanswered": _status_unanswered(questions),
        },
        "utterances": [
            {
                "speaker": u["speaker"],
                "start_s": u["start_s"],
                "end_s": u["end_s"],
                "said": u["text"],
                "transcript": u["heard"],
                "covers": u["covers"],
            }
            for u in placed
        ],
    }
    return frames, srt, truth


MANIFEST_COLUMNS = ("file", "agent", "company", "lang", "region", "ring_s", "layout", "agent_channel", "transcript")


def write_all(out: Path, calls: list[CallScript] = CALLS) -> dict[str, dict]:
    """Write every call's WAV, SRT and truth, and ``manifest.csv``, into ``out``; return the truths."""
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (apt-get install espeak-ng)")
    out.mkdir(parents=True, exist_ok=True)
    truths = {}
    rows = []
    for call in calls:
        frames, srt, truth = render(call, seed=zlib.crc32(call.name.encode()))  # the same noise in any subset
        sf.write(out / f"{call.name}.wav", frames, call.samplerate, subtype="PCM_16")
        (out / f"{call.name}.srt").write_text(srt, encoding="utf-8")
        (out / f"{call.name}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        truths[call.name] = truth
        rows.append(
            {
                "file": f"{call.name}.wav",
                "agent": call.agent,
                "company": call.company,
                "lang": call.lang,
                # region only where no ringback tells it: detection must find it itself
                "region": "" if call.region else ("cn" if call.lang == "zh" else "na"),
                "ring_s": "" if call.ring_s is None else f"{call.ring_s:g}",
                "layout": call.layout,
                "agent_channel": call.agent_channel,
                "transcript": f"{call.name}.srt",
            }
        )
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return truths


def _differences(a, b, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += _differences(a.get(key), b.get(key), f"{where}.{key}" if where else key)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += _differences(x, y, f"{where}[{i}]")
        return out
    if isinstance(a, float) and isinstance(b, float):
        return [] if abs(a - b) <= 1e-3 else [f"{where}: {a} != {b}"]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def check(committed: Path, calls: list[CallScript] = CALLS) -> list[str]:
    """Regenerate ``calls`` into a temporary folder and compare truth, transcripts, manifest and audio with
    the files in ``committed``; return the differences (empty when all match)."""
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder)
        write_all(fresh, calls)
        for path in sorted(fresh.iterdir()):
            old = committed / path.name
            if not old.exists():
                problems.append(f"{path.name}: missing in {committed}")
                continue
            if path.name.endswith(".truth.json"):
                problems += [
                    f"{path.name}: {d}"
                    for d in _differences(
                        json.loads(old.read_text(encoding="utf-8")), json.loads(path.read_text(encoding="utf-8"))
                    )
                ]
            elif path.suffix in (".srt", ".csv"):
                if old.read_text(encoding="utf-8") != path.read_text(encoding="utf-8"):
                    problems.append(f"{path.name}: differs from a fresh run")
            elif path.suffix == ".wav":
                new_audio, _ = sf.read(path, dtype="int16")
                old_audio, _ = sf.read(old, dtype="int16")
                if new_audio.shape != old_audio.shape:
                    problems.append(f"{path.name}: {old_audio.shape} frames != fresh {new_audio.shape}")
                elif np.abs(new_audio.astype(np.int32) - old_audio).max() > 2:
                    problems.append(f"{path.name}: audio differs from a fresh run")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: samples/)")
    parser.add_argument(
        "--check", action="store_true", help="regenerate in a temporary folder and compare with the files in --out"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.out)
        for p in problems:
            print(p)
        print("samples match a fresh run" if not problems else f"{len(problems)} difference(s)")
        return 1 if problems else 0
    truths = write_all(args.out)
    total = sum((args.out / t["file"]).stat().st_size for t in truths.values())
    for name, t in truths.items():
        print(
            f"{name:20s} {t['duration_s']:6.1f} s  {t['samplerate']} Hz {t['layout']:6s}  "
            f"{' '.join(f'{k}={v}' for k, v in t['expected'].items())}"
        )
    print(f"{len(truths)} calls, {total / 1e6:.1f} MB of audio in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
