"""The search text of a service: what desk search and the public guide match against.

One text per service (name, alternate name, description, eligibility, organisation and the
names of its terms, with the terms' parents) so that a search needs no joins. Every write path
(the editing services, the HSDS import, the demo data and the generator) calls
:func:`refresh_search_text` after it changes a service, its organisation or its terms.
"""

from collections import defaultdict
from collections.abc import Iterable

from schakelpunt.directory.models import Service, ServiceTerm, TaxonomyTerm


def _term_names(term: TaxonomyTerm, by_id: dict) -> list[str]:
    names = []
    seen = set()
    while term is not None and term.pk not in seen:
        seen.add(term.pk)
        names.append(term.name)
        term = by_id.get(term.parent_id)
    return names


def refresh_search_text(service_ids: Iterable) -> int:
    """Rebuild the search text of the given services in bulk; returns how many changed."""
    ids = list(service_ids)
    if not ids:
        return 0
    services = list(
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .only(
            "id",
            "name",
            "alternate_name",
            "description",
            "eligibility_description",
            "search_text",
            "organization__name",
            "organization__alternate_name",
        )
    )
    terms_of = defaultdict(list)
    links = ServiceTerm.objects.filter(service_id__in=ids).values_list("service_id", "taxonomy_term_id")
    for service_id, term_id in links:
        terms_of[service_id].append(term_id)
    # Terms are few (hundreds): read them all once, with parents, instead of joining per service.
    by_id = {term.pk: term for term in TaxonomyTerm.objects.only("id", "name", "parent_id")}
    changed = []
    for service in services:
        parts = [service.name, service.alternate_name, service.description, service.eligibility_description]
        if service.organization_id:
            parts += [service.organization.name, service.organization.alternate_name]
        term_names = []
        for term_id in terms_of[service.pk]:
            for name in _term_names(by_id.get(term_id), by_id):
                if name not in term_names:
                    term_names.append(name)
        parts += term_names
        text = " ".join(part.strip() for part in parts if part and part.strip())
        if text != service.search_text:
            service.search_text = text
            changed.append(service)
    Service.objects.bulk_update(changed, ["search_text"], batch_size=1000)
    return len(changed)
