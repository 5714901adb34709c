"""Refit the answer model (callcoach/rules/answer_model.py) to the annotated transcripts of the dev split.

    python3 scripts/train_answer_model.py           # both languages: writes callcoach/data/answer_model_*.toml
    python3 scripts/train_answer_model.py --check   # exit 1 when a shipped model was fitted to other dev calls
    python3 scripts/train_answer_model.py --cross-validate   # figures on authors left out, nothing written

Each customer question the checker finds in a dev call is one example: its features (the unanswered rule's
verdict, the reply's signals and first words) and whether the call's truth marks it unanswered (same turn and
topic first, then same turn, as ``benchmarks/bench_realspeech.py`` pairs them). Two models per language: one fitted
to the calls as written (``answer_model_<language>.toml``), one to copies of them as a recogniser might have heard
them (``tests/asr_errors.py`` at 10, 20 and 30 % errors, seeds of their own, not the benchmark's:
``answer_model_<language>_heard.toml``, for a recogniser's text). The held-out split is never read: its figures come
from ``benchmarks/bench_realspeech.py``. Takes about five minutes per language.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from asr_errors import perturb  # noqa: E402
from bench_realspeech import pair_unanswered  # noqa: E402

from callcoach.datafiles import load_toml_resource  # noqa: E402
from callcoach.packs import load_pack  # noqa: E402
from callcoach.rules import answer_model  # noqa: E402
from callcoach.rules.base import Call, CallSetup  # noqa: E402
from callcoach.rules.unanswered import rule_verdicts  # noqa: E402
from callcoach.transcript_files import load_transcript  # noqa: E402

DEV = REPO / "tests" / "fixtures" / "realspeech" / "dev"
LANGUAGES = ("zh", "en")
#: The penalties and the word features' least count, chosen by five-fold cross-validation over dev's authors
#: (folds by file suffix: each suffix is one author's calls), not on held-out calls.
PENALTIES = {"signal_penalty": 1.0, "word_penalty": 5.0, "min_count": 2}
#: The copies of each call examples are read from: (error rate, seed); 0.0 is the call as written.
COPIES = ((0.0, 0), (0.1, 3001), (0.2, 3002), (0.3, 3003))


def fixtures_digest(folder: Path, language: str) -> str:
    """sha256 of the ``.call`` sources of ``language`` in ``folder`` (names and bytes), to tell a stale model."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob(f"{language}_*.call")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def examples(folder: Path, language: str) -> dict[str, dict[float, tuple[list[tuple[dict[str, float], bool]], int]]]:
    """Every customer question of ``language``'s calls in ``folder`` as (features, unanswered by the truth), by call
    id and copy (error rate of :data:`COPIES`), with the number of questions the truth marks unanswered (some the
    checker may not find)."""
    pack = load_pack(language)
    out: dict[str, dict[float, tuple[list[tuple[dict[str, float], bool]], int]]] = {}
    for truth_path in sorted(folder.glob(f"{language}_*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        clean = load_transcript(truth_path.with_name(truth["id"] + ".srt"), language=language)
        setup = CallSetup(company=truth["company"], agent=truth["agent"], language=language)
        duration_s = max((t.end_s for t in clean.turns), default=0.0)
        out[truth["id"]] = {}
        for rate, seed in COPIES:
            transcript = clean if not rate else perturb(clean, rate, seed=seed)
            call = Call(transcript=transcript, language=language, pack=pack, setup=setup, duration_s=duration_s)
            verdicts = rule_verdicts(call)
            # labelled as the benchmark scores: the truth's questions paired with those found in the same turn
            paired = pair_unanswered(truth["unanswered"], [q for q, _, _ in verdicts], transcript.turns).values()
            unanswered = [any(q is hit for hit in paired) for q, _, _ in verdicts]
            out[truth["id"]][rate] = (
                [
                    (answer_model.features(call, q, answer, deferred), flag)
                    for (q, answer, deferred), flag in zip(verdicts, unanswered)
                ],
                len(truth["unanswered"]),
            )
    return out


def cross_validate(by_call: dict, pack, folds: int = 5) -> dict[float, tuple[float, float, float, float]]:
    """Recall and precision of unanswered questions on calls left out, ``folds`` groups of authors (file suffix
    modulo ``folds``): as written by the model fitted to written calls, at 20 % errors by the one fitted to recognised
    copies, each at the pack's thresholds as the unanswered rule applies it; then the rule's alone, over the truth's
    unanswered questions."""
    fold_of = {cid: int(cid.rsplit("_", 1)[1]) % folds for cid in by_call}
    tallies = {rate: [0, 0, 0, 0, 0] for rate in (0.0, 0.2)}  # hits, flagged, rule hits, rule flagged, truth
    for fold in range(folds):
        train = [(cid, copies) for cid, copies in by_call.items() if fold_of[cid] != fold]
        models = {heard: answer_model.fit(training_data(train, heard), **PENALTIES) for heard in (False, True)}
        for cid, copies in by_call.items():
            if fold_of[cid] != fold:
                continue
            for rate, tally in tallies.items():
                rows, wanted = copies[rate]
                tally[4] += wanted
                for feats, flag in rows:
                    said = not answer_model.weigh(models[bool(rate)], feats, pack["unanswered"])[0]
                    rule = not feats["rule:answered"]
                    tally[0] += said and flag
                    tally[1] += said
                    tally[2] += rule and flag
                    tally[3] += rule
    return {
        rate: (
            hits / max(1, truth),
            hits / max(1, flagged),
            rule_hits / max(1, truth),
            rule_hits / max(1, rule_flagged),
        )
        for rate, (hits, flagged, rule_hits, rule_flagged, truth) in tallies.items()
    }


def training_data(by_call: Iterable[tuple[str, dict]], heard: bool) -> list[tuple[dict[str, float], bool]]:
    """The examples a model is fitted to: the calls as written, or (``heard``) their recognised copies."""
    return [x for _, copies in by_call for rate, (rows, _) in copies.items() if bool(rate) == heard for x in rows]


def stale(language: str) -> bool:
    """Whether a shipped model of ``language`` (as written or heard) is missing or was fitted to other dev calls
    than today's."""
    digest = fixtures_digest(DEV, language)
    for heard in (False, True):
        try:
            about = load_toml_resource(answer_model.model_file(language, heard)).get("about", {})
        except FileNotFoundError:
            return True
        if about.get("fixtures_sha256") != digest:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only tell whether the shipped models are up to date")
    parser.add_argument("--lang", choices=LANGUAGES, action="append", help="refit only this language (repeatable)")
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="report recall and precision on authors left out (five folds) at the pack's threshold; write nothing",
    )
    args = parser.parse_args(argv)
    languages = args.lang or list(LANGUAGES)
    if args.check:
        old = [lang for lang in languages if stale(lang)]
        for lang in old:
            print(
                f"callcoach/data/answer_model_{lang}*.toml: missing or fitted to other dev calls; run {Path(__file__).name}"
            )
        return 1 if old else 0
    for lang in languages:
        started = time.monotonic()
        by_call = examples(DEV, lang)
        if args.cross_validate:
            for rate, (recall, precision, rule_recall, rule_precision) in cross_validate(
                by_call, load_pack(lang)
            ).items():
                shown = f"at {rate:.0%} errors" if rate else "as written"
                print(
                    f"{lang}, {shown}: unanswered recall {recall:.3f} precision {precision:.3f} on authors left out "
                    f"(the rule alone: {rule_recall:.3f} / {rule_precision:.3f})"
                )
            continue
        for heard in (False, True):
            data = training_data(by_call.items(), heard)
            model = answer_model.fit(data, **PENALTIES)
            copies = [rate for rate, _ in COPIES if bool(rate) == heard]
            about = {
                "fitted_to": "tests/fixtures/realspeech/dev",
                "fixtures_sha256": fixtures_digest(DEV, lang),
                "calls": len(by_call),
                "read": ", ".join(f"at {rate:.0%} errors" if rate else "as written" for rate in copies),
                "questions": len(data),
                "unanswered": sum(flag for _, flag in data),
                **PENALTIES,
            }
            out = REPO / "callcoach" / "data" / answer_model.model_file(lang, heard)
            out.write_text(answer_model.to_toml(model, about), encoding="utf-8")
            print(
                f"{out.relative_to(REPO)}: {len(data)} questions ({about['unanswered']} unanswered), "
                f"{len(model.weights)} weights, {time.monotonic() - started:.0f} s"
            )
            for name, weight in answer_model.strongest(model, 12):
                print(f"  {weight:+.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
