"""Export the directory as an HSDS 3.1 datapackage: ``schakelpunt export_hsds DIR``.

Writes ``datapackage.json`` (the official one, vendored) and one CSV per resource it names, with
the columns in the order it gives; tables the directory does not keep (programs, funding, ...)
are written with their header only, so the package is complete. Every row is checked against
its schema, the same way the import checks it. With ``--json`` also ``services.json``: every
service as a nested document.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from schakelpunt.directory import models as directory
from schakelpunt.directory.hsds import documents, extension, validation
from schakelpunt.directory.hsds.mapping import row_from_object

CHUNK = 2000


@dataclass
class ExportResult:
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _objects(model, *related: str) -> Iterator:
    queryset = model.objects.order_by("pk")
    if related:
        queryset = queryset.select_related(*related)
    return queryset.iterator(chunk_size=CHUNK)


def tables() -> dict[str, Iterator[dict]]:
    """Table name → its rows (generated lazily, in a fixed order)."""

    def taxonomies():
        for taxonomy in extension.TAXONOMIES:
            yield taxonomy.row()
        for taxonomy in _objects(directory.Taxonomy):
            yield documents.taxonomy_row(taxonomy)

    def taxonomy_terms():
        yield from extension.fixed_terms()
        places = {}
        for model in (directory.Location, directory.ServiceArea):
            for obj in model.objects.select_related("municipality", "district").exclude(
                municipality=None, district=None
            ):
                for place in (obj.municipality, obj.district):
                    if place is not None:
                        places[place.code] = place
        for code in sorted(places):
            yield documents.area_term_row(places[code])
        for term in _objects(directory.TaxonomyTerm, "taxonomy_detail"):
            yield documents.term_row(term)

    def simple(table: str, model, *related: str):
        def rows():
            for obj in _objects(model, *related):
                yield row_from_object(table, obj)

        return rows

    def locations():
        for location in _objects(directory.Location):
            yield documents.location_row(location)

    def attributes():
        for link in _objects(directory.ServiceTerm):
            yield row_from_object("attributes", link, link_entity="service")
        for service in _objects(directory.Service):
            yield from documents.service_extension_attributes(service)
        for taxonomy in _objects(directory.Taxonomy):
            yield from documents.taxonomy_extension_attributes(taxonomy)
        for location in _objects(directory.Location, "municipality", "district"):
            yield from documents.area_attributes(location, "location")
        for area in _objects(directory.ServiceArea, "municipality", "district"):
            yield from documents.area_attributes(area, "service_area")

    return {
        "organizations": simple("organizations", directory.Organization)(),
        "services": simple("services", directory.Service)(),
        "attributes": attributes(),
        "service_at_location": simple("service_at_location", directory.ServiceAtLocation)(),
        "locations": locations(),
        "phones": simple("phones", directory.Phone)(),
        "contacts": simple("contacts", directory.Contact)(),
        "addresses": simple("addresses", directory.Address)(),
        "schedules": simple("schedules", directory.Schedule)(),
        "service_areas": simple("service_areas", directory.ServiceArea)(),
        "languages": simple("languages", directory.Language)(),
        "accessibility": simple("accessibility", directory.Accessibility)(),
        "taxonomy_terms": taxonomy_terms(),
        "cost_options": simple("cost_options", directory.CostOption)(),
        "taxonomies": taxonomies(),
    }


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def export_hsds(
    *,
    directory_path: Path | str,
    nested_json: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ExportResult:
    """Write the datapackage into ``directory_path`` (created if needed)."""
    progress = progress or (lambda text: None)
    target = Path(directory_path)
    target.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    package = validation.datapackage()
    rows_of = tables()
    for resource in package["resources"]:
        path = resource["path"]
        table = path.removesuffix(".csv")
        columns = [field["name"] for field in resource["schema"]["fields"]]
        schema_name = validation.TABLE_SCHEMAS[table]
        count = 0
        file = target / path
        with file.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
            writer.writeheader()
            for row in rows_of.get(table, ()):
                for problem in validation.record_errors(schema_name, row):
                    result.problems.append(f"{path} {row.get('id', '?')}: {problem}")
                writer.writerow({key: _cell(value) for key, value in row.items()})
                count += 1
        result.rows[table] = count
        result.files.append(file)
        progress(f"{path}: {count} regels")
    package_file = target / "datapackage.json"
    package_file.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result.files.insert(0, package_file)
    if nested_json:
        file = target / "services.json"
        services = documents.documents_queryset(directory.Service.objects.order_by("pk"))
        with file.open("w", encoding="utf-8") as handle:
            handle.write("[")
            for index, service in enumerate(services.iterator(chunk_size=500)):
                document = documents.service_document(service)
                for problem in validation.errors("service.json", document):
                    result.problems.append(f"services.json {service.pk}: {problem}")
                handle.write(("," if index else "") + "\n" + json.dumps(document, ensure_ascii=False))
            handle.write("\n]\n")
        result.files.append(file)
        progress(f"services.json: {directory.Service.objects.count()} diensten")
    return result
