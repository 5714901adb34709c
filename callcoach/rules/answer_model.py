"""How likely a customer question went unanswered: the rule's verdict weighed with what the reply looks like.

The unanswered rule (:mod:`callcoach.rules.unanswered`) reads each reply by hand-written tests: does it state the
topic, open with a yes, shrug, defer? Real replies slip past such tests both ways ("Go around back, off the alley"
answers "Where do I park?" without naming a place the 5W2H spotter knows). This module weighs the rule's verdict
with the signals it rests on (:data:`SIGNALS`) and the first words of the question, of the agent's reply and of the
customer's next turn (``question:``, ``reply:``, ``next:`` word features: Han characters and character pairs, English
words and word pairs), by a logistic model fitted to the annotated transcripts of
``tests/fixtures/realspeech/dev`` (``scripts/train_answer_model.py`` refits it; the weights are data,
``callcoach/data/answer_model_<language>.toml``). A recogniser's text reads otherwise (no question marks, words lost
or misheard), so a call with no punctuation in any turn (:func:`recognised`) is weighed by a second model, fitted to
copies of the same transcripts with simulated recognition errors (``answer_model_<language>_heard.toml``). The
pack's ``[unanswered] model_unanswered_at`` and ``model_answered_below`` say how sure a model must be to overrule the
rule; ``model = false`` in a pack keeps the rule's verdict alone.

Limits: the model learnt from written, disfluent transcripts of a few hundred fictional calls in many regional
voices, not from recordings; a reply's meaning beyond its first words, and anything said after the customer's next
turn, reach it only through the rule's verdict. Its figures on calls it never saw are in the README.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from ..datafiles import load_toml_resource
from ..questions import UNCUED, YES_NO, mentions
from ..textnorm import punctuated, tokens
from ..topics import TOPICS, topic_spotter
from .asked import customer_questions, matter_words
from .base import Call
from .replies import (
    asks_instead,
    echoes,
    evasive,
    is_question,
    opens_with_reply,
    plain_reply,
    says_digits,
    says_duration,
    says_price,
    shrugs_in,
)

#: What each numeric signal measures (1.0 yes / 0.0 no unless stated); the model's weights are keyed by these.
SIGNALS: dict[str, str] = {
    "rule:answered": "the unanswered rule found an answer or a promise in the agent's next replies",
    "rule:deferred": "the rule's answer was a promise to come back with it",
    "rule:later_reply": "the rule's answer is not the agent's first reply after the question",
    "question:yes_no": "the question asks yes or no (it has no 5W2H cue of its own)",
    "question:uncued": "the question's topic comes from its words or the question before, not a question word",
    **{f"question:{topic}": f"the question's topic is {topic}" for topic in TOPICS},
    "question:in_turn": "how many questions the customer's turn asks",
    "reply:right_after": "the agent speaks in the turn right after the question",
    "reply:other_topic_only": "the reply states topics, none of them the question's",
    "reply:no_length": "the question asks how long ([unanswered] duration_cues) and the reply says no length of time",
    "reply:length": "log(1 + words of the agent's first reply): characters in Mandarin",
    "reply:asks": "the first reply is a question",
    "reply:asks_instead": "the first reply's first sentence asks the customer something",
    "reply:shrugs": "the first reply says the agent does not know ([unanswered] dont_know)",
    "reply:evasive": "the first reply soothes or brushes off ([unanswered] evasions, evasive groups)",
    "reply:defers": "the first reply promises the answer later ([unanswered] deferrals)",
    "reply:states_topic": "the first reply states the question's topic (the 5W2H spotter)",
    "reply:topics": "log(1 + topics the first reply states)",
    "reply:matter": "the first reply speaks of the question's matter (its content words, by sound)",
    "reply:opens_yes_no": "the first reply opens with a yes or a no ([unanswered] yes_no_replies)",
    "reply:plain": "the first reply is a plain yes or no ([unanswered] plain_replies)",
    "reply:price": "the question asks how much and the first reply says a price",
    "reply:number": "the first reply says a number of two digits or more",
    "reply:requests": "the first reply asks for details ([unanswered] requests)",
    "reply:hold": "the first reply announces a hold ([hold] announce)",
    "reply:farewell": "the first reply takes leave ([unanswered] farewells)",
    "reply:echoes": "the first reply says the question's own predicate or its negation",
    "reply:wait_s": "seconds from the question's turn to the first reply, over 5 (at most 3)",
    "second_reply:states_topic": "the agent's next turn, before the customer speaks twice, states the topic",
    "next:asks": "the customer's next turn is a question",
    "next:same_topic": "the customer's next turn asks the same topic",
    "next:other_topic": "the customer's next turn asks another topic",
    "next:corrects": "the customer's next turn says that was no answer ([unanswered] corrections)",
    "next:gives_up": "the customer's next turn gives up ([unanswered] gives_up)",
    "next:short": 'the customer\'s next turn is a few words (at most 3; Mandarin: 4 characters): 好的 / "Right."',
    "next:matter": "the customer's next turn speaks of the question's matter",
}

#: How many words (English) or Han characters (Mandarin) of each text give word features: the question's and the
#: reply's first ones, the customer's next turn's opening (好的 / "Oh, handy" / "So you don't know?").
WORDS_READ = {"question": 12, "reply": 12, "next": 4}


@dataclass(frozen=True)
class AnswerModel:
    """A fitted model: ``weights`` by signal name or word feature, ``bias``; see :func:`probability`."""

    weights: dict[str, float]
    bias: float

    def probability(self, features: dict[str, float]) -> float:
        """The probability (0 to 1) that the question is unanswered, from its :func:`features`."""
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@cache
def load(language: str, heard: bool = False) -> AnswerModel | None:
    """The bundled model for ``language`` (``answer_model_<language>.toml``) or, ``heard``, the one for a recogniser's
    text (``answer_model_<language>_heard.toml``: fitted to recognised copies of the same calls, where questions have
    no question marks and words are lost or misheard); None when there is none."""
    try:
        data = load_toml_resource(model_file(language, heard))
    except FileNotFoundError:
        return None
    return AnswerModel(weights=dict(data["weights"]), bias=float(data["model"]["bias"]))


def model_file(language: str, heard: bool = False) -> str:
    """The name of a bundled model's data file."""
    return f"answer_model_{language}{'_heard' if heard else ''}.toml"


