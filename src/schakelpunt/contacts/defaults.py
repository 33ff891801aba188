"""The default taxonomy of life domains and the self-reliance matrix (ZRM).

Seeded into every installation by migration 0003 and configurable afterwards in the admin
site. ``seed_defaults`` is idempotent: it adds what is missing and renames nothing back.
"""

from django.apps import apps as django_apps

# code, name, health related
LIFE_DOMAINS = [
    ("wonen", "Wonen", False),
    ("zorg", "Zorg", True),
    ("welzijn", "Welzijn", False),
    ("mantelzorg", "Mantelzorg", False),
    ("financien", "Financiën", False),
    ("werk-en-inkomen", "Werk en inkomen", False),
    ("vervoer", "Vervoer", False),
    ("sociale-contacten", "Sociale contacten", False),
    ("veiligheid", "Veiligheid", False),
    ("opvoeding", "Opvoeding en opgroeien", False),
    ("huishouden", "Huishouden", False),
    ("dagbesteding", "Dagbesteding", False),
    ("gezondheid", "Lichamelijke gezondheid", True),
    ("geestelijke-gezondheid", "Geestelijke gezondheid", True),
    ("onderwijs", "Onderwijs", False),
]

# The 13 domains of the Zelfredzaamheid-Matrix (ZRM 2017), scored 1 (acute problems) to 5.
ZRM = ("zrm", "Zelfredzaamheid-Matrix (ZRM)", 1, 5)
ZRM_DOMAINS = [
    ("financien", "Financiën"),
    ("werk-opleiding", "Werk en opleiding"),
    ("tijdsbesteding", "Tijdsbesteding"),
    ("huisvesting", "Huisvesting"),
    ("huiselijke-relaties", "Huiselijke relaties"),
    ("geestelijke-gezondheid", "Geestelijke gezondheid"),
    ("lichamelijke-gezondheid", "Lichamelijke gezondheid"),
    ("middelengebruik", "Middelengebruik"),
    ("basale-adl", "Basale ADL"),
    ("instrumentele-adl", "Instrumentele ADL"),
    ("sociaal-netwerk", "Sociaal netwerk"),
    ("maatschappelijke-participatie", "Maatschappelijke participatie"),
    ("justitie", "Justitie"),
]


def seed_defaults(apps=django_apps) -> None:
    LifeDomain = apps.get_model("contacts", "LifeDomain")
    Instrument = apps.get_model("contacts", "AssessmentInstrument")
    Domain = apps.get_model("contacts", "AssessmentDomain")
    for position, (code, name, health) in enumerate(LIFE_DOMAINS):
        LifeDomain.objects.get_or_create(
            code=code, defaults={"name": name, "is_health_related": health, "position": position}
        )
    code, name, low, high = ZRM
    instrument, _ = Instrument.objects.get_or_create(
        code=code, defaults={"name": name, "min_score": low, "max_score": high}
    )
    for position, (domain_code, domain_name) in enumerate(ZRM_DOMAINS):
        Domain.objects.get_or_create(
            instrument=instrument,
            code=domain_code,
            defaults={"name": domain_name, "position": position},
        )
