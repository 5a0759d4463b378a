"""Parsing single cells; each parser raises ``ValueError`` with a message for the user."""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

import pycountry

LIST_SEPARATOR = ";"

#: Codes some sources write that ISO 3166-1 does not (CORDIS and the EU use EL and UK).
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}


def text(cell: str) -> str | None:
    """The cell, or None when it is empty."""
    return cell or None


def items(cell: str) -> list[str]:
    """A ``;``-separated list cell, empty items dropped."""
    if not cell:
        return []
    return [part for part in map(str.strip, cell.split(LIST_SEPARATOR)) if part]


def iso_date(cell: str) -> date | None:
    """An ISO 8601 date (a datetime keeps its date part)."""
    if not cell:
        return None
    try:
        return date.fromisoformat(cell[:10])
    except ValueError:
        raise ValueError(f"{cell!r} is not an ISO 8601 date (YYYY-MM-DD)") from None


def number(cell: str) -> float | None:
    """A finite decimal number; a comma as decimal separator is accepted when it is the only one."""
    if not cell:
        return None
    cleaned = cell.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{cell!r} is not a number") from None
    if not math.isfinite(value):  # float() reads "inf", "nan" and 1e400 as numbers
        raise ValueError(f"{cell!r} is not a finite number")
    return value


def integer(cell: str) -> int | None:
    """A whole number."""
    value = number(cell)
    if value is None:
        return None
    if not value.is_integer():
        raise ValueError(f"{cell!r} is not a whole number")
    return int(value)


# Cached: a file names the same few countries on every row. A refused cell raises, and
# what raises is not cached.
@lru_cache(maxsize=4096)
def country(cell: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code or an English name."""
    value = cell.strip()
    code = COUNTRY_ALIASES.get(value.upper(), value.upper())
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        raise ValueError(
            f"{cell!r} is not a known country (ISO 3166-1 code or English name)"
        ) from None


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """The English short name of a country code."""
    found = pycountry.countries.get(alpha_2=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code
