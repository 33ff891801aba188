"""Validation against the official HSDS 3.1 JSON schemas (vendored in ``schema/``).

The schemas declare no ``$schema``; HSDS 3.1 publishes them for OpenAPI 3.1, whose dialect is
JSON Schema Draft 2020-12, so that is the validator used. Their ``$ref`` values are relative
file names (``"phone.json"``); a :class:`referencing.Registry` built from the vendored files
resolves them, so nothing is fetched from the network.

Formats are checked where the schema names one (``uuid``, ``email``, ``uri``, ``date-time``),
with small checkers of our own so that no extra packages are needed. The schemas give dates
and times only as ``datapackage_type`` (``date``, ``time``, ``datetime``): that keyword is
checked too, so ``"25:00"`` as an opening time is an error and not a string.

Messages are Dutch and name the field: ``"opens_at: '25:00' is geen geldige tijd (UU:MM)"``.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
HSDS_VERSION = "3.1"

# Which schema a table (file name of the tabular form) or an object kind follows.
TABLE_SCHEMAS = {
    "organizations": "organization.json",
    "programs": "program.json",
    "services": "service.json",
    "attributes": "attribute.json",
    "service_at_location": "service_at_location.json",
    "locations": "location.json",
    "phones": "phone.json",
    "contacts": "contact.json",
    "addresses": "address.json",
    "schedules": "schedule.json",
    "funding": "funding.json",
    "service_areas": "service_area.json",
    "required_documents": "required_document.json",
    "languages": "language.json",
    "accessibility": "accessibility.json",
    "taxonomy_terms": "taxonomy_term.json",
    "metadata": "metadata.json",
    "meta_table_descriptions": "meta_table_description.json",
    "cost_options": "cost_option.json",
    "organization_identifiers": "organization_identifier.json",
    "taxonomies": "taxonomy.json",
    "service_capacity": "service_capacity.json",
    "units": "unit.json",
    "url": "url.json",
}

_TIME = re.compile(r"^(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?$")


# --- formats ------------------------------------------------------------------------------------


def parse_time(value: str) -> datetime.time | None:
    """An HSDS time (``10:00``, ``10:00:00``, ``10:00Z``, ``09:00-05:00``) or None if impossible.

    The offset is accepted and not kept: the desk's opening hours are local time."""
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime.time(hour, minute, second)


def parse_date(value: str) -> datetime.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_datetime(value: str) -> datetime.datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(value: object) -> bool:
    """The canonical form: 8-4-4-4-12 hexadecimal digits (what uuid.UUID would write back)."""
    return not isinstance(value, str) or _UUID.fullmatch(value) is not None


def _is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    local, at, domain = value.rpartition("@")
    return bool(at and local and domain and " " not in value)


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value or any(char.isspace() for char in value):
        return False
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or ""))


def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or parse_datetime(value) is not None


FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("uuid")(_is_uuid)
FORMAT_CHECKER.checks("email")(_is_email)
FORMAT_CHECKER.checks("uri")(_is_uri)
FORMAT_CHECKER.checks("date-time")(_is_datetime)
FORMAT_CHECKER.checks("datetime")(_is_datetime)

_DATAPACKAGE_PARSERS = {"date": parse_date, "time": parse_time, "datetime": parse_datetime}
_DATAPACKAGE_NAMES = {"date": "datum (JJJJ-MM-DD)", "time": "tijd (UU:MM)", "datetime": "datum en tijd"}


def _datapackage_type(validator, kind, instance, schema):
    parser = _DATAPACKAGE_PARSERS.get(kind)
    if "format" in schema:
        return  # the format says the same (last_modified: date-time), once is enough
    if parser is not None and isinstance(instance, str) and parser(instance) is None:
        yield ValidationError(f"{instance!r} is geen geldige {_DATAPACKAGE_NAMES[kind]}")


HsdsValidator = extend(Draft202012Validator, {"datapackage_type": _datapackage_type})


# --- schemas ------------------------------------------------------------------------------------


