"""Numbered measures of a notice, their language versions, tags and the search glossary."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.models import Agency, Document, Level


class TagKind(models.TextChoices):
    TARGET_GROUP = "target_group", _("Target group")
    TOPIC = "topic", _("Topic")
    SUPPORT_TYPE = "support_type", _("Support type")
    SIZE_CLASS = "size_class", _("Company size")


# The kinds of tag a reader looks for first (who it is for, what support); topics are
# shown quietly beside them.
PROMINENT_TAG_KINDS = frozenset({TagKind.TARGET_GROUP, TagKind.SUPPORT_TYPE})


class Tag(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=TagKind.choices)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    keywords_zh = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    keywords_en = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh}"

    @property
    def is_prominent(self) -> bool:
        return self.kind in PROMINENT_TAG_KINDS


def shown_texts() -> models.Prefetch:
    """A measure's texts as pages and the API show them: without the search vector, which
    weighs more than the text itself and is read by search in SQL only."""
    return models.Prefetch("texts", queryset=MeasureText.objects.defer("search_vector"))


class MeasureQuerySet(models.QuerySet):
    def published(self) -> MeasureQuerySet:
        """Measures of published, current document versions."""
        return self.filter(is_public=True)

    def with_details(self) -> MeasureQuerySet:
        """Everything a measure page or API answer shows, in three queries."""
        return self.select_related("document", "agency").prefetch_related(shown_texts(), "tags")

    def related_to(
        self, measure: Measure, *, levels: list[str], limit: int
    ) -> dict[str, list[Measure]]:
        """Per level, up to ``limit`` published measures from other bodies sharing a topic
        and a target group with the measure, newest first.

        Read on the texts' copies (tags, level, agency, date, public flag) along their
        newest-first public index, so a common pair of tags stops after a few rows and a
        rare one is found through the tags' GIN index: cheap at any size. Every level is
        read in one statement and the measures in one more. A measure with neither kind
        of tag has no related measures.
        """
        kinds: dict[str, list[int]] = {}
        for tag in measure.tags.all():
            kinds.setdefault(tag.kind, []).append(tag.pk)
        wanted = [kinds[k] for k in (TagKind.TOPIC, TagKind.TARGET_GROUP) if k in kinds]
        if not wanted or not levels:
            return {level: [] for level in levels}
        texts = MeasureText.objects.filter(is_public=True)
        if measure.agency_id:
            texts = texts.exclude(agency_id=measure.agency_id)
        for ids in wanted:
            texts = texts.filter(tag_ids__overlap=ids)
        # A measure has a row per language, and one of the same notice may come up when
        # the measure has no issuer: read a few more than shown.
        newest = (models.F("issued_on").desc(nulls_last=True), "-measure_id")
        parts = [
            texts.filter(level=level)
            .order_by(*newest)
            .values_list("level", "issued_on", "measure_id")[: limit * 3]
            for level in levels
        ]
        rows = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
        # A union keeps no order: newest first again (undated last), as each part read them.
        rows.sort(key=lambda r: (r[1] is None, -(r[1].toordinal() if r[1] else 0), -r[2]))
        found = (
            self.published()
            .exclude(document_id=measure.document_id)
            .in_bulk({pk for _level, _date, pk in rows})
        )
        by_level: dict[str, list[Measure]] = {level: [] for level in levels}
        for level, _date, pk in rows:
            shown = by_level[level]
            if pk in found and found[pk] not in shown and len(shown) < limit:
                shown.append(found[pk])
        return by_level


class Measure(models.Model):
    """One numbered measure of a document version.

    Agency, level, region, year and is_public repeat facts of the document so that search
    can filter and count facets over a million measures without joining documents; the
    services that write documents keep them in step.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label as written"), max_length=50, blank=True)
    section_number = models.PositiveIntegerField(_("section number"), null=True, blank=True)
    section_label = models.CharField(_("section label"), max_length=50, blank=True)
    section_title = models.CharField(_("section heading"), max_length=500, blank=True)
    span_start = models.PositiveIntegerField(_("start in cleaned text"), null=True, blank=True)
    span_end = models.PositiveIntegerField(_("end in cleaned text"), null=True, blank=True)
    targets = models.JSONField(_("quantitative targets"), default=list, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="measures")

    is_public = models.BooleanField(default=False)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="measures"
    )
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    region = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    # Fields a curator changed by hand (targets, section_title, title, tags): a new
    # ingested version of the notice keeps them, and shows any disagreement as a conflict.
    curated_fields = models.JSONField(_("curated fields"), default=list, blank=True)

    # Tags are recorded with each version: tagging is a change on record like any other.
    history = HistoricalRecords(m2m_fields=["tags"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="measure_number_unique"),
        ]
        indexes = [
            models.Index(fields=["is_public", "issued_on"], name="measure_public_date"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.number}"


class Provenance(models.TextChoices):
    ORIGINAL = "original", _("Original text")
    TRANSLATION = "translation", _("Curated translation")
    MACHINE = "machine", _("Machine translation")


SEARCH_COPY_FIELDS = [
    "search_vector", "is_public", "agency_id", "agency_ids", "level", "region", "year",
    "issued_on", "tag_ids", "indexed_at",
]  # fmt: skip


class MeasureText(models.Model):
    """A measure's title and text in one language: the original, or a translation."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10)
    script = models.CharField(_("script"), max_length=10, blank=True)
    provenance = models.CharField(
        _("provenance"), max_length=20, choices=Provenance.choices, default=Provenance.ORIGINAL
    )
    title = models.CharField(_("title"), max_length=1000)
    text = models.TextField(_("text"))
    search_vector = SearchVectorField(null=True, editable=False)
    # Who wrote a curated translation (or last edited it), and when.
    translated_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("translated by"),
    )
    translated_at = models.DateTimeField(_("translated at"), null=True, blank=True)

    # Copies of the measure's facts, so that search filters, counts facets and walks dates
    # on the table that holds the vector: PostgreSQL can then combine the full-text index
    # with the filter indexes instead of joining a million measures. Written only by
    # measures.indexing (at insert, on reindex and when a document's facts change).
    is_public = models.BooleanField(default=False, editable=False)
    agency_id = models.BigIntegerField(null=True, editable=False)  # the lead issuer
    # Every issuer of the document, lead first: the agency filter and facet read these,
    # so a joint notice is found under each of its issuers.
    agency_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    level = models.CharField(max_length=20, blank=True, editable=False)
    region = models.CharField(max_length=100, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(null=True, editable=False)
    issued_on = models.DateField(null=True, editable=False)
    tag_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    indexed_at = models.DateTimeField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=SEARCH_COPY_FIELDS)

    class Meta:
        verbose_name = _("measure text")
        verbose_name_plural = _("measure texts")
        constraints = [
            models.UniqueConstraint(fields=["measure", "language"], name="measure_text_language"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="measure_text_search"),
            models.Index(fields=["indexed_at"], name="measure_text_indexed"),
            models.Index(fields=["agency_id"], name="measure_text_agency"),
            GinIndex(fields=["agency_ids"], name="measure_text_agencies"),
            models.Index(fields=["year"], name="measure_text_year"),
            models.Index(fields=["level"], name="measure_text_level"),
            models.Index(fields=["region"], name="measure_text_region"),
            GinIndex(fields=["tag_ids"], name="measure_text_tags"),
            models.Index(
                models.OrderBy(models.F("issued_on"), descending=True, nulls_last=True),
                models.OrderBy(models.F("measure_id"), descending=True),
                name="measure_text_public_date",
                condition=models.Q(is_public=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} [{self.language}] {self.title[:40]}"

    @property
    def is_original(self) -> bool:
        return self.provenance == Provenance.ORIGINAL


class GlossaryTerm(models.Model):
    """A Chinese policy term and its English renderings, used to expand search queries."""

    zh = models.CharField(_("Chinese term"), max_length=100, unique=True)
    en = ArrayField(models.CharField(max_length=200), verbose_name=_("English terms"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["zh"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return f"{self.zh} = {', '.join(self.en)}"


class OwnerPhrasing(models.Model):
    """How a business owner says it, and the policy terms notices use for it.

    Search reads each phrasing found in a query as also meaning its terms (and, through
    the glossary, their renderings in the other language). Staff edit them beside the
    glossary; they weigh as much as a glossary expansion.
    """

    phrase = models.CharField(
        _("owner's phrasing"),
        max_length=100,
        unique=True,
        help_text=_("As people type it, in Chinese (Simplified) or English, lower case."),
    )
    means = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("policy terms"),
        help_text=_("The words notices use for it, in either language."),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("owner's phrasing")
        verbose_name_plural = _("owners' phrasings")

    def __str__(self) -> str:
        return f"{self.phrase} → {', '.join(self.means)}"


class ChampionBuild(models.Model):
    """One build of the champion lists; search reads the newest finished one."""

    # The database's clock, like MeasureText.indexed_at, when the build started or, if
    # earlier, when the oldest transaction open then began: texts indexed since may be
    # missing from its lists.
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    min_df = models.PositiveIntegerField()
    depth = models.PositiveIntegerField()
    lexemes = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True)

    class Meta:
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"champion build {self.pk} ({self.lexemes} lexemes)"


class ChampionList(models.Model):
    """The texts that score best for one common lexeme (or one whole query), best first.

    A query whose match is too broad to rank in full ranks the union of its lexemes'
    lists (plus the full matches of its rare lexemes and texts indexed since the build)
    exactly, so it never reads every matching vector.
    """

    build = models.ForeignKey(ChampionBuild, on_delete=models.CASCADE, related_name="lists")
    # A lexeme, or with is_query the key of a whole tsquery ranked in full once (see
    # measures.search.champions.query_champions_build).
    lexeme = models.TextField()
    is_query = models.BooleanField(default=False)
    df = models.PositiveIntegerField()
    text_ids = ArrayField(models.BigIntegerField())

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["build", "is_query", "lexeme"], name="champion_lexeme_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.df})"


class SearchSample(models.Model):
    """A copy of the search fields of the texts of one measure in SEARCH_SAMPLE_MODULUS.

    Search matches a query against these first: the modulus times the number of matching
    measures estimates the size of the whole match, and a broad match takes its count
    and facet counts from them. Kept in a small table of its own, the sample stays in
    memory and is read in milliseconds; measures.indexing writes it with every text.
    """

    text = models.OneToOneField(
        MeasureText, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    measure_id = models.BigIntegerField()
    language = models.CharField(max_length=10)
    provenance = models.CharField(max_length=20)
    is_public = models.BooleanField()
    agency_id = models.BigIntegerField(null=True)
    agency_ids = ArrayField(models.BigIntegerField(), default=list)
    level = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    tag_ids = ArrayField(models.BigIntegerField(), default=list)
    search_vector = SearchVectorField(null=True)

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="search_sample_vector")]

    def __str__(self) -> str:
        return f"sample of text {self.text_id}"


class CountedDocument(models.Model):
    """What one published document adds to the stored counts (measures.counts).

    Kept so that a change takes out exactly what the document added before: a publish,
    a withdrawal or an edit recounts only the documents it touched.
    """

    document_id = models.BigIntegerField(primary_key=True)
    agency_ids = ArrayField(models.BigIntegerField(), default=list)  # every issuer, lead first
    level = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(default=0)  # 0: the notice states no date
    measures = models.PositiveIntegerField(default=0)
    tag_counts = models.JSONField(default=dict)  # tag id → public measures with that tag

    def __str__(self) -> str:
        return f"counted document {self.document_id}"


class MeasureCount(models.Model):
    """Published measures and documents per issuer or place, year and tag.

    Rows by issuer have ``agency_id`` set (a joint notice counts for each of its issuers,
    as the search facets count it) and an empty level and region; rows by place have
    ``agency_id`` 0 and the lead issuer's level and region (as search filters them).
    ``year`` 0 means undated, ``tag_id`` 0 every measure. Written only by measures.counts.
    """

    agency_id = models.BigIntegerField(default=0)
    level = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(default=0)
    tag_id = models.BigIntegerField(default=0)
    measures = models.IntegerField(default=0)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_id", "level", "region", "year", "tag_id"], name="measure_count_key"
            ),
        ]
        indexes = [models.Index(fields=["tag_id", "agency_id"], name="measure_count_tag")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.level}/{self.region}/{self.year}/{self.tag_id}"
