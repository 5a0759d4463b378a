"""A node model's check of a row's fields, one field at a time, each distinct value once.

A file of 100,000 rows states a few hundred distinct dates, levels, modes and countries,
and the model's check of a field is the same on every row. The node models have no
validator of their own (checked below), so a model accepts a set of fields exactly when
each field's own check accepts its value, and what it dumps of a field depends on that
value alone: the result is kept per value. Plain text fields are checked in place (a
``str`` is itself, a ``min_length`` its length, a list of texts a copy), since nearly
every value of a title or a description is new. A set of fields the checks refuse goes
through the model itself, which says why in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import annotated_types
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from graph.schema import NodeKind, model_for

#: What a field's check gives for a value it refuses.
_REFUSED = object()


def _key(value: Any) -> Any:
    """What a value is kept under: lists as tuples; a float by its text (``-0.0`` is not
    ``0.0`` once dumped, though the two are equal)."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _list_check(info: FieldInfo) -> Callable[[Any], Any] | None:
    """The check of a list of texts without bounds, done in place; None for another field."""
    if info.annotation != list[str] or info.metadata:
        return None

    def check(value: Any) -> Any:
        if type(value) is not list or any(type(item) is not str for item in value):
            return _REFUSED
        return list(value)

    return check


def _text_check(info: FieldInfo) -> Callable[[Any], Any] | None:
    """The check of a plain text field (``str``, or ``str | None``, with at most a length
    bound), done in place; None for any other field."""
    optional = info.annotation == (str | None)
    if info.annotation is not str and not optional:
        return None
    shortest, longest = 0, None
    for bound in info.metadata:
        if isinstance(bound, annotated_types.MinLen):
            shortest = bound.min_length
        elif isinstance(bound, annotated_types.MaxLen):
            longest = bound.max_length
        else:
            return None

    def check(value: Any) -> Any:
        if value is None:
            return None if optional else _REFUSED
        if type(value) is not str or len(value) < shortest:
            return _REFUSED
        return value if longest is None or len(value) <= longest else _REFUSED

    return check


def _kept_check(info: FieldInfo) -> Callable[[Any], Any]:
    """The field's own pydantic check, its JSON dump kept per value."""
    annotated: Any = Annotated[info.annotation, info]  # the field as the model declares it
    adapter: TypeAdapter[Any] = TypeAdapter(annotated)
    kept: dict[Any, Any] = {}

    def check(value: Any) -> Any:
        key = _key(value)
        try:
            return kept[key]
        except KeyError:
            pass
        try:
            dumped = adapter.dump_python(adapter.validate_python(value), mode="json")
        except ValidationError:
            dumped = _REFUSED
        kept[key] = dumped
        return dumped

    return check


class FieldChecks:
    """The checks of one node model's fields, with what each kept."""

    def __init__(self, model: type[BaseModel]) -> None:
        decorators = model.__pydantic_decorators__
        if decorators.model_validators or decorators.field_validators or decorators.validators:
            raise TypeError(f"{model.__name__} has validators: its fields cannot be checked apart")
        self.model = model
        self._checks = {
            name: _text_check(info) or _list_check(info) or _kept_check(info)
            for name, info in model.model_fields.items()
        }

    def dump(self, fields: dict[str, Any]) -> dict[str, Any] | None:
        """``model.model_validate(fields).model_dump(mode="json", include=set(fields))``,
        or None when a field is refused (or unknown to the model)."""
        if not fields.keys() <= self._checks.keys():
            return None
        dumped: dict[str, Any] = {}
        for name, check in self._checks.items():
            if name in fields:
                value = check(fields[name])
                if value is _REFUSED:
                    return None
                dumped[name] = value
        return dumped


def field_checks(kind: NodeKind) -> FieldChecks:
    """Fresh field checks of a node kind's model: one file's, so what they keep goes with it."""
    return FieldChecks(model_for(kind))
