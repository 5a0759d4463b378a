"""Text normalisation for matching names, labels and answers."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")

#: Legal forms removed from organisation names before matching, already normalised.
LEGAL_FORMS = frozenset(
    {
        "gmbh", "ag", "sa", "s a", "sas", "sarl", "srl", "s r l", "spa", "s p a", "sro",
        "s r o", "sp z o o", "sp zoo", "lda", "ltd", "limited", "plc", "ev", "e v", "ab",
        "as", "a s", "bv", "b v", "nv", "n v", "oy", "oyj", "kg", "gmbh co kg", "se",
        "inc", "llc", "sl", "s l", "doo", "d o o", "kft", "zrt", "aps", "asa", "ug", "eg", "ggmbh", "vzw", "asbl", "ou", "uab", "sia",
    }
)  # fmt: skip
_LEGAL_SUFFIX = re.compile(
    r"(?:\s(?:"
    + "|".join(sorted((re.escape(f) for f in LEGAL_FORMS), key=len, reverse=True))
    + r"))+$"
)


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, white space collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain).strip()


def organisation_key(name: str) -> str:
    """A name folded and stripped of its legal form (``Voltaria Mobility GmbH`` -> ``voltaria mobility``)."""
    folded = fold(name)
    stripped = _LEGAL_SUFFIX.sub("", folded).strip()
    return stripped or folded


def slug(text: str) -> str:
    """An id-safe form of a name."""
    return fold(text).replace(" ", "-")
