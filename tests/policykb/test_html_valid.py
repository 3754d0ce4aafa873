"""The Nu Html Checker (vnu.jar from npm, on Java) finds no error on any page type."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.policykb.conftest import LANGS

pytestmark = pytest.mark.django_db

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _errors(client, page_types, tmp_path) -> list[str]:
    assert VNU.exists(), "vnu-jar is missing: `make test` installs it with npm"
    assert shutil.which("java"), "Java is missing: `make test` installs it from Debian"
    files = []
    for name, path in page_types.items():
        for lang in LANGS:
            response = client.get(path.format(lang=lang))
            assert response.status_code in (200, 404), (name, lang, response.status_code)
            file = tmp_path / f"{name}.{lang}.html"
            file.write_bytes(response.content)
            files.append(str(file))
    # One Java start for every file: the checker takes a list.
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_every_page_type_is_valid_html(client, page_types, tmp_path):
    errors = _errors(client, page_types, tmp_path)
    assert not errors, "\n".join(errors[:40])


def test_every_staff_page_is_valid_html(client, site_admin, staff_page_types, tmp_path):
    client.force_login(site_admin)
    errors = _errors(client, staff_page_types, tmp_path)
    assert not errors, "\n".join(errors[:40])
