"""The PyYAML side of :func:`~release_assistant.core.workflows.parse_yaml`.

Imported only when :mod:`release_assistant.core.workflows.yaml_lite` cannot read a file with
certainty, so the common hook run never pays for importing PyYAML (about 25 ms).

Workflows are parsed with PyYAML's safe loader (the libyaml-backed ``CSafeLoader`` when it is
available: it is several times faster and its composer gives every node a start mark, which
is all the line numbers need). Mappings and sequences are built as
:class:`~release_assistant.core.workflows.YamlMap` and
:class:`~release_assistant.core.workflows.YamlList`, which remember the line of every key,
value and item.

YAML 1.1, which PyYAML implements, reads ``on``/``off``/``yes``/``no`` as booleans, so the
``on:`` key of every workflow would become ``True``. GitHub reads workflows with YAML 1.2
rules, where only ``true``/``false`` are booleans; the loader does the same. YAML 1.2 has no
merge keys either: PyYAML would expand ``<<: *defaults`` into the mapping, GitHub does not, so
the loader keeps ``<<`` as the plain key it is to GitHub (the ``workflow`` check reports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from release_assistant.core.workflows.model import ParsedYaml, WorkflowError, YamlList, YamlMap

try:  # libyaml: much faster; its composer still records node marks.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class MarkedLoader(_BaseLoader):
    """Safe loader that builds :class:`YamlMap`/:class:`YamlList` and reads YAML 1.2 booleans."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        #: ``(key, line, first_line)`` for every key written twice in one mapping.
        self.duplicate_keys: list[tuple[Any, int, int]] = []


def _content_line(node: yaml.Node) -> int:
    """1-based line of a node's content (block scalars start on the line after ``|``/``>``)."""
    line: int = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        line += 1
    return line


_MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_map(loader: MarkedLoader, node: yaml.MappingNode) -> Iterator[YamlMap]:
    data = YamlMap(node.start_mark.line + 1)
    yield data
    # No flatten_mapping(): merge keys stay keys, as GitHub's YAML 1.2 reader leaves them.
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            key: Any = str(key_node.value)
        else:
            key = loader.construct_object(key_node, deep=False)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
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
        data.value_lines[key] = _content_line(value_node)


def _construct_seq(loader: MarkedLoader, node: yaml.SequenceNode) -> Iterator[YamlList]:
    data = YamlList(node.start_mark.line + 1)
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=False))
        data.item_lines.append(_content_line(item))


def _construct_bool(loader: MarkedLoader, node: yaml.ScalarNode) -> bool | str:
    # YAML 1.2 (what GitHub uses): only true/false are booleans; `on`, `yes`, `off` are text.
    text = str(node.value)
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    return text


MarkedLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
MarkedLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
MarkedLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load_yaml(text: str, relpath: str) -> ParsedYaml:
    """Parse one YAML document with PyYAML; :class:`WorkflowError` names a syntax error's line."""
    loader = MarkedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        parts = [part for part in (exc.context, exc.problem) if part]
        raise WorkflowError(relpath, f"invalid YAML: {', '.join(parts)}", line) from None
    except yaml.YAMLError as exc:
        raise WorkflowError(relpath, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return ParsedYaml(data, tuple(loader.duplicate_keys))
