"""What an agent's reply says to a customer's question (003, 004): the reading the unanswered rule builds on.

:mod:`callcoach.rules.unanswered` finds the customer's questions and walks the agent's next replies; these
predicates say what one reply does: opens with a yes/no answer (可以 / "we do") or with the question's own words
(还在的 / "Just come in"), reassures or refuses instead (您放心, 这是公司的规定), asks the customer something
instead ("Sure, can I get the panel ID?"), names a price with a bare number, names a person, or asks at all
(also in a recogniser's unpunctuated text). Every word list comes from the pack's ``[unanswered]`` section.
"""

from __future__ import annotations

import re

from ..phonetics import is_person, reading
from ..questions import SENTENCE_SPAN, content_words, mentions, question_spotter
from ..redact import find_personal_data
from ..spoken_numbers import digit_runs
from ..textmatch import Match, at_opening, prepared_text
from ..textnorm import is_han, pos_tags, punctuated, syllables, tokens
from ..topics import TopicHit, says_number, topic_spotter
from .base import Call

__all__ = [
    "PROPOSED",
    "SENTENCE",
    "asks_instead",
    "echoes",
    "fragment_reply",
    "evasive",
    "generic_words",
    "is_question",
    "names_another_thing",
    "names_party",
    "opens_with_reply",
    "people_named",
    "refers_to",
    "reasons",
    "says_hour",
    "says_price",
    "shares_pair",
    "shrugs_in",
    "without",
]

#: A sentence boundary: after 。！？!? or a full stop and a space.
SENTENCE = re.compile(r"(?<=[。！？!?])\s*|(?<=\.)\s+")
#: Topics an agent can answer by proposing (明天上午十点可以吗？ / "Would Friday at two work?").
PROPOSED = ("when", "where")


def without(text: str, cues) -> str:
    """``text`` less the words of every cue found in it (我看一下，… less the hold announcement)."""
    for m in sorted(cues.find(text), key=lambda m: m.start, reverse=True):
        text = text[: m.start] + text[m.end :]
    return text


