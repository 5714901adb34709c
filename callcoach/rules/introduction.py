"""Self-introduction in the agent's first turn (docs/course.md §2)."""

from __future__ import annotations

from ..names import find_name
from ..textmatch import at_opening, opening_word_by_sound
from .base import Call, CheckResult, Finding, RuleInfo, Severity, Status, checklist, no_agent_speech
from .opening_heard import (
    after_one_light_word,
    greeting_before_company,
    greeting_left_before_introduction,
    greeting_tail,
    greeting_word_by_sound,
    name_after_marker_by_sound,
    name_before_marker,
    name_part_heard,
    name_said_garbled,
    ni_hao_misheard,
    no_org_words,
    offer_by_sound,
    offer_clause,
    offer_ending,
    one_word_pickup,
    person_named,
)
from .organisation_heard import (
    capitalised_organisation,
    company_brand,
    company_in_slot,
    company_marked,
    organisation_after_greeting,
    organisation_after_person,
    organisation_before_name,
    organisation_clause,
)

RULE = RuleInfo(
    id="introduction",
    title="Greet with 您好, name the company and yourself, offer help",
    seeds=("003", "001", "000"),
    why="The caller needs to know at once they reached the right place and who is helping them. "
    "003: 不要拿起电话就喊“喂”，要说“您好”; 要先自报家门，再询问别人身份.",
    example="喂？你是谁？",
    instead="您好，XXX公司，我是XXX，请问有什么可以帮您？",
    check="introduction",
    weight=20,
    labels={"zh": "开场自我介绍", "en": "Introduction"},
)


def opening_turns(call: Call):
    """The agent's opening: turns from the first agent word until the customer replies (or opening_s)."""
    agent = call.agent_turns
    if not agent:
        return ()
    first = agent[0]
    limit = first.start_s + call.pack["introduction"]["opening_s"]
    reply = next((t.start_s for t in call.customer_turns if t.start_s > first.end_s - 0.2), None)
    end = min(limit, reply) if reply is not None else limit
    return tuple(t for t in agent if t.start_s < end or t is first)


