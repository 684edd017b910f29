"""PEP 503 names, PEP 440 specifiers and PEP 508 markers, compared the way uv compares them.

Parsing, normalizing and evaluating are ``packaging``'s public API (``canonicalize_name``,
``canonicalize_version``, ``SpecifierSet``, ``Marker`` and ``Marker.evaluate``). What
``packaging`` lacks, this package adds, one module per concern:

- :mod:`.names`: PEP 503 names (:func:`~.names.canonical_name`);
- :mod:`.specifiers`: uv's equality of specifier sets (:func:`~.specifiers.specifier_key`,
  :func:`~.specifiers.specifiers_equivalent`);
- :mod:`.bounds`: :class:`~.bounds.PythonBounds`, the bounding range of a
  ``requires-python`` specifier set;
- :mod:`.markers`: the marker model (:class:`~.markers.Marker` over ``Leaf``/``Junction``/
  ``Negation``/``Const`` expressions), parsing and its algebra (``make_and``, ``marker_and``...);
- :mod:`.analysis`: one marker rewritten into uv's marker model (:func:`~.analysis.analyse`);
- :mod:`.equivalence`: semantic marker comparison (:func:`~.equivalence.markers_equivalent`,
  :func:`~.equivalence.is_satisfiable`);
- :mod:`.plain`: plain requirement strings, markers and specifier sets in ``packaging``'s
  spelling without importing it, and the textual shortcut :func:`~.plain.same_conjunction`.

``packaging`` is imported lazily, and only when a value needs parsing: ``packaging.utils`` and
``packaging.specifiers`` import ``packaging.tags`` (with ``subprocess``, ``platform``,
``logging``), a large share of a pre-commit hook's run on a project that has nothing to
compare. The marker modules are kept off that path the same way: :mod:`.names`,
:mod:`.specifiers` and :mod:`.bounds` import none of them at import time (marker types only
under ``TYPE_CHECKING``, marker functions inside the functions that handle markers), because
defining the marker dataclasses and compiling their patterns is most of what importing this
package used to cost a ``check-lock-file`` run on a lock with no marker to compare.

This ``__init__`` holds only :class:`Undecidable`, which callers catch around any marker
comparison without importing the marker modules themselves.
"""

from release_assistant.core.support.errors import InternalError


class Undecidable(InternalError):
    """A marker uses a construct this module cannot evaluate faithfully."""
