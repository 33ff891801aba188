"""What the desk holds beyond HSDS, written as HSDS attributes linked to our own taxonomies.

HSDS 3.1 extends through attributes: a record (``link_id``, ``link_entity``) gets a taxonomy
term, with a free ``value``. Four taxonomies of our own carry the desk's fields
(docs/adr, HSDS mapping):

==========================  =====================  ===========================================
taxonomy                    link_entity            term (code) and value
==========================  =====================  ===========================================
capaciteit                  service                ``capacity:<available|waiting_list|full|
                                                   unknown>``, value: the date it was confirmed;
                                                   ``wait_band:<lt2w|2-6w|6-12w|gt12w>``
kosten                      service                ``free``, value ``true`` or ``false``
facet                       taxonomy               ``facet:<category|target_group|other>``
gebied (CBS)                location, service_area ``GM0153`` or ``WK015301``, the CBS code
==========================  =====================  ===========================================

Their ids are fixed (UUID 5 in our namespace), so an export carries them the same every time
and an import recognises them: their terms are never stored as directory terms, their
attributes set the fields instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from schakelpunt.directory.models import Service, Taxonomy

NAMESPACE = uuid.UUID("8f5f3f64-3a3e-5d0c-9a57-6b1c2f0d4e21")
URI_BASE = "urn:schakelpunt:hsds:"


def ext_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


@dataclass(frozen=True)
class ExtTaxonomy:
    key: str
    name: str
    description: str

    @property
    def id(self) -> uuid.UUID:
        return ext_id(f"taxonomy:{self.key}")

    def row(self) -> dict:
        return {
            "id": str(self.id),
            "name": self.name,
            "description": self.description,
            "uri": URI_BASE + self.key,
            "version": "1",
        }


CAPACITY = ExtTaxonomy(
    "capaciteit",
    "Schakelpunt: capaciteit",
    "Of een dienst nu plaats heeft (beschikbaar, wachtlijst met verwachte wachttijd, vol), met "
    "de datum waarop dat is bevestigd in de waarde van het attribuut.",
)
COSTS = ExtTaxonomy(
    "kosten",
    "Schakelpunt: kosten",
    "Of inwoners niets betalen voor een dienst (waarde 'true' of 'false').",
)
FACET = ExtTaxonomy(
    "facet",
    "Schakelpunt: facet van een taxonomie",
    "Waarvoor het loket een taxonomie gebruikt: soort aanbod, doelgroep of overig.",
)
AREA = ExtTaxonomy(
    "gebied",
    "Schakelpunt: gemeente of wijk (CBS)",
    "De gemeente of wijk van een locatie of werkgebied, met de CBS-code als code van de term.",
)
TAXONOMIES = (CAPACITY, COSTS, FACET, AREA)
TAXONOMY_IDS = {taxonomy.id for taxonomy in TAXONOMIES}


def term_id(taxonomy: ExtTaxonomy, code: str) -> uuid.UUID:
    return ext_id(f"term:{taxonomy.key}:{code}")


def term_row(taxonomy: ExtTaxonomy, code: str, name: str) -> dict:
    return {
        "id": str(term_id(taxonomy, code)),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy.name,
        "taxonomy_id": str(taxonomy.id),
        "term_uri": f"{URI_BASE}{taxonomy.key}:{code}",
    }


def fixed_terms() -> list[dict]:
    """The terms of our taxonomies that do not depend on the data (all but the areas)."""
    rows = [term_row(CAPACITY, f"capacity:{value}", str(label)) for value, label in Service.Capacity.choices]
    rows += [
        term_row(CAPACITY, f"wait_band:{value}", str(label))
        for value, label in Service.WaitBand.choices
        if value
    ]
    rows.append(term_row(COSTS, "free", "Gratis"))
    rows += [term_row(FACET, f"facet:{value}", str(label)) for value, label in Taxonomy.Facet.choices]
    return rows


@dataclass(frozen=True)
class Meaning:
    """What an attribute linked to one of our terms says."""

    taxonomy: ExtTaxonomy
    code: str


def meanings() -> dict[uuid.UUID, Meaning]:
    """Term id → meaning, for the fixed terms (area terms are recognised by their taxonomy)."""
    found = {}
    for row in fixed_terms():
        taxonomy = next(t for t in TAXONOMIES if str(t.id) == row["taxonomy_id"])
        found[uuid.UUID(row["id"])] = Meaning(taxonomy, row["code"])
    return found


def attribute_id(kind: str, link_id) -> str:
    return str(ext_id(f"attribute:{kind}:{link_id}"))
