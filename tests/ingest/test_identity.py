"""Organisation identity: what is merged, what never is, and how every merge is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from ingest.normalise import name_difference, organisation_key
from ingest.pipeline import ingest
from ingest.records import OrgMention
from ingest.resolve import OrganisationIndex, Outcome
from queries.stats import graph_stats
from tests.conftest import DATA

IDENTITY = DATA / "sources" / "identity"


@pytest.mark.parametrize(
    ("written_out", "abbreviated"),
    [
        ("SILESIA BATTERY SYSTEMS SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA",
         "Silesia Battery Systems Sp. z o.o."),
        ("VOLTA ANTRIEBE GESELLSCHAFT MIT BESCHRANKTER HAFTUNG", "Volta Antriebe GmbH"),
        ("IBERIA MOTORES SOCIEDAD ANONIMA", "Iberia Motores S.A."),
        ("CARPATI COMPONENTE SOCIETA A RESPONSABILITA LIMITATA", "Carpati Componente S.r.l."),
        ("BRNO SYSTEMS SPOLECNOST S RUCENIM OMEZENYM", "Brno Systems s.r.o."),
        ("SVEA DRIVE AKTIEBOLAG", "Svea Drive AB"),
        ("NORDIC CELLS OSAKEYHTIO", "Nordic Cells Oy"),
        ("Lusitano Motores, Sociedade Anónima", "LUSITANO MOTORES SA"),
    ],
)  # fmt: skip
def test_legal_forms_written_out_and_abbreviated_give_one_key(
    written_out: str, abbreviated: str
) -> None:
    assert organisation_key(written_out) == organisation_key(abbreviated)
    assert name_difference(written_out, abbreviated) is None


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("Fraunhofer IWS", "Fraunhofer IWU", "a short word (iws / iwu)"),
        ("Automotive Cluster Region 1", "Automotive Cluster Region 2", "a number (1 / 2)"),
        ("Partner Org Number 0", "Partner Org Number 499", "a number (0 / 499)"),
    ],
)
def test_names_differing_in_a_number_or_an_acronym_are_kept_apart(a: str, b: str, why: str) -> None:
    assert name_difference(a, b) == why
    index = OrganisationIndex()
    index.add("o-1", a, country="DE")
    assert index.resolve(b) is None
    assert index.match(OrgMention(name=b, origin="test", country="DE")).outcome is Outcome.NEW


def test_different_pics_are_never_one_organisation_a_shared_vat_relates_them() -> None:
    index = OrganisationIndex()
    index.add("o-mpi", "Max Planck Institute for Biogeochemistry", country="DE",
              pic="885142558", vat="DE129517720")  # fmt: skip
    decision = index.match(OrgMention(
        name="MAX-PLANCK-GESELLSCHAFT ZUR FORDERUNG DER WISSENSCHAFTEN EV", origin="cordis",
        country="DE", pic="999990267", vat="DE129517720",
    ))  # fmt: skip
    assert decision.outcome is Outcome.NEW
    assert decision.related == (("o-mpi", "shared VAT number DE129517720 under another PIC"),)
    # the same VAT without a PIC of its own is the same organisation
    same = index.match(OrgMention(name="MPI BGC", origin="x", country="DE", vat="DE 129 517 720"))
    assert (same.outcome, same.id, same.evidence) == (
        Outcome.MATCHED, "o-mpi", "VAT number DE129517720")  # fmt: skip


def test_a_project_s_partners_are_never_one_organisation() -> None:
    index = OrganisationIndex()
    index.add("o-1", "Battery Innovation Centre", country="DE")
    mention = OrgMention(name="Battery Innovation Center", origin="test", country="DE")
    assert index.match(mention).id == "o-1"
    assert index.match(mention, exclude={"o-1"}).outcome is Outcome.NEW
    assert index.resolve("Battery Innovation Center", exclude={"o-1"}) is None


def test_identity_across_cordis_members_and_projects(store: Store, tmp_path: Path) -> None:
    report = ingest(store, [IDENTITY / "members.csv", IDENTITY / "cordis",
                            IDENTITY / "projects.csv"], review_file=tmp_path / "review.json")  # fmt: skip
    assert report.exit_code == 0, [(f.file, f.error) for f in report.files]
    rows = store.run("MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.pic AS pic, "
                     "o.merges AS merges ORDER BY o.id")  # fmt: skip
    by_pic = {r["pic"]: r for r in rows if r["pic"]}
    # two PICs sharing a VAT number: two organisations, related
    assert {"885142558", "999990267"} <= set(by_pic)
    related = store.run("MATCH (a:Organisation)-[r:RELATED]->(b:Organisation) "
                        "RETURN a.pic AS a, b.pic AS b, r.reason AS reason")  # fmt: skip
    assert related == [{"a": "999990267", "b": "885142558",
                        "reason": "shared VAT number DE129517720 under another PIC"}]  # fmt: skip
    organisations = next(f for f in report.files if f.kind == "cordis_organisations")
    assert len(organisations.related) == 1 and "DE129517720" in organisations.related[0]
    # the legal form written out joins the member, and the merge says by which rule
    silesia = next(r for r in rows if r["id"] == "m-silesia")
    assert silesia["pic"] == "888123001"
    assert len(silesia["merges"]) == 1  # type: ignore[arg-type]
    assert "joined by same name and country PL" in silesia["merges"][0]  # type: ignore[index]
    # the projects file (written first) named the Fraunhofer institutes: each joins its own
    assert [(m.value, m.matched_id) for m in organisations.merged] == [
        ("SILESIA BATTERY SYSTEMS SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA", "m-silesia"),
        ("FRAUNHOFER IWS", "org-fraunhofer-iws"), ("FRAUNHOFER IWU", "org-fraunhofer-iwu")]  # fmt: skip
    # Fraunhofer IWS and IWU share a website and a project, and stay two organisations
    fraunhofer = [r["name"] for r in rows if "raunhofer" in str(r["name"]).lower()]
    assert sorted(fraunhofer) == ["Fraunhofer IWS", "Fraunhofer IWU"]
    partners = store.run("MATCH (o:Organisation)-[:PARTICIPATES_IN]->(p:Project {id: 'p-clusters'}) "
                         "RETURN o.name AS n ORDER BY n")  # fmt: skip
    assert [r["n"] for r in partners] == ["Automotive Cluster Region 1",
                                          "Automotive Cluster Region 2"]  # fmt: skip
    # the canonical file's written-out GmbH reaches the member, and the merge is listed
    volta = next(r for r in rows if r["id"] == "m-volta")
    assert not any(r["name"].startswith("VOLTA ANTRIEBE") for r in rows)  # type: ignore[union-attr]
    assert volta["merges"] == [] or volta["merges"] is None
    stats = graph_stats(store)
    assert stats.merges == sum(len(r["merges"] or []) for r in rows)  # type: ignore[arg-type]
    assert stats.merges == 3 and stats.merged_organisations == 3  # Silesia, IWS, IWU
    assert stats.related_organisations == 1


def test_five_hundred_numbered_partners_stay_five_hundred(
    embedded_store: Store, tmp_path: Path
) -> None:
    names = ";".join(f"Partner Org Number {i}" for i in range(1, 500))
    (tmp_path / "projects.csv").write_text(
        f"id,title,coordinator,partners\np-big,A large network,Partner Org Number 0,{names}\n"
    )
    report = ingest(embedded_store, [tmp_path / "projects.csv"])
    assert report.exit_code == 0
    assert not report.files[0].fuzzy_matches
    assert graph_stats(embedded_store).nodes["Organisation"] == 500
    edges = embedded_store.run(
        "MATCH (:Organisation)-[e:PARTICIPATES_IN]->(:Project) RETURN count(e) AS n"
    )
    assert edges == [{"n": 500}]
