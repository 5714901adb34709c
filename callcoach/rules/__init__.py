"""The rules, one module each. ``ALL`` is the order they run and are listed in."""

from __future__ import annotations

from . import (answer, closing, filler, fivew2h, forbidden, hold, interruption, intonation, introduction, pace,
               required, unanswered, volume, wording, you_statements)

ALL = (answer, introduction, hold, pace, fivew2h, unanswered,
       wording, forbidden, you_statements, closing, interruption, volume, intonation, filler, required)


def by_id(rule_id: str):
    """The rule module with this id, or None."""
    return next((m for m in ALL if m.RULE.id == rule_id), None)
