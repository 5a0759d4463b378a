"""Every analysis gives the same answer on every reachable backend as on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.store import Store
from ingest.pipeline import ingest
from queries.bundle import all_analyses
from queries.projection import project
from tests.conftest import SAMPLE


def _answers(store: Store) -> dict[str, object]:
    ingest(store, [SAMPLE])
    answers = all_analyses(project(store)).model_dump(mode="json")
    answers.pop("revision")
    return answers


@pytest.fixture(scope="module")
def embedded_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    store = EmbeddedStore(tmp_path_factory.mktemp("contract"))
    store.ensure_schema()
    try:
        return _answers(store)
    finally:
        store.close()


def test_analyses_agree_with_the_embedded_store(
    store: Store, embedded_answers: dict[str, object], tmp_path: Path
) -> None:
    answers = _answers(store)
    assert answers.keys() == embedded_answers.keys()
    for name in answers:
        assert answers[name] == embedded_answers[name], name
    # The sample must give something to compare, not empty reports.
    assert embedded_answers["duplicates"]["clusters"]  # type: ignore[index]