@cache
def registry() -> Registry:
    resources = []
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("compiled/*.json")]:
        if path.name in ("openapi.json", "datapackage.json"):
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        name = path.relative_to(SCHEMA_DIR).as_posix()
        resources.append((name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def schema(name: str) -> dict:
    """One vendored schema by file name (``"service.json"``, ``"compiled/service_list.json"``)."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema, its relative ``$ref`` values resolved from the vendored files."""
    contents = schema(name)
    return HsdsValidator({"$id": name, **contents}, registry=registry(), format_checker=FORMAT_CHECKER)


@cache
def datapackage() -> dict:
    return schema("datapackage.json")


# --- messages -----------------------------------------------------------------------------------


def _where(error: ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    return path or "(document)"


def _message(error: ValidationError) -> str:
    keyword = error.validator
    if keyword == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        field = missing[0] if missing else "?"
        return f"{_where(error)}: verplicht veld '{field}' ontbreekt".replace("(document): ", "")
    if keyword == "type":
        return f"{_where(error)}: {error.instance!r} heeft niet het type {error.validator_value}"
    if keyword == "enum":
        allowed = ", ".join(repr(value) for value in error.validator_value)
        return f"{_where(error)}: {error.instance!r} is niet toegestaan (kies uit {allowed})"
    if keyword == "format":
        names = {
            "uuid": "UUID",
            "email": "e-mailadres",
            "uri": "URI",
            "date-time": "datum en tijd",
            "datetime": "datum en tijd",
        }
        name = names.get(error.validator_value, "formaat")
        return f"{_where(error)}: {error.instance!r} is geen geldig {name}"
    if keyword == "datapackage_type":
        return f"{_where(error)}: {error.message}"
    return f"{_where(error)}: {error.message}"


def errors(name: str, instance: Any) -> list[str]:
    """Everything wrong with ``instance`` according to schema ``name``, as Dutch messages."""
    found = sorted(validator(name).iter_errors(instance), key=lambda error: list(error.absolute_path))
    return [_message(error) for error in found]


def table_errors(table: str, row: dict) -> list[str]:
    return errors(TABLE_SCHEMAS[table], row)


# --- the fast path ------------------------------------------------------------------------------
#
# jsonschema takes about 0.1-0.2 ms per flat record, too slow for 10,000 services with their
# phones, schedules and terms. The flat records of the tabular form use a small subset of JSON
# Schema in their scalar properties (type, format, enum, datapackage_type, and required at the
# top). For those, the checks below are compiled once from the same schema; a record they pass
# is valid, a record they fail goes through jsonschema for the exact messages. A schema that
# uses anything else is never compiled (jsonschema decides alone), and
# tests/directory/test_hsds_validation.py proves both agree on good and broken records.

_ANNOTATIONS = {"name", "title", "description", "example", "core", "constraints", "$comment"}
_COMPILED_KEYWORDS = {"type", "format", "enum", "datapackage_type"}
_TYPES = {
    "string": lambda value: isinstance(value, str),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "integer": lambda value: (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
    ),
    "boolean": lambda value: isinstance(value, bool),
}
_FORMATS = {
    "uuid": _is_uuid,
    "email": _is_email,
    "uri": _is_uri,
    "date-time": _is_datetime,
    "datetime": _is_datetime,
}


def _compile_property(spec: dict):
    if not set(spec) - _ANNOTATIONS <= _COMPILED_KEYWORDS:
        return None
    kind = spec.get("type")
    if not isinstance(kind, str) or kind not in _TYPES:
        return None
    is_kind = _TYPES[kind]
    allowed = spec.get("enum")
    is_format = _FORMATS.get(spec.get("format"))  # an unknown format is an annotation for jsonschema too
    parser = _DATAPACKAGE_PARSERS.get(spec.get("datapackage_type"))

    def check(value) -> bool:
        if not is_kind(value):
            return False
        if allowed is not None and value not in allowed:
            return False
        if is_format is not None and not is_format(value):
            return False
        return parser is None or not isinstance(value, str) or parser(value) is not None

    return check


@cache
def _compiled(name: str):
    contents = schema(name)
    required = tuple(contents.get("required", ()))
    checks = {}
    for prop, spec in contents.get("properties", {}).items():
        compiled = _compile_property(spec)
        if compiled is not None:
            checks[prop] = compiled
    return required, checks


def record_errors(name: str, record: dict) -> list[str]:
    """Like :func:`errors`, fast for flat records that are valid."""
    required, checks = _compiled(name)
    valid = all(prop in record for prop in required)
    if valid:
        for key, value in record.items():
            check = checks.get(key)
            if check is None:
                if key in schema(name).get("properties", {}):
                    valid = False  # nested or not compiled: let jsonschema decide
                    break
                continue
            if not check(value):
                valid = False
                break
    return [] if valid else errors(name, record)
