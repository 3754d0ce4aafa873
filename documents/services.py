"""Writes of agencies and documents. Views, commands, tasks and the admin call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from documents.models import (
    Agency,
    Document,
    DocumentCoIssuer,
    PublicationStatus,
    Upload,
    UploadStage,
    UploadStatus,
    Validity,
)
from documents.pipeline import SIDECAR_KEYS, AgencyRef, IssuerDraft, ParsedNotice, parse
from documents.pipeline.errors import IngestError
from documents.pipeline.issuer import normalize_name, romanize
from measures.services import (
    MeasureInput,
    conflict_entry,
    measures_carry_curated,
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
    *, document: Document, lead: Agency | None, co_issuers: list[Agency], acting_user: Any = None
) -> Document:
    """A curator's issuers: the lead and the co-issuers in order; search follows at once."""
    if lead is not None and lead in co_issuers:
        raise ValueError(str(_("the lead issuer cannot also be a co-issuer")))
    if len(set(co_issuers)) != len(co_issuers):
        raise ValueError(str(_("a co-issuer is named twice")))
    with transaction.atomic():
        document.agency = lead
        document._history_user = acting_user  # type: ignore[attr-defined]
        # The links have no history of their own: the document's row says what they became.
        reason = "co-issuers: " + ("; ".join(a.name_en or a.name_zh for a in co_issuers) or "none")
        # simple-history keeps 100 characters of a reason.
        document._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # type: ignore[attr-defined]
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
    progress: Callable[[str], None] | None = None,
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
    if progress:
        progress("tagging")
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
    progress: Callable[[str], None] | None = None,
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
        progress=progress,
    )
    if progress:
        progress("storing")
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
        if previous is not None:
            measure_conflicts = measures_carry_curated(previous=previous, document=document)
            if measure_conflicts:
                document.conflicts = [*document.conflicts, *measure_conflicts]
                document.save(update_fields=["conflicts"])
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
    """Keep the curator's values on the new version; each disagreement waits as a conflict."""
    document.curated_fields = list(previous.curated_fields)
    document.conflicts = []
    for name in previous.curated_fields:
        if name not in CURATABLE_FIELDS:
            continue  # co_issuers: carried with the links by notice_store
        kept, found = getattr(previous, name), getattr(document, name)
        # A version that states nothing for the field does not contradict the curator.
        if kept != found and found not in (None, ""):
            document.warnings.append(
                f"{name}: kept the curator's value {kept!s:.80} (this version reads {found!s:.80})"
            )
            document.conflicts.append(
                conflict_entry(
                    scope="document",
                    field=name,
                    curated=_jsonable(kept),
                    ingested=_jsonable(found),
                )
            )
        setattr(document, name, kept)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Agency):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _supersede_published(notice_key: str, *, acting_user: Any = None) -> None:
    for old in Document.objects.filter(notice_key=notice_key, status=PublicationStatus.PUBLISHED):
        old.status = PublicationStatus.SUPERSEDED
        old._history_user = acting_user  # type: ignore[attr-defined]
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


