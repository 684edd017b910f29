"""The fast changelog parser agrees with the plain line-by-line reading it replaced.

``parse_changelog`` visits only candidate lines (found by one regex) and slices section
bodies out of the text, because the pre-commit hook parses the whole changelog on every
commit. ``reference_parse`` below is the straightforward per-line parser it replaced, kept
here as the oracle: both must give the same sections, bodies and links on every input.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from release_assistant.core.changelog.headings import _section_from_heading
from release_assistant.core.changelog.parser import Changelog, parse_changelog
from release_assistant.core.changelog.sections import LinkDefinition

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")
_LINK_DEF = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*(?P<url>\S+)")


@dataclass
class _RefSection:
    head: Any
    body_lines: list[tuple[int, str]] = field(default_factory=list)


def reference_parse(text: str) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, int]]]:
    """The original per-line parser, reduced to comparable tuples."""
    sections: list[_RefSection] = []
    links: list[LinkDefinition] = []
    fence: str | None = None
    current: _RefSection | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group("fence")
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            if current is not None:
                current.body_lines.append((number, line))
            continue
        if fence is not None:
            if current is not None:
                current.body_lines.append((number, line))
            continue
        heading = _HEADING.match(line)
        if heading and len(heading.group("hashes")) <= 2:
            current = None
            if len(heading.group("hashes")) == 2:
                current = _RefSection(_section_from_heading(number, heading.group("text")))
                sections.append(current)
            continue
        link = _LINK_DEF.match(line)
        if link:
            links.append(LinkDefinition(link.group("label"), link.group("url"), number))
        if current is not None:
            current.body_lines.append((number, line))
    return (
        [(*_head(s.head), s.body_lines, _ref_is_empty(s.body_lines)) for s in sections],
        [(link.label, link.url, link.line) for link in links],
    )


def _ref_is_empty(body_lines: list[tuple[int, str]]) -> bool:
    for _, text in body_lines:
        stripped = text.strip()
        if not stripped or stripped.startswith("#") or _LINK_DEF.match(text):
            continue
        return False
    return True


def _head(section: Any) -> tuple[Any, ...]:
    return (
        section.line,
        section.heading,
        section.label,
        section.version_text,
        section.version,
        section.date,
        section.bracketed,
        section.has_inline_link,
    )


def fast_parse(text: str) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, int]]]:
    parsed: Changelog = parse_changelog(text)
    return (
        [(*_head(s), s.body_lines, s.is_empty) for s in parsed.sections],
        [(link.label, link.url, link.line) for link in parsed.links],
    )


PIECES = [
    "## [1.0.0] - 2026-01-01",
    "## [1.0.0] - 2026-01-01 ##",
    "##  [2.0.0]\t-\t2026-02-02  ",
    "## [1.x] - 2026-01-01",
    "## [1.0.0] - 2026-1-1",
    "## [1.0.0rc1+local.7] - 2026-01-01",
    "## [Unreleased] - 2026-01-01",
    "## [1.0.0] - 2026-01-01 [YANKED]",
    "## 2.0",
    "## v1.2 (2026-01-01)",
    "## [1.0.0](https://example.invalid/c) - 2026-01-01",
    "## [Unreleased]",
    "## Unreleased",
    "## [Notes]",
    "## a # ",
    "## ###",
    "##\tx",
    "## #foo ##",
    "## 1.0 ##  ",
    "##",
    "## ",
    "# Title",
    "#\tT",
    "#\u3000wide space",
    "#",
    "### Sub",
    "###### six",
    "####### seven",
    "- note",
    "text",
    "",
    "   ",
    "```",
    "````",
    " ```md",
    "\t```",
    "    ```",
    "~~~",
    "~~~~~",
    "[1.0.0]: https://example.invalid/1",
    "  [a]: b",
    "   [yes]: x",
    "    [no]: x",
    "\x0c[q]: r",
    "[x]",
]


@pytest.mark.parametrize("seed", range(8))
def test_fast_parser_matches_the_reference_on_random_documents(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(2500):
        lines = [rng.choice(PIECES) for _ in range(rng.randint(0, 14))]
        text = "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")
        assert fast_parse(text) == reference_parse(text), repr(text)
        parsed = parse_changelog(text)
        # The labels found without building the definitions are the definitions' labels.
        assert parsed.link_labels == {link.label.lower() for link in parsed.links}, repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "## 1.0",
        "## 1.0\n",
        "## 1.0\n## 0.9\n",
        "## 1.0\n\n## 0.9",
        "# T\n## 1.0\n- a\n# Other\n- not in a section\n## 0.9\n- b",
        "## 1.0\n```\n## 9.9\n[x]: y\n```\n[1.0]: https://example.invalid\n",
        "## 1.0\n~~~\n```\n## 9.9\n~~~\n## 0.9\n",
        "## 1.0\n````\n```\n## 9.9\n````\n",
    ],
)
def test_fast_parser_matches_the_reference_on_edge_cases(text: str) -> None:
    assert fast_parse(text) == reference_parse(text)


def test_section_body_is_the_text_under_its_heading() -> None:
    parsed = parse_changelog("# Changelog\n\n## [1.1.0] - 2026-01-02\n\n- a\n- b\n\n## 1.0.0\n")
    first, second = parsed.sections
    assert first.body == "\n- a\n- b\n"
    assert first.body_lines[1] == (5, "- a")
    assert second.body == ""
    assert second.is_empty


def test_ten_thousand_sections_parse_in_linear_time() -> None:
    def changelog(sections: int) -> str:
        parts = ["# Changelog\n\n## [Unreleased]\n"]
        for i in range(sections, 0, -1):
            parts.append(f"## [{i // 100}.{i % 100}.0] - 2020-01-01\n\n### Added\n\n- {i}\n")
        return "\n".join(parts)

    def best_of_three(text: str) -> float:
        # The collector's passes grow with the objects alive, not with the parser's work;
        # the pre-commit hook freezes it too (hooks/common.run_hook).
        import gc

        timings = []
        gc.disable()
        try:
            for _ in range(5):
                started = time.perf_counter()
                parse_changelog(text)
                timings.append(time.perf_counter() - started)
        finally:
            gc.enable()
        return min(timings)

    small, large = changelog(1_000), changelog(10_000)
    assert len(parse_changelog(large).sections) == 10_001
    # Ten times the input may cost ten times the time, not a hundred; 25x leaves room for
    # a noisy shared machine while still failing a quadratic parser.
    assert best_of_three(large) < 25 * best_of_three(small)
