"""Response models of the HTTP API."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from graph import model

T = TypeVar("T")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: object) -> object:
    """Only ``YYYY-MM-DD`` text (pydantic alone would also take ``0`` as a timestamp)."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("use an ISO 8601 date, YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]


class Page(BaseModel, Generic[T]):
    """A page of a list, with the total number of matches."""

    data: list[T]
    count: int = Field(description="Total number of matches, all pages together")


class Ref(BaseModel):
    """A neighbour in a detail page."""

    model_config = ConfigDict(extra="allow")

    id: str


class OrganisationDetail(model.Organisation):
    projects: list[Ref] = []
    offers: list[Ref] = []
    expertise: list[Ref] = []
    needs: list[Ref] = []
    priorities: list[Ref] = []
    partners: list[Ref] = []


class ProjectDetail(model.Project):
    participants: list[Ref] = []
    competences: list[Ref] = []
    countries: list[Ref] = []
    priorities: list[Ref] = []


class TrainingOfferDetail(model.TrainingOffer):
    providers: list[Ref] = []
    competences: list[Ref] = []
    countries: list[Ref] = []


class CompetenceDetail(model.Competence):
    needed_by: list[Ref] = []
    expertise_of: list[Ref] = []
    taught_by: list[Ref] = []
    targeted_by: list[Ref] = []
    broader: list[Ref] = []


class PriorityDetail(model.Priority):
    raised_by: list[Ref] = []
    projects: list[Ref] = []
    offers: list[Ref] = []


class Health(BaseModel):
    status: str
    backend: str
    revision: int
    #: What the store said when it was opened, e.g. a file a crash kept from being written.
    notices: list[str] = []


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, object] | list[object] | None = None


class ErrorResponse(BaseModel):
    """The one shape of every error."""

    error: ErrorBody