def generic_words(call: Call) -> frozenset[str]:
    """Words that say nothing about a question's matter (``generic_words``: 是, 可以, "need", "there")."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "unanswered-generic" not in cache:
        cache["unanswered-generic"] = frozenset(call.pack["unanswered"].get("generic_words", []))
    return cache["unanswered-generic"]


def opens_with_reply(call: Call, text: str) -> bool:
    """Whether an agent turn opens (after fillers) with a yes/no reply (可以 / 不用 / "yes" / "maybe if ...").

    Mandarin also puts the matter first and the reply after it (topic, then comment): 检测可以，…, 转让可以，…,
    合约期内不能直接销 — one of ``[unanswered] topic_replies`` inside the reply's first clause, within
    ``topic_reply_within`` characters of its start and right after no person (您可以先来… suggests, it does
    not reply). Empty list or 0: off.
    """
    replies = call.cues("unanswered", "yes_no_replies", by_pinyin=False)

    def opens(said: str) -> bool:
        return any(at_opening(said, m.start, call.language) for m in replies.find(said))

    if opens(text):
        return True
    conf = call.pack["unanswered"]
    if call.language != "zh":
        # or opens its second sentence with one after a first of a word or two said while looking ("August.
        # Yeah, I've got one family pen left", "Sorry about that. No, the shed's full"; `reply_after_words`)
        sentences = [x for x in SENTENCE.split(text.strip()) if x.strip()]
        lead = int(conf.get("reply_after_words", 0))
        if len(sentences) > 1 and 0 < len(tokens(sentences[0], "en")) <= lead and opens(sentences[1]):
            return True
        # or says one as all of a later clause of its first sentence, and hedges nothing: "Kitchen does the bistro
        # menu till nine, yeah.", "The mower and the pots, no problem, we'll take those" (not "I reckon they'd be
        # alright with that, yeah.", "Should be, yeah. Probably.")
        hedges = conf.get("tag_reply_hedges", [])
        clauses = [c.strip(" .!").lower() for c in SENTENCE.split(text.strip())[0].split(",")]
        tagged = any(c in conf.get("yes_no_replies", ()) for c in clauses[1:])
        # or grants it in a short first clause: "Can my daughter come too?" - "Fourteen's fine."; "Costumes are no
        # bother" (`granted_replies`, within `granted_within` words; "They'll be fine" reassures: `granted_not_after`)
        within = int(conf.get("granted_within", 0))
        head = [w.text for w in tokens(clauses[0], "en")]
        granted = (
            0 < len(head) <= within
            and head[0] not in conf.get("granted_not_after", ())
            and any(" ".join(head).endswith(" " + g) for g in conf.get("granted_replies", ()))
        )
        return (tagged or granted) and not any(
            call.cues("forbidden", "groups", name, "phrases").find(text)
            for name in hedges
            if name in call.pack["forbidden"].get("groups", {})
        )
    limit = int(conf.get("topic_reply_within", 0))
    if not limit or not conf.get("topic_replies"):
        return False
    # (after fillers: 嗯，自带的精油我们这边是不能用的)
    said = prepared_text(text, call.language).solid
    body = text[said[0].start :] if said else ""
    first = re.split(r"[，。！？,.!?；;]", body, maxsplit=1)[0]
    return any(
        0 < m.start <= limit and m.end <= len(first) and not is_person(first[m.start - 1], "zh")
        for m in call.cues("unanswered", "topic_replies", by_pinyin=False).find(first)
    )


def plain_reply(call: Call, text: str, asked: str = "") -> bool:
    """Whether an agent turn opens with a plain yes or no of ``[unanswered] plain_replies``, as a clause of its
    own or followed by what it refuses ("No, it's company policy, …", "不行，这是规定。", "No loaners on service
    jobs"): an answer, if a curt one, whatever the rest of the turn says. Mandarin: also with the question's own
    verb (能分期吗？ — 不能分，…; 能退吗？ — 退不了。, from ``asked``), but for ``[unanswered] reassuring_replies``
    (会 / 不会), which reassure as often as they answer (不会坏的，您放心)."""
    words = call.pack["unanswered"].get("plain_replies") or []
    if not words:
        return False
    prepared = prepared_text(text, call.language)
    said = prepared.solid
    if not said:
        return False
    if call.language == "zh":
        head = text[said[0].start :]
        if any(head.startswith(w) and (len(head) == len(w) or head[len(w)] in "，。！？,.!? ") for w in words):
            return True
        first = re.split(r"[，。！？,.!?\s]", head, maxsplit=1)[0]
        clause = first.rstrip("的了啊呀")
        verb: str | None = next(
            (clause[len(w) :] for w in sorted(words, key=len, reverse=True) if clause.startswith(w)), None
        )
        said_object = ""
        if verb is None or clause.startswith(tuple(call.pack["unanswered"].get("reassuring_replies") or ())):
            # 退不了 / 办得了, or with the question's object first: 能开发票吗？ — 发票开不了
            potential = re.fullmatch(rf"(\w{{0,{PLAIN_VERB_CHARS}}}?)(\w{{1,2}}?)(?:不了|得了)[的啊呀]?", first)
            said_object, verb = potential.groups() if potential else ("", None)
        clause_asked = re.split(r"[，。！？,.!?；;]", asked.rstrip("？?！!。. "))[-1] if asked else ""
        # (a recogniser's text has no clauses: a word of it alone says nothing)
        if punctuated(text) and clause and not is_person(clause, "zh") and _own_words_reply(clause, clause_asked):
            return True
        return (
            verb is not None
            and 0 < len(verb) <= PLAIN_VERB_CHARS
            and all(ch in clause_asked for ch in verb + said_object)
        )
    return said[0].text.lower().strip(",.!?") in words


#: Characters of the question's verb a plain Mandarin yes or no may carry (不能分, 可以退).
PLAIN_VERB_CHARS = 2


def _own_words_reply(clause: str, asked: str) -> bool:
    """Mandarin: whether a reply's first clause is the question's own words as a yes: its one-character verb alone
    (收旧书吗？ — 收啊，什么书？), its matter and the A of its A-not-A (线轴带不带？ — 线轴带), or its verb granted with a but (能送吗？
    — 送是能送，运费你得出; 能不能拆？ — 拆是可以拆的)."""
    granted = re.fullmatch(r"(\w{1,2})是(?:能|可以|会|要)?\1", clause)
    if granted:
        return all(ch in asked for ch in granted.group(1))
    if not all(ch in asked for ch in clause):
        return False
    a_not_a = re.search(r"(\w)[不没]\1", asked)
    # a word of two (布丁啊，它周六可能在吧 / 上门啊，那得看…) names the matter before the answer: no answer by itself
    return len(clause) == 1 or bool(
        a_not_a and clause.endswith(a_not_a.group(1)) and len(clause) <= 2 * PLAIN_VERB_CHARS
    )


def shares_pair(text: str, question: str, call: Call) -> bool:
    """Mandarin: whether ``text`` says two adjacent characters of the question (by pinyin), neither one of
    ``[unanswered] pair_skip_chars``: 移机费 for 那移机收不收钱啊？, where jieba split the question's words as
    移 / 机收 (的地, 有租, 一下 say nothing of a matter). An empty string turns this off."""
    skip = set(call.pack["unanswered"].get("pair_skip_chars", ""))
    if call.language != "zh" or not skip:
        return False
    han = [ch for ch in question if is_han(ch)]
    pairs = {(a, b) for a, b in zip(han, han[1:]) if a not in skip and b not in skip}
    if not pairs:
        return False
    heard = syllables(text)
    said = set(zip(heard, heard[1:]))
    return any((reading(a), reading(b)) in said for a, b in pairs)


def names_party(call: Call, cue: str, text: str) -> bool:
    """Mandarin: whether a reply to a question asking who does something (a cue of 谁 and its verb: 谁出, 谁付,
    谁赔) names a party doing it — one of ``[unanswered] parties`` before the verb: 运费谁出？ — 我们出。"""
    parties = call.pack["unanswered"].get("parties") or []
    if call.language != "zh" or not parties or not cue.startswith("谁") or len(cue) < 2:
        return False
    verb = cue[1:]
    return any(party + verb in text for party in parties)


def refers_to(call: Call, text: str) -> bool:
    """Mandarin: whether a reply sends the customer to someone — one of ``[unanswered] who_referrals`` (找, 问) with a
    noun of two characters or more among the three words after it in its clause: 那质量问题要找谁？ — 这个不归我管，你要找
    厂里面品管部 / 找我们店长 / 说找老周就行. The answer to a who question, however curtly it passes the question on."""
    verbs = call.pack["unanswered"].get("who_referrals") or []
    if call.language != "zh":
        return False
    for verb in verbs:
        for m in re.finditer(re.escape(verb), text):
            clause = re.split(r"[，。！？,.!?；;]", text[m.end() : m.end() + REFERRAL_REACH])[0]
            if any(flag.startswith("n") and len(w) >= 2 for w, flag, _ in pos_tags(clause)[:3]):
                return True
    return False


#: Characters after a referral verb (找) where the party it names is looked for.
REFERRAL_REACH = 8


def people_named(call: Call, text: str, own_too: bool = False) -> list[TopicHit]:
    """Mandarin: people named in an agent turn — words jieba tags with one of ``[unanswered] person_tags`` (nr),
    two or three characters, not the agent's own name unless ``own_too`` (a question who the agent is: 你是谁？ —
    我刘强，调度) — as *who* stated: the answer to 主持人是谁？ (周磊老师)."""
    tags = set(call.pack["unanswered"].get("person_tags") or [])
    own = "" if own_too else (call.setup.agent or "")
    if call.language != "zh":
        return _capitalised_people(call, text, own)
    if not tags:
        return []
    return [
        TopicHit("who", False, at, at + len(word), word, "person")
        for word, flag, at in pos_tags(text)
        if flag in tags and 2 <= len(word) <= 3 and not (own and (word in own or own in word))
    ]


def _capitalised_people(call: Call, text: str, own: str) -> list[TopicHit]:
    """English, a typed transcript: capitalised words inside a sentence (not its first word), none of
    ``[unanswered] not_people`` (days, months, "I") nor the agent's own name: "Probably Kerry, or whoever's on"."""
    if not call.pack["unanswered"].get("people_capitalised") or not punctuated(text):
        return []
    stop = {w.lower() for w in call.pack["unanswered"].get("not_people") or []} | {w.lower() for w in own.split()}
    hits = []
    for sentence in SENTENCE_SPAN.finditer(text):
        words = list(re.finditer(r"[A-Za-z][\w'’-]*", sentence.group()))
        for w in words[1:]:
            word = w.group()
            if word[0].isupper() and word[1:].islower() and word.lower() not in stop:
                at = sentence.start() + w.start()
                hits.append(TopicHit("who", False, at, at + len(word), word, "person"))
    return hits


