"""Reading HSDS datasets into flat records, whatever form they come in.

Forms read:

- a JSON file with one document (a service with nested organization, service_at_locations,
  phones, schedules, ...; or an organization, location, taxonomy or taxonomy term), a list of
  documents, or a paged list (``{"contents": [...]}``, as the HSDS API gives them);
- a directory of such JSON files;
- the tabular form: a directory with ``datapackage.json`` and CSV files, or one JSON file with
  an array per CSV name (``{"services.csv": [...], ...}``).

Each nested document is flattened into the records of the tabular form (a phone nested in a
service gets that service's id as ``service_id``), all carrying the document as their *group*:
one invalid record rejects its whole document. In the tabular form each row is its own group.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schakelpunt.directory.hsds import validation
from schakelpunt.directory.hsds.mapping import ENTITY, ENTITY_TABLES, NOUN

# Nested arrays (and objects) of each entity, and the table their items go to.
_CHILDREN: dict[str, dict[str, str]] = {
    "service": {
        "phones": "phones",
        "schedules": "schedules",
        "service_areas": "service_areas",
        "service_at_locations": "service_at_location",
        "languages": "languages",
        "funding": "funding",
        "cost_options": "cost_options",
        "required_documents": "required_documents",
        "contacts": "contacts",
        "capacities": "service_capacity",
        "additional_urls": "url",
        "attributes": "attributes",
        "metadata": "metadata",
    },
    "organization": {
        "funding": "funding",
        "contacts": "contacts",
        "phones": "phones",
        "locations": "locations",
        "programs": "programs",
        "organization_identifiers": "organization_identifiers",
        "additional_websites": "url",
        "attributes": "attributes",
        "metadata": "metadata",
        "services": "services",
    },
    "location": {
        "languages": "languages",
        "addresses": "addresses",
        "contacts": "contacts",
        "accessibility": "accessibility",
        "phones": "phones",
        "schedules": "schedules",
        "attributes": "attributes",
        "metadata": "metadata",
    },
    "service_at_location": {
        "service_areas": "service_areas",
        "contacts": "contacts",
        "phones": "phones",
        "schedules": "schedules",
        "attributes": "attributes",
        "metadata": "metadata",
    },
    "contact": {"phones": "phones", "attributes": "attributes", "metadata": "metadata"},
    "phone": {"languages": "languages", "attributes": "attributes", "metadata": "metadata"},
}
# Every other object may carry attributes and metadata.
_ANNOTATION_CHILDREN = {"attributes": "attributes", "metadata": "metadata"}
# Nested single objects: key → (table, the reference the parent holds to it).
_OBJECTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organizations", "organization_id"), "program": ("programs", "program_id")},
    "service_at_location": {
        "location": ("locations", "location_id"),
        "service": ("services", "service_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_terms", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomies", "taxonomy_id")},
    "service_capacity": {"unit": ("units", "unit_id")},
}
# The reference a nested child gets to its parent.
_PARENT_KEY = {
    "service": "service_id",
    "organization": "organization_id",
    "location": "location_id",
    "service_at_location": "service_at_location_id",
    "contact": "contact_id",
    "phone": "phone_id",
}
_TAXONOMY_TERM_KEYS = {
    "code",
    "parent_id",
    "taxonomy_detail",
    "taxonomy_id",
    "term_uri",
    "taxonomy",
    "language",
}


@dataclass
class Record:
    table: str
    data: dict[str, Any]
    group: str
    source: str  # where it came from, for messages: "services.csv regel 4", "x.json [3]"
    problems: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else ""

    @property
    def label(self) -> str:
        noun = NOUN.get(self.table, ENTITY.get(self.table, self.table))
        return f"{noun} {self.id}" if self.id else f"{noun} ({self.source})"


@dataclass
class FileProblem:
    source: str
    message: str


@dataclass
class Dataset:
    records: list[Record] = field(default_factory=list)
    file_problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- entry point --------------------------------------------------------------------------------


def read(path: Path | str) -> Dataset:
    path = Path(path)
    dataset = Dataset()
    if path.is_dir():
        if (path / "datapackage.json").exists():
            _read_csv_package(path, dataset)
        else:
            files = sorted(path.glob("*.json"))
            if not files:
                dataset.file_problems.append(
                    FileProblem(str(path), "geen JSON-bestanden of datapackage.json")
                )
            for file in files:
                _read_json_file(file, dataset)
    elif path.exists():
        _read_json_file(path, dataset)
    else:
        dataset.file_problems.append(FileProblem(str(path), "bestaat niet"))
    return dataset


def _read_json_file(path: Path, dataset: Dataset) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        dataset.file_problems.append(FileProblem(path.name, f"kan het bestand niet lezen: {error}"))
        return
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        dataset.file_problems.append(
            FileProblem(
                path.name,
                f"geen geldige JSON (regel {error.lineno}, kolom {error.colno}): {error.msg}",
            )
        )
        return
    read_json(content, path.name, dataset)


def read_json(content: Any, source: str, dataset: Dataset) -> None:
    """Add the records of one parsed JSON file."""
    if isinstance(content, dict) and content and all(key.endswith(".csv") for key in content):
        _read_tabular_json(content, source, dataset)
        return
    many = True
    if isinstance(content, dict) and isinstance(content.get("contents"), list):
        items = content["contents"]
    elif isinstance(content, list):
        items = content
    else:
        items, many = [content], False
    for index, item in enumerate(items):
        where = f"{source} [{index}]" if many else source
        if not isinstance(item, dict):
            dataset.file_problems.append(FileProblem(where, "is geen JSON-object"))
            continue
        entity = _kind(item)
        if entity == "about":
            dataset.notes.append(f"{where}: beschrijving van een HSDS-API (geen gegevens), overgeslagen")
            continue
        if entity is None:
            dataset.file_problems.append(
                FileProblem(where, "onbekend soort document (geen dienst, organisatie, locatie of taxonomie)")
            )
            continue
        group = f"{where}#{item.get('id', index)}"
        _flatten(entity, item, group, where, dataset.records, parent=None)


def _kind(item: dict) -> str | None:
    if "openapi_url" in item and "id" not in item:
        return "about"
    if "status" in item:
        return "service"
    if "location_type" in item:
        return "location"
    if ("service_id" in item and "location_id" in item) or ("location" in item and "service" in item):
        return "service_at_location"
    if _TAXONOMY_TERM_KEYS & item.keys():
        return "taxonomy_term"
    if "name" in item and item.keys() <= {"id", "name", "description", "uri", "version", "metadata"}:
        return "taxonomy"
    if "name" in item and "description" in item:
        return "organization"
    return None


def _flatten(
    entity: str,
    item: dict,
    group: str,
    where: str,
    out: list[Record],
    parent: tuple[str, str] | None,
) -> str | None:
    """Add ``item`` and its nested objects as records; returns the item's id."""
    table = ENTITY_TABLES[entity]
    row: dict[str, Any] = {}
    problems: list[str] = []
    children = _CHILDREN.get(entity, _ANNOTATION_CHILDREN)
    objects = _OBJECTS.get(entity, {})
    nested: list[tuple[str, Any]] = []
    for key, value in item.items():
        if key in children or key in objects:
            nested.append((key, value))
        else:
            row[key] = value
    if parent is not None:
        parent_entity, parent_id = parent
        if entity == "attribute":
            row.setdefault("link_id", parent_id)
            row.setdefault("link_entity", parent_entity)
        else:
            key = _PARENT_KEY.get(parent_entity)
            if key and key in validation.schema(validation.TABLE_SCHEMAS[table])["properties"]:
                row.setdefault(key, parent_id)
    record = Record(table, row, group, where, problems)
    out.append(record)
    own_id = row.get("id") if isinstance(row.get("id"), str) else None
    for key, value in nested:
        if key in objects:
            if value is None:
                continue
            child_table, reference = objects[key]
            if not isinstance(value, dict):
                problems.append(f"{key}: {value!r} is geen object")
                continue
            child_id = _flatten(ENTITY[child_table], value, group, where, out, parent=None)
            if child_id is not None:
                if reference in row and row[reference] != child_id:
                    problems.append(f"{reference} {row[reference]!r} is niet de id van het geneste {key}")
                row.setdefault(reference, child_id)
            continue
        child_table = children[key]
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(f"{key}: {value!r} is geen lijst")
            continue
        for position, child in enumerate(value):
            if not isinstance(child, dict):
                problems.append(f"{key}.{position}: {child!r} is geen object")
                continue
            _flatten(
                ENTITY[child_table],
                child,
                group,
                where,
                out,
                parent=(entity, own_id) if own_id else None,
            )
    return own_id


