"""How each part of an agent's opening is heard when a recogniser garbled its words.

The introduction rule (:mod:`callcoach.rules.introduction`) first looks for each part by its cue lists; these
are the second looks, each in the one place of the opening where that part is expected: a greeting misheard as
the turn's first word ("warning, Tom speaking", 历好 for 你好), the agent's name garbled after "this is" / 我是,
the offer of help with its middle lost ("how can't i hell", "… for you today"). Each says which
``[introduction]`` keys of the packs drive it; an empty list or 0 turns it off. How the organisation is heard is
in :mod:`callcoach.rules.organisation_heard`.
"""

from __future__ import annotations

import re

from .. import phonetics
from ..names import find_name
from ..phonetics import sound_key, sounds_near
from ..textmatch import Match, after_added_word, cue_set, prepared_text
from ..textnorm import is_han, punctuated, tokens
from ..topics import CLAUSE
from .base import Call

__all__ = [
    "after_one_light_word",
    "greeting_before_company",
    "greeting_left_before_introduction",
    "greeting_tail",
    "greeting_word_by_sound",
    "name_after_marker_by_sound",
    "name_before_marker",
    "name_part_heard",
    "name_said_garbled",
    "ni_hao_misheard",
    "no_org_words",
    "offer_by_sound",
    "offer_clause",
    "offer_ending",
    "one_word_pickup",
    "person_named",
]


def name_said_garbled(call: Call, text: str) -> bool:
    """A self-introduction ("my name is …", "this is …", "… speaking") with a word in the name's place that is no
    function word, greeting nor the company.

    Recognisers rarely spell a person's name right (Priya heard as "try of", Dana as "think"): the agent said
    a name. Markers before the name in ``[introduction] name_slot_markers``, after it in ``name_slot_after``
    ("garden speaking" for "Karen speaking"; empty: off), words that are no name in ``not_names``.
    """
    conf = call.pack["introduction"]
    markers = conf.get("name_slot_markers") or []
    company = {t.text for t in tokens(call.setup.company or "", call.language)}
    stop = set(conf.get("not_names") or []) | company
    if markers:
        for m in call.cues("introduction", "name_slot_markers", by_pinyin=False).find(text):
            after = tokens(text[m.end :], call.language)
            if after and after[0].text not in stop:
                return True
    return name_after_marker_by_sound(call, text, stop) or name_before_marker(call, text, company)


def name_after_marker_by_sound(call: Call, text: str, stop: set[str]) -> bool:
    """English: a marker of ``[introduction] name_slot_markers`` heard word by word nearly by sound ("this as
    Noor", "the is Dana": :func:`~callcoach.phonetics.sounds_near`), then a word that is not in ``stop``."""
    if call.language != "en":
        return False
    conf = call.pack["introduction"]
    single = set(conf.get("name_slot_single") or [])
    ends = set(conf.get("name_slot_single_ends") or [])
    words = [t.text.lower() for t in tokens(text, "en")]
    for marker in conf.get("name_slot_markers") or []:
        want = marker.split()
        for i in range(len(words) - len(want)):
            at = i + len(want)
            if not all(sounds_near(words[i + k], w) for k, w in enumerate(want)) or words[at] in stop:
                continue
            # "you're through to Dave, what can I …": one word, then the offer; "… to Lumen Fibre support" names a
            # company
            if marker not in single or at + 1 == len(words) or words[at + 1] in ends:
                return True
    return False


def name_before_marker(call: Call, text: str, company: set[str] | frozenset[str] = frozenset()) -> bool:
    """English: a word that is no greeting, function word, organisation word (``not_names``) nor one of
    ``company`` right before a one-word marker of ``[introduction] name_slot_after``, heard as said or nearly
    by sound ("garden speaking" for "Karen speaking"; "Tasha seeking", "Owen booking"). Empty list: off."""
    if call.language != "en" or not call.pack["introduction"].get("name_slot_after"):
        return False
    stop = no_org_words(call.pack["introduction"]) | set(company)
    words = tokens(text, "en")
    return any(i and words[i - 1].text not in stop for i in _slot_words(call, words, "name_slot_after"))


def _slot_words(call: Call, words: list, key: str) -> list[int]:
    """English: indices of the words in ``words`` that are one of the markers ``[introduction] key`` (one word
    each; a marker of several words is not looked for here),
    heard as said or — five letters or more — nearly by sound (:func:`sounds_near`: "Tasha seeking", "Karen
    booking", "Hannah peaking" for "… speaking")."""
    markers = [w for w in call.pack["introduction"].get(key) or [] if " " not in w]
    return [
        i
        for i, t in enumerate(words)
        if any(t.text == w or (len(w) >= 5 and len(t.text) >= 4 and sounds_near(t.text, w)) for w in markers)
    ]


