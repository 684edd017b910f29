"""Records: classes with typed fields, an ``__init__``, ``__eq__`` and ``__repr__``.

This is the part of :mod:`dataclasses` the core uses, made cheap to *define*. Every
pre-commit hook run imports the core's model classes afresh, and a standard dataclass costs
about 0.7 ms to define on the development machine (it compiles generated source for each
class), plus importing :mod:`dataclasses` pulls in :mod:`inspect`, :mod:`ast` and :mod:`dis`.
A record costs about 25 microseconds: its methods are shared closures, not generated code.
The price is a slower constructor (about 1.5 microseconds against 0.6); a record made
thousands of times per run defines its own ``__init__``, which is kept (as are ``__repr__``
and ``__eq__``), as :mod:`dataclasses` does.

Type checkers see records as dataclasses (PEP 681 ``dataclass_transform``), so constructor
calls are checked exactly as before. Semantics follow :mod:`dataclasses`: fields in
annotation order (base classes first), defaults from class attributes or :func:`field`,
``ClassVar`` annotations skipped, equality on fields of the same class, ``frozen=True`` for
immutable, hashable records. :func:`as_dataclass` builds a real dataclass twin for tools
that need one (pydantic publishing the config's JSON Schema).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_kwargs: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


_T = TypeVar("_T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: Marks a field without a default.
MISSING: Any = _Missing()

_MUTABLE_DEFAULTS = (list, dict, set)


class Field:
    """One field of a record: its name, default or default factory, and equality role."""

    __slots__ = ("compare", "default", "default_factory", "name", "shown")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        compare: bool = True,
        shown: bool = True,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("a field cannot have both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.shown = shown

    @property
    def required(self) -> bool:
        """True when the constructor must be given this field."""
        return self.default is MISSING and self.default_factory is MISSING

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] = MISSING,
    compare: bool = True,
    repr: bool = True,  # the dataclasses spelling, which type checkers expect
) -> Any:
    """Describe a field: ``default_factory`` for mutable defaults, ``compare=False`` to leave
    it out of equality and hashing, ``repr=False`` to leave it out of ``repr()``."""
    return Field(default, default_factory, compare, repr)


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, frozen: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: type[_T] | None = None, /, *, frozen: bool = False) -> Any:
    """Make a class with annotated fields a record: ``@record`` or ``@record(frozen=True)``."""

    def wrap(target: type[_T]) -> type[_T]:
        return _build(target, frozen)

    return wrap if cls is None else wrap(cls)


def fields(record_or_class: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in constructor order."""
    found: tuple[Field, ...] | None = getattr(record_or_class, "__record_fields__", None)
    if found is None:
        raise TypeError(f"{record_or_class!r} is not a record")
    return found


