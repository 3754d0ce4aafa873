"""python manage.py relevance [PATH …]: recall@10, MRR and precision@10 of the relevance sets."""

from pathlib import Path

from django.core.management.base import BaseCommand

from measures.search.evaluation import SETS, Report, evaluate


class Command(BaseCommand):
    help = (
        "Run the relevance query sets (relevance/*.json) against the published measures;"
        " print recall@10 and MRR per set, kind and script, and precision@10."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="*", help="query sets (default: every set)")
        parser.add_argument("--misses", action="store_true", help="list what was not found")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        paths = [Path(p) for p in options["paths"]] or list(SETS.values())
        for path in paths:
            report = evaluate(path)
            self.stdout.write(f"\n{path.stem}: {len(report.cases)} queries")
            self.stdout.write(f"  {'':<22}{'queries':>8}{'recall@10':>11}{'MRR':>8}")
            for attribute in ("kind", "script"):
                for name, group in report.groups(attribute).items():
                    if name:
                        self._row(f"{attribute} {name}", group)
            self._row("all", report)
            if report.precision is not None:
                intruders = sum(len(c.intruders) for c in report.precision_cases)
                self.stdout.write(
                    f"  precision@10 (must-not measures kept out of the top 10):"
                    f" {report.precision:.3f} over {len(report.precision_cases)} queries,"
                    f" {intruders} intruders"
                )
            if options["misses"]:
                for case in report.cases:
                    for missing in case.missing:
                        self.stdout.write(f"    miss: {case.query!r} → {missing}")
                    for intruder in case.intruders:
                        self.stdout.write(f"    intruder: {case.query!r} → {intruder}")

    def _row(self, name: str, report: Report) -> None:
        self.stdout.write(
            f"  {name:<22}{len(report.cases):>8}{report.recall:>11.3f}{report.mrr:>8.3f}"
        )
