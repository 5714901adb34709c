"""The rules' documentation, generated from their metadata and the bundled packs.

``callcoach rules`` and ``docs/rules.md`` both come from here, so a rule is
documented by its ``RULE`` (id, title, seeds, why, example, instead) and its
pack section (thresholds, phrases, suggestions), never by hand. Nothing is
printed: functions return plain structures and Markdown text. Regenerate the
page with::

    python3 -m callcoach.rules.docs > docs/rules.md
"""

from __future__ import annotations

import sys
from typing import Any

from .. import rules as registry
from ..errors import ConfigError
from ..packs import LANGUAGES, load_pack
from . import by_id

#: The training documents the course comes from; docs/course.md#sources says what each contributes.
SEEDS = {
    "000": "real-estate customer service course (forbidden phrases, six steps of complaint handling, tone)",
    "001": "service awareness (answering the phone, hold, feedback)",
    "002": "customer satisfaction (complaint steps)",
    "003": "after-sales phone training (rings, greeting, 7-second wait, 5W2H, polite vs. improper wording)",
    "004": "23 situations on the sales floor (never 我不知道 / 可能, let the customer finish)",
}

#: Keys of a section that are shown in their own tables rather than as settings.
_PHRASE_TABLES = ("pairs", "groups", "cues", "tips", "ask", "state", "units", "questions", "answers")


def section_of(rule_id: str) -> str | None:
    """The pack section (``[name]``) holding a rule's settings and phrases (``RULE.section``), or None."""
    module = by_id(rule_id)
    return module.RULE.pack_section if module is not None else None


def rule_list() -> list[dict]:
    """One row per rule, in run order: id, title, seeds, check key and weight per language."""
    packs = {lang: load_pack(lang) for lang in LANGUAGES}
    rows = []
    for module in registry.ALL:
        r = module.RULE
        rows.append(
            {
                "id": r.id,
                "title": r.title,
                "seeds": list(r.seeds),
                "check": r.check,
                "weights": {
                    lang: (packs[lang].get("weights", {}).get(r.check) if r.check else None) for lang in LANGUAGES
                },
            }
        )
    return rows


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value) if value else "—"
    text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _settings(section: str) -> list[str]:
    """Markdown table of a section's scalar settings, one column per language."""
    data = {lang: load_pack(lang).get(section, {}) or {} for lang in LANGUAGES}
    keys: list[str] = []
    for lang in LANGUAGES:
        for key, value in data[lang].items():
            if not isinstance(value, (dict, list)) and key not in keys:
                keys.append(key)
    if not keys:
        return []
    out = [f"| setting `[{section}]` | " + " | ".join(LANGUAGES) + " |", "|---|" + "---|" * len(LANGUAGES)]
    for key in keys:
        out.append(f"| `{key}` | " + " | ".join(_cell(data[lang].get(key, "—")) for lang in LANGUAGES) + " |")
    return out


def _phrases(section: str, language: str) -> list[str]:
    """Markdown for a section's phrase lists and phrase tables in one language's pack."""
    data = load_pack(language).get(section, {}) or {}
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, list):
            out.append(f"- `{key}`: {_cell(value)}")
    for key in _PHRASE_TABLES:
        tables = data.get(key)
        if not isinstance(tables, dict) or not tables:
            continue
        if all(isinstance(v, dict) for v in tables.values()):  # named phrase tables: pairs, groups
            phrase_key = "improper" if key == "pairs" else "phrases"
            say_key = "polite" if key == "pairs" else "suggestion"
            out += ["", f"| `{key}` | says | instead |", "|---|---|---|"]
            for name, table in tables.items():
                label = table.get("situation") or table.get("label") or name
                extra = " (info only)" if table.get("severity") == "info" else ""
                extra += " (opening only)" if table.get("opening") else ""
                extra += " (opening a sentence)" if table.get("sentence_start") else ""
                out.append(
                    f"| {_cell(label)}{extra} | {_cell(table.get(phrase_key, []))} | "
                    f"{_cell(table.get(say_key) or '—')} |"
                )
            out.append("")
        else:  # cue lists or tips keyed by name
            out.append(f"- `{key}`:")
            out += [f"  - `{name}`: {_cell(value)}" for name, value in tables.items()]
    return out


def explain(rule_id: str) -> str:
    """One rule explained in Markdown: why, example, what to say instead, its settings and phrases.

    Raises
    ------
    ConfigError
        No rule has this id.
    """
    module = by_id(rule_id)
    if module is None:
        known = ", ".join(m.RULE.id for m in registry.ALL)
        raise ConfigError(f"unknown rule {rule_id!r} (known: {known})")
    r = module.RULE
    row = next(x for x in rule_list() if x["id"] == r.id)
    out = [f"## `{r.id}`: {r.title}", ""]
    seeds = (
        "; ".join(f"{s}: {SEEDS.get(s, '?')} — [docs/course.md#seed-{s}](course.md#seed-{s})" for s in r.seeds)
        or "none (set by the trainer's pack)"
    )
    out.append(f"**Seeds:** {seeds}  ")
    if r.check:
        weights = ", ".join(f"{lang} {row['weights'][lang]}" for lang in LANGUAGES)
        out.append(f"**Scorecard check:** `checks.{r.check}` (weight {weights})")
    else:
        out.append("**Scorecard check:** none (findings only)")
    out += [
        "",
        "### Why it matters",
        "",
        r.why,
        "",
        "### Example",
        "",
        f"> {r.example}",
        "",
        "### Use instead",
        "",
        f"> {r.instead}",
        "",
    ]
    if r.how:
        out += ["### How it is judged", "", r.how, ""]
    section = r.pack_section
    settings = _settings(section) if section else []
    if settings:
        out += ["### Settings", ""] + settings + [""]
    for lang in LANGUAGES:
        phrases = _phrases(section, lang) if section else []
        if phrases:
            out += [f"### Phrases and suggestions ({lang})", ""] + phrases + [""]
    return "\n".join(out).rstrip() + "\n"


