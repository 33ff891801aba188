"""``import_hsds``: the official examples, nested documents, idempotence, and broken input."""

import copy
import csv
import io
import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schakelpunt.directory.hsds.importer import hsds_import, import_documents
from schakelpunt.directory.models import (
    Address,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceTerm,
    TaxonomyTerm,
)
from tests.directory.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
EXAMPLES = DATA / "hsds-examples"
SERVICE_ID = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
LOCATION_ID = uuid.UUID("3a19ff88-4620-4d17-9830-ac1d859eb5d5")


def _doc():
    return json.loads((DATA / "hsds-dienst.json").read_text())


def _variant(doc, number):
    """A copy of the document with fresh ids (same organisation and taxonomy)."""
    text = json.dumps(doc)
    keep = {doc["organization"]["id"], doc["attributes"][0]["taxonomy_term"]["id"]}
    keep.add(doc["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"])
    found = set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text))
    for old in found - keep:
        text = text.replace(old, str(uuid.uuid5(uuid.NAMESPACE_URL, f"{old}-{number}")))
    new = json.loads(text)
    new["name"] = f"{doc['name']} {number}"
    return new


def _history_rows():
    return sum(
        model.history.count() for model in (Organization, Location, Service, ServiceAtLocation, Schedule)
    )


# --- the official examples ----------------------------------------------------------------------


def test_csv_examples_import_without_errors_and_report_the_known_defect():
    result = hsds_import(path=EXAMPLES / "csv")
    assert result.errors == []
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert str(service.assured_date) == "2005-01-01"
    # locations.csv names an organisation that organizations.csv does not hold: a warning, the
    # link left empty, and the location itself imported.
    location = Location.objects.get(pk=LOCATION_ID)
    assert location.organization_id is None
    assert float(location.latitude) == 100
    assert any(
        issue.label == f"locatie {LOCATION_ID}"
        and issue.message.startswith("organization_id verwijst naar een onbekende organisatie")
        for issue in result.warnings
    )
    schedule = Schedule.objects.get()
    assert (schedule.opens_at.hour, schedule.closes_at.hour, schedule.byday) == (10, 18, "TH,FR")
    assert Address.objects.get().location_id == LOCATION_ID
    assert ServiceAtLocation.objects.get().location_id == LOCATION_ID
    # Tables the directory does not keep are counted, not errors.
    assert result.not_kept["programs"] == 1
    assert result.created["services"] == 1
    assert Service.objects.get().search_text.startswith("Community Counselling")


@pytest.mark.parametrize("name", ["tabular.json", "location.json", "taxonomy_term_list.json", ""])
def test_json_examples_import_without_errors(name):
    result = hsds_import(path=EXAMPLES / name if name else EXAMPLES)
    assert result.errors == []
    if name in ("tabular.json", ""):
        assert Service.objects.filter(pk=SERVICE_ID).exists()
    if name == "":
        assert "base.json: beschrijving van een HSDS-API (geen gegevens), overgeslagen" in result.notes
    if name == "location.json":
        location = Location.objects.get()
        assert location.addresses.get().city == "MyCity"
        assert location.phones.get().languages.get().code == "ur"
        assert location.schedules.get().wkst == "TU"


def test_importing_twice_changes_nothing():
    hsds_import(path=EXAMPLES / "csv")
    before = _history_rows()
    stamps = dict(Service.objects.values_list("pk", "updated_at"))
    again = hsds_import(path=EXAMPLES / "csv")
    assert again.errors == []
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert sum(again.unchanged.values()) == 14
    assert _history_rows() == before
    assert dict(Service.objects.values_list("pk", "updated_at")) == stamps


# --- nested documents ---------------------------------------------------------------------------


