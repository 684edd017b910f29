"""``release-assistant explain``: the registry's hand-broken prose is reflowed by paragraph."""

from __future__ import annotations

import pytest

from release_assistant.cli.main import main
from release_assistant.core.rules import explain
from release_assistant.core.rules.rule import fix_paragraphs


def explained(capsys: pytest.CaptureFixture[str], key: str) -> list[str]:
    assert main(["explain", key]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_hand_broken_sentence_is_one_paragraph(capsys: pytest.CaptureFixture[str]) -> None:
    lines = explained(capsys, "invalid-publisher")
    start = lines.index("Fix:") + 1
    fix = lines[start : lines.index("", start)]
    # The registry's source breaks after "on the"; the paragraph is reflowed across it, so
    # no line holds a lone word mid-paragraph, and the first line is filled.
    assert "  the" not in fix and "  index (project > Settings > Publishing, or the" not in fix
    assert " ".join(line.strip() for line in fix).startswith(
        "Compare the values `release-assistant setup` prints with the publisher registered "
        "on the index (project > Settings > Publishing, or the pending publisher on your "
        "account page)."
    )
    assert len(fix[0]) > 80
    # The sentence that ends a line starts the next statement on its own line.
    assert "  Run `release-assistant check --only workflow,publisher` first." in fix
    assert all(len(line) <= 88 for line in lines)


def test_snippets_and_commands_stay_verbatim() -> None:
    rule = explain("RA620")
    assert rule is not None
    assert fix_paragraphs(rule.fix) == [
        "  Give the publish job (only it) the permission:",
        "    permissions:",
        "      id-token: write",
    ]
    assert fix_paragraphs("on:\n  release:\n    types: [published]") == [
        "  on:",
        "    release:",
        "      types: [published]",
    ]
    # A line ending a statement (a command, "a pattern:") keeps the next one apart.
    assert fix_paragraphs("pip install x   (or: pipx install x)\nSet A=1 to use it.") == [
        "  pip install x   (or: pipx install x)",
        "  Set A=1 to use it.",
    ]
    assert fix_paragraphs("Fix it in the file or set\nversion = 1 under [project].") == [
        "  Fix it in the file or set version = 1 under [project]."
    ]
    assert fix_paragraphs("One.\n\nTwo.") == ["  One.", "", "  Two."]
