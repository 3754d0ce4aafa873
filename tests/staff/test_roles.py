"""The three staff roles exist after migrate, each with the permissions of its work."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_editor_edits_but_cannot_publish(editor):
    assert editor.has_perm("documents.change_document")
    assert editor.has_perm("measures.change_measuretext")
    assert not editor.has_perm("documents.publish_document")
    assert not editor.has_perm("auth.change_user")


def test_a_reviewer_can_also_publish(reviewer):
    assert reviewer.has_perm("documents.change_document")
    assert reviewer.has_perm("documents.publish_document")
    assert not reviewer.has_perm("measures.change_glossaryterm")


def test_an_admin_manages_users_and_vocabularies(site_admin):
    assert site_admin.has_perm("auth.change_user")
    assert site_admin.has_perm("measures.change_glossaryterm")
    assert site_admin.has_perm("documents.publish_document")


def test_roles_sync_is_idempotent_and_restores_permissions():
    from django.contrib.auth.models import Group

    from staff.roles import roles_sync

    editor = Group.objects.get(name="editor")
    editor.permissions.clear()
    roles_sync()
    roles_sync()
    assert editor.permissions.filter(codename="change_document").exists()
    assert Group.objects.filter(name__in=["editor", "reviewer", "admin"]).count() == 3
