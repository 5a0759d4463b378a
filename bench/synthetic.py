"""Synthetic canonical data for benchmarks: members, competences, projects, training offers.

Rows use the columns of ``data/sample/*.csv`` (lists joined with ``;``), so the same data
can be written as canonical CSV files for an ingest benchmark or used in memory. Texts are
drawn from a Zipf-distributed pseudo-word vocabulary plus topic words per competence, so
that unrelated offers on one competence share some words, as real ones do. Everything is
seeded: the same arguments give the same rows.

Example
-------
>>> offers, planted = synthetic_offers(200, seed=1)
>>> len(offers), len(planted) > 0
(200, True)
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

COUNTRIES = (
    "AT",
    "BE",
    "CZ",
    "DE",
    "ES",
    "FI",
    "FR",
    "HU",
    "IT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)
GROUPS = (
    "electrification",
    "batteries",
    "software-defined-vehicles",
    "adas",
    "cybersecurity",
    "hydrogen",
    "manufacturing-digitalisation",
    "circular-economy",
    "transversal",
)
COLUMNS = {
    "members.csv": "id,name,type,country,city,website,expertise,needs,joined",
    "competences.csv": "id,label,alt_labels,esco_uri,group",
    "projects.csv": "id,acronym,title,programme,start,end,budget_eur,coordinator,partners,"
    "countries,competences,priorities,description,url",
    "training_offers.csv": "id,title,provider,description,competences,eqf_level,countries,"
    "languages,mode,duration_hours,start,end,url",
}
TYPES = ("training_provider", "university", "supplier", "research", "oem", "association")
PROGRAMMES = ("Horizon Europe", "Erasmus+ KA2", "ESF+", "Digital Europe", "national", "Interreg")
MODES = ("in_person", "blended", "online")
SYLLABLES = tuple(
    c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "an", "er", "ol")
)
VOCABULARY_SIZE = 8000
TOPIC_WORDS = 40
#: Share of generated offers that are planted near-copies of another provider's offer.
DUPLICATE_FRACTION = 0.02


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        parts = rng.integers(0, len(SYLLABLES), size=rng.integers(2, 5))
        words.add("".join(SYLLABLES[p] for p in parts))
    return sorted(words)


class _Text:
    """Pseudo-word texts: general words (Zipf) mixed with the topic words of competences."""

    def __init__(self, rng: np.random.Generator, n_competences: int) -> None:
        self.rng = rng
        self.words = np.array(_vocabulary(rng, VOCABULARY_SIZE))
        weights = 1.0 / np.arange(1, VOCABULARY_SIZE + 1)
        self.p = weights / weights.sum()
        self.topics = rng.integers(0, VOCABULARY_SIZE, size=(n_competences, TOPIC_WORDS))

    def sentence_block(self, competences: list[int], n_words: int) -> list[str]:
        general = self.rng.choice(len(self.words), size=n_words, p=self.p)
        topical = self.rng.random(n_words) < 0.4
        topic_rows = self.rng.choice(competences, size=n_words)
        topic_cols = self.rng.integers(0, TOPIC_WORDS, size=n_words)
        chosen = np.where(topical, self.topics[topic_rows, topic_cols], general)
        return list(self.words[chosen])

    def title(self, competences: list[int]) -> str:
        return " ".join(w.capitalize() for w in self.sentence_block(competences, 6))

    def description(self, competences: list[int]) -> str:
        words = self.sentence_block(competences, int(self.rng.integers(40, 70)))
        sentences = [" ".join(words[k : k + 12]) for k in range(0, len(words), 12)]
        return " ".join(s.capitalize() + "." for s in sentences)

    def perturb(self, text: str, share: float = 0.08) -> str:
        """Replace a share of the words (a near-copy: rewording, not new content)."""
        words = text.split(" ")
        for k in np.flatnonzero(self.rng.random(len(words)) < share):
            words[k] = str(self.words[self.rng.choice(len(self.words), p=self.p)])
        return " ".join(words)


def synthetic_competences(n: int = 63, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` competences spread over the sample's nine groups."""
    rng = np.random.default_rng(seed)
    labels = _vocabulary(rng, 2 * n)
    return [
        {
            "id": f"c-syn-{k:03d}",
            "label": f"{labels[2 * k].capitalize()} {labels[2 * k + 1]}",
            "alt_labels": "",
            "esco_uri": "",
            "group": GROUPS[k % len(GROUPS)],
        }
        for k in range(n)
    ]


