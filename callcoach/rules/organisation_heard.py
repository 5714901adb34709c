"""How the organisation is heard in an agent's opening when the cue lists alone miss it.

The introduction rule (:mod:`callcoach.rules.introduction`) first looks for the given company by its name and,
with none given, for `company_markers`; these are the second looks: the given company heard in part where it is
named ("slash air" for Skyline Air) or by its brand (顺达检测站 for 顺达机动车检测站), and, with no company given, an
organisation named by where it stands — before the agent's name ("IronLeaf, Tasha speaking"), after a person
("Gary at Warmfront"), right after the greeting (你好 萌宠 之家, "hiya woof bakehouse"), in capitals in a typed
transcript ("Oakfield Stables"). Each says which ``[introduction]`` keys of the packs drive it; an empty list or 0
turns it off. The greeting, name and offer looks are in :mod:`callcoach.rules.opening_heard`.
"""

from __future__ import annotations

import re

from .. import phonetics
from ..names import find_name, name_word_heard
from ..textmatch import cue_set, prepared_text
from ..textnorm import is_han, pos_tags, punctuated, tokens
from ..topics import CLAUSE, says_number
from .base import Call
from .opening_heard import _ending, _slot_words, greeting_word_by_sound, no_org_words

__all__ = [
    "capitalised_organisation",
    "company_brand",
    "company_in_slot",
    "company_marked",
    "organisation_after_greeting",
    "organisation_after_person",
    "organisation_before_name",
    "organisation_clause",
]


def company_in_slot(call: Call, text: str) -> bool:
    """English: a word of the given company heard right after the greeting or "thank you for calling".

    A company's name is often a word the recogniser has never seen: "slash air" for Skyline Air, "had it
    trust thank" for Harbor Trust Bank, where too few of its words survive for :func:`find_name`. Right
    after one of ``[introduction] company_slot_markers`` (empty: off), within ``company_slot_words`` words,
    one of the company's words of three letters or more (not in ``not_names``) heard as spelled — or,
    four letters or more, with the same sound key or nearly the same spelling — says the company was named.
    """
    conf = call.pack["introduction"]
    if not conf.get("company_slot_markers") or not call.setup.company or call.language != "en":
        return False
    stop = set(conf.get("not_names") or [])
    wanted = [t.text for t in tokens(call.setup.company, "en") if len(t.text) >= 3 and t.text not in stop]
    size = int(conf.get("company_slot_words", 3))
    for m in call.cues("introduction", "company_slot_markers").find(text):
        after = tokens(text[m.end :], "en")[:size]
        if any(name_word_heard(t.text, w) for t in after for w in wanted):
            return True
    return False


def company_marked(call: Call, text: str) -> bool:
    """No company given: one of ``[introduction] company_markers`` in the opening names one ("customer service",
    "Greenleaf Pharmacy"); one that only leads in to a name (``company_lead_ins``: "thanks for calling") does so
    only when a word that could name something follows it, none of :func:`no_org_words` ("Thanks for calling, how
    can I help?" names no company; "thanks for calling Zenith" does)."""
    conf = call.pack["introduction"]
    lead_ins = set(conf.get("company_lead_ins") or [])
    stop = no_org_words(conf)
    for m in call.cues("introduction", "company_markers").find(text):
        if m.phrase not in lead_ins:
            return True
        after = tokens(text[m.end :], call.language)
        if after and after[0].text.lower() not in stop:
            return True
    return False


def organisation_before_name(call: Call, first_text: str) -> bool:
    """English, no company given: words that are no greeting before "Tasha speaking" / "this is Tasha".

    "IronLeaf, Tasha speaking" and "Bluewave reservations, this is Nina" name the organisation first; "Good
    morning, Tasha speaking" does not. Markers in ``[introduction] org_after_name`` (the name is the word
    before) and ``org_before_name`` (the name follows); the words left before the name, less fillers, the words
    of ``greetings`` and ``greeting_before_company`` ("there") and ``not_names``, must be at least one.
    """
    conf = call.pack["introduction"]
    if call.language != "en" or not (conf.get("org_after_name") or conf.get("org_before_name")):
        return False
    stop = no_org_words(conf)
    prepared = prepared_text(first_text, "en")
    words = list(zip(prepared.toks, prepared.filler))
    toks = [t for t, _ in words]
    ends = [toks[i - 1].start for i in _slot_words(call, toks, "org_after_name") if i]  # the name: before "speaking"
    ends += [m.start for m in call.cues("introduction", "org_before_name", by_pinyin=False).find(first_text)]
    greeting = greeting_word_by_sound(call, first_text)  # "warning, Tom speaking" names no organisation
    for end in ends:
        left = [t.text for t, filler in words if t.end <= end and not filler and t != greeting]
        if any(w not in stop for w in left):
            return True
    return False