def fragment_reply(call: Call, text: str) -> str:
    """English: a reply's first sentence when it is an answer without a verb — a word or a few naming something
    ("Middleton.", "Three nights.", "Photo ID, steel toecaps, hi-vis."): at most ``[unanswered] fragment_max_words``
    words, fillers aside, none of ``fragment_not_words`` (subjects, auxiliaries, holds, hedges), no question, and a
    content word of its own; else "". Mandarin: always "" (so is English with ``fragment_max_words`` 0)."""
    limit = int(call.pack["unanswered"].get("fragment_max_words", 0))
    if not limit or call.language == "zh":
        return ""
    said = prepared_text(text, call.language).solid
    if not said:
        return ""
    sentence = SENTENCE_SPAN.match(text, said[0].start)
    first = sentence.group() if sentence else ""
    if not first or first.rstrip().endswith("?"):
        return ""
    words = [w.text.lower().strip(",.!") for w, filler in zip(*_said(first, call.language)) if not filler]
    stop = set(call.pack["unanswered"].get("fragment_not_words", []))
    if 0 < len(words) <= limit and not any(w in stop for w in words):
        return first if content_words(first, call.language, generic_words(call)) else ""
    return ""


def echoes(call: Call, question: dict, text: str) -> bool:
    """Whether an agent turn opens (after fillers) with the yes/no question's own words. Mandarin: its predicate
    or its negation — 还在卖吗？ — 还在的 / 不在了; 能开发票吗？ — 能开 / 开不了, or a word of it of three characters or
    more cut to its first and last (开票要加六个点); or says it, two characters or more, as all of a later clause but
    for a closing particle (还能修吗？ — Err 20啊，…出问题。能修的。), or ends its first clause with it (能做不？ —
    膝盖这种运动后的是可以做的); the predicate is one of the last ``echo_words`` words before 吗 or a tail of
    ``asked_tails`` (jieba), less pronouns and `generic_words`; a choice is answered by picking a side
    (:func:`picks_alternative`). English: one of the reply's first
    ``echo_words`` words is a content word of the question's last sentence ("Just come in")."""
    size = int(call.pack["unanswered"].get("echo_words", 0))
    if call.language != "zh":
        # English: one of the reply's first ``echo_words`` words, fillers aside, is a content word of the
        # question's last sentence ("Do I need to book, or can I just come in?" — "Just come in, ...")
        sentence = [s for s in re.split(r"[.!?]", question["heard"]) if s.strip()]
        if not size or not sentence:
            return False
        asked = set(content_words(sentence[-1], "en", generic_words(call)))
        opening = [w.text for w, filler in zip(*_said(text, call.language)) if not filler][:size]
        return any(w in asked for w in content_words(" ".join(opening), "en", generic_words(call)))
    clause = re.split(r"[，。！？,.!?；;]", question["heard"].rstrip("？?！!。. "))[-1].rstrip("吗呢啊呀吧 ")
    if not size or not clause:
        return False
    conf = call.pack["unanswered"]
    if question["heard"].rstrip().endswith(("？", "?")):
        if picks_alternative(call, question["heard"], text):
            return True
        # 能吃不？ 到了没有？ asks about 能吃, 到了
        tails = sorted(conf.get("asked_tails", []), key=len, reverse=True)
        clause = next((clause[: -len(t)] for t in tails if clause.endswith(t) and len(clause) > len(t)), clause)
    # pronouns aside, but not jieba's other r words (票价是一样的吗？ — 一样的，…)
    words = [
        w
        for w, flag, _ in pos_tags(clause)
        if not flag.startswith(("u", "y", "x", "w")) and not (flag.startswith("r") and w[0] in _PRONOUN_CHARS)
    ][-size:]
    # 有没有 asks whether there is one: 有 is the predicate however generic (有没有先试试的？ — 有体验课，免费的)
    kept = {"有"} if "有没有" in words else set()
    # an A-not-A word asks about its A (认不认 -> 认, 可不可以 -> 可以)
    words = [_A_NOT_A.sub(r"\1\2", w) for w in words]
    generic = generic_words(call)
    # the predicate's words and their runs (还 在 卖: 还在, 在卖, 还在卖), a lone generic one aside (还)
    runs = {"".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, len(words) + 1)}
    first_clause = re.split(r"[，。！？,.!?；;]", text, maxsplit=1)[0]
    solid = prepared_text(text, "zh").solid
    # the first clause, fillers aside, ends with the predicate (能做不？ — 膝盖这种运动后的是可以做的)
    ending = (
        re.split(r"[，。！？,.!?；;]", text[solid[0].start :], maxsplit=1)[0].rstrip("的了啊呀嘛哈 ") if solid else ""
    )
    condition = int(call.pack["unanswered"].get("condition_max_chars", 0))
    # or as all a later clause says, but for a closing particle (还能修吗？ — Err 20啊，…出问题。能修的。)
    clauses = {c.strip().rstrip("的了啊呀嘛哈") for c in re.split(r"[，。！？,.!?；;]", text)[1:]}
    for run in runs - {w for w in words if w in generic and len(w) == 1 and w not in kept}:
        for said in (run, "不" + run, "没" + run, "没有" + run):
            at = text.find(said)
            if at >= 0 and at_opening(text, at, "zh"):
                return True
            if len(said) >= 2 and said in clauses:
                return True
        if ending.endswith(run):
            return True
        # or its condition, then 就 and the predicate, as all the first clause says (能送吗？ — 凑够就送。)
        if condition and first_clause.endswith("就" + run) and len(first_clause) <= len(run) + 1 + condition:
            return True
    # or one of its words of three characters or more cut to its first and last, opening the reply (能开发票吗？ —
    # 开票要加六个点)
    short = [w[0] + w[-1] for w in words if len(w) >= 3]
    return any((at := text.find(c)) >= 0 and at_opening(text, at, "zh") for c in short)


