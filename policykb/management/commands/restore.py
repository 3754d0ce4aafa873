"""`manage.py restore FILE`: replace the database's contents with a backup archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from policykb.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore a pg_dump archive made by `backup`, replacing the database's contents."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--database-name", help="restore into this database instead")
        parser.add_argument("--noinput", action="store_true", help="do not ask to confirm")

    def handle(self, *args: object, **options: object) -> None:
        target = options["database_name"] or connection.settings_dict["NAME"]
        if not options["noinput"]:
            answer = input(f"Replace everything in the database {target!r}? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        connection.close()  # a restore that drops tables must not wait on our own session
        try:
            database_restore(path=Path(str(options["file"])), dbname=options["database_name"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"restored {options['file']} into {target}"))
