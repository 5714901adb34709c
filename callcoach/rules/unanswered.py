"""Unanswered customer questions: every question gets an answer, or a promise of one (003, 004).

A customer question is a 5W2H question (多少钱, 什么时候, 在哪, 怎么办, 为什么; "how much", "when" ...) in a
customer turn. The agent's next few turns must give that topic — state it, or ask to clarify it — or say when
and how the answer will come (稍后给您回电告知; "I'll call you back with the price").
"""

from __future__ import annotations

import re

from ..textmatch import at_opening, cue_set
from ..textnorm import tokens
from ..topics import TOPICS, YES_NO, content_words, mentions, question_spotter, topic_spotter
from .base import Call, CheckResult, Finding, RuleInfo, Status
from .lexicon import heard_around, time_at

RULE = RuleInfo(
    id="unanswered",
    title="Answer every question the customer asks",
    seeds=("003", "004"),
    why="003 (5W2H法) and 004: a customer who asks 多少钱 or 什么时候能来 and hears no answer calls again, or "
    "leaves. Never leave a question hanging: answer it, or say when and how the answer will come.",
    example="客户：那什么时候能修好？ 客服：这个我不清楚，反正回头会有人处理的。",
    instead="客户：那什么时候能修好？ 客服：师傅明天上午十点前上门；时间有变我会提前给您打电话。",
    check="unanswered",
    weight=10,
    labels={"zh": "回答客户问题", "en": "Customer questions answered"},
    how="A customer question is a phrase from `questions` (per 5W2H topic) in a customer turn; `not_questions` "
    'claim their words (什么时候都行, "when I call"), and in English a one-word question (when, where, who, '
    'why) asks only at the start of a clause or before an auxiliary ("when will"). It is answered when one '
    "of the agent's next `window_turns` turns, starting within `window_s` seconds, states or asks about the "
    "same topic (the 5W2H spotter of `[fivew2h]`) or defers with a promise (`deferrals`: 稍后给您回电, "
    '"I\'ll get back to you"). After a turn that says it does not know (`dont_know`: 不清楚, 只能看到) only a '
    "promise answers, also past the customer's follow-up question (那我问谁？ — 医生会给您讲). A yes/no question "
    '(…吗？, 能不能… in `yes_no_forms`; "Can I …?", `yes_no_openers`) is answered by a first reply opening with '
    '`yes_no_replies` (不用，… / "Maybe if …"); it asks about the topic of its words (`[unanswered.matter]`: 定金, '
    '"deposit" -> how much), else "what". '
    "A question about a topic in `explained` (what, why, how) is also answered by an explanation: a reply of at "
    "least `explain_min_chars` characters (English: words) that is no question, no hold announcement, no "
    '"don\'t know", no request for the customer\'s details (`requests`: 麻烦您提供, "may I have your") and no '
    'reassurance (`evasions`: 您放心, "don\'t worry"); for a yes/no question it must also name one of the '
    "question's content words (less `generic_words`). A reply the customer's next turn calls no answer "
    '(`corrections`: 我问的是, "that\'s not what I asked") does not count. A question asked again and still '
    "unanswered is one question (`times_asked`). An answered question also covers its topic for `5w2h`. "
    "Status: pass when every question is answered, warn with fewer than `fail_count` unanswered, "
    "fail with more; n/a with no customer question or no speaker labels.",
)


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
        found = []
        for i, turn in enumerate(call.transcript.turns):
            if turn.speaker != "customer":
                continue
            topics_asked: set[str] = set()
            for hit in spotter.find(turn.simplified):
                topic = hit.topic
                if hit.cue == YES_NO:  # 能退定金吗？ asks about money: the topic its words state, else the matter
                    topic = _matter_topic(call, hit.words) or next((h.topic for h in stated.spot(hit.words)), "what")
                if topic in topics_asked:
                    continue
                topics_asked.add(topic)
                found.append(
                    {
                        "turn": i,
                        "at_s": round(time_at(turn, hit.start, call.language), 2),
                        "topic": topic,
                        "heard": _question_heard(turn, hit.start, hit.end, call.language),
                        "start": hit.start,
                        "end": hit.end,
                        "cue": hit.cue,
                    }
                )
        cache["customer-questions"] = found
    return cache["customer-questions"]


