"""Parameter types and error answers shared by every route of the JSON API.

PostgreSQL refuses text with a NUL character, and a lone surrogate cannot be encoded at
all: either would reach the database as an error (a 500). Every string parameter of the
API is one of the types below, so such input is refused where it is parsed, with a 422
that names the parameter, on every route at once.
"""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

_SURROGATES = range(0xD800, 0xE000)


def _storable(value: str) -> str:
    """Text PostgreSQL can compare: no NUL, no lone surrogate (UTF-16 halves)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if any(ord(ch) in _SURROGATES for ch in value):
        raise ValueError("must not contain lone surrogates (invalid Unicode)")
    return value


# The schema says so too, so that clients (and schemathesis) know NUL is refused.
_NO_NUL = Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
# A word or query in any language; long input is cut by the search itself.
Text = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_storable), _NO_NUL]
# A key or slug (agency, tag, region): short, and matched exactly.
Key = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable), _NO_NUL]


class Out(BaseModel):
    """The schema of an answer. The routes build their answers as dicts (model instances
    only where a field is a plain attribute), which pydantic's core validates directly:
    ninja's Schema would read every field of every nested object through a Python getter
    first, a tenth of a search's time."""

    model_config = ConfigDict(from_attributes=True)


class Message(Out):
    """A 4xx answer: what was wrong, in the interface language."""

    detail: str


class FieldError(Out):
    loc: list[str | int]
    msg: str
    type: str


class ValidationFailure(Out):
    """422: the parameters that were refused, and a sentence saying so."""

    message: str
    detail: list[FieldError]


# Every route documents these answers besides its own 200 (503: the database is down,
# answered by policykb.middleware).
ERRORS = {404: Message, 422: ValidationFailure, 503: Message}
NOT_FOUND = _("Not found.")
INVALID = _("Some parameters are not valid: %(names)s.")
