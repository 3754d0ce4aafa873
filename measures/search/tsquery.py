"""Reading and writing tsquery text, as PostgreSQL prints and parses it.

Search asks PostgreSQL once to turn the user's words into tsqueries and then passes
their text back as bound parameters; champion lists are keyed by the lexemes in it.
"""

from __future__ import annotations

import re

# A quoted lexeme: '' stands for a quote and \\ for a backslash inside it.
_LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'")


def lexemes(tsquery: str) -> list[str]:
    """The distinct lexemes of a tsquery's text, in order of appearance."""
    found = (_unquote(m.group(1)) for m in _LEXEME.finditer(tsquery or ""))
    return list(dict.fromkeys(found))


def _unquote(body: str) -> str:
    return re.sub(r"''|\\(.)", lambda m: "'" if m.group(0) == "''" else m.group(1), body)


def quote(lexeme: str) -> str:
    """A lexeme as tsquery text that matches exactly that lexeme (no normalising)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def any_of(words: list[str]) -> str:
    """tsquery text matching any of the lexemes ('' when there are none)."""
    return " | ".join(quote(w) for w in words)


def in_titles(tsquery_text: str | None) -> str | None:
    """The same tsquery matched against title words only (weight A).

    Equivalent to ts_filter(vector, '{a}') @@ query without copying every vector.
    """
    if tsquery_text is None:
        return None
    return _LEXEME.sub(lambda m: m.group(0) + ":A", tsquery_text)


def in_weights(tsquery_text: str | None, weights: str) -> str | None:
    """The same tsquery matched against the words of the given weights only ("AD")."""
    if tsquery_text is None:
        return None
    return _LEXEME.sub(lambda m: m.group(0) + ":" + weights, tsquery_text)


def needs_all(tsquery_text: str) -> bool:
    """Whether the tsquery joins words with AND or a phrase operator anywhere."""
    operators = _LEXEME.sub(" ", tsquery_text or "")
    return "&" in operators or "<" in operators
