"""python manage.py synth N: add N generated measures (for search benchmarks only).

Measures recombine sentences of the seed notices in both languages, spread over the
agencies and years; they are published, grouped into synthetic documents of about 20,
and indexed like real ones. They carry no history rows (they are not anybody's edits).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from tqdm import tqdm

from documents.models import Agency, Document, PublicationStatus
from measures import counts, indexing
from measures.models import Measure
from measures.segment import warm_up
from measures.services import _tags_set, tag_rules
from measures.synth import SynthMeasure, load_sentences, synth_measures
from measures.tagging import matching_tags

BATCH = 2000


def _tokens(args: tuple[str, str, str]) -> tuple[str, str, str]:
    language, title, text = args
    return indexing.tokens(language, title, "", text)


class Command(BaseCommand):
    help = "Add N generated, published measures for benchmarking search."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("n", type=int)
        parser.add_argument("--seed", type=int, default=None, help="random seed (default: next)")

    def handle(self, *args: object, **options) -> None:  # type: ignore[no-untyped-def]
        n = options["n"]
        if n <= 0:
            raise CommandError("N must be a positive number of measures")
        agencies = list(Agency.objects.order_by("pk"))
        if not agencies:
            raise CommandError("no agencies: run `manage.py load_reference_data` first")
        run = options["seed"]
        if run is None:
            run = Document.objects.filter(notice_key__startswith="synth-").count()
        zh, en = load_sentences(Path(settings.BASE_DIR) / "fixtures" / "seeds")
        rules = tag_rules()
        stream = synth_measures(n, rng_seed=run, zh=zh, en=en, agency_count=len(agencies))
        bar = tqdm(total=n, unit="measure", file=sys.stderr, disable=None, desc="synth")
        documents: dict[int, Document] = {}
        warm_up()  # forked workers share the loaded dictionary
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as self.pool:
            while batch := list(itertools.islice(stream, BATCH)):
                with transaction.atomic():
                    self._store(batch, agencies, documents, rules, run)
                bar.update(len(batch))
        bar.close()
        Document.objects.filter(pk__in=[d.pk for d in documents.values()]).update(
            found_measures=Subquery(
                Measure.objects.filter(document=OuterRef("pk"))
                .values("document")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        # A bulk load leaves the planner's statistics behind until autovacuum gets to
        # them: lists and searches right after (benchmarks) would be planned for a few rows.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE documents_document, documents_documentcoissuer, measures_measure,"
                " measures_measure_tags, measures_measuretext"
            )
        self.stdout.write(f"added {n:,} measures in {len(documents):,} synthetic documents")

    def _store(self, batch: list[SynthMeasure], agencies, documents, rules, run) -> None:  # type: ignore[no-untyped-def]
        new_docs = []
        for item in batch:
            if item.document_index in documents:
                continue
            key = f"synth-{run}-{item.document_index}"
            issued = dt.date(item.year, 1 + item.document_index % 12, 1 + item.document_index % 28)
            doc = Document(
                notice_key=key,
                title_zh=item.title if item.language == "zh" else "",
                title_en=item.title if item.language == "en" else "",
                agency=agencies[item.agency_index],
                issued_on=issued,
                issued_precision="day",
                language=item.language,
                script="hans" if item.language == "zh" else "latn",
                raw=b"",
                raw_encoding="utf-8",
                cleaned_text="",
                content_hash=hashlib.sha256(key.encode()).hexdigest(),
                status=PublicationStatus.PUBLISHED,
                published_at=timezone.now(),
                source_name="synth",
            )
            documents[item.document_index] = doc
            new_docs.append(doc)
        Document.objects.bulk_create(new_docs)
        measures = []
        for item in batch:
            doc = documents[item.document_index]
            agency = doc.agency
            measures.append(
                Measure(
                    document=doc,
                    number=item.number,
                    is_public=True,
                    agency=agency,
                    level=agency.level,
                    region=agency.region,
                    year=doc.issued_on.year,
                    issued_on=doc.issued_on,
                )
            )
        Measure.objects.bulk_create(measures)
        tokens = self.pool.map(_tokens, [(i.language, i.title, i.text) for i in batch], 50)
        _tags_set(
            {m.pk: matching_tags(i.text, rules) for m, i in zip(measures, batch, strict=True)}
        )
        indexing.insert_texts(
            [
                indexing.NewText(
                    measure_id=m.pk,
                    language=item.language,
                    script="hans" if item.language == "zh" else "latn",
                    provenance="original",
                    title=item.title[:1000],
                    text=item.text,
                    tokens=tok,
                )
                for m, item, tok in zip(measures, batch, tokens, strict=True)
            ]
        )
        counts.documents_recount(document_ids={m.document_id for m in measures})
