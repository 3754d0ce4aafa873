"""Writes of measures, their texts, tags and the glossary. Every write goes through here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from documents.models import Document, PublicationStatus
from measures import counts, indexing
from measures.models import GlossaryTerm, Measure, MeasureText, Provenance, Tag
from measures.tagging import TagRule, matching_tags
from policykb.chinese import to_simplified
from policykb.writes import save_if_changed


@dataclass
class MeasureInput:
    """What ingestion found for one measure, in the document's original language."""

    number: int
    title: str
    text: str
    label: str = ""
    section_number: int | None = None
    section_label: str = ""
    section_title: str = ""
    span: tuple[int, int] | None = None
    targets: list[dict] = field(default_factory=list)
    # Filled by measures_prepare (pure, may run in another process).
    tags: list[str] | None = None
    tokens: tuple[str, str, str] | None = None  # title, context, body as indexed


def measures_prepare(*, language: str, items: Sequence[MeasureInput], rules: list[TagRule]) -> None:
    """Tag and segment measures without the database (the expensive, parallel part)."""
    names = {rule.slug: rule.names for rule in rules}
    for item in items:
        item.tags = matching_tags(f"{item.title}\n{item.text}", rules)
        context = _context(item.section_title, [names[slug] for slug in item.tags])
        item.tokens = indexing.tokens(language, item.title, context, item.text)


def tag_rules() -> list[TagRule]:
    return [
        TagRule(
            t.slug,
            tuple(t.keywords_zh),
            tuple(k.lower() for k in t.keywords_en),
            tag_id=t.pk,
            names=f"{t.name_zh} {t.name_en}",
        )
        for t in Tag.objects.all()
    ]


def measures_create(
    *, document: Document, items: Sequence[MeasureInput], rules: list[TagRule] | None = None
) -> list[Measure]:
    """Create a document's measures with their original-language texts, tags and vectors."""
    return measures_create_many(batch=[(document, items)], rules=rules)


def measures_create_many(
    *,
    batch: Sequence[tuple[Document, Sequence[MeasureInput]]],
    rules: list[TagRule] | None = None,
) -> list[Measure]:
    """measures_create for several documents at once: one statement per table, not per notice."""
    rules = tag_rules() if rules is None else rules
    pairs: list[tuple[Document, MeasureInput]] = []
    measures = []
    for document, items in batch:
        facts = _document_facts(document)
        if any(item.tokens is None for item in items):
            measures_prepare(language=document.language, items=items, rules=rules)
        for item in items:
            measure = Measure(
                document=document,
                number=item.number,
                label=item.label[:50],
                section_number=item.section_number,
                section_label=item.section_label[:50],
                section_title=item.section_title[:500],
                span_start=item.span[0] if item.span else None,
                span_end=item.span[1] if item.span else None,
                targets=item.targets,
                **facts,
            )
            # Uniqueness is the database's job here: checking it per row costs a query each.
            measure.full_clean(
                exclude=["document", "agency"], validate_unique=False, validate_constraints=False
            )
            measures.append(measure)
            pairs.append((document, item))
    # No history rows here: the document version records what ingestion produced, and
    # measures_history_baseline() writes a measure's first history row when staff first
    # edit it. Writing two history rows per measure doubled the cost of ingestion.
    measures = Measure.objects.bulk_create(measures)
    ids = {rule.slug: rule.tag_id for rule in rules if rule.tag_id}
    _tags_set({m.pk: item.tags or [] for m, (_, item) in zip(measures, pairs, strict=True)}, ids)
    indexing.insert_texts(
        [
            indexing.NewText(
                measure_id=m.pk,
                language=document.language,
                script=document.script,
                provenance=Provenance.ORIGINAL,
                title=item.title[:1000],
                text=item.text,
                tokens=item.tokens,  # type: ignore[arg-type]
            )
            for m, (document, item) in zip(measures, pairs, strict=True)
        ]
    )
    counts.documents_recount(document_ids=[document.pk for document, _items in batch])
    return measures


def _context(section_title: str, tag_names: list[str]) -> str:
    """Section heading and tag names: the B-weighted part of a measure's vector."""
    return " ".join([section_title, *tag_names]).strip()


def _document_facts(document: Document) -> dict:
    agency = document.agency
    return {
        "is_public": document.status == PublicationStatus.PUBLISHED,
        "agency": agency,
        "level": agency.level if agency else "",
        "region": agency.region if agency else "",
        "year": document.issued_on.year if document.issued_on else None,
        "issued_on": document.issued_on,
    }


def measures_sync_document_facts(*, document: Document) -> int:
    """Copy the document's status, agency and date onto its measures and their texts."""
    facts = _document_facts(document)
    changed = Measure.objects.filter(document=document).update(
        is_public=facts["is_public"],
        agency=facts["agency"],
        level=facts["level"],
        region=facts["region"],
        year=facts["year"],
        issued_on=facts["issued_on"],
    )
    indexing.sync_document_facts(document.pk)
    counts.documents_recount(document_ids=[document.pk])
    return changed


