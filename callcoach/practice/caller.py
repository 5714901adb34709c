"""Practice stage: a caller that listens — which line the caller says after each of the agent's turns.

The scenario's ``[[lines]]`` are the caller's script, said in order, one after
each of the agent's turns (a linear scenario is just that). What the agent's
turn contained can change the order (see ``docs/scenarios.md``):

1. the agent closes the call (the pack's ``closing.cues.anything_else`` or the
   closing words of ``data/practice.toml``): the caller's goodbye line;
2. rude wording in the turn (a ``wording``, ``forbidden`` or ``you_statements``
   finding): the next unused ``[[reactions]]`` with ``on = "rude"``;
3. the hold or silence before the turn went past the limit: the next unused
   ``on = "long_hold"`` reaction;
4. the caller's last line ``needs`` a 5W2H topic the turn neither asked about
   nor stated: an unused ``on = "unanswered"`` reaction for that topic (the
   follow-up question);
5. the agent asked about a 5W2H topic (:func:`callcoach.topics.topic_spotter`,
   the scorecard's own): the first unsaid script line that ``answers`` it;
6. otherwise the next unsaid script line (the goodbye line last).

Each line and reaction is said at most once. :class:`Caller` is pure: it is told
what the turn contained (:class:`TurnFacts`) and answers with a line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..scenarios import CallerLine, Scenario

__all__ = ["Caller", "TurnFacts"]


@dataclass(frozen=True)
class TurnFacts:
    """What one finished turn of the agent contained.

    Attributes
    ----------
    at_s : float
        When the turn ended, seconds of recording.
    heard : str
        The recogniser's text of the turn.
    topics : frozenset of str
        5W2H topics the turn asks about.
    covered : frozenset of str
        5W2H topics the turn asks about or states (a time, an address, a cost ...).
    rude : tuple of str
        Rules with a finding in the turn (``wording``, ``forbidden``, ``you_statements``).
    closing : bool
        The agent closed the call (anything else? / goodbye).
    long_hold : bool
        The hold or silence before the turn went past the pack's limit.
    """

    at_s: float
    heard: str = ""
    topics: frozenset[str] = frozenset()
    covered: frozenset[str] = frozenset()
    rude: tuple[str, ...] = ()
    closing: bool = False
    long_hold: bool = False

    def to_dict(self) -> dict:
        return {
            "at_s": round(self.at_s, 2),
            "heard": self.heard,
            "topics": sorted(self.topics),
            "covered": sorted(self.covered),
            "rude": list(self.rude),
            "closing": self.closing,
            "long_hold": self.long_hold,
        }


@dataclass
class Caller:
    """Chooses the caller's next line (see the module notes)."""

    scenario: Scenario
    said: list[int] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)

    def played(self, number: int) -> None:
        """The line ``number`` was said (whatever chose it)."""
        if number not in self.said:
            self.said.append(number)

    def _unsaid(self, lines) -> list[CallerLine]:
        return [line for line in lines if line.number not in self.said]

    def next_line(self, facts: TurnFacts) -> CallerLine | None:
        """The caller's reply to the agent's turn, or None (the script is done: the caller waits)."""
        line, why = self._choose(facts)
        self.decisions.append({**facts.to_dict(), "line": None if line is None else line.number, "because": why})
        return line

    def _choose(self, facts: TurnFacts) -> tuple[CallerLine | None, str]:
        sc = self.scenario
        script = self._unsaid(sc.lines)
        reactions = self._unsaid(sc.reactions)
        goodbye = next((line for line in script if line.goodbye), None)
        if facts.closing and goodbye is not None:
            return goodbye, "closing"
        for trigger, active in (("rude", bool(facts.rude)), ("long_hold", facts.long_hold)):
            if active:
                line = next((r for r in reactions if r.on == trigger), None)
                if line is not None:
                    return line, trigger
        last = sc.line(self.said[-1]) if self.said else None
        if last is not None and last.needs:
            missing = [t for t in last.needs if t not in facts.topics | facts.covered]
            if missing:
                line = next(
                    (r for r in reactions if r.on == "unanswered" and (r.topic is None or r.topic in missing)), None
                )
                if line is not None:
                    return line, "unanswered"
        if facts.topics:
            line = next((s for s in script if not s.goodbye and set(s.answers) & facts.topics), None)
            if line is not None:
                return line, "asked"
        rest = [s for s in script if not s.goodbye] or script
        return (rest[0], "next") if rest else (None, "done")