def synthetic_members(
    n: int, seed: int = 0, competences: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """``n`` member organisations with a country, expertise and needs."""
    rng = np.random.default_rng(seed + 1)
    comp_ids = [c["id"] for c in competences or synthetic_competences(seed=seed)]
    names = _vocabulary(rng, n)
    rows = []
    for k in range(n):
        picks = rng.choice(len(comp_ids), size=4, replace=False)
        rows.append(
            {
                "id": f"m-{k + 1:06d}",
                "name": f"{names[k].capitalize()} {TYPES[k % len(TYPES)].replace('_', ' ')}",
                "type": TYPES[k % len(TYPES)],
                "country": COUNTRIES[int(rng.integers(0, len(COUNTRIES)))],
                "city": "",
                "website": f"https://www.{names[k]}.example",
                "expertise": ";".join(comp_ids[p] for p in picks[:2]),
                "needs": ";".join(comp_ids[p] for p in picks[2:]),
                "joined": str(date(2020, 1, 1) + timedelta(days=int(rng.integers(0, 2000)))),
            }
        )
    return rows


def _dates(rng: np.random.Generator) -> tuple[str, str]:
    if rng.random() < 0.3:
        return "", ""
    start = date(2026, 1, 5) + timedelta(days=int(rng.integers(0, 330)))
    return str(start), str(start + timedelta(days=int(rng.integers(1, 60))))


def _popular(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Competence indices with a skewed popularity, as in real catalogues."""
    weights = 1.0 / np.sqrt(np.arange(1, n + 1))
    return rng.choice(n, size=size, replace=False, p=weights / weights.sum())


def synthetic_offers(
    n: int,
    seed: int = 0,
    *,
    members: list[dict[str, Any]] | None = None,
    competences: list[dict[str, Any]] | None = None,
    duplicate_fraction: float = DUPLICATE_FRACTION,
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """``n`` training offers and the planted duplicate pairs among them (ids, sorted).

    A planted duplicate is a near-copy of an earlier offer (8 % of its words replaced,
    title reworded) by another provider of the same country, same competences, EQF equal
    or adjacent.
    """
    rng = np.random.default_rng(seed + 2)
    competences = competences or synthetic_competences(seed=seed)
    members = members or synthetic_members(max(60, n // 20), seed, competences)
    comp_ids = [c["id"] for c in competences]
    by_country: dict[str, list[str]] = {}
    for member in members:
        by_country.setdefault(member["country"], []).append(member["id"])
    countries = sorted(by_country)
    text = _Text(rng, len(comp_ids))
    rows: list[dict[str, Any]] = []
    planted: list[tuple[str, str]] = []
    for k in range(n):
        offer_id = f"t-{k + 1:07d}"
        if rows and rng.random() < duplicate_fraction:
            original = rows[int(rng.integers(0, len(rows)))]
            others = [m for m in by_country[original["countries"]] if m != original["provider"]]
            if others:
                start, end = _dates(rng)
                eqf = int(np.clip(original["eqf_level"] + rng.integers(-1, 2), 1, 8))
                title_words = original["title"].split(" ")
                rng.shuffle(title_words)
                rows.append(
                    {
                        **original,
                        "id": offer_id,
                        "title": " ".join(title_words),
                        "provider": others[int(rng.integers(0, len(others)))],
                        "description": text.perturb(original["description"]),
                        "eqf_level": eqf,
                        "start": start,
                        "end": end,
                        "url": f"https://offers.example/{offer_id}",
                    }
                )
                planted.append(tuple(sorted((original["id"], offer_id))))  # type: ignore[arg-type]
                continue
        country = countries[int(rng.integers(0, len(countries)))]
        picks = sorted(_popular(rng, len(comp_ids), int(rng.integers(1, 4))))
        start, end = _dates(rng)
        rows.append(
            {
                "id": offer_id,
                "title": text.title(picks),
                "provider": by_country[country][int(rng.integers(0, len(by_country[country])))],
                "description": text.description(picks),
                "competences": ";".join(comp_ids[p] for p in picks),
                "eqf_level": int(rng.integers(2, 9)),
                "countries": country,
                "languages": "en",
                "mode": MODES[int(rng.integers(0, len(MODES)))],
                "duration_hours": int(rng.integers(8, 200)),
                "start": start,
                "end": end,
                "url": f"https://offers.example/{offer_id}",
            }
        )
    return rows, sorted(planted)


def synthetic_projects(
    n: int,
    seed: int = 0,
    *,
    members: list[dict[str, Any]] | None = None,
    competences: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """``n`` projects, each with a coordinator, 2 to 6 partners and 1 to 3 competences."""
    rng = np.random.default_rng(seed + 3)
    competences = competences or synthetic_competences(seed=seed)
    members = members or synthetic_members(max(60, n), seed, competences)
    comp_ids = [c["id"] for c in competences]
    text = _Text(rng, len(comp_ids))
    rows = []
    for k in range(n):
        team = [
            members[int(i)]
            for i in rng.choice(len(members), size=int(rng.integers(3, 8)), replace=False)
        ]
        picks = sorted(_popular(rng, len(comp_ids), int(rng.integers(1, 4))))
        start = date(2022, 1, 1) + timedelta(days=int(rng.integers(0, 1400)))
        rows.append(
            {
                "id": f"p-{k + 1:06d}",
                "acronym": f"SYN{k + 1}",
                "title": text.title(picks),
                "programme": PROGRAMMES[k % len(PROGRAMMES)],
                "start": str(start),
                "end": str(start + timedelta(days=int(rng.integers(365, 1460)))),
                "budget_eur": int(rng.integers(100, 5000)) * 1000,
                "coordinator": team[0]["id"],
                "partners": ";".join(m["id"] for m in team[1:]),
                "countries": ";".join(sorted({m["country"] for m in team})),
                "competences": ";".join(comp_ids[p] for p in picks),
                "priorities": "",
                "description": text.description(picks),
                "url": f"https://projects.example/p-{k + 1:06d}",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write canonical rows with the header of the file's kind (named by ``path.name``)."""
    header = COLUMNS[path.name].split(",")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in header} for row in rows)
    return path


def write_dataset(
    folder: Path, *, offers: int, members: int = 0, projects: int = 0, seed: int = 0
) -> dict[str, Path]:
    """Write members, competences, projects and training offers as canonical CSVs.

    Returns the written paths by file name.
    """
    folder.mkdir(parents=True, exist_ok=True)
    competences = synthetic_competences(seed=seed)
    member_rows = synthetic_members(members or max(60, offers // 20), seed, competences)
    offer_rows, _ = synthetic_offers(offers, seed, members=member_rows, competences=competences)
    project_rows = synthetic_projects(
        projects or max(10, offers // 50), seed, members=member_rows, competences=competences
    )
    tables = {
        "competences.csv": competences,
        "members.csv": member_rows,
        "projects.csv": project_rows,
        "training_offers.csv": offer_rows,
    }
    return {name: write_csv(folder / name, rows) for name, rows in tables.items()}
