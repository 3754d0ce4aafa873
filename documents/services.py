"""Writes of agencies and documents. Views, commands, tasks and the admin call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from documents.models import (
    Agency,
    Document,
    DocumentCoIssuer,
    PublicationStatus,
    Upload,
    UploadStatus,
    Validity,
)
from documents.pipeline import AgencyRef, IssuerDraft, ParsedNotice, parse
from documents.pipeline.errors import IngestError
from documents.pipeline.issuer import normalize_name, romanize
from measures.services import (
    MeasureInput,
    measures_create,
    measures_create_many,
    measures_prepare,
    measures_sync_document_facts,
    tag_rules,
)
from measures.tagging import TagRule
from policykb.writes import save_if_changed

logger = logging.getLogger(__name__)

# Document fields a curator may edit; a new ingested version keeps the curated values.
CURATABLE_FIELDS = (
    "title_zh",
    "title_en",
    "agency",
    "doc_number",
    "issued_on",
    "issued_precision",
    "published_on",
    "source_url",
    "doc_type",
    "effective_on",
    "expires_on",
    "validity",
    "announced_measures",
)


@dataclass
class IngestOutcome:
    status: Literal["ingested", "unchanged"]
    document: Document
    warnings: list[str] = field(default_factory=list)
    # Agencies this ingestion registered for issuers it could not match (need review).
    created_agencies: set[int] = field(default_factory=set)


# ---------------------------------------------------------------- agencies


def agency_upsert(
    *,
    key: str,
    name_zh: str,
    name_en: str,
    level: str,
    region: str,
    region_zh: str = "",
    aliases: list[str] | None = None,
    parent: Agency | None = None,
) -> Agency:
    agency = Agency.objects.filter(key=key).first() or Agency(key=key)
    values = {
        "name_zh": name_zh,
        "name_en": name_en,
        "level": level,
        "region": region,
        "region_zh": region_zh,
        "aliases": list(dict.fromkeys(aliases or [])),
    }
    if parent is not None:
        values["parent"] = parent
    save_if_changed(agency, values)
    return agency


@transaction.atomic
def agencies_load(*, path: Path) -> int:
    """Create or update agencies from a JSON list; parents may follow their children."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        agency_upsert(
            key=entry["key"],
            name_zh=entry["name_zh"],
            name_en=entry["name_en"],
            level=entry["level"],
            region=entry["region"],
            region_zh=entry.get("region_zh", ""),
            aliases=entry.get("aliases", []),
        )
    for entry in entries:
        if entry.get("parent"):
            agency = Agency.objects.get(key=entry["key"])
            save_if_changed(agency, {"parent": Agency.objects.get(key=entry["parent"])})
    return len(entries)


def agency_refs() -> list[AgencyRef]:
    return [
        AgencyRef(
            key=a.key, names=a.all_names(), region=a.region, region_zh=a.region_zh, level=a.level
        )
        for a in Agency.objects.all().only(
            "key", "name_zh", "name_en", "aliases", "region", "region_zh", "level"
        )
    ]


def _agency_key(draft: IssuerDraft) -> str:
    base = slugify(draft.name_en) or slugify(" ".join(romanize(draft.name_zh).split()))
    base = (base or "agency")[:70].strip("-")
    key, n = base, 1
    while Agency.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def agency_register(*, draft: IssuerDraft) -> tuple[Agency, bool]:
    """Register an issuer that matched no agency, from its name as written; needs review.

    An agency registered earlier for the same name (still under review) is reused, so
    every notice of a new body lands on one agency.
    """
    written = normalize_name(draft.as_written)
    for agency in Agency.objects.filter(needs_review=True):
        if written in {normalize_name(n) for n in agency.all_names() if n}:
            return agency, False
    simplified = normalize_name(draft.name_zh) if draft.name_zh else ""
    agency = Agency(
        key=_agency_key(draft),
        name_zh=draft.name_zh,
        name_en=draft.name_en,
        aliases=[draft.as_written] if simplified and simplified != draft.name_zh else [],
        level=draft.level or "",
        region=draft.region or draft.region_zh,
        region_zh=draft.region_zh,
        needs_review=True,
    )
    agency.full_clean()
    agency.save()
    logger.info("registered agency %s for %r (needs review)", agency.key, draft.as_written)
    return agency, True


