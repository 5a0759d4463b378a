"""Accepting only one read query, before it reaches a store.

The text is tokenised as the engines tokenise it (:mod:`queries.cypher_lexer`), then read
clause by clause: every word that stands where a clause may begin must open one of the read
clauses below, and ``CALL`` may only name a catalogue procedure of :data:`READ_PROCEDURES`.
Whether a word stands where a clause may begin follows from what precedes it: after a
complete expression (a name, a literal, a closing bracket) a word is an operator such as
``AND`` or ``AS`` or it opens a clause; after an operator or a clause keyword it is a name.
So ``MATCH (set:Organisation {copy: 1}) RETURN set.delete AS remove`` is a read, and
``... RETURN x SET ...`` is not.

The stores add a second line behind this one: they run the accepted statement so that the
engine itself refuses writes (see ``Store.run``'s ``read_only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto
from types import MappingProxyType

from graph.errors import QueryRefused
from queries.cypher_lexer import Kind, Token, position, tokenize

#: Procedures that only read the catalogue, on either engine (names in lower case).
READ_PROCEDURES = frozenset(
    {
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "show_tables",
        "table_info", "show_connection",
    }
)  # fmt: skip
#: Words that may open a clause (``OPTIONAL`` only before ``MATCH``, ``ORDER`` before ``BY``).
READ_CLAUSES = frozenset(
    {"MATCH", "OPTIONAL", "WHERE", "WITH", "UNWIND", "RETURN", "ORDER", "SKIP", "LIMIT",
     "UNION", "CALL", "YIELD"}
)  # fmt: skip
#: Clause words of either engine that are not reads; refused even where a name could stand
#: if the word before might itself be read as a name (``RETURN NOT set`` ...).
OTHER_CLAUSES = frozenset(
    {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "DROP", "ALTER",
     "LOAD", "COPY", "EXPORT", "IMPORT", "ATTACH", "INSTALL", "UNINSTALL", "UPDATE", "INSERT",
     "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "COMMENT", "ANALYZE", "USE", "SHOW",
     "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE", "ENABLE", "DISABLE", "RENAME",
     "EXPLAIN", "PROFILE", "FINISH", "FILTER", "LET", "TRUNCATE", "CALL", "CYPHER"}
)  # fmt: skip
#: Words that may follow a complete expression without opening a clause.
_INFIX = frozenset(
    {"AND", "OR", "XOR", "NOT", "IS", "IN", "CONTAINS", "STARTS", "ENDS", "AS", "ASC", "DESC",
     "ASCENDING", "DESCENDING"}
)  # fmt: skip
#: Words that end a sort item, so that a clause may follow.
_ENDS_ITEM = frozenset({"ASC", "DESC", "ASCENDING", "DESCENDING"})
#: Keywords that expect an operand but that an engine might read as a name.
_MAYBE_NAMES = frozenset({"NOT", "DISTINCT", "CASE", "WHEN", "THEN", "ELSE"})
_LITERALS = frozenset({"NULL", "TRUE", "FALSE"})
_SUBQUERY_WORDS = frozenset({"EXISTS", "COUNT", "COLLECT"})
#: The word a clause word must be followed by.
_FOLLOWED_BY = MappingProxyType(
    {"OPTIONAL": "MATCH", "ORDER": "BY", "STARTS": "WITH", "ENDS": "WITH"}
)
_TWO_WORDS = {"DETACH", "LOAD", "COMMENT", "EXPORT", "IMPORT", "BEGIN", "OPTIONAL", "INSTALL"}
_CLOSE = {"(": ")", "[": "]", "{": "}"}
ALLOWED = (
    "read clauses only: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, "
    "LIMIT, UNION and CALL of a catalogue procedure"
)


class _State(Enum):
    CLAUSE = auto()  # a clause must begin here
    OPERAND = auto()  # a name, literal or opening bracket must come
    AFTER = auto()  # a complete expression stands before


@dataclass
class _Level:
    """One bracket (or ``CASE ... END``) level; clause levels are the query and subqueries."""

    opener: str
    clauses: bool
    state: _State
    token: Token | None = None


class _Reader:
    """Walks the tokens once, keeping a stack of bracket levels."""

    def __init__(self, query: str, tokens: list[Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.levels = [_Level("", clauses=True, state=_State.CLAUSE)]
        #: The next word is a name whatever it spells (after ``.``, ``:``, ``::``, ``AS``).
        self.name_next = False

    def refuse(self, token: Token, what: str) -> QueryRefused:
        return QueryRefused(f"{what} ({position(self.query, token.offset)})")

    def clause_name(self, index: int) -> str:
        word = self.tokens[index].upper
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if word in _TWO_WORDS and following is not None and following.kind is Kind.WORD:
            return f"{word} {following.upper}"
        return word

    def read(self) -> None:
        index = 0
        previous: Token | None = None
        while index < len(self.tokens):
            token = self.tokens[index]
            index = self.step(index, token, previous)
            previous = token
        level = self.levels[-1]
        if level.token is not None:
            raise self.refuse(level.token, f"{level.opener} is never closed")

    def step(self, index: int, token: Token, previous: Token | None) -> int:
        level = self.levels[-1]
        name_next, self.name_next = self.name_next, False
        if token.kind is Kind.PUNCT:
            self.name_next = token.text in {".", ":", "::"}
            return self.punct(index, token, previous)
        if level.state is _State.CLAUSE and level.clauses:
            if token.kind is not Kind.WORD:
                raise self.refuse(token, f"expected a clause, found {token.text!r}; {ALLOWED}")
            return self.clause(index, token)
        if token.kind is not Kind.WORD or name_next:
            level.state = _State.AFTER
            return index + 1
        word = token.upper
        if level.opener == "CASE" and word in {"WHEN", "THEN", "ELSE", "END"}:
            if word == "END":
                self.close(token)
            else:
                level.state = _State.OPERAND
            return index + 1
        if level.state is _State.AFTER:
            if word in _INFIX:
                level.state = _State.AFTER if word in _ENDS_ITEM else _State.OPERAND
                self.name_next = word == "AS"
                return self.expect_follower(index, token)
            if level.clauses:
                return self.clause(index, token)
            if word in OTHER_CLAUSES:
                raise self.refuse(token, f"{self.clause_name(index)} is not allowed here")
            if level.opener == "CASE":
                # Neo4j reads ``case`` as a name where it can: ``WITH case AS c SET ... end``
                raise self.refuse(token, f"{token.text} cannot follow an expression inside CASE")
            level.state = _State.OPERAND  # WHERE in [x IN list WHERE ...], (n WHERE ...)
            return index + 1
        # an operand is expected: the word is a name, a literal or a prefix keyword
        if _is(previous, *_MAYBE_NAMES) and word in OTHER_CLAUSES:
            raise self.refuse(token, f"{self.clause_name(index)} is not allowed here")
        if word in {"NOT", "DISTINCT"}:
            return index + 1
        if word == "CASE":
            self.levels.append(_Level("CASE", clauses=False, state=_State.OPERAND, token=token))
            return index + 1
        level.state = _State.AFTER
        return index + 1

    def expect_follower(self, index: int, token: Token) -> int:
        """Check the word a two-word keyword needs (``ORDER BY``, ``STARTS WITH``)."""
        wanted = _FOLLOWED_BY.get(token.upper)
        if wanted is None:
            return index + 1
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        if following is None or following.upper != wanted or following.kind is not Kind.WORD:
            raise self.refuse(
                token,
                f"{self.clause_name(index)} is not allowed here; {ALLOWED}",
            )
        self.levels[-1].state = _State.OPERAND
        return index + 2

    def clause(self, index: int, token: Token) -> int:
        level = self.levels[-1]
        word = token.upper
        if word in {"ALL", "DISTINCT"} and index and _is(self.tokens[index - 1], "UNION"):
            return index + 1
        if word not in READ_CLAUSES:
            raise self.refuse(
                token,
                f"{self.clause_name(index)} is not allowed here; {ALLOWED}",
            )
        if word == "CALL":
            return self.call(index, token)
        level.state = _State.CLAUSE if word == "UNION" else _State.OPERAND
        return self.expect_follower(index, token)

    def call(self, index: int, token: Token) -> int:
        """``CALL`` of a listed procedure, by its (possibly dotted, possibly quoted) name."""
        parts: list[str] = []
        cursor = index + 1
        while cursor < len(self.tokens) and self.tokens[cursor].kind in {Kind.WORD, Kind.NAME}:
            parts.append(self.tokens[cursor].text)
            if cursor + 1 < len(self.tokens) and self.tokens[cursor + 1].text == ".":
                cursor += 2
            else:
                cursor += 1
                break
        following = self.tokens[cursor].text if cursor < len(self.tokens) else ""
        name = ".".join(parts)
        if not parts:
            raise self.refuse(token, "CALL subqueries are not allowed here; only read clauses are")
        if name.lower() not in READ_PROCEDURES:
            listed = ", ".join(sorted(READ_PROCEDURES))
            raise self.refuse(token, f"CALL {name} is not allowed here; allowed: {listed}")
        if following != "(":
            raise self.refuse(token, f"CALL {name} needs its argument list: CALL {name}()")
        self.levels[-1].state = _State.OPERAND
        return cursor

    def punct(self, index: int, token: Token, previous: Token | None) -> int:
        level = self.levels[-1]
        text = token.text
        if text == ";":
            if index != len(self.tokens) - 1:
                raise self.refuse(token, "only one statement may be sent")
            if level.token is not None:
                raise self.refuse(token, f"';' inside {level.opener}")
            return index + 1
        if level.state is _State.CLAUSE and level.clauses and not (text == "(" and level.opener):
            raise self.refuse(token, f"expected a clause, found {text!r}; {ALLOWED}")
        if text in _CLOSE:
            before = self.tokens[index - 2] if index >= 2 else None
            subquery = (
                text == "{"
                and _is(previous, *_SUBQUERY_WORDS)
                and not (before is not None and before.text in {".", ":", "::"})
                and not _is(before, "AS")
            )
            state = _State.CLAUSE if subquery else _State.OPERAND
            self.levels.append(_Level(text, clauses=subquery, state=state, token=token))
            return index + 1
        if text in _CLOSE.values():
            self.close(token)
            return index + 1
        if text == "*" and level.state is _State.OPERAND:
            level.state = _State.AFTER  # RETURN *, count(*), -[*]->
        else:
            level.state = _State.OPERAND
        return index + 1

    def close(self, token: Token) -> None:
        level = self.levels[-1]
        expected = _CLOSE.get(level.opener, "END")
        if len(self.levels) == 1 or token.upper != expected:
            raise self.refuse(token, f"{token.text!r} does not close anything open here")
        self.levels.pop()
        self.levels[-1].state = _State.AFTER


def _is(token: Token | None, *words: str) -> bool:
    return token is not None and token.kind is Kind.WORD and token.upper in words


def read_only_statement(query: str) -> str:
    """The one read statement in ``query``, ready to send; :class:`QueryRefused` otherwise.

    A trailing ``;`` is dropped. The message names the first thing refused and where it is.

    >>> read_only_statement("MATCH (o:Organisation) RETURN o.name AS name LIMIT 3;")
    'MATCH (o:Organisation) RETURN o.name AS name LIMIT 3'
    >>> read_only_statement("MATCH (o:Organisation {id: 'm-1'}) SET o.name = 'x'")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graph.errors.QueryRefused: SET is not allowed here; read clauses only: ... (line 1, column 36)
    """
    tokens = tokenize(query)
    if not tokens or tokens[0].text == ";":
        raise QueryRefused("the query is empty")
    _Reader(query, tokens).read()
    if tokens[-1].text == ";" and tokens[-1].kind is Kind.PUNCT:
        return query[: tokens[-1].offset].rstrip()
    return query
