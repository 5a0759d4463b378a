"""One registry of layouts: a file is identified once, or refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from ingest.kinds import FileKind
from ingest.sources import Header, SourceFormat, identify


def test_a_header_two_layouts_claim_is_refused_naming_both() -> None:
    header = Header(["conceptUri", "preferredLabel", "skillType", "Project Title",
                     "Coordinating organisation name", "Project Identifier"])  # fmt: skip
    with pytest.raises(InputError) as raised:
        identify(Path("mixed.csv"), header)
    assert raised.value.reason == (
        "is claimed by two layouts, esco_skills (ESCO skills (skills_<lang>.csv)) and "
        "erasmus_projects (Erasmus+ Project Results Platform export); rename it after one "
        "of them or pass --kind"
    )
    # the file's name tells them apart
    assert identify(Path("skills_en.csv"), header).name == "esco_skills"


def test_a_file_no_layout_claims_is_refused_with_what_would_do() -> None:
    with pytest.raises(
        InputError, match="its kind is not clear from its name, and its header is of no published"
    ):
        identify(Path("export.csv"), Header(["a", "b"]))
    with pytest.raises(InputError, match="does not have the columns of any esco layout"):
        identify(Path("export.csv"), Header(["a", "b"]), source=SourceFormat.ESCO)


def test_tables_that_share_a_header_are_told_apart_by_their_name() -> None:
    concept = Header(["conceptType", "conceptUri", "code", "preferredLabel", "altLabels"])
    assert identify(Path("skillGroups_en.csv"), concept).name == "esco_skill_groups"
    with pytest.raises(InputError, match="an ESCO table that is not loaded"):
        identify(Path("ISCOGroups_en.csv"), concept)
    # a canonical file is known by its name; its columns are checked when it is read
    assert identify(Path("skills.csv"), Header(["id", "label"])).name == "competences"
    assert identify(Path("x.csv"), Header(["id"]), kind=FileKind.MEMBERS).name == "members"
