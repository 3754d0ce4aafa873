import pytest
from django.core.management import call_command

from measures.models import MeasureText
from measures.search.service import measures_search

pytestmark = pytest.mark.django_db


def test_reindex_restores_lost_vectors(seeds):
    MeasureText.objects.update(search_vector=None)
    assert measures_search(q="融资担保").count == 0
    call_command("reindex", stdout=None)
    assert not MeasureText.objects.filter(search_vector__isnull=True).exists()
    assert measures_search(q="融资担保").count >= 2


def test_reindex_copies_the_search_sample_afresh_for_a_new_modulus(seeds, settings):
    from measures.models import SearchSample

    settings.SEARCH_SAMPLE_MODULUS = 1
    call_command("reindex", stdout=None)
    assert SearchSample.objects.count() == MeasureText.objects.count() > 0