def picks_alternative(call: Call, asked: str, text: str) -> bool:
    """Mandarin: whether a reply picks one side of a choice question (``[unanswered] choice_words``: 是寄过去，还是
    你们上门来修？ — 小家电我们是寄修的; 先付定金，还是到了再付？ — 得先付全款): its first clause (fillers aside) says a
    word of one side and none of the other. Words are jieba's, less pronouns, particles and ``generic_words``; one
    of three characters or more is said by its first two (寄过去 — 寄过来就行)."""
    for word in call.pack["unanswered"].get("choice_words", []):
        left, sep, right = asked.partition(word)  # 要预约吗？还是直接过去就行？ is one choice
        left = re.split(r"[，。！？,.!?；;]", left.rstrip("，。！？,.!?；; "))[-1]
        right = re.split(r"[。！？!?；;]", right)[0]
        if not sep or not right.strip() or not left:
            continue
        said = prepared_text(text, "zh").solid
        if not said:
            return False
        first = re.split(r"[，。！？,.!?；;]", text[said[0].start :], maxsplit=1)[0]
        generic = generic_words(call)
        sides = [
            {w for w, flag, _ in pos_tags(side) if not flag.startswith(_NOT_MATTER) and w not in generic}
            for side in (left, right)
        ]
        # a word of three characters or more by its first two (寄过去 — 寄过来)
        heard = [any(w[:2] in first for w in side - sides[1 - n]) for n, side in enumerate(sides)]
        return heard[0] != heard[1]
    return False


