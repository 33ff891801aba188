"""The Dutch taxonomies seeded by migration 0003: complete, hierarchical, stable ids, idempotent."""

import uuid

import pytest

from schakelpunt.directory.defaults import (
    CATEGORY_TERMS,
    TARGET_GROUP_TERMS,
    fixed_id,
    seed_taxonomies,
    term_id,
)
from schakelpunt.directory.models import Taxonomy, TaxonomyTerm

pytestmark = pytest.mark.django_db


def test_the_migration_seeded_both_taxonomies():
    categories = Taxonomy.objects.get(
        facet=Taxonomy.Facet.CATEGORY, name="Schakelpunt sociale kaart – aanbod"
    )
    groups = Taxonomy.objects.get(facet=Taxonomy.Facet.TARGET_GROUP, name="Doelgroepen")
    assert 40 <= categories.terms.count() == len(CATEGORY_TERMS) <= 60
    assert groups.terms.count() == len(TARGET_GROUP_TERMS) >= 10
    assert not TaxonomyTerm.objects.filter(description="").exists()
    assert set(
        TaxonomyTerm.objects.filter(parent=None, taxonomy_detail=categories).values_list("code", flat=True)
    ) == {
        "WON",
        "ZORG",
        "WEL",
        "FIN",
        "JEUGD",
        "WERK",
        "VEIL",
        "RECHT",
    }
    rent = TaxonomyTerm.objects.get(code="WON-HUUR")
    assert rent.parent.code == "WON" and rent.name == "Huurtoeslag en huurachterstand"
    assert TaxonomyTerm.objects.get(code="VEIL-VT").parent.code == "VEIL"
    assert not groups.terms.exclude(parent=None).exists()


def test_ids_are_fixed_so_exports_are_stable():
    # The same id on every installation: derived from the code in a fixed namespace.
    assert term_id("ZORG-HH") == uuid.uuid5(uuid.UUID("6f1c2a8e-5b7d-4c1e-9a43-2d8f0b6e7c15"), "term:ZORG-HH")
    assert TaxonomyTerm.objects.get(code="ZORG-HH").pk == term_id("ZORG-HH")
    assert Taxonomy.objects.filter(pk=fixed_id("taxonomy", "schakelpunt-doelgroepen")).exists()


def test_seeding_again_changes_nothing_and_keeps_edits():
    TaxonomyTerm.objects.filter(code="WEL-EENZ").update(name="Eenzaamheid en sociaal isolement")
    TaxonomyTerm.objects.filter(code="FIN-VOEDSEL").delete()
    before = TaxonomyTerm.objects.count()
    seed_taxonomies()
    seed_taxonomies()
    assert TaxonomyTerm.objects.count() == before + 1  # the deleted term is back, once
    assert TaxonomyTerm.objects.get(code="WEL-EENZ").name == "Eenzaamheid en sociaal isolement"
    assert Taxonomy.objects.filter(facet__in=["category", "target_group"]).count() == 2