def _issuer_agencies(parsed: ParsedNotice) -> tuple[list[tuple[Agency, str]], set[int]]:
    """(agency, name as written) for each issuer, lead first, and the agencies registered.

    An issuer that matched no agency is registered when its level and region are known;
    otherwise it stays unattributed (the notice's warnings say so).
    """
    found: list[tuple[Agency, str]] = []
    created: set[int] = set()
    known = {
        a.key: a for a in Agency.objects.filter(key__in=[i.key for i in parsed.issuers if i.key])
    }
    for draft in parsed.issuers:
        agency = known.get(draft.key or "")
        if agency is None and draft.can_be_created:
            agency, new = agency_register(draft=draft)
            if new:
                created.add(agency.pk)
        if agency is not None and all(agency.pk != a.pk for a, _ in found):
            found.append((agency, draft.as_written))
        elif agency is None and not found:
            return [], created  # the lead is unknown: co-issuers are not promoted to lead
    return found, created


def _link_co_issuers(document: Document, issuers: list[tuple[Agency, str]]) -> None:
    DocumentCoIssuer.objects.bulk_create(
        DocumentCoIssuer(document=document, agency=agency, position=i, as_written=written[:300])
        for i, (agency, written) in enumerate(issuers[1:], 1)
    )


def document_issuers_set(
    *, document: Document, lead: Agency | None, co_issuers: list[Agency]
) -> Document:
    """A curator's issuers: the lead and the co-issuers in order; search follows at once."""
    if lead is not None and lead in co_issuers:
        raise ValueError("the lead issuer cannot also be a co-issuer")
    if len(set(co_issuers)) != len(co_issuers):
        raise ValueError("a co-issuer is named twice")
    with transaction.atomic():
        document.agency = lead
        document.curated_fields = sorted(set(document.curated_fields) | {"agency", "co_issuers"})
        document.save(update_fields=["agency", "curated_fields", "updated_at"])
        document.co_issuer_links.all().delete()
        _link_co_issuers(document, [(a, "") for a in [lead, *co_issuers] if a is not None])
        measures_sync_document_facts(document=document)
    return document


# ---------------------------------------------------------------- ingestion


@dataclass
class PreparedNotice:
    """A parsed, tagged and segmented notice, ready to store (no database touched yet)."""

    name: str
    data: bytes
    content_hash: str
    notice_key: str
    parsed: ParsedNotice
    items: list[MeasureInput]


def notice_prepare(
    *,
    data: bytes,
    name: str,
    agencies: list[AgencyRef],
    rules: list[TagRule],
    sidecar: dict[str, Any] | None = None,
) -> PreparedNotice:
    """Everything ingestion computes without the database: parse, tag, segment.

    Pure, so the ingest command can run it on several cores while one process stores.
    """
    if len(data) > settings.POLICYKB_MAX_NOTICE_BYTES:
        raise IngestError(
            f"{name}: {len(data):,} bytes is over the limit of "
            f"{settings.POLICYKB_MAX_NOTICE_BYTES:,} bytes for one notice"
        )
    sidecar = dict(sidecar or {})
    curated_key = sidecar.pop("notice_key", None)
    try:
        parsed = parse(data, name=name, agencies=agencies, sidecar=sidecar)
    except (ValueError, TypeError) as exc:  # e.g. a sidecar value of the wrong kind
        raise IngestError(f"{name}: {exc}") from exc
    notice_key = str(curated_key or notice_key_for(parsed, name=name))
    section_labels = {s.number: s.label for s in parsed.sections}
    items = [
        MeasureInput(
            number=m.number,
            title=m.title,
            text=m.text,
            label=m.label,
            section_number=m.section_number,
            section_label=section_labels.get(m.section_number, ""),
            section_title=m.section_title,
            span=(m.start, m.end),
            targets=[asdict(t) for t in m.targets],
        )
        for m in parsed.measures
    ]
    measures_prepare(language=parsed.language, items=items, rules=rules)
    return PreparedNotice(
        name=name,
        data=data,
        content_hash=hashlib.sha256(data).hexdigest(),
        notice_key=notice_key[:NOTICE_KEY_MAX],
        parsed=parsed,
        items=items,
    )


NOTICE_KEY_MAX = 300