#: First characters of the words jieba tags as pronouns that are pronouns (你们, 这个, 怎么), unlike 一样.
_PRONOUN_CHARS = "你我他她它您咱这那哪什怎谁自大各每某本俺啥咋"

#: jieba tags of words that name no alternative of a choice: pronouns, particles, punctuation, conjunctions,
#: prepositions and adverbs.
_NOT_MATTER = ("r", "u", "y", "x", "w", "c", "p", "d")


#: An A-not-A word (认不认, 可不可以, 有没有): its A is ``\1\2``.
_A_NOT_A = re.compile(r"^(.)(?:不|没)\1(.*)$")


def _said(text: str, language: str) -> tuple[list, list[bool]]:
    """The words of ``text`` and, for each, whether it is a filler ("uh", "um")."""
    prepared = prepared_text(text, language)
    return list(prepared.toks), list(prepared.filler)


def evasive(call: Call, text: str, *, but: tuple[str, ...] = (), about: list[str] | None = None) -> bool:
    """Whether a reply reassures or refuses instead of answering: one of ``evasions`` (您放心, "don't worry") or a
    phrase of a ``[forbidden]`` group named in ``evasive_groups`` (这种事通常不会发生, 我们不负责: 000's denials) or
    of a ``[wording]`` pair named in ``evasive_pairs`` (这个不归我们管: passing the buck); groups named in ``but``
    aside. Thanks for holding (``[hold] acknowledge``: 感谢您的耐心等待) is no "please be patient" (耐心等). ``about``:
    the question's matter words; a reassurance opening a reply that then gives a figure about them is none
    (:func:`past_reassurance`)."""
    text = without(text, call.cues("hold", "acknowledge"))
    if about:
        text = past_reassurance(call, text, about)
    if call.cues("unanswered", "evasions").find(text):
        return True
    conf = call.pack["unanswered"]
    # (section, table, list in each table, the names [unanswered] picks)
    lists = (
        ("forbidden", "groups", "phrases", conf.get("evasive_groups", [])),
        ("wording", "pairs", "improper", conf.get("evasive_pairs", [])),
    )
    return any(
        call.cues(section, table, name, key).find(text)
        for section, table, key, names in lists
        for name in names
        if name in call.pack[section].get(table, {}) and name not in but
    )