def one_word_pickup(call: Call, first_text: str, greeting_hits: list) -> bool:
    """An opening turn of at most ``[introduction] bare_max_units`` words (Mandarin: characters), fillers aside,
    none of them a greeting nor a word of the given company's or agent's name ("AquaTrace."): the agent picked
    up with one word ("Yes?", "What?", or "Yeah?" misheard as "you'll"), which is no introduction whatever the
    word was. 0 turns this off."""
    limit = int(call.pack["introduction"].get("bare_max_units", 0))
    if not limit or greeting_hits:
        return False
    said = prepared_text(first_text, call.language).solid
    named = {t.text for name in (call.setup.company, call.setup.agent) if name for t in tokens(name, call.language)}
    return 0 < len(said) <= limit and not any(t.text in named for t in said)


def no_org_words(conf: dict) -> set[str]:
    """English words that name neither a person nor an organisation in an opening: the words of ``greetings``,
    ``greeting_before_company`` ("there") and ``bare_openers`` ("yeah", "yes"), and ``not_names``."""
    greetings = (
        (conf.get("greetings") or []) + (conf.get("greeting_before_company") or []) + (conf.get("bare_openers") or [])
    )
    return {w for g in greetings for w in g.split()} | set(conf.get("not_names") or [])


def offer_by_sound(call: Call, text: str) -> bool:
    """English: a word that sounds nearly like one of ``[introduction] offer_words`` ("help") within two words
    after one of ``offer_slot`` ("can", "may"): "now can i hell", "who it can hi held you today" are the offer
    misheard (:func:`~callcoach.phonetics.sounds_near`). Empty lists: off."""
    conf = call.pack["introduction"]
    slots, wanted = set(conf.get("offer_slot") or []), conf.get("offer_words") or []
    if call.language != "en" or not slots or not wanted:
        return False
    words = [t.text.lower() for t in tokens(text, "en")]
    return any(
        w in slots and any(sounds_near(x, o) for x in words[i + 1 : i + 3] for o in wanted) for i, w in enumerate(words)
    )


def offer_clause(call: Call, turns) -> bool:
    """A clause of the opening that is all one of ``[introduction] offer_alone`` says (您说。/ "go ahead."): the
    invitation to speak that ends many openings, but only as a clause of its own (您说的是… is no offer). A
    recogniser writes no punctuation: there it must end the turn (青岚谷 营地 您 说), heard as its words or their
    homophones. Empty: off."""
    alone = {w.lower() for w in call.pack["introduction"].get("offer_alone") or []}
    if not alone:
        return False
    fillers = {" ".join(f) if call.language == "en" else "".join(f) for f in phonetics.fillers(call.language)}
    for turn in turns:
        if not punctuated(turn.simplified):
            if _ending(turn.simplified, alone, call.language):
                return True
            continue
        for clause in CLAUSE.findall(turn.simplified):
            said = clause.strip("，。！？,.!?；;…—- ").lower()
            words = [w for w in said.split() if w not in fillers] if call.language == "en" else [said]
            if " ".join(words) in alone:
                return True
    return False


def offer_ending(call: Call, turns) -> bool:
    """English: an opening turn that ends with one of ``[introduction] offer_endings`` ("for you", "for you
    today"), fillers aside: "what can I do for you?" with its first words misheard ("want keep a for you"). Only
    the turn's last words: "a parcel for you" inside a turn is no offer. Empty: off."""
    endings = {e.lower() for e in call.pack["introduction"].get("offer_endings") or []}
    return bool(endings) and any(_ending(t.simplified.lower(), endings, call.language) for t in turns)


def _ending(text: str, phrases: set[str], language: str) -> str | None:
    """The one of ``phrases`` that the last words of ``text`` (fillers aside) are, as words of their own: the same
    units, or Han characters of the same toneless reading (您 说 for 您说) or heard as the phrase matcher allows
    (男说, 淋朔: 您 heard as a listed near-homophone); None if none is."""
    prepared = prepared_text(text, language)
    said = prepared.solid
    key = phonetics.reading if language == "zh" else str.lower
    for phrase in phrases:
        units = [t.text for t in prepared_text(phrase, language).toks]
        tail = said[-len(units) :] if units and len(said) >= len(units) else []
        if not tail or tail[0].start not in prepared.bounds:
            continue
        if [key(t.text) for t in tail] == [key(u) for u in units]:
            return phrase
        heard = text[tail[0].start : tail[-1].end]
        if language == "zh" and any(m.end - m.start == len(heard) for m in cue_set([phrase], language).find(heard)):
            return phrase
    return None


