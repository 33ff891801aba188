"""The Dutch taxonomies of the social map: what a service offers, and for whom.

Seeded into every installation by migration 0003 and maintained afterwards in the admin site.
Every taxonomy and term has a fixed id (a UUID derived from its code), so that the HSDS export
of any installation names the same term with the same id. ``seed_taxonomies`` is idempotent:
it adds what is missing and changes nothing an administrator has renamed or described.

Codes are hierarchical: the part before the first ``-`` is the main category (``WON``), a
sub-category adds a part (``WON-HUUR``).
"""

import uuid

from django.apps import apps as django_apps

# Never change this namespace: every id below is derived from it.
NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4c1e-9a43-2d8f0b6e7c15")


def fixed_id(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{code}")


CATEGORY_TAXONOMY = {
    "code": "schakelpunt-aanbod",
    "name": "Schakelpunt sociale kaart – aanbod",
    "description": "Soorten aanbod op het gebied van wonen, zorg en welzijn, in twee niveaus.",
    "facet": "category",
    "version": "2026.1",
}
TARGET_GROUP_TAXONOMY = {
    "code": "schakelpunt-doelgroepen",
    "name": "Doelgroepen",
    "description": "Voor wie een dienst in het bijzonder bedoeld is.",
    "facet": "target_group",
    "version": "2026.1",
}

# code, name, description; a code with a "-" is a sub-category of the part before it.
CATEGORY_TERMS = [
    ("WON", "Wonen", "Alles rond een passende en betaalbare woning."),
    (
        "WON-ZOEK",
        "Woning zoeken en urgentie",
        "Inschrijven als woningzoekende, zoeken naar een woning en een urgentieverklaring aanvragen.",
    ),
    (
        "WON-HUUR",
        "Huurtoeslag en huurachterstand",
        "Hulp bij huurtoeslag, huurverhoging en het voorkomen van huisuitzetting bij een huurachterstand.",
    ),
    (
        "WON-AANP",
        "Woningaanpassing",
        "Aanpassingen in en om de woning, zoals een traplift, drempels weg of een aangepaste badkamer.",
    ),
    (
        "WON-BESCH",
        "Beschermd en begeleid wonen",
        "Wonen met begeleiding of toezicht voor wie (nog) niet zelfstandig kan wonen.",
    ),
    (
        "WON-OPV",
        "Maatschappelijke opvang",
        "Nachtopvang, crisisopvang en tijdelijk onderdak voor wie geen woning heeft.",
    ),
    ("WON-KLUS", "Klussendienst en onderhoud", "Hulp bij kleine klussen en onderhoud in en om het huis."),
    ("ZORG", "Zorg", "Zorg en ondersteuning thuis en in de buurt."),
    ("ZORG-HH", "Huishoudelijke hulp", "Hulp bij het schoonhouden van het huis, de was en boodschappen."),
    ("ZORG-BEG", "Begeleiding", "Individuele begeleiding bij het regelen van het dagelijks leven."),
    ("ZORG-DAG", "Dagbesteding", "Een zinvolle dag in een groep, met structuur en contact met anderen."),
    (
        "ZORG-PV",
        "Persoonlijke verzorging en verpleging",
        "Hulp bij wassen, aankleden en medicijnen, en verpleging thuis (wijkverpleging).",
    ),
    ("ZORG-MZ", "Mantelzorgondersteuning", "Informatie, advies en steun voor wie voor een naaste zorgt."),
    (
        "ZORG-RESP",
        "Respijtzorg",
        "Tijdelijke overname van de zorg, zodat de mantelzorger even op adem kan komen.",
    ),
    (
        "ZORG-HULPM",
        "Hulpmiddelen",
        "Rolstoelen, scootmobielen en andere hulpmiddelen, te leen, te huur of via de Wmo.",
    ),
    (
        "ZORG-GGZ",
        "Geestelijke gezondheidszorg",
        "Hulp bij psychische klachten, van een eerste gesprek tot behandeling.",
    ),
    ("ZORG-ALARM", "Personenalarmering", "Een alarmknop waarmee iemand thuis snel hulp kan inroepen."),
    ("ZORG-DEM", "Dementie", "Casemanagement, ontmoetingscentra en advies bij (vermoeden van) dementie."),
    ("ZORG-VERSL", "Verslavingszorg", "Hulp bij problemen met alcohol, drugs, gokken of gamen."),
    ("WEL", "Welzijn", "Meedoen, elkaar ontmoeten en steun in de buurt."),
    (
        "WEL-ONTM",
        "Ontmoeting",
        "Plekken en activiteiten om andere mensen te ontmoeten, zoals een buurthuis of inloop.",
    ),
    (
        "WEL-VRIJW",
        "Vrijwilligerswerk",
        "Vrijwilligerswerk vinden, en vrijwilligers die bij mensen thuis helpen.",
    ),
    (
        "WEL-MW",
        "Maatschappelijk werk",
        "Gesprekken en hulp bij persoonlijke, relationele en praktische problemen.",
    ),
    (
        "WEL-COND",
        "Cliëntondersteuning",
        "Onafhankelijke, gratis hulp bij het vinden van de juiste zorg en ondersteuning.",
    ),
    ("WEL-EENZ", "Eenzaamheid", "Steun voor wie zich eenzaam voelt: bezoek, een maatje of een gesprek."),
    ("WEL-VERV", "Vervoer", "Vervoer op maat, vrijwillige chauffeurs en een regiotaxi."),
    ("WEL-MAALT", "Maaltijden", "Maaltijdservice aan huis en samen eten in de buurt."),
    ("WEL-BEWEG", "Sport en bewegen", "Bewegen in de buurt, ook voor ouderen en mensen met een beperking."),
    ("FIN", "Geld", "Rondkomen en grip houden op geldzaken."),
    ("FIN-SCHULD", "Schuldhulp", "Hulp bij schulden: van een eerste gesprek tot een schuldregeling."),
    (
        "FIN-INK",
        "Inkomensondersteuning",
        "Bijstand, bijzondere bijstand, toeslagen en regelingen voor een laag inkomen.",
    ),
    ("FIN-ADM", "Formulierenhulp en administratie", "Hulp bij formulieren, post en de eigen administratie."),
    (
        "FIN-BEWIND",
        "Bewindvoering en budgetbeheer",
        "Een bewindvoerder of budgetbeheerder die de financiën overneemt of meebeheert.",
    ),
    ("FIN-VOEDSEL", "Voedselbank", "Voedselpakketten voor huishoudens die tijdelijk niet rondkomen."),
    ("JEUGD", "Jeugd en gezin", "Opgroeien en opvoeden."),
    ("JEUGD-OPV", "Opvoedondersteuning", "Advies en steun bij vragen over opvoeden en opgroeien."),
    (
        "JEUGD-JGZ",
        "Jeugdgezondheidszorg",
        "Het consultatiebureau en de jeugdarts en -verpleegkundige op school.",
    ),
    (
        "JEUGD-HULP",
        "Jeugdhulp",
        "Hulp voor kinderen en jongeren met problemen thuis, op school of met hun gedrag.",
    ),
    ("JEUGD-JW", "Jongerenwerk", "Activiteiten en een luisterend oor voor jongeren in de wijk."),
    ("WERK", "Werk en participatie", "Aan het werk komen en blijven, en meedoen in de samenleving."),
    (
        "WERK-REINT",
        "Werk zoeken en re-integratie",
        "Begeleiding naar betaald werk, ook met een afstand tot de arbeidsmarkt.",
    ),
    ("WERK-BESCH", "Beschut en aangepast werk", "Werk in een beschutte of aangepaste omgeving."),
    ("WERK-TAAL", "Taal en inburgering", "Nederlands leren, taalmaatjes en hulp bij inburgering."),
    ("WERK-DIGI", "Digitale vaardigheden", "Leren omgaan met computer, smartphone en DigiD."),
    ("VEIL", "Veiligheid", "Veilig thuis en in de buurt."),
    ("VEIL-HG", "Huiselijk geweld", "Hulp bij geweld in huis, ook voor kinderen en ouderen."),
    ("VEIL-VT", "Veilig Thuis", "Het advies- en meldpunt huiselijk geweld en kindermishandeling."),
    ("VEIL-BUURT", "Buurtbemiddeling", "Bemiddeling bij conflicten tussen buren."),
    ("VEIL-SLACHT", "Slachtofferhulp", "Steun na een misdrijf, ongeval of calamiteit."),
    ("RECHT", "Recht en advies", "Juridische vragen en geschillen."),
    (
        "RECHT-JUR",
        "Juridisch advies",
        "Gratis of goedkoop juridisch advies, bijvoorbeeld bij het Juridisch Loket.",
    ),
    (
        "RECHT-KLACHT",
        "Klachten en bezwaar",
        "Hulp bij een klacht over zorg of een bezwaar tegen een besluit.",
    ),
]

TARGET_GROUP_TERMS = [
    ("DG-OUD", "Ouderen", "Inwoners van 65 jaar en ouder."),
    ("DG-JONG", "Jongeren", "Jongeren van 12 tot 27 jaar."),
    ("DG-GEZIN", "Gezinnen met kinderen", "Ouders en verzorgers met kinderen tot 18 jaar."),
    (
        "DG-BEP",
        "Mensen met een beperking",
        "Mensen met een lichamelijke, verstandelijke of zintuiglijke beperking.",
    ),
    ("DG-MZ", "Mantelzorgers", "Wie langdurig en onbetaald voor een naaste zorgt."),
    (
        "DG-NIEUW",
        "Statushouders en nieuwkomers",
        "Nieuwe inwoners uit het buitenland, onder wie statushouders.",
    ),
    ("DG-SCHULD", "Mensen met schulden", "Huishoudens met (dreigende) betalingsachterstanden of schulden."),
    ("DG-DAK", "Dak- en thuislozen", "Mensen zonder vaste woon- of verblijfplaats."),
    (
        "DG-PSY",
        "Mensen met psychische problemen",
        "Mensen met psychische klachten of een psychische aandoening.",
    ),
    ("DG-LAAGG", "Laaggeletterden", "Mensen die moeite hebben met lezen, schrijven of rekenen."),
    ("DG-DEM", "Mensen met dementie", "Mensen met (een vermoeden van) dementie en hun naasten."),
    ("DG-CHRON", "Chronisch zieken", "Mensen met een langdurige ziekte."),
    ("DG-EENZ", "Eenzame inwoners", "Inwoners met weinig contact met anderen."),
    ("DG-SLACHT", "Slachtoffers van geweld", "Wie te maken heeft (gehad) met geweld of misbruik."),
]

TAXONOMIES = [(CATEGORY_TAXONOMY, CATEGORY_TERMS), (TARGET_GROUP_TAXONOMY, TARGET_GROUP_TERMS)]


def parent_code(code: str) -> str | None:
    return code.rsplit("-", 1)[0] if "-" in code and not code.startswith("DG-") else None


def term_id(code: str) -> uuid.UUID:
    return fixed_id("term", code)


def seed_taxonomies(apps=django_apps) -> None:
    """Add the taxonomies and their terms where missing (by their fixed ids)."""
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for spec, terms in TAXONOMIES:
        taxonomy, _ = Taxonomy.objects.get_or_create(
            id=fixed_id("taxonomy", spec["code"]),
            defaults={key: spec[key] for key in ("name", "description", "facet", "version")},
        )
        existing = set(
            TaxonomyTerm.objects.filter(id__in=[term_id(code) for code, _n, _d in terms]).values_list(
                "id", flat=True
            )
        )
        # Parents come before their children in the lists, so one pass in order will do.
        for code, name, description in terms:
            if term_id(code) in existing:
                continue
            parent = parent_code(code)
            TaxonomyTerm.objects.create(
                id=term_id(code),
                taxonomy_detail=taxonomy,
                taxonomy=taxonomy.name,
                code=code,
                name=name,
                description=description,
                parent_id=term_id(parent) if parent else None,
                language="nl",
            )
