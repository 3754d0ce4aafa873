"""History of curated objects, restore through the services, and conflicts on re-ingest."""

from __future__ import annotations

import pytest

from documents.services import conflict_resolve, document_update, history_restore, notice_ingest
from measures.models import Measure, Provenance, Tag
from measures.search.service import SearchFilters, measures_search
from measures.services import measure_targets_set, measure_text_set, measures_tag

pytestmark = pytest.mark.django_db

NOTICE = """关于支持小微企业发展的若干措施

一、减轻企业负担
（一）对小微企业减免房租三个月。
（二）降低用电成本，电价下调百分之五。
二、加大融资支持
（三）设立专项贷款资金不少于5亿元。
"""


def ingest(text: str):
    return notice_ingest(data=text.encode(), name="support.txt", publish=True).document


def test_reingesting_keeps_curated_fields_and_shows_each_conflict(agencies, tags, editor):
    first = ingest(NOTICE)
    document_update(document=first, changes={"title_en": "Measures for small firms"},
                    acting_user=editor)  # fmt: skip
    m1, m3 = first.measures.get(number=1), first.measures.get(number=3)
    measure_text_set(measure=m1, language="en", title="Rent relief",
                     text="Small firms pay no rent for three months.", acting_user=editor)  # fmt: skip
    measure_targets_set(measure=m3, targets=[{"value": 6, "unit": "亿元", "comparator": ">="}],
                        acting_user=editor)  # fmt: skip
    changed = NOTICE.replace("三个月", "六个月") + "\n本措施自发布之日起施行。\n"
    second = ingest(changed)
    assert second.pk != first.pk and second.version == 2
    assert second.title_en == "Measures for small firms"
    fields = {(c["scope"], c["field"]) for c in second.conflicts}
    assert ("text", "translation") in fields  # measure 1's source changed under its translation
    assert ("measure", "targets") in fields  # the curator said 6, the notice says 5
    n1, n3 = second.measures.get(number=1), second.measures.get(number=3)
    assert n1.texts.get(language="en").text == "Small firms pay no rent for three months."
    assert n3.targets[0]["value"] == 6  # kept until the curator decides
    target_conflict = next(c for c in second.conflicts if c["field"] == "targets")
    assert target_conflict["curated"][0]["value"] == 6
    assert target_conflict["ingested"][0]["value"] == 5
    conflict_resolve(document=second, conflict_id=target_conflict["id"], choice="take",
                     acting_user=editor)  # fmt: skip
    n3.refresh_from_db()
    assert n3.targets[0]["value"] == 5 and "targets" not in n3.curated_fields
    text_conflict = next(c for c in second.conflicts if c["field"] == "translation")
    conflict_resolve(document=second, conflict_id=text_conflict["id"], choice="keep",
                     acting_user=editor)  # fmt: skip
    second.refresh_from_db()
    assert not second.conflicts
    assert n1.texts.filter(language="en").exists()
    # The carried translation is searchable on the new version.
    assert n1.pk in {h.measure.pk for h in measures_search(q="rent three months").hits}
    with pytest.raises(ValueError, match="already resolved"):
        conflict_resolve(document=second, conflict_id=text_conflict["id"], choice="keep",
                         acting_user=editor)  # fmt: skip


def test_an_unchanged_source_carries_its_translation_without_a_conflict(agencies, tags, editor):
    first = ingest(NOTICE)
    measure_text_set(measure=first.measures.get(number=2), language="en", title="Cheaper power",
                     text="Power prices fall by five percent.", acting_user=editor)  # fmt: skip
    second = ingest(NOTICE + "\n附件：申报表\n")
    assert not [c for c in second.conflicts if c["scope"] == "text"]
    carried = second.measures.get(number=2).texts.get(language="en")
    assert carried.provenance == Provenance.TRANSLATION and carried.translated_by == editor


def test_tagging_is_on_record_and_restore_brings_the_tags_back(agencies, tags, editor, reviewer):
    document = ingest(NOTICE)
    measure = document.measures.get(number=1)
    before = set(measure.tags.values_list("slug", flat=True))
    extra = Tag.objects.exclude(slug__in=before).first()
    measures_tag(measures=[measure], add=[extra], acting_user=editor)
    rows = list(measure.history.order_by("-history_id"))
    assert rows[0].history_user == editor
    assert extra.pk in set(rows[0].tags.values_list("tag_id", flat=True))
    assert rows[-1].history_change_reason == "ingested"
    history_restore(record=rows[-1], acting_user=reviewer)
    measure = Measure.objects.get(pk=measure.pk)
    assert set(measure.tags.values_list("slug", flat=True)) == before
    assert measure.history.order_by("-history_id").first().history_user == reviewer
    found = measures_search(filters=SearchFilters(tags=[extra.slug]), page_size=100).hits
    assert measure.pk not in {h.measure.pk for h in found}


def test_restoring_a_translation_version_is_a_new_change(agencies, tags, editor, reviewer):
    document = ingest(NOTICE)
    measure = document.measures.get(number=1)
    text = measure_text_set(measure=measure, language="en", title="Rent relief",
                            text="First wording.", acting_user=editor)  # fmt: skip
    measure_text_set(measure=measure, language="en", title="Rent relief",
                     text="Second wording.", acting_user=editor)  # fmt: skip
    first_version = text.history.order_by("history_id").first()
    history_restore(record=first_version, acting_user=reviewer)
    text.refresh_from_db()
    assert text.text == "First wording." and text.history.count() == 3
    assert text.history.order_by("-history_id").first().history_user == reviewer
