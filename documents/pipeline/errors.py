"""Errors raised by the ingestion pipeline.

Every error names the file that could not be ingested so that a curator
reading a log line knows which input to look at.
"""

from __future__ import annotations


class IngestError(Exception):
    """A notice could not be ingested; the message starts with the file name."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        if name and not message.startswith(f"{name}:"):
            message = f"{name}: {message}"
        super().__init__(message)
        self.name = name
