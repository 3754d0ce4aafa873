"""Every page type of the public site, for the checks that run on all of them."""

from __future__ import annotations

import pytest

LANGS = ("en", "zh-hans", "zh-hant")


@pytest.fixture
def page_types(seeds) -> dict[str, str]:
    """Page type → path (with {lang}) on the seed notices."""
    measure = seeds["004"].measures.get(number=10)
    english = seeds["001"].measures.get(number=3)
    return {
        "home": "/{lang}/",
        "search": "/{lang}/search/?q=%E8%9E%8D%E8%B5%84%E6%8B%85%E4%BF%9D",
        "search-filtered": "/{lang}/search/?q=enterprises&year=2020&tag=sme&sort=-date",
        "search-empty": "/{lang}/search/?q=quantumcomputing",
        "search-start": "/{lang}/search/",
        "measure-zh": f"/{{lang}}/measures/{measure.pk}/",
        "measure-en": f"/{{lang}}/measures/{english.pk}/",
        "document": f"/{{lang}}/documents/{measure.document_id}/",
        "documents": "/{lang}/documents/",
        "agencies": "/{lang}/agencies/",
        "agency": f"/{{lang}}/agencies/{measure.agency.key}/",
        "not-found": "/{lang}/no-such-page/",
        "staff-login": "/{lang}/staff/login/",
        "years": "/{lang}/years/",
        "years-filtered": "/{lang}/years/?level=national&tag=finance",
        "year": f"/{{lang}}/years/{measure.document.issued_on.year}/",
        "match-start": "/{lang}/match/",
        "match": "/{lang}/match/?province=Shandong&city=Qingdao&industry=industry&employees=80"
        "&revenue=5000&recognitions=specialised-sme&needs=finance&needs=tax",
        "about-data": "/{lang}/about/data/",
    }


@pytest.fixture
def staff_page_types(seeds, site_admin) -> dict[str, str]:
    """Page type → path (with {lang}) of the staff pages, seen by an admin (every control)."""
    from documents.models import Agency
    from measures.models import Measure

    document = seeds["004"]
    measure = document.measures.get(number=10)
    agency = Agency.objects.filter(documents=document).first()
    two = Measure.objects.filter(document=document, number__in=(1, 2)).count() == 2
    assert two, "the review page needs a notice of several measures"
    return {
        "staff-dashboard": "/{lang}/staff/",
        "staff-documents": "/{lang}/staff/documents/",
        "staff-archive": "/{lang}/staff/archive/",
        "staff-uploads": "/{lang}/staff/uploads/",
        "staff-agencies": "/{lang}/staff/agencies/",
        "staff-agency": f"/{{lang}}/staff/agencies/{agency.pk}/",
        "curation-index": "/{lang}/staff/curation/",
        "curation-review": f"/{{lang}}/staff/curation/documents/{document.pk}/",
        "curation-measures": "/{lang}/staff/curation/measures/?agency=" + agency.key,
        "curation-measure": f"/{{lang}}/staff/curation/measures/{measure.pk}/",
        "curation-split": f"/{{lang}}/staff/curation/measures/{measure.pk}/split/",
        "curation-vocabulary": "/{lang}/staff/curation/vocabulary/",
        "curation-history": f"/{{lang}}/staff/curation/history/documents.document/{document.pk}/",
    }
