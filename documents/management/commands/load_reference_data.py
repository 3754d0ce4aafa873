"""Load the agencies, tags, glossary and seed notices from fixtures/ (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.services import agencies_load, notice_ingest_file
from measures.services import glossary_load, phrasings_load, tags_load

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load fixtures/agencies.json, tags.json, glossary.json, phrasings.json and the seed notices."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"agencies: {agencies_load(path=FIXTURES / 'agencies.json')}")
        self.stdout.write(f"tags: {tags_load(path=FIXTURES / 'tags.json')}")
        self.stdout.write(f"glossary terms: {glossary_load(path=FIXTURES / 'glossary.json')}")
        self.stdout.write(f"owners' phrasings: {phrasings_load(path=FIXTURES / 'phrasings.json')}")
        for path in sorted((FIXTURES / "seeds").glob("*.txt")):
            outcome = notice_ingest_file(path=path, publish=True)
            self.stdout.write(
                f"{path.name}: {outcome.status}, {outcome.document.found_measures} measures"
            )
