"""Resolving references to competences and organisations, and merging organisations.

Competences match by id, label, alternative label or ESCO URI, folded (case, accents,
white space and punctuation ignored). The partnership's own competences win over ESCO
catalogue entries: a name or URI that both know resolves to the partnership's one.

Organisations named by a canonical file match by id, then by name folded and stripped of
its legal form, then by a fuzzy name match above a threshold. Organisations a source
describes (a CORDIS participant, an Erasmus+ partner: an :class:`OrgMention`) go through
:meth:`OrganisationIndex.match`: exact identifiers first (PIC, VAT number, website
domain), then the normalised name with the same country, then name similarity above the
threshold with the same country. Two candidates where one is needed is *ambiguous* and
is never merged automatically.

What keeps two organisations apart, whatever their names:

* two different PICs (or two different VAT numbers): a shared VAT number between two
  PICs makes them *related* (an institute and its parent society), never the same;
* names that differ in a number or a short word in place of another (an acronym, a
  unit designator: :func:`ingest.normalise.name_difference`);
* being listed side by side in one project in the same role (the ``exclude`` of a
  match): two partners of a project are two organisations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from graph.schema import ESCO_ID_PREFIX
from ingest.normalise import fold, name_difference, organisation_key, slug
from ingest.records import OrgMention

#: Lowest rapidfuzz ``token_sort_ratio`` (0-100) at which two organisation names match.
FUZZY_ORGANISATION_THRESHOLD = 90.0

#: Hosts that many organisations share: never evidence that two are the same.
SHARED_HOSTS = frozenset(
    {"facebook.com", "linkedin.com", "twitter.com", "x.com", "instagram.com", "youtube.com",
     "google.com", "sites.google.com", "wordpress.com", "blogspot.com", "europa.eu"}
)  # fmt: skip

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class Match:
    """A resolved reference: the id, and the score when it was a fuzzy match."""

    id: str
    name: str
    score: float | None = None

    @property
    def fuzzy(self) -> bool:
        return self.score is not None


class CompetenceIndex:
    """Competences by every name they go by; the partnership's own ones win over ESCO."""

    def __init__(self) -> None:
        self._own: dict[str, str] = {}
        self._catalogue: dict[str, str] = {}
        self._ids: set[str] = set()
        self._uri_owner: dict[str, str] = {}
        self._uri_of: dict[str, str] = {}

    def add(
        self, competence_id: str, label: str, alt_labels: Iterable[str], esco_uri: str | None
    ) -> None:
        """Index one competence; an id always wins over another competence's label."""
        catalogue = competence_id.startswith(ESCO_ID_PREFIX)
        names = self._catalogue if catalogue else self._own
        self._ids.add(competence_id)
        names[fold(competence_id)] = competence_id
        uri = fold(esco_uri or "")
        if uri:
            self._uri_of[competence_id] = uri
            if not catalogue:
                self._uri_owner.setdefault(uri, competence_id)
        for name in (label, *alt_labels, esco_uri or ""):
            key = fold(name)
            if key:
                names.setdefault(key, competence_id)

    def resolve(self, value: str) -> str | None:
        """The id of the competence a cell names, or None."""
        if value in self._ids:
            return value
        key = fold(value)
        if key in self._own:
            return self._own[key]
        found = self._catalogue.get(key)
        if found is None:
            return None
        return self._uri_owner.get(self._uri_of.get(found, ""), found)

    def by_uri(self, uri: str) -> str | None:
        """The ESCO catalogue competence of a URI (not the partnership's one citing it)."""
        found = self._catalogue.get(fold(uri))
        return found if found is not None and found in self._uri_of else None


def web_domain(website: str | None) -> str | None:
    """The host of a website without ``www.`` (``https://www.acme.eu/x`` -> ``acme.eu``)."""
    if not website or not website.strip():
        return None
    text = website.strip().lower()
    host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    host = host.removeprefix("www.")
    if "." not in host or host in SHARED_HOSTS:
        return None
    return host


def vat_key(vat: str | None) -> str | None:
    """A VAT number upper-cased with spaces, dots and dashes removed."""
    cleaned = _NOT_ALNUM.sub("", (vat or "").upper())
    return cleaned if len(cleaned) >= 4 else None


class Outcome(StrEnum):
    """What :meth:`OrganisationIndex.match` decided."""

    MATCHED = "matched"
    NEW = "new"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Candidate:
    """An organisation a mention might be."""

    id: str
    name: str
    country: str | None
    score: float


@dataclass(frozen=True)
class Decision:
    """The outcome of matching a mention, with the evidence for it.

    ``related`` are organisations the mention is not, but is tied to by an identifier
    (``(id, reason)``: a VAT number it shares under another PIC).
    """

    outcome: Outcome
    id: str | None = None
    evidence: str = ""
    candidates: tuple[Candidate, ...] = ()
    related: tuple[tuple[str, str], ...] = ()


