"""The mapping between HSDS records (flat, as in the tabular form) and the directory's models.

Every HSDS table we keep has a model; the scalar fields of the table's schema map to the model
field of the same name (``organization_id`` to the foreign key ``organization``), with two
renames (``taxonomy_terms.taxonomy_id`` is ``TaxonomyTerm.taxonomy_detail``, an attribute's
``link_id`` is ``ServiceTerm.service``). HSDS fields without a model field (``program_id``) are
not kept. What the desk adds on top of HSDS (capacity, free of charge, the facet of a taxonomy,
the municipality or district of a location or service area) travels as HSDS *attributes* linked
to terms of our own taxonomies, see :mod:`.extension` and docs/adr (HSDS mapping).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from schakelpunt.directory import models as directory
from schakelpunt.directory.hsds import validation
from schakelpunt.directory.hsds.validation import parse_date, parse_datetime, parse_time

# Tables we keep, in the order they are written (a row's references come before it).
TABLE_MODELS: dict[str, type[models.Model]] = {
    "taxonomies": directory.Taxonomy,
    "taxonomy_terms": directory.TaxonomyTerm,
    "organizations": directory.Organization,
    "locations": directory.Location,
    "addresses": directory.Address,
    "accessibility": directory.Accessibility,
    "services": directory.Service,
    "service_at_location": directory.ServiceAtLocation,
    "service_areas": directory.ServiceArea,
    "contacts": directory.Contact,
    "phones": directory.Phone,
    "languages": directory.Language,
    "cost_options": directory.CostOption,
    "schedules": directory.Schedule,
    "attributes": directory.ServiceTerm,
}
MODEL_TABLES = {model: table for table, model in TABLE_MODELS.items()}

# The object kind (``link_entity``, nesting) of each table, and what the messages call it.
ENTITY = {
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "organizations": "organization",
    "locations": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "services": "service",
    "service_at_location": "service_at_location",
    "service_areas": "service_area",
    "contacts": "contact",
    "phones": "phone",
    "languages": "language",
    "cost_options": "cost_option",
    "schedules": "schedule",
    "attributes": "attribute",
    "programs": "program",
    "funding": "funding",
    "required_documents": "required_document",
    "metadata": "metadata",
    "meta_table_descriptions": "meta_table_description",
    "organization_identifiers": "organization_identifier",
    "service_capacity": "service_capacity",
    "units": "unit",
    "url": "url",
}
ENTITY_TABLES = {entity: table for table, entity in ENTITY.items()}
NOUN = {
    "taxonomies": "taxonomie",
    "taxonomy_terms": "taxonomieterm",
    "organizations": "organisatie",
    "locations": "locatie",
    "addresses": "adres",
    "accessibility": "toegankelijkheid",
    "services": "dienst",
    "service_at_location": "dienst-op-locatie",
    "service_areas": "werkgebied",
    "contacts": "contactpersoon",
    "phones": "telefoonnummer",
    "languages": "taal",
    "cost_options": "tarief",
    "schedules": "openingstijd",
    "attributes": "attribuut",
}
NOUN_WITH_ARTICLE = {
    "taxonomies": "een onbekende taxonomie",
    "taxonomy_terms": "een onbekende taxonomieterm",
    "organizations": "een onbekende organisatie",
    "locations": "een onbekende locatie",
    "services": "een onbekende dienst",
    "service_at_location": "een onbekende dienst-op-locatie",
    "contacts": "een onbekende contactpersoon",
    "phones": "een onbekend telefoonnummer",
}

_RENAMES = {("taxonomy_terms", "taxonomy_id"): "taxonomy_detail", ("attributes", "link_id"): "service"}
# Model fields that are ours, not HSDS: never read from or written to the HSDS fields.
OWN_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "facet",
    "participant",
    "municipality",
    "district",
    "is_free",
    "capacity",
    "capacity_wait_band",
    "capacity_confirmed_on",
    "search_text",
    "terms",
}
OWN_FIELDS_OF = {"services": {"version"}}


@dataclass(frozen=True)
class FieldMap:
    hsds: str  # name in HSDS
    attname: str  # model attribute (``organization_id`` for a foreign key)
    field: models.Field
    target: str | None  # the table a reference points to

    @property
    def required(self) -> bool:
        return not self.field.null and self.target is not None


@cache
def scalar_properties(table: str) -> dict[str, dict]:
    """The scalar (not nested) properties of a table's schema, in schema order."""
    properties = validation.schema(validation.TABLE_SCHEMAS[table])["properties"]
    return {
        name: spec
        for name, spec in properties.items()
        if spec.get("type") not in ("array", "object") and "$ref" not in spec
    }


@cache
def field_maps(table: str) -> tuple[FieldMap, ...]:
    model = TABLE_MODELS[table]
    maps = []
    for name in scalar_properties(table):
        if name == "id":
            continue
        model_name = _RENAMES.get((table, name))
        if model_name is None:
            model_name = name[:-3] if name.endswith("_id") else name
        if model_name in OWN_FIELDS or model_name in OWN_FIELDS_OF.get(table, ()):
            continue
        try:
            field = model._meta.get_field(model_name)
        except FieldDoesNotExist:  # an HSDS field the model does not hold (program_id)
            continue
        target = None
        if field.is_relation:
            target = MODEL_TABLES.get(field.related_model)
            if target is None:
                continue
        maps.append(FieldMap(name, field.attname, field, target))
    return tuple(maps)


# --- values -------------------------------------------------------------------------------------