_CLAUSE_END = re.compile(r"[。！？!?；;\n]")
#: Longest question shown as heard: characters (Mandarin) / words (English) either side of the cue.
HEARD_CONTEXT = 12


def _question_heard(turn, start: int, end: int, language: str) -> str:
    """The customer's question as written: its clause (up to the ？), or the cue with a few words around it."""
    shown = turn.text if len(turn.text) == len(turn.simplified) else turn.simplified
    left = max((m.end() for m in _CLAUSE_END.finditer(shown, 0, start)), default=0)
    stop = _CLAUSE_END.search(shown, end)
    right = stop.end() if stop else len(shown)
    clause = shown[left:right].strip()
    if language == "zh" and len(clause) > 3 * HEARD_CONTEXT:
        return heard_around(turn, start, end, language)
    if language != "zh" and len(clause.split()) > 2 * HEARD_CONTEXT:
        return heard_around(turn, start, end, language)
    return clause


def _answer_turn(call: Call, question: dict) -> tuple[int | None, bool]:
    """The index of the agent turn that answers ``question`` (None: unanswered) and whether it only deferred."""
    conf = call.pack["unanswered"]
    turns = call.transcript.turns
    asked = turns[question["turn"]]
    spotter = topic_spotter(call.pack)
    deferrals = call.cues("unanswered", "deferrals")
    dont_know = call.cues("unanswered", "dont_know")
    requests = call.cues("unanswered", "requests")
    yes_no = question["cue"] == YES_NO or _yes_no_question(call, question)
    evasions = call.cues("unanswered", "evasions")
    # A yes/no question's reply must speak of its matter (能退定金吗？ is not answered by 您放心，我们很专业)
    matter = content_words(asked.text, call.language, _generic(call)) if question["cue"] == YES_NO else []
    seen = 0
    knows = True
    others = {q["turn"] for q in customer_questions(call) if q["topic"] != question["topic"]}
    for i in range(question["turn"] + 1, len(turns)):
        turn = turns[i]
        if i in others and knows:
            break  # the customer moved on to another question: what follows answers that one
        if turn.speaker != "agent":
            continue
        if seen >= conf["window_turns"] or turn.start_s - asked.end_s > conf["window_s"]:
            break
        seen += 1
        text = turn.simplified
        if deferrals.find(text):
            return i, True
        if not knows or dont_know.find(text):
            # "I don't know": only a promise answers now, and the customer's follow-up (那我问谁？) goes on
            knows = False
            continue
        if _corrected(call, i):
            continue  # 不是，我是说… / "That's not what I asked": the customer heard no answer in this turn
        if seen == 1 and yes_no and _opens_with_reply(call, text):
            return i, False
        if any(h.topic == question["topic"] for h in spotter.spot(text)):
            return i, False
        if (
            question["topic"] in conf["explained"]
            and len(tokens(text, call.language)) >= conf["explain_min_chars"]
            and not call.cues("hold", "announce").find(text)
            and not _is_question(text)
            and not requests.find(text)
            and not evasions.find(text)
            and (not matter or mentions(text, matter, call.language))
        ):
            return i, False
    return None, False


def _matter_topic(call: Call, clause: str) -> str | None:
    """The topic a yes/no question's words belong to (``[unanswered.matter]``: 定金 / "refund" -> how_much)."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "unanswered-matter" not in cache:
        table = call.pack["unanswered"].get("matter", {})
        cache["unanswered-matter"] = {word: topic for topic in TOPICS for word in table.get(topic, [])}
    words = cache["unanswered-matter"]
    hits = cue_set(tuple(words), call.language, min_confidence=call.min_confidence("unanswered")).find(clause)
    return words[min(hits, key=lambda m: m.start).phrase] if hits else None


def _generic(call: Call) -> frozenset[str]:
    """Words that say nothing about a question's matter (``generic_words``: 是, 可以, "need", "there")."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "unanswered-generic" not in cache:
        cache["unanswered-generic"] = frozenset(call.pack["unanswered"].get("generic_words", []))
    return cache["unanswered-generic"]