def is_record(obj: Any) -> bool:
    """True for a record class or instance."""
    return hasattr(obj, "__record_fields__")


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes`` applied (like :func:`dataclasses.replace`)."""
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    for name in changes:
        if name not in values:
            raise TypeError(f"{type(obj).__name__} has no field {name!r}")
    values.update(changes)
    return type(obj)(**values)


def as_dataclass(cls: type, namespace: dict[type, type] | None = None) -> type:
    """A standard-library dataclass with the same fields, types and defaults as ``cls``.

    Nested records in the field types (``list[Item]``, ``Item | None``) become their own
    twins. For tools that only understand dataclasses; never on the hook path.
    """
    import dataclasses
    import types
    import typing

    twins = {} if namespace is None else namespace
    if cls in twins:
        return twins[cls]
    hints = typing.get_type_hints(cls)

    def twin_type(annotation: Any) -> Any:
        if isinstance(annotation, type) and is_record(annotation):
            return as_dataclass(annotation, twins)
        args = typing.get_args(annotation)
        if not args:
            return annotation
        converted = tuple(twin_type(arg) for arg in args)
        origin = typing.get_origin(annotation)
        if origin is types.UnionType:
            origin = typing.Union
        return origin[converted]

    specs: list[tuple[str, Any, Any]] = []
    for f in fields(cls):
        if f.default_factory is not MISSING:
            default: Any = dataclasses.field(default_factory=f.default_factory)
        elif f.default is not MISSING:
            default = dataclasses.field(default=f.default)
        else:
            default = dataclasses.field()
        specs.append((f.name, twin_type(hints[f.name]), default))
    extra = {
        name: value
        for name, value in vars(cls).items()
        if name in ("__doc__", "__pydantic_config__", "__module__")
    }
    twin = dataclasses.make_dataclass(cls.__name__, specs, namespace=extra)
    twins[cls] = twin
    return twin


def _is_class_var(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return isinstance(text, str) and text.replace("typing.", "").startswith("ClassVar")


def _build(cls: type[_T], frozen: bool) -> type[_T]:
    inherited: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in getattr(base, "__record_fields__", ()):
            inherited[f.name] = f
    own: dict[str, Field] = {}
    # Not inspect.get_annotations: importing inspect is what records exist to avoid.
    annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    for name, annotation in annotations.items():
        if _is_class_var(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            spec = value
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        else:
            if isinstance(value, _MUTABLE_DEFAULTS):
                raise ValueError(
                    f"{cls.__name__}.{name}: mutable default {type(value).__name__}; "
                    "use field(default_factory=...)"
                )
            spec = Field(default=value)
        spec.name = name
        own[name] = spec
    all_fields = {**inherited, **own}
    ordered = tuple(all_fields.values())
    seen_default = False
    for f in ordered:
        if not f.required:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: non-default field {f.name!r} follows a default")
    methods: dict[str, Any] = {
        "__record_fields__": ordered,
        "__record_compared__": tuple(f.name for f in ordered if f.compare),
        "__init__": _make_init(cls.__name__, ordered),
        "__repr__": _repr,
        "__eq__": _eq,
    }
    if frozen:
        methods.update(__setattr__=_frozen_setattr, __delattr__=_frozen_delattr, __hash__=_hash)
    elif "__hash__" not in cls.__dict__:
        methods["__hash__"] = None  # mutable and compared by value: unhashable, as dataclasses
    for name, value in methods.items():
        # Like dataclasses, a method the class defines itself stays (a hand-written
        # __init__ is how a record created thousands of times per run stays cheap).
        if name not in cls.__dict__ or name.startswith("__record_"):
            setattr(cls, name, value)
    return cls


def _make_init(class_name: str, ordered: tuple[Field, ...]) -> Callable[..., None]:
    names = tuple(f.name for f in ordered)
    known = frozenset(names)
    count = len(names)
    # Required fields come first (checked at definition), so positional arguments that cover
    # them leave only defaults to fill: plain ones in one dict update, factories by call.
    required = sum(1 for f in ordered if f.required)
    plain_defaults = {f.name: f.default for f in ordered if f.default is not MISSING}
    factories = tuple(
        (f.name, f.default_factory) for f in ordered if f.default_factory is not MISSING
    )

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > count:
            raise TypeError(
                f"{class_name}() takes {count} positional arguments but {len(args)} were given"
            )
        values = self.__dict__
        values.update(plain_defaults)
        values.update(zip(names, args, strict=False))
        if kwargs:
            for name in kwargs:
                if name not in known:
                    raise TypeError(f"{class_name}() got an unexpected keyword argument {name!r}")
                if names.index(name) < len(args):
                    raise TypeError(f"{class_name}() got multiple values for argument {name!r}")
            values.update(kwargs)
        if len(args) < required:
            for name in names[len(args) : required]:
                if name not in kwargs:
                    raise TypeError(f"{class_name}() missing required argument {name!r}")
        for name, factory in factories:
            if name not in kwargs and names.index(name) >= len(args):
                values[name] = factory()

    __init__.__qualname__ = f"{class_name}.__init__"
    return __init__


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{f.name}={getattr(self, f.name)!r}" for f in self.__record_fields__ if f.shown
    )
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if type(other) is not type(self):
        return NotImplemented
    return all(getattr(self, name) == getattr(other, name) for name in self.__record_compared__)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, name) for name in self.__record_compared__))


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise AttributeError(f"cannot assign to field {name!r} of frozen {type(self).__name__}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise AttributeError(f"cannot delete field {name!r} of frozen {type(self).__name__}")