def _weights_table() -> list[str]:
    out = ["| check | " + " | ".join(LANGUAGES) + " |", "|---|" + "---|" * len(LANGUAGES)]
    for row in rule_list():
        if row["check"]:
            out.append(f"| `{row['check']}` | " + " | ".join(_cell(row["weights"][lang]) for lang in LANGUAGES) + " |")
    return out


PACK_EXAMPLE = """```toml
# company.toml — callcoach score CALL.wav --rules company.toml
language = "zh"

[forbidden]
phrases = ["没办法"]                     # more forbidden phrases, reported with forbidden.suggestion

[custom.competitor]                     # the company's own forbidden phrases, with what to say instead
label = "提到竞争对手"
phrases = ["隔壁那家", "别家公司"]
suggestion = "我们的方案是……"
severity = "warning"                    # info | warning | error (default warning)

[required]                              # each key: at least one phrasing must be said by the agent
privacy = ["本次通话可能会被录音", "通话将被录音"]

[wording.pairs.ask_wait]                # extend a row of the course's table
improper = ["你先别挂"]

[volume]
max_dbfs = -15.0                        # thresholds are replaced

[weights]
required = 20
```"""


def rules_markdown() -> str:
    """The whole rules page (docs/rules.md)."""
    out = [
        "# callcoach rules",
        "",
        "<!-- Generated by `python3 -m callcoach.rules.docs > docs/rules.md` from the rules' metadata and the "
        "bundled packs (callcoach/data/zh.toml, en.toml). Do not edit by hand. -->",
        "",
        "Every rule callcoach checks, the training document (seed) it enforces, why it matters, an improper "
        "example and what to say instead. `callcoach rules` lists them; `callcoach rules ID` explains one. "
        "The course they enforce, and what each seed document teaches: [course.md](course.md).",
        "",
        "| id | title | seeds | check |",
        "|---|---|---|---|",
    ]
    for row in rule_list():
        out.append(
            f"| [`{row['id']}`](#{row['id']}) | {_cell(row['title'])} | {', '.join(row['seeds']) or '—'} | "
            f"{'`' + row['check'] + '`' if row['check'] else '—'} |"
        )
    out += [
        "",
        "## Score and weights",
        "",
        "The overall score (0-100) weighs each check's status: **pass** earns the check's full weight, "
        "**warn** half, **fail** nothing. Checks that are **n/a** (no audio for volume and intonation, no "
        "ringback or ring time for answer, a mono recording without speakers for interruptions, no required "
        "phrases in the pack) are left out and the other weights rescaled, so the score is the weighted share "
        "of the points the call could earn. Weights are `[weights]` in each pack and a trainer's pack may "
        "change them.",
        "",
    ] + _weights_table()
    out += [
        "",
        "## Matching",
        "",
        "Phrases are matched in the agent's turns on simplified text with punctuation and spaces ignored, and "
        "(Mandarin phrases of two or more syllables) by toneless pinyin with commonly confused sounds folded "
        "together, so ASR homophones still match. `…` in a phrase is a gap of up to 6 characters (3 English "
        "words). Where phrases overlap the longest wins, and an `allow` list holds phrases that contain a "
        "flagged one but are fine (尽可能 is not 可能). Phrase tables with `by_pinyin = false` match by "
        "characters only (我想 would otherwise match 我先); `opening = true` ones count only when they open the agent's "
        'first turn, `alone = true` ones only when they are all the turn says (a bare "Hello?"), `alone = "clause"` '
        'ones when they are all their clause says and it opens or ends the sentence ("Name and postcode."), '
        '`alone = "any clause"` ones when they are all of any clause (信号差，这没办法，你挪一挪), `sentence_start = true` '
        'ones only opening a sentence ("Yes, but that\'s with the fee."; not "There was, yeah, but …"; in a '
        "recogniser's unpunctuated turn, its opening or a pause starts one). A phrase said again in the same sentence, or "
        'a second hedge there, is one finding ("Maybe, maybe not.", "I think you\'re probably fine"). Findings carry '
        "the time, the words heard, and the "
        "suggestion from the pack in the call's language; `{company}` and `{agent}` in suggestions are filled "
        "from `--company` / `--agent`.",
        "",
        "## A company's own pack",
        "",
        "`--rules company.toml` (repeatable) merges a trainer's pack over the bundled one: lists are extended, "
        "numbers and strings replaced, `[custom.NAME]` and `[required]` tables added. A malformed pack is "
        "rejected with one line naming the file, the line and the problem.",
        "",
        PACK_EXAMPLE,
        "",
    ]
    for module in registry.ALL:
        out += [f'<a id="{module.RULE.id}"></a>', "", explain(module.RULE.id)]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # python3 -m callcoach.rules.docs > docs/rules.md
    sys.stdout.write(rules_markdown())