def test_a_nested_service_document_maps_every_part():
    result = import_documents([_doc()])
    assert result.errors == [], result.errors
    service = Service.objects.get()
    assert service.organization.name == "Stichting Welzijn Oost"
    assert service.organization.year_incorporated == 1998
    assert service.last_modified.isoformat() == "2026-01-15T08:30:00+00:00"
    link = service.service_at_locations.get()
    assert link.location.name == "Wijkcentrum De Boei"
    assert link.location.organization == service.organization
    assert link.location.addresses.get().postal_code == "7513 CM"
    assert link.location.schedules.get().byday == "MO,WE,FR"
    assert service.schedules.get().opens_at.hour == 11
    assert service.phones.get().number == "053 123 45 67"
    assert service.contacts.get().phones.get().number == "06 12345678"
    assert service.cost_options.get().amount == 5
    assert service.languages.get().code == "nl"
    assert service.service_areas.get().name == "Enschede-Oost"
    term = ServiceTerm.objects.get(service=service).taxonomy_term
    assert (term.code, term.taxonomy_detail.name) == ("WEL-MAA", "Sociale kaart")
    assert "Maaltijden" in service.search_text
    assert "Stichting Welzijn Oost" in service.search_text


def test_a_real_change_is_written_once_with_history_and_a_new_version():
    import_documents([_doc()])
    before = Service.history.count()
    changed = _doc()
    changed["name"] = "Maaltijden aan huis"
    result = import_documents([changed])
    assert result.updated["services"] == 1
    assert result.unchanged["schedules"] == 2
    service = Service.objects.get()
    assert service.version == 2
    assert Service.history.count() == before + 1
    assert service.history.first().history_change_reason == "HSDS-import"
    assert service.search_text.startswith("Maaltijden aan huis")


def test_queries_per_import_do_not_grow_with_the_number_of_documents():
    """Reading what exists and writing it happen per table and batch, not per record."""

    def count(documents):
        with CaptureQueriesContext(connection) as queries:
            result = import_documents(documents)
        assert result.errors == []
        return len(queries)

    doc = _doc()
    import_documents([doc])  # the shared organisation and term exist for both counts
    few = count([_variant(doc, n) for n in range(2)])
    many = count([_variant(doc, n) for n in range(2, 30)])
    assert few == many


# --- broken input -------------------------------------------------------------------------------


def test_invalid_json_is_a_file_error_with_line_and_column_and_the_other_files_import(tmp_path):
    (tmp_path / "a-kapot.json").write_text('{\n  "id": "x",\n  "name" "zonder dubbele punt"\n}')
    (tmp_path / "b-goed.json").write_text(json.dumps(_doc()))
    result = hsds_import(path=tmp_path)
    (error,) = result.errors
    assert str(error).startswith("bestand a-kapot.json: geen geldige JSON (regel 3, kolom 10)")
    assert Service.objects.count() == 1


def test_a_service_with_an_unknown_organization_is_rejected_and_the_others_import():
    bad = _variant(_doc(), 1)
    unknown = "3f2a0c1e-0000-4000-8000-000000000001"
    del bad["organization"]
    bad["organization_id"] = unknown
    result = import_documents([bad, _doc()])
    messages = [str(issue) for issue in result.errors]
    assert f"dienst {bad['id']}: organization_id verwijst naar een onbekende organisatie" in messages[0]
    assert list(Service.objects.values_list("name", flat=True)) == ["Maaltijdservice aan huis"]
    # Nothing of the rejected document was written: not its location, schedules or phones.
    assert not Location.objects.filter(pk=bad["service_at_locations"][0]["location"]["id"]).exists()
    assert Schedule.objects.count() == 2
    assert result.invalid["services"] == 1


def test_a_service_without_organization_is_rejected():
    doc = _doc()
    del doc["organization"]
    result = import_documents([doc])
    (error,) = result.errors
    assert error.message == "organization_id ontbreekt: elke dienst hoort bij een organisatie"
    assert not Service.objects.exists()
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        ("25:00", "12:00", "opens_at: '25:00' is geen geldige tijd (UU:MM)"),
        ("14:00", "09:00", "opens_at 14:00 ligt niet vóór closes_at 09:00"),
    ],
)
def test_a_schedule_with_an_impossible_time_rejects_its_document(opens, closes, message):
    bad = _variant(_doc(), 1)
    bad["schedules"][0].update(opens_at=opens, closes_at=closes)
    result = import_documents([bad, _doc()])
    (error,) = result.errors
    assert error.label == f"openingstijd {bad['schedules'][0]['id']}"
    assert error.message.startswith(message)
    assert list(Service.objects.values_list("name", flat=True)) == ["Maaltijdservice aan huis"]


