"""HSDS records and nested documents built from the directory: for the export and the API.

``*_row`` functions give the flat record of one object (the tabular form, and the "one-to-one
fields" of the API lists); ``service_document`` gives a fully nested service. The querysets
below prefetch everything a document needs, so building many costs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from schakelpunt.directory import models as directory
from schakelpunt.directory.hsds import extension
from schakelpunt.directory.hsds.mapping import row_from_object


def taxonomy_row(taxonomy: directory.Taxonomy) -> dict:
    return row_from_object("taxonomies", taxonomy)


def term_row(term: directory.TaxonomyTerm, *, nested: bool = False) -> dict:
    row = row_from_object("taxonomy_terms", term)
    if nested and term.taxonomy_detail_id:
        row["taxonomy_detail"] = taxonomy_row(term.taxonomy_detail)
    return row


def organization_row(organization: directory.Organization) -> dict:
    return row_from_object("organizations", organization)


def service_row(service: directory.Service) -> dict:
    return row_from_object("services", service)


def location_row(location: directory.Location) -> dict:
    return row_from_object("locations", location)


def service_at_location_row(link: directory.ServiceAtLocation) -> dict:
    return row_from_object("service_at_location", link)


# --- our own fields as attributes ---------------------------------------------------------------


def _attribute(kind: str, link_id, entity: str, taxonomy: extension.ExtTaxonomy, code: str, **extra) -> dict:
    return {
        "id": extension.attribute_id(kind, link_id),
        "link_id": str(link_id),
        "taxonomy_term_id": str(extension.term_id(taxonomy, code)),
        "link_type": kind,
        "link_entity": entity,
        **{key: value for key, value in extra.items() if value not in (None, "")},
    }


def service_extension_attributes(service: directory.Service) -> list[dict]:
    confirmed = service.capacity_confirmed_on.isoformat() if service.capacity_confirmed_on else ""
    rows = [
        _attribute(
            "capacity",
            service.pk,
            "service",
            extension.CAPACITY,
            f"capacity:{service.capacity}",
            value=confirmed,
            label=str(service.get_capacity_display()),
        )
    ]
    if service.capacity_wait_band:
        rows.append(
            _attribute(
                "wait_band",
                service.pk,
                "service",
                extension.CAPACITY,
                f"wait_band:{service.capacity_wait_band}",
                label=str(service.get_capacity_wait_band_display()),
            )
        )
    rows.append(
        _attribute(
            "free",
            service.pk,
            "service",
            extension.COSTS,
            "free",
            value="true" if service.is_free else "false",
        )
    )
    return rows


def taxonomy_extension_attributes(taxonomy: directory.Taxonomy) -> list[dict]:
    return [_attribute("facet", taxonomy.pk, "taxonomy", extension.FACET, f"facet:{taxonomy.facet}")]


def area_attributes(obj, entity: str) -> list[dict]:
    rows = []
    for kind in ("municipality", "district"):
        place = getattr(obj, kind)
        if place is not None:
            rows.append(_attribute(kind, obj.pk, entity, extension.AREA, place.code, label=place.name))
    return rows


def area_term_row(place) -> dict:
    return extension.term_row(extension.AREA, place.code, place.name)


def _nested_ext_attribute(row: dict) -> dict:
    """An attribute of ours with its term (and the term's taxonomy) nested, as in a document."""
    term_id = row["taxonomy_term_id"]
    for term in extension.fixed_terms():
        if term["id"] == term_id:
            break
    else:
        term = None
    if term is None:
        return row
    taxonomy = next(t for t in extension.TAXONOMIES if str(t.id) == term["taxonomy_id"])
    return {**row, "taxonomy_term": {**term, "taxonomy_detail": taxonomy.row()}}


# --- nested documents ---------------------------------------------------------------------------


def service_terms_prefetch() -> Prefetch:
    return Prefetch(
        "service_terms",
        queryset=directory.ServiceTerm.objects.select_related("taxonomy_term__taxonomy_detail").order_by(
            "pk"
        ),
    )


def location_prefetches(prefix: str) -> list:
    return [
        f"{prefix}addresses",
        f"{prefix}accessibility",
        f"{prefix}languages",
        f"{prefix}schedules",
        Prefetch(f"{prefix}phones", queryset=directory.Phone.objects.prefetch_related("languages")),
        Prefetch(f"{prefix}contacts", queryset=directory.Contact.objects.prefetch_related("phones")),
    ]


def documents_queryset(services: QuerySet[directory.Service]) -> QuerySet[directory.Service]:
    """Services with everything a nested document holds (a fixed number of queries)."""
    links = directory.ServiceAtLocation.objects.select_related(
        "location__municipality", "location__district"
    ).prefetch_related(
        Prefetch("phones", queryset=directory.Phone.objects.prefetch_related("languages")),
        "schedules",
        Prefetch("contacts", queryset=directory.Contact.objects.prefetch_related("phones")),
        Prefetch(
            "service_areas", queryset=directory.ServiceArea.objects.select_related("municipality", "district")
        ),
        *location_prefetches("location__"),
    )
    return services.select_related("organization").prefetch_related(
        Prefetch("phones", queryset=directory.Phone.objects.prefetch_related("languages")),
        "schedules",
        Prefetch(
            "service_areas", queryset=directory.ServiceArea.objects.select_related("municipality", "district")
        ),
        "languages",
        "cost_options",
        Prefetch("contacts", queryset=directory.Contact.objects.prefetch_related("phones")),
        service_terms_prefetch(),
        Prefetch("service_at_locations", queryset=links),
    )


def _rows(table: str, objects: Iterable) -> list[dict]:
    return [row_from_object(table, obj) for obj in objects]


def _phone(phone: directory.Phone) -> dict:
    row = row_from_object("phones", phone)
    languages = _rows("languages", phone.languages.all())
    if languages:
        row["languages"] = languages
    return row


def _contact(contact: directory.Contact) -> dict:
    row = row_from_object("contacts", contact)
    phones = [_phone(phone) for phone in contact.phones.all()]
    if phones:
        row["phones"] = phones
    return row


def _area(area: directory.ServiceArea) -> dict:
    row = row_from_object("service_areas", area)
    attributes = [_nested_ext_attribute(a) for a in area_attributes(area, "service_area")]
    if attributes:
        row["attributes"] = attributes
    return row


def _put(document: dict, key: str, items: list) -> None:
    if items:
        document[key] = items


def location_document(location: directory.Location) -> dict:
    document = location_row(location)
    _put(document, "languages", _rows("languages", location.languages.all()))
    _put(document, "addresses", _rows("addresses", location.addresses.all()))
    _put(document, "contacts", [_contact(contact) for contact in location.contacts.all()])
    _put(document, "accessibility", _rows("accessibility", location.accessibility.all()))
    _put(document, "phones", [_phone(phone) for phone in location.phones.all()])
    _put(document, "schedules", _rows("schedules", location.schedules.all()))
    _put(document, "attributes", [_nested_ext_attribute(a) for a in area_attributes(location, "location")])
    return document


def _service_at_location(link: directory.ServiceAtLocation) -> dict:
    row = service_at_location_row(link)
    _put(row, "service_areas", [_area(area) for area in link.service_areas.all()])
    _put(row, "contacts", [_contact(contact) for contact in link.contacts.all()])
    _put(row, "phones", [_phone(phone) for phone in link.phones.all()])
    _put(row, "schedules", _rows("schedules", link.schedules.all()))
    row["location"] = location_document(link.location)
    return row


def service_at_location_document(link: directory.ServiceAtLocation) -> dict:
    """A service at a location with its own nested parts, its location and its service."""
    row = _service_at_location(link)
    row["service"] = list_service(link.service)
    return row


def organization_document(organization: directory.Organization) -> dict:
    """An organisation with its (not defunct) services, locations, phones and contacts."""
    document = organization_row(organization)
    _put(document, "services", [service_row(service) for service in organization.services.all()])
    _put(document, "locations", [location_document(location) for location in organization.locations.all()])
    _put(document, "phones", [_phone(phone) for phone in organization.phones.all()])
    _put(document, "contacts", [_contact(contact) for contact in organization.contacts.all()])
    return document


def service_document(service: directory.Service) -> dict:
    """A fully nested HSDS service (``compiled/service.json``), from a documents_queryset row."""
    document = service_row(service)
    _put(document, "phones", [_phone(phone) for phone in service.phones.all()])
    _put(document, "schedules", _rows("schedules", service.schedules.all()))
    _put(document, "service_areas", [_area(area) for area in service.service_areas.all()])
    links = [_service_at_location(link) for link in service.service_at_locations.all()]
    _put(document, "service_at_locations", links)
    _put(document, "languages", _rows("languages", service.languages.all()))
    if service.organization_id:
        document["organization"] = organization_row(service.organization)
    _put(document, "cost_options", _rows("cost_options", service.cost_options.all()))
    _put(document, "contacts", [_contact(contact) for contact in service.contacts.all()])
    attributes = []
    for link in service.service_terms.all():
        row = row_from_object("attributes", link, link_entity="service")
        row["taxonomy_term"] = term_row(link.taxonomy_term, nested=True)
        attributes.append(row)
    attributes += [_nested_ext_attribute(row) for row in service_extension_attributes(service)]
    document["attributes"] = attributes
    return document


def list_service(service: directory.Service) -> dict[str, Any]:
    """A service as the API lists it (``compiled/service_list.json``): its own fields and its
    organisation's."""
    row = service_row(service)
    if service.organization_id:
        row["organization"] = organization_row(service.organization)
    return row
