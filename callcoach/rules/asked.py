"""What a customer asks: the questions of the customer's turns, each with its 5W2H topic (the question side of
:mod:`callcoach.rules.unanswered`, which judges whether the agent answered them; :mod:`callcoach.rules.fivew2h`
counts their topics as required), what each is about (:func:`matter_words`) and whether a later one asks another
matter or the same again (:func:`another_matter`, :func:`same_question`).

A question is a phrase of ``[unanswered] questions`` (per topic) or a yes/no clause (…吗, A-not-A, "And do you
deliver?"); a yes/no question's topic is that of its words (``[unanswered.matter]``, else the 5W2H spotter, else
"how" when it asks whether something can be done, else "what").
"""

from __future__ import annotations

import re

from ..questions import UNCUED, content_words, mentions, question_spotter
from ..textmatch import cue_set
from ..textnorm import pos_tags, punctuated, tokens
from ..topics import TOPICS, TopicHit, topic_spotter
from .base import Call
from .lexicon import heard_around, time_at
from .replies import generic_words

__all__ = [
    "HEARD_CONTEXT",
    "RECENT_TURNS",
    "another_matter",
    "customer_questions",
    "matter_topic",
    "matter_words",
    "same_question",
    "yes_no_question",
]


def customer_questions(call: Call) -> list[dict]:
    """The customer's 5W2H questions in time order (cached per call).

    Each is a dict: ``turn`` (index into ``call.transcript.turns``), ``at_s``, ``topic``, ``heard``, the
    cue's ``start``/``end`` offsets in the turn's simplified text and the ``cue`` (``"yes/no question"`` for a
    question without a topic cue).
    """
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "customer-questions" not in cache:
        spotter = question_spotter(call.pack)
        stated = topic_spotter(call.pack)
        found: list[dict] = []
        choices = tuple(call.pack["unanswered"].get("choice_words", []))
        first_turn = next((i for i, t in enumerate(call.transcript.turns) if t.speaker == "customer"), -1)
        for i, turn in enumerate(call.transcript.turns):
            if turn.speaker != "customer":
                continue
            topics_asked: set[str] = set()
            asked_before = i != first_turn
            hits = spotter.find(turn.simplified)
            if all(hit.cue in UNCUED for hit in hits):  # 那要是对方不配合呢？ — a "what if" alone asks what to do then
                what_if = call.cues("unanswered", "what_if").find(turn.simplified)[:1]
                if what_if and len(hits) <= 1:
                    m = what_if[0]
                    hits = [TopicHit("how", True, m.start, m.end, m.matched_text, m.phrase)]
            cued = any(hit.cue not in UNCUED for hit in hits)
            for n, hit in enumerate(hits):
                topic, cue = hit.topic, hit.cue
                if hit.cue in UNCUED and topics_asked and hit.words.startswith(choices):
                    # 要预约吗？还是直接过去就行？ — the other side of the question before it
                    if hit.words not in found[-1]["heard"]:
                        found[-1]["heard"] += hit.words
                    continue
                if hit.cue in UNCUED and cued and any(w in hit.words for w in choices):
                    continue  # 那利息谁出啊？是我自己出还是国家贴息？ — the choice spells out the question's answers
                if hit.cue in UNCUED and (not asked_before or cued) and _checks_identity(call, hit.words):
                    # 喂，你好，是清沐售后吗？ — the customer's first words check who answered; 陪诊的是什么人啊？是护士吗？ —
                    # the customer's guess at the answer to the question beside it
                    continue
                if hit.cue in UNCUED:  # 能退定金吗？ asks about money: the topic its words state, else the matter
                    topic = matter_topic(call, hit.words) or next((h.topic for h in stated.spot(hit.words)), "")
                    if not topic and cued:
                        continue  # 为什么会这样，是不是滤芯的问题？ — the yes/no clause is the why question's guess
                    if not topic and _elliptical(call, hit.words):
                        if n + 1 < len(hits):
                            continue  # 那家长呢？家长进去也要买票吗？ — it only sets up the question after it
                        last = _recent(call, found, i)
                        if last is not None:
                            # 门票多少钱？ … 那小孩呢？ — the last question, of someone else: answered as that one is
                            topic, cue = last["topic"], last["cue"]
                    if not topic and not content_words(hit.words, call.language, generic_words(call)):
                        last = _recent(call, found, i)
                        if last is not None:  # 到底有没有啊？ asks the last question again
                            topic = last["topic"]
                    topic = topic or ("how" if _asks_whether_can(call, hit.words) else "what")
                elif topic == "how" and _asks_how_priced(call, turn.simplified, hit):
                    topic = "how_much"  # 差价怎么算？ asks for an amount: money of any kind is how much
                if topic in topics_asked:
                    continue
                topics_asked.add(topic)
                found.append(
                    {
                        "turn": i,
                        "at_s": round(time_at(turn, hit.start, call.language), 2),
                        "topic": topic,
                        "heard": _question_heard(turn, hit.start, hit.end, call.language, hit.cue in UNCUED),
                        "start": hit.start,
                        "end": hit.end,
                        "cue": cue,
                    }
                )
        cache["customer-questions"] = found
    return cache["customer-questions"]


