"""/api/documents and /api/agencies."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from documents.models import Agency, Document
from measures import counts
from measures.models import shown_texts
from policykb.api_params import ERRORS, Key, Out

router = Router(tags=["documents"])


class AgencyOut(Out):
    key: str
    name_zh: str
    name_en: str
    aliases: list[str]
    level: str
    region: str
    needs_review: bool = Field(
        description="registered by ingestion for an issuer that matched no known agency;"
        " staff have not confirmed it yet"
    )


class IssuerOut(AgencyOut):
    as_written: str = Field(description="the issuer's name as the notice writes it")


class DocumentOut(Out):
    id: int
    title: str
    title_zh: str
    title_en: str
    agency: AgencyOut | None = Field(description="the lead issuer")
    agency_as_written: str | None = Field(
        description="the lead issuer as the notice writes it (also when it matched no agency)"
    )
    co_issuers: list[IssuerOut] = Field(
        description="the other issuers of a jointly issued notice, in the notice's order"
    )
    doc_number: str | None
    issued_on: str | None
    issued_precision: str | None
    published_on: str | None
    source_url: str | None
    language: str
    script: str
    doc_type: str | None
    validity: str
    announced_measures: int | None
    found_measures: int
    warnings: list[str]
    version: int


class MeasureRef(Out):
    id: int
    number: int
    section: str | None
    title: str


class DocumentDetailOut(DocumentOut):
    measures: list[MeasureRef]


class DocumentList(Out):
    count: int
    results: list[DocumentOut]


class DocumentParams(Schema):
    agency: Key | None = Field(None, description="agency key: documents it issued or co-issued")
    year: int | None = Field(None, ge=1949, le=2100)
    page: int = Field(1, ge=1, le=10000)
    page_size: int = Field(20, ge=1, le=100)


def issuer_out(agency: Agency, *, as_written: str = "") -> dict:
    """One issuer of a document as the API and the ingest summary show it."""
    return {
        "key": agency.key,
        "name_zh": agency.name_zh,
        "name_en": agency.name_en,
        "aliases": agency.aliases,
        "level": agency.level,
        "region": agency.region,
        "needs_review": agency.needs_review,
        "as_written": as_written,
    }


def document_out(document: Document) -> dict:
    def iso(value):  # type: ignore[no-untyped-def]
        return value.isoformat() if value else None

    links = sorted(document.co_issuer_links.all(), key=lambda link: link.position)
    return {
        "id": document.pk,
        "title": document.title,
        "title_zh": document.title_zh,
        "title_en": document.title_en,
        "agency": document.agency,
        "agency_as_written": document.agency_as_written or None,
        "co_issuers": [issuer_out(link.agency, as_written=link.as_written) for link in links],
        "doc_number": document.doc_number or None,
        "issued_on": iso(document.issued_on),
        "issued_precision": document.issued_precision or None,
        "published_on": iso(document.published_on),
        "source_url": document.source_url or None,
        "language": document.language,
        "script": document.script,
        "doc_type": document.doc_type or None,
        "validity": document.validity,
        "announced_measures": document.announced_measures,
        "found_measures": document.found_measures,
        "warnings": document.warnings,
        "version": document.version,
    }


@router.get(
    "/documents",
    response={200: DocumentList, **ERRORS},
    summary="Published documents, newest first",
)
def document_list(request: HttpRequest, params: Query[DocumentParams]) -> dict:
    documents = Document.objects.listed().prefetch_related("co_issuer_links__agency")
    if params.agency:
        documents = documents.issued_by(params.agency)
    if params.year:
        documents = documents.filter(issued_on__year=params.year)
    start = (params.page - 1) * params.page_size
    return {
        "count": _document_count(documents, params),
        "results": [document_out(d) for d in documents[start : start + params.page_size]],
    }


def _document_count(documents, params: DocumentParams) -> int:  # type: ignore[no-untyped-def]
    """From the stored counts where they hold the answer (kept exact by every publish)."""
    if params.year:
        return documents.count()
    if params.agency:
        agency = Agency.objects.filter(key=params.agency).first()
        return counts.by_agency().get(agency.pk, (0, 0))[1] if agency else 0
    return counts.totals()["documents"]


@router.get(
    "/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="One document"
)
def document_detail(request: HttpRequest, document_id: int) -> dict:
    document = get_object_or_404(Document.objects.published().with_issuers(), pk=document_id)
    measures = document.measures.prefetch_related(shown_texts()).order_by("number")
    return {
        **document_out(document),
        "measures": [
            {
                "id": m.pk,
                "number": m.number,
                "section": m.section_title or None,
                "title": next(iter(m.texts.all())).title,
            }
            for m in measures
        ],
    }


@router.get("/agencies", response={200: list[AgencyOut], **ERRORS}, summary="All agencies")
def agency_list(request: HttpRequest) -> list[Agency]:
    return list(Agency.objects.all())
