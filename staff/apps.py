from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs: object) -> None:
    from staff.roles import roles_sync

    roles_sync()


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        # Listed last in INSTALLED_APPS, so every app's permissions exist by then.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="staff-roles")
