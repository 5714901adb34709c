"""5W2H coverage: why, what, where, when, who, how, how much (docs/course.md §5; 003: 5W2H法).

A topic is covered when the agent asks about it or states / confirms a concrete answer
(:mod:`callcoach.topics`). What is required follows the request: the topics the customer asked about, and
where, when and who for a service visit; the other topics count toward coverage.
"""

from __future__ import annotations

import re

from ..questions import UNCUED
from ..textnorm import pos_tags, simplify
from ..topics import TOPICS, says_number, topic_spotter
from .asked import customer_questions
from .base import Call, CheckResult, Finding, RuleInfo, Severity, Status, no_agent_speech, say
from .replies import SENTENCE, is_question, people_named
from .unanswered import answers

NAMES = TOPICS

RULE = RuleInfo(
    id="5w2h",
    title="Cover the 5W2H of the request",
    seeds=("003",),
    why="003 电话服务技巧：5W2H法. Asking why, what, where, when, who, how and how much gets everything "
    "needed to act in one call, so nobody has to call back.",
    example="好的，我们会派人过去。 (no address, time, contact or cost agreed)",
    instead="请问是什么原因…？ 地址是哪里？ 您什么时候方便？ 联系人是谁？ 需要准备…，费用是…元。",
    check="5w2h",
    weight=15,
    labels={"zh": "5W2H", "en": "5W2H coverage"},
    section="fivew2h",
    how="A topic is covered when the agent asks about it (`ask` cues) or states or confirms a concrete answer: "
    'a statement cue (`state`: 维修师傅, 通过手机应用, "via the app", "because"), a number with a unit '
    '(`units`: 六十元, 一百兆, 五个工作日, 三栋; "$49.99", "two units", "five business days"), a clock time, '
    'weekday or date, an address (a road with a house number, an estate name, "42 Maple Street", a named '
    "road: `named_roads`), or a word jieba tags as a time or a place name (less `vague_times` and "
    "`not_places`). Who is also covered by a person named in an agent turn after the opening, where "
    "`people_say_who` is on (English: a capitalised word inside a sentence, `[unanswered] people_capitalised`: "
    '"It\'ll be Lee, he fitted it"). What is also covered when an '
    "agent statement (after the opening) repeats `echo_min` or more of the customer's own words for the matter "
    "(Mandarin: words jieba tags `echo_tags`, two characters or more; English: words of four letters or more, "
    "no number and none of `echo_stop`): confirming the request in the customer's words. Words in `ignore` cover "
    "nothing (an offer of help is no question). Required topics follow the request: every topic the customer "
    "asked about (the questions of `[unanswered]`), and `visit_requires` (where, when, who) when either side "
    "speaks of a service visit (`visit`). `missing` lists the required topics not covered. The check passes "
    "when nothing required is missing and at least `pass_min` topics are covered; it fails when "
    "`fail_missing` or more required topics are missing or fewer than `warn_min` are covered; otherwise it "
    "warns.",
)


def agent_evidence(call: Call) -> dict[str, dict]:
    """The first place each topic is asked about or stated by the agent: topic -> evidence."""
    spotter = topic_spotter(call.pack)
    index = {id(t): i for i, t in enumerate(call.transcript.turns)}
    evidence: dict[str, dict] = {}
    people = bool(call.pack["fivew2h"].get("people_say_who"))
    for turn in call.agent_turns:
        hits = spotter.spot(turn.simplified)
        if people and "who" not in evidence and turn is not call.agent_turns[0]:
            # "It'll be Lee, he fitted it.": a person named says who (`people_say_who`), past the agent's opening
            hits = hits + people_named(call, turn.simplified)
        for hit in hits:
            if hit.topic in evidence:
                continue
            evidence[hit.topic] = {
                "at_s": round(turn.start_s, 2),
                "words": hit.words,
                "cue": hit.cue,
                "turn": index.get(id(turn)),
                "asked": hit.asked,
                "text": turn.text,
            }
            if hit.value is not None:
                evidence[hit.topic]["value"] = hit.value
        if len(evidence) == len(NAMES):
            break
    return evidence


_EN_WORD = re.compile(r"[a-z][a-z'-]+")


def matter_words(text: str, call: Call) -> set[str]:
    """The words of ``text`` that name a call's matter, for :func:`echo_evidence`: Mandarin nouns (jieba's
    ``echo_tags``, two characters or more: 餐食, 行李), English words of four letters or more that are no number and
    none of ``echo_stop`` ("allergy", "cowl", "deposit")."""
    conf = call.pack["fivew2h"]
    if call.language == "zh":
        tags = tuple(conf.get("echo_tags", ()))
        return {w for w, flag, _ in pos_tags(simplify(text)) if len(w) >= 2 and flag in tags}
    stop = call.__dict__.setdefault("_cue_cache", {}).setdefault("5w2h-echo-stop", frozenset(conf.get("echo_stop", ())))
    return {
        w.strip("'-")
        for w in _EN_WORD.findall(text.lower())
        if len(w) >= 4 and w not in stop and not says_number(w.replace("-", " "), "en")
    }


