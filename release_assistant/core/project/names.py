"""The distribution's name and the module it installs, as the project's metadata declares them.

``[project].name``, ``[tool.poetry].name`` or ``setup.cfg [metadata] name``; flit's module
(``[tool.flit.module] name``, else the name as a module name). ``setup.cfg``'s ``[metadata]``
is read here for the version sources too.
"""

from __future__ import annotations

import os
import re
from typing import Any

from release_assistant.core.support.confined import read_text_inside
from release_assistant.core.support.textfiles import FileProblem


def setup_cfg_metadata(root: str) -> dict[str, str] | None:
    """``setup.cfg``'s ``[metadata]`` options (``None`` without the file or the section);
    ``_sections`` lists the file's sections."""
    path = os.path.join(root, "setup.cfg")
    if not os.path.isfile(path):
        return None
    import configparser  # only for projects that still describe themselves in setup.cfg

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(read_text_inside(root, "setup.cfg", "setup.cfg"), source=path)
    except (configparser.Error, FileProblem):
        return None
    if not parser.has_section("metadata"):
        return {"_sections": " ".join(parser.sections())} if parser.sections() else None
    options = dict(parser.items("metadata"))
    options["_sections"] = " ".join(parser.sections())
    return options


def flit_module(pyproject: dict[str, Any]) -> str:
    """The module flit builds: ``[tool.flit.module] name``, else the project name as a
    module name (``My-Package`` -> ``my_package``)."""
    flit = pyproject.get("tool", {}).get("flit", {})
    module = flit.get("module", {}) if isinstance(flit, dict) else {}
    if isinstance(module, dict) and isinstance(module.get("name"), str):
        return str(module["name"])
    return module_name(project_name(pyproject) or "")


def module_name(name: str) -> str:
    """A distribution name as the module it usually installs (``My-Package`` ->
    ``my_package``)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def project_name(pyproject: dict[str, Any] | None, root: str | None = None) -> str | None:
    """The distribution name: ``[project].name``, ``[tool.poetry].name``, or (given the
    ``root``) ``setup.cfg [metadata] name``."""
    if pyproject is not None:
        project = pyproject.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            return str(project["name"])
        poetry = pyproject.get("tool", {}).get("poetry")
        if isinstance(poetry, dict) and isinstance(poetry.get("name"), str):
            return str(poetry["name"])
    if root is not None:
        metadata = setup_cfg_metadata(root)
        if metadata is not None and metadata.get("name"):
            return metadata["name"].strip()
    return None
