"""Helpers shared by the services of every app."""

from typing import Any

from django.db import models


def save_if_changed(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set `values` and save, only when something really changed (so no empty history rows)."""
    if obj.pk and all(getattr(obj, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return True
