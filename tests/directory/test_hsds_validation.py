"""Validation against the vendored HSDS 3.1 schemas: refs resolve offline, formats and times are
checked, messages are Dutch, and the fast path agrees with jsonschema."""

import copy
import json
import random
from pathlib import Path

import pytest

from schakelpunt.directory.hsds import validation

EXAMPLES = Path(__file__).parent / "data" / "hsds-examples"


def _example(name):
    return json.loads((EXAMPLES / name).read_text())


def test_vendored_schemas_are_complete_and_carry_their_licence():
    names = {path.name for path in validation.SCHEMA_DIR.glob("*.json")}
    assert set(validation.TABLE_SCHEMAS.values()) <= names
    assert {"openapi.json", "datapackage.json"} <= names
    compiled = {path.name for path in (validation.SCHEMA_DIR / "compiled").glob("*.json")}
    assert {"service_list.json", "organization_list.json", "service_at_location_list.json"} <= compiled
    licence = (validation.SCHEMA_DIR / "LICENSE.md").read_text()
    assert "CC BY-SA 4.0" in licence
    assert "an Open Referral resource" in licence
    assert "abc731c8" in (validation.SCHEMA_DIR / "README.md").read_text()


def test_examples_validate_with_relative_refs_resolved_offline():
    assert validation.errors("location.json", _example("location.json")) == []
    assert validation.errors("taxonomy_term.json", _example("taxonomy_term.json")) == []
    for item in _example("taxonomy_list.json")["contents"]:
        assert validation.errors("taxonomy.json", item) == []


def test_a_nested_error_names_its_path_in_dutch():
    location = _example("location.json")
    location["schedules"][0]["opens_at"] = "25:00"
    location["url"] = "geen uri"
    location["phones"][0]["id"] = "niet-een-uuid"
    del location["location_type"]
    assert validation.errors("location.json", location) == [
        "verplicht veld 'location_type' ontbreekt",
        "phones.0.id: 'niet-een-uuid' is geen geldig UUID",
        "schedules.0.opens_at: '25:00' is geen geldige tijd (UU:MM)",
        "url: 'geen uri' is geen geldig URI",
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("09:00", True),
        ("09:00:30", True),
        ("09:00Z", True),
        ("09:00-05:00", True),
        ("24:00", False),
        ("9", False),
    ],
)
def test_times(value, valid):
    assert (validation.parse_time(value) is not None) is valid


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "geen-adres", "email: 'geen-adres' is geen geldig e-mailadres"),
        ("status", "open", "status: 'open' is niet toegestaan"),
        ("minimum_age", "twaalf", "minimum_age: 'twaalf' heeft niet het type number"),
        ("last_modified", "gisteren", "last_modified: 'gisteren' is geen geldig datum en tijd"),
        ("assured_date", "2024-02-30", "assured_date: '2024-02-30' is geen geldige datum (JJJJ-MM-DD)"),
    ],
)
def test_service_field_messages(field, value, message):
    service = _example("tabular.json")["services.csv"][0]
    service[field] = value
    (found,) = validation.record_errors("service.json", service)
    assert found.startswith(message)


def _mutations(record: dict, schema_name: str, rng: random.Random):
    properties = validation.schema(schema_name)["properties"]
    bad_values = ["", "x", 3, 2.5, True, None, "25:00", "2024-13-01", "a@b", "http://x", "Z", []]
    yield record
    for key in list(record):
        without = dict(record)
        del without[key]
        yield without
        for value in rng.sample(bad_values, 4):
            yield {**record, key: value}
    yield {**record, "onbekend_veld": 1}  # HSDS allows extra fields
    for key in rng.sample(sorted(properties), min(5, len(properties))):
        yield {**record, key: rng.choice(bad_values)}


def test_fast_path_agrees_with_jsonschema_on_good_and_broken_records():
    rng = random.Random(4)
    tabular = _example("tabular.json")
    checked = 0
    for name, rows in tabular.items():
        table = name.removesuffix(".csv")
        schema_name = validation.TABLE_SCHEMAS[table]
        for row in rows:
            for record in _mutations(copy.deepcopy(row), schema_name, rng):
                assert validation.record_errors(schema_name, record) == validation.errors(
                    schema_name, record
                ), (
                    table,
                    record,
                )
                checked += 1
    assert checked > 500
