"""`backup` then `restore` into an empty database gives back everything."""

from __future__ import annotations

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from documents.services import document_update
from measures.models import MeasureText, Provenance

pytestmark = pytest.mark.django_db(transaction=True)


def _server():  # type: ignore[no-untyped-def]
    params = dict(connection.get_connection_params())
    params.pop("dbname", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return params


@pytest.fixture
def empty_database():
    target = f"{connection.settings_dict['NAME']}_restore"  # one per test database
    with psycopg.connect(**_server(), dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    yield target
    with psycopg.connect(**_server(), dbname="postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
        )


def _counts(dbname: str | None) -> dict[str, int]:
    """Rows of every table of the project's models (and their history), by table."""
    tables = [m._meta.db_table for m in apps.get_models()]
    params = {**_server(), "dbname": dbname or connection.settings_dict["NAME"]}
    with psycopg.connect(**params) as conn:
        return {
            t: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
            ).fetchone()[0]
            for t in tables
        }


def test_a_backup_restored_into_an_empty_database_has_everything(
    seeds, django_user_model, empty_database, tmp_path
):
    measure = seeds["004"].measures.get(number=6)
    MeasureText.objects.create(
        measure=measure,
        language="en",
        provenance=Provenance.TRANSLATION,
        title="Support for specialised SMEs",
        text="Specialised and innovative SMEs receive a one-off grant.",
    )
    document_update(document=seeds["001"], changes={"title_en": "MIIT: twenty measures"})
    django_user_model.objects.create_user("zhao.lei", password="a long pass phrase 42")

    archive = tmp_path / "site.dump"
    call_command("backup", str(archive))
    call_command("restore", str(archive), database_name=empty_database, noinput=True)

    before, after = _counts(None), _counts(empty_database)
    assert after == before
    for table in (
        "documents_document", "measures_measure", "measures_measuretext", "measures_tag",
        "measures_glossaryterm", "auth_user", "documents_historicaldocument",
    ):  # fmt: skip
        assert after[table] > 0, table
    with psycopg.connect(**_server(), dbname=empty_database) as conn:
        titles = conn.execute("SELECT title_en FROM documents_document").fetchall()
        translated = conn.execute(
            "SELECT text FROM measures_measuretext WHERE provenance = 'translation'"
        ).fetchall()
        users = conn.execute("SELECT username, password FROM auth_user").fetchall()
        history = conn.execute(
            "SELECT count(*) FROM documents_historicaldocument WHERE title_en = %s",
            ["MIIT: twenty measures"],
        ).fetchone()[0]
    assert ("MIIT: twenty measures",) in titles
    assert translated == [("Specialised and innovative SMEs receive a one-off grant.",)]
    assert any(name == "zhao.lei" and pw.startswith("pbkdf2_") for name, pw in users)
    assert history == 1


def test_restore_of_a_missing_file_says_so(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "nothing.dump"), noinput=True)
