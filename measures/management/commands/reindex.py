"""python manage.py reindex: rebuild every stored search vector (after a dictionary change)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from measures.indexing import sample_rebuild
from measures.models import MeasureText
from measures.search.champions import champions_build
from measures.services import measures_reindex


class Command(BaseCommand):
    help = "Recompute the search vectors of all measure texts, then the champion lists."

    def handle(self, *args: object, **options: object) -> None:
        total = MeasureText.objects.count()
        with tqdm(total=total, unit="text", file=sys.stderr, disable=None, desc="reindex") as bar:
            done = measures_reindex(progress=bar.update)
        self.stdout.write(f"reindexed {done:,} measure texts")
        self.stdout.write(f"search sample: {sample_rebuild():,} texts")
        build = champions_build()
        self.stdout.write(f"rebuilt champion lists for {build.lexemes:,} lexemes")