def check(call: Call) -> CheckResult:
    empty = no_agent_speech(
        call,
        RULE.id,
        {
            "greeting": False,
            "bare_wei": False,
            "company": False,
            "agent_name": False,
            "offer_help": False,
            "heard": None,
        },
    )
    if empty is not None:
        return empty
    turns = opening_turns(call)
    text = "".join(t.simplified for t in turns) if call.language == "zh" else " ".join(t.simplified for t in turns)
    at = turns[0].start_s
    first_text = turns[0].simplified
    zh = call.language == "zh"
    if call.setup.company:
        company = (
            find_name(text, call.setup.company, call.language) is not None
            or company_in_slot(call, text)
            or company_brand(call, first_text)
        )
    else:
        company = (
            company_marked(call, text)
            or organisation_before_name(call, first_text)
            or organisation_after_person(call, first_text)
            or organisation_after_greeting(call, first_text)
            or organisation_clause(call, first_text)
            or capitalised_organisation(call, turns[0].text)
        )
    if call.setup.agent:
        agent_name = (
            find_name(text, call.setup.agent, call.language) is not None
            or name_said_garbled(call, text)
            or name_part_heard(call, text) is not None
        )
    else:
        agent_name = (
            bool(call.cues("introduction", "name_markers").find(text))
            or person_named(call, text)
            or name_before_marker(call, text)
            or name_after_marker_by_sound(call, text, no_org_words(call.pack["introduction"]))
        )
    greeting_hits = call.cues("introduction", "greetings").find(text)
    bare_hits = call.cues("introduction", "bare_openers", by_pinyin=False).find(first_text)
    if not bare_hits:  # 维？ / 位 什么事: 喂 misheard, as the turn's first word
        heard = opening_word_by_sound(first_text, call.pack["introduction"].get("bare_openers") or [], call.language)
        bare_hits = [heard] if heard is not None else []
    # A bare opener (喂 / "Hello?" / "Yeah?") counts when the opening has no real greeting.
    # In English "hello" is both: it is a greeting only when the turn goes on to say more.
    real = [g for g in greeting_hits if not any(b.start == g.start and b.end == g.end for b in bare_hits)]
    bare_at_start = bool(bare_hits) and (
        at_opening(first_text, bare_hits[0].start, call.language)
        or after_one_light_word(call, first_text, bare_hits[0])
    )  # 嗯，喂？ / "i yep" for "Yep?"
    bare_at_start = bare_at_start or one_word_pickup(call, first_text, greeting_hits)
    # "Hello, Brennan's Hurleys." greets: a hello that goes on to name the company or the agent is no bare pickup,
    # unless it asks ("Hello? Yeah, Kowalski's.") or another pickup word follows it ("hello yeah kowalski's")
    says_more = not zh and (
        len(first_text.split()) >= 4 or ((company or agent_name) and not _asks_first(call, first_text, bare_hits))
    )
    opens_bare = bare_at_start and not real and not (greeting_hits and says_more)
    greeting = bool(real) or (bool(greeting_hits) and not opens_bare)
    if not greeting and not opens_bare:
        # 您 opening the turn, the rest of 您好 lost to the recogniser
        starts = [
            m
            for m in call.cues("introduction", "greeting_starts", by_pinyin=False).find(first_text)
            if at_opening(first_text, m.start, call.language)
        ]
        greeting = (
            bool(starts)
            or greeting_tail(call, first_text)
            or greeting_before_company(call, first_text)
            or greeting_word_by_sound(call, first_text) is not None
            or greeting_left_before_introduction(call, first_text)
            or ni_hao_misheard(call, first_text)
        )
    offer = (
        bool(call.cues("introduction", "offer_help").find(text))
        or offer_clause(call, turns)
        or offer_by_sound(call, text)
        or offer_ending(call, turns)
    )
    figures = {
        "greeting": greeting,
        "bare_wei": opens_bare,
        "company": company,
        "agent_name": agent_name,
        "offer_help": offer,
        "heard": " ".join(t.text for t in turns),
        "company_given": call.setup.company,
        "agent_given": call.setup.agent,
    }
    findings: list[Finding] = []

    def note(severity: Severity, key: str, **params) -> None:
        tip = call.say("introduction", f"{key.removesuffix('_named')}_tip")
        heard = turns[0].text if key in ("bare_opener", "wei_before_greeting") else None
        findings.append(Finding(RULE.id, severity, at, call.say("introduction", key, **params), tip, heard=heard))

    if opens_bare:
        note("error", "bare_opener")
    if bare_at_start and not opens_bare and zh:
        note("warning", "wei_before_greeting")
    if not greeting and not opens_bare:
        note("error", "no_greeting")
    if not company:
        note("warning", "no_company_named" if call.setup.company else "no_company", company=call.setup.company)
    if not agent_name:
        note("warning", "no_name_named" if call.setup.agent else "no_name", agent=call.setup.agent)
    if not offer:
        note("warning", "no_offer")
    asked = call.cues("introduction", "ask_identity").find(text)
    if asked and not agent_name:
        note("warning", "asked_identity")
    if opens_bare or not greeting:
        status: Status = "fail"
    elif company and agent_name and offer:
        status = "pass"
    else:
        status = "warn"
    return CheckResult(status, figures, findings)


def _asks_first(call: Call, first_text: str, bare_hits: list) -> bool:
    """Whether the opening's bare opener asks on its own ("Hello?") or another one follows it ("hello yeah")."""
    if not bare_hits:
        return False
    after = first_text[bare_hits[0].end :]
    if after.lstrip().startswith(("?", "？")):
        return True
    words = after.strip(" ,.!").split()
    return bool(words) and words[0].strip(",.!?") in (call.pack["introduction"].get("bare_openers") or [])


#: The opening's parts as the scorecard names them.
PART_NAMES = {
    "zh": {"greeting": "问候", "company": "公司", "agent_name": "姓名", "offer_help": "提供帮助"},
    "en": {"greeting": "greeting", "company": "company", "agent_name": "name", "offer_help": "offer of help"},
}


def detail(figures: dict, language: str) -> str:
    """The scorecard's figures: each part of the opening said or not, and a bare 喂."""
    bare = ("以“喂”开场！" if language == "zh" else "bare opener!") + " " if figures.get("bare_wei") else ""
    return bare + checklist(figures, PART_NAMES[language])
