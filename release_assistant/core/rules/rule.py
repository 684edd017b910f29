"""The :class:`Rule` record: everything the tool says about one finding code, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from release_assistant.core.findings import Severity

#: The reference every rule's ``anchor`` points into (generated from this registry).
RULES_DOC = "docs/rules.md"


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding code (``RA604``) or one publish-time symptom (``invalid-publisher``).

    ``severity`` is the default the engine gives every finding of this code (config can
    override it per code); ``contextual`` rules keep the severity the check chose, because
    the same cause weighs differently by context (the check's docstring says how).
    ``collapse`` folds repeated findings of the code in one check result into one finding
    with a count, so a style problem repeated through history is reported once.
    """

    code: str
    title: str
    cause: str
    fix: str
    docs: str | None = None
    aliases: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR
    contextual: bool = False
    collapse: bool = False
    check: str = ""

    @property
    def anchor(self) -> str:
        """The rule's section in the generated reference, e.g. ``docs/rules.md#ra604``."""
        return f"{RULES_DOC}#{self.code.lower()}"

    def weight(self) -> str:
        """The default severity as the reference states it (``error``, or ``set by context``)."""
        return "set by context" if self.contextual else self.severity.value

    def as_text(self, asked: str | None = None) -> str:
        """The rule as plain text for a terminal, headed by the code that was ``asked``."""
        key = asked.upper() if asked and self.code.endswith("xx") else self.code
        lines = [f"{key}: {self.title}", ""]
        if self.check:
            lines += [f"Check: {self.check} · severity: {self.weight()}", ""]
        lines += ["Cause:", _fill(self.cause), "", "Fix:", *fix_paragraphs(self.fix)]
        if self.docs:
            lines += ["", f"More: {self.docs}"]
        return "\n".join(lines) + "\n"


#: A prose line ending in one of these ends its paragraph: the next line is a statement of
#: its own (a command, a ``key = value`` line after "a pattern:").
_PARAGRAPH_ENDS = (".", ":", ")", "!", "?", ";")


def fix_paragraphs(text: str) -> list[str]:
    """``text`` as indented terminal lines: prose reflowed by paragraph, snippets verbatim.

    The registry breaks long prose lines by hand; those breaks are not paragraphs. A
    non-indented line continues the prose line before it unless that line ends a sentence
    or introduces something (``.``, ``:``, ``)``); indented lines (YAML, commands) and the
    lines after them are kept as they are written.
    """
    paragraphs: list[str] = []
    joinable = False
    for line in text.split("\n"):
        if line.startswith(" "):
            paragraphs.append(f"  {line}")
            joinable = False
        elif joinable and paragraphs:
            paragraphs[-1] = f"{paragraphs[-1]} {line.strip()}"
            joinable = not line.rstrip().endswith(_PARAGRAPH_ENDS)
        else:
            paragraphs.append(line.strip())
            joinable = bool(line.strip()) and not line.rstrip().endswith(_PARAGRAPH_ENDS)
    return [line if line.startswith("  ") else _fill(line) if line else "" for line in paragraphs]


def _fill(text: str) -> str:
    import textwrap  # only `explain` and the walkthrough format text; hooks never do

    return textwrap.fill(
        text, width=88, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
    )