def organisation_after_greeting(call: Call, first_text: str) -> bool:
    """English, no company given, a recogniser's unpunctuated opening: the words right after the greeting that
    opens the turn (heard by its sound too: "warning"), up to the next part of an introduction — an offer of help,
    a self-introduction or its markers, the identity asked, the offer's first word (``org_words_end``: "how", the
    rest misheard) — or the end of the turn, name the organisation ("hiya woof bakehouse", "good afternoon
    northgate motor finance how may i help you"; with no greeting, only when such a part follows: "woof bakehouse
    how can i help"): one to ``[introduction] org_words_max`` words (0: off), none of them a greeting, a word of
    ``not_names`` or of ``[unanswered] generic_words`` ("good morning how are you today" names nothing) but for
    ``org_words_inner`` inside ("speke tool and plant"), nor the given agent's name, nor the one word after
    ``name_slot_single`` ("you're through to dave"). A typed transcript's capitals say it instead
    (``org_caps_max``)."""
    conf = call.pack["introduction"]
    limit = int(conf.get("org_words_max", 0))
    if call.language != "en" or not limit or punctuated(first_text):
        return False
    prepared = prepared_text(first_text, "en")
    solid = prepared.solid
    if not solid:
        return False
    by_sound = greeting_word_by_sound(call, first_text)  # "warning, tom speaking"
    # past the greeting and what goes with it ("hi there", "good morning you're through to", "yeah")
    light = no_org_words(conf)
    start = next((t.start for t in solid if t.text not in light and t != by_sound), len(first_text))
    greetings = call.cues("introduction", "greetings").find(first_text)
    # a greeting heard with a word changed ("get afternoon northgate motor finance") ends where its match ends
    opened = max((m.end for m in greetings if m.start <= start < m.end), default=None)
    if opened is not None:
        start = next((t.start for t in solid if t.start >= opened and t.text not in light), len(first_text))
    greeted = by_sound is not None or any(m.end <= start for m in greetings)  # "to morning hollybank vets"
    found = [
        m
        for key in ("offer_help", "offer_alone", "name_markers", "org_before_name", "ask_identity")
        for m in call.cues("introduction", key).find(first_text)
    ]
    if any(m.start < start < m.end for m in found):
        return False  # the words after the greeting are a part's ("sorry hi my name's tom")
    toks = list(prepared.toks)
    parts = [m.start for m in found] + [toks[i - 1].start for i in _slot_words(call, toks, "org_after_name") if i]
    parts = [at for at in parts if at >= start]  # "… jess speaking": the name before "speaking" is one
    if not parts and not greeted:
        return False  # with no greeting, only words that an introduction's next part ends ("woof bakehouse how can i help")
    if greeted:
        ends = set(conf.get("org_words_end") or [])
        parts += [t.start for t in solid if t.text in ends and t.start >= start]
    end = min(parts, default=len(first_text))
    words = [t.text for t in solid if start <= t.start and t.end <= end]
    before = first_text[:start].split()
    if len(words) == 1 and any(m.split() == before[-len(m.split()) :] for m in conf.get("name_slot_single") or []):
        return False  # "you're through to dave": the agent's name
    stop = light | set(call.pack["unanswered"].get("generic_words") or [])
    inner = set(conf.get("org_words_inner") or [])
    agent = call.setup.agent or ""
    return (
        0 < len(words) <= limit
        and not any(w in stop and not (w in inner and 0 < i < len(words) - 1) for i, w in enumerate(words))
        and not (agent and any(find_name(w, agent, "en") is not None for w in words))  # "good afternoon maureen"
    )


