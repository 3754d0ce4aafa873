"""`manage.py backup [FILE]`: the whole database into one pg_dump archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from policykb.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a pg_dump archive of the database (default var/backups/policykb-<time>.dump)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", nargs="?", help="where to write the archive")

    def handle(self, *args: object, **options: object) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default = settings.VAR_DIR / "backups" / f"policykb-{stamp}.dump"
        path = Path(str(options["file"])) if options["file"] else default
        try:
            database_backup(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"backup written to {path} ({size:,} bytes)"))
