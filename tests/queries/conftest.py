"""Fixtures of the analyses' tests."""

from __future__ import annotations

from typing import Any

import pytest

import queries.duplicates
from queries import second_process


@pytest.fixture
def searched_beside(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Duplicates searched in a second process whenever asked, as on two CPUs: the functions
    run there are listed."""
    ran: list[object] = []
    real = second_process.in_second_process

    def recorded(function: Any, *args: Any) -> Any:
        ran.append(function)
        return real(function, *args)

    monkeypatch.setattr(queries.duplicates, "SECOND_PROCESS_MIN_ITEMS", 0)
    monkeypatch.setattr(second_process, "in_second_process", recorded)
    monkeypatch.setattr(second_process, "usable_cpus", lambda: 2)
    return ran