def organisation_after_person(call: Call, first_text: str) -> bool:
    """English, no company given: "<name> at <organisation>" ("it's Gary at, uh, Warmfront", "Marco at Lensbox").

    A word that is no greeting nor in ``not_names`` on each side of a marker in ``[introduction]
    org_after_person`` ("at"), fillers aside: "at the moment" and "at eight" name nothing (empty: off).
    """
    conf = call.pack["introduction"]
    if call.language != "en" or not conf.get("org_after_person"):
        return False
    stop = no_org_words(conf)
    prepared = prepared_text(first_text, "en")
    words = prepared.solid
    for m in call.cues("introduction", "org_after_person", by_pinyin=False).find(first_text):
        before = [t.text for t in words if t.end <= m.start][-1:]
        after = [t.text for t in words if t.start >= m.end][:1]
        if before and after and before[0] not in stop and after[0] not in stop and not says_number(after[0], "en"):
            return True
    return False


def organisation_clause(call: Call, first_text: str) -> bool:
    """Mandarin, no company given: a clause of its own right after the greeting (or 喂) names the organisation.

    你好，萌宠之家。 / 喂？易停车。 / 嗯，您好，优车二手车，我是赵磊。: the clause after the one that greets (with no
    greeting, the opening clause: 清泉源送水，工号零八，你说。, or all the agent says when it reads as a name,
    :func:`_name_like`: 极光冰场。; after a lead-in of ``org_lead_ins``, 这边是……, the clause after it), fillers
    aside, of two to ``[introduction] org_clause_max`` characters (0: off), that asks nothing, is no greeting,
    offer of help, self-introduction or hold (稍等一下), says no 我 / 您 / 你 and ends in no particle (说吧, 在的).
    A recogniser's text has no clauses: see :func:`_organisation_words`.
    """
    limit = int(call.pack["introduction"].get("org_clause_max", 0))
    if call.language != "zh" or not limit:
        return False
    if not punctuated(first_text):
        return _organisation_words(call, first_text, limit)
    fillers = {"".join(f) for f in phonetics.fillers("zh")}
    said = [(c.strip("，。！？,.!?；; "), c.rstrip().endswith(("？", "?"))) for c in CLAUSE.findall(first_text)]
    said = [(c, asks) for c, asks in said if c and c not in fillers]  # (clause, whether it asks)
    opens = [i for i, (c, _) in enumerate(said[:2]) if call.cues("introduction", "greetings").find(c) or c == "喂"]
    # no greeting: the opening clause itself, when the opening goes on (清泉源送水，工号零八，你说。) or is all the
    # agent says (极光冰场。)
    at = opens[0] + 1 if opens else 0
    lead_ins = call.pack["introduction"].get("org_lead_ins") or []
    if at < len(said) and _without_fillers(said[at][0], fillers) in lead_ins:
        at += 1  # 这边是……那个，帘都布艺: the name comes in the clause after 这边是
    if at >= len(said):
        return False
    clause, asks = said[at]
    # a clause that is all the agent says, with no greeting, must read as a name (稍等。 / 对对对。 do not)
    alone = not opens and len(said) == 1
    return not asks and _names_organisation(call, clause, limit) and (not alone or _name_like(clause))


#: Characters a recogniser's opening may say before its greeting (a false start: 啊 等 一下 嗯 你好).
GREETING_WITHIN = 6


#: The agent and the caller, which no organisation's name says (说吧 and 我是 are no names).
_PERSONS = "我您你"


def _names_organisation(call: Call, words: str, limit: int) -> bool:
    """Whether Mandarin ``words`` can be an organisation's name: two to ``limit`` Han characters that say no 我 /
    您 / 你, end in no particle (说吧, 在的) and are no greeting, offer of help, self-introduction or hold."""
    others = ("greetings", "offer_help", "name_markers", "ask_identity", "bare_openers")
    return (
        2 <= len(words) <= limit
        and all(is_han(ch) for ch in words)
        and not any(p in words for p in _PERSONS)
        and words[-1] not in "吧了的吗呢啊呀"  # 说吧, 在的: a reply, not a name
        and not any(call.cues("introduction", key).find(words) for key in others)
        and not call.cues("hold", "announce").find(words)  # 稍等一下
    )


