"""Organisation matching on real CORDIS participants: our merge rules against Splink.

The labelled set is built from the Horizon Europe ``organization`` workbooks of
``../shared/data/real`` (the PIC is the truth). The organisations of most PICs are known
(indexed with their PIC, VAT number, website and country, as a CORDIS ingest leaves
them); the others are held out. Each PIC is then named again the way other sources
write names (an Erasmus+ export, a members file): title case, legal forms written
out or abbreviated or left out, punctuation dropped, ``and`` for ``&``, a typo, with
the country, sometimes the website, never the PIC or the VAT number. A mention whose
PIC is held out must not be merged with anything.

Run: ``.venv/bin/python -m bench.matching`` (Splink: ``pip install splink``). Prints
precision and recall of the merges each method makes, side by side.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.normalise import fold, organisation_key, published_legal_forms
from ingest.records import OrgMention
from ingest.resolve import OrganisationIndex, Outcome, web_domain
from ingest.tables import read_table

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "real"
WORKBOOKS = REAL / "cordis" / "he-organization-2024-08"
SEED = 20260
HELD_OUT = 0.15


@dataclass(frozen=True)
class Known:
    pic: str
    name: str
    country: str | None
    vat: str | None
    website: str | None


@dataclass(frozen=True)
class Mention:
    pic: str
    name: str
    country: str | None
    website: str | None
    variation: str


def participants() -> list[Known]:
    """One record per PIC, as CORDIS first writes it."""
    by_pic: dict[str, Known] = {}
    for path in sorted(WORKBOOKS.glob("*.xlsx")):
        for row in read_table(path).rows:
            cells = row.cells
            pic = cells.get("organisationID", "")
            if pic and pic not in by_pic:
                by_pic[pic] = Known(pic, " ".join(cells["name"].split()),
                                    cells.get("country") or None, cells.get("vatNumber") or None,
                                    cells.get("organizationURL") or None)  # fmt: skip
    return list(by_pic.values())


def _abbreviations() -> dict[str, str]:
    """Written-out legal form -> its abbreviation, from the ISO 20275 list."""
    found: dict[str, str] = {}
    for row in published_legal_forms():
        short = row["Abbreviations Local language"].split(";")[0].strip()
        name = fold(row["Entity Legal Form name Transliterated name (per ISO 01-140-10)"])
        if short and " " in name:
            found.setdefault(name, short)
    return found


def _title(name: str) -> str:
    return " ".join(w.capitalize() if len(w) > 4 or not w.isupper() else w for w in name.split())


def variations(rng: random.Random) -> dict[str, Callable[[str], str]]:
    """How other sources write a CORDIS name."""
    forms = _abbreviations()

    def abbreviate(name: str) -> str:
        folded = fold(name)
        for long, short in forms.items():
            if folded.endswith(" " + long):
                return _title(folded[: -len(long)].strip().upper()) + " " + short
        return _title(name)

    def drop_form(name: str) -> str:
        return _title(organisation_key(name).upper())

    def typo(name: str) -> str:
        words = name.split()
        long = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if not long:
            return _title(name)
        i = rng.choice(long)
        word = words[i]
        j = rng.randrange(1, len(word) - 2)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        return _title(" ".join(words))

    def punctuation(name: str) -> str:
        return _title(name.replace("-", " ").replace(".", "").replace(",", ""))

    def ampersand(name: str) -> str:
        swapped = name.replace(" AND ", " & ") if " AND " in name else name.replace(" & ", " and ")
        return _title(swapped)

    return {"title case, legal form abbreviated": abbreviate, "legal form left out": drop_form,
            "a typo": typo, "punctuation dropped": punctuation, "and / &": ampersand}  # fmt: skip


def labelled_set(known: list[Known]) -> tuple[list[Known], list[Mention]]:
    """The organisations indexed, and the mentions to match (with their true PIC)."""
    rng = random.Random(SEED)
    kinds = variations(rng)
    held = set(rng.sample([k.pic for k in known], int(len(known) * HELD_OUT)))
    mentions = []
    for record in known:
        for label in rng.sample(sorted(kinds), 2):
            website = record.website if rng.random() < 0.5 else None
            mentions.append(Mention(record.pic, kinds[label](record.name), record.country,
                                    website, label))  # fmt: skip
    return [k for k in known if k.pic not in held], mentions


@dataclass
class Score:
    method: str
    true_merges: int = 0
    false_merges: int = 0
    to_review: int = 0
    positives: int = 0
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        made = self.true_merges + self.false_merges
        return self.true_merges / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.true_merges / self.positives if self.positives else 0.0


def ours(indexed: list[Known], mentions: list[Mention]) -> Score:
    """The ingest's merge rules (:meth:`OrganisationIndex.match`)."""
    started = time.perf_counter()
    index = OrganisationIndex()
    for k in indexed:
        index.add(k.pic, k.name, country=k.country, pic=k.pic, vat=k.vat, website=k.website)
    known = {k.pic for k in indexed}
    score = Score("skillgraph rules", positives=sum(m.pic in known for m in mentions))
    names = {k.pic: k.name for k in indexed}
    for m in mentions:
        decision = index.match(OrgMention(m.name, "bench", m.country, website=m.website))
        if decision.outcome is Outcome.MATCHED:
            if decision.id == m.pic:
                score.true_merges += 1
            else:
                score.false_merges += 1
                score.wrong.append(f"{m.name!r} ({m.country}) joined {names[decision.id or '']!r} "
                                   f"by {decision.evidence}")  # fmt: skip
        elif decision.outcome is Outcome.AMBIGUOUS:
            score.to_review += 1
    score.seconds = time.perf_counter() - started
    return score