def past_reassurance(call: Call, text: str, about: list[str]) -> str:
    """What a reply says after a ``reassurances`` phrase said as its first clause, when what follows speaks of the
    question's matter (``about``) and gives a figure at an answer's length (``explain_min_chars``): 包间是不是要最低
    消费？ — 您放心，我们早茶时段包间最低消费是八百八. Otherwise the whole reply: 您放心，到时候会给您安排合适的 reassures instead of answering, and 定金能退吗？ — 您放心，
    尾款是婚礼前一个月再付 soothes with a figure about another matter."""
    conf = call.pack["unanswered"]
    first, *rest = re.split(r"[，。！？,.!?；;]", text.strip(" ，。,."), maxsplit=1)
    if not conf.get("reassurances") or not rest or not first.strip():
        return text
    cues = call.cues("unanswered", "reassurances")
    left = without(first, cues)
    if left == first or not all(filler for _, filler in zip(*_said(left, call.language))):
        return text
    said = rest[0]
    if len(tokens(said, call.language)) < conf["explain_min_chars"] or not mentions(said, about, call.language):
        return text
    return said if says_number(said, call.language, conf.get("not_numbers", ())) else text


def reasons(call: Call, reply: str) -> tuple[str, ...]:
    """The ``[forbidden]`` groups whose phrases give a reason for a yes or no (``[unanswered] refusal_groups``), so a
    reply whose first clause says something else still answers with one: 夜钓不行，天一黑就清场，规定就这样。 /
    "Food, no, you gotta get the party pack, that's just how it is." None when the first clause is itself evasive:
    "Not my problem." opens with no answer."""
    first = re.split(r"[，。！？,.!?；;]", reply.strip(" ，。,."), maxsplit=1)[0]
    return () if evasive(call, first) else tuple(call.pack["unanswered"].get("refusal_groups", ()))


