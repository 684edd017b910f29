"""Records behave like the dataclasses they replace on the hook path."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import ClassVar

import pytest

from release_assistant.core.support.records import (
    as_dataclass,
    field,
    fields,
    is_record,
    record,
    replace,
)


@record
class Item:
    """An item."""

    limit: ClassVar[int] = 3
    name: str
    count: int = 1
    tags: list[str] = field(default_factory=list)
    note: str | None = field(default=None, compare=False, repr=False)


@record(frozen=True)
class Point:
    x: int
    y: int = 0


@record
class Labelled(Item):
    label: str = ""


@record
class Holder:
    items: list[Item] = field(default_factory=list)
    point: Point | None = None


def test_constructor_binds_positional_keyword_and_defaults() -> None:
    item = Item("a", tags=["x"])
    assert (item.name, item.count, item.tags, item.note) == ("a", 1, ["x"], None)
    assert fields(Item)[0].name == "name"
    assert [f.name for f in fields(item)] == ["name", "count", "tags", "note"]


def test_default_factory_gives_each_instance_its_own_value() -> None:
    first, second = Item("a"), Item("b")
    first.tags.append("x")
    assert second.tags == []


def test_class_vars_are_not_fields() -> None:
    assert "limit" not in [f.name for f in fields(Item)]
    assert Item.limit == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Item(), "missing required argument 'name'"),
        (lambda: Item("a", unknown=1), "unexpected keyword argument 'unknown'"),
        (lambda: Item("a", name="b"), "multiple values for argument 'name'"),
        (lambda: Item("a", 1, [], None, "extra"), "takes 4 positional arguments but 5"),
    ],
)
def test_bad_calls_fail_like_a_function(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(TypeError, match=message):
        call()


def test_equality_uses_compared_fields_of_the_same_class() -> None:
    assert Item("a", note="one") == Item("a", note="two")
    assert Item("a") != Item("a", count=2)
    assert Item("a") != Labelled("a")
    assert Item("a").__eq__(("a", 1)) is NotImplemented


def test_mutable_records_are_unhashable_and_frozen_ones_hash_by_value() -> None:
    with pytest.raises(TypeError):
        hash(Item("a"))
    assert len({Point(1), Point(1), Point(2)}) == 2
    with pytest.raises(AttributeError, match="frozen Point"):
        Point(1).x = 2  # type: ignore[misc]


def test_repr_shows_fields_in_order_without_hidden_ones() -> None:
    assert repr(Item("a", note="secret")) == "Item(name='a', count=1, tags=[])"
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"


def test_subclass_fields_follow_the_base_fields() -> None:
    labelled = Labelled("a", 2, label="L")
    assert [f.name for f in fields(Labelled)] == ["name", "count", "tags", "note", "label"]
    assert (labelled.count, labelled.label) == (2, "L")


def test_replace_copies_with_changes_and_rejects_unknown_names() -> None:
    point = Point(1, 2)
    assert replace(point, y=5) == Point(1, 5)
    assert point == Point(1, 2)
    with pytest.raises(TypeError, match="no field 'z'"):
        replace(point, z=1)


def test_definition_errors_are_caught_when_the_class_is_defined() -> None:
    with pytest.raises(ValueError, match="mutable default list"):

        @record
        class Bad:
            values: list[int] = []  # noqa: RUF012  (the mistake under test)

    with pytest.raises(TypeError, match="non-default field 'b' follows a default"):

        @record
        class Order:
            a: int = 0
            b: int  # type: ignore[misc]


def test_is_record_and_fields_reject_other_classes() -> None:
    assert is_record(Item) and is_record(Item("a"))
    assert not is_record(object())
    with pytest.raises(TypeError, match="is not a record"):
        fields(object)


def test_as_dataclass_builds_twins_with_the_same_fields_and_nested_twins() -> None:
    twin = as_dataclass(Holder)
    assert dataclasses.is_dataclass(twin)
    assert [f.name for f in dataclasses.fields(twin)] == ["items", "point"]
    holder = twin()
    assert holder.items == [] and holder.point is None
    item_twin = as_dataclass(Item)
    assert item_twin.__doc__ == "An item."
    assert repr(item_twin("a")).startswith("Item(name='a', count=1, tags=[]")


def test_defining_records_never_imports_dataclasses() -> None:
    code = (
        "import sys\n"
        "from release_assistant.core.support.records import record, field\n"
        "@record\n"
        "class A:\n"
        "    a: int\n"
        "    b: list[int] = field(default_factory=list)\n"
        "assert A(1) == A(1)\n"
        "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