def splink_scores(
    indexed: list[Known], mentions: list[Mention], thresholds: tuple[float, ...]
) -> list[Score]:
    """Splink (DuckDB) on the same rows: each mention linked to its most probable match."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("CREATE TABLE known (unique_id VARCHAR, name_key VARCHAR, "
                       "country VARCHAR, domain VARCHAR)")  # fmt: skip
    connection.execute("CREATE TABLE mentions (unique_id VARCHAR, name_key VARCHAR, "
                       "country VARCHAR, domain VARCHAR)")  # fmt: skip
    connection.executemany("INSERT INTO known VALUES (?, ?, ?, ?)", [
        (k.pic, organisation_key(k.name), k.country, web_domain(k.website)) for k in indexed])  # fmt: skip
    connection.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?)", [
        (f"m{i}", organisation_key(m.name), m.country, web_domain(m.website))
        for i, m in enumerate(mentions)])  # fmt: skip
    db_api = DuckDBAPI(connection=connection)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_key", [0.97, 0.92, 0.85]),
            cl.ExactMatch("country"),
            cl.ExactMatch("domain"),
        ],
        blocking_rules_to_generate_predictions=[block_on("country")],
    )
    linker = Linker([db_api.register("known"), db_api.register("mentions")], settings,
                    log_level=None)  # fmt: skip
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_key")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("country"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_key"))
    pairs = linker.inference.predict(threshold_match_probability=min(thresholds))
    rows = pairs.as_record_list()
    trained = time.perf_counter() - started
    best: dict[str, tuple[float, str]] = {}
    for row in rows:
        left, right = row["unique_id_l"], row["unique_id_r"]
        known_id, mention_id = (right, left) if left.startswith("m") else (left, right)
        probability = float(row["match_probability"])
        if probability > best.get(mention_id, (0.0, ""))[0]:
            best[mention_id] = (probability, known_id)
    known = {k.pic for k in indexed}
    positives = sum(m.pic in known for m in mentions)
    scores = []
    for threshold in thresholds:
        score = Score(f"Splink, match probability >= {threshold}", positives=positives,
                      seconds=trained)  # fmt: skip
        for mention_id, (probability, known_id) in best.items():
            if probability >= threshold:
                if known_id == mentions[int(mention_id[1:])].pic:
                    score.true_merges += 1
                else:
                    score.false_merges += 1
        scores.append(score)
    return scores


def by_variation(indexed: list[Known], mentions: list[Mention]) -> dict[str, float]:
    """Recall of our rules for each way of writing a name."""
    known = {k.pic for k in indexed}
    index = OrganisationIndex()
    for k in indexed:
        index.add(k.pic, k.name, country=k.country, pic=k.pic, vat=k.vat, website=k.website)
    hits: dict[str, list[int]] = {}
    for m in mentions:
        if m.pic not in known:
            continue
        decision = index.match(OrgMention(m.name, "bench", m.country, website=m.website))
        hits.setdefault(m.variation, []).append(int(decision.id == m.pic))
    return {label: sum(v) / len(v) for label, v in sorted(hits.items())}


def main() -> int:
    if not WORKBOOKS.is_dir():
        print(f"the real CORDIS workbooks are not at {WORKBOOKS}", file=sys.stderr)
        return 1
    known = participants()
    indexed, mentions = labelled_set(known)
    held = len(known) - len(indexed)
    print(f"{len(known)} PICs from the Horizon Europe workbooks, {len(indexed)} indexed, "
          f"{held} held out; {len(mentions)} mentions "
          f"({sum(m.pic in {k.pic for k in indexed} for m in mentions)} of an indexed PIC)")  # fmt: skip
    scores = [ours(indexed, mentions)]
    try:
        scores += splink_scores(indexed, mentions, (0.5, 0.7, 0.8, 0.9, 0.99))
    except ImportError:
        print("splink is not installed: pip install splink", file=sys.stderr)
    print(f"{'method':42} {'precision':>9} {'recall':>7} {'false':>6} {'review':>6} {'s':>6}")
    for s in scores:
        print(f"{s.method:42} {s.precision:9.3f} {s.recall:7.3f} {s.false_merges:6d} "
              f"{s.to_review:6d} {s.seconds:6.2f}")  # fmt: skip
    for line in scores[0].wrong:
        print(f"  false merge: {line}")
    print("recall of our rules by way of writing:")
    for label, recall in by_variation(indexed, mentions).items():
        print(f"  {label:40} {recall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
