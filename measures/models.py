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


class MeasureQuerySet(models.QuerySet):
    def published(self) -> MeasureQuerySet:
        """Measures of published, current document versions."""
        return self.filter(is_public=True)

    def with_details(self) -> MeasureQuerySet:
        """Everything a measure page or API answer shows, in three queries."""
        return self.select_related("document", "agency").prefetch_related("texts", "tags")


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

    history = HistoricalRecords()
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
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        verbose_name = _("measure text")
        verbose_name_plural = _("measure texts")
        constraints = [
            models.UniqueConstraint(fields=["measure", "language"], name="measure_text_language"),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="measure_text_search")]

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
