"""Pausing the cyclic collector for a bulk build, with and without a set-aside projection."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from graph.collector import bring_back, collector_paused, set_aside


@pytest.fixture
def nothing_aside() -> Iterator[None]:
    """The test starts and ends with nothing set aside and the collector on."""
    bring_back()
    yield
    bring_back()
    gc.enable()


def _built() -> list[list[int]]:
    return [[n] for n in range(1_000)]


@pytest.mark.usefixtures("nothing_aside")
def test_a_build_goes_back_to_the_collector_when_nothing_is_aside() -> None:
    with collector_paused():
        assert not gc.isenabled()
        built = _built()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert gc.is_tracked(built)


@pytest.mark.usefixtures("nothing_aside")
def test_what_is_set_aside_stays_aside_and_a_build_joins_it() -> None:
    resident = _built()
    set_aside()
    aside = gc.get_freeze_count()
    with collector_paused():
        built = _built()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= aside + len(built)
    assert resident and built