@dataclass
class OrgFacts:
    """What the index knows of one organisation."""

    id: str
    name: str
    country: str | None = None
    pic: str | None = None
    vat: str | None = None
    domain: str | None = None
    keys: set[str] = field(default_factory=set)


def _sorted_tokens(key: str) -> str:
    return " ".join(sorted(key.split()))


class _NameTable:
    """Names of one country with their tokens sorted once, for a fast token-sort ratio.

    ``fuzz.ratio`` of token-sorted strings is ``fuzz.token_sort_ratio``; sorting each name
    once rather than on every comparison keeps matching linear in the names compared.
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: list[list[str]] = []
        self._position: dict[str, int] = {}

    def add(self, key: str, organisation_id: str) -> None:
        name = _sorted_tokens(key)
        position = self._position.get(name)
        if position is None:
            self._position[name] = position = len(self.names)
            self.names.append(name)
            self.ids.append([])
        if organisation_id not in self.ids[position]:
            self.ids[position].append(organisation_id)

    def similar(self, key: str, threshold: float) -> list[tuple[str, float]]:
        """Ids of names at least ``threshold`` similar to ``key``, with their scores."""
        hits = process.extract(
            _sorted_tokens(key), self.names, scorer=fuzz.ratio, processor=None,
            score_cutoff=threshold, limit=5,
        )  # fmt: skip
        return [(i, float(score)) for _, score, position in hits for i in self.ids[position]]


class OrganisationIndex:
    """Organisations by id, identifiers and normalised name, with a fuzzy fallback."""

    def __init__(self, threshold: float = FUZZY_ORGANISATION_THRESHOLD) -> None:
        self.threshold = threshold
        self._names: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self._facts: dict[str, OrgFacts] = {}
        self._keys: dict[str, list[str]] = defaultdict(list)
        self._by_country: dict[str, _NameTable] = defaultdict(_NameTable)
        self._by_pic: dict[str, str] = {}
        self._by_vat: dict[str, str] = {}
        self._by_domain: dict[str, list[str]] = defaultdict(list)

    def add(
        self,
        organisation_id: str,
        name: str,
        *,
        country: str | None = None,
        pic: str | None = None,
        vat: str | None = None,
        website: str | None = None,
        aliases: Iterable[str] = (),
    ) -> None:
        """Index one organisation (again, to add what a later source says about it)."""
        self._names.setdefault(organisation_id, name)
        facts = self._facts.setdefault(organisation_id, OrgFacts(organisation_id, name))
        facts.country = facts.country or country
        if pic and not facts.pic:
            facts.pic = pic
            self._by_pic.setdefault(pic, organisation_id)
        vat_id = vat_key(vat)
        if vat_id and not facts.vat:
            facts.vat = vat_id
            self._by_vat.setdefault(vat_id, organisation_id)
        domain = web_domain(website)
        if domain and not facts.domain:
            facts.domain = domain
            self._by_domain[domain].append(organisation_id)
        for spelling in (name, *aliases):
            key = organisation_key(spelling)
            self._by_key.setdefault(key, organisation_id)
            if key in facts.keys:
                continue
            facts.keys.add(key)
            self._keys[key].append(organisation_id)
            if facts.country:
                self._by_country[facts.country].add(key, organisation_id)

    def __contains__(self, organisation_id: str) -> bool:
        return organisation_id in self._names

    def name_of(self, organisation_id: str) -> str:
        """The name an organisation was indexed under."""
        return self._names[organisation_id]

    def resolve(self, value: str, *, exclude: Iterable[str] = ()) -> Match | None:
        """The organisation a cell names (id, exact name, or fuzzy name), or None.

        ``exclude`` are organisations the name cannot be (the other partners of its
        project); a similar name that differs in a number or an acronym is not a match.
        """
        if value in self._names:
            return Match(value, self._names[value])
        excluded = set(exclude)
        key = organisation_key(value)
        found = self._by_key.get(key)
        if (
            found is not None
            and found not in excluded
            and not name_difference(value, self._names[found])
        ):
            return Match(found, self._names[found])
        hits = process.extract(
            key, self._by_key.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold,
            limit=10,
        )  # fmt: skip
        for name, score, _ in hits:
            found = self._by_key[name]
            if name != key and found not in excluded and not name_difference(key, name):
                return Match(found, self._names[found], round(float(score), 1))
        return None

    # -- merging what sources say --------------------------------------------------------
    def _conflicts(self, facts: OrgFacts, mention: OrgMention) -> bool:
        """Two different identifiers of the same kind: never the same organisation."""
        vat = vat_key(mention.vat)
        return bool(
            (mention.pic and facts.pic and mention.pic != facts.pic)
            or (vat and facts.vat and vat != facts.vat)
        )

    def _country_fits(self, facts: OrgFacts, mention: OrgMention) -> bool:
        return not facts.country or not mention.country or facts.country == mention.country

    def _candidate(self, organisation_id: str, score: float) -> Candidate:
        facts = self._facts[organisation_id]
        return Candidate(organisation_id, facts.name, facts.country, score)

    def _differs(self, facts: OrgFacts, mention: OrgMention, key: str) -> bool:
        """Whether the names say two organisations apart (see :func:`name_difference`)."""
        if key in facts.keys:
            return name_difference(mention.name, facts.name) is not None
        return all(name_difference(key, known) is not None for known in facts.keys)

    def match(
        self, mention: OrgMention, *, by_name: bool = True, exclude: Iterable[str] = ()
    ) -> Decision:
        """Decide which known organisation a mention is, if any.

        ``by_name=False`` uses identifiers only (a reviewer said the name match is wrong);
        ``exclude`` are organisations the mention cannot be (the other partners of its
        project).
        """
        excluded = set(exclude)
        if mention.pic and mention.pic in self._by_pic:
            return Decision(Outcome.MATCHED, self._by_pic[mention.pic], f"PIC {mention.pic}")
        vat = vat_key(mention.vat)
        related: tuple[tuple[str, str], ...] = ()
        if vat and vat in self._by_vat:
            owner = self._by_vat[vat]
            if self._conflicts(self._facts[owner], mention) or owner in excluded:
                related = ((owner, f"shared VAT number {vat} under another PIC"),)
            else:
                return Decision(Outcome.MATCHED, owner, f"VAT number {vat}")
        decision = self._match_rest(mention, by_name, excluded | {i for i, _ in related})
        return Decision(decision.outcome, decision.id, decision.evidence, decision.candidates,
                        related)  # fmt: skip

    def _match_rest(self, mention: OrgMention, by_name: bool, excluded: set[str]) -> Decision:
        """Website domain, then name and country, then name similarity."""
        key = organisation_key(mention.name)

        def possible(i: str) -> bool:
            facts = self._facts[i]
            return (i not in excluded and not self._conflicts(facts, mention)
                    and self._country_fits(facts, mention))  # fmt: skip

        domain = web_domain(mention.website)
        if domain:
            owners = [i for i in self._by_domain.get(domain, []) if possible(i)
                      and not self._differs(self._facts[i], mention, key)]  # fmt: skip
            if len(owners) == 1:
                return Decision(Outcome.MATCHED, owners[0], f"website domain {domain}")
        if not by_name:
            return Decision(Outcome.NEW)
        same = [i for i in self._keys.get(key, []) if possible(i)
                and not self._differs(self._facts[i], mention, key)]  # fmt: skip
        if mention.country and len(same) > 1:
            same = [i for i in same if self._facts[i].country == mention.country] or same
        if len(same) == 1:
            found = self._facts[same[0]]
            where = f"and country {mention.country}" if found.country else "(no country known)"
            return Decision(Outcome.MATCHED, same[0], f"same name {where}")
        if len(same) > 1:
            return Decision(
                Outcome.AMBIGUOUS,
                evidence="several organisations have this name",
                candidates=tuple(self._candidate(i, 100.0) for i in same),
            )
        if not mention.country:
            return Decision(Outcome.NEW)
        table = self._by_country.get(mention.country)
        found_ids: dict[str, float] = {}
        for candidate, score in table.similar(key, self.threshold) if table else ():
            if possible(candidate) and not self._differs(self._facts[candidate], mention, key):
                found_ids[candidate] = max(found_ids.get(candidate, 0.0), score)
        if len(found_ids) == 1:
            ((only, score),) = found_ids.items()
            return Decision(
                Outcome.MATCHED,
                only,
                f"name similarity {score:.1f} and country {mention.country}",
            )
        if len(found_ids) > 1:
            ranked = sorted(found_ids.items(), key=lambda item: (-item[1], item[0]))
            return Decision(
                Outcome.AMBIGUOUS,
                evidence=f"{len(ranked)} organisations in {mention.country} have a similar name",
                candidates=tuple(self._candidate(i, round(s, 1)) for i, s in ranked),
            )
        return Decision(Outcome.NEW)

    def new_id(self, name: str) -> str:
        """An id for an organisation first named by a reference, not yet taken."""
        base = "org-" + slug(organisation_key(name))
        candidate, counter = base, 2
        while candidate in self._names:
            candidate, counter = f"{base}-{counter}", counter + 1
        return candidate
