"""Rules describe themselves: the registry is complete in both languages, and a new rule is one module.

The last test writes a rule module to a temporary folder, registers it the way
docs/design.md says, scores a bundled sample's transcript and shows that the
scorecard (JSON and text), the weights, ``callcoach rules`` and docs/rules.md
all pick it up without any change to render.py, docs.py or the packs.
"""

from __future__ import annotations

import importlib
import io
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.console import Console

import callcoach.rules as registry
from callcoach.datafiles import load_toml_resource
from callcoach.packs import LANGUAGES, load_pack
from callcoach.render import scorecard_view
from callcoach.rules import docs
from callcoach.rules.base import RuleInfo
from callcoach.scoring import CallSetup, score_call

RULES_DIR = Path(registry.__file__).parent
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_every_rule_module_is_registered_and_complete():
    registered = {m.__name__.rsplit(".", 1)[1] for m in registry.ALL}
    defining = {p.stem for p in RULES_DIR.glob("*.py") if re.search(r"^RULE = RuleInfo\(", p.read_text(), re.M)}
    assert defining == registered
    registry.validate(registry.ALL)
    for module in registry.ALL:
        rule = module.RULE
        if rule.check:
            assert {lang: bool(rule.labels.get(lang)) for lang in LANGUAGES} == dict.fromkeys(LANGUAGES, True)
            assert rule.weight > 0 and callable(module.detail)
        assert rule.messages("zh") and set(rule.messages("zh")) == set(rule.messages("en"))


def test_every_message_a_rule_says_exists_in_both_languages():
    """Every ``call.say(RULE.id, "key")`` in a rule module names a message of both languages' tables."""
    table = load_toml_resource("messages.toml")
    used = 0
    for module in registry.ALL:
        source = Path(module.__file__).read_text()
        rule_id = re.escape(module.RULE.id)
        for key in re.findall(rf'say\((?:RULE\.id|"{rule_id}"), "(\w+)"', source):
            used += 1
            for lang in LANGUAGES:
                assert key in table[lang][module.RULE.id], f"{module.__name__}: {lang}.{module.RULE.id}.{key}"
    assert used > 40


def test_default_weights_come_from_the_rules_and_a_pack_overrides_them(tmp_path):
    pack = load_pack("zh")
    assert pack["weights"] == registry.default_weights()
    assert pack["weights"]["introduction"] == registry.by_id("introduction").RULE.weight == 20
    extra = tmp_path / "company.toml"
    extra.write_text("[weights]\nrequired = 25\n", encoding="utf-8")
    assert load_pack("zh", [extra])["weights"]["required"] == 25


def _module(name: str, **changes):
    rule = registry.by_id("interruption")
    fields = {
        "id": name,
        "title": "t",
        "seeds": (),
        "why": "w",
        "example": "e",
        "instead": "i",
        "check": name,
        "section": "",
        "weight": 1,
        "labels": {"zh": "中", "en": "en"},
    }
    fields.update(changes)
    return SimpleNamespace(__name__=f"test.{name}", RULE=RuleInfo(**fields), check=rule.check)


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"labels": {"zh": "中"}}, "no scorecard label in 'en'"),
        ({"weight": 0}, "weight should be a positive number"),
        ({"weight": None}, "weight should be a positive number"),
        ({"section": "no_such_section"}, "no [no_such_section] section in data/zh.toml"),
        ({"check": "answer"}, "check key 'answer'"),
        ({"id": "answer", "check": "x"}, "id 'answer'"),
    ],
)
def test_an_incomplete_rule_is_refused_naming_what_it_lacks(changes, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        registry.validate(registry.ALL + (_module("extra_rule", **changes),))


def test_messages_must_exist_in_both_languages(monkeypatch):
    real = load_toml_resource("messages.toml")
    lopsided = {lang: dict(real[lang]) for lang in LANGUAGES}
    lopsided["en"]["hold"] = {k: v for k, v in real["en"]["hold"].items() if k != "dead_air"}
    monkeypatch.setattr(
        registry, "load_toml_resource", lambda name: lopsided if name == "messages.toml" else load_toml_resource(name)
    )
    with pytest.raises(ValueError, match=r"\[en\.hold\] lacks dead_air"):
        registry.validate(registry.ALL)


NEW_RULE = '''
"""Thank the caller (a rule written for the registry test)."""

from callcoach.rules.base import CheckResult, RuleInfo

RULE = RuleInfo(
    id="thanks_count", title="Thank the caller", seeds=("003",), why="Thanks show respect.",
    example="(no thanks)", instead="感谢您的来电。", check="thanks_count", section="",
    weight=7, labels={"zh": "致谢次数", "en": "Thanks said"})


def check(call):
    count = sum(t.text.count("谢") for t in call.agent_turns)
    return CheckResult("pass" if count else "warn", {"count": count})


def detail(figures, language):
    return f"{figures['count']} {'次致谢' if language == 'zh' else 'thanks'}"
'''


def test_a_new_rule_is_one_module_that_scorecard_and_docs_pick_up(tmp_path, monkeypatch):
    (tmp_path / "thanks_count.py").write_text(textwrap.dedent(NEW_RULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("thanks_count")
    registry.validate(registry.ALL + (module,))
    monkeypatch.setattr(registry, "ALL", registry.ALL + (module,))

    card = score_call(transcript_path=SAMPLES / "zh_good_repair.srt", setup=CallSetup(language="zh")).to_dict()
    said = card["checks"]["thanks_count"]["count"]
    assert said >= 1 and card["checks"]["thanks_count"]["status"] == "pass"
    assert card["weights"]["thanks_count"] == 7.0

    console = Console(file=io.StringIO(), width=160, color_system=None)
    console.print(scorecard_view(card))
    shown = console.file.getvalue()
    assert re.search(rf"致谢次数\s*│\s*通过\s*│\s*{said} 次致谢", shown)

    page = docs.rules_markdown()
    assert "## `thanks_count`: Thank the caller" in page and "| `thanks_count` | 7 | 7 |" in page
    assert "**Scorecard check:** `checks.thanks_count` (weight zh 7, en 7)" in docs.explain("thanks_count")
