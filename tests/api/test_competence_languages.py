"""Competence reads in a requested language, English as the fallback (ESCO labels)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest

SKILLS = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\n"
URI = "http://data.europa.eu/esco/skill/020918ef-4b55-47c1-8430-ab7b8f6a7377"


def test_a_competence_is_shown_in_the_language_asked_for(tmp_path: Path) -> None:
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "skills_en.csv").write_text(
        SKILLS + f"KnowledgeSkillCompetence,{URI},skill/competence,cross-sector,"
        'migrate existing data,"transfer existing data\nconvert data",\n'
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/only-en,knowledge,"
        "cross-sector,English only,,\n"
    )
    (folder / "skills_es.csv").write_text(
        SKILLS + f"KnowledgeSkillCompetence,{URI},skill/competence,cross-sector,"
        'migrar datos existentes,"transferir datos existentes",\n'
    )
    store = EmbeddedStore(tmp_path / "graph")
    store.ensure_schema()
    assert ingest(store, [folder]).exit_code == 0
    store.close()
    app = create_app(Settings(data_dir=tmp_path / "graph"))
    with TestClient(app) as client:
        spanish = client.get("/competences/esco-020918ef-4b55-47c1-8430-ab7b8f6a7377?lang=es")
        assert spanish.status_code == 200
        body = spanish.json()
        assert (body["label"], body["alt_labels"]) == (
            "migrar datos existentes", ["transferir datos existentes"])  # fmt: skip
        english = client.get("/competences/esco-020918ef-4b55-47c1-8430-ab7b8f6a7377").json()
        assert english["label"] == "migrate existing data"
        assert english["alt_labels"] == ["transfer existing data", "convert data"]
        listed = client.get("/competences", params={"lang": "es"}).json()["data"]
        labels = {c["id"]: c["label"] for c in listed}
        assert labels == {"esco-020918ef-4b55-47c1-8430-ab7b8f6a7377": "migrar datos existentes",
                          "esco-only-en": "English only"}  # fmt: skip
        assert client.get("/competences?lang=Spanish").status_code == 422