def notice_key_for(parsed: ParsedNotice, *, name: str) -> str:
    """What makes two files versions of one notice.

    The source URL (sidecar, canonical link or og:url); else the document number with
    the issuer; else the normalised title with the issuer; only then the file name (two
    unrelated pages both saved as index.html stay two notices when they say who and
    what they are).
    """
    if parsed.source_url:
        return parsed.source_url[:NOTICE_KEY_MAX]
    issuer = normalize_name(parsed.issuers[0].as_written) if parsed.issuers else ""
    if issuer and parsed.doc_number:
        key = f"number:{issuer}:{normalize_name(parsed.doc_number)}"
    elif issuer and parsed.title:
        key = f"title:{issuer}:{normalize_name(parsed.title)}"
    else:
        return Path(name).stem[:NOTICE_KEY_MAX]
    if len(key) > NOTICE_KEY_MAX:  # a very long title: keep the key unique, and short
        key = key[: NOTICE_KEY_MAX - 17] + ":" + hashlib.sha256(key.encode()).hexdigest()[:16]
    return key


def notice_ingest(
    *,
    data: bytes,
    name: str,
    sidecar: dict[str, Any] | None = None,
    publish: bool = False,
    agencies: list[AgencyRef] | None = None,
) -> IngestOutcome:
    """Turn one raw notice into a Document version with its measures.

    Same bytes as a stored version: nothing changes ("unchanged"). Changed bytes of a known
    notice (same notice key): a new version; curated fields of the latest version are kept.
    Raises IngestError (naming the file) and leaves nothing behind when the file fails.
    """
    existing = Document.objects.filter(content_hash=hashlib.sha256(data).hexdigest()).first()
    if existing is not None:
        return IngestOutcome("unchanged", existing, list(existing.warnings))
    prepared = notice_prepare(
        data=data,
        name=name,
        agencies=agency_refs() if agencies is None else agencies,
        rules=tag_rules(),
        sidecar=sidecar,
    )
    return notice_store(prepared=prepared, publish=publish)