def echo_evidence(call: Call) -> dict | None:
    """The first agent statement after the opening that repeats ``echo_min`` or more of the customer's own words
    for the matter (:func:`matter_words`): the agent confirming what the call is about (what), or None."""
    need = call.pack["fivew2h"].get("echo_min", 0)
    if not need:
        return None
    heard: set[str] = set()
    for i, turn in enumerate(call.transcript.turns):
        if turn.speaker != "agent":
            heard |= matter_words(turn.text, call)
            continue
        if not heard:
            continue
        for sentence in SENTENCE.split(turn.text):
            echoed = matter_words(sentence, call) & heard
            if len(echoed) >= need and not is_question(sentence, call):
                return {
                    "at_s": round(turn.start_s, 2),
                    "words": " ".join(sorted(echoed)),
                    "cue": "echo",
                    "turn": i,
                    "asked": False,
                    "text": turn.text,
                }
    return None


def required_topics(call: Call) -> tuple[list[str], dict[str, str]]:
    """The topics this call requires, in course order, and why each is required (``asked`` or ``visit``)."""
    conf = call.pack["fivew2h"]
    why: dict[str, str] = {}
    for question in customer_questions(call):
        if question["cue"] not in UNCUED:  # a question without a topic cue requires no topic
            why.setdefault(question["topic"], "asked")
    visit = call.cues("fivew2h", "visit")
    if any(visit.find(t.simplified) for t in call.transcript.turns):
        for topic in conf["visit_requires"]:
            why.setdefault(topic, "visit")
    return [n for n in NAMES if n in why], why


def _names(call: Call, topics: list[str]) -> str:
    return ("、" if call.language == "zh" else ", ").join(call.say("5w2h", n) for n in topics)


def check(call: Call) -> CheckResult:
    conf = call.pack["fivew2h"]
    evidence = agent_evidence(call)
    for q in answers(call):  # a question the agent answered by explaining (多出来的是电梯维修的分摊) covers its topic
        if q["answered"] and not q["deferred"] and q["_topical"] and q["topic"] not in evidence:
            turn = call.transcript.turns[q["answer_turn"]]
            evidence[q["topic"]] = {
                "at_s": round(turn.start_s, 2),
                "words": turn.text,
                "cue": "answer",
                "turn": q["answer_turn"],
                "asked": False,
                "text": turn.text,
            }
    if "what" not in evidence:
        echo = echo_evidence(call)
        if echo is not None:
            evidence["what"] = echo
    required, reasons = required_topics(call)
    covered = [n for n in NAMES if n in evidence]
    missing = [n for n in required if n not in evidence]
    figures = {
        "covered": covered,
        "missing": missing,
        "required": required,
        "evidence": evidence,
        "required_because": {n: reasons[n] for n in required},
    }
    empty = no_agent_speech(call, RULE.id, figures, message=None)
    if empty is not None:
        return empty
    if not missing and len(covered) >= conf["pass_min"]:
        status: Status = "pass"
    elif len(missing) >= conf["fail_missing"] or len(covered) < conf["warn_min"]:
        status = "fail"
    else:
        status = "warn"
    findings = []
    severity: Severity = "warning" if status == "warn" else ("error" if status == "fail" else "info")
    if missing:
        asked = [n for n in missing if reasons[n] == "asked"]
        visit = [n for n in missing if reasons[n] == "visit"]
        parts = []
        if asked:
            parts.append(call.say("5w2h", "missing_asked", missing=_names(call, asked)))
        if visit:
            parts.append(call.say("5w2h", "missing_visit", missing=_names(call, visit)))
        findings.append(Finding(RULE.id, severity, None, " ".join(parts), call.say("5w2h", "missing_tip")))
    elif len(covered) < conf["pass_min"]:
        findings.append(
            Finding(
                RULE.id,
                severity,
                None,
                call.say(
                    "5w2h", "few", count=len(covered), pass_min=conf["pass_min"], covered=_names(call, covered) or "—"
                ),
                call.say("5w2h", "missing_tip"),
            )
        )
    return CheckResult(status, figures, findings)


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: topics covered out of seven, and the ones missing."""
    missing = figures.get("missing")
    names = ("、" if language == "zh" else ", ").join(say(language, RULE.id, n) for n in missing or ())
    return f"{len(figures.get('covered', []))}/7" + (
        f", {'缺少' if language == 'zh' else 'missing'}: {names}" if missing else ""
    )