def word_features(text: str, language: str, part: str) -> list[str]:
    """The word features of ``text`` as ``part`` (question / reply / next): its first :data:`WORDS_READ` words
    (English, lower case) or Han characters (Mandarin), and each pair of neighbours."""
    limit = WORDS_READ[part]
    if language == "zh":
        units = [t.text for t in tokens(text, language) if len(t.text) == 1 and "\u4e00" <= t.text <= "\u9fff"]
        pairs = ["".join(p) for p in zip(units[:limit], units[1:limit])]
    else:
        units = re.findall(r"[a-z']+", text.lower())
        pairs = [f"{a} {b}" for a, b in zip(units[:limit], units[1:limit])]
    return [f"{part}:{w}" for w in dict.fromkeys(units[:limit] + pairs)]


def recognised(call: Call) -> bool:
    """Whether the call's transcript is a recogniser's text: no punctuation in any turn. Such a call is weighed by
    the model fitted to recognised text (:func:`load`)."""
    return not any(punctuated(t.text) for t in call.transcript.turns)


def features(call: Call, question: dict, answer: int | None, deferred: bool) -> dict[str, float]:
    """The signals (:data:`SIGNALS`) and word features of one customer question (a dict of
    :func:`~callcoach.rules.asked.customer_questions`) given the rule's verdict: the index of the agent turn that
    answers it (None: unanswered) and whether that turn only deferred. The reply read is that turn, else the
    agent's first turn after the question."""
    language = call.language
    turns = call.transcript.turns
    asked = turns[question["turn"]]
    spotter = topic_spotter(call.pack)
    yes_no = question["cue"] == YES_NO
    questions = customer_questions(call)
    out: dict[str, float] = dict.fromkeys(SIGNALS, 0.0)
    out.update(
        {
            "rule:answered": float(answer is not None),
            "rule:deferred": float(deferred),
            "question:yes_no": float(yes_no),
            "question:uncued": float(question["cue"] in UNCUED),
            f"question:{question['topic']}": 1.0,
            "question:in_turn": float(sum(q["turn"] == question["turn"] for q in questions)),
        }
    )
    for name in word_features(question["heard"], language, "question"):
        out[name] = 1.0
    first = call.transcript.next_turn(question["turn"])
    reply_at = first if answer is None else answer
    if reply_at is None:
        return out
    reply = turns[reply_at].simplified
    matter = matter_words(call, question)
    stated = [h for h in spotter.spot(reply) if not h.asked]
    out.update(
        {
            "rule:later_reply": float(reply_at != first),
            "reply:right_after": float(reply_at == question["turn"] + 1),
            "reply:other_topic_only": float(bool(stated) and all(h.topic != question["topic"] for h in stated)),
            "reply:no_length": float(
                question["cue"] in (call.pack["unanswered"].get("duration_cues") or ())
                and not says_duration(call, reply)
            ),
            "reply:length": math.log1p(len(tokens(reply, language))),
            "reply:asks": float(is_question(reply, call)),
            "reply:asks_instead": float(asks_instead(call, reply)),
            "reply:shrugs": float(bool(shrugs_in(call, reply, question, yes_no))),
            "reply:evasive": float(evasive(call, reply)),
            "reply:defers": float(bool(call.cues("unanswered", "deferrals").find(reply))),
            "reply:states_topic": float(any(h.topic == question["topic"] for h in stated)),
            "reply:topics": math.log1p(len(stated)),
            "reply:matter": float(bool(matter) and mentions(reply, matter, language)),
            "reply:opens_yes_no": float(opens_with_reply(call, reply)),
            "reply:plain": float(plain_reply(call, reply, question["heard"])),
            "reply:price": float(question["topic"] == "how_much" and says_price(call, reply)),
            "reply:number": float(says_digits(call, reply, 2)),
            "reply:requests": float(bool(call.cues("unanswered", "requests").find(reply))),
            "reply:hold": float(bool(call.cues("hold", "announce").find(reply))),
            "reply:farewell": float(bool(call.cues("unanswered", "farewells").find(reply))),
            "reply:echoes": float(echoes(call, question, reply)),
            "reply:wait_s": min(3.0, max(0.0, turns[reply_at].start_s - asked.end_s) / 5),
        }
    )
    for name in word_features(reply, language, "reply"):
        out[name] = 1.0
    next_at = call.transcript.next_turn(reply_at, agent=False)
    second = call.transcript.next_turn(reply_at)
    if second is not None and (next_at is None or second < next_at + 2):
        out["second_reply:states_topic"] = float(
            any(h.topic == question["topic"] for h in spotter.spot(turns[second].simplified) if not h.asked)
        )
    if next_at is None:
        return out
    said = turns[next_at].simplified
    asks = {q["topic"] for q in questions if q["turn"] == next_at}
    out.update(
        {
            "next:asks": float(is_question(said, call)),
            "next:same_topic": float(question["topic"] in asks),
            "next:other_topic": float(bool(asks - {question["topic"]})),
            "next:corrects": float(bool(call.cues("unanswered", "corrections").find(said))),
            "next:gives_up": float(bool(call.cues("unanswered", "gives_up").find(said))),
            "next:short": float(len(tokens(said, language)) <= (4 if language == "zh" else 3)),
            "next:matter": float(bool(matter) and mentions(said, matter, language)),
        }
    )
    for name in word_features(said, language, "next"):
        out[name] = 1.0
    return out