def _corrected(call: Call, answer: int) -> bool:
    """Whether the customer's next turn after agent turn ``answer`` says that was no answer
    (``corrections``: 不是，我是说 / 我问的是 / "That's not what I asked")."""
    turns = call.transcript.turns
    after = next((t for t in turns[answer + 1 :] if t.speaker != "agent"), None)
    if after is None:
        return False
    text = after.simplified
    return bool(call.cues("unanswered", "corrections").find(text))


def _yes_no_question(call: Call, question: dict) -> bool:
    """Whether the question's sentence asks yes or no: ends in 吗 (Mandarin), opens with an auxiliary (English)."""
    sentence = [s for s in re.split(r"[。！？!?；;.]", question["heard"]) if s.strip()]
    if not sentence:
        return False
    last = sentence[-1].strip().rstrip("啊呀呢 ")
    if call.language == "zh":
        return last.endswith("吗") or any(form in last for form in call.pack["unanswered"].get("yes_no_forms", []))
    words = tokens(last, call.language)
    return bool(words) and words[0].text in call.pack["unanswered"]["yes_no_openers"]


def _opens_with_reply(call: Call, text: str) -> bool:
    """Whether an agent turn opens (after fillers) with a yes/no reply (可以 / 不用 / "yes" / "maybe if ...")."""
    return any(
        at_opening(text, m.start, call.language)
        for m in call.cues("unanswered", "yes_no_replies", by_pinyin=False).find(text)
    )


def _is_question(text: str) -> bool:
    return "?" in text or "？" in text or text.rstrip("。.！! ").endswith(("吗", "呢"))


def answers(call: Call) -> list[dict]:
    """Each customer question with ``answered``, ``answer_turn`` and ``deferred`` (cached per call)."""
    cache = call.__dict__.setdefault("_cue_cache", {})
    if "customer-answers" not in cache:
        out = []
        for q in customer_questions(call) if call.speakers_known else []:
            answer, deferred = _answer_turn(call, q)
            out.append(
                {
                    "turn": q["turn"],
                    "at_s": q["at_s"],
                    "topic": q["topic"],
                    "heard": q["heard"],
                    "answered": answer is not None,
                    "answer_turn": answer,
                    "deferred": deferred,
                    "_topical": q["cue"] != YES_NO,
                }
            )
        for earlier in out:  # asked again (那价格呢？) and answered then: the first asking is answered too
            if not earlier["answered"]:
                again = next(
                    (
                        q
                        for q in out
                        if q["turn"] > earlier["turn"] and q["topic"] == earlier["topic"] and q["answered"]
                    ),
                    None,
                )
                if again is not None:
                    earlier.update(answered=True, answer_turn=again["answer_turn"], deferred=again["deferred"])
        kept: list[dict] = []
        for q in out:  # asked again and still unanswered: one question, asked more than once
            first = next((k for k in kept if k["topic"] == q["topic"] and not k["answered"]), None)
            if first is not None and not q["answered"]:
                first["times_asked"] = first.get("times_asked", 1) + 1
                continue
            kept.append(q)
        out = kept
        cache["customer-answers"] = out
    return cache["customer-answers"]


def check(call: Call) -> CheckResult:
    conf = call.pack["unanswered"]
    questions = [{k: v for k, v in q.items() if not k.startswith("_")} for q in answers(call)]
    findings = []
    for q in questions:
        if not q["answered"]:
            topic = call.say("5w2h", q["topic"])
            suggestion = conf["suggestion"].format(answer=conf["answers"][q["topic"]])
            findings.append(
                Finding(
                    RULE.id,
                    "warning",
                    q["at_s"],
                    call.say("unanswered", "question", topic=topic),
                    suggestion,
                    heard=q["heard"],
                )
            )
    count = sum(1 for q in questions if not q["answered"])
    figures = {"questions": questions, "count": count}
    if not questions:
        return CheckResult("n/a", figures, [])
    status: Status = "pass" if count == 0 else ("warn" if count < conf["fail_count"] else "fail")
    if status == "fail":
        findings = [Finding(f.rule, "error", f.at_s, f.message, f.suggestion, f.heard) for f in findings]
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: the customer's questions and how many went unanswered."""
    asked = len(figures.get("questions", []))
    if not asked:
        return "—"
    questions, unanswered = ("个问题", "未回答") if language == "zh" else ("questions", "unanswered")
    return f"{asked} {questions}, {figures.get('count', 0)} {unanswered}"
