"""Writes of measures, their texts, tags and the glossary. Every write goes through here."""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from documents.models import Document, PublicationStatus
from measures import counts, indexing
from measures.models import GlossaryTerm, Measure, MeasureText, OwnerPhrasing, Provenance, Tag
from measures.tagging import TagRule, matching_tags
from policykb.chinese import to_simplified
from policykb.pagecache import public_content_changed
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


def phrasing_upsert(*, phrase: str, means: list[str], notes: str = "") -> OwnerPhrasing:
    """Create or update an owner's phrasing (Simplified, lower case, terms deduplicated)."""
    key = _phrasing_key(phrase)
    terms = list(dict.fromkeys(_phrasing_key(m) for m in means if m.strip()))
    item = OwnerPhrasing.objects.filter(phrase=key).first() or OwnerPhrasing(phrase=key)
    save_if_changed(item, {"means": terms, "notes": notes})
    return item


def phrasing_delete(*, phrasing: OwnerPhrasing) -> None:
    phrasing.delete()


def _phrasing_key(text: str) -> str:
    from policykb.chinese import to_simplified

    return " ".join(to_simplified(unicodedata.normalize("NFKC", text)).lower().split())


@transaction.atomic
def phrasings_load(*, path: Path) -> int:
    """Create or update owners' phrasings from a JSON file (idempotent)."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        phrasing_upsert(phrase=entry["phrase"], means=entry["means"], notes=entry.get("notes", ""))
    return len(entries)


def measures_history_baseline(*, measures: Iterable[Measure]) -> None:
    """Record the ingested state of measures (and their texts) before a first edit.

    Ingestion writes no history rows for measures; call this from every service that
    edits a measure so its history starts with what ingestion produced. A measure's row
    is written by saving it unchanged (bulk_history_create would leave out its tags).
    """
    measures = list(measures)
    with_history = set(
        Measure.history.filter(id__in=[m.pk for m in measures]).values_list("id", flat=True)
    )
    fresh = [m for m in measures if m.pk not in with_history]
    for measure in fresh:
        measure._history_user = None  # type: ignore[attr-defined]
        measure._change_reason = "ingested"  # type: ignore[attr-defined]
        measure.save(update_fields=["number"])
        del measure._history_user, measure._change_reason  # type: ignore[attr-defined]
    if fresh:
        texts = [
            t
            for t in MeasureText.objects.filter(measure__in=fresh)
            if not MeasureText.history.filter(id=t.pk).exists()
        ]
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


# ---------------------------------------------------------------- curation
#
# Every correction a curator makes on the review page. Each runs in one transaction that
# locks the document (two curators editing one notice take turns), records who made it
# (history_user from acting_user), and leaves search current before it commits: vectors,
# the copies on the texts and the sample are rewritten by measure_texts_index, never by a
# later reindex.

# Comparators a quantitative target may carry (as the pipeline writes them).
TARGET_COMPARATORS = (">=", ">", "<=", "<", "=")
TARGET_KEYS = ("value", "value_max", "unit", "comparator", "period", "text")
# What a curator edits on a measure; a new ingested version keeps these (documents.services).
MEASURE_CURATABLE = ("title", "targets", "section_title", "tags")


def _acting(obj: Any, acting_user: Any, reason: str = "") -> None:
    """Name who makes the next history row of obj (and why)."""
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason


def _locked_document(document_id: int) -> Document:
    return Document.objects.select_for_update().get(pk=document_id)


def original_text(measure: Measure) -> MeasureText:
    """The measure's text in the notice's own language, as ingested."""
    texts = list(measure.texts.all())
    for text in texts:
        if text.provenance == Provenance.ORIGINAL:
            return text
    raise ValueError(f"measure {measure.pk} has no original text")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_exact_span(measure: Measure, document: Document, body: str) -> bool:
    start, end = measure.span_start, measure.span_end
    return start is not None and end is not None and document.cleaned_text[start:end] == body


def _reindex(measures: Iterable[Measure]) -> None:
    measure_texts_index(texts=MeasureText.objects.filter(measure__in=[m.pk for m in measures]))


def _found_measures_set(document: Document, acting_user: Any) -> None:
    document.found_measures = Measure.objects.filter(document=document).count()
    _acting(document, acting_user)
    document.save(update_fields=["found_measures", "updated_at"])


def _document_warn(document: Document, message: str) -> None:
    if message not in document.warnings:
        document.warnings = [*document.warnings, message]
        document.save(update_fields=["warnings", "updated_at"])


def _shift_numbers(document: Document, *, above: int, by: int, acting_user: Any) -> None:
    """Move the numbers of the measures after `above` by `by` (+1 or -1), one at a time in
    the order that never collides with the unique (document, number) constraint."""
    order = "-number" if by > 0 else "number"
    later = list(Measure.objects.filter(document=document, number__gt=above).order_by(order))
    measures_history_baseline(measures=later)  # their history starts with the ingested number
    for measure in later:
        measure.number += by
        _acting(measure, acting_user, "renumbered")
        measure.save(update_fields=["number"])


def measure_split(*, measure: Measure, at: int, acting_user: Any) -> tuple[Measure, Measure]:
    """Cut a measure in two at a character offset of its original text.

    The first part keeps the number, label, tags and the targets found in it; the second
    becomes the next measure (later ones move up by one). The two spans cover exactly the
    text the one span covered (whitespace at the cut aside), in order, without overlap.
    A translation stays with the first part, and the document warns that it needs review.
    """
    with transaction.atomic():
        document = _locked_document(measure.document_id)
        measure = Measure.objects.prefetch_related("texts", "tags").get(pk=measure.pk)
        original = original_text(measure)
        body = original.text
        if not 0 < at < len(body) or not body[:at].strip() or not body[at:].strip():
            raise ValueError("a split point must leave text on both sides")
        measures_history_baseline(measures=[measure])
        exact = _has_exact_span(measure, document, body)
        if exact:
            start = measure.span_start or 0
            head_span = _trim(document.cleaned_text, start, start + at)
            tail_span = _trim(document.cleaned_text, start + at, measure.span_end or 0)
            head = document.cleaned_text[head_span[0] : head_span[1]]
            tail = document.cleaned_text[tail_span[0] : tail_span[1]]
        else:
            head, tail = body[:at].strip(), body[at:].strip()
        head_targets = [t for t in measure.targets if not t.get("text") or t["text"] in head]
        tail_targets = [t for t in measure.targets if t not in head_targets]
        _shift_numbers(document, above=measure.number, by=1, acting_user=acting_user)
        second = Measure(
            document=document,
            number=measure.number + 1,
            section_number=measure.section_number,
            section_label=measure.section_label,
            section_title=measure.section_title,
            span_start=tail_span[0] if exact else None,
            span_end=tail_span[1] if exact else None,
            targets=tail_targets,
            **_document_facts(document),
        )
        second.full_clean()
        _acting(second, acting_user, f"split from measure {measure.number}")
        second.save()
        second.tags.set(measure.tags.all())
        measure.targets = head_targets
        if exact:
            measure.span_start, measure.span_end = head_span
        _acting(measure, acting_user, f"split at {at}")
        measure.save(update_fields=["targets", "span_start", "span_end"])
        from documents.pipeline.split import make_title

        if "title" not in measure.curated_fields:
            original.title = make_title(head, document.language)[:1000] or original.title
        original.text = head
        _acting(original, acting_user, "split")
        original.full_clean()
        original.save(update_fields=["title", "text"])
        tail_text = MeasureText(
            measure=second,
            language=original.language,
            script=original.script,
            provenance=Provenance.ORIGINAL,
            title=(make_title(tail, document.language) or tail[:200])[:1000],
            text=tail,
        )
        tail_text.full_clean()
        _acting(tail_text, acting_user, f"split from measure {measure.number}")
        tail_text.save()
        if any(t.provenance != Provenance.ORIGINAL for t in measure.texts.all()):
            _document_warn(
                document,
                f"measure {measure.number}: its translation was written before a split "
                f"and may now cover measure {second.number} too",
            )
        _found_measures_set(document, acting_user)
        _reindex([measure, second])
    return measure, second


def measure_merge(*, first: Measure, second: Measure, acting_user: Any) -> Measure:
    """Join a measure with the one right after it, in the same section.

    The merged measure keeps the first's number, label and title; its span runs from the
    first's start to the second's end, so its text is exactly that stretch of the notice
    (the second's number as written included). Tags and targets are united, translations
    joined; later measures move down by one.
    """
    if first.document_id != second.document_id:
        raise ValueError("only measures of one document can be merged")
    with transaction.atomic():
        document = _locked_document(first.document_id)
        first = Measure.objects.prefetch_related("texts", "tags").get(pk=first.pk)
        second = Measure.objects.prefetch_related("texts", "tags").get(pk=second.pk)
        if second.number != first.number + 1:
            raise ValueError("only a measure and the one right after it can be merged")
        if first.section_number != second.section_number:
            raise ValueError("the measures are in different sections: move one first")
        measures_history_baseline(measures=[first, second])
        head, tail = original_text(first), original_text(second)
        if _has_exact_span(first, document, head.text) and _has_exact_span(
            second, document, tail.text
        ):
            first.span_end = second.span_end
            merged = document.cleaned_text[first.span_start : first.span_end]
        else:
            first.span_start = first.span_end = None
            merged = f"{head.text}\n{tail.text}"
        first.targets = [*first.targets, *[t for t in second.targets if t not in first.targets]]
        tags = {*first.tags.all(), *second.tags.all()}
        translations = {t.language: t for t in second.texts.all() if not t.is_original}
        kept_translations = {t.language: t for t in first.texts.all() if not t.is_original}
        for language, text in kept_translations.items():
            if language in translations:
                text.text = f"{text.text}\n{translations.pop(language).text}"
                _acting(text, acting_user, f"merged with measure {second.number}")
                text.save(update_fields=["text"])
            else:
                _document_warn(
                    document,
                    f"measure {first.number}: its translation covers only the text before "
                    f"the merge with measure {second.number}",
                )
        for language, text in translations.items():  # only the second part was translated
            _document_warn(
                document,
                f"measure {first.number}: its {language} translation covers only the text "
                f"after the merge with measure {second.number}",
            )
            text.measure = first
            _acting(text, acting_user, f"merged into measure {first.number}")
            text.save(update_fields=["measure"])
        moved = {t.pk for t in translations.values()}
        for text in second.texts.all():
            if text.pk not in moved:
                _acting(text, acting_user, f"merged into measure {first.number}")
                text.delete()
        number = second.number
        _acting(second, acting_user, f"merged into measure {first.number}")
        second.delete()
        head.text = merged
        _acting(head, acting_user, f"merged with measure {number}")
        head.full_clean()
        head.save(update_fields=["text"])
        _acting(first, acting_user, f"merged with measure {number}")
        first.save(update_fields=["span_start", "span_end", "targets"])
        first.skip_history_when_saving = True  # type: ignore[attr-defined]
        first.tags.set(tags)
        del first.skip_history_when_saving  # type: ignore[attr-defined]
        _shift_numbers(document, above=number, by=-1, acting_user=acting_user)
        _found_measures_set(document, acting_user)
        _reindex([first])
    return first


def measures_renumber(*, document: Document, acting_user: Any) -> int:
    """Number a document's measures 1, 2, 3 … in the order they stand in the text.

    Returns how many measures changed number.
    """
    with transaction.atomic():
        document = _locked_document(document.pk)
        measures = sorted(
            Measure.objects.filter(document=document),
            key=lambda m: (m.span_start is None, m.span_start or 0, m.number),
        )
        changed = [(m, n) for n, m in enumerate(measures, 1) if m.number != n]
        measures_history_baseline(measures=[m for m, _ in changed])
        # Out of the way first, so that no new number meets an old one.
        Measure.objects.filter(pk__in=[m.pk for m, _ in changed]).update(
            number=models.F("number") + 1_000_000
        )
        for measure, number in changed:
            measure.number = number
            _acting(measure, acting_user, "renumbered")
            measure.save(update_fields=["number"])
        if changed:
            public_content_changed()
    return len(changed)


def document_sections(document: Document) -> list[tuple[int, str, str]]:
    """(number, label, heading) of each section of a document, in order."""
    rows = (
        Measure.objects.filter(document=document, section_number__isnull=False)
        .order_by("section_number")
        .values_list("section_number", "section_label", "section_title")
        .distinct("section_number")
    )
    return list(rows)


def measure_move(*, measure: Measure, section_number: int | None, acting_user: Any) -> Measure:
    """Put a measure in another section of its document (or in none)."""
    with transaction.atomic():
        document = _locked_document(measure.document_id)
        measure = Measure.objects.get(pk=measure.pk)
        if section_number is None:
            label = title = ""
        else:
            found = {n: (lab, t) for n, lab, t in document_sections(document)}
            if section_number not in found:
                raise ValueError(f"the document has no section {section_number}")
            label, title = found[section_number]
        measures_history_baseline(measures=[measure])
        measure.section_number, measure.section_label, measure.section_title = (
            section_number,
            label,
            title,
        )
        measure.full_clean(exclude=["document", "agency"])
        _acting(measure, acting_user, "moved to another section")
        measure.save(update_fields=["section_number", "section_label", "section_title"])
        _reindex([measure])
    return measure


def section_rename(*, document: Document, section_number: int, title: str, acting_user: Any) -> int:
    """Give a section a new heading on every measure in it; returns the measures changed."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("a section heading cannot be empty")
    if len(title) > 500:
        raise ValueError("a section heading is at most 500 characters")
    with transaction.atomic():
        document = _locked_document(document.pk)
        measures = list(Measure.objects.filter(document=document, section_number=section_number))
        if not measures:
            raise ValueError(f"the document has no section {section_number}")
        measures_history_baseline(measures=measures)
        for measure in measures:
            measure.section_title = title
            measure.curated_fields = sorted({*measure.curated_fields, "section_title"})
            _acting(measure, acting_user, "section renamed")
            measure.save(update_fields=["section_title", "curated_fields"])
        _reindex(measures)
    return len(measures)


def _clean_target(raw: dict) -> dict:
    unknown = set(raw) - set(TARGET_KEYS)
    if unknown:
        raise ValueError(f"unknown target fields: {', '.join(sorted(unknown))}")
    try:
        value = float(raw["value"])
        value_max = None if raw.get("value_max") in (None, "") else float(raw["value_max"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("a target needs a number as its value") from exc
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        raise ValueError("a target's value must be a finite number")
    if value_max is not None and not (value_max == value_max and value_max >= value):
        raise ValueError("a target's upper value must be at least its value")
    comparator = raw.get("comparator") or None
    if comparator is not None and comparator not in TARGET_COMPARATORS:
        raise ValueError(f"unknown comparator: {comparator}")
    unit, period, text = (str(raw.get(k) or "").strip() for k in ("unit", "period", "text"))
    if not unit:
        raise ValueError("a target needs a unit (万元, %, enterprises …)")
    if any(len(v) > 200 for v in (unit, period)) or len(text) > 1000:
        raise ValueError("a target's unit or period is too long")
    return {
        "value": value,
        "value_max": value_max,
        "unit": unit,
        "comparator": comparator,
        "period": period or None,
        "text": text,
    }


def measure_targets_set(*, measure: Measure, targets: list[dict], acting_user: Any) -> Measure:
    """Replace a measure's quantitative targets with a curator's list (checked first)."""
    cleaned = [_clean_target(t) for t in targets]
    with transaction.atomic():
        _locked_document(measure.document_id)
        measure = Measure.objects.get(pk=measure.pk)
        measures_history_baseline(measures=[measure])
        measure.targets = cleaned
        measure.curated_fields = sorted({*measure.curated_fields, "targets"})
        _acting(measure, acting_user, "targets edited")
        measure.save(update_fields=["targets", "curated_fields"])
        public_content_changed()
    return measure


def measure_text_set(
    *, measure: Measure, language: str, title: str, text: str, acting_user: Any
) -> MeasureText:
    """Write a measure's title and text in a language.

    In the notice's own language only the title can change (the text is the notice's,
    and its span): that title becomes curated. In the other language the text is a
    curated translation, created or replaced, with who wrote it and when.
    """
    if language not in ("zh", "en"):
        raise ValueError(f"unsupported language: {language}")
    title, text = title.strip(), text.strip()
    with transaction.atomic():
        _locked_document(measure.document_id)
        measure = Measure.objects.select_related("document").get(pk=measure.pk)
        measures_history_baseline(measures=[measure])
        existing = MeasureText.objects.filter(measure=measure, language=language).first()
        if existing is not None and existing.is_original:
            if text and text != existing.text:
                raise ValueError(
                    "the original text is the notice's own: split or merge measures to change it"
                )
            existing.title = title
            existing.full_clean()
            _acting(existing, acting_user, "title edited")
            existing.save(update_fields=["title"])
            measure.curated_fields = sorted({*measure.curated_fields, "title"})
            _acting(measure, acting_user, "title edited")
            measure.save(update_fields=["curated_fields"])
            _reindex([measure])
            return existing
        target = existing or MeasureText(measure=measure, language=language)
        target.script = "hans" if language == "zh" else "latn"
        target.provenance = Provenance.TRANSLATION
        target.title, target.text = title, text
        target.translated_by = acting_user if getattr(acting_user, "pk", None) else None
        target.translated_at = timezone.now()
        target.full_clean(exclude=["measure"])
        _acting(target, acting_user, "translation edited" if existing else "translation added")
        target.save()
        _reindex([measure])
    return target


def measure_text_delete(*, text: MeasureText, acting_user: Any) -> None:
    """Remove a translation (never the original); search forgets it at once."""
    if text.is_original:
        raise ValueError("the original text cannot be removed")
    with transaction.atomic():
        _locked_document(text.measure.document_id)
        _acting(text, acting_user, "translation removed")
        text.delete()
        public_content_changed()


def measures_tag(
    *,
    measures: Iterable[Measure],
    add: Iterable[Tag] = (),
    remove: Iterable[Tag] = (),
    acting_user: Any,
) -> int:
    """Add and remove tags on measures (one or a filtered list); returns how many changed.

    Each changed measure gets one history row; search facets and filters follow at once.
    """
    add, remove = set(add), set(remove)
    if add & remove:
        raise ValueError("a tag cannot be both added and removed")
    with transaction.atomic():
        changed = []
        for measure in Measure.objects.filter(pk__in=[m.pk for m in measures]).prefetch_related(
            "tags"
        ):
            before = set(measure.tags.all())
            after = (before | add) - remove
            if after == before:
                continue
            measures_history_baseline(measures=[measure])
            measure.skip_history_when_saving = True  # type: ignore[attr-defined]
            measure.tags.set(after)
            del measure.skip_history_when_saving  # type: ignore[attr-defined]
            measure.curated_fields = sorted({*measure.curated_fields, "tags"})
            _acting(measure, acting_user, "tags edited")
            measure.save(update_fields=["curated_fields"])
            changed.append(measure)
        _reindex(changed)
    return len(changed)


TAG_FIELDS = ("kind", "slug", "name_en", "name_zh", "keywords_zh", "keywords_en")


def tag_save(*, tag: Tag | None, values: dict[str, Any], acting_user: Any) -> Tag:
    """Create a tag or edit one; the texts of its measures are reindexed (names count)."""
    unknown = set(values) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        tag = tag or Tag()
        for name, value in values.items():
            if name.startswith("keywords"):
                value = [k.strip() for k in value if k.strip()]
            setattr(tag, name, value)
        tag.full_clean()
        _acting(tag, acting_user)
        tag.save()
        _reindex(Measure.objects.filter(tags=tag))
    return tag


def tag_delete(*, tag: Tag, acting_user: Any) -> int:
    """Remove a tag from the vocabulary and from every measure carrying it."""
    with transaction.atomic():
        measures = list(Measure.objects.filter(tags=tag))
        measures_tag(measures=measures, remove=[tag], acting_user=acting_user)
        _acting(tag, acting_user)
        tag.delete()
    return len(measures)


def glossary_term_save(
    *, term: GlossaryTerm | None, zh: str, en: list[str], notes: str = "", acting_user: Any
) -> GlossaryTerm:
    """Create or edit a glossary entry; search expands queries with it at once.

    The search service caches the glossary keyed on the newest glossary history row, so
    this save (which writes one) makes every process read the glossary afresh.
    """
    zh = zh.strip()
    renderings = list(dict.fromkeys(e.strip().lower() for e in en if e.strip()))
    if not renderings:
        raise ValueError("a glossary term needs at least one English rendering")
    with transaction.atomic():
        term = term or GlossaryTerm()
        term.zh, term.en, term.notes = zh, renderings, notes.strip()
        term.full_clean()
        _acting(term, acting_user)
        term.save()
        public_content_changed()
    return term


def glossary_term_delete(*, term: GlossaryTerm, acting_user: Any) -> None:
    with transaction.atomic():
        _acting(term, acting_user)
        term.delete()
        public_content_changed()


# ---------------------------------------------------------------- re-ingestion


def conflict_entry(
    *,
    scope: str,
    field: str,
    curated: Any,
    ingested: Any,
    number: int | None = None,
    language: str = "",
) -> dict:
    """One disagreement between a curator's value (kept) and a new ingested value."""
    return {
        "id": uuid.uuid4().hex[:12],
        "scope": scope,  # document, measure or text
        "field": field,
        "number": number,
        "language": language,
        "curated": curated,
        "ingested": ingested,
    }


def _curated_value(measure: Measure, name: str) -> Any:
    if name == "title":
        return original_text(measure).title
    if name == "tags":
        return sorted(t.slug for t in measure.tags.all())
    return getattr(measure, name)


def measures_carry_curated(*, previous: Document, document: Document) -> list[dict]:
    """Carry a curator's work on the previous version's measures onto the new version's.

    A new measure is matched by its original text, else by its number. Curated targets,
    section headings, titles and tags are kept; curated translations are copied. Where
    the new ingestion reads a field differently, or the source of a translation changed,
    a conflict is returned for the review page (the curated value is what stays until
    the curator decides). Nothing is lost: curated work with no matching measure is named
    in a conflict too.
    """
    old = list(
        Measure.objects.filter(document=previous).prefetch_related("texts", "tags", "document")
    )
    new = list(Measure.objects.filter(document=document).prefetch_related("texts", "tags"))
    by_text = {original_text(m).text: m for m in new}
    by_number = {m.number: m for m in new}
    conflicts: list[dict] = []
    touched = []
    for before in old:
        curated = [f for f in before.curated_fields if f in MEASURE_CURATABLE]
        translations = [t for t in before.texts.all() if not t.is_original]
        if not curated and not translations:
            continue
        source = original_text(before).text
        after = by_text.get(source) or by_number.get(before.number)
        if after is None:
            conflicts.append(
                conflict_entry(scope="measure", field="missing", number=before.number,
                               curated=source[:500], ingested="")
            )  # fmt: skip
            continue
        same_source = original_text(after).text == source
        for name in curated:
            kept, found = _curated_value(before, name), _curated_value(after, name)
            if kept != found:
                conflicts.append(
                    conflict_entry(scope="measure", field=name, number=after.number,
                                   curated=kept, ingested=found)
                )  # fmt: skip
            _measure_field_set(after, name, kept)
        after.curated_fields = sorted({*after.curated_fields, *curated})
        after.save(update_fields=["targets", "section_title", "curated_fields"])
        for text in translations:
            MeasureText.objects.create(
                measure=after, language=text.language, script=text.script,
                provenance=text.provenance, title=text.title, text=text.text,
                translated_by=text.translated_by, translated_at=text.translated_at,
            )  # fmt: skip
            if not same_source:
                conflicts.append(
                    conflict_entry(scope="text", field="translation", number=after.number,
                                   language=text.language, curated=text.text,
                                   ingested=original_text(after).text)
                )  # fmt: skip
        touched.append(after)
    _reindex(touched)
    return conflicts


def _measure_field_set(measure: Measure, name: str, value: Any) -> None:
    """Set one curatable field of a measure (saved by the caller, except title and tags)."""
    if name == "title":
        text = original_text(measure)
        text.title = value
        text.save(update_fields=["title"])
    elif name == "tags":
        measure.skip_history_when_saving = True  # type: ignore[attr-defined]
        measure.tags.set(Tag.objects.filter(slug__in=value))
        del measure.skip_history_when_saving  # type: ignore[attr-defined]
    else:
        setattr(measure, name, value)


def measure_conflict_take(*, measure: Measure, conflict: dict, acting_user: Any) -> Measure:
    """Take the ingested value of a measure conflict; the field follows ingestion again."""
    with transaction.atomic():
        measure = Measure.objects.prefetch_related("texts", "tags").get(pk=measure.pk)
        measures_history_baseline(measures=[measure])
        if conflict["scope"] == "text":
            text = (
                measure.texts.filter(language=conflict["language"])
                .exclude(provenance=Provenance.ORIGINAL)
                .first()
            )
            if text is not None:  # the translation no longer fits its source: drop it
                measure_text_delete(text=text, acting_user=acting_user)
            return measure
        name = conflict["field"]
        if name not in MEASURE_CURATABLE:
            raise ValueError(f"cannot take a new value for {name}")
        _measure_field_set(measure, name, conflict["ingested"])
        measure.curated_fields = [f for f in measure.curated_fields if f != name]
        _acting(measure, acting_user, f"took the ingested {name}")
        measure.save(update_fields=["targets", "section_title", "curated_fields"])
        _reindex([measure])
    return measure
