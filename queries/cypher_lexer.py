"""Splitting Cypher text into tokens the way both engines do, refusing what they might not.

The read-only check (:mod:`queries.readonly`) is only as good as its agreement with the
engines on where a comment, a string or a quoted name ends. Where LadybugDB and Neo4j
tokenise differently, or where either one does something surprising, the text is refused
rather than guessed:

* ``//`` comments end at a line feed. LadybugDB's lexer (the openCypher grammar) ends them
  only at ``\\n``, ``\\r\\n`` or the end of the text; a lone ``\\r`` makes it give up on the
  comment and read ``/`` as division, while Neo4j ends the comment there. A comment holding
  ``\\r`` (other than before ``\\n``) or any other line or page separator is refused.
* ``/* */`` comments do not nest and end at the first ``*/`` on Neo4j; LadybugDB's grammar
  reads ``**/`` as a star followed by ``*/``'s slash and goes on. A block comment holding a
  ``*`` of its own is refused, as is one left open.
* Strings take either quote and the escapes both engines know (``\\\\ \\' \\" \\b \\f \\n \\r
  \\t \\uXXXX \\UXXXXXXXX``); any other escape, or a string left open, is refused.
* Quoted names use backticks, a doubled backtick standing for one.
* Outside strings, comments and quoted names only ASCII is accepted: LadybugDB takes
  no-break and other Unicode spaces as white space and Unicode letters as name characters,
  which no simple scanner should have to imitate. Quote such a name with backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from graph.errors import QueryRefused


class Kind(Enum):
    """What a token is."""

    WORD = "word"  # an unquoted name or keyword
    NAME = "name"  # a `quoted` name
    STRING = "string"
    NUMBER = "number"
    PARAM = "param"
    PUNCT = "punct"


@dataclass(frozen=True)
class Token:
    """One token, with the offset of its first character in the query."""

    kind: Kind
    text: str
    offset: int

    @property
    def upper(self) -> str:
        """The text in capitals: keywords are case-insensitive."""
        return self.text.upper()


_SPACE = " \t\n\r"
#: Line and page separators some engine may treat as the end of a ``//`` comment.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PARAM = re.compile(r"\$(?:[A-Za-z0-9_]+|`(?:[^`]|``)*`)")
_PUNCT = ("..", "::", *"()[]{},.:;|+-*/%^=<>!~&")
#: Escapes both engines read, with the number of hex digits that follow each.
_ESCAPES = {"\\": 0, "'": 0, '"': 0, "b": 0, "f": 0, "n": 0, "r": 0, "t": 0, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]*")


def position(query: str, offset: int) -> str:
    """``line L, column C`` of an offset (both counted from 1)."""
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _refuse(query: str, offset: int, what: str) -> QueryRefused:
    return QueryRefused(f"{what} ({position(query, offset)})")


def _line_comment_end(query: str, start: int) -> int:
    end = query.find("\n", start)
    end = len(query) if end < 0 else end
    body = query[start:end]
    for index, char in enumerate(body):
        lone_return = char == "\r" and start + index + 1 != end
        if lone_return or char in _OTHER_BREAKS:
            raise _refuse(
                query,
                start + index,
                f"a // comment holds U+{ord(char):04X}; end comments with a line feed only",
            )
    return end


def _block_comment_end(query: str, start: int) -> int:
    end = query.find("*/", start + 2)
    if end < 0:
        raise _refuse(query, start, "a /* comment is never closed")
    star = query.find("*", start + 2, end)
    if star >= 0:
        raise _refuse(query, star, "a /* comment may not hold '*' (engines disagree where it ends)")
    return end + 2


def _string_end(query: str, start: int) -> int:
    quote = query[start]
    index = start + 1
    while index < len(query):
        char = query[index]
        if char == quote:
            return index + 1
        if char != "\\":
            index += 1
            continue
        escape = query[index + 1 : index + 2]
        digits = _ESCAPES.get(escape)
        hex_digits = query[index + 2 : index + 2 + (digits or 0)]
        if digits is None or len(hex_digits) != digits or not _HEX.fullmatch(hex_digits):
            raise _refuse(
                query, index, f"a string holds the escape \\{escape}, which not every engine reads"
            )
        index += 2 + digits
    raise _refuse(query, start, f"a string opened with {quote} is never closed")


def _quoted_name_end(query: str, start: int) -> tuple[int, str]:
    index = start
    parts: list[str] = []
    while query.startswith("`", index):
        close = query.find("`", index + 1)
        if close < 0:
            raise _refuse(query, start, "a `quoted name` is never closed")
        parts.append(query[index + 1 : close])
        index = close + 1
    return index, "`".join(parts)


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query``, comments and white space left out.

    Raises :class:`~graph.errors.QueryRefused` for text the engines might read differently.

    >>> [t.text for t in tokenize("MATCH (o) // who\\nRETURN o.`odd``name` AS x")]
    ['MATCH', '(', 'o', ')', 'RETURN', 'o', '.', 'odd`name', 'AS', 'x']
    """
    tokens: list[Token] = []
    index = 0
    while index < len(query):
        char = query[index]
        if char in _SPACE:
            index += 1
        elif query.startswith("//", index):
            index = _line_comment_end(query, index + 2)
        elif query.startswith("/*", index):
            index = _block_comment_end(query, index)
        elif char in "'\"":
            end = _string_end(query, index)
            tokens.append(Token(Kind.STRING, query[index:end], index))
            index = end
        elif char == "`":
            end, value = _quoted_name_end(query, index)
            tokens.append(Token(Kind.NAME, value, index))
            index = end
        elif match := _PARAM.match(query, index):
            tokens.append(Token(Kind.PARAM, match.group(), index))
            index = match.end()
        elif match := _WORD.match(query, index):
            tokens.append(Token(Kind.WORD, match.group(), index))
            index = match.end()
        elif match := _NUMBER.match(query, index):
            if _WORD.match(query, match.end()):
                raise _refuse(query, index, "a number runs into a name; put a space between them")
            tokens.append(Token(Kind.NUMBER, match.group(), index))
            index = match.end()
        elif punct := next((p for p in _PUNCT if query.startswith(p, index)), None):
            tokens.append(Token(Kind.PUNCT, punct, index))
            index += len(punct)
        else:
            shown = f"U+{ord(char):04X}" if not char.isprintable() or not char.isascii() else char
            raise _refuse(
                query,
                index,
                f"unexpected character {shown} outside a string, comment or `quoted name`",
            )
    return tokens
