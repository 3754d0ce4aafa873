"""Writes of measures, their texts, tags and the glossary. Every write goes through here."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from documents.models import Document, PublicationStatus
from measures import indexing
from measures.models import GlossaryTerm, Measure, MeasureText, Provenance, Tag
from measures.tagging import TagRule, matching_tags


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


def tag_rules() -> list[TagRule]:
    return [
        TagRule(t.slug, tuple(t.keywords_zh), tuple(k.lower() for k in t.keywords_en))
        for t in Tag.objects.all()
    ]


def measures_create(
    *, document: Document, items: Sequence[MeasureInput], rules: list[TagRule] | None = None
) -> list[Measure]:
    """Create a document's measures with their original-language texts, tags and vectors."""
    rules = tag_rules() if rules is None else rules
    facts = _document_facts(document)
    measures = [
        Measure(
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
        for item in items
    ]
    for measure in measures:
        measure.full_clean(exclude=["document", "agency"], validate_unique=False)
    measures = bulk_create_with_history(measures, Measure, default_change_reason="ingested")
    # bulk_create_with_history returns objects with primary keys on PostgreSQL.
    texts = [
        MeasureText(
            measure=measure,
            language=document.language,
            script=document.script,
            provenance=Provenance.ORIGINAL,
            title=item.title[:1000],
            text=item.text,
        )
        for measure, item in zip(measures, items, strict=True)
    ]
    texts = bulk_create_with_history(texts, MeasureText, default_change_reason="ingested")
    slugs_by_measure = {
        m.pk: matching_tags(f"{item.title}\n{item.text}", rules)
        for m, item in zip(measures, items, strict=True)
    }
    _tags_set(slugs_by_measure)
    measure_texts_index(texts=texts)
    return measures


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
    """Copy the document's status, agency and date onto its measures (after an edit)."""
    facts = _document_facts(document)
    return Measure.objects.filter(document=document).update(
        is_public=facts["is_public"],
        agency=facts["agency"],
        level=facts["level"],
        region=facts["region"],
        year=facts["year"],
        issued_on=facts["issued_on"],
    )


def _tags_set(slugs_by_measure: dict[int, list[str]]) -> None:
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
    context = {}
    for m in measures:
        names = " ".join(f"{tag.name_zh} {tag.name_en}" for tag in m.tags.all())
        context[m.pk] = f"{m.section_title} {names}".strip()
    return indexing.index_texts(
        indexing.IndexInput(
            text_id=t.pk,
            language=t.language,
            title=t.title,
            context=context.get(t.measure_id, ""),
            body=t.text,
        )
        for t in texts
    )


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
        for name in ("kind", "name_en", "name_zh", "keywords_zh", "keywords_en"):
            setattr(tag, name, entry.get(name, [] if name.startswith("keywords") else ""))
        tag.full_clean()
        tag.save()
    return len(entries)


def glossary_term_upsert(*, zh: str, en: list[str], notes: str = "") -> GlossaryTerm:
    term = GlossaryTerm.objects.filter(zh=zh).first() or GlossaryTerm(zh=zh)
    term.en = [e.strip().lower() for e in en if e.strip()]
    term.notes = notes
    term.full_clean()
    term.save()
    return term


@transaction.atomic
def glossary_load(*, path: Path) -> int:
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        glossary_term_upsert(zh=entry["zh"], en=entry["en"], notes=entry.get("notes", ""))
    return len(entries)
