"""Duplicates as people write them: precision and recall on the planted rewordings and
translations, text only against text and anchors, and what the anchors cost in time.

The planted set (``tests/data/duplicates_planted/planted.json``) holds, per topic, one
initiative written twice by two organisations (in English twice, or in English and German,
French, Spanish, Italian or Polish) and a different initiative on the same competence, in the
same country, at the same dates. Any pair found that is not planted as the same is false.
The time is measured on synthetic offers (``bench/synthetic.py``), the vectors prepared once
and shared, side by side in one run.

    .venv/bin/python -m bench.duplicates_quality --size 20000
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.duplicates import items_from_rows
from bench.synthetic import synthetic_offers
from queries.pair_scoring import DEFAULT_MIN_SCORE, Features, Item, ScoredPair, find_pairs, prepare
from queries.semantic import find_anchor_pairs, with_anchor_pairs

PLANTED = Path(__file__).resolve().parent.parent / "tests" / "data" / "duplicates_planted"
KINDS = ("training_offer", "project")


@dataclass(frozen=True)
class Planted:
    """The planted items (by kind), the true pairs and the hard negatives, with languages."""

    items: dict[str, list[Item]]
    true_pairs: frozenset[tuple[str, str]]
    hard_negatives: frozenset[tuple[str, str]]
    language: dict[str, str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Quality:
    """What a search found on the planted set."""

    found: int
    true_found: int
    true_pairs: int
    hard_negatives_found: int
    recall_by_language: dict[str, float]

    @property
    def precision(self) -> float:
        return self.true_found / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_found / self.true_pairs


def load_planted(folder: Path = PLANTED) -> Planted:
    """The planted set as scoring items, per kind."""
    doc = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    items: dict[str, list[Item]] = {kind: [] for kind in KINDS}
    for row in doc["items"]:
        items[row["kind"]].append(
            Item(
                row["id"],
                row["title"],
                row["description"],
                frozenset({row["runner"]}),
                frozenset(row["competences"]),
                frozenset(row["countries"]),
                row["eqf_level"],
                row["start"],
                row["end"],
            )
        )
    pairs = [(tuple(sorted((p["a"], p["b"]))), p["same"]) for p in doc["pairs"]]
    return Planted(
        items=items,
        true_pairs=frozenset(pair for pair, same in pairs if same),  # type: ignore[misc]
        hard_negatives=frozenset(pair for pair, same in pairs if not same),  # type: ignore[misc]
        language={row["id"]: row["language"] for row in doc["items"]},
        rows=doc["items"],
    )


Search = Callable[[Features, float, bool], list[ScoredPair]]


def by_text(features: Features, min_score: float, same_country: bool) -> list[ScoredPair]:
    """The text search alone (as before anchors)."""
    return find_pairs(features, min_score, same_country=same_country)


def by_text_and_anchors(
    features: Features, min_score: float, same_country: bool
) -> list[ScoredPair]:
    """The text search and the anchor search, merged (as :func:`queries.duplicates.duplicates`)."""
    return with_anchor_pairs(
        find_pairs(features, min_score, same_country=same_country),
        find_anchor_pairs(features, min_score, same_country=same_country),
    )


def quality(found: set[tuple[str, str]], planted: Planted) -> Quality:
    """Precision and recall of found pairs on the planted set, recall per language pair."""
    hits = found & planted.true_pairs
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for a, b in planted.true_pairs:
        languages = "-".join(sorted({planted.language[a], planted.language[b]}))
        total[languages] += 1
        hit[languages] += (a, b) in hits
    return Quality(
        found=len(found),
        true_found=len(hits),
        true_pairs=len(planted.true_pairs),
        hard_negatives_found=len(found & planted.hard_negatives),
        recall_by_language={k: hit[k] / total[k] for k in sorted(total)},
    )


def evaluate(search: Search, planted: Planted, min_score: float = DEFAULT_MIN_SCORE) -> Quality:
    """Run a search over each kind of the planted set and measure it."""
    found: set[tuple[str, str]] = set()
    for kind, items in planted.items.items():
        pairs = search(prepare(items), min_score, kind == "training_offer")
        found |= {(p.a, p.b) for p in pairs}
    return quality(found, planted)


def _prepared_search(search: Callable[..., Any], items: list[Item], min_score: float) -> Any:
    """A search with the vectorising of the items included."""
    return search(prepare(items), min_score, True)


def _timed(function: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Print the planted figures and the time side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    args = parser.parse_args()

    planted = load_planted()
    languages = Counter(planted.language.values())
    print(f"planted set: {sum(len(v) for v in planted.items.values())} items "
          f"({', '.join(f'{k} {v}' for k, v in sorted(languages.items()))}), "
          f"{len(planted.true_pairs)} true pairs, {len(planted.hard_negatives)} hard negatives")  # fmt: skip
    print(
        f"{'search':>16} {'found':>5} {'true':>4} {'precision':>9} {'recall':>6} {'hard neg.':>9}"
    )
    results = {}
    for name, search in (("text", by_text), ("text + anchors", by_text_and_anchors)):
        q = evaluate(search, planted, args.min_score)
        results[name] = q
        print(f"{name:>16} {q.found:>5} {q.true_found:>4} {q.precision:>9.3f} {q.recall:>6.3f} "
              f"{q.hard_negatives_found:>9}")  # fmt: skip
    print("recall per language pair (text -> text + anchors):")
    for key, value in results["text + anchors"].recall_by_language.items():
        print(f"  {key:>6}: {results['text'].recall_by_language[key]:.2f} -> {value:.2f}")

    rows, _ = synthetic_offers(args.size, args.seed)
    items = items_from_rows(rows)
    features = prepare(items)
    searches = (("text", by_text), ("text + anchors", by_text_and_anchors))
    search_s = {name: _timed(partial(search, features, args.min_score, True))
                for name, search in searches}  # fmt: skip
    whole_s = {name: _timed(partial(_prepared_search, search, items, args.min_score))
               for name, search in searches}  # fmt: skip
    print(f"\nblocked search on {args.size} synthetic offers (best of 3 each):")
    print(f"{'search':>16} {'search s':>8} {'with vectorising s':>18}")
    for name, _ in searches:
        print(f"{name:>16} {search_s[name]:>8.2f} {whole_s[name]:>18.2f}")
    print(f"ratio (text + anchors) / text: search {search_s['text + anchors'] / search_s['text']:.2f}, "
          f"with vectorising {whole_s['text + anchors'] / whole_s['text']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
