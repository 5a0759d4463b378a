"""The one declaration of the graph's schema, from which both stores derive their DDL.

Node properties come from the pydantic models of :mod:`graph.model`; relationships and
their endpoints are declared here. Labels and relationship types that reach a Cypher
string come only from the enums below, never from user input.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum

from pydantic import BaseModel

from graph import model


class NodeKind(StrEnum):
    """Node labels."""

    ORGANISATION = "Organisation"
    PROJECT = "Project"
    TRAINING_OFFER = "TrainingOffer"
    COMPETENCE = "Competence"
    PRIORITY = "Priority"
    COUNTRY = "Country"
    SOURCE = "Source"
    DUPLICATE_DECISION = "DuplicateDecision"
    OCCUPATION = "Occupation"


class RelType(StrEnum):
    """Relationship types."""

    PARTICIPATES_IN = "PARTICIPATES_IN"
    PROVIDES = "PROVIDES"
    TEACHES = "TEACHES"
    TARGETS = "TARGETS"
    ADDRESSES = "ADDRESSES"
    HAS_EXPERTISE = "HAS_EXPERTISE"
    NEEDS = "NEEDS"
    RAISED = "RAISED"
    LOCATED_IN = "LOCATED_IN"
    ACTIVE_IN = "ACTIVE_IN"
    BROADER = "BROADER"
    REQUIRES = "REQUIRES"
    RELATED = "RELATED"


class PropType(StrEnum):
    """Property types both engines hold; dates are ISO strings."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    STRING_LIST = "STRING[]"


NODE_MODELS: dict[NodeKind, type[model.Node]] = {
    NodeKind.ORGANISATION: model.Organisation,
    NodeKind.PROJECT: model.Project,
    NodeKind.TRAINING_OFFER: model.TrainingOffer,
    NodeKind.COMPETENCE: model.Competence,
    NodeKind.PRIORITY: model.Priority,
    NodeKind.COUNTRY: model.Country,
    NodeKind.SOURCE: model.Source,
    NodeKind.DUPLICATE_DECISION: model.DuplicateDecision,
    NodeKind.OCCUPATION: model.Occupation,
}

#: The property that names a node of each kind (what people read in lists and views).
NAME_PROPERTY: dict[NodeKind, str] = {
    NodeKind.ORGANISATION: "name",
    NodeKind.PROJECT: "title",
    NodeKind.TRAINING_OFFER: "title",
    NodeKind.COMPETENCE: "label",
    NodeKind.PRIORITY: "label",
    NodeKind.COUNTRY: "name",
    NodeKind.SOURCE: "file",
    NodeKind.DUPLICATE_DECISION: "status",
    NodeKind.OCCUPATION: "label",
}
#: Kinds that record what people and ingests did, not the ecosystem: kept out of analyses.
BOOKKEEPING_KINDS = frozenset({NodeKind.SOURCE, NodeKind.DUPLICATE_DECISION})

#: Property the stores keep on every node to tell a changed row from an unchanged one.
FINGERPRINT = "fingerprint"

#: Id prefixes of the competences and occupations loaded from the ESCO catalogue.
ESCO_ID_PREFIX = "esco-"
ESCO_OCCUPATION_PREFIX = "esco-occupation-"

#: The one bookkeeping node (label and id) that holds the graph's revision counter.
META_LABEL = "Meta"
META_ID = "graph"


#: Properties a server store indexes besides the unique ``id`` (LadybugDB keys on id only).
INDEXES: dict[NodeKind, tuple[str, ...]] = {
    NodeKind.ORGANISATION: ("name", "country", "type", "pic"),
    NodeKind.PROJECT: ("title", "updated_at"),
    NodeKind.TRAINING_OFFER: ("title", "eqf_level", "updated_at"),
    NodeKind.COMPETENCE: ("label", "esco_uri"),
    NodeKind.SOURCE: ("sha256",),
    NodeKind.OCCUPATION: ("label", "esco_uri"),
}


