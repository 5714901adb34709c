"""The documentation stands on its own: docs/course.md states the course every rule enforces, with its sources, and
nothing in the project points outside the repository (a user's clone has only the repository)."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

from callcoach.rules import ALL, docs
from conftest import REPO

COURSE = (REPO / "docs" / "course.md").read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = unicodedata.normalize("NFKC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    headings = {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", markdown, re.M)}
    return headings | set(re.findall(r'<a id="([^"]+)"></a>', markdown))


def test_nothing_refers_to_files_outside_the_repository():
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"\.\./shared|/work/shared|ETIQUETTE\.md")
    offenders = []
    for name in listed:
        path = REPO / name
        if path.suffix in (".wav", ".png") or not path.is_file() or name == "tests/test_docs.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if outside.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


def test_every_rule_and_its_seeds_are_in_the_course():
    anchors = _anchors(COURSE)
    for module in ALL:
        rule = module.RULE
        assert f"`{rule.id}`" in COURSE, f"docs/course.md does not name the rule {rule.id!r}"
        for seed in rule.seeds:
            assert f"seed-{seed}" in anchors, f"docs/course.md has no section for seed {seed} ({rule.id})"


def test_the_course_links_resolve():
    anchors = _anchors(COURSE)
    links = re.findall(r"\]\(#([^)]+)\)", COURSE)
    assert links, "the course's table of rules links to its sections"
    assert sorted(set(links) - anchors) == []
    for target in re.findall(r"\]\(([^)#]+\.md)[^)]*\)", COURSE):
        assert (REPO / "docs" / target).is_file(), target


def test_callcoach_rules_points_each_seed_to_the_course():
    text = docs.explain("hold")
    assert "docs/course.md#seed-003" in text and "(course.md#seed-003)" in text
    listed = subprocess.run(
        [sys.executable, "-m", "callcoach", "rules"], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert listed.returncode == 0 and "docs/course.md" in listed.stdout