#: jieba tags of words no name is made of: adverbs, particles, prepositions, pronouns, conjunctions, interjections
#: (稍等, 对对对, 什么事, 哪位).
_NOT_IN_NAMES = ("d", "u", "p", "y", "r", "c", "e", "o")


def _name_like(words: str) -> bool:
    """Whether Mandarin ``words`` said with nothing else read as a name: a noun of two characters or more among
    jieba's words in them and none of :data:`_NOT_IN_NAMES` (极光冰场, 译通翻译; not 稍等, 对对对, nor 胜么事 and 外说,
    什么事 and 喂说 misheard)."""
    tags = pos_tags(words)
    return not any(flag.startswith(_NOT_IN_NAMES) for _, flag, _ in tags) and any(
        len(word) >= 2 and flag.startswith(("n", "j")) for word, flag, _ in tags
    )


def _organisation_words(call: Call, first_text: str, limit: int) -> bool:
    """Mandarin, no company given, a recogniser's unpunctuated turn: the words after the greeting (and a lead-in
    of ``org_lead_ins``: 这边 是) up to the next part of an introduction — a self-introduction or its markers
    (``name_markers``, ``name_part_markers``: 我 是, 工号, 客服), an offer of help, or the invitation to speak
    ending the turn (您 说) — or a question word (``[unanswered] question_words``, 请问) name the organisation
    (你好 萌宠 之家; 嗯 您好 安途 校车 我 是 丽萍 请 讲); a name says no 您 / 你 / 我, so it ends before one (鸟虫坊 您 说
    说). With no greeting, or only what is left of one (``greeting_starts``: 您 启明 在线 教育 请问), only when such a
    part follows (明德 公证处 什么 事), or when the words are all the agent says, after 喂 at most, and read as a
    name (极光 冰场, 喂 译通 翻译; not 嗯 稍等)."""
    prepared = prepared_text(first_text, "zh")
    said = "".join(t.text for t in prepared.solid)
    conf = call.pack["introduction"]
    # the greeting, after a false start at most (啊 等 一下 嗯 你好 …)
    greeting = [m for m in call.cues("introduction", "greetings").find(said) if m.start <= GREETING_WITHIN]
    # what is left of it (您 启明 在线 教育 请问: 您好 with 好 lost; ``greeting_starts``) counts as no greeting: only
    # the words that a next part ends name the organisation (你 不好 很 高兴 为 服务 names none)
    left = [m for m in call.cues("introduction", "greeting_starts", by_pinyin=False).find(said) if m.start == 0]
    start = greeting[-1].end if greeting else left[-1].end if left else 1 if said.startswith("喂") else 0
    for lead in conf.get("org_lead_ins") or []:
        if said.startswith(lead, start):
            start += len(lead)
            break
    rest = said[start:]
    stops = [
        m.start
        for key in ("name_markers", "name_part_markers", "offer_help", "ask_identity")
        for m in call.cues("introduction", key).find(rest)
    ]
    ending = _ending(first_text, set(conf.get("offer_alone") or []), "zh")
    if ending:
        stops.append(max(0, len(rest) - len(ending)))
    # a question (明德 公证处 什么 事, 请问 …) is no name: the name ends where one starts
    asking = [*(call.pack["unanswered"].get("question_words") or []), "请问"]
    stops += [at for at in (rest.find(w) for w in asking) if at >= 0]
    # no name says 您 / 你 / 我: one ends where the agent turns to the caller (鸟虫坊 您 说 说, the invitation misheard)
    pronoun = [at for at in (rest.find(p) for p in _PERSONS) if at > 0]
    whole = not stops and not greeting
    if whole and not (said.startswith("喂") or len(said) <= limit):
        return False
    end = min(stops + pronoun, default=len(rest))
    # 您好 有 事 吗: words that a question particle ends are the question's, not a name
    return (
        not rest.startswith(("吗", "呢"), end)
        and _names_organisation(call, rest[:end], limit)
        # a name and nothing else, or after 喂, is the whole opening (极光 冰场 / 喂 译通 翻译; 嗯 稍等 is none)
        and (not whole or _name_like(rest[:end]))
    )


