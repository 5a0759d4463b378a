"""The graph's node kinds as pydantic models: what a node of each kind holds.

Dates are kept as ISO 8601 strings in the stores (``YYYY-MM-DD``): both engines compare
them correctly as text, and neither driver then needs its own date type.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class OrganisationType(StrEnum):
    """What kind of organisation a member (or partner) is."""

    OEM = "oem"
    SUPPLIER = "supplier"
    TRAINING_PROVIDER = "training_provider"
    UNIVERSITY = "university"
    RESEARCH = "research"
    ASSOCIATION = "association"
    PUBLIC_AUTHORITY = "public_authority"
    SOCIAL_PARTNER = "social_partner"
    OTHER = "other"


class DeliveryMode(StrEnum):
    """How a training offer is delivered."""

    ONLINE = "online"
    IN_PERSON = "in_person"
    BLENDED = "blended"


class PriorityKind(StrEnum):
    """Whether a poll priority is a blocker or a goal."""

    BLOCKER = "blocker"
    GOAL = "goal"


class Node(BaseModel):
    """Fields every node carries: its id and the source that last wrote it."""

    # Built on first validation: most commands import the models and validate none, or one.
    model_config = ConfigDict(extra="forbid", use_enum_values=True, defer_build=True)

    id: str = Field(min_length=1)
    source: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class Organisation(Node):
    """A member of the partnership, or an organisation named by a project."""

    name: str = Field(min_length=1)
    member: bool = True
    type: OrganisationType = OrganisationType.OTHER
    country: str | None = None
    city: str | None = None
    website: str | None = None
    joined: date | None = None
    pic: str | None = Field(
        default=None, description="EU Participant Identification Code (CORDIS organisationID)"
    )
    vat: str | None = Field(default=None, description="VAT number, as a source wrote it")
    aliases: list[str] = Field(
        default_factory=list, description="Other spellings of its name that sources used"
    )
    sources: list[str] = Field(
        default_factory=list, description="Ids of the Source nodes (files) that named it"
    )
    merges: list[str] = Field(
        default_factory=list,
        description="Evidence of each merge: which source named it, how, and by what identifier",
    )


class Project(Node):
    """A funded or national initiative with participating organisations."""

    title: str = Field(min_length=1)
    acronym: str | None = None
    programme: str | None = None
    start: date | None = None
    end: date | None = None
    budget_eur: float | None = Field(default=None, ge=0)
    description: str | None = None
    url: str | None = None


class TrainingOffer(Node):
    """A course or programme that teaches competences."""

    title: str = Field(min_length=1)
    description: str | None = None
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    languages: list[str] = Field(default_factory=list)
    mode: DeliveryMode | None = None
    duration_hours: float | None = Field(default=None, ge=0)
    start: date | None = None
    end: date | None = None
    url: str | None = None


class Competence(Node):
    """A skill or knowledge area, optionally linked to ESCO.

    ``label`` and ``alt_labels`` are in English when an English file was loaded, otherwise
    in the first language loaded. ``labels`` and ``alt_labels_by_language`` hold every
    language loaded, each entry written ``<language>:<label>`` (``es:gestionar tareas``).
    """

    label: str = Field(min_length=1)
    alt_labels: list[str] = Field(default_factory=list)
    esco_uri: str | None = None
    group: str | None = None
    description: str | None = None
    labels: list[str] = Field(
        default_factory=list, description="Preferred label per language, as `<lang>:<label>`"
    )
    alt_labels_by_language: list[str] = Field(
        default_factory=list, description="Alternative labels per language, as `<lang>:<label>`"
    )
    concept_type: str | None = Field(
        default=None, description="ESCO concept kind: skill/competence, knowledge, skill_group"
    )
    code: str | None = Field(default=None, description="ESCO hierarchy code (S1.2.3) of a group")
    collections: list[str] = Field(
        default_factory=list, description="ESCO skill collections it belongs to (digital, green)"
    )


class Occupation(Node):
    """An ESCO occupation, with the skills it requires (``REQUIRES``)."""

    label: str = Field(min_length=1)
    alt_labels: list[str] = Field(default_factory=list)
    esco_uri: str | None = None
    isco_group: str | None = None
    code: str | None = None
    description: str | None = None
    labels: list[str] = Field(
        default_factory=list, description="Preferred label per language, as `<lang>:<label>`"
    )


class Priority(Node):
    """A blocker or goal raised by members in the poll."""

    kind: PriorityKind
    label: str = Field(min_length=1)
    description: str | None = None
    keywords: list[str] = Field(default_factory=list)
    support: int = Field(default=0, ge=0)


class Country(Node):
    """A country, identified by its ISO 3166-1 alpha-2 code."""

    name: str


class Source(Node):
    """Provenance: one file as it was ingested."""

    file: str
    sha256: str
    kind: str
    ingested_at: str
    rows: int = 0
    unclassified: int | None = Field(
        default=None, description="Poll answers that raised no priority"
    )


class DuplicateDecision(Node):
    """A coordinator's decision on a cluster of duplicated initiatives (kept across ingests).

    ``versions`` holds each initiative's ``updated_at`` when the decision was taken: once one
    of them changes, the decision no longer covers the cluster.
    """

    kind: str
    ids: list[str]
    versions: list[str]
    status: str
    note: str | None = None
    decided_by: str
    decided_at: str
