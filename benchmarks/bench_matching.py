"""Time to match every rule's cue lists on a long call (issue 10: well under a second for 10 minutes).

    python benchmarks/bench_matching.py [--minutes 10]

Builds a call of ``--minutes`` minutes per language from the turns of the
realistic evaluation set's dev calls and the bundled samples
(tests/fixtures/realspeech/dev/*.srt, samples/*.srt; repeated only if they run
out), then prints

* the time to find every cue list of the pack (introduction, hold, 5W2H asked and stated,
  wording, forbidden, you-statements, closing, filler) in every agent turn —
  once cold (cue lists compiled, jieba loaded) and then warm (a later call in
  the same process, as in a batch), and the same with exact characters only
  (``by_pinyin=False``: no sound, no edits) as the baseline in the same
  process;
* the time to score the whole call from its transcript (``score_call``: all
  rules, no audio), the first time in the process and again (the prepared
  texts are forgotten in between, but 5W2H keeps its own per-text cache).

Timings are wall-clock on a shared machine: noisy. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from callcoach.packs import load_pack
from callcoach.scoring import CallSetup, score_call
from callcoach.textmatch import _prepare, cue_set
from callcoach.transcript import Transcript, Turn
from callcoach.transcript_files import load_transcript


def long_call(language: str, minutes: float) -> Transcript:
    """Dev-set and sample turns of one language, in order, until the call lasts ``minutes``."""
    turns = []
    paths = sorted((ROOT / "tests" / "fixtures" / "realspeech" / "dev").glob(f"{language}_*.srt"))
    for path in paths + sorted((ROOT / "samples").glob(f"{language}_*.srt")):
        turns += [t for t in load_transcript(path).turns if t.text.strip()]
    out, clock, i = [], 0.0, 0
    while clock < minutes * 60:
        t = turns[i % len(turns)]
        out.append(Turn(t.speaker, clock, clock + t.duration_s, t.text, simplified=t.simplified))
        clock += t.duration_s + 0.5
        i += 1
    return Transcript(tuple(out), language=language, source="bench")


def cue_lists(language: str) -> list[list[str]]:
    pack = load_pack(language)
    lists = [
        pack["introduction"][k] for k in ("greetings", "offer_help", "ask_identity", "company_markers", "name_markers")
    ]
    lists += [pack["hold"][k] for k in ("announce", "permission", "acknowledge")]
    lists += [[p for v in pack["fivew2h"][kind].values() for p in v] for kind in ("ask", "state")]
    lists += [list(v) for v in pack["closing"]["cues"].values()]
    for section in ("wording", "you_statements"):
        lists.append([p for t in pack[section]["pairs"].values() for p in t["improper"]] + pack[section]["allow"])
    lists.append([p for t in pack["forbidden"]["groups"].values() for p in t["phrases"]] + pack["forbidden"]["allow"])
    lists.append(pack["filler"]["words"] + pack["filler"]["openers"])
    return lists


def match_all(transcript: Transcript, lists, by_pinyin: bool) -> tuple[float, int]:
    start = time.perf_counter()
    found = 0
    agent = [t for t in transcript.turns if t.speaker != "customer"]
    for phrases in lists:
        cues = cue_set(phrases, transcript.language, by_pinyin=by_pinyin)
        for turn in agent:
            found += len(cues.find(turn.simplified))
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    for language in ("zh", "en"):
        call = long_call(language, args.minutes)
        agent = [t for t in call.turns if t.speaker != "customer"]
        units = (
            sum(len(t.simplified) for t in agent) if language == "zh" else sum(len(t.simplified.split()) for t in agent)
        )
        lists = cue_lists(language)
        phrases = sum(len(x) for x in lists)
        print(
            f"{language}: {args.minutes:g}-minute call, {len(call.turns)} turns, {len(agent)} agent turns, "
            f"{units} {'characters' if language == 'zh' else 'words'}; {len(lists)} cue lists, {phrases} phrases"
        )
        cold, found = match_all(call, lists, True)
        _prepare.cache_clear()
        warm, _ = match_all(call, lists, True)
        _prepare.cache_clear()
        match_all(call, lists, False)
        _prepare.cache_clear()
        exact, found_exact = match_all(call, lists, False)
        print(f"  tolerant matcher: cold {cold * 1000:7.0f} ms, warm {warm * 1000:7.0f} ms ({found} matches)")
        print(
            f"  exact characters: warm {exact * 1000:7.0f} ms ({found_exact} matches); "
            f"tolerant / exact = {warm / max(exact, 1e-9):.1f}x"
        )
        _prepare.cache_clear()
        start = time.perf_counter()
        score_call(transcript=call, setup=CallSetup())
        cold = time.perf_counter() - start
        _prepare.cache_clear()
        start = time.perf_counter()
        score_call(transcript=call, setup=CallSetup())
        print(
            f"  score_call on the transcript (all rules, no audio): first {cold * 1000:7.0f} ms, "
            f"again {(time.perf_counter() - start) * 1000:7.0f} ms"
        )


if __name__ == "__main__":
    main()