def greeting_tail(call: Call, first_text: str) -> bool:
    """English: the second word of a two-word greeting (``greeting_tails``: "there") as the opening turn's first or
    second word, fillers aside, with more said after it: "may there, how can I help" is "Hi there" misheard."""
    tails = set(call.pack["introduction"].get("greeting_tails") or [])
    if not tails or call.language == "zh":
        return False
    prepared = prepared_text(first_text, call.language)
    words = [t.text.lower() for t in prepared.solid]
    return len(words) >= 3 and bool(tails & set(words[:2]))


def ni_hao_misheard(call: Call, first_text: str) -> bool:
    """Mandarin: 你好 / 您好 misheard at the very opening of the turn, fillers aside — its first character heard as
    one that nearly sounds like 你 / 您 (历好, 宁好, 南好: a fold or a pair of the confusion table; a phrase
    elsewhere never loses its 你 this way), or one character heard between the two (你 的 好, 你 有 好). The
    characters of ``[introduction] greetings_misheard`` (empty: off) are the greetings so heard."""
    greetings = [g for g in call.pack["introduction"].get("greetings_misheard") or [] if len(g) == 2]
    if call.language != "zh" or not greetings:
        return False
    prepared = prepared_text(first_text, "zh")
    said = "".join(t.text for t in prepared.solid if is_han(t.text))
    if len(said) < 3:
        return False  # 你好 alone, or a lone pickup, is judged as heard
    near = phonetics.costs().near
    heard = phonetics.reading(said[0])
    return any(
        (said[0] == first and said[2] == second)
        # the syllables themselves: a phrase elsewhere never has its person replaced (phonetics.unit_cost)
        or (said[1] == second and phonetics.syllable_cost(heard, phonetics.reading(first)) <= near)
        for first, second in greetings
    )


def after_one_light_word(call: Call, first_text: str, hit) -> bool:
    """English, a recogniser's unpunctuated turn: the bare opener is the second word, after one function word or
    pronoun that is no greeting ("i yep", "i yeah hedley's": "Yep?" with a word the recogniser added before it), in
    a turn of at most ``[introduction] bare_after_light_max`` words (0: off)."""
    lead = after_added_word(first_text, call.language, int(call.pack["introduction"].get("bare_after_light_max", 0)))
    return lead == hit.start and not call.cues("introduction", "greetings").find(first_text[:lead])


def greeting_word_by_sound(call: Call, first_text: str):
    """English: a one-word greeting misheard as the opening turn's first word, fillers aside ("warning, Tom
    speaking", "help, framing, Bron speaking", "hold, Meridian claims").

    The word sounds like one in ``[introduction] greeting_sounds`` (:func:`~callcoach.phonetics.sounds_near`,
    with as many syllables give or take one: "own" is no "evening"), at least ``greeting_sounds_after`` words
    follow it (a turn of one or two words is a pickup, see ``bare_openers``), and it is no word of the given
    company's name ("Overhang" is no "afternoon"). Returns that word's token, or None (empty list: off).
    """
    conf = call.pack["introduction"]
    cues = conf.get("greeting_sounds") or []
    if call.language != "en" or not cues:
        return None
    prepared = prepared_text(first_text, "en")
    words = prepared.solid
    if len(words) <= int(conf.get("greeting_sounds_after", 2)):
        return None
    first = words[0].text.lower()
    if first in _company_words(call):
        return None
    syllables = phonetics.syllables(first)
    for cue in cues:
        if sounds_near(first, cue) and abs(phonetics.syllables(cue) - syllables) <= 1:
            return words[0]
    return None


def greeting_left_before_introduction(call: Call, first_text: str) -> bool:
    """English: a lone function word or pronoun opening the turn, fillers aside, right before one of
    ``[introduction] greeting_slot_before`` ("you're through to", "this is"): what is left of a misheard greeting
    ("be, you're through to Dave" for "Hiya, you're through to Dave"), or right before the given agent's name and
    one of ``org_after_name`` ("she, Shona speaking" for "Hi, Shona speaking"). No agent opens with "be" or "me";
    a word of the given company there names it instead. Empty: off."""
    markers = call.pack["introduction"].get("greeting_slot_before") or []
    if call.language != "en" or not markers:
        return False
    prepared = prepared_text(first_text, "en")
    words = prepared.solid
    if len(words) < 3 or not phonetics.is_light(words[0].text.lower(), "en"):
        return False
    if words[0].text.lower() in _company_words(call):
        return False
    # "she, Shona speaking" for "Hi, Shona speaking": the given agent's name, then "speaking" / "here"
    if (
        call.setup.agent
        and words[2].text.lower() in (call.pack["introduction"].get("org_after_name") or [])
        and find_name(words[1].text, call.setup.agent, "en") is not None
    ):
        return True
    return any(
        m.start == words[1].start
        for m in call.cues("introduction", "greeting_slot_before", by_pinyin=False).find(first_text)
    )


