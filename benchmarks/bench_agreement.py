"""How far two careful people agree on the realistic calls, and where the checker stands beside them (issue 10).

    python benchmarks/bench_agreement.py [--split dev|heldout|all] [--json OUT.json]

A second annotator, who never saw the truth files, the checker's code or its
cue lists, read 40 calls of each split (20 Mandarin, 20 English, drawn at
random) with the same guide (``tests/fixtures/realspeech/README.md``, "What
the truth means") and wrote the same truth fields
(``tests/fixtures/realspeech/agreement/<split>/<id>.json``). This prints, per
split and language, three rows on those calls, each scored by
``bench_realspeech.tally`` exactly as the checker is scored:

* **second annotator vs truth** — the second annotation turned into a
  scorecard (its improper phrases, covered topics, closing parts and
  unanswered questions placed in their turns) and compared with the truth:
  how far two people agree, the ceiling any checker can be measured against;
* **checker vs truth** — the checker on the clean transcripts (the figures
  ``bench_realspeech.py`` prints, on these calls only);
* **checker vs second annotator** — the same scorecards against the second
  annotation;
* **checker vs both** — improper phrases and unanswered questions only:
  recall of those **both** annotators marked, and false alarms (precision)
  against those **either** marked — what the checker misses that two people
  agree on, and what it flags that neither does.

A measurement, not a test: it always exits 0. The dev calls are calls the cue
lists were tuned on; the held-out calls never were.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import bench_realspeech as bench

from callcoach.scoring import CallSetup, score_call
from callcoach.transcript_files import load_transcript

AGREEMENT = bench.DATA / "agreement"
ROWS = ("second annotator vs truth", "checker vs truth", "checker vs second annotator", "checker vs both")


def annotation_card(annotation: dict, turns) -> dict:
    """An annotation in the truth's format as the scorecard ``tally`` reads (``to_dict()``'s ``checks``)."""

    def middle(turn: int) -> float:
        return (turns[turn].start_s + turns[turn].end_s) / 2

    checks: dict = {kind: {"found": []} for kind in bench.IMPROPER_CHECKS}
    for item in annotation["improper"]:
        checks[item["kind"]]["found"].append(
            {"at_s": middle(item["turn"]), "phrase": item["text"], "heard": item["text"]}
        )
    checks["introduction"] = dict(annotation["introduction"])
    checks["5w2h"] = {"covered": list(annotation["5w2h"]["agent"])}
    checks["closing"] = dict(annotation["closing"])
    checks["unanswered"] = {
        "questions": [
            {"turn": q["turn"], "at_s": middle(q["turn"]), "topic": q["topic"], "answered": q["answered"]}
            for q in annotation["questions"]
        ]
    }
    return {"checks": checks}


def as_truth(annotation: dict, truth: dict) -> dict:
    """The second annotation in the truth file's shape (names given to the scorer kept from the truth)."""
    out = dict(truth)
    out.update({key: annotation[key] for key in ("introduction", "5w2h", "improper", "closing", "questions")})
    out["unanswered"] = [{"turn": q["turn"], "topic": q["topic"]} for q in annotation["questions"] if not q["answered"]]
    return out


def _pairs(first: list[dict], second: list[dict], same) -> dict[int, int]:
    """One-to-one pairs (index in ``first`` -> index in ``second``) of items in the same turn, ``same`` ones first."""
    pairs: dict[int, int] = {}
    for strict in (True, False):
        for i, a in enumerate(first):
            if i in pairs:
                continue
            j = next(
                (
                    j
                    for j, b in enumerate(second)
                    if j not in pairs.values() and b["turn"] == a["turn"] and (same(a, b) or not strict)
                ),
                None,
            )
            if j is not None:
                pairs[i] = j
    return pairs


def consensus(truth: dict, second: dict) -> tuple[dict, dict]:
    """(both, either): the truth with only the improper phrases and unanswered questions both annotators marked, and
    with those either marked (``second`` in the truth's shape, see :func:`as_truth`)."""
    both, either = dict(truth), dict(truth)
    for key, same in (
        ("improper", lambda a, b: a["kind"] == b["kind"]),
        ("unanswered", lambda a, b: a["topic"] == b["topic"]),
    ):
        pairs = _pairs(truth[key], second[key], same)
        both[key] = [item for i, item in enumerate(truth[key]) if i in pairs]
        either[key] = truth[key] + [item for j, item in enumerate(second[key]) if j not in pairs.values()]
    return both, either


def load_annotations(split: str) -> list[tuple[dict, dict, Path]]:
    """(second annotation, truth, SRT) for every annotated call of ``split``."""
    out = []
    for path in sorted((AGREEMENT / split).glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        truth_path = bench.DATA / split / f"{path.stem}.truth.json"
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        out.append((annotation, truth, truth_path.with_name(f"{path.stem}.srt")))
    return out


def run(split: str) -> dict[tuple[str, str], bench.Tally]:
    """{(language, row): Tally} over the annotated calls of ``split`` (language "all" too)."""
    out: dict[tuple[str, str], bench.Tally] = {}
    for annotation, truth, srt in load_annotations(split):
        language = truth["language"]
        turns = load_transcript(srt, language=language).turns
        setup = CallSetup(company=truth["company"], agent=truth["agent"], language=language)
        card = score_call(transcript_path=srt, setup=setup).to_dict()
        second = as_truth(annotation, truth)
        both, either = consensus(truth, second)
        tallies = {
            ROWS[0]: bench.tally(annotation_card(annotation, turns), truth, turns),
            ROWS[1]: bench.tally(card, truth, turns),
            ROWS[2]: bench.tally(card, second, turns),
            "both": bench.tally(card, both, turns),
            "either": bench.tally(card, either, turns),
        }
        for row, t in tallies.items():
            for key in ((language, row), ("all", row)):
                out.setdefault(key, bench.Tally(unanswered_rule=True)).add(t)
    return out


def figures(results: dict, language: str) -> dict[str, dict]:
    """The printed rows of one language: {row: figures}."""
    rows = {row: results[(language, row)].figures() for row in ROWS[:3] if (language, row) in results}
    if (language, "both") in results:
        both, either = results[(language, "both")].figures(), results[(language, "either")].figures()
        rows[ROWS[3]] = {
            **{key: None for key in either},
            "calls": either["calls"],
            "improper_recall": both["improper_recall"],
            "improper_fa": either["improper_fa"],
            "unanswered_recall": both["unanswered_recall"],
            "unanswered_precision": either["unanswered_precision"],
        }
    return rows


def print_rows(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(
        f"  {'':30s} {'calls':>5s} {'intro':>7s} {'impr R':>7s} {'FA/call':>7s} {'5W2H F1':>8s} "
        f"{'close':>7s} {'unans R':>8s} {'P':>6s}"
    )
    for row, f in rows.items():
        print(
            f"  {row:30s} {f['calls']:5d} {bench._pct(f['intro']):>7s} {bench._pct(f['improper_recall']):>7s} "
            f"{bench._num(f['improper_fa']):>7s} {bench._num(f['f1']):>8s} {bench._pct(f['closing']):>7s} "
            f"{bench._num(f['unanswered_recall']):>8s} {bench._num(f['unanswered_precision']):>6s}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Agreement of two annotators, and the checker beside them.")
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    args = parser.parse_args(argv)
    report: dict = {}
    for split in ("dev", "heldout") if args.split == "all" else (args.split,):
        results = run(split)
        report[split] = {}
        for language in ("zh", "en", "all"):
            rows = figures(results, language)
            if rows:
                report[split][language] = rows
                print_rows(f"{split} / {language}", rows)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