def _tags_set(slugs_by_measure: dict[int, list[str]], ids: dict[str, int] | None = None) -> None:
    if ids is None:
        wanted = {slug for slugs in slugs_by_measure.values() for slug in slugs}
        ids = dict(Tag.objects.filter(slug__in=wanted).values_list("slug", "id"))
    through = Measure.tags.through
    through.objects.bulk_create(
        [
            through(measure_id=measure_id, tag_id=ids[slug])
            for measure_id, slugs in slugs_by_measure.items()
            for slug in slugs
            if slug in ids
        ],
        ignore_conflicts=True,
    )


def measure_texts_index(*, texts: Iterable[MeasureText]) -> int:
    """(Re)compute the stored search vectors of the given texts."""
    texts = list(texts)
    measure_ids = {t.measure_id for t in texts}
    measures = Measure.objects.filter(pk__in=measure_ids).prefetch_related("tags")
    context = {
        m.pk: _context(m.section_title, [f"{t.name_zh} {t.name_en}" for t in m.tags.all()])
        for m in measures
    }
    indexed = indexing.index_texts(
        indexing.IndexInput(
            text_id=t.pk,
            language=t.language,
            title=t.title,
            context=context.get(t.measure_id, ""),
            body=t.text,
        )
        for t in texts
    )
    counts.measures_recount(measure_ids=measure_ids)  # an edit may have changed its tags
    return indexed


def measures_reindex(*, batch: int = 2000, progress=None) -> int:  # type: ignore[no-untyped-def]
    """Rebuild every stored search vector (after a dictionary or weighting change)."""
    done = 0
    ids = list(MeasureText.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = MeasureText.objects.filter(pk__in=ids[start : start + batch])
        done += measure_texts_index(texts=chunk)
        if progress:
            progress(len(ids[start : start + batch]))
    return done


@transaction.atomic
def tags_load(*, path: Path) -> int:
    """Create or update the tag vocabulary from a JSON file (list of tag objects)."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        tag = Tag.objects.filter(slug=entry["slug"]).first() or Tag(slug=entry["slug"])
        values = {
            name: entry.get(name, [] if name.startswith("keywords") else "")
            for name in ("kind", "name_en", "name_zh", "keywords_zh", "keywords_en")
        }
        save_if_changed(tag, values)
    return len(entries)


def glossary_term_upsert(*, zh: str, en: list[str], notes: str = "") -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(zh=zh).first() or GlossaryTerm(zh=zh)
    save_if_changed(term, {"en": [e.strip().lower() for e in en if e.strip()], "notes": notes})
    return term


@transaction.atomic
def glossary_load(*, path: Path) -> int:
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        glossary_term_upsert(zh=entry["zh"], en=entry["en"], notes=entry.get("notes", ""))
    return len(entries)


def measures_history_baseline(*, measures: Iterable[Measure]) -> None:
    """Record the ingested state of measures (and their texts) before a first edit.

    Ingestion writes no history rows for measures; call this from every service that
    edits a measure so its history starts with what ingestion produced.
    """
    measures = list(measures)
    fresh = [m for m in measures if not m.history.exists()]
    if fresh:
        Measure.history.bulk_history_create(fresh, default_change_reason="ingested")
        texts = list(MeasureText.objects.filter(measure__in=fresh))
        MeasureText.history.bulk_history_create(texts, default_change_reason="ingested")


def measures_size_tags_refresh(*, batch: int = 2000, progress=None) -> int:  # type: ignore[no-untyped-def]
    """Set every measure's size-class tags from its original text; returns how many changed.

    For measures stored before the size-class rule existed, or after it changed. The
    changed measures are reindexed (search reads tag copies) and recounted.
    """
    from measures.models import TagKind
    from measures.sizeclass import size_tag_slugs

    size_ids = dict(Tag.objects.filter(kind=TagKind.SIZE_CLASS).values_list("slug", "id"))
    if not size_ids:
        return 0
    through = Measure.tags.through
    originals = MeasureText.objects.filter(provenance=Provenance.ORIGINAL).order_by("pk")
    changed, last = 0, 0
    while True:
        chunk = list(
            originals.filter(pk__gt=last).values_list("pk", "measure_id", "title", "text")[:batch]
        )
        if not chunk:
            return changed
        last = chunk[-1][0]
        measure_ids = [m for _pk, m, _t, _x in chunk]
        have: dict[int, set[int]] = {}
        for measure_id, tag_id in through.objects.filter(
            measure_id__in=measure_ids, tag_id__in=size_ids.values()
        ).values_list("measure_id", "tag_id"):
            have.setdefault(measure_id, set()).add(tag_id)
        wanted = {
            m: {
                size_ids[s]
                for s in size_tag_slugs(to_simplified(f"{title}\n{text}"))
                if s in size_ids
            }
            for _pk, m, title, text in chunk
        }
        moved = [m for m in measure_ids if wanted[m] != have.get(m, set())]
        if moved:
            with transaction.atomic():
                through.objects.filter(measure_id__in=moved, tag_id__in=size_ids.values()).delete()
                through.objects.bulk_create(
                    [through(measure_id=m, tag_id=t) for m in moved for t in wanted[m]]
                )
                measure_texts_index(texts=MeasureText.objects.filter(measure_id__in=moved))
            changed += len(moved)
        if progress:
            progress(len(chunk))