def document_update(
    *, document: Document, changes: dict[str, Any], acting_user: Any = None, reason: str = ""
) -> Document:
    """Apply a curator's edits; the edited fields are remembered as curated.

    Search follows at once: the measures' copies of agency, level, region and date are
    rewritten in the same transaction.
    """
    unknown = set(changes) - set(CURATABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(document, name, value)
    document.curated_fields = sorted(set(document.curated_fields) | set(changes))
    document.full_clean(exclude=["raw"])
    with transaction.atomic():
        document._history_user = acting_user  # type: ignore[attr-defined]
        if reason:
            document._change_reason = reason  # type: ignore[attr-defined]
        document.save(update_fields=[*changes, "curated_fields", "updated_at"])
        measures_sync_document_facts(document=document)
    return document


class WorkflowError(ValueError):
    """A status change the workflow does not allow; the message is for the person acting."""


class PublishConflict(WorkflowError):
    """Another version of the notice was being published at the same moment."""


def _require(acting_user: Any, permission: str) -> None:
    """A person must hold the permission; None is the system (commands, ingestion)."""
    if acting_user is not None and not acting_user.has_perm(permission):
        raise PermissionDenied(f"{acting_user} may not do this ({permission})")


P = PublicationStatus
CHANGE, PUBLISH = "documents.change_document", "documents.publish_document"
# (from, to) → the permission the move needs. Superseded is reached only by publishing
# another version; restore (withdrawn → published) is document_restore.
TRANSITIONS: dict[tuple[str, str], str] = {
    (P.DRAFT, P.REVIEW): CHANGE,
    (P.REVIEW, P.DRAFT): CHANGE,
    (P.DRAFT, P.PUBLISHED): PUBLISH,
    (P.REVIEW, P.PUBLISHED): PUBLISH,
    (P.SUPERSEDED, P.PUBLISHED): PUBLISH,  # back to an older version
    (P.WITHDRAWN, P.PUBLISHED): PUBLISH,
    (P.PUBLISHED, P.WITHDRAWN): PUBLISH,
    (P.SUPERSEDED, P.WITHDRAWN): PUBLISH,
    (P.WITHDRAWN, P.DRAFT): CHANGE,
}


def transition_allowed(*, document: Document, status: str, user: Any) -> bool:
    """Whether the user may move the document to the status now (for buttons)."""
    needed = TRANSITIONS.get((document.status, status))
    return needed is not None and (user is None or user.has_perm(needed))


def _check_transition(document: Document, status: str, acting_user: Any) -> None:
    if status not in PublicationStatus.values:
        raise WorkflowError(f"unknown status: {status}")
    needed = TRANSITIONS.get((document.status, status))
    if needed is None:
        raise WorkflowError(
            f"a {PublicationStatus(document.status).label.lower()} document cannot become "
            f"{PublicationStatus(status).label.lower()}"
        )
    _require(acting_user, needed)


def _try_lock_notice(notice_key: str) -> bool:
    """The per-notice lock of _lock_notice, without waiting for it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [notice_key])
        return bool(cursor.fetchone()[0])


def _status_save(document: Document, status: str, acting_user: Any) -> None:
    document.status = status
    document._history_user = acting_user  # type: ignore[attr-defined]
    fields = ["status", "updated_at"]
    if status == PublicationStatus.PUBLISHED:
        # The feeds list what was published lately, whatever date the notice bears.
        document.published_at = timezone.now()
        fields.append("published_at")
    document.save(update_fields=fields)
    measures_sync_document_facts(document=document)


def document_publish(*, document: Document, acting_user: Any = None) -> Document:
    """Publish a version; the version published before it is superseded in one transaction.

    Two reviewers publishing versions of one notice at once: the second finds the notice
    locked and gets PublishConflict (the database's one-published-version index is the
    last guard). Its measures join every page, search, count and the API with it.
    """
    try:
        with transaction.atomic():
            if not _try_lock_notice(document.notice_key):
                raise PublishConflict(
                    "another version of this notice is being published or ingested at this "
                    "moment; reload the page to see which version is live"
                )
            fresh = Document.objects.select_for_update().get(pk=document.pk)
            if fresh.status == P.PUBLISHED:
                return fresh
            _check_transition(fresh, P.PUBLISHED, acting_user)
            _supersede_published(fresh.notice_key, acting_user=acting_user)
            _status_save(fresh, P.PUBLISHED, acting_user)
    except IntegrityError as exc:
        if "document_one_published_version" not in str(exc):
            raise
        raise PublishConflict(
            "another version of this notice was published at the same moment; reload the page"
        ) from exc
    document.status = fresh.status
    return fresh


def document_status_set(*, document: Document, status: str, acting_user: Any = None) -> Document:
    """Move a version along the workflow (TRANSITIONS); its measures follow in every read.

    Publishing goes through document_publish (it supersedes the version before); any
    other status (draft, in review, withdrawn) takes the version and its measures off the
    public site in the same transaction. Raises WorkflowError for a move the workflow
    does not have and PermissionDenied when acting_user may not make it.
    """
    if status == P.PUBLISHED:
        if document.status == P.WITHDRAWN:
            return document_restore(document=document, acting_user=acting_user)
        return document_publish(document=document, acting_user=acting_user)
    with transaction.atomic():
        fresh = Document.objects.select_for_update().get(pk=document.pk)
        if fresh.status == status:
            return fresh
        _check_transition(fresh, status, acting_user)
        _status_save(fresh, status, acting_user)
    document.status = fresh.status
    return fresh


def document_submit_for_review(*, document: Document, acting_user: Any = None) -> Document:
    """An editor hands a draft to the reviewers."""
    return document_status_set(document=document, status=P.REVIEW, acting_user=acting_user)


def document_withdraw(*, document: Document, acting_user: Any = None) -> Document:
    """Take a version off the public site at once; it stays in the staff archive."""
    return document_status_set(document=document, status=P.WITHDRAWN, acting_user=acting_user)


def document_restore(*, document: Document, acting_user: Any = None) -> Document:
    """Bring a withdrawn version back: published again, unless a newer version of the
    notice is published meanwhile, in which case it returns as that one's superseded
    predecessor (readable, not current)."""
    with transaction.atomic():
        fresh = Document.objects.select_for_update().get(pk=document.pk)
        _check_transition(fresh, P.PUBLISHED, acting_user)
        if fresh.status != P.WITHDRAWN:
            raise WorkflowError("only a withdrawn document can be restored")
        newer = Document.objects.filter(
            notice_key=fresh.notice_key, status=P.PUBLISHED, version__gt=fresh.version
        ).exists()
        if newer:
            _status_save(fresh, P.SUPERSEDED, acting_user)
            document.status = fresh.status
            return fresh
    return document_publish(document=fresh, acting_user=acting_user)


def documents_archived() -> Any:
    """Withdrawn versions, the most recently withdrawn first (the staff archive)."""
    return (
        Document.objects.filter(status=P.WITHDRAWN)
        .select_related("agency")
        .defer("raw", "cleaned_text", "removed_junk")
        .order_by("-updated_at")
    )


# ---------------------------------------------------------------- agencies (curation)

AGENCY_EDITABLE = ("name_zh", "name_en", "aliases", "level", "region", "region_zh", "parent",
                   "needs_review")  # fmt: skip


def agency_update(*, agency: Agency, changes: dict[str, Any], acting_user: Any = None) -> Agency:
    """Complete or correct an agency; its documents' and measures' search copies follow.

    A level or region change reaches the copies on every measure the agency leads;
    the parent may not be the agency itself or one of its descendants.
    """
    _require(acting_user, "documents.change_agency")
    unknown = set(changes) - set(AGENCY_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    parent = changes.get("parent")
    if parent is not None and agency.pk is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == agency.pk:
                raise ValidationError({"parent": _("An agency cannot be its own parent.")})
            ancestor = ancestor.parent
    if "aliases" in changes:
        changes["aliases"] = list(dict.fromkeys(a.strip() for a in changes["aliases"] if a.strip()))
    for name, value in changes.items():
        setattr(agency, name, value)
    agency.full_clean()
    agency._history_user = acting_user  # type: ignore[attr-defined]
    with transaction.atomic():
        if agency.pk is None:
            agency.save()
            return agency
        agency.save(update_fields=list(changes))
        if {"level", "region"} & set(changes):
            for document in Document.objects.filter(agency=agency).only("pk"):
                measures_sync_document_facts(document=Document.objects.get(pk=document.pk))
    return agency


def agency_merge(*, source: Agency, target: Agency, acting_user: Any = None) -> Agency:
    """Fold an agency (typically one ingestion registered) into an existing one.

    Documents it leads and its co-issuer links move to the target (a link that would
    name the target twice on one document is dropped), its children are re-parented,
    its names become aliases of the target (so the next notice naming it matches), the
    search copies of every affected measure are rewritten, and the source is deleted.
    """
    _require(acting_user, "documents.change_agency")
    if source.pk == target.pk:
        raise ValidationError(_("An agency cannot be merged into itself."))
    with transaction.atomic():
        source, target = (
            Agency.objects.select_for_update().get(pk=source.pk),
            Agency.objects.select_for_update().get(pk=target.pk),
        )
        affected = set(Document.objects.filter(agency=source).values_list("pk", flat=True))
        Document.objects.filter(agency=source).update(agency=target, updated_at=timezone.now())
        for link in DocumentCoIssuer.objects.filter(agency=source).select_related("document"):
            affected.add(link.document_id)
            taken = (
                link.document.agency_id == target.pk
                or DocumentCoIssuer.objects.filter(
                    document_id=link.document_id, agency=target
                ).exists()
            )
            if taken:
                link.delete()
            else:
                link.agency = target
                link.save(update_fields=["agency"])
        Agency.objects.filter(parent=source).update(parent=target)
        names = [n for n in source.all_names() if n and n not in target.all_names()]
        if names:
            target.aliases = [*target.aliases, *names]
            target._history_user = acting_user  # type: ignore[attr-defined]
            target.save(update_fields=["aliases"])
        for document in Document.objects.filter(pk__in=affected):
            measures_sync_document_facts(document=document)
        source._history_user = acting_user  # type: ignore[attr-defined]
        source.delete()
    logger.info("merged agency %s into %s (%s documents)", source.key, target.key, len(affected))
    return target


# ---------------------------------------------------------------- uploads


def upload_create(
    *,
    data: bytes,
    name: str,
    uploaded_by: Any = None,
    sidecar: dict[str, Any] | None = None,
    acting_user: Any = None,
) -> Upload:
    """Keep an uploaded file (and the metadata given with it) and queue its ingestion once
    the transaction commits. The sidecar takes the keys a NAME.meta.json may hold."""
    _require(acting_user, "documents.add_upload")
    sidecar = {k: v for k, v in (sidecar or {}).items() if v not in (None, "", [])}
    unknown = set(sidecar) - SIDECAR_KEYS - {"notice_key"}
    if unknown:
        raise ValueError(f"unknown metadata: {', '.join(sorted(unknown))}")
    upload = Upload(
        name=Path(name).name[:300] or "upload",
        data=data,
        uploaded_by=uploaded_by or acting_user,
        sidecar=sidecar,
    )
    upload.full_clean(exclude=["data", "uploaded_by"])
    upload.save()
    transaction.on_commit(lambda: _queue_upload(upload.pk))
    return upload


def upload_retry(*, upload: Upload, acting_user: Any = None) -> Upload:
    """Queue a failed upload again (after a fix elsewhere, e.g. a new agency)."""
    _require(acting_user, "documents.add_upload")
    with transaction.atomic():
        fresh = Upload.objects.select_for_update().get(pk=upload.pk)
        if fresh.status != UploadStatus.FAILED:
            raise WorkflowError("only a failed upload can be tried again")
        fresh.status, fresh.stage, fresh.error = UploadStatus.QUEUED, UploadStage.WAITING, ""
        fresh.finished_at = None
        fresh.save(update_fields=["status", "stage", "error", "finished_at"])
        transaction.on_commit(lambda: _queue_upload(fresh.pk))
    return fresh


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


class _UploadLock:
    """A session-level lock per upload: held while one try works (its progress committed
    as it goes, so the staff page can show it), released if its process dies."""

    def __init__(self, upload_id: int) -> None:
        self.key = f"upload:{upload_id}"

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [self.key])

    def __exit__(self, *exc: object) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [self.key])


def upload_process(*, upload: Upload) -> Upload:
    """Ingest an upload; its progress, then its outcome (document, warnings or the
    error) are saved on it.

    A task can be handed out twice (its worker died, or it ran past Q_RETRY): the try that
    holds the upload's lock does the work; another waits for the lock, and then finds the
    upload finished, or still running if the first try died, and does it itself. The
    document is stored in one transaction under the notice's lock, so a try that died
    left nothing, and a try that died after storing finds its document.
    """
    with _UploadLock(upload.pk):
        fresh = Upload.objects.filter(pk=upload.pk).first()
        if fresh is None or fresh.status not in (UploadStatus.QUEUED, UploadStatus.RUNNING):
            logger.info("upload %s was done by another try", upload.pk)
            return fresh or upload
        fresh.status, fresh.stage = UploadStatus.RUNNING, UploadStage.READING
        fresh.attempts += 1
        fresh.started_at = fresh.started_at or timezone.now()
        fresh.save(update_fields=["status", "stage", "attempts", "started_at"])
        return _upload_ingest(fresh)


def _upload_ingest(upload: Upload) -> Upload:
    def progress(stage: str) -> None:
        upload.stage = stage
        upload.save(update_fields=["stage"])

    try:
        outcome = notice_ingest(
            data=bytes(upload.data), name=upload.name, sidecar=upload.sidecar, progress=progress
        )
    except IngestError as exc:
        upload.status, upload.error = UploadStatus.FAILED, str(exc)
    except Exception as exc:  # never leave an upload queued forever (one attempt only)
        logger.exception("upload %s failed", upload.pk)
        upload.status, upload.error = UploadStatus.FAILED, f"{upload.name}: internal error ({exc})"
    else:
        # A try that died after storing: the document it made is this upload's own.
        own = outcome.status == "ingested" or (
            upload.attempts > 1
            and upload.started_at is not None
            and outcome.document.created_at >= upload.started_at
            and not outcome.document.uploads.exclude(pk=upload.pk).exists()
        )
        upload.status = UploadStatus.DONE if own else UploadStatus.UNCHANGED
        upload.document, upload.warnings = outcome.document, outcome.warnings
    upload.stage = UploadStage.FINISHED
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "stage", "error", "document", "warnings", "finished_at"])
    return upload


def conflict_resolve(
    *, document: Document, conflict_id: str, choice: Literal["keep", "take"], acting_user: Any
) -> Document:
    """A curator's decision on one re-ingestion conflict.

    "keep": the curated value stays (it already does) and the conflict is closed. "take":
    the newly ingested value replaces it, and the field follows ingestion again (it is no
    longer curated). Either way the decision is on record.
    """
    from measures.models import Measure
    from measures.services import measure_conflict_take

    if choice not in ("keep", "take"):
        raise ValueError(f"unknown choice: {choice}")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        conflict = next((c for c in document.conflicts if c.get("id") == conflict_id), None)
        if conflict is None:
            raise ValueError("this conflict was already resolved")
        if choice == "take" and conflict["scope"] == "document":
            name = conflict["field"]
            value = conflict["ingested"]
            if name == "agency":
                value = Agency.objects.filter(pk=value).first() if value else None
            elif value and Document._meta.get_field(name).get_internal_type() == "DateField":
                value = dt.date.fromisoformat(value)
            setattr(document, name, value)
            document.curated_fields = [f for f in document.curated_fields if f != name]
            document.full_clean(exclude=["raw"])
            document.save(update_fields=[name, "curated_fields", "updated_at"])
            measures_sync_document_facts(document=document)
        elif choice == "take":
            measure = Measure.objects.filter(document=document, number=conflict["number"]).first()
            if measure is None:
                raise ValueError(f"the document has no measure {conflict['number']} any more")
            if conflict["field"] != "missing":
                measure_conflict_take(measure=measure, conflict=conflict, acting_user=acting_user)
        document.conflicts = [c for c in document.conflicts if c.get("id") != conflict_id]
        document._history_user = acting_user  # type: ignore[attr-defined]
        document._change_reason = (  # type: ignore[attr-defined]
            f"conflict on {conflict['field']}: "
            + ("kept the curated value" if choice == "keep" else "took the new value")
        )
        document.save(update_fields=["conflicts", "updated_at"])
    return document


# What a history restore brings back of an agency (agency_update, above, writes it).
AGENCY_FIELDS = tuple(name for name in AGENCY_EDITABLE if name != "needs_review")


# ---------------------------------------------------------------- history


def history_restore(*, record: Any, acting_user: Any) -> Any:
    """Bring an object back to the values of one of its history rows, through its service.

    Only what a curator may edit is restored (a document's curated fields, a measure's
    targets, heading and tags, a text's title and translation, a tag, a glossary term, an
    agency's names and place); the restore is itself a change on record, naming the
    version it went back to. Returns the object as restored.
    """
    from measures import services as ms
    from measures.models import GlossaryTerm, Measure, MeasureText, Tag

    model = record.instance_type
    reason = f"restored version of {record.history_date:%Y-%m-%d %H:%M:%S}"
    if model is Document:
        document = Document.objects.get(pk=record.id)
        changes = {
            name: getattr(record, name if name != "agency" else "agency_id")
            for name in CURATABLE_FIELDS
        }
        changes["agency"] = Agency.objects.filter(pk=changes["agency"]).first()
        changes = {k: v for k, v in changes.items() if getattr(document, k) != v}
        if not changes:
            return document
        return document_update(
            document=document, changes=changes, acting_user=acting_user, reason=reason
        )
    if model is Measure:
        measure = Measure.objects.get(pk=record.id)
        with transaction.atomic():
            if record.targets != measure.targets:
                ms.measure_targets_set(
                    measure=measure, targets=record.targets, acting_user=acting_user
                )
            if record.section_title != measure.section_title and record.section_number:
                ms.section_rename(document=measure.document, section_number=record.section_number,
                                  title=record.section_title, acting_user=acting_user)  # fmt: skip
            wanted = set(record.tags.values_list("tag_id", flat=True))
            have = set(measure.tags.values_list("pk", flat=True))
            if wanted != have:
                ms.measures_tag(measures=[measure], add=Tag.objects.filter(pk__in=wanted - have),
                                remove=Tag.objects.filter(pk__in=have - wanted),
                                acting_user=acting_user)  # fmt: skip
        return Measure.objects.get(pk=record.id)
    if model is MeasureText:
        current = MeasureText.objects.filter(pk=record.id).first()
        if current is not None and (current.title, current.text) == (record.title, record.text):
            return current
        is_original = record.provenance == "original"
        return ms.measure_text_set(
            measure=Measure.objects.get(pk=record.measure_id),
            language=record.language,
            title=record.title,
            text="" if is_original else record.text,
            acting_user=acting_user,
        )
    if model is Tag:
        tag = Tag.objects.filter(pk=record.id).first()
        return ms.tag_save(tag=tag, values={f: getattr(record, f) for f in ms.TAG_FIELDS},
                           acting_user=acting_user)  # fmt: skip
    if model is GlossaryTerm:
        term = GlossaryTerm.objects.filter(pk=record.id).first()
        return ms.glossary_term_save(term=term, zh=record.zh, en=record.en, notes=record.notes,
                                     acting_user=acting_user)  # fmt: skip
    if model is Agency:
        agency = Agency.objects.get(pk=record.id)
        changes = {f: getattr(record, f) for f in AGENCY_FIELDS if f != "parent"}
        changes["parent"] = Agency.objects.filter(pk=record.parent_id).first()
        return agency_update(agency=agency, changes=changes, acting_user=acting_user)
    raise ValueError(f"{model._meta.label} cannot be restored here")