def weigh(model: AnswerModel, features: dict[str, float], settings: dict) -> tuple[bool, float | None]:
    """Whether the question of ``features`` was answered, weighed, and the model's probability that it was not (None:
    not weighed). ``settings`` is the pack's ``[unanswered]`` table. The model overrules the rule only when sure
    enough: an answer the rule found is none at ``model_unanswered_at``; a question the rule found unanswered was
    answered below ``model_answered_below``, unless the reply :func:`holds_open` the question. A promise of the
    answer (``rule:deferred``) is never overruled: the course asks for an answer or a promise of one (004)."""
    answered = bool(features["rule:answered"])
    if features["rule:deferred"]:
        return answered, None
    doubt = model.probability(features)
    if answered:
        return doubt < settings["model_unanswered_at"], doubt
    return not holds_open(features) and doubt < settings["model_answered_below"], doubt


#: A reply of at most this many words (Mandarin: characters) that states only other topics than a question word
#: asked holds the question open ("About twenty quid, cash or card."); a longer one may answer in words the topic
#: spotter does not read (on dev's authors left out, holding longer ones open too lost as many answers as it kept
#: questions open).
SHORT_REPLY_WORDS = 8


def holds_open(features: dict[str, float]) -> bool:
    """Whether the reply read holds evidence against an answer that no weighing overrules: to a question word's
    question (not a yes/no one) it states only other topics ("What time do you open?" — "About twenty quid"), or to a
    how-long question it says no length of time (多久换一次？ — 两点之前开过来就行); or, right after a turn that asked two
    things, it states only the other one's topic, however long it is."""
    cued = not features.get("question:uncued") and not features.get("question:yes_no")
    short = features.get("reply:length", 0.0) <= math.log1p(SHORT_REPLY_WORDS)
    # a turn that asks two things, answered only about the other one ("What made it go off, and what's the fee?" —
    # "The fee is thirty-five")
    other = features.get("question:in_turn", 0.0) >= 2 and features.get("reply:right_after")
    return bool(
        (cued and (short or other) and features.get("reply:other_topic_only")) or features.get("reply:no_length")
    )


