"""manage.py synth: generated measures for benchmarks, searchable like real ones."""

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document
from measures.models import Measure
from measures.search.service import measures_search

pytestmark = pytest.mark.django_db


def test_synth_adds_published_searchable_measures_in_both_languages(agencies, tags):
    call_command("synth", "300", "--seed", "1", stdout=None)
    measures = Measure.objects.published()
    assert measures.count() == 300
    languages = set(measures.values_list("texts__language", flat=True))
    assert languages == {"zh", "en"}
    assert measures.values("agency").distinct().count() > 3
    assert measures_search(q="中小企业").count > 0
    assert measures_search(q="enterprises").count > 0
    document = Document.objects.filter(notice_key__startswith="synth-").first()
    assert document.found_measures == document.measures.count() > 0


def test_synth_refuses_nonsense(agencies):
    with pytest.raises(CommandError):
        call_command("synth", "0")