def company_brand(call: Call, first_text: str) -> bool:
    """Mandarin, company given: its brand — the name's first ``[introduction] brand_chars`` characters, of a name
    at least two longer — opening a clause of the agent's first turn, greetings and fillers aside.

    Agents shorten the registered name: 顺达检测站 for 顺达机动车检测站, 迷城密室 for 迷城密室逃脱, 晴阳阳光房 for 晴阳门窗.
    Heard by characters or the same sounds (homophones, folds); the name's opening one or two characters longer
    counts too, as it survives a misheard character (义洁坊 for 衣洁坊干洗). A brand later in a clause (祝您一路顺达)
    names nothing; one right after the clause's last greeting does, whatever false start came before it (您好 恒 呃
    您好 恒温达 售后: a recogniser writes no comma), and so does one right after a lead-in of ``org_lead_ins``, whatever
    comes before it (很高兴为您服务 这里 是 云朵 牧场 for 云朵羊驼牧场). 0: off.
    """
    size = int(call.pack["introduction"].get("brand_chars", 0))
    name = "".join(ch for ch in call.setup.company or "" if is_han(ch))
    if call.language != "zh" or not size or len(name) < size + 2:
        return False
    fillers = {"".join(f) for f in phonetics.fillers("zh")}
    greetings = call.cues("introduction", "greetings")
    lead_ins = call.pack["introduction"].get("org_lead_ins") or []
    # the brand and the name's openings a character or two longer, which survive a misheard one (义洁坊 for 衣洁坊干洗)
    prefixes = [name[:k] for k in range(size, min(size + 2, len(name) - 1) + 1)]
    for m in cue_set(prefixes, "zh", min_confidence=call.min_confidence("introduction")).find(first_text):
        start = max((first_text.rfind(p, 0, m.start) for p in "，。！？,.!?；;"), default=-1) + 1
        before = first_text[start : m.start]
        # what follows the clause's last greeting (a false start before it has no comma in a recogniser's text)
        said = greetings.find(before)
        if said:
            before = before[said[-1].end :]
        before = _without_fillers(re.sub(r"[\s…—]", "", before), fillers)
        # 这里是云朵牧场: what 这里是 (``org_lead_ins``) leads in to is the organisation, whatever came before it
        if before in ("", *fillers, "喂") or any(lead and before.endswith(lead) for lead in lead_ins):
            return True
    return False


def _without_fillers(clause: str, fillers: set[str]) -> str:
    """A Mandarin clause less its dashes, ellipses and the fillers that end it (这边是……那个 -> 这边是)."""
    core = clause.replace("…", "").replace("—", "")
    trimmed = True
    while trimmed:
        trimmed = False
        for filler in fillers:
            if filler and core.endswith(filler) and len(core) > len(filler):
                core, trimmed = core[: -len(filler)], True
    return core


def capitalised_organisation(call: Call, first_text: str) -> bool:
    """English, no company given, a typed transcript: a clause of its own in the opening turn of two to
    ``[introduction] org_caps_max`` capitalised words ("Yeah, hi, Oakfield Stables, go ahead.") or one
    capitalised possessive ("Hello? Yeah, Kowalski's."), none of them a greeting or in ``not_names``, names the
    organisation. A recogniser writes lower case and no commas: its text is left alone. 0: off."""
    limit = int(call.pack["introduction"].get("org_caps_max", 0))
    if call.language != "en" or not limit or not punctuated(first_text):
        return False
    stop = no_org_words(call.pack["introduction"]) | {"i", "i'm", "it's"}
    for clause in re.split(r"[,.!?;:]+", first_text):
        words = clause.split()
        if not words or any(not w[0].isupper() or w.lower().strip("'") in stop for w in words):
            continue
        if 2 <= len(words) <= limit or (len(words) == 1 and words[0].endswith(("'s", "’s"))):
            return True
    return False