def _lock_notice(notice_key: str) -> None:
    """Hold a per-notice lock until the transaction ends: two tries of one notice (a task
    handed out again while the first copy still runs, two uploads at once) store in turn,
    and the second finds the first one's document."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [notice_key])


def notice_store(*, prepared: PreparedNotice, publish: bool = False) -> IngestOutcome:
    """Store a prepared notice as a new document version, atomically."""
    with transaction.atomic():
        _lock_notice(prepared.notice_key)
        existing = Document.objects.filter(content_hash=prepared.content_hash).first()
        if existing is not None:
            return IngestOutcome("unchanged", existing, list(existing.warnings))
        issuers, created = _issuer_agencies(prepared.parsed)
        previous = (
            Document.objects.select_for_update()
            .filter(notice_key=prepared.notice_key, is_current=True)
            .first()
        )
        document = _new_document(prepared, issuers=issuers, publish=publish, previous=previous)
        if previous is not None:
            _carry_curated_fields(previous, document)
            if "co_issuers" in previous.curated_fields:
                issuers = [(document.agency, "")] + [
                    (link.agency, link.as_written) for link in previous.co_issuer_links.all()
                ]
            previous.is_current = False
            previous.save(update_fields=["is_current", "updated_at"])
            if publish:
                _supersede_published(document.notice_key)
        document.save()
        _link_co_issuers(document, issuers)
        measures_create(document=document, items=prepared.items)
    logger.debug("ingested %s as document %s v%s", prepared.name, document.pk, document.version)
    return IngestOutcome("ingested", document, list(document.warnings), created)


def notices_store(*, batch: list[PreparedNotice], publish: bool = False) -> list[IngestOutcome]:
    """Store many prepared notices with one set of statements (the ingest command's path).

    New notices go in together, in one transaction; a notice that is already known
    (same bytes, or a new version of a stored notice), repeats within the batch, or makes
    the batch fail goes through notice_store on its own, so every file stays atomic.
    """
    known = set(
        Document.objects.filter(content_hash__in=[p.content_hash for p in batch]).values_list(
            "content_hash", flat=True
        )
    )
    versioned = set(
        Document.objects.filter(notice_key__in=[p.notice_key for p in batch]).values_list(
            "notice_key", flat=True
        )
    )
    fresh = []
    for p in batch:
        if p.content_hash in known or p.notice_key in versioned:
            continue
        known.add(p.content_hash)  # a repeat later in the batch takes the careful path
        versioned.add(p.notice_key)
        fresh.append(p)
    stored: dict[int, IngestOutcome] = {}
    if fresh:
        try:
            stored = _store_new(fresh, publish=publish)
        except Exception:  # the batch failed as a whole: store each notice on its own
            logger.warning("batch of %s notices failed; storing one by one", len(fresh))
            stored = {}
    return [stored.get(id(p)) or _store_alone(p, publish=publish) for p in batch]


def _store_alone(prepared: PreparedNotice, *, publish: bool) -> IngestOutcome | IngestError:
    """notice_store for one notice of a batch; its failure is returned, not raised."""
    try:
        return notice_store(prepared=prepared, publish=publish)
    except IngestError as exc:
        return exc


def _store_new(fresh: list[PreparedNotice], *, publish: bool) -> dict[int, IngestOutcome]:
    with transaction.atomic():
        resolved = [_issuer_agencies(p.parsed) for p in fresh]
        documents = [
            _new_document(p, issuers=issuers, publish=publish, previous=None)
            for p, (issuers, _) in zip(fresh, resolved, strict=True)
        ]
        documents = bulk_create_with_history(documents, Document)
        for document, (issuers, _) in zip(documents, resolved, strict=True):
            _link_co_issuers(document, issuers)
        measures_create_many(batch=[(d, p.items) for d, p in zip(documents, fresh, strict=True)])
    return {
        id(p): IngestOutcome("ingested", d, list(d.warnings), created)
        for d, p, (_, created) in zip(documents, fresh, resolved, strict=True)
    }


def _new_document(
    prepared: PreparedNotice,
    *,
    issuers: list[tuple[Agency, str]],
    publish: bool,
    previous: Document | None,
) -> Document:
    """The Document row for a prepared notice, validated but not saved."""
    parsed = prepared.parsed
    agency, as_written = issuers[0] if issuers else (None, "")
    if agency is None and parsed.issuers:
        as_written = parsed.issuers[0].as_written
    document = Document(
        notice_key=prepared.notice_key,
        version=previous.version + 1 if previous else 1,
        supersedes=previous,
        title_zh=(parsed.title_zh or "")[:500],
        title_en=(parsed.title_en or "")[:500],
        agency=agency,
        agency_as_written=as_written[:300],
        doc_number=(parsed.doc_number or "")[:100],
        issued_on=parsed.issued_on,
        issued_precision=parsed.issued_precision or "",
        published_on=parsed.published_on,
        source_url=parsed.source_url or "",
        source_name=Path(prepared.name).name[:300],
        language=parsed.language,
        script=parsed.script,
        doc_type=parsed.doc_type or "",
        raw=prepared.data,
        raw_encoding=parsed.encoding,
        cleaned_text=parsed.text,
        removed_junk=parsed.removed,
        content_hash=prepared.content_hash,
        effective_on=parsed.effective_on,
        expires_on=parsed.expires_on,
        validity=parsed.validity or _validity(parsed.effective_on, parsed.expires_on),
        announced_measures=parsed.announced,
        found_measures=len(parsed.measures),
        warnings=list(parsed.warnings),
        status=PublicationStatus.PUBLISHED if publish else PublicationStatus.DRAFT,
        published_at=timezone.now() if publish else None,
    )
    # The database enforces the unique constraints inside the transaction; checking them
    # here would cost three more queries per notice.
    try:
        document.full_clean(exclude=["raw"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise IngestError(f"{prepared.name}: {problems}") from exc
    return document


def _validity(effective_on: dt.date | None, expires_on: dt.date | None) -> str:
    """有效/失效 where the text says when the notice applies; unknown otherwise."""
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        return Validity.EXPIRED
    if effective_on is not None or expires_on is not None:
        return Validity.EFFECTIVE
    return Validity.UNKNOWN


def _carry_curated_fields(previous: Document, document: Document) -> None:
    document.curated_fields = list(previous.curated_fields)
    for name in previous.curated_fields:
        kept, found = getattr(previous, name), getattr(document, name)
        if kept != found:
            document.warnings.append(
                f"{name}: kept the curator's value {kept!s:.80} (this version reads {found!s:.80})"
            )
        setattr(document, name, kept)


def _supersede_published(notice_key: str) -> None:
    for old in Document.objects.filter(notice_key=notice_key, status=PublicationStatus.PUBLISHED):
        old.status = PublicationStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        measures_sync_document_facts(document=old)


def sidecar_for(path: Path) -> dict[str, Any] | None:
    """The curated metadata next to a notice file (NAME.meta.json), if any."""
    meta = path.with_name(path.stem + ".meta.json")
    if not meta.exists():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{meta}: the metadata sidecar is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise IngestError(f"{meta}: the metadata sidecar must be a JSON object")
    return data


def notice_ingest_file(*, path: Path, publish: bool = False) -> IngestOutcome:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return notice_ingest(data=data, name=str(path), sidecar=sidecar_for(path), publish=publish)


# ---------------------------------------------------------------- curation


def document_update(*, document: Document, changes: dict[str, Any]) -> Document:
    """Apply a curator's edits; the edited fields are remembered as curated."""
    unknown = set(changes) - set(CURATABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(document, name, value)
    document.curated_fields = sorted(set(document.curated_fields) | set(changes))
    document.full_clean(exclude=["raw"])
    with transaction.atomic():
        document.save(update_fields=[*changes, "curated_fields", "updated_at"])
        measures_sync_document_facts(document=document)
    return document


def document_publish(*, document: Document) -> Document:
    """Publish a version; an older published version of the same notice is superseded."""
    with transaction.atomic():
        _supersede_published(document.notice_key)
        document.status = PublicationStatus.PUBLISHED
        document.published_at = timezone.now()
        document.save(update_fields=["status", "published_at", "updated_at"])
        measures_sync_document_facts(document=document)
    return document


def document_status_set(*, document: Document, status: str) -> Document:
    """Move a version to another status; its measures leave or join every public read with it.

    Publishing goes through document_publish (it supersedes the version before); any
    other status (draft, in review, withdrawn, superseded) takes the version and its
    measures off the public site in the same transaction.
    """
    if status not in PublicationStatus.values:
        raise ValueError(f"unknown status: {status}")
    if status == PublicationStatus.PUBLISHED:
        return document_publish(document=document)
    with transaction.atomic():
        document.status = status
        document.save(update_fields=["status", "updated_at"])
        measures_sync_document_facts(document=document)
    return document


# ---------------------------------------------------------------- uploads


def upload_create(*, data: bytes, name: str, uploaded_by: Any = None) -> Upload:
    """Keep an uploaded file and queue its ingestion once the transaction commits."""
    upload = Upload(name=Path(name).name[:300] or "upload", data=data, uploaded_by=uploaded_by)
    upload.full_clean(exclude=["data", "uploaded_by"])
    upload.save()
    transaction.on_commit(lambda: _queue_upload(upload.pk))
    return upload


def _queue_upload(upload_id: int) -> None:
    from django_q.tasks import async_task

    # A 5 MB notice takes minutes to ingest: past Q_RETRY the broker hands the task out
    # again, and that second try waits on the first one's lock (upload_process).
    async_task(
        "documents.tasks.upload_process",
        upload_id,
        task_name=f"upload-{upload_id}",
        timeout=settings.Q_LONG_TIMEOUT,
    )


def upload_process(*, upload: Upload) -> Upload:
    """Ingest an upload; its outcome (document, warnings or the error) is saved on it.

    A task can be handed out twice (its worker died, or it ran past Q_RETRY): the try that
    holds the upload's row does the work; another waits for that lock, and then finds the
    upload done, or still queued if the first try died, and does it itself.
    """
    with transaction.atomic():
        claimed = (
            Upload.objects.select_for_update()
            .filter(pk=upload.pk, status=UploadStatus.QUEUED)
            .first()
        )
        if claimed is None:
            logger.info("upload %s was done by another try", upload.pk)
            return upload
        return _upload_ingest(claimed)


def _upload_ingest(upload: Upload) -> Upload:
    try:
        outcome = notice_ingest(data=bytes(upload.data), name=upload.name)
    except IngestError as exc:
        upload.status, upload.error = UploadStatus.FAILED, str(exc)
    except Exception as exc:  # never leave an upload queued forever (one attempt only)
        logger.exception("upload %s failed", upload.pk)
        upload.status, upload.error = UploadStatus.FAILED, f"{upload.name}: internal error ({exc})"
    else:
        upload.status = (
            UploadStatus.DONE if outcome.status == "ingested" else UploadStatus.UNCHANGED
        )
        upload.document, upload.warnings = outcome.document, outcome.warnings
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "error", "document", "warnings", "finished_at"])
    return upload
