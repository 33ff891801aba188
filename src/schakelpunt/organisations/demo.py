"""Demo region: three municipalities in Twente, two desks, ten participating organisations."""

import datetime
import random
from decimal import Decimal

from schakelpunt.organisations.models import (
    Desk,
    District,
    Location,
    Municipality,
    OpeningHours,
    Organisation,
    Participation,
    PostcodeArea,
    Region,
)

MUNICIPALITIES = [("GM0153", "Enschede"), ("GM0164", "Hengelo"), ("GM0173", "Oldenzaal")]
T = Organisation.Type
ORGANISATIONS = [
    ("Gemeente Enschede", T.MUNICIPALITY, "GM0153"),
    ("Gemeente Hengelo", T.MUNICIPALITY, "GM0164"),
    ("Gemeente Oldenzaal", T.MUNICIPALITY, "GM0173"),
    ("Woonstichting Twentse Veste", T.HOUSING_CORPORATION, None),
    ("Thuiszorg Tukkerland", T.CARE_PROVIDER, None),
    ("Zorggroep Dinkeldal", T.CARE_PROVIDER, None),
    ("Welzijn Twente Samen", T.WELFARE, None),
    ("Zorgkantoor Oost", T.CARE_OFFICE, None),
    ("CIZ", T.CIZ, None),
    ("Cliëntenraad Sociaal Domein Twente", T.CLIENT_ORGANISATION, None),
]
C = Participation.CollaborationModel
# desk slug → (organisation, roles, collaboration model, yearly contribution)
PARTICIPATIONS = {
    "zorgloket-enschede": [
        (
            "Gemeente Enschede",
            {"is_front_office", "is_financier", "is_initiator"},
            C.CONTRACT,
            185000,
        ),
        ("Woonstichting Twentse Veste", {"is_back_office", "is_financier"}, C.AGREEMENT, 25000),
        ("Thuiszorg Tukkerland", {"is_front_office", "is_back_office"}, C.AGREEMENT, 12500),
        ("Zorggroep Dinkeldal", {"is_back_office"}, C.LETTER_OF_INTENT, 0),
        ("Welzijn Twente Samen", {"is_front_office", "is_back_office"}, C.CONTRACT, 0),
        ("Zorgkantoor Oost", {"is_back_office", "is_financier"}, C.AGREEMENT, 15000),
        ("CIZ", {"is_back_office"}, C.VERBAL, 0),
        ("Cliëntenraad Sociaal Domein Twente", {"is_initiator"}, C.LETTER_OF_INTENT, 0),
    ],
    "loket-hengelo-oldenzaal": [
        (
            "Gemeente Hengelo",
            {"is_front_office", "is_financier", "is_initiator"},
            C.LEGAL_ENTITY,
            140000,
        ),
        ("Gemeente Oldenzaal", {"is_financier"}, C.LEGAL_ENTITY, 45000),
        ("Woonstichting Twentse Veste", {"is_back_office"}, C.AGREEMENT, 10000),
        ("Zorggroep Dinkeldal", {"is_front_office", "is_back_office"}, C.AGREEMENT, 7500),
        ("Welzijn Twente Samen", {"is_front_office"}, C.CONTRACT, 0),
        ("CIZ", {"is_back_office"}, C.VERBAL, 0),
    ],
}
DESKS = [
    {
        "slug": "zorgloket-enschede",
        "name": "Zorgloket Enschede",
        "description": "Eén loket voor al uw vragen over wonen, zorg en welzijn in Enschede.",
        "phone": "053 481 00 00",
        "email": "zorgloket@enschede.example",
        "municipalities": ["GM0153"],
        "locations": [
            (
                "Stadskantoor",
                "Hengelosestraat",
                51,
                "7514 AD",
                "Enschede",
                "GM0153",
                "Rolstoeltoegankelijk, invalidenparkeerplaats, ringleiding",
            ),
            (
                "Wijkcentrum De Bron",
                "Pathmossingel",
                200,
                "7513 CM",
                "Enschede",
                "GM0153",
                "Rolstoeltoegankelijk",
            ),
        ],
    },
    {
        "slug": "loket-hengelo-oldenzaal",
        "name": "Loket Wonen Zorg Welzijn Hengelo-Oldenzaal",
        "description": "Het gezamenlijke loket van Hengelo en Oldenzaal.",
        "phone": "074 245 00 00",
        "email": "loket@hengelo-oldenzaal.example",
        "municipalities": ["GM0164", "GM0173"],
        "locations": [
            (
                "Stadhuis Hengelo",
                "Hazemeijerplein",
                1,
                "7551 EJ",
                "Hengelo",
                "GM0164",
                "Rolstoeltoegankelijk",
            ),
            ("Servicepunt Oldenzaal", "Ganzenmarkt", 1, "7571 CD", "Oldenzaal", "GM0173", ""),
        ],
    },
]
H = datetime.time
# CBS district codes and names; four-digit postcode areas that lie (mostly) in each.
DISTRICTS = {
    "GM0153": [
        ("WK015300", "Centrum", ["7511", "7512"]),
        ("WK015301", "Noord", ["7523", "7524"]),
        ("WK015302", "Oost", ["7531", "7532", "7533"]),
        ("WK015303", "Zuid", ["7541", "7542", "7543"]),
        ("WK015304", "West", ["7513", "7514"]),
        ("WK015305", "Glanerbrug", ["7534", "7535"]),
    ],
    "GM0164": [
        ("WK016400", "Hengelo Centrum", ["7551"]),
        ("WK016401", "Hengelo Noord", ["7552", "7553", "7554"]),
        ("WK016402", "Hengelo Zuid", ["7555", "7556", "7557"]),
    ],
    "GM0173": [
        ("WK017300", "Oldenzaal Centrum", ["7571"]),
        ("WK017301", "Oldenzaal Buitengebied", ["7572", "7573", "7574", "7575"]),
    ],
}