_ZH_COUNT = "零一二两三四五六七八九十百半几下多来0123456789"  # 下 of 下个月: from now; 二十多年, 十来天
_EN_COUNT = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|ninety|few|couple of|several|half an?)\s+(?:\w+\s+)?$"
)


def duration_spans(call: Call, text: str) -> list[tuple[int, int]]:
    """Where ``text`` states a length of time: a number before one of ``[unanswered] duration_units`` (三天,
    两个小时, 二十多年, "two hours", "a couple of days"; 今天 and "Tuesday" are no length), as (start, end) of the
    number and its unit, or one of ``duration_words`` (半天, 马上, "same day")."""
    conf = call.pack["unanswered"]
    low = text.lower()
    spans = [(m.start(), m.end()) for w in conf.get("duration_words") or [] for m in re.finditer(re.escape(w), low)]
    for unit in conf.get("duration_units") or []:
        for m in re.finditer(re.escape(unit), low):
            before = low[: m.start()]
            if call.language == "zh":
                count = len(before) - len(before.removesuffix("个"))
                head = before[: len(before) - count]
                run = len(head) - len(head.rstrip(_ZH_COUNT))
                if run:
                    spans.append((m.start() - count - run, m.end()))
            elif found := _EN_COUNT.search(before):
                spans.append((found.start(), m.end()))
    return sorted(spans)


def says_duration(call: Call, text: str) -> bool:
    """Whether ``text`` states a length of time (:func:`duration_spans`)."""
    return bool(duration_spans(call, text))


def says_price(call: Call, text: str) -> bool:
    """Whether the agent's first reply to a how-much question states a bare number as its answer: a number in
    its first or second sentence, neither asking anything ("Seventy-five for a standard tune." / 按时长算的。半天
    一百九十八。), and no time, place or person (三个工作日内退回 answers no 退多少？) nor a phone, ID-card or
    bank-card number ("my mobile is 07700 900123"); ``not_numbers`` (万一, 十分) are words."""
    # a number that is a time, a length of time, a place or a person's (三个工作日内, 二十多年, "two weeks", 三号楼)
    # is no price
    return _bare_number(call, text, keep="how_much")


def says_clock(call: Call, text: str) -> bool:
    """Whether the agent's first reply to a what-time question gives a bare hour: a number in its first or second
    sentence, which ask nothing ("Ten. Courts three to six have lights." / "Lads are usually there for eight."),
    and no price, place or length of time ("twenty quid", "two weeks"); or an hour that is all the first sentence
    says ("One.", whose number is otherwise a pronoun)."""
    first = SENTENCE.split(text.strip())[0].strip(" .!,;")
    return _bare_number(call, text) or (call.language != "zh" and first.lower() in _EN_HOURS)


def says_hour(call: Call, text: str) -> bool:
    """English: whether ``text`` gives an hour after one of ``[unanswered] hour_lead_words`` ("between eight and
    nine", "at 10", "by half six"). Mandarin says its hours with 点, which the time tagger finds: False."""
    if call.language == "zh":
        return False
    leads = set(call.pack["unanswered"].get("hour_lead_words") or ())
    words = [w.text.lower() for w in tokens(text, "en")]
    return any(a in leads and (b in _EN_CLOCK or (b.isdigit() and 0 < int(b) <= 24)) for a, b in zip(words, words[1:]))


def says_digits(call: Call, text: str, at_least: int = 4) -> bool:
    """Whether ``text`` reads out a number of ``at_least`` digits or more (a phone, order or reference number:
    028-86123456, 零二八 八六一二三四五六, "oh-three, three-two-two, five-one-seven-four"), read as
    :func:`callcoach.spoken_numbers.digit_runs` reads them."""
    return any(len(digits) >= at_least for digits in digit_runs(text))


