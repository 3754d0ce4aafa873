"""Recount the stored counts of published measures from scratch (the worker does it daily)."""

from django.core.management.base import BaseCommand

from measures.counts import counts_rebuild


class Command(BaseCommand):
    help = "Recount the stored counts (home, agencies, years, the agency-by-year matrix)."

    def handle(self, *args: object, **options: object) -> None:
        measures = counts_rebuild()
        self.stdout.write(f"counted {measures} published measures")