def greeting_before_company(call: Call, first_text: str) -> bool:
    """What is left of the greeting right before the given company that opens the turn.

    你 力行健身 and 化好 蓝天航空 (您好 misheard), "fee there Gatehouse Tickets" ("hi there"): at most
    ``greeting_before_company_units`` characters (English: words), fillers aside, come before the company's
    name, and one of them sounds like one in ``greeting_before_company`` (Mandarin: a character's pinyin;
    English: a word's phonetic key, or nearly — :func:`~callcoach.phonetics.sounds_near`: "hold" for "hello";
    empty: off). 喂 / "yeah" before the company is no greeting (not listed).
    """
    conf = call.pack["introduction"]
    cues = conf.get("greeting_before_company") or []
    if not cues or not call.setup.company:
        return False
    zh = call.language == "zh"
    found = find_name(first_text, call.setup.company, call.language)
    if found is None:
        return False
    prepared = prepared_text(first_text[: found.start], call.language)
    before = [t.text for t in prepared.solid if is_han(t.text) or not zh]
    limit = int(conf.get("greeting_before_company_units", 2))
    if not 0 < len(before) <= limit:
        return False
    if zh:
        sounds = {sound_key(u, "zh") for u in "".join(cues)}
        return any(sound_key(u, "zh") in sounds for u in before)
    return any(sounds_near(u, c) for u in before for c in cues)  # "hold" / "warning" for hello / morning


def name_part_heard(call: Call, text: str) -> Match | None:
    """Mandarin: the marker (我是 / 我叫 / 客服 …) just after which a character sounding like one of the given
    name's was heard, or None.

    The recogniser loses one character of a two-character name about one time in five at 20 % character
    errors (我是韩梅 heard as 涡是勫梅): the introduction and a syllable of the name are left. Markers in
    ``[introduction] name_part_markers`` (matched by pinyin; empty: off), the next ``name_part_window``
    characters are searched, skipping the company's characters and the words in ``not_name_parts``. The
    introduction and the closing's own name both use it.
    """
    conf = call.pack["introduction"]
    if not conf.get("name_part_markers") or not call.setup.agent or call.language != "zh":
        return None
    wanted = set(_keys("".join(ch for ch in call.setup.agent if is_han(ch))))
    skip = set(conf.get("not_name_parts") or []) | {t.text for t in tokens(call.setup.company or "", "zh")}
    window = int(conf.get("name_part_window", 3))
    for m in call.cues("introduction", "name_part_markers").find(text):
        after = [ch for t in tokens(text[m.end :], "zh") if t.text not in skip for ch in t.text if is_han(ch)][:window]
        if any(sound_key(ch, "zh") in wanted for ch in after):
            return m
    return None


def person_named(call: Call, text: str) -> bool:
    """Mandarin, no name given: a word jieba tags as a person's name just after 是 / 我 / 客服 ….

    The recogniser often loses 我 of 我是 (是赵敏, 客服郑丽): the name itself is then the evidence. The word
    must have a tag in ``[introduction] person_tags`` (empty: off) and follow, within two words, a word
    that sounds like one in ``person_after`` (a brand such as 康宁大药房 is tagged as a name too).
    """
    conf = call.pack["introduction"]
    flags = set(conf.get("person_tags") or [])
    if not flags or call.language != "zh":
        return False
    from ..textnorm import pos_tags

    after = {_keys(w) for w in conf.get("person_after") or []}
    words = [(w, f) for w, f, _ in pos_tags(text) if w.strip()]
    for i, (word, flag) in enumerate(words):
        if flag in flags and 2 <= len(word) <= 3 and all(is_han(ch) for ch in word):
            before = words[max(0, i - 2) : i]
            # a marker word, or a word ending in a one-character marker (侮是: 我 heard as 侮, jieba joined them)
            if any(_keys(w) in after or _keys(w)[-1:] in after for w, _ in before):
                return True
    return False


def _keys(word: str) -> tuple[str, ...]:
    """The Mandarin sound keys of a word's characters (folded pinyin: 侮 and 我 differ, 是 and 市 do not)."""
    return tuple(sound_key(ch, "zh") for ch in word)


def _company_words(call: Call) -> set[str]:
    """The given company's words, lower case ("overhang", "climbing"); empty when no company is given."""
    return {w.lower() for w in re.findall(r"[\w']+", call.setup.company or "")}
