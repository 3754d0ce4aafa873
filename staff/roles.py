"""The staff roles: Django groups with the permissions each role's work needs.

One declaration here; the migration creates the groups and `roles_sync` (run after every
migrate) keeps their permissions current as models are added.
"""

from __future__ import annotations

from typing import Any

EDITOR = "editor"
REVIEWER = "reviewer"
ADMIN = "admin"

# editor: upload, edit, tag, translate, send to review.
_EDITOR = (
    "documents.view_agency",
    "documents.add_document",
    "documents.change_document",
    "documents.view_document",
    "documents.add_upload",
    "documents.change_upload",
    "documents.view_upload",
    "measures.add_measure",
    "measures.change_measure",
    "measures.view_measure",
    "measures.add_measuretext",
    "measures.change_measuretext",
    "measures.view_measuretext",
    "measures.view_tag",
    "measures.view_glossaryterm",
)
# reviewer: also publish, withdraw, restore; completes and merges agencies.
_REVIEWER = (*_EDITOR, "documents.publish_document", "documents.change_agency")

ROLE_PERMISSIONS: dict[str, tuple[str, ...] | None] = {
    EDITOR: _EDITOR,
    REVIEWER: _REVIEWER,
    ADMIN: None,  # every permission: users, vocabularies, everything
}


def roles_sync(apps: Any = None) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    if apps is None:
        # After migrate: auth's own post_migrate handler has created the permissions.
        from django.apps import apps
    else:
        # Inside a migration permissions do not exist yet on a fresh database.
        from django.contrib.auth.management import create_permissions

        for config in apps.get_app_configs():
            config.models_module = True
            create_permissions(config, verbosity=0, apps=apps)
            config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if codenames is None:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
