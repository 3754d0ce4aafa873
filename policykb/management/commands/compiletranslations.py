"""Compile the gettext catalogues with Babel, so no GNU gettext is needed on the machine.

The Traditional Chinese catalogue is derived from the Simplified one with OpenCC; entries
in locale/zh_Hant/LC_MESSAGES/django.po, where present, override the conversion.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand

from policykb.chinese import to_traditional


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _traditional_from(simplified: Catalog, overrides: Catalog) -> Catalog:
    catalog = Catalog(locale="zh_Hant", domain="django")
    for message in simplified:
        if not message.id:
            continue
        override = overrides.get(message.id, message.context)
        if override is not None and override.string and not override.fuzzy:
            string = override.string
        elif isinstance(message.string, tuple | list):
            string = tuple(to_traditional(s) for s in message.string)
        else:
            string = to_traditional(message.string)
        catalog.add(message.id, string, context=message.context)
    return catalog


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po to .mo (Traditional derived with OpenCC)."

    def handle(self, *args: object, **options: object) -> None:
        root = Path(settings.LOCALE_PATHS[0])
        simplified_po = root / "zh_Hans" / "LC_MESSAGES" / "django.po"
        simplified = _read(simplified_po, "zh_Hans")
        catalogs = {
            "zh_Hans": simplified,
            "zh_Hant": _traditional_from(
                simplified, _read(root / "zh_Hant" / "LC_MESSAGES" / "django.po", "zh_Hant")
            ),
        }
        for locale, catalog in catalogs.items():
            target = root / locale / "LC_MESSAGES" / "django.mo"
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            self.stdout.write(
                f"compiled {target.relative_to(root.parent)} ({len(catalog)} messages)"
            )
