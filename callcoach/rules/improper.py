"""The improper phrases of three rules heard once: one finding for one stretch of the agent's words.

The course flags an agent's wording from three tables: 003's improper/polite
pairs (``wording``), 000 and 004's forbidden phrases (``forbidden``) and 003's
你 for 我 (``you_statements``). Each rule finds its own phrases, but words can
fit two tables, or a recogniser's version of them can: 那个气瓶不是我们这边管的
is close enough to 不是我们负责的 (not my area) and to 不是我们的责任 (refusing
responsibility); "You'll have to ask the council about that" is "you'll have to
ask" (not my area) and, with an edit, "you'll have to be" (you must). The agent
said one thing and hears of it once.

Where phrases of different rules overlap in a turn, the better match keeps the
words: the higher confidence (the exact words before a homophone, a homophone
before an edit), then the longer stretch (这是你自己的问题 is 你自己的问题, not
是你自己), then the rules' order in :data:`RULES`. Phrases that do not overlap
are all kept, however close (你自己去问 and 算你的 in one turn are two findings);
within one rule, :class:`~callcoach.rules.lexicon.Lexicon` already keeps the
longest of overlapping phrases.
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import Call
from .lexicon import Spotted, agent_spotted

#: The rules whose phrases are heard once, in the order that settles a tie (ids, as in their ``RULE``).
RULES = ("wording", "forbidden", "you_statements")


def spotted(call: Call, rule_id: str) -> list[Spotted]:
    """The phrases of rule ``rule_id`` the agent said, in time order, less those another rule's better match
    holds the words of (worked out once per call for all of :data:`RULES`)."""
    heard = call.__dict__.get("_improper_spotted")
    if heard is None:
        # imported here: the rule modules import this one
        from . import forbidden, wording, you_statements

        lexicons = {module.RULE.id: module.lexicon(call) for module in (wording, forbidden, you_statements)}
        heard = one_finding_per_words({rule: agent_spotted(call, lexicons[rule]) for rule in RULES})
        call.__dict__["_improper_spotted"] = heard
    return heard[rule_id]


def one_finding_per_words(heard: Mapping[str, list[Spotted]]) -> dict[str, list[Spotted]]:
    """Each rule's phrases, less those overlapping a better match of another rule in the same turn.

    Parameters
    ----------
    heard : mapping of rule id to list of Spotted
        Every phrase each rule found; rules not in :data:`RULES` rank after them, in the mapping's order.

    Returns
    -------
    dict of rule id to list of Spotted
        The phrases kept, in each rule's own order.
    """
    order = {rule: n for n, rule in enumerate(list(RULES) + [r for r in heard if r not in RULES])}
    ranked = sorted(
        ((rule, s) for rule, found in heard.items() for s in found),
        key=lambda item: (-item[1].match.confidence, -(item[1].match.end - item[1].match.start), order[item[0]]),
    )
    kept: list[tuple[str, Spotted]] = []
    for rule, s in ranked:
        if not any(other != rule and _overlap(s, o) for other, o in kept):
            kept.append((rule, s))
    keep = {id(s) for _, s in kept}
    return {rule: [s for s in found if id(s) in keep] for rule, found in heard.items()}


def _overlap(a: Spotted, b: Spotted) -> bool:
    return a.turn is b.turn and a.match.start < b.match.end and b.match.start < a.match.end