def _checks_identity(call: Call, words: str) -> bool:
    """Whether a yes/no question opens, after lead-ins and greetings, with one of ``[unanswered] identity_checks``
    (是, 请问是; "is that", "am I through to"): in the customer's first turn it checks who answered (喂，是兴旺煤炭不？
    "Oh, hello, is that the mackerel fishing boat?"); beside a topic question it guesses its answer
    (是什么人啊？是护士不？)."""
    conf = call.pack["unanswered"]
    checks = tuple(conf.get("identity_checks", []))
    if not checks:
        return False
    if call.language == "zh":
        return words.replace(" ", "").lstrip("，。！？ ").startswith(checks)
    skip = set(conf.get("yes_no_lead_ins", [])) | set(conf.get("identity_lead_ins", []))
    said = re.findall(r"[\w']+", words)
    while said and said[0].lower() in skip:
        said = said[1:]
    opening = " ".join(said).lower()
    if opening.startswith(checks):
        return True
    # "is that Bloom and Bough?": a name after "is that" / "is this" (a typed transcript's capital; "Is that normal?"
    # asks)
    named = tuple(conf.get("identity_names", []))
    return len(said) > 2 and opening.startswith(named) and said[2][:1].isupper() and said[2] != "I"


def _recent(call: Call, found: list[dict], turn: int) -> dict | None:
    """The customer's last question before ``turn`` when it was asked at most :data:`RECENT_TURNS` customer turns
    back, else None."""
    if not found:
        return None
    between = [t for t in call.transcript.turns[found[-1]["turn"] : turn] if t.speaker != "agent"]
    return found[-1] if len(between) <= RECENT_TURNS else None


def _elliptical(call: Call, words: str) -> bool:
    """Whether a question without a topic of its own is elliptical, asking the last question again of something
    else: Mandarin 那…呢 (那小孩呢？), English opening with one of ``[unanswered] elliptical_openers`` ("What about
    the kids?")."""
    if call.language == "zh":
        bare = words.replace(" ", "").strip("，。！？,.!? 啊呀哦嗯…")
        return bare.startswith("那") and bare.endswith("呢")
    openers = tuple(call.pack["unanswered"].get("elliptical_openers", []))
    said = " ".join(re.findall(r"[\w']+", words.lower()))
    # "What about the bond, when do we get that back?" asks its own question after the comma
    return bool(openers) and said.startswith(openers) and "," not in words


#: A yes/no question with no words of its own (到底行不行啊？) asks again the customer's question this many
#: customer turns back, or fewer.
RECENT_TURNS = 2
_CLAUSE_END = re.compile(r"[。！？!?；;\n]|\.(?=\s|$)")
#: Longest question shown as heard: characters (Mandarin) / words (English) either side of the cue.
HEARD_CONTEXT = 12