class ValueProblem(ValueError):
    pass


def _number(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(f"{name}: {value!r} is geen getal")
    if isinstance(value, float) and not value.is_integer():
        raise ValueProblem(f"{name}: {value!r} is geen geheel getal")
    return int(value)


@lru_cache(maxsize=1 << 17)
def parse_uuid(value: str) -> uuid.UUID:
    """An HSDS id as a UUID. An import names most ids several times (a service by its
    locations, areas, phones, schedules and terms), and parsing is not free: parsed once."""
    return uuid.UUID(value)


def to_model_value(fmap: FieldMap, value: Any) -> Any:
    """An HSDS value (already schema-valid) as the model field holds it; raises ValueProblem."""
    field, name = fmap.field, fmap.hsds
    if value is None or value == "":
        return None if field.null or fmap.target else ""
    if fmap.target:
        return parse_uuid(value)
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueProblem(f"{name}: {value!r} is geen geldige datum en tijd")
        return parsed
    if isinstance(field, models.DateField):
        parsed = parse_date(value)
        if parsed is None:
            raise ValueProblem(f"{name}: {value!r} is geen geldige datum (JJJJ-MM-DD)")
        return parsed
    if isinstance(field, models.TimeField):
        parsed = parse_time(value)
        if parsed is None:
            raise ValueProblem(f"{name}: {value!r} is geen geldige tijd (UU:MM)")
        return parsed
    if isinstance(field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueProblem(f"{name}: {value!r} is geen getal")
        try:
            number = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        except decimal.InvalidOperation:
            raise ValueProblem(f"{name}: {value!r} is geen getal") from None
        if len(number.as_tuple().digits) > field.max_digits:
            raise ValueProblem(f"{name}: {value!r} is te groot")
        return number
    if isinstance(field, models.IntegerField):
        number = _number(value, name)
        low, high = _integer_range(field)
        if not low <= number <= high:
            raise ValueProblem(f"{name}: {number} ligt niet tussen {low} en {high}")
        return number
    text = str(value)
    if field.max_length and len(text) > field.max_length:
        raise ValueProblem(f"{name}: langer dan {field.max_length} tekens")
    return text


def _integer_range(field: models.IntegerField) -> tuple[int, int]:
    internal = field.get_internal_type()
    if internal == "PositiveSmallIntegerField":
        return 0, 32767
    if internal == "SmallIntegerField":
        return -32768, 32767
    if internal.startswith("Positive"):
        return 0, 2147483647
    return -2147483648, 2147483647


def to_hsds_value(fmap: FieldMap, value: Any) -> Any:
    """A model value as HSDS writes it (JSON types); None for 'no value'."""
    if value is None or value == "":
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- records ------------------------------------------------------------------------------------


@cache
def _plan(table: str) -> tuple:
    """Per field: HSDS name, attname, the empty value, and whether it is plain text (fast path)."""
    plan = []
    for fmap in field_maps(table):
        empty = None if fmap.field.null or fmap.target else ""
        is_text = fmap.target is None and isinstance(fmap.field, models.CharField | models.TextField)
        plan.append(
            (fmap.hsds, fmap.attname, empty, is_text, fmap.field.max_length if is_text else None, fmap)
        )
    return tuple(plan)


def fields_from_row(table: str, row: dict) -> tuple[dict[str, Any], list[str]]:
    """The model field values of one HSDS record, and what is wrong with them."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    get = row.get
    for hsds, attname, empty, is_text, max_length, fmap in _plan(table):
        value = get(hsds)
        if value is None or value == "":
            values[attname] = empty
        elif is_text and type(value) is str:
            if max_length and len(value) > max_length:
                problems.append(f"{hsds}: langer dan {max_length} tekens")
            else:
                values[attname] = value
        else:
            try:
                values[attname] = to_model_value(fmap, value)
            except ValueProblem as problem:
                problems.append(str(problem))
    problems += model_rule_problems(table, values)
    return values, problems


def model_rule_problems(table: str, values: dict) -> list[str]:
    """The model's own constraints, checked before anything is written."""
    problems = []
    if table == "services":
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            problems.append(f"minimum_age {low} is hoger dan maximum_age {high}")
    if table == "schedules":
        opens, closes = values.get("opens_at"), values.get("closes_at")
        if opens is not None and closes is not None and opens >= closes:
            problems.append(
                f"opens_at {opens:%H:%M} ligt niet vóór closes_at {closes:%H:%M}: een openingstijd "
                "moet vóór de sluitingstijd liggen"
            )
    return problems


def row_from_object(table: str, obj: models.Model, **extra: Any) -> dict[str, Any]:
    """One model object as a flat HSDS record; empty values left out (as in the tabular form)."""
    row: dict[str, Any] = {"id": str(obj.pk)}
    for fmap in field_maps(table):
        value = to_hsds_value(fmap, getattr(obj, fmap.attname))
        if value is not None:
            row[fmap.hsds] = value
    for key, value in extra.items():
        if value is not None and value != "":
            row[key] = value
    required = validation.schema(validation.TABLE_SCHEMAS[table]).get("required", [])
    for name in required:
        # A required text the model holds empty (an organisation without description) is
        # written empty rather than left out.
        if name not in row and name in scalar_properties(table):
            row[name] = ""
    return row


def model_fields(table: str) -> list[str]:
    """The attnames the import compares and writes for a table (HSDS fields only)."""
    return [fmap.attname for fmap in field_maps(table)]
