"""The YAML nodes every workflow reader builds: mappings and sequences that remember lines.

Shared by the fast block reader (:mod:`.yaml_lite`), the YAML 1.2 loader (:mod:`.yaml_loader`)
and the workflow model (:mod:`.model`), which imports both readers: the nodes live apart so
no reader imports the model back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from release_assistant.core.rules.rule import Rule

from release_assistant.core.support.errors import InputError


class YamlMap(dict[Any, Any]):
    """A YAML mapping that remembers where it, each key and each value start (1-based lines)."""

    line: int
    key_lines: dict[Any, int]
    value_lines: dict[Any, int]

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines = {}
        self.value_lines = {}

    def line_of(self, key: Any, default: int | None = None) -> int:
        """The line of ``key`` (or ``default``, or the mapping's own line)."""
        return self.key_lines.get(key, default if default is not None else self.line)

    def value_line(self, key: Any) -> int:
        """The line where the value of ``key`` starts (its first content line)."""
        return self.value_lines.get(key, self.line_of(key))


class YamlList(list[Any]):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int
    item_lines: list[int]

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines = []

    def line_at(self, index: int) -> int:
        """The line of item ``index``."""
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class WorkflowError(InputError):
    """A workflow file is not valid YAML or not a workflow; ``str()`` names file and line."""

    def __init__(
        self, path: str, message: str, line: int | None = None, rule: Rule | None = None
    ) -> None:
        if rule is None:
            # Imported here: the hooks that read workflow files only to look at them (the
            # changelog hook's release-bot detection) never load the workflow rules.
            from release_assistant.core.rules.workflow import INVALID_WORKFLOW

            rule = INVALID_WORKFLOW
        self.path = path
        self.message = message
        self.line = line
        #: The rule that reports it (RA602 invalid; RA640 read differently by readers).
        self.rule: Rule = rule
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


@dataclass(slots=True)
class ParsedYaml:
    """A parsed YAML document and the keys it repeats."""

    data: Any
    duplicate_keys: tuple[tuple[Any, int, int], ...]
