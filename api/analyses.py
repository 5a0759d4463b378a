"""The analyses of the current revision with the parameters a reader gives, computed once.

Shared by the HTTP routes, the pages and the command line; the keys name the analysis and
its parameters, so the results kept beside the store (:mod:`api.cache`) serve all of them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from api.cache import RevisionCache
from graph.store import Store
from queries.duplicates import DEFAULT_MIN_SCORE, DuplicateReport, Kind, duplicates
from queries.fragmentation import FragmentationReport, fragmentation
from queries.gaps import GapReport, gaps
from queries.overlaps import OverlapReport, overlaps
from queries.partners import PartnerReport, partners, profiles_of
from queries.priorities import PriorityReport, priorities, unclassified_in_latest_poll

#: Overlaps answered over HTTP unless ``limit`` asks for more (all of them weigh megabytes).
OVERLAPS_LIMIT = 20
#: Brokers listed by the fragmentation report unless ``limit`` asks for more.
BROKERS_LIMIT = 10
#: Partners recommended unless ``limit`` asks for more.
PARTNERS_LIMIT = 10


def duplicates_of(
    cache: RevisionCache,
    min_score: float = DEFAULT_MIN_SCORE,
    kind: Kind | None = None,
    *,
    second_process: bool = False,
) -> DuplicateReport:
    """Duplicates for the current revision, computed once per parameters (in a second
    process if asked and worth it: :func:`queries.duplicates.duplicates`)."""
    return cache.get(("analysis", "duplicates", min_score, kind),
                     lambda: duplicates(cache.graph(), min_score=min_score, kind=kind,
                                        second_process=second_process))  # fmt: skip


def overlaps_of(cache: RevisionCache, competence: str | None = None, country: str | None = None,
                limit: int | None = OVERLAPS_LIMIT) -> OverlapReport:  # fmt: skip
    """Overlaps for the current revision, computed once per parameters."""
    return cache.get(("analysis", "overlaps", competence, country, limit),
                     lambda: overlaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


def gaps_of(cache: RevisionCache, competence: str | None = None, country: str | None = None,
            limit: int | None = None) -> GapReport:  # fmt: skip
    """Gaps for the current revision, computed once per parameters."""
    return cache.get(("analysis", "gaps", competence, country, limit),
                     lambda: gaps(cache.graph(), competence=competence, country=country, limit=limit))  # fmt: skip


def fragmentation_of(cache: RevisionCache, limit: int = BROKERS_LIMIT) -> FragmentationReport:
    """Fragmentation for the current revision, computed once per number of brokers."""
    return cache.get(("analysis", "fragmentation", limit),
                     lambda: fragmentation(cache.graph(), top_brokers=limit, engine=cache.engine))  # fmt: skip


def priorities_of(cache: RevisionCache, store: Store) -> PriorityReport:
    """Priorities for the current revision, computed once."""
    return cache.get(("analysis", "priorities"),
                     lambda: priorities(cache.graph(), unclassified_answers=unclassified_in_latest_poll(store)))  # fmt: skip


def partners_of(cache: RevisionCache, member: str, country: str | None = None,
                org_type: str | None = None, limit: int = PARTNERS_LIMIT) -> PartnerReport:  # fmt: skip
    """A member's partner recommendations for the current revision, computed once per parameters."""

    def compute() -> PartnerReport:
        # Every member's recommendations read the same profiles: made once per revision.
        profiles = cache.get(("analysis", "partner-profiles"), lambda: profiles_of(cache.graph()))
        return partners(cache.graph(), member, country=country, org_type=org_type, limit=limit,
                        profiles=profiles)  # fmt: skip

    return cache.get(("analysis", "partners", member, country, org_type, limit), compute)


def warm(cache: RevisionCache, store: Store) -> None:
    """Compute the projection and every analysis with its default parameters, ahead of readers."""
    cache.graph()
    # The duplicate search, the longest, in a second process where there are CPUs for it;
    # the others here meanwhile, the quick ones first: a reader waiting for one of them
    # (see api/cache.py) has it soon.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="duplicates") as beside:
        later = beside.submit(duplicates_of, cache, second_process=True)
        priorities_of(cache, store)
        fragmentation_of(cache)
        gaps_of(cache)
        cache.get(("analysis", "partner-profiles"), lambda: profiles_of(cache.graph()))
        overlaps_of(cache)
        later.result()