def test_an_invalid_new_version_leaves_the_stored_record_as_it_was():
    import_documents([_doc()])
    bad = _doc()
    bad["name"] = "Nieuwe naam"
    bad["email"] = "geen e-mailadres"
    result = import_documents([bad])
    assert [issue.message for issue in result.errors] == [
        "email: 'geen e-mailadres' is geen geldig e-mailadres"
    ]
    service = Service.objects.get()
    assert (service.name, service.version) == ("Maaltijdservice aan huis", 1)


def _copy_examples(tmp_path):
    target = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", target)
    return target


def _edit_csv(path, change):
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    change(rows)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_tabular_rows_that_need_a_rejected_row_are_rejected_with_it(tmp_path):
    package = _copy_examples(tmp_path)
    _edit_csv(package / "services.csv", lambda rows: rows[0].update(organization_id=str(uuid.uuid4())))
    result = hsds_import(path=package)
    labels = {issue.label for issue in result.errors}
    assert f"dienst {SERVICE_ID}" in labels
    # The service at location, cost option and schedule belong to the rejected service.
    assert "dienst-op-locatie e94c9f38-1e8f-4564-91d4-d53501ab1765" in labels
    assert "tarief 1fdf4d39-3d80-484d-9f92-a8ffa08621e7" in labels
    assert not Service.objects.exists()
    assert not ServiceAtLocation.objects.exists()
    # What does not depend on it still imports.
    assert Organization.objects.count() == 1
    assert Location.objects.count() == 1
    assert TaxonomyTerm.objects.filter(pk="3f7b145d-84af-42d7-8fae-eaca714b02b2").exists()


def test_the_command_shows_progress_a_summary_and_fails_on_errors(tmp_path):
    out = io.StringIO()
    call_command("import_hsds", str(EXAMPLES / "csv"), "--progress-every", "5", stdout=out)
    text = out.getvalue()
    assert "records gelezen" in text
    assert "  10 records gecontroleerd" in text
    assert "services: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd" in text
    assert "WAARSCHUWING locatie 3a19ff88" in text
    assert "Klaar: 14 nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 ongeldig" in text

    bad = copy.deepcopy(_doc())
    bad["id"] = "geen-uuid"
    (tmp_path / "fout.json").write_text(json.dumps(bad))
    err = io.StringIO()
    with pytest.raises(CommandError, match="fouten: de ongeldige records zijn niet ingelezen"):
        call_command("import_hsds", str(tmp_path / "fout.json"), stdout=io.StringIO(), stderr=err)
    assert "FOUT dienst geen-uuid: id: 'geen-uuid' is geen geldig UUID" in err.getvalue()


def test_an_existing_organisation_can_be_referred_to_by_id():
    organisation = OrganizationFactory()
    doc = _doc()
    del doc["organization"]
    doc["organization_id"] = str(organisation.pk)
    doc["service_at_locations"][0]["location"]["organization_id"] = str(organisation.pk)
    result = import_documents([doc])
    assert result.errors == []
    assert Service.objects.get().organization == organisation


def test_generated_documents_import_cleanly_with_their_search_text_and_history():
    from schakelpunt.directory.hsds.synthetic import service_documents
    from schakelpunt.directory.indexing import refresh_search_text

    documents = list(service_documents(40, seed=3))
    result = import_documents(documents)
    assert result.errors == [] and result.warnings == []
    assert result.created["services"] == 40
    # The import gave new services the search text the index would: nothing left to refresh.
    assert refresh_search_text(Service.objects.values_list("pk", flat=True)) == 0
    assert "Enschede" in Service.objects.get(pk=documents[0]["id"]).search_text
    # History rows were written with the rows, once each.
    assert Service.history.filter(history_type="+").count() == 40
    assert Schedule.history.count() == 80
    assert Service.objects.exclude(capacity="unknown").count() == 40
    again = import_documents(documents)
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert Service.history.count() == 40
