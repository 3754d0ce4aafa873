"""python manage.py ingest PATH... [--json] [--publish]: raw notices in, measures out."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from documents.api import issuer_out
from documents.pipeline.errors import IngestError
from documents.services import (
    IngestOutcome,
    PreparedNotice,
    agency_refs,
    notice_prepare,
    notices_store,
    sidecar_for,
)
from measures.segment import warm_up
from measures.services import tag_rules

# Notices stored per transaction: one set of statements for all of them.
STORE_BATCH = 16

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


def prepare_path(path: Path, agencies, rules) -> PreparedNotice | str:  # type: ignore[no-untyped-def]
    """Read and prepare one file (runs in a worker process); an error comes back as text."""
    try:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
        return notice_prepare(
            data=data, name=str(path), agencies=agencies, rules=rules, sidecar=sidecar_for(path)
        )
    except IngestError as exc:
        return str(exc)


def prepared_stream(files: list[Path], jobs: int):  # type: ignore[no-untyped-def]
    """Prepared notices in file order; parsing and segmentation spread over `jobs` processes."""
    agencies, rules = agency_refs(), tag_rules()
    warm_up()  # load jieba once; forked workers share it
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield path, prepare_path(path, agencies, rules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    # Workers never touch the database connection they inherit, and multiprocessing ends
    # them with os._exit, so the parent's session (and any open transaction) is unharmed.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        work = partial(prepare_path, agencies=agencies, rules=rules)
        yield from zip(files, pool.map(work, files, chunksize=4), strict=True)


def _error(path: Path, message: str) -> dict:
    return {"file": str(path), "status": "error", "error": message, "warnings": []}


def _issuers(outcome: IngestOutcome) -> tuple[dict | None, list[dict]]:
    """The lead issuer and the co-issuers as written and as matched, and which were created."""
    doc = outcome.document

    def shape(agency, as_written: str) -> dict:  # type: ignore[no-untyped-def]
        fields = issuer_out(agency, as_written=as_written)
        return {
            "key": fields["key"],
            "name_zh": fields["name_zh"] or None,
            "name_en": fields["name_en"] or None,
            "as_written": as_written or None,
            "created": agency.pk in outcome.created_agencies,
            "needs_review": fields["needs_review"],
        }

    lead = None
    if doc.agency is not None:
        lead = shape(doc.agency, doc.agency_as_written)
    elif doc.agency_as_written:  # named, but left unattributed (see the warnings)
        lead = {"key": None, "name_zh": None, "name_en": None, "created": False,
                "as_written": doc.agency_as_written, "needs_review": False}  # fmt: skip
    links = sorted(doc.co_issuer_links.select_related("agency"), key=lambda c: c.position)
    return lead, [shape(link.agency, link.as_written) for link in links]


def describe(path: Path, outcome: IngestOutcome, prepared: PreparedNotice) -> dict:
    """The per-file result; measures come from what was just stored unless unchanged."""
    doc = outcome.document
    agency, co_issuers = _issuers(outcome)
    if outcome.status == "ingested":
        measures = [(m.number, m.section_title, m.title, m.text, m.targets) for m in prepared.items]
    else:
        measures = [
            (m.number, m.section_title, t.title, t.text, m.targets)
            for m in doc.measures.prefetch_related("texts").order_by("number")
            for t in m.texts.all()[:1]
        ]
    return {
        "file": str(path),
        "status": outcome.status,
        "error": None,
        "warnings": outcome.warnings,
        "document": {
            "id": doc.pk,
            "title": doc.title,
            "language": doc.language,
            "agency": agency,
            "co_issuers": co_issuers,
            "issued_on": doc.issued_on.isoformat() if doc.issued_on else None,
            "published_on": doc.published_on.isoformat() if doc.published_on else None,
            "effective_on": doc.effective_on.isoformat() if doc.effective_on else None,
            "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
            "doc_number": doc.doc_number or None,
            "announced_measures": doc.announced_measures,
        },
        "measures": [
            {
                "number": number,
                "section": section or None,
                "title": title,
                "text": text,
                "targets": [
                    {"value": t["value"], "unit": t["unit"], "text": t["text"]} for t in targets
                ],
            }
            for number, section, title, text, targets in measures
        ],
    }


class Command(BaseCommand):
    help = "Ingest raw notices (files or folders): split them into documents and measures."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--json", action="store_true", help="print one JSON array")
        parser.add_argument("--publish", action="store_true", help="publish at once")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that parse and segment (default: one per core)",
        )

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        files, results = collect(options["paths"])
        as_json = options["json"]
        bar = tqdm(total=len(files), unit="file", disable=None, file=sys.stderr, desc="ingesting")
        pending: list[tuple[Path, PreparedNotice]] = []

        def report(result: dict) -> None:
            results.append(result)
            if not as_json:
                tqdm.write(self._summary(result), file=self.stdout)
            bar.update(1)

        def store_pending() -> None:
            outcomes = notices_store(batch=[p for _, p in pending], publish=options["publish"])
            for (path, prepared), outcome in zip(pending, outcomes, strict=True):
                if isinstance(outcome, IngestError):
                    report(_error(path, str(outcome)))
                else:
                    report(describe(path, outcome, prepared))
            pending.clear()

        for path, prepared in prepared_stream(files, options["jobs"]):
            bar.set_postfix_str(path.name[-40:])
            if isinstance(prepared, str):
                store_pending()  # keep the output in file order
                report(_error(path, prepared))
                continue
            pending.append((path, prepared))
            if len(pending) >= STORE_BATCH:
                store_pending()
        store_pending()
        bar.close()
        if as_json:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
        failed = [r for r in results if r["status"] == "error"]
        if not as_json:
            for r in results[: len(results) - len(files)]:  # missing paths
                self.stdout.write(self._summary(r))
            done = len(results) - len(failed)
            self.stderr.write(f"{done} ingested or unchanged, {len(failed)} failed")
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} file(s) failed", returncode=1)

    def _summary(self, r: dict) -> str:
        if r["status"] == "error":
            return self.style.ERROR(f"✗ {r['error']}")
        d = r["document"]
        issuers = [i for i in [d["agency"], *d["co_issuers"]] if i]
        names = " + ".join(
            (i["name_en"] or i["name_zh"] or i["as_written"] or "?")
            + (" (new, needs review)" if i["created"] else "")
            for i in issuers
        )
        line = (
            f"✓ {r['file']}: {r['status']} — {d['title'] or '(untitled)'} · "
            f"{names or 'agency unknown'} · {d['issued_on'] or 'date unknown'} · "
            f"{len(r['measures'])} measures"
        )
        if d["announced_measures"]:
            line += f" of {d['announced_measures']} announced"
        for warning in r["warnings"]:
            line += f"\n    ! {warning}"
        return line