def _question_heard(turn, start: int, end: int, language: str, yes_no: bool = False) -> str:
    """The customer's question as written: its clause (up to the ？), or the cue with a few words around it."""
    shown = turn.text if len(turn.text) == len(turn.simplified) else turn.simplified
    if not punctuated(shown):  # a recogniser's text: the question's own words
        return shown[start:end].strip() if yes_no else heard_around(turn, start, end, language)
    left = max((m.end() for m in _CLAUSE_END.finditer(shown, 0, start)), default=0)
    stop = _CLAUSE_END.search(shown, max(end - 1, 0))  # a yes/no question's words end at its ？
    right = stop.end() if stop else len(shown)
    clause = shown[left:right].strip()
    if language == "zh" and len(clause) > 3 * HEARD_CONTEXT:
        return heard_around(turn, start, end, language)
    if language != "zh" and len(clause.split()) > 2 * HEARD_CONTEXT:
        return heard_around(turn, start, end, language)
    return clause


def matter_topic(call: Call, clause: str) -> str | None:
    """The topic a yes/no question's words belong to (``[unanswered.matter]``: 定金 / "refund" -> how_much)."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "unanswered-matter" not in cache:
        table = call.pack["unanswered"].get("matter", {})
        cache["unanswered-matter"] = {word: topic for topic in TOPICS for word in table.get(topic, [])}
    words = cache["unanswered-matter"]
    hits = cue_set(tuple(words), call.language, min_confidence=call.min_confidence("unanswered")).find(clause)
    return words[min(hits, key=lambda m: (m.start, m.start - m.end)).phrase] if hits else None


def yes_no_question(call: Call, question: dict) -> bool:
    """Whether the question's sentence asks yes or no: ends in 吗 (Mandarin), opens with an auxiliary (English)."""
    sentence = [s for s in re.split(r"[。！？!?；;.]", question["heard"]) if s.strip()]
    if not sentence:
        return False
    last = sentence[-1].strip().rstrip("啊呀呢 ")
    if call.language == "zh":
        if question["heard"].rstrip().endswith(("？", "?")) and question_spotter(call.pack).asked_by_form(last):
            return True  # 能吃不？ 是店里保还是厂家保？
        return last.endswith("吗") or any(form in last for form in call.pack["unanswered"].get("yes_no_forms", []))
    # any clause of it, after lead-ins: "And I was wondering, uh, is there any chance he could do evenings?"
    conf = call.pack["unanswered"]
    lead_ins = set(conf.get("yes_no_lead_ins", []))
    for part in last.split(","):
        words = [w.text for w in tokens(part, call.language) if w.text not in lead_ins]
        if words and words[0] in conf["yes_no_openers"]:
            return True
    return False


def _asks_how_priced(call: Call, text: str, hit: TopicHit) -> bool:
    """Whether a *how* question asks how an amount of money is worked out (差价怎么算？, 利息是怎么算的, "How do you
    work out the price?"): one of ``[unanswered] priced_verbs`` right after the cue and money named in its
    sentence (``[unanswered.matter] how_much``). 积分怎么算？ names no money and stays *how*."""
    verbs = call.pack["unanswered"].get("priced_verbs") or []
    if not verbs:
        return False
    if call.language == "zh":
        after = text[hit.end : hit.end + PRICED_REACH]
    else:
        after = " ".join(t.text for t in tokens(text[hit.end :], call.language)[:PRICED_REACH])
    if not any(re.search(rf"(?<![a-z]){re.escape(v)}", after) for v in verbs):
        return False
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, hit.start)), default=0)
    right = _CLAUSE_END.search(text, hit.end)
    return matter_topic(call, text[left : right.end() if right else len(text)]) == "how_much"


#: Characters (Mandarin) or words (English) after a *how* cue where ``priced_verbs`` are looked for.
PRICED_REACH = 4


