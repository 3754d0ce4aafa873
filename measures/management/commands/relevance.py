"""python manage.py relevance [PATH]: recall@10 and MRR of the relevance test set."""

from pathlib import Path

from django.core.management.base import BaseCommand

from measures.search.evaluation import DEFAULT_SET, evaluate


class Command(BaseCommand):
    help = "Run the relevance query set against the published measures; print recall@10 and MRR."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("path", nargs="?", default=str(DEFAULT_SET))
        parser.add_argument("--misses", action="store_true", help="list what was not found")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        report = evaluate(Path(options["path"]))
        self.stdout.write(f"{'kind':<14}{'queries':>8}{'recall@10':>11}{'MRR':>8}")
        for kind, (n, recall, mrr) in sorted(report.by_kind().items()):
            self.stdout.write(f"{kind:<14}{n:>8}{recall:>11.3f}{mrr:>8.3f}")
        self.stdout.write(
            f"{'all':<14}{len(report.cases):>8}{report.recall:>11.3f}{report.mrr:>8.3f}"
        )
        if options["misses"]:
            for case in report.cases:
                for missing in case.missing:
                    self.stdout.write(f"  miss: {case.query!r} → {missing}")
