"""python manage.py champions: rebuild the champion lists that rank broad searches."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from measures.search.champions import champions_build


class Command(BaseCommand):
    help = "Rebuild the champion lists (the worker also does this when texts have changed)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--min-df", type=int, default=None, help="texts a lexeme needs")
        parser.add_argument("--depth", type=int, default=None, help="texts kept per lexeme")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        bar = tqdm(unit="lexeme", file=sys.stderr, disable=None, desc="champions")

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        build = champions_build(min_df=options["min_df"], depth=options["depth"], progress=progress)
        bar.close()
        self.stdout.write(
            f"champion lists for {build.lexemes:,} lexemes (in at least {build.min_df:,} texts,"
            f" {build.depth:,} deep) in {build.seconds:.1f} s"
        )
