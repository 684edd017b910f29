"""The ruamel.yaml side of :func:`~release_assistant.core.workflows.workflow.parse_yaml`: YAML 1.2.

GitHub reads workflows as YAML 1.2. PyYAML implements YAML 1.1, which differs in ways an
attacker can use (``on``/``yes``/``off`` are booleans there, ``<<`` merges mappings, and
U+2028 is a line break that can end a comment early). This loader uses ruamel.yaml's safe,
pure-Python parser with the YAML 1.2 core schema, whatever ``%YAML`` directive the file
carries, and builds mappings and sequences as
:class:`~release_assistant.core.workflows.YamlMap` and
:class:`~release_assistant.core.workflows.YamlList`, which remember the line of every key,
value and item (from the nodes' start marks).

Where YAML readers disagree the file gets no guess:

* U+2028, U+2029 and U+0085 are line breaks to YAML 1.1 (and to ruamel's scanner) but not
  to YAML 1.2: a text containing one is refused (:class:`WorkflowError` with code
  ``RA640`` and the line), since tools would read two different workflows from it;
* ``<<`` (a YAML 1.1 merge key) and ``=`` (a YAML 1.1 value key) stay the plain keys they are
  in YAML 1.2; :func:`~release_assistant.core.workflows.build_workflow` reports them;
* a key written twice is kept (the last value, as most readers do) and listed in
  :attr:`~release_assistant.core.workflows.ParsedYaml.duplicate_keys`.

Imported only when :mod:`.yaml_lite` cannot read a file with certainty:
importing ruamel.yaml costs about 35 ms, parsing a workflow with it a few more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from release_assistant.core.rules.workflow import AMBIGUOUS_YAML
from release_assistant.core.workflows.yaml_nodes import ParsedYaml, WorkflowError, YamlList, YamlMap

#: Characters YAML 1.1 (and ruamel's scanner) reads as line breaks and YAML 1.2 does not.
AMBIGUOUS_BREAKS = {
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
    "\x85": "U+0085 NEXT LINE",
}


class _Resolver(VersionedResolver):
    """YAML 1.2 core-schema resolution, whatever ``%YAML`` directive the document has."""

    @property
    def processing_version(self) -> Any:
        # GitHub reads every workflow as YAML 1.2; a `%YAML 1.1` directive must not switch
        # this reader to 1.1 rules (`on:` would become a boolean).
        return (1, 2)


class MarkedConstructor(SafeConstructor):
    """Safe constructor that builds :class:`YamlMap`/:class:`YamlList` with line marks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: ``(key, line, first_line)`` for every key written twice in one mapping.
        self.duplicate_keys: list[tuple[Any, int, int]] = []


def _content_line(node: Node) -> int:
    """1-based line of a node's content (block scalars start on the line after ``|``/``>``)."""
    line: int = node.start_mark.line + 1
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        line += 1
    return line


#: Tags YAML 1.1 gives to the plain scalars ``<<`` and ``=``; in YAML 1.2 they are text.
_TEXT_TAGS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _construct_map(loader: MarkedConstructor, node: MappingNode) -> Iterator[YamlMap]:
    data = YamlMap(node.start_mark.line + 1)
    yield data
    # No flatten_mapping(): merge keys stay keys, as GitHub's YAML 1.2 reader leaves them.
    for key_node, value_node in node.value:
        if key_node.tag in _TEXT_TAGS:
            key: Any = str(key_node.value)
        else:
            key = loader.construct_object(key_node, deep=False)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        key_line = key_node.start_mark.line + 1
        if key in data.key_lines:
            loader.duplicate_keys.append((key, key_line, data.key_lines[key]))
        data[key] = loader.construct_object(value_node, deep=False)
        data.key_lines[key] = key_line
        if isinstance(value_node, ScalarNode) and value_node.value == "" and not value_node.style:
            # An empty value (null) is placed by ruamel.yaml at the next token, which can be
            # the next key or past the end; the line to edit is the key's.
            data.value_lines[key] = key_line
        else:
            data.value_lines[key] = _content_line(value_node)


def _construct_seq(loader: MarkedConstructor, node: SequenceNode) -> Iterator[YamlList]:
    data = YamlList(node.start_mark.line + 1)
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.item_lines.append(_content_line(item))


def _construct_text(loader: MarkedConstructor, node: ScalarNode) -> str:
    return str(node.value)


MarkedConstructor.add_constructor("tag:yaml.org,2002:map", _construct_map)
MarkedConstructor.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
for _tag in _TEXT_TAGS:
    MarkedConstructor.add_constructor(_tag, _construct_text)


def _first_ambiguous(text: str) -> tuple[str, int] | None:
    """The first character YAML 1.1 and 1.2 readers split lines at differently, and its line.

    Lines are counted the YAML 1.2 way (``\\n``, ``\\r\\n`` or ``\\r``), as GitHub shows them.
    """
    found = [(text.find(char), char) for char in AMBIGUOUS_BREAKS if char in text]
    if not found:
        return None
    index, char = min(found)
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    return AMBIGUOUS_BREAKS[char], before.count("\n") + 1


def _parser() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = MarkedConstructor
    yaml.Resolver = _Resolver
    return yaml


def load_yaml(text: str, relpath: str) -> ParsedYaml:
    """Parse one YAML 1.2 document; :class:`WorkflowError` names the line of what is wrong."""
    ambiguous = _first_ambiguous(text)
    if ambiguous is not None:
        name, line = ambiguous
        raise WorkflowError(
            relpath,
            f"{name} in the file: YAML 1.1 readers (and PyYAML-based tools) break the line "
            "there, YAML 1.2 readers such as GitHub's do not, so they read different "
            "workflows",
            line,
            rule=AMBIGUOUS_YAML,
        )
    yaml = _parser()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where: int | None = mark.line + 1 if mark is not None else None
        parts = [part for part in (exc.context, exc.problem) if part]
        raise WorkflowError(relpath, f"invalid YAML: {', '.join(parts)}", where) from None
    except ReaderError as exc:
        # A character YAML does not allow (a control character, a lone surrogate...).
        at: int | None = text[: exc.position].count("\n") + 1 if exc.position >= 0 else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        raise WorkflowError(
            relpath, f"invalid YAML: character U+{code:04X} is not allowed in YAML", at
        ) from None
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkflowError(relpath, f"invalid YAML: {first}") from None
    except RecursionError:
        raise WorkflowError(relpath, "invalid YAML: nested too deeply to read") from None
    constructor = yaml.constructor
    assert isinstance(constructor, MarkedConstructor)
    return ParsedYaml(data, tuple(constructor.duplicate_keys))
