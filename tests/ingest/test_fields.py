"""The field checks give what the node models give, value by value."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from graph.schema import NodeKind, model_for
from ingest.fields import field_checks

CASES: list[tuple[NodeKind, dict[str, Any]]] = [
    (NodeKind.TRAINING_OFFER, {"id": "t-1", "title": "Cells", "eqf_level": 4, "languages": ["en"],
                               "mode": "online", "duration_hours": 12.5, "start": date(2026, 1, 2),
                               "end": None, "url": None, "description": None}),
    (NodeKind.TRAINING_OFFER, {"id": "t-2", "title": "Cells", "duration_hours": -0.0}),
    (NodeKind.TRAINING_OFFER, {"id": "t-3", "title": "Cells", "duration_hours": 0.0}),
    (NodeKind.TRAINING_OFFER, {"id": "t-4", "title": "", "eqf_level": 9}),
    (NodeKind.TRAINING_OFFER, {"id": "t-5", "title": "Cells", "eqf_level": 0}),
    (NodeKind.TRAINING_OFFER, {"id": "t-6", "title": "Cells", "mode": None}),
    (NodeKind.TRAINING_OFFER, {"id": "t-7", "title": "Cells", "unknown": 1}),
    (NodeKind.ORGANISATION, {"id": "m-1", "name": "Acme", "type": None, "member": True}),
    (NodeKind.ORGANISATION, {"id": "m-2", "name": "Acme", "type": "oem", "joined": date(2024, 5, 1),
                             "country": "DE", "member": True}),
    (NodeKind.PROJECT, {"id": "p-1", "title": "Grid", "budget_eur": -1.0}),
    (NodeKind.PROJECT, {"id": "p-2", "title": "Grid", "budget_eur": 1e3, "start": None}),
    (NodeKind.PRIORITY, {"id": "", "kind": "goal", "label": "Skills", "keywords": ["a", "b"]}),
    (NodeKind.PRIORITY, {"id": "q-1", "kind": None, "label": "Skills", "support": 3}),
    (NodeKind.COMPETENCE, {"id": "c-1", "label": "Welding", "alt_labels": [], "group": None}),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "fields"), CASES)
def test_the_checks_dump_what_the_model_dumps_or_refuse_what_it_refuses(
    kind: NodeKind, fields: dict[str, Any]
) -> None:
    checks = field_checks(kind)
    try:
        expected = (
            model_for(kind).model_validate(fields).model_dump(mode="json", include=set(fields))
        )
    except ValidationError:
        expected = None
    # twice: the second answer comes from what the checks kept
    for _ in range(2):
        dumped = checks.dump(fields)
        assert dumped == expected
        if expected is not None:
            assert list(dumped or {}) == list(expected)
            assert repr(dumped) == repr(expected)


def test_equal_values_that_dump_apart_are_kept_apart() -> None:
    checks = field_checks(NodeKind.TRAINING_OFFER)
    first = checks.dump({"id": "t-1", "title": "Cells", "duration_hours": 0.0})
    second = checks.dump({"id": "t-2", "title": "Cells", "duration_hours": -0.0})
    assert repr(first and first["duration_hours"]) == "0.0"
    assert repr(second and second["duration_hours"]) == "-0.0"
