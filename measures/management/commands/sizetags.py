"""Set the size-class tags of every stored measure from its text (once, after upgrading)."""

from django.core.management.base import BaseCommand

from measures.services import measures_size_tags_refresh


class Command(BaseCommand):
    help = "Tag stored measures with the size classes their texts state (size-medium/small/micro)."

    def handle(self, *args: object, **options: object) -> None:
        changed = measures_size_tags_refresh()
        self.stdout.write(f"size-class tags changed on {changed} measures")
