"""Frozen records without the cost of defining a frozen dataclass on every start.

``@dataclass(frozen=True)`` writes the source of each class's ``__init__``, ``__eq__``,
``__hash__``, ``__repr__``, ``__setattr__`` and ``__delattr__`` and compiles it with ``exec``
when the module is imported: about 1 ms a class on the development machine, and the app's
start defined twelve of them before the lesson list was drawn (docs/performance.md, issue
19). A subclass of :class:`Frozen` is declared as a frozen dataclass is (annotated fields,
defaults after the fields without one) and behaves as one for its callers: made by position
or keyword (a missing, unknown or repeated argument is a ``TypeError``), equal to a record of
the same class with equal fields, hashed by its fields, shown as ``Name(field=value, ...)``,
and never changed (assigning or deleting an attribute raises
:class:`dataclasses.FrozenInstanceError`). ``class X(Frozen, order=True)`` also orders records
of one class by their fields, in order. Its methods are shared, written once here, so defining
a record costs about what a plain class does; type checkers read it as a frozen dataclass
(:func:`typing.dataclass_transform`). :func:`replace` and :func:`as_dict` stand in for
:func:`dataclasses.replace` and :func:`dataclasses.asdict` (fields are never copied deeply).

A field's default must be immutable (it is shared, as a dataclass's plain default is); there
is no ``field(default_factory=...)``.
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable
from dataclasses import FrozenInstanceError  # (dataclasses imports inspect)
from typing import Any, ClassVar, TypeVar, dataclass_transform

__all__ = ["Frozen", "as_dict", "replace"]

R = TypeVar("R", bound="Frozen")

_NO_DEFAULT: Any = object()
_CLASS_VARIABLE = ("ClassVar", "typing.ClassVar")


@dataclass_transform(frozen_default=True)
class Frozen:
    """Base of a frozen record: see the module's documentation."""

    __slots__ = ()

    #: The fields, in the order they were declared (a base class's first).
    _fields: ClassVar[tuple[str, ...]] = ()
    _field_set: ClassVar[frozenset[str]] = frozenset()
    #: The fields that have a default, with it.
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, *, order: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names = list(cls._fields)  # inherited from a base record
        for name, annotation in inspect.get_annotations(cls).items():
            if name not in names and not str(annotation).startswith(_CLASS_VARIABLE):
                names.append(name)
        defaults = {
            name: value
            for name in names
            if (value := getattr(cls, name, _NO_DEFAULT)) is not _NO_DEFAULT
        }
        first_default = next((at for at, name in enumerate(names) if name in defaults), len(names))
        if not defaults.keys() >= set(names[first_default:]):
            raise TypeError(f"{cls.__name__}: a field without a default follows one with one")
        cls._fields, cls._field_set, cls._defaults = tuple(names), frozenset(names), defaults
        setattr(cls, "__match_args__", tuple(names))  # noqa: B010 - (mypy: not declared)
        if order:
            for name, compare in _ORDER.items():
                setattr(cls, name, _ordered(compare))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        if not kwargs and len(args) == len(names):  # the common case: every field by position
            self.__dict__.update(zip(names, args, strict=True))
            return
        name = type(self).__name__
        if len(args) > len(names):
            raise TypeError(f"{name}() takes {len(names)} arguments but {len(args)} were given")
        values = dict(zip(names, args, strict=False))
        if kwargs:
            if twice := values.keys() & kwargs.keys():
                raise TypeError(f"{name}() got multiple values for argument {min(twice)!r}")
            if unknown := kwargs.keys() - self._field_set:
                raise TypeError(f"{name}() got an unexpected keyword argument {min(unknown)!r}")
            values.update(kwargs)
        if len(values) < len(names):
            for field, default in self._defaults.items():
                values.setdefault(field, default)
            if missing := [field for field in names if field not in values]:
                raise TypeError(f"{name}() missing required argument: {', '.join(missing)}")
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        fields = self.__dict__
        return tuple([fields[name] for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self.__dict__ == other.__dict__)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = self.__dict__
        shown = ", ".join(f"{name}={fields[name]!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"


def _ordered(compare: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Any:
    """An ordering method of ``order=True`` records: fields compared in order, as a tuple."""

    def method(self: Frozen, other: object) -> object:
        if other.__class__ is self.__class__ and isinstance(other, Frozen):
            return bool(compare(self._values(), other._values()))
        return NotImplemented

    return method


_ORDER = {
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
}


def replace(record: R, /, **changes: Any) -> R:
    """A copy of ``record`` with ``changes`` to some of its fields (as
    :func:`dataclasses.replace`); an unknown field is a ``TypeError``."""
    return type(record)(**{**record.__dict__, **changes})


def as_dict(record: Frozen) -> dict[str, Any]:
    """The fields of ``record`` as a new dict, in their declared order (values not copied)."""
    fields = record.__dict__
    return {name: fields[name] for name in record._fields}
