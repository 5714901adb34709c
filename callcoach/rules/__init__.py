"""The rules, one module each. ``ALL`` is the order they run and are listed in.

Each module's ``RULE`` (:class:`~callcoach.rules.base.RuleInfo`) describes it
completely: pack section, default weight, scorecard labels in both languages;
its messages are its ``[zh.ID]`` / ``[en.ID]`` tables in ``data/messages.toml``
and ``detail(figures, language)`` shows its figures in the scorecard. The
registry is checked here at import (:func:`validate`), so an incomplete rule
fails at once, naming what it lacks.
"""

from __future__ import annotations

import math

from ..datafiles import load_toml_resource
from ..packs import LANGUAGES
from . import (
    answer,
    closing,
    filler,
    fivew2h,
    forbidden,
    hangup,
    hold,
    interruption,
    intonation,
    introduction,
    pace,
    required,
    scenario,
    unanswered,
    volume,
    wording,
    you_statements,
)

ALL = (
    answer,
    introduction,
    hold,
    pace,
    fivew2h,
    unanswered,
    wording,
    forbidden,
    you_statements,
    closing,
    interruption,
    volume,
    intonation,
    filler,
    required,
    hangup,
    scenario,
)  # the last two judge practice sessions only (Call.session)


def by_id(rule_id: str):
    """The rule module with this id, or None."""
    return next((m for m in ALL if m.RULE.id == rule_id), None)


def by_check(key: str):
    """The rule module reporting the scorecard check ``key``, or None."""
    return next((m for m in ALL if m.RULE.check == key), None)


def default_weights() -> dict[str, float]:
    """Each check's default weight from its rule's metadata, in run order (a pack's ``[weights]`` overrides)."""
    return {m.RULE.check: m.RULE.weight for m in ALL if m.RULE.check}


def validate(modules) -> None:
    """Check that every rule describes itself completely.

    Unique ids and check keys; a ``check(call)`` function; the pack section in
    both bundled packs; for a scored check a positive weight, labels in every
    language and a callable ``detail`` if any; messages with the same keys in
    both languages.

    Raises
    ------
    ValueError
        The first problem, naming the rule module.
    """
    messages = load_toml_resource("messages.toml")
    packs = {lang: load_toml_resource(f"{lang}.toml") for lang in LANGUAGES}
    ids: set[str] = set()
    checks: set[str] = set()
    for module in modules:
        where = f"rule module {module.__name__}"
        rule = getattr(module, "RULE", None)
        if rule is None or not callable(getattr(module, "check", None)):
            raise ValueError(f"{where} needs RULE (a RuleInfo) and check(call)")
        _unique(rule.id, ids, f"{where}: id")
        section = rule.pack_section
        for lang in LANGUAGES:
            if section is not None and not isinstance(packs[lang].get(section), dict):
                raise ValueError(f"{where}: no [{section}] section in data/{lang}.toml")
        if rule.check:
            _unique(rule.check, checks, f"{where}: check key")
            weight = rule.weight
            if (
                isinstance(weight, bool)
                or not isinstance(weight, (int, float))
                or not (math.isfinite(weight) and weight > 0)
            ):
                raise ValueError(f"{where}: weight should be a positive number, not {weight!r}")
            for lang in LANGUAGES:
                if not str(rule.labels.get(lang) or "").strip():
                    raise ValueError(f"{where}: no scorecard label in {lang!r}")
            if getattr(module, "detail", None) is not None and not callable(module.detail):
                raise ValueError(f"{where}: detail should be a function detail(figures, language)")
        elif rule.weight is not None:
            raise ValueError(f"{where}: a weight without a check key")
        keys = {lang: set(messages.get(lang, {}).get(rule.id, {})) for lang in LANGUAGES}
        for lang in LANGUAGES:
            for other in LANGUAGES:
                lacking = sorted(keys[other] - keys[lang])
                if lacking:
                    raise ValueError(f"{where}: data/messages.toml [{lang}.{rule.id}] lacks {', '.join(lacking)}")


def _unique(value: str, seen: set[str], what: str) -> None:
    if not value or value in seen:
        raise ValueError(f"{what} {value!r} is empty or not unique")
    seen.add(value)


validate(ALL)
