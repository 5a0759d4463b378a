"""Pausing Python's cyclic garbage collector while a bulk of containers is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether :func:`set_aside` moved objects away that :func:`bring_back` has not yet returned
#: (``gc.get_freeze_count()`` would say so too, but walks every frozen object to count them).
_aside = [False]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of containers are created.

    Each collection walks every tracked object, so the more a bulk build holds the more
    each of its collections costs: building a large graph took three to four times as
    long with the collector on, and reading a file of 100,000 training offers nearly
    twice as long (each timed with and without it, side by side), and the overlaps and gaps
    analyses of 100,000 offers a fifth to a third longer. What these builds make holds no
    reference cycles to collect; the collector runs again when they are done.
    """
    enabled = gc.isenabled()
    kept_aside = _aside[0]
    gc.disable()
    try:
        yield
    finally:
        # What was built is still in the youngest generation: the first collection after it
        # would walk every one of its containers (1.4 s of a 100,000-offer projection,
        # profiled), and the next generation's again. Frozen then unfrozen, it goes to the
        # oldest one. While something is set aside (an analysis of the resident projection),
        # unfreezing would hand that back to the collector too: what was built joins it.
        gc.freeze()
        if not kept_aside:
            gc.unfreeze()
        if enabled:
            gc.enable()


def set_aside() -> None:
    """Move every object alive now out of the cyclic collector's reach, for as long as it stays.

    For a bulk build that stays resident while others are made, as the projection while the
    analyses run: they create millions of containers, and every full collection walked the
    graph's millions too, a third to a half of some analyses' time at 100,000 offers
    (``bench/versus.py``). What is set aside is still freed by reference counting; a
    reference cycle in it waits for :func:`bring_back`.
    """
    gc.collect()
    gc.freeze()
    _aside[0] = True


def bring_back() -> None:
    """Give the collector back what :func:`set_aside` moved away, and collect its cycles."""
    gc.unfreeze()
    _aside[0] = False
    gc.collect()
