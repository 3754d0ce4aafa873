"""Reading the history of the objects staff curate: versions, differences, labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from documents.models import Agency, Document
from measures.models import GlossaryTerm, Measure, MeasureText, Tag

# The objects whose history staff can read (and restore through the services).
TRACKED: dict[str, type[models.Model]] = {
    m._meta.label_lower: m for m in (Document, Agency, Measure, MeasureText, Tag, GlossaryTerm)
}
# Bookkeeping fields a comparison leaves out.
IGNORED = {"updated_at", "created_at", "curated_fields", "conflicts"}


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


def model_for(label: str) -> type[models.Model] | None:
    return TRACKED.get(label.lower())


def versions(model: type[models.Model], pk: int) -> list[Any]:
    """Every history row of one object, newest first (also after it was deleted)."""
    return list(
        model.history.filter(id=pk).select_related("history_user").order_by("-history_id")  # type: ignore[attr-defined]
    )


def _shown(model: type[models.Model], name: str, value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], dict) and "tag" in value[0]:
        ids = [row["tag"] for row in value]
        return ", ".join(sorted(Tag.objects.filter(pk__in=ids).values_list("slug", flat=True)))
    return value


def differences(old: Any, new: Any) -> list[Change]:
    """Field by field, what differs between two history rows of one object."""
    model = new.instance_type
    delta = new.diff_against(old, excluded_fields=IGNORED)
    changes = []
    for change in delta.changes:
        try:
            label = str(model._meta.get_field(change.field).verbose_name)
        except Exception:  # a history-only field
            label = change.field
        changes.append(
            Change(change.field, label, _shown(model, change.field, change.old),
                   _shown(model, change.field, change.new))
        )  # fmt: skip
    return changes


def with_changes(rows: list[Any]) -> list[tuple[Any, list[str]]]:
    """Each row with the names of the fields it changed from the row before it."""
    out = []
    for i, row in enumerate(rows):
        before = rows[i + 1] if i + 1 < len(rows) else None
        names = [c.label for c in differences(before, row)] if before is not None else []
        out.append((row, names))
    return out