@dataclass(frozen=True)
class RelSpec:
    """A relationship type, the label pairs it may join and its properties."""

    type: RelType
    endpoints: tuple[tuple[NodeKind, NodeKind], ...]
    properties: tuple[tuple[str, PropType], ...] = ()


RELATIONSHIPS: dict[RelType, RelSpec] = {
    spec.type: spec
    for spec in (
        RelSpec(
            RelType.PARTICIPATES_IN,
            ((NodeKind.ORGANISATION, NodeKind.PROJECT),),
            (("role", PropType.STRING),),
        ),
        RelSpec(RelType.PROVIDES, ((NodeKind.ORGANISATION, NodeKind.TRAINING_OFFER),)),
        RelSpec(RelType.TEACHES, ((NodeKind.TRAINING_OFFER, NodeKind.COMPETENCE),)),
        RelSpec(RelType.TARGETS, ((NodeKind.PROJECT, NodeKind.COMPETENCE),)),
        RelSpec(
            RelType.ADDRESSES,
            (
                (NodeKind.PROJECT, NodeKind.PRIORITY),
                (NodeKind.TRAINING_OFFER, NodeKind.PRIORITY),
            ),
        ),
        RelSpec(RelType.HAS_EXPERTISE, ((NodeKind.ORGANISATION, NodeKind.COMPETENCE),)),
        RelSpec(RelType.NEEDS, ((NodeKind.ORGANISATION, NodeKind.COMPETENCE),)),
        RelSpec(
            RelType.RAISED,
            ((NodeKind.ORGANISATION, NodeKind.PRIORITY),),
            (("count", PropType.INT),),
        ),
        RelSpec(RelType.LOCATED_IN, ((NodeKind.ORGANISATION, NodeKind.COUNTRY),)),
        RelSpec(
            RelType.ACTIVE_IN,
            (
                (NodeKind.PROJECT, NodeKind.COUNTRY),
                (NodeKind.TRAINING_OFFER, NodeKind.COUNTRY),
            ),
        ),
        RelSpec(RelType.BROADER, ((NodeKind.COMPETENCE, NodeKind.COMPETENCE),)),
        # ESCO occupationSkillRelations: ``relation`` is ``essential`` or ``optional``.
        RelSpec(
            RelType.REQUIRES,
            ((NodeKind.OCCUPATION, NodeKind.COMPETENCE),),
            (("relation", PropType.STRING),),
        ),
        # Two organisations that are not the same but are tied by an identifier (a shared
        # VAT number: an institute and its parent society); ``reason`` says what ties them.
        RelSpec(
            RelType.RELATED,
            ((NodeKind.ORGANISATION, NodeKind.ORGANISATION),),
            (("reason", PropType.STRING),),
        ),
    )
}


def _prop_type(annotation: object) -> PropType:
    """Map a pydantic field annotation onto the property type both stores hold."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _prop_type(inner[0])
    if typing.get_origin(annotation) is list:
        return PropType.STRING_LIST
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return PropType.BOOL
        if issubclass(annotation, Enum | str | date):
            return PropType.STRING
        if issubclass(annotation, int):
            return PropType.INT
        if issubclass(annotation, float):
            return PropType.FLOAT
    raise TypeError(f"no store type for annotation {annotation!r}")


def node_properties(kind: NodeKind) -> dict[str, PropType]:
    """Every property of a node kind (the primary key ``id`` first), with its type."""
    fields = NODE_MODELS[kind].model_fields
    props = {name: _prop_type(field.annotation) for name, field in fields.items()}
    props[FINGERPRINT] = PropType.STRING
    return props


def model_for(kind: NodeKind) -> type[BaseModel]:
    """The pydantic model of a node kind."""
    return NODE_MODELS[kind]


def rel_properties(rel: RelType) -> dict[str, PropType]:
    """The properties of a relationship type."""
    return dict(RELATIONSHIPS[rel].properties)