def _asks_whether_can(call: Call, clause: str) -> bool:
    """Whether a yes/no question asks if something can be done (能不能躺着抽？ "Can you deliver?"): a *how*
    question by the course's reading. Mandarin: the clause holds one of ``can_words``; English: it opens, after
    lead-ins, with one of them."""
    words = call.pack["unanswered"].get("can_words", [])
    if call.language == "zh":
        return any(w in clause for w in words)
    lead_ins = set(call.pack["unanswered"].get("yes_no_lead_ins", []))
    said = [t.text for t in tokens(clause, call.language) if t.text not in lead_ins]
    return bool(said) and said[0] in words


def matter_words(call: Call, question: dict, new_only: bool = True) -> list[str]:
    """What the question is about: the content words of its sentence (less `generic_words` and its cue) that
    are new, not already said earlier in the call (油 and 加满 in 那还车的时候油要加满吗？ after a call about
    还车); all of them when none is new or ``new_only`` is False."""
    turns = call.transcript.turns
    heard = question["heard"]
    if question["cue"] not in UNCUED:  # 加急的话多少钱？ is about 加急, not about 多少
        cue = turns[question["turn"]].simplified[question["start"] : question["end"]]
        heard = heard.replace(cue, " ")
    words = content_words(heard, call.language, generic_words(call))
    if not words:  # "Why is that?" is about what the turn said before it
        text = turns[question["turn"]].simplified
        if question["cue"] not in UNCUED:
            text = text[: question["start"]] + " " + text[question["end"] :]
        words = content_words(text, call.language, generic_words(call))
    if not new_only:
        return words
    before = " ".join(t.simplified for t in turns[: question["turn"]])
    new = [w for w in words if not mentions(before, [w], call.language)]
    return new or words


def another_matter(call: Call, mine: list[str], other: dict) -> bool:
    """Whether a question of the same topic asks about something else: both name a matter and share no word of it."""
    theirs = matter_words(call, other, new_only=False)
    if not mine or not theirs:
        return False
    language = call.language
    return not any(mentions(w, theirs, language) for w in mine) and not any(mentions(w, mine, language) for w in theirs)


def _names_thing(call: Call, words: list[str]) -> bool:
    """Mandarin: whether one of ``words`` is a noun (jieba's n tags): a thing the agent brought up and the customer
    asks about (你先把定金交了再说。 — 定金交多少？ asks of the deposit), not the agent's vague words said back (估计挺快
    的。 — 挺快是多快啊？)."""
    return call.language == "zh" and any(flag.startswith("n") for w in words for _, flag, _ in pos_tags(w)[:1])


def same_question(call: Call, earlier: dict, later: dict, questions: list[dict]) -> bool:
    """Whether ``later`` asks ``earlier`` again: they share a matter word (怎么赔 … 磕坏了谁赔), or one of them
    names no matter of its own (多少钱？ … 那价格呢？; or only the agent's words said back: 估计挺快的。 — 挺快是多快啊？)
    and no question of another topic came between (那这个大概
    多少钱？ … 在哪儿？ … 能免费再改吗？ asks something new). 定金 after 磕坏了怎么赔 is another question, and so is a
    thing the agent brought up in between (钱能退不？ — 你先把定金交了再说。 — 定金交多少？)."""
    if call.cues("unanswered", "corrections").find(call.transcript.turns[later["turn"]].simplified):
        return True  # 我问的是要多久啊？
    a, b = earlier["_words"], later["_words"]
    # words the agent said in between, said back (估计挺快的。 — 挺快是多快啊？), are no matter of the customer's own
    replies = " ".join(
        t.simplified for t in call.transcript.turns[earlier["turn"] + 1 : later["turn"]] if t.speaker == "agent"
    )
    if replies and b and all(mentions(replies, [w], call.language) for w in b) and not _names_thing(call, b):
        b = []
    if not a or not b:
        return not any(
            earlier["turn"] < q["turn"] < later["turn"] and q["topic"] != earlier["topic"] for q in questions
        )
    language = call.language
    return any(mentions(w, b, language) for w in a) or any(mentions(w, a, language) for w in b)
