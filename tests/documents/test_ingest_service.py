"""notice_ingest: raw notices in, stored documents with measures out."""

import pytest

from documents.models import Document, PublicationStatus
from documents.pipeline.errors import IngestError
from documents.services import document_publish, document_update, notice_ingest
from measures.models import Measure, MeasureText

pytestmark = pytest.mark.django_db

NOTICE = """关于支持中小企业发展的若干措施
青岛市民营经济发展局
2024年5月20日
一、强化金融支持
1.扩大融资担保规模。全年为中小微企业提供融资担保支持100亿元以上。
2.降低担保费率。引导担保机构降低担保费率。
二、优化服务
3.开展政策宣讲。全年开展政策服务活动20场以上。
"""


def ingest(text: str = NOTICE, name: str = "notice.txt", **kwargs):
    return notice_ingest(data=text.encode("utf-8"), name=name, **kwargs)


def test_a_notice_becomes_a_draft_document_with_its_measures(agencies, tags):
    outcome = ingest()
    document = outcome.document
    assert outcome.status == "ingested"
    assert document.status == PublicationStatus.DRAFT
    assert document.agency.key == "qingdao-private-economy"
    assert str(document.issued_on) == "2024-05-20"
    assert list(document.measures.values_list("number", flat=True)) == [1, 2, 3]
    first = document.measures.get(number=1)
    assert first.section_title == "强化金融支持"
    assert first.texts.get().title == "扩大融资担保规模"
    assert any(t["value"] == 100 and t["unit"] == "亿元" for t in first.targets)
    assert not first.is_public  # drafts stay off the public site


def test_reingesting_the_same_bytes_changes_nothing(agencies):
    first = ingest()
    counts = (Document.objects.count(), Measure.objects.count(), MeasureText.objects.count())
    again = ingest(name="copy-of-notice.txt")
    assert again.status == "unchanged"
    assert again.document.pk == first.document.pk
    assert counts == (
        Document.objects.count(),
        Measure.objects.count(),
        MeasureText.objects.count(),
    )


def test_changed_text_of_a_known_notice_is_a_new_version(agencies):
    first = ingest().document
    second = ingest(NOTICE.replace("20场以上", "30场以上")).document
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes == first
    assert not first.is_current and second.is_current
    assert first.measures.count() == second.measures.count() == 3


def test_curated_fields_survive_a_new_version_with_a_warning(agencies):
    first = ingest().document
    document_update(document=first, changes={"title_zh": "青岛市支持中小企业发展若干措施"})
    second = ingest(NOTICE.replace("20场以上", "30场以上")).document
    assert second.title_zh == "青岛市支持中小企业发展若干措施"
    assert any("title_zh" in w for w in second.warnings)


def test_publishing_a_new_version_supersedes_the_old_one(agencies):
    first = ingest(publish=True).document
    second = ingest(NOTICE.replace("20场以上", "30场以上")).document
    assert list(Document.objects.published()) == [first]  # old stays live during review
    document_publish(document=second)
    first.refresh_from_db()
    assert first.status == PublicationStatus.SUPERSEDED
    assert list(Document.objects.published()) == [second]
    assert set(Measure.objects.published().values_list("document", flat=True)) == {second.pk}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"\x00\x01\x02\x03" * 500],
    ids=["empty", "png", "binary"],
)
def test_undecodable_input_is_rejected_naming_the_file_and_leaves_nothing(agencies, data):
    with pytest.raises(IngestError, match="hostile.bin"):
        notice_ingest(data=data, name="uploads/hostile.bin")
    assert Document.objects.count() == 0 and Measure.objects.count() == 0


def test_oversized_input_is_rejected_before_parsing(agencies, settings):
    settings.POLICYKB_MAX_NOTICE_BYTES = 1000
    with pytest.raises(IngestError, match="over the limit"):
        ingest(NOTICE * 20, name="big.txt")
    assert Document.objects.count() == 0


def test_a_failure_while_storing_leaves_nothing_behind(agencies, monkeypatch):
    import documents.services as services

    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "measures_create", explode)
    with pytest.raises(RuntimeError):
        ingest()
    assert Document.objects.count() == 0 and Measure.objects.count() == 0


def test_a_notice_without_measures_is_kept_with_a_warning(agencies):
    outcome = ingest("这是一篇没有编号措施的普通新闻稿。青岛市今天天气晴朗。", name="news.txt")
    assert outcome.document.found_measures == 0
    assert outcome.warnings


def test_validity_follows_the_dates_the_text_gives(agencies):
    expired = ingest(
        NOTICE + "本措施自2020年1月1日起施行，有效期至2021年12月31日。\n", name="old.txt"
    )
    assert str(expired.document.effective_on) == "2020-01-01"
    assert expired.document.validity == "expired"
    current = ingest(NOTICE + "本措施自印发之日起施行，有效期至2099年12月31日。\n", name="new.txt")
    assert current.document.effective_on == current.document.issued_on
    assert current.document.validity == "effective"
    assert ingest(name="plain.txt").document.validity == "unknown"


def test_loading_reference_data_twice_changes_nothing(seeds):
    from django.core.management import call_command

    from documents.models import Agency
    from measures.models import GlossaryTerm, Tag

    def history_rows():
        return (
            Agency.history.count(),
            Tag.history.count(),
            GlossaryTerm.history.count(),
            Document.objects.count(),
        )

    before = history_rows()
    call_command("load_reference_data", stdout=None)
    assert history_rows() == before


def prepared(text: str, name: str):
    from documents.services import agency_refs, notice_prepare
    from measures.services import tag_rules

    return notice_prepare(data=text.encode(), name=name, agencies=agency_refs(), rules=tag_rules())


def test_batch_store_handles_new_repeated_and_versioned_notices(agencies, tags):
    from documents.services import notices_store

    stored = ingest().document  # notice.txt, version 1
    batch = [
        prepared("1.设立专项资金。\n2.开展融资服务。", "a.txt"),
        prepared("1.设立专项资金。\n2.开展融资服务。", "copy-of-a.txt"),  # same bytes
        prepared(NOTICE.replace("20场以上", "40场以上"), "notice.txt"),  # new version
        prepared("1.减免房租。\n2.缓缴社保费。\n3.发放稳岗补贴。", "b.txt"),
    ]
    outcomes = notices_store(batch=batch)
    assert [o.status for o in outcomes] == ["ingested", "unchanged", "ingested", "ingested"]
    assert outcomes[1].document == outcomes[0].document
    assert outcomes[2].document.version == 2 and outcomes[2].document.supersedes == stored
    assert outcomes[3].document.measures.count() == 3
    assert measures_search_count("稳岗补贴") == 0  # drafts stay private


def measures_search_count(q: str) -> int:
    from measures.search.service import measures_search

    return measures_search(q=q).count


def test_a_failing_batch_falls_back_to_one_transaction_per_notice(agencies, monkeypatch):
    import documents.services as services

    def explode(**kwargs):
        raise RuntimeError("batch insert failed")

    monkeypatch.setattr(services, "measures_create_many", explode)
    batch = [prepared("1.设立专项资金。\n2.开展融资服务。", "a.txt"),
             prepared("1.减免房租。\n2.缓缴社保费。", "b.txt")]  # fmt: skip
    outcomes = services.notices_store(batch=batch)
    assert [o.status for o in outcomes] == ["ingested", "ingested"]
    assert Document.objects.count() == 2 and Measure.objects.count() == 4
