"""Agencies that issue SME policy, and the notices (documents) they publish."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("publication status", "Draft")
    REVIEW = "review", pgettext_lazy("publication status", "In review")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("publication status", "Superseded")
    WITHDRAWN = "withdrawn", pgettext_lazy("publication status", "Withdrawn")


class Validity(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    EFFECTIVE = "effective", _("In force")
    EXPIRED = "expired", _("Expired")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


# Names of the kinds of official document (公文种类) as the interface shows them.
DOC_TYPE_NAMES = {
    "工作要点": _("Work points"),
    "通知": _("Notice"),
    "意见": _("Opinions"),
    "方案": _("Plan"),
    "办法": _("Measures (rules)"),
    "规定": _("Provisions"),
    "措施": _("Measures"),
    "决定": _("Decision"),
    "公告": _("Announcement"),
    "news report": _("News report"),
}


class AgencyQuerySet(models.QuerySet):
    def with_published(self) -> AgencyQuerySet:
        """Agencies with at least one published notice, each with `published_documents`."""
        published = models.Q(documents__status=PublicationStatus.PUBLISHED)
        counted = self.annotate(published_documents=models.Count("documents", filter=published))
        return counted.filter(published_documents__gt=0)


class Agency(models.Model):
    """A government body that issues notices (发文机关).

    Ingestion registers a body it cannot match to the registry from the name as written
    (level and region read from the name) with ``needs_review`` set: staff confirm it,
    complete its names or merge it into an existing agency.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, verbose_name=_("aliases")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    region = models.CharField(_("region"), max_length=100)
    region_zh = models.CharField(_("region (Chinese)"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        db_index=True,
        help_text=_("Registered by ingestion from a name as written; not yet confirmed by staff."),
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_zh="", name_en=""), name="agency_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        if self.name_en and self.name_zh:
            return f"{self.name_en} ({self.name_zh})"
        return self.name_en or self.name_zh

    def all_names(self) -> list[str]:
        return list(dict.fromkeys([self.name_zh, self.name_en, *self.aliases]))


class DocumentQuerySet(models.QuerySet):
    def published(self) -> DocumentQuerySet:
        """Versions on the public site: at most one per notice (publishing supersedes)."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def listed(self) -> DocumentQuerySet:
        """Published versions with what a list of them shows, newest first.

        The bytes and texts are left unread (a list never shows them); the order is
        explicit because Django drops Meta.ordering from queries that aggregate.
        """
        listed = self.published().select_related("agency")
        return listed.defer("raw", "cleaned_text", "removed_junk").order_by("-issued_on", "-id")

    def readable(self) -> DocumentQuerySet:
        """Versions a visitor may open: the published one and those it superseded."""
        statuses = [PublicationStatus.PUBLISHED, PublicationStatus.SUPERSEDED]
        return self.filter(status__in=statuses).select_related("agency")

    def issued_in(self, year: int) -> DocumentQuerySet:
        return self.filter(issued_on__year=year)

    def with_issuers(self) -> DocumentQuerySet:
        """The lead issuer and the co-issuers, in two more queries at most."""
        return self.select_related("agency").prefetch_related("co_issuer_links__agency")

    def issued_by(self, agency_key: str) -> DocumentQuerySet:
        """Documents the agency issued, alone, as lead or as a co-issuer.

        The co-issued ones through a subquery, not a join: no duplicate rows to remove, so
        a list can still be read newest first along an index.
        """
        co_issued = DocumentCoIssuer.objects.filter(agency__key=agency_key).values("document_id")
        return self.filter(models.Q(agency__key=agency_key) | models.Q(pk__in=co_issued))


class Document(models.Model):
    """One version of a notice as ingested: metadata, raw bytes, cleaned text.

    A changed text of a known notice (same notice_key) becomes a new row with the next
    version number; the previous row stays, marked not current.
    """

    notice_key = models.CharField(_("notice key"), max_length=300, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # The latest version ingested; the published one may be older until staff review it.
    is_current = models.BooleanField(_("latest version"), default=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )

    title_zh = models.CharField(_("Chinese title"), max_length=500, blank=True)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    # The lead issuer; co-issuers of a joint notice follow it in co_issuers (ordered).
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    agency_as_written = models.CharField(_("issuer as written"), max_length=300, blank=True)
    co_issuers = models.ManyToManyField(
        Agency,
        through="DocumentCoIssuer",
        blank=True,
        related_name="co_issued_documents",
        verbose_name=_("co-issuers"),
    )
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issued_precision = models.CharField(
        _("issue date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    published_on = models.DateField(_("page date"), null=True, blank=True)
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    source_name = models.CharField(_("source file"), max_length=300, blank=True)
    language = models.CharField(_("original language"), max_length=10)
    script = models.CharField(_("original script"), max_length=10)
    doc_type = models.CharField(_("document type"), max_length=50, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    validity = models.CharField(
        _("validity"), max_length=20, choices=Validity.choices, default=Validity.UNKNOWN
    )

    raw = models.BinaryField(_("raw bytes"))
    raw_encoding = models.CharField(_("detected encoding"), max_length=40)
    cleaned_text = models.TextField(_("cleaned text"))
    removed_junk = models.JSONField(_("removed page junk"), default=list, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)

    announced_measures = models.PositiveIntegerField(_("measures announced"), null=True, blank=True)
    found_measures = models.PositiveIntegerField(_("measures found"), default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    # When this version went on the public site (the feeds' order), not the notice's date.
    published_at = models.DateTimeField(_("published here"), null=True, blank=True, editable=False)
    # Fields a curator changed by hand; ingestion of a new version never overwrites them.
    curated_fields = models.JSONField(_("curated fields"), default=list, blank=True)
    # Where this version's ingested values disagree with a curator's earlier edits (kept):
    # each {"id", "scope", "field", "number", "language", "curated", "ingested"} waits for a
    # curator to keep the curated value or take the new one (documents.services.conflict_resolve).
    conflicts = models.JSONField(_("curation conflicts"), default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["raw", "cleaned_text", "removed_junk"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["notice_key", "version"], name="document_version_unique"
            ),
            models.UniqueConstraint(
                fields=["notice_key"],
                condition=models.Q(is_current=True),
                name="document_one_current_version",
            ),
            # Two reviewers publishing versions of one notice at once: the second fails
            # here instead of leaving two published versions.
            models.UniqueConstraint(
                fields=["notice_key"],
                condition=models.Q(status="published"),
                name="document_one_published_version",
            ),
        ]
        permissions = [
            ("publish_document", _("Can publish, withdraw and restore documents")),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="document_published_at"),
            # Lists of published notices, newest first (home, notice list, agency pages,
            # the API): read along this instead of sorting every published notice.
            models.Index(
                models.F("issued_on").desc(),
                models.F("id").desc(),
                condition=models.Q(status="published"),
                name="document_public_newest",
            ),  # fmt: skip
            models.Index(
                "agency",
                models.F("issued_on").desc(),
                models.F("id").desc(),
                condition=models.Q(status="published"),
                name="document_public_agency",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return self.title or self.notice_key

    @property
    def title(self) -> str:
        return self.title_zh if self.language == "zh" else (self.title_en or self.title_zh)

    @property
    def doc_type_name(self) -> str:
        return str(DOC_TYPE_NAMES.get(self.doc_type, self.doc_type))

    def raw_text(self) -> str:
        """The bytes as received, decoded as ingestion decoded them (office files: their text)."""
        if self.raw_encoding in {"docx", "pdf"}:
            from documents.pipeline.binary import convert
            from documents.pipeline.errors import IngestError

            try:
                converted = convert(bytes(self.raw), name=self.source_name)
            except IngestError as exc:
                return str(exc)
            return converted.text if converted else ""
        try:
            return bytes(self.raw).decode(self.raw_encoding or "utf-8", errors="replace")
        except LookupError:
            return bytes(self.raw).decode("utf-8", errors="replace")

    @property
    def is_incomplete(self) -> bool:
        return bool(self.announced_measures and self.found_measures < self.announced_measures)

    @property
    def ordered_co_issuers(self) -> list[Agency]:
        """The co-issuers in the notice's order (prefetch ``co_issuer_links__agency``)."""
        return [
            link.agency for link in sorted(self.co_issuer_links.all(), key=lambda c: c.position)
        ]

    @property
    def issuers(self) -> list[Agency]:
        """Every issuer, lead first."""
        return [*([self.agency] if self.agency else []), *self.ordered_co_issuers]


class DocumentCoIssuer(models.Model):
    """A co-issuer of a jointly issued notice, in the order the notice names it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="co_issuer_links")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="co_issuer_links")
    position = models.PositiveSmallIntegerField(_("position"))  # 1 = first after the lead
    as_written = models.CharField(_("name as written"), max_length=300, blank=True)

    class Meta:
        ordering = ["document", "position"]
        verbose_name = _("co-issuer")
        verbose_name_plural = _("co-issuers")
        constraints = [
            models.UniqueConstraint(fields=["document", "agency"], name="co_issuer_once"),
            models.UniqueConstraint(fields=["document", "position"], name="co_issuer_position"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.position}. {self.agency}"


class UploadStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ingested")
    UNCHANGED = "unchanged", _("Already known")
    FAILED = "failed", _("Failed")


class UploadStage(models.TextChoices):
    """Where a running upload is, in the order the worker passes through them."""

    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading and splitting")
    TAGGING = "tagging", _("Tagging and indexing")
    STORING = "storing", _("Storing")
    FINISHED = "finished", _("Finished")


class Upload(models.Model):
    """A notice file handed in for background ingestion (browser upload, API)."""

    name = models.CharField(_("file name"), max_length=300)
    data = models.BinaryField(_("bytes"))
    status = models.CharField(
        _("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=UploadStage.choices, default=UploadStage.WAITING
    )
    # Curated metadata handed in with the file (the sidecar keys the pipeline reads).
    sidecar = models.JSONField(_("metadata given"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (UploadStatus.QUEUED, UploadStatus.RUNNING)
