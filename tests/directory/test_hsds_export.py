"""``export_hsds``: a complete datapackage that validates, and a round trip that keeps every field."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from schakelpunt.directory.hsds import validation
from schakelpunt.directory.hsds.exporter import export_hsds
from schakelpunt.directory.hsds.importer import hsds_import
from schakelpunt.directory.hsds.mapping import TABLE_MODELS
from schakelpunt.directory.hsds.reader import read
from schakelpunt.directory.indexing import refresh_search_text
from schakelpunt.directory.models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from tests.directory.factories import (
    AddressFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyTermFactory,
)
from tests.organisations.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).parent / "data" / "hsds-examples"
SKIP = {"created_at", "updated_at"}


def snapshot(models=None):
    """Every field every directory model holds, per object."""
    found = {}
    for model in models or TABLE_MODELS.values():
        fields = [field.attname for field in model._meta.concrete_fields if field.attname not in SKIP]
        found[model.__name__] = {row["id"]: row for row in model.objects.values(*fields)}
    return found


def differences(before, after):
    """Per model and object, the fields that differ (empty when the snapshots are equal)."""
    found = []
    for model, rows in before.items():
        for pk in rows.keys() | after[model].keys():
            old, new = rows.get(pk), after[model].get(pk)
            if old is None or new is None:
                found.append((model, pk, "missing after" if new is None else "new after"))
                continue
            found += [(model, pk, name, old[name], new[name]) for name in old if old[name] != new[name]]
    return found


def empty_directory():
    for model in (
        ServiceTerm,
        Schedule,
        Phone,
        Language,
        Contact,
        CostOption,
        ServiceArea,
        ServiceAtLocation,
        Service,
        Address,
        Accessibility,
        Location,
    ):
        model.objects.all().delete()
    Organization.objects.update(parent_organization=None)
    Organization.objects.all().delete()
    TaxonomyTerm.objects.update(parent=None)
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()


@pytest.fixture
def directory_with_our_fields():
    """The official examples plus services that use every field of our own."""
    assert hsds_import(path=EXAMPLES / "csv").errors == []
    municipality = MunicipalityFactory(code="GM0153", name="Enschede")
    district = DistrictFactory(code="WK015301", name="Centrum", municipality=municipality)
    term = TaxonomyTermFactory(taxonomy_detail__facet=Taxonomy.Facet.TARGET_GROUP, name="Ouderen")
    TaxonomyTermFactory(parent=term, taxonomy_detail=term.taxonomy_detail, name="Mantelzorgers")
    waiting = ServiceFactory(
        waiting_list=True,
        is_free=True,
        capacity_confirmed_on=datetime.date(2026, 3, 2),
        minimum_age=65,
        last_modified=datetime.datetime(2026, 3, 2, 10, 15, tzinfo=datetime.UTC),
    )
    ServiceFactory(full=True, organization=waiting.organization, status=Service.Status.TEMPORARILY_CLOSED)
    ServiceTermFactory(service=waiting, taxonomy_term=term, value="ja", label="Doelgroep")
    link = ServiceAtLocationFactory(service=waiting, description="Spreekuur")
    Location.objects.filter(pk=link.location_id).update(municipality=municipality, district=district)
    AddressFactory(location=link.location)
    ScheduleFactory(service_at_location=link, service=None, opens_at=datetime.time(8, 30, 15))
    ServiceAreaFactory(service=waiting, municipality=municipality, name="Enschede")
    ServiceAreaFactory(service=waiting, district=district, name="Centrum")
    refresh_search_text(Service.objects.values_list("pk", flat=True))


def test_the_export_is_a_complete_datapackage_that_validates(tmp_path, directory_with_our_fields):
    result = export_hsds(directory_path=tmp_path)
    assert result.problems == []
    package = json.loads((tmp_path / "datapackage.json").read_text())
    for resource in package["resources"]:
        with (tmp_path / resource["path"]).open(newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [field["name"] for field in resource["schema"]["fields"]]
    # Read back as the import reads it: every row valid against its schema.
    dataset = read(tmp_path)
    assert dataset.file_problems == []
    for record in dataset.records:
        assert validation.errors(validation.TABLE_SCHEMAS[record.table], record.data) == [], record
    assert result.rows["services"] == Service.objects.count() == 3
    # Our own fields travel as attributes of our own taxonomies.
    attributes = (tmp_path / "attributes.csv").read_text()
    assert ",capacity,service,2026-03-02,Wachtlijst" in attributes
    assert ",wait_band,service,," in attributes
    assert ",free,service,true," in attributes
    assert ",facet,taxonomy,," in attributes
    assert ",municipality,location,,Enschede" in attributes
    assert "urn:schakelpunt:hsds:gebied:GM0153" in (tmp_path / "taxonomy_terms.csv").read_text()


def test_round_trip_keeps_every_field_the_models_hold(tmp_path, directory_with_our_fields):
    before = snapshot()
    assert export_hsds(directory_path=tmp_path).problems == []
    empty_directory()
    assert snapshot()["Service"] == {}
    result = hsds_import(path=tmp_path)
    assert result.errors == []
    assert result.warnings == []
    diffs = differences(before, snapshot())
    assert diffs == []
    # And once more: nothing changes.
    again = hsds_import(path=tmp_path)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0


def test_round_trip_through_nested_json_documents(tmp_path, directory_with_our_fields):
    models = [
        Service,
        ServiceAtLocation,
        Location,
        Address,
        Schedule,
        Phone,
        ServiceArea,
        ServiceTerm,
        CostOption,
    ]
    before = snapshot(models)
    result = export_hsds(directory_path=tmp_path, nested_json=True)
    assert result.problems == []
    documents = json.loads((tmp_path / "services.json").read_text())
    assert len(documents) == 3
    for document in documents:
        assert validation.errors("compiled/service_with_definitions.json", document) == []
    empty_directory()
    assert hsds_import(path=tmp_path / "services.json").errors == []
    diffs = differences(before, snapshot(models))
    assert diffs == []


def test_the_command_writes_the_package(tmp_path, directory_with_our_fields):
    out = io.StringIO()
    call_command("export_hsds", str(tmp_path / "uit"), "--json", stdout=out)
    assert "services.csv: 3 regels" in out.getvalue()
    assert "Klaar:" in out.getvalue()
    assert (tmp_path / "uit" / "services.json").exists()
