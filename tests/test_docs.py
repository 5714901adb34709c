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


def _readme_setup_commands() -> tuple[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Set-up \(two commands\).*?```sh\n(.*?)```", readme, re.S)
    assert block, "README has no set-up block"
    commands = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2, commands
    return commands[0], commands[1]


def test_ci_runs_exactly_the_readme_test_command_in_a_virtual_environment():
    install, tests = _readme_setup_commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci, ".ci/run must run the README's test command as written"
    for command in (install, tests):
        assert "python3 -m venv .venv" in command and "--break-system-packages" not in command
        assert "pip install" not in command.split(".venv/bin/python -m pip install")[0]  # no pip outside .venv
    assert "--test" not in install and "--test" in tests  # scoring needs no test tools
    assert ci.index(tests) > max(i for i, line in enumerate(ci) if "mypy callcoach" in line)  # checks first
