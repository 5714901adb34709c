"""The rules, one module each. ``ALL`` is the order they run and are listed in."""

from __future__ import annotations

from . import answer, fivew2h, hold, introduction, pace

ALL = (answer, introduction, hold, pace, fivew2h)


def by_id(rule_id: str):
    """The rule module with this id, or None."""
    return next((m for m in ALL if m.RULE.id == rule_id), None)