def fit(
    examples: Sequence[tuple[dict[str, float], bool]],
    *,
    signal_penalty: float = 1.0,
    word_penalty: float = 5.0,
    min_count: int = 2,
) -> AnswerModel:
    """Fit a model to ``examples`` (features, unanswered) by L2-penalised logistic regression (L-BFGS).

    Word features seen in fewer than ``min_count`` examples are left out; ``word_penalty`` (heavier than the
    signals' ``signal_penalty``) keeps any one word from deciding alone. Deterministic for the same examples.
    """
    import numpy as np
    from scipy import sparse
    from scipy.optimize import minimize

    counts: dict[str, int] = {}
    for feats, _ in examples:
        for name in feats:
            if name not in SIGNALS:
                counts[name] = counts.get(name, 0) + 1
    names = list(SIGNALS) + sorted(w for w, n in counts.items() if n >= min_count)
    column = {name: j for j, name in enumerate(names)}
    rows, cols, values = [], [], []
    for i, (feats, _) in enumerate(examples):
        for name, value in feats.items():
            j = column.get(name)
            if j is not None and value:
                rows.append(i)
                cols.append(j)
                values.append(value)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(examples), len(names)))
    matrix = sparse.hstack([matrix, np.ones((len(examples), 1))]).tocsr()  # the last column: the bias
    target = np.array([float(unanswered) for _, unanswered in examples])
    penalty = np.full(len(names) + 1, word_penalty)
    penalty[: len(SIGNALS)] = signal_penalty
    penalty[-1] = 0.0

    def loss(w):
        z = matrix @ w
        grad = matrix.T @ (1.0 / (1.0 + np.exp(-z)) - target) + penalty * w
        return float(np.sum(np.logaddexp(0.0, z) - target * z) + 0.5 * np.sum(penalty * w * w)), grad

    w = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000}).x
    weights = {name: round(float(v), 4) for name, v in zip(names, w[:-1]) if abs(v) >= 5e-4}
    return AnswerModel(weights=weights, bias=round(float(w[-1]), 4))


def strongest(model: AnswerModel, count: int = 20) -> Iterable[tuple[str, float]]:
    """The ``count`` weights of largest size, for a report of what the model learnt."""
    return sorted(model.weights.items(), key=lambda kv: -abs(kv[1]))[:count]


def to_toml(model: AnswerModel, about: dict[str, str | int | float]) -> str:
    """``model`` as the text of an ``answer_model_<language>.toml`` file, ``about`` (how it was fitted) first."""

    def value(v: str | int | float) -> str:
        return json.dumps(v, ensure_ascii=False)  # a JSON string or number is a TOML one

    lines = [
        "# The answer model (callcoach/rules/answer_model.py): weights of a logistic model of whether a customer",
        "# question went unanswered. Fitted by scripts/train_answer_model.py; refit rather than edit by hand.",
        "[about]",
        *(f"{key} = {value(v)}" for key, v in about.items()),
        "",
        "[model]",
        f"bias = {value(model.bias)}",
        "",
        "[weights]",
        *(f"{value(name)} = {value(w)}" for name, w in sorted(model.weights.items())),
    ]
    return "\n".join(lines) + "\n"