def load(*, rng: random.Random, fake, stdout) -> None:
    region, _ = Region.objects.get_or_create(name="Twente")
    municipalities = {}
    for code, name in MUNICIPALITIES:
        municipalities[code], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "region": region}
        )
    for code, districts in DISTRICTS.items():
        for district_code, name, postcodes in districts:
            district, _ = District.objects.update_or_create(
                code=district_code, defaults={"name": name, "municipality": municipalities[code]}
            )
            for postcode in postcodes:
                PostcodeArea.objects.update_or_create(postcode=postcode, defaults={"district": district})
    organisations = {}
    for name, kind, code in ORGANISATIONS:
        slug = name.lower().replace(" ", "").replace("ë", "e")
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "type": kind,
                "municipality": municipalities.get(code),
                "email": f"info@{slug}.example",
                "phone": fake.phone_number()[:20],
            },
        )
    for spec in DESKS:
        desk, _ = Desk.objects.update_or_create(
            slug=spec["slug"],
            defaults={key: spec[key] for key in ("name", "description", "phone", "email")},
        )
        desk.municipalities.set([municipalities[code] for code in spec["municipalities"]])
        for index, (name, street, number, postcode, town, code, access) in enumerate(spec["locations"]):
            location, _ = Location.objects.update_or_create(
                desk=desk,
                name=name,
                defaults={
                    "street": street,
                    "house_number": number,
                    "postcode": postcode,
                    "town": town,
                    "municipality": municipalities[code],
                    "accessibility": access,
                },
            )
            _opening_hours(location, main=index == 0)
        for org_name, roles, model, contribution in PARTICIPATIONS[spec["slug"]]:
            Participation.objects.update_or_create(
                desk=desk,
                organisation=organisations[org_name],
                defaults={
                    "is_front_office": "is_front_office" in roles,
                    "is_back_office": "is_back_office" in roles,
                    "is_financier": "is_financier" in roles,
                    "is_initiator": "is_initiator" in roles,
                    "collaboration_model": model,
                    "agreement_start": datetime.date(2024, 1, 1) if model != C.VERBAL else None,
                    "agreement_end": datetime.date(2027, 12, 31) if model == C.CONTRACT else None,
                    "yearly_contribution": Decimal(contribution),
                },
            )
    stdout.write(
        f"Demo region {region}: {len(MUNICIPALITIES)} municipalities, "
        f"{len(ORGANISATIONS)} organisations, {len(DESKS)} desks."
    )


def _opening_hours(location: Location, *, main: bool) -> None:
    K = OpeningHours.Kind
    if main:
        wanted = [(K.OPENING, day, H(9), H(17), "") for day in range(4)]
        wanted += [(K.OPENING, 4, H(9), H(12, 30), "")]
        wanted += [(K.OPENING, 3, H(18), H(20), "Avondopenstelling, alleen op afspraak")]
    else:
        wanted = [
            (K.DISTRICT, 1, H(14), H(16), "Wijkspreekuur, zonder afspraak"),
            (K.DISTRICT, 3, H(10), H(12), "Wijkspreekuur, zonder afspraak"),
        ]
    for kind, weekday, opens, closes, note in wanted:
        OpeningHours.objects.update_or_create(
            location=location,
            kind=kind,
            weekday=weekday,
            opens=opens,
            defaults={"closes": closes, "note": note},
        )