# --- the tabular form ---------------------------------------------------------------------------


def _coerce(table: str, row: dict, *, from_csv: bool) -> dict:
    """Type the cells of a row as its schema says (CSV cells are all text; empty is absent)."""
    properties = validation.schema(validation.TABLE_SCHEMAS[table])["properties"]
    typed = {}
    for key, value in row.items():
        if key is None:
            continue
        if value is None or value == "":
            continue
        kind = properties.get(key, {}).get("type")
        if from_csv and kind == "number":
            typed[key] = _number(value)
        elif (
            not from_csv
            and kind == "string"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            # The tabular form types columns by the datapackage: a number in a text column is
            # the text a CSV reader would see (as in HSDS's own tabular.json example).
            typed[key] = str(value)
        else:
            typed[key] = value
    return typed


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text  # the schema reports it


def _table_of(name: str) -> str | None:
    table = name.removesuffix(".csv")
    return table if table in validation.TABLE_SCHEMAS else None


def _read_tabular_json(content: dict, source: str, dataset: Dataset) -> None:
    for name, rows in content.items():
        table = _table_of(name)
        if table is None:
            dataset.notes.append(f"{source}: {name} is geen HSDS-tabel, overgeslagen")
            continue
        if not isinstance(rows, list):
            dataset.file_problems.append(FileProblem(f"{source} {name}", "is geen lijst"))
            continue
        for index, row in enumerate(rows):
            where = f"{source} {name} [{index}]"
            if not isinstance(row, dict):
                dataset.file_problems.append(FileProblem(where, "is geen JSON-object"))
                continue
            dataset.records.append(Record(table, _coerce(table, row, from_csv=False), where, where))


def _read_csv_package(path: Path, dataset: Dataset) -> None:
    try:
        package = json.loads((path / "datapackage.json").read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        dataset.file_problems.append(
            FileProblem(
                "datapackage.json",
                f"geen geldige JSON (regel {error.lineno}, kolom {error.colno}): {error.msg}",
            )
        )
        return
    names = [resource.get("path") for resource in package.get("resources", []) if isinstance(resource, dict)]
    names = [name for name in names if isinstance(name, str)] or [file.name for file in path.glob("*.csv")]
    # Read in the order the records depend on each other does not matter: the import sorts.
    for name in names:
        file = path / name
        table = _table_of(name)
        if table is None or not file.exists():
            continue
        with file.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                where = f"{name} regel {line}"
                dataset.records.append(Record(table, _coerce(table, row, from_csv=True), where, where))
