"""Realistic Dutch HSDS service documents, generated: for the benchmark and tests.

``service_documents(10_000)`` gives nested service documents (organisation, a location with
address and opening hours, phone, schedules, service area, language, two taxonomy terms and the
desk's capacity) as an HSDS source would send them. The same seed gives the same documents and
the same ids, so importing twice is a true re-import.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

from schakelpunt.directory.hsds import extension

NAMESPACE = uuid.UUID("1d6a3c1e-54a4-5d57-9f43-0e4b0c6f8a10")

KINDS = [
    ("Schuldhulpverlening", "Hulp bij schulden, een budgetplan en contact met schuldeisers."),
    ("Maaltijdservice", "Warme maaltijden thuisbezorgd voor wie niet zelf kan koken."),
    ("Mantelzorgondersteuning", "Advies, lotgenotencontact en respijtzorg voor mantelzorgers."),
    ("Woningaanpassing", "Advies over en hulp bij aanpassingen in huis, zoals een traplift."),
    ("Huishoudelijke hulp", "Hulp bij het schoonhouden van het huis via de Wmo."),
    ("Dagbesteding", "Een zinvolle dag met activiteiten voor ouderen en mensen met een beperking."),
    ("Formulierenhulp", "Hulp bij het invullen van formulieren en aanvragen bij instanties."),
    ("Buurtbemiddeling", "Vrijwilligers helpen buren om samen een conflict op te lossen."),
    ("Valpreventie", "Training en advies om vallen thuis te voorkomen."),
    ("Eenzaamheidsaanpak", "Huisbezoeken en activiteiten tegen eenzaamheid."),
    ("Taalcafé", "Samen Nederlands oefenen in een ontspannen sfeer."),
    ("Vervoersdienst", "Vervoer met vrijwilligers naar het ziekenhuis of de huisarts."),
    ("Jongerenwerk", "Ontmoeting, sport en begeleiding voor jongeren in de wijk."),
    ("Opvoedondersteuning", "Gesprekken en cursussen voor ouders met vragen over opvoeden."),
    ("Sociaal raadslieden", "Gratis advies over toeslagen, uitkeringen en juridische vragen."),
    ("Thuisadministratie", "Vrijwilligers helpen thuis met de post en de administratie."),
]
ORGANISATIONS = [
    "Stichting Welzijn",
    "Zorggroep",
    "Woonstichting",
    "Humanitas",
    "Buurtzorg",
    "Vrijwilligerscentrale",
    "Stichting MEE",
    "GGD",
    "Leger des Heils",
    "Zonnebloem",
]
PLACES = [
    ("Enschede", "Overijssel", "75"),
    ("Hengelo", "Overijssel", "75"),
    ("Almelo", "Overijssel", "76"),
    ("Oldenzaal", "Overijssel", "75"),
    ("Haaksbergen", "Overijssel", "74"),
    ("Losser", "Overijssel", "75"),
]
STREETS = ["Hoofdstraat", "Kerkstraat", "Stationsplein", "Marktstraat", "Molenweg", "Schoolstraat"]
TERMS = [
    ("WON", "Wonen"),
    ("ZRG", "Zorg"),
    ("WEL", "Welzijn"),
    ("FIN", "Geldzaken"),
    ("MAN", "Mantelzorg"),
    ("OUD", "Ouderen"),
    ("JNG", "Jongeren"),
    ("BEP", "Mensen met een beperking"),
]
DAYS = ["MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "MO,TU,WE,TH", "SA"]


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def _taxonomy() -> dict:
    return {
        "id": _id("taxonomy"),
        "name": "Synthetische sociale kaart",
        "description": "Termen van de gegenereerde sociale kaart",
    }


def _term(code: str, name: str) -> dict:
    return {
        "id": _id("term", code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy_detail": _taxonomy(),
    }


def service_documents(count: int, *, seed: int = 1, organisations: int | None = None) -> Iterator[dict]:
    """``count`` nested HSDS service documents, about twenty per organisation."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    organisations = organisations or max(count // 20, 1)
    capacity_terms = {
        code: str(extension.term_id(extension.CAPACITY, f"capacity:{code}"))
        for code in ("available", "waiting_list", "full")
    }
    for number in range(count):
        org = number % organisations
        city, province, postcode = PLACES[org % len(PLACES)]
        kind, description = KINDS[rng.randrange(len(KINDS))]
        org_name = f"{ORGANISATIONS[org % len(ORGANISATIONS)]} {city} {org}"
        location_number = rng.randrange(2)
        location_id = _id("location", org, location_number)
        service_id = _id("service", number)
        link_id = _id("sal", number)
        capacity = rng.choice(["available", "available", "waiting_list", "full"])
        terms = rng.sample(TERMS, 2)
        opens = rng.choice([8, 9, 10, 13])
        document = {
            "id": service_id,
            "name": f"{kind} {city} {number}",
            "description": f"{description} Voor inwoners van {city} en omgeving.",
            "email": f"info{org}@{city.lower()}.example.nl",
            "url": f"https://{city.lower()}.example.nl/aanbod/{number}",
            "status": rng.choice(["active"] * 9 + ["inactive"]),
            "application_process": "Bel of mail ons, of kom langs op het inloopspreekuur.",
            "eligibility_description": f"Inwoners van {city}.",
            "minimum_age": rng.choice([0, 12, 18, 55, 65]),
            "assured_date": f"2026-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
            "organization": {
                "id": _id("organization", org),
                "name": org_name,
                "description": f"{org_name} werkt in {city} aan wonen, zorg en welzijn.",
                "email": f"info{org}@{city.lower()}.example.nl",
                "website": f"https://{city.lower()}.example.nl",
            },
            "service_at_locations": [
                {
                    "id": link_id,
                    "location": {
                        "id": location_id,
                        "location_type": "physical",
                        "name": f"Wijkcentrum {STREETS[(org + location_number) % len(STREETS)]} {city}",
                        "organization_id": _id("organization", org),
                        "addresses": [
                            {
                                "id": _id("address", org, location_number),
                                "address_1": f"{STREETS[org % len(STREETS)]} {org % 200 + 1}",
                                "city": city,
                                "state_province": province,
                                "postal_code": f"{postcode}{org % 90 + 10} AB",
                                "country": "NL",
                                "address_type": "physical",
                            }
                        ],
                    },
                }
            ],
            "phones": [{"id": _id("phone", number), "number": f"053 {number % 1000:03d} {org % 100:02d} 00"}],
            "schedules": [
                {
                    "id": _id("schedule", number, day),
                    "freq": "WEEKLY",
                    "byday": rng.choice(DAYS),
                    "opens_at": f"{opens + 4 * day:02d}:00",
                    "closes_at": f"{opens + 4 * day + 3:02d}:30",
                }
                for day in range(2)
            ],
            "service_areas": [{"id": _id("area", number), "name": city}],
            "languages": [{"id": _id("language", number), "name": "Nederlands", "code": "nl"}],
            "attributes": [
                {"id": _id("attribute", number, code), "taxonomy_term": _term(code, name)}
                for code, name in terms
            ]
            + [
                {
                    "id": _id("capacity", number),
                    "taxonomy_term_id": capacity_terms[capacity],
                    "link_type": "capacity",
                    "value": "2026-05-01",
                }
            ],
        }
        yield document
