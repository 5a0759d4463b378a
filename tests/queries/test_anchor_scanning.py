"""The fast scans of the anchor search find what their plain definitions find.

``queries.semantic`` tells a title-case text by its characters' shapes (ASCII texts) and
looks for a token's word boundary behind its first character; both must agree with the
plain regular expressions they replace on any text, ASCII or not.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from queries.semantic import _CANDIDATE as CANDIDATE
from queries.semantic import MAX_CAPITALISED_SHARE, _title_case, anchors

#: The definitions: a word starts at a letter after a word boundary; a token may be an
#: anchor when it starts at a word boundary with a digit or a possible capital.
WORD_START = re.compile(r"\b[^\W\d_]")
PLAIN_CANDIDATE = re.compile(r"\b[0-9A-Z\u00c0-\u00de\u0100-\u024f\u0370-\u04ff](?:[\w./+-]*\w)?")

#: Letters, digits, marks and separators of the scripts the anchors look at, with the
#: non-word characters that lie inside the candidates' ranges (the multiplication sign, Greek and
#: Cyrillic signs).
TRICKY = "aZz09_ -./+,;:!?\t\n'\"()\u00ab\u201c\u2013\u00d7\u00c0\u00de\u00df\u00e0\u0100\u024f\u0370\u037a;\u0384\u00b7\u03d0\u03f4\u03f5\u03f6\u0400\u042f\u044f\u0482\u0483\u0488\u04ff\u00b2\u00bd\u2167\u01c5\u0130\u0131\ufb01"
texts = st.text(alphabet=st.sampled_from(TRICKY), max_size=80) | st.text(max_size=40)
ascii_texts = st.text(alphabet=st.characters(max_codepoint=127), max_size=120)


def _plain_title_case(text: str) -> bool:
    starts = WORD_START.findall(text)
    return sum(map(str.isupper, starts)) > MAX_CAPITALISED_SHARE * len(starts)


@settings(max_examples=400)
@given(ascii_texts | texts)
def test_title_case_agrees_with_counting_word_starts(text: str) -> None:
    assert _title_case(text) == _plain_title_case(text)


@settings(max_examples=400)
@given(texts | ascii_texts)
def test_candidates_agree_with_a_leading_word_boundary(text: str) -> None:
    found = [match.span() for match in CANDIDATE.finditer(text)]
    assert found == [match.span() for match in PLAIN_CANDIDATE.finditer(text)]


def test_title_case_text_gives_only_numbers_and_sentence_case_gives_names() -> None:
    assert anchors("Battery Safety For Technicians With KUKA Robots, 40 Hours") == {"40"}
    assert anchors("Battery safety with KUKA robots in Győr, 40 hours.") == {"kuka", "gyor", "40"}