#: English hours a reply may give alone ("What time do we have them back by?" — "One.").
_EN_CLOCK = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_EN_HOURS = frozenset([*_EN_CLOCK, "noon", "midday", "midnight", *(f"{h} o'clock" for h in _EN_CLOCK)])


def _bare_number(call: Call, text: str, keep: str = "") -> bool:
    """Whether the first or second sentence of ``text`` says a number outside every 5W2H statement (but those of
    topic ``keep``) and every length of time, no sentence up to it asking anything; ``not_numbers`` (万一, 十分)
    are words."""
    idioms = call.pack["unanswered"].get("not_numbers", [])
    for first in SENTENCE.split(text.strip())[:2]:
        if is_question(first, call):
            return False
        spans = [(h.start, h.end) for h in topic_spotter(call.pack).spot(first) if h.topic != keep]
        # a phone, ID-card or bank-card number is no price or hour ("my mobile is 07700 900123")
        spans += [(r.start, r.end) for r in find_personal_data(first)]
        for start, end in spans + duration_spans(call, first):
            first = first[:start] + " " * (end - start) + first[end:]
        if says_number(first, call.language, idioms):
            return True
    return False


def asks_instead(call: Call, text: str) -> bool:
    """Whether a reply's first sentence asks the customer something rather than answering ("Sure, can I get the
    panel ID?", in a recogniser's text too); one proposing a time or a place (周日下午两点到五点给您送，您看可以吗？)
    answers."""
    first = SENTENCE.split(text.strip())[0]
    spotter = topic_spotter(call.pack)
    return is_question(first, call) and not any(h.topic in PROPOSED and not h.asked for h in spotter.spot(first))


def is_question(text: str, call: Call | None = None) -> bool:
    """Whether ``text`` asks: a question mark, or a sentence ending in 吗 / 呢; with no punctuation at all (a
    recogniser's text) and a ``call`` to read the pack from, a 吗 anywhere or an English auxiliary before its
    subject ("can you check": :meth:`~callcoach.questions.QuestionSpotter.inverted`)."""
    if "?" in text or "？" in text or text.rstrip("。.！! ").endswith(("吗", "呢")):
        return True
    if call is None or punctuated(text):
        return False
    return "吗" in text if call.language == "zh" else bool(question_spotter(call.pack).inverted(text))


def names_another_thing(call: Call, reply: str, asked: str) -> bool:
    """Mandarin: the reply's first clause names a thing (a jieba noun) the question does not: 我们的宽带一个月一百块
    prices the broadband, not the 移机 asked about. English: never judged (False)."""
    if call.language != "zh":
        return False
    clause = re.split(r"[，。！？,.!?；;]", reply.strip(" ，。"), maxsplit=1)[0]
    nouns = [w for w, flag, _ in pos_tags(clause) if flag in ("n", "nz", "vn") and len(w) > 1]
    return any(not mentions(asked, [w], "zh") for w in nouns)


def _refuses_own_verb(call: Call, shrug: Match, text: str, question: dict) -> bool:
    """Whether a Mandarin shrug (``dont_know``) that opens the reply is the question's own verb refused: 查不了 to
    能不能查？ says no (:func:`plain_reply`), where 不知道 does not."""
    return (
        call.language == "zh"
        and re.fullmatch(r"\w{1,2}不[了到]", shrug.phrase) is not None
        and plain_reply(call, text[shrug.start :], question["heard"])
        and at_opening(text, shrug.start, call.language)
    )


def shrugs_in(call: Call, text: str, question: dict, yes_no: bool) -> list[Match]:
    """The phrases of ``[unanswered] dont_know`` in a reply that say the agent does not know (不清楚, "no idea"):
    to a yes/no question, not a plain no of ``plain_replies`` (能留吗？ — 没办法，…; "No idea." stays a shrug) nor
    the question's own verb refused (能不能查？ — 查不了，…)."""
    plain = call.pack["unanswered"].get("plain_replies", ())
    return [
        m
        for m in call.cues("unanswered", "dont_know").find(text)
        if not (yes_no and (m.phrase in plain or _refuses_own_verb(call, m, text, question)))
    ]
