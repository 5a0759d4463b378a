"""Benchmark of the published-format readers on files of realistic size.

Writes, in the published layouts, a synthetic ESCO ``skills_en.csv`` (14,000 skills with
their newline-separated alternative labels and descriptions, as ESCO v1.2 has about
13,900) and a CORDIS extract (``project.csv`` and an ``organization.csv`` of 100,000
participations, ``;``-delimited with quoted multi-line fields and comma decimals), then
ingests each into a fresh embedded store and prints the times:

* ESCO: ``skills_en.csv`` alone (the ESCO mapping step included);
* CORDIS: both files with ``--keyword battery`` (about one project in ten matches), and,
  for comparison, the organisation file without a filter.

    .venv/bin/python -m bench.sources [--skills 14000] [--participations 100000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest
from ingest.report import IngestReport
from ingest.sources import SourceOptions

SKILL_HEADER = [
    "conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels",
    "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition", "inScheme",
    "description",
]  # fmt: skip
PROJECT_HEADER = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost",
    "ecMaxContribution", "legalBasis", "topics", "ecSignatureDate", "frameworkProgramme",
    "masterCall", "subCall", "fundingScheme", "nature", "objective", "contentUpdateDate", "rcn",
    "grantDoi",
]  # fmt: skip
ORGANISATION_HEADER = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
    "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
    "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role",
    "ecContribution", "netEcContribution", "totalCost", "endOfParticipation", "active",
]  # fmt: skip
WORDS = (
    "chassis", "vehicle", "safety", "software", "data", "manage", "design", "maintain",
    "electric", "hydrogen", "assembly", "quality", "logistics", "welding", "painting", "sensor",
    "control", "network", "training", "energy", "materials", "testing", "diagnose", "repair",
    "inspect", "plan", "coordinate", "measure", "calibrate", "program", "monitor", "supply",
)  # fmt: skip
THEMES = ("soil", "health", "climate", "quantum", "ocean", "culture", "space", "food", "water")
COUNTRIES = ("DE", "FR", "IT", "ES", "EL", "UK", "PL", "NL", "BE", "SE", "AT", "CZ", "PT", "FI")
ACTIVITY = ("PRC", "HES", "REC", "PUB", "OTH")
ROLES = ("coordinator", "participant", "participant", "participant", "associatedPartner")


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write_esco(folder: Path, skills: int, seed: int = 1) -> Path:
    """A ``skills_en.csv`` of ``skills`` rows in the ESCO v1.2 layout."""
    rng = random.Random(seed)
    path = folder / "skills_en.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SKILL_HEADER)
        for i in range(skills):
            label = f"{_phrase(rng, 3)} {i}"
            alts = "\n".join(f"{_phrase(rng, 3)} {i}-{k}" for k in range(rng.randint(2, 9)))
            writer.writerow([
                "KnowledgeSkillCompetence", f"http://data.europa.eu/esco/skill/{i:08x}-bench",
                rng.choice(("skill/competence", "knowledge")), "sector-specific", label, alts, "",
                "released", "2023-11-30T15:53:37.136Z", "", "",
                "http://data.europa.eu/esco/concept-scheme/skills",
                f"{_phrase(rng, 12).capitalize()}.\n{_phrase(rng, 10).capitalize()}.",
            ])  # fmt: skip
    return path


def write_cordis(folder: Path, participations: int, seed: int = 2) -> tuple[Path, Path]:
    """``project.csv`` and an ``organization.csv`` of ``participations`` rows."""
    rng = random.Random(seed)
    projects = max(1, participations // 5)
    organisations = max(1, participations // 3)
    project_path, organisation_path = folder / "project.csv", folder / "organization.csv"
    with project_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(PROJECT_HEADER)
        for p in range(projects):
            theme = "battery" if p % 10 == 0 else rng.choice(THEMES)
            writer.writerow([
                100000 + p, f"ACR{p}", "SIGNED", f"{theme.capitalize()} {_phrase(rng, 4)} {p}",
                "2023-01-01", "2026-12-31", f"{rng.randint(100000, 9000000)},{rng.randint(0, 99)}",
                "1000000", "HORIZON.2.5", f"HORIZON-CL{rng.randint(1, 6)}-2022-D{p % 5}-01",
                "2022-11-30", "HORIZON", "HORIZON-CL5-2022", "HORIZON-CL5-2022-D2",
                "HORIZON-RIA", "", f"{_phrase(rng, 30)}.\n{theme} {_phrase(rng, 20)}.",
                "2023-05-10 12:00:00", 200000 + p, f"10.3030/{100000 + p}",
            ])  # fmt: skip
    with organisation_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(ORGANISATION_HEADER)
        for row in range(participations):
            project = row // 5
            o = rng.randrange(organisations)
            country = COUNTRIES[o % len(COUNTRIES)]
            writer.writerow([
                100000 + project, f"ACR{project}", 900000000 + o, "", f"Organisation {o} "
                f"{WORDS[o % len(WORDS)]} {WORDS[(o // 7) % len(WORDS)]}", f"O{o}",
                "false", ACTIVITY[o % 5], "Street 1", "1000", "City", country, f"{country}1",
                "", f"https://org{o}.example", "", "2023-05-10 12:00:00", row, row % 5 + 1,
                ROLES[row % 5], f"{rng.randint(1000, 900000)},5", "", "", "false", "true",
            ])  # fmt: skip
    return project_path, organisation_path


def _timed(
    store_dir: Path, paths: list[Path], options: SourceOptions
) -> tuple[float, IngestReport]:
    store = EmbeddedStore(store_dir)
    store.ensure_schema()
    start = time.perf_counter()
    report = ingest(store, paths, options=options, review_file=store_dir / "review.json")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, report


def _summary(report: IngestReport) -> str:
    return "; ".join(
        f"{Path(f.file).name}: {f.rows_read} read, {f.rows_written} written, "
        f"{f.rows_skipped} skipped, {len(f.organisations_created)} organisations created"
        for f in report.files
    )


def main() -> None:
    """Generate the files, ingest them, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=14_000)
    parser.add_argument("--participations", type=int, default=100_000)
    parser.add_argument("--no-unfiltered", action="store_true",
                        help="skip the unfiltered CORDIS run")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skillgraph-bench-sources-") as tmp:
        folder = Path(tmp)
        skills = write_esco(folder, args.skills)
        projects, organisations = write_cordis(folder, args.participations)
        alt = sum(1 for _ in skills.open(encoding="utf-8"))  # physical lines, for the record
        print(f"ESCO skills_en.csv: {args.skills} skills, {alt} physical lines, "
              f"{skills.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        seconds, report = _timed(folder / "esco-store", [skills], SourceOptions())
        print(f"  ingest into a fresh embedded store: {seconds:.1f} s "
              f"({args.skills / seconds:,.0f} skills/s); {_summary(report)}")  # fmt: skip
        print(f"CORDIS: project.csv {projects.stat().st_size / 1e6:.1f} MB, organization.csv "
              f"{args.participations} rows {organisations.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        seconds, report = _timed(folder / "cordis-store", [projects, organisations],
                                 SourceOptions(keywords=("battery",)))  # fmt: skip
        print(f"  --keyword battery, both files: {seconds:.1f} s; {_summary(report)}")
        if not args.no_unfiltered:
            seconds, report = _timed(folder / "cordis-all", [projects, organisations],
                                     SourceOptions())  # fmt: skip
            print(f"  no filter, both files: {seconds:.1f} s; {_summary(report)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
