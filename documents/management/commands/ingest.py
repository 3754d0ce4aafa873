"""python manage.py ingest PATH... [--json] [--publish]: raw notices in, measures out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from documents.pipeline.errors import IngestError
from documents.services import IngestOutcome, notice_ingest_file

SUFFIXES = {".txt", ".html", ".htm", ".text", ""}


def collect(paths: list[str]) -> tuple[list[Path], list[dict]]:
    """Files named or found in folders (notices only: sidecars and dotfiles are skipped)."""
    files: list[Path] = []
    missing: list[dict] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not p.name.startswith(".")
                and not p.name.endswith(".meta.json")
                and p.suffix.lower() in SUFFIXES
            )
        elif path.exists():
            files.append(path)
        else:
            missing.append(_error(path, f"{path}: no such file or folder"))
    return files, missing


def _error(path: Path, message: str) -> dict:
    return {"file": str(path), "status": "error", "error": message, "warnings": []}


def describe(path: Path, outcome: IngestOutcome) -> dict:
    doc = outcome.document
    measures = doc.measures.prefetch_related("texts").order_by("number")
    return {
        "file": str(path),
        "status": outcome.status,
        "error": None,
        "warnings": outcome.warnings,
        "document": {
            "id": doc.pk,
            "title": doc.title,
            "language": doc.language,
            "agency": doc.agency.name_en if doc.agency else None,
            "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
            "doc_number": doc.doc_number or None,
            "announced_measures": doc.announced_measures,
        },
        "measures": [
            {
                "number": m.number,
                "section": m.section_title or None,
                "title": m.texts.all()[0].title,
                "text": m.texts.all()[0].text,
                "targets": [
                    {"value": t["value"], "unit": t["unit"], "text": t["text"]} for t in m.targets
                ],
            }
            for m in measures
        ],
    }


class Command(BaseCommand):
    help = "Ingest raw notices (files or folders): split them into documents and measures."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="print one JSON array")
        parser.add_argument("--publish", action="store_true", help="publish at once")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        files, results = collect(options["paths"])
        as_json = options["json"]
        bar = tqdm(files, unit="file", disable=None, file=sys.stderr, desc="ingesting")
        for path in bar:
            bar.set_postfix_str(path.name[-40:])
            try:
                outcome = notice_ingest_file(path=path, publish=options["publish"])
            except IngestError as exc:
                results.append(_error(path, str(exc)))
            else:
                results.append(describe(path, outcome))
            if not as_json:
                tqdm.write(self._summary(results[-1]), file=self.stdout)
        if as_json:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        failed = [r for r in results if r["status"] == "error"]
        if not as_json:
            for r in results[: len(results) - len(files)]:  # missing paths, reported first
                self.stdout.write(self._summary(r))
            done = len(results) - len(failed)
            self.stderr.write(f"{done} ingested or unchanged, {len(failed)} failed")
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} file(s) failed", returncode=1)

    def _summary(self, r: dict) -> str:
        if r["status"] == "error":
            return self.style.ERROR(f"✗ {r['error']}")
        d = r["document"]
        line = (
            f"✓ {r['file']}: {r['status']} — {d['title'] or '(untitled)'} · "
            f"{d['agency'] or 'agency unknown'} · {d['issued_on'] or 'date unknown'} · "
            f"{len(r['measures'])} measures"
        )
        if d["announced_measures"]:
            line += f" of {d['announced_measures']} announced"
        for warning in r["warnings"]:
            line += f"\n    ! {warning}"
        return line
