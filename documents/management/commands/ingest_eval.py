"""python manage.py ingest_eval FOLDER...: how right ingestion is on notices with gold answers."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.evaluation import FIELDS, Report, evaluate, load_corpus
from documents.pipeline.errors import IngestError
from documents.services import agency_refs


class Command(BaseCommand):
    help = (
        "Parse every notice that has a NAME.gold.json beside it (nothing is stored) and print, "
        "per field, how many are right and the misses."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("folders", nargs="+", metavar="FOLDER")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        agencies = agency_refs()
        if not agencies:
            self.stderr.write("the agency registry is empty: run load_reference_data first")
        for raw in options["folders"]:
            folder = Path(raw)
            if not folder.is_dir():
                raise CommandError(f"{folder}: no such folder")
            try:
                cases = load_corpus(folder)
            except IngestError as exc:
                raise CommandError(str(exc)) from exc
            self._print(folder, evaluate(cases, agencies=agencies))

    def _print(self, folder: Path, report: Report) -> None:
        self.stdout.write(f"{folder}: {report.notices} notices")
        for name in FIELDS:
            if report.checked[name]:
                self.stdout.write(
                    f"  {name:<13} {report.right[name]:>3}/{report.checked[name]:<3}"
                    f" {report.share(name):7.1%}"
                )
        for failure in report.failed:
            self.stdout.write(self.style.ERROR(f"  ✗ {failure}"))
        if report.misses:
            self.stdout.write("  misses:")
        for miss in report.misses:
            self.stdout.write(
                f"  - {miss.name} [{miss.field}]: expected {miss.expected!r}, got {miss.got!r}"
            )
