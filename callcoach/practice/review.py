"""Practice stage: the scorecard of a finished session."""

from __future__ import annotations

from dataclasses import replace

from ..errors import AudioError
from ..packs import RulePack
from .coach import practice_texts
from .records import SessionResult

__all__ = ["score_session"]


def score_session(
    result: SessionResult, *, engine=None, pack: RulePack | None = None, extra_packs=(), retranscribe: bool = False
):
    """Score a finished session like ``callcoach score`` scores a call.

    The recording is scored with :func:`callcoach.scoring.score_call` and the
    live transcript (or a fresh transcript of the recording when
    ``retranscribe``), with the exact ring onset and pick-up. The
    practice-only rules ``hangup`` (the agent hung up before the caller's
    goodbye) and ``scenario`` (5W2H topics the scenario expected but the agent
    did not cover) judge the session's facts; the facts themselves, the live
    hints and the listening caller's decisions go under ``signals["practice"]``.

    Returns
    -------
    callcoach.scoring.Scorecard

    Raises
    ------
    AudioError
        Nothing was recorded.
    """
    from ..scoring import score_call

    if result.duration_s <= 0:
        raise AudioError("nothing was recorded", path=result.record_path)
    setup = result.setup
    if result.answer_s is not None:
        setup = replace(setup, answer_s=result.answer_s)  # the exact pick-up
    facts = {
        "ended_by": result.ended_by,
        "caller_said_goodbye": result.caller_said_goodbye,
        "ended_s": result.ended_s,
        "answer_s": result.answer_s,
        "expected_topics": list(result.scenario.expected_topics),
    }
    card = score_call(
        result.record_path,
        transcript=None if retranscribe else result.transcript,
        setup=setup,
        pack=pack,
        engine=engine,
        extra_packs=extra_packs,
        session=facts,
    )
    if result.ended_by == "no_answer":
        texts = practice_texts(card.language, "session")
        waited = result.ended_s - (result.ring_onset_s or 0)
        card.add_finding(
            "answer", "error", result.ended_s, texts["no_answer_finding"].format(waited=waited), texts["no_answer_tip"]
        )
    card.signals["practice"] = result.to_dict()
    return card
