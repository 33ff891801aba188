"""Demo contacts: a year at the Zorgloket Enschede, so that the desk looks lived-in.

About 3,500 contact moments over the last twelve months with their questions, outcomes
(unmet needs included), follow-ups and self-reliance measurements. Only the Enschede desk
gets contacts: it is the one with demo staff. Written with bulk_create (demo rows, no
access-log rows), deterministic for a seed, dates relative to today; skipped when the desk
already has contacts handled by the demo staff, so running the demo twice changes nothing.
"""

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field

import holidays
from django.utils import timezone

from schakelpunt.accounts.models import User
from schakelpunt.contacts.models import (
    Assessment,
    AssessmentInstrument,
    AssessmentScore,
    Contact,
    FollowUp,
    LifeDomain,
    Question,
    QuestionChange,
)
from schakelpunt.organisations.models import Desk, Location, OpeningHours, Organisation
from schakelpunt.residents.demo import historical_timestamps, is_female
from schakelpunt.residents.models import Consent, Representation, Resident

CONTACTS = 3500  # a module constant, so that a test can make the demo smaller
DESK_SLUG = "zorgloket-enschede"
STAFF = ["frontoffice", "vrijwilliger", "consulent", "coordinator"]

Ch = Contact.Channel
O = Question.Outcome  # noqa: E741
R = Question.UnmetReason
CHANNEL_SHARE = {
    Ch.PHONE: 45,
    Ch.DESK: 25,
    Ch.EMAIL: 10,
    Ch.HOME_VISIT: 8,
    Ch.ONLINE: 7,
    Ch.DISTRICT_HOURS: 5,
}
# Chance that a contact is anonymous, per channel: about 15% overall.
ANONYMOUS_SHARE = {
    Ch.PHONE: 0.18,
    Ch.DESK: 0.15,
    Ch.EMAIL: 0.08,
    Ch.HOME_VISIT: 0.0,
    Ch.ONLINE: 0.25,
    Ch.DISTRICT_HOURS: 0.2,
}
# Busier in winter, quiet in the summer holidays; Monday is the busiest day.
SEASON = {1: 1.25, 2: 1.2, 3: 1.05, 4: 0.95, 5: 0.9, 6: 0.85, 7: 0.65, 8: 0.7, 9: 0.95, 10: 1.05}
SEASON |= {11: 1.15, 12: 1.0}
WEEKDAY_LOAD = [1.25, 1.05, 1.0, 1.0, 0.9, 0.45, 0.4]  # the last two only for e-mail and online
# Who handles which channel, and on which weekdays they work.
HANDLERS = {
    Ch.PHONE: {"frontoffice": 55, "vrijwilliger": 25, "consulent": 12, "coordinator": 8},
    Ch.DESK: {"frontoffice": 50, "vrijwilliger": 35, "consulent": 10, "coordinator": 5},
    Ch.EMAIL: {"frontoffice": 60, "consulent": 25, "coordinator": 15},
    Ch.ONLINE: {"frontoffice": 60, "consulent": 25, "coordinator": 15},
    Ch.HOME_VISIT: {"consulent": 75, "vrijwilliger": 25},
    Ch.DISTRICT_HOURS: {"vrijwilliger": 60, "frontoffice": 40},
}
WORKDAYS = {"frontoffice": {0, 1, 2, 3, 4}, "vrijwilliger": {1, 3}, "consulent": {0, 1, 2, 3}}
WORKDAYS["coordinator"] = {0, 1, 2, 3, 4}
# Duration in minutes: (median, spread, shortest, longest).
DURATION = {
    Ch.PHONE: (9, 0.55, 2, 45),
    Ch.DESK: (17, 0.45, 5, 60),
    Ch.EMAIL: (8, 0.4, 3, 25),
    Ch.ONLINE: (7, 0.4, 3, 20),
    Ch.HOME_VISIT: (60, 0.3, 30, 120),
    Ch.DISTRICT_HOURS: (15, 0.4, 5, 40),
}
HOME_VISIT_HOURS = (datetime.time(9, 30), datetime.time(16, 0))
ONLINE_HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 1, 2, 5, 7, 8, 7, 5, 5, 6, 6, 5, 4, 3, 5, 6, 5, 3, 1]
OPEN_HOLIDAYS = {"Goede vrijdag"}  # the desk is open on Good Friday

# What usually happens when someone comes back about a question asked before.
AGAIN_OUTCOMES = {O.INFORMATION: 30, O.ADVICE: 22, O.REFERRED: 22, O.WMO_REPORT: 18, O.SIGNPOSTED: 2}
AGAIN_OUTCOMES |= {O.NO_SUPPLY: 6}
DEFAULT_UNMET = {
    R.NOT_AVAILABLE: 25,
    R.NOT_ELIGIBLE: 25,
    R.NO_CAPACITY: 20,
    R.WAITING_LIST: 20,
    R.REFUSED: 10,
}
# Chance that a question with this outcome is closed during the contact itself.
CLOSED_AT_ONCE = {O.INFORMATION: 0.85, O.ADVICE: 0.75, O.SIGNPOSTED: 0.9, O.REFERRED: 0.25}
CLOSED_AT_ONCE |= {O.WMO_REPORT: 0.3, O.NO_SUPPLY: 0.5}
# At most this many days until a question with this outcome is closed, when not at once.
CLOSING_DAYS = {O.REFERRED: 21, O.WMO_REPORT: 10, O.NO_SUPPLY: 30}

ANSWERS = {
    O.INFORMATION: [
        "Informatie gegeven over {topic}.",
        "Uitgelegd hoe het zit met {topic} en hoe je het aanvraagt.",
        "Folder over {topic} meegegeven en doorgesproken.",
        "Informatie over {topic} per e-mail nagestuurd.",
    ],
    O.ADVICE: [
        "Advies gegeven over {topic}; de inwoner probeert het eerst zelf.",
        "Samen de mogelijkheden voor {topic} op een rij gezet en advies gegeven.",
        "Geadviseerd over {topic}; eerst met de familie overleggen.",
    ],
    O.REFERRED: [
        "Doorverwezen naar {partner} voor {topic}; toestemming voor het delen van gegevens vastgelegd.",
        "Aangemeld bij {partner} voor {topic}. {partner} neemt contact op.",
        "Warme overdracht aan {partner} voor {topic}.",
    ],
    O.WMO_REPORT: [
        "Wmo-melding gedaan voor {topic}. Een consulent neemt binnen een week contact op.",
        "Melding Wmo voor {topic} doorgezet; gratis cliëntondersteuning aangeboden.",
        "Wmo-melding voor {topic}; afspraak voor een gesprek thuis wordt gepland.",
    ],
    O.SIGNPOSTED: [
        "Verwezen naar {elsewhere}.",
        "Uitgelegd dat {elsewhere} hiervoor het aanspreekpunt is; contactgegevens meegegeven.",
    ],
}
UNMET_ANSWERS = {
    R.NOT_AVAILABLE: "Er is geen passend aanbod voor {topic} in de gemeente. Gesignaleerd.",
    R.NOT_ELIGIBLE: "Komt niet in aanmerking voor {topic}; andere mogelijkheden besproken.",
    R.NO_CAPACITY: "Geen plek beschikbaar voor {topic}; inwoner wordt gebeld als er ruimte is.",
    R.WAITING_LIST: "Aangemeld, maar er is een wachtlijst voor {topic} (ongeveer {weken} weken).",
    R.REFUSED: "Aanbod voor {topic} besproken, maar de inwoner wil dit (nog) niet.",
}
GENERIC_AGAIN = ["Ik heb nog een vraag over {topic}.", "Ik kom terug op het gesprek over {topic}."]
CHECK_IN_RESULTS = [
    "Hulp is gestart; inwoner is tevreden.",
    "Eerste afspraak heeft plaatsgevonden.",
    "Nog geen contact gehad; opnieuw doorgegeven aan de organisatie.",
    "Inwoner heeft de hulp zelf geregeld.",
    "Hulp loopt; geen actie meer nodig.",
]
CALL_BACK_RESULTS = [
    "Teruggebeld en de uitkomst besproken.",
    "Teruggebeld; informatie nagestuurd.",
    "Niet bereikt, voicemail ingesproken; later wel gesproken.",
]
CALL_BACK_NOTES = [
    "Terugbellen als de informatie binnen is.",
    "Navragen of het gesprek met de consulent is ingepland.",
    "Bellen over de uitkomst van het overleg.",
    "Terugbellen over de mogelijkheden.",
]
PROFESSIONALS = [
    "wijkverpleegkundige Thuiszorg Tukkerland",
    "praktijkondersteuner huisartsenpraktijk",
    "maatschappelijk werker Welzijn Twente Samen",
    "medewerker Woonstichting Twentse Veste",
    "transferverpleegkundige ziekenhuis",
]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september"]
MONTHS += ["oktober", "november", "december"]
# ZRM domain that a question in a life domain shows most, for the self-reliance scores.
ZRM_FOCUS = {
    "wonen": "huisvesting",
    "financien": "financien",
    "werk-en-inkomen": "werk-opleiding",
    "sociale-contacten": "sociaal-netwerk",
    "mantelzorg": "huiselijke-relaties",
    "geestelijke-gezondheid": "geestelijke-gezondheid",
    "gezondheid": "lichamelijke-gezondheid",
    "zorg": "basale-adl",
    "huishouden": "instrumentele-adl",
    "dagbesteding": "tijdsbesteding",
    "vervoer": "maatschappelijke-participatie",
    "veiligheid": "huiselijke-relaties",
    "welzijn": "maatschappelijke-participatie",
    "opvoeding": "huiselijke-relaties",
    "onderwijs": "werk-opleiding",
}


@dataclass(frozen=True)
class Need:
    """What people ask about: the words they use, the need behind them, what usually follows.

    ``ages`` weighs how often people under 40, 40 to 64 and 65 or older ask it; ``anonymous``
    how often it is asked without a name. ``about`` are the words of someone asking for the
    resident ({Wie}: "Mijn moeder", "Mevrouw Jansen"). Other placeholders: {relatie} (whom a carer
    cares for), {partnerrol} (man or vrouw), {jaren}, {weken}, {maand} and, in answers, {topic},
    {partner} (the organisation referred to) and {elsewhere} (where someone is signposted to).
    """

    code: str
    domains: tuple[str, ...]
    asks: tuple[str, ...]
    clarifications: tuple[str, ...]
    topic: str
    ages: tuple[int, int, int]
    outcomes: dict
    partner: str = "Welzijn Twente Samen"
    elsewhere: str = "de huisarts"
    unmet: dict = field(default_factory=lambda: DEFAULT_UNMET)
    unmet_answer: str = ""
    again: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    health: tuple[str, ...] = ()
    urgency: tuple[int, int, int] = (85, 12, 3)
    anonymous: int = 0


NEEDS = [
    # --- wonen ---
    Need(
        "trap",
        ("wonen", "gezondheid"),
        (
            "Ik kan de trap niet meer op.",
            "De trap wordt te zwaar en mijn slaapkamer is boven.",
            "Kan ik een traplift krijgen?",
        ),
        (
            "Slaapkamer en badkamer zijn boven; loopt slecht sinds een heupoperatie. Wil graag thuis "
            "blijven wonen. Mogelijkheden: traplift via de Wmo, bed beneden of gelijkvloers wonen.",
            "Valt bijna op de trap; eigen woning, de kinderen wonen ver weg. Zoekt een oplossing die "
            "snel geregeld is.",
            "Huurwoning met trap; slaapt nu in de stoel beneden. Wil liever verhuizen dan een traplift.",
        ),
        "een traplift of gelijkvloers wonen",
        (1, 5, 30),
        {O.INFORMATION: 12, O.ADVICE: 13, O.WMO_REPORT: 55, O.REFERRED: 12, O.NO_SUPPLY: 8},
        partner="Woonstichting Twentse Veste",
        unmet={R.NOT_ELIGIBLE: 40, R.WAITING_LIST: 40, R.REFUSED: 20},
        again=(
            "Hoe staat het met de aanvraag voor de traplift?",
            "De consulent is geweest; wanneer wordt de traplift geplaatst?",
        ),
        about=("{Wie} kan de trap niet meer op en slaapt nu beneden in de stoel.",),
        health=(
            "Nieuwe heup sinds {maand}; loopt met een rollator.",
            "Artrose in beide knieën; pijnstilling via de huisarts.",
        ),
    ),
    Need(
        "badkamer",
        ("wonen",),
        (
            "Ik wil een aanpassing van de badkamer: ik kan niet meer in bad stappen.",
            "Kan het bad eruit en een douche erin?",
        ),
        (
            "Stapt met moeite over de badrand; is één keer uitgegleden. Huurwoning van de corporatie.",
            "Douche in bad, geen beugels. Partner helpt nu, maar die wordt ook ouder.",
        ),
        "een aanpassing van de badkamer",
        (1, 4, 25),
        {O.WMO_REPORT: 40, O.REFERRED: 25, O.INFORMATION: 20, O.ADVICE: 10, O.NO_SUPPLY: 5},
        partner="Woonstichting Twentse Veste",
        unmet={R.NOT_ELIGIBLE: 70, R.REFUSED: 30},
        again=(
            "Wanneer komt de aannemer voor de badkamer?",
            "Is de aanpassing van de badkamer al goedgekeurd?",
        ),
        about=("{Wie} kan niet meer in bad stappen; kan de badkamer aangepast worden?",),
    ),
    Need(
        "huurachterstand",
        ("wonen", "financien"),
        (
            "Ik heb een huurachterstand en kreeg een brief van de woningcorporatie.",
            "Huurachterstand van drie maanden; ik durf de post niet meer open te maken.",
        ),
        (
            "Inkomen gedaald na een scheiding; toeslagen niet aangevraagd. Wil uithuiszetting voorkomen.",
            "Zzp'er zonder opdrachten sinds {maand}. Schaamt zich; vraagt eerst alleen om informatie.",
        ),
        "de huurachterstand",
        (30, 20, 5),
        {O.REFERRED: 45, O.ADVICE: 25, O.INFORMATION: 10, O.SIGNPOSTED: 15, O.NO_SUPPLY: 5},
        partner="Gemeente Enschede",
        elsewhere="de schuldhulpverlening van de gemeente",
        unmet={R.REFUSED: 70, R.WAITING_LIST: 30},
        again=("Ik heb de betalingsregeling gekregen, maar hoe nu verder?",),
        about=("{Wie} heeft een huurachterstand; de woningcorporatie vraagt hulp van het loket.",),
        urgency=(50, 35, 15),
    ),
    Need(
        "seniorenwoning",
        ("wonen",),
        (
            "Ik zoek een gelijkvloerse woning.",
            "Hoe kom ik in aanmerking voor een seniorenwoning?",
            "Kan ik in een aanleunwoning bij het verzorgingshuis?",
        ),
        (
            "Woont in een eengezinswoning met tuin; wordt te veel. Wil in de eigen wijk blijven.",
            "Partner is overleden; het huis is te groot. Wil dichter bij winkels en huisarts wonen.",
        ),
        "een seniorenwoning",
        (2, 8, 30),
        {O.INFORMATION: 35, O.ADVICE: 20, O.REFERRED: 25, O.NO_SUPPLY: 20},
        partner="Woonstichting Twentse Veste",
        unmet={R.WAITING_LIST: 70, R.NO_CAPACITY: 30},
        again=("Sta ik al hoger op de lijst voor een seniorenwoning?",),
        about=("{Wie} zoekt een gelijkvloerse woning in de buurt.",),
        anonymous=5,
    ),
    Need(
        "woningaanpassing",
        ("wonen", "gezondheid"),
        ("Ik heb beugels nodig bij het toilet en de voordeur.", "Kan de drempel weg? Ik struikel steeds."),
        ("Loopt met een rollator; drempels en de opstap bij de voordeur zijn het probleem.",),
        "kleine woningaanpassingen",
        (1, 4, 25),
        {O.WMO_REPORT: 35, O.INFORMATION: 20, O.ADVICE: 25, O.REFERRED: 15, O.NO_SUPPLY: 5},
        partner="Woonstichting Twentse Veste",
        unmet={R.NOT_ELIGIBLE: 100},
        about=("{Wie} struikelt over de drempels; kunnen die weg?",),
    ),
    Need(
        "schimmel",
        ("wonen", "gezondheid"),
        ("Er zit schimmel in de slaapkamer en de verhuurder doet niets.",),
        ("Particuliere verhuurder; kinderen hebben last van de luchtwegen. Meerdere keren gemeld.",),
        "onderhoud door de verhuurder",
        (20, 10, 5),
        {O.ADVICE: 50, O.SIGNPOSTED: 35, O.INFORMATION: 15},
        elsewhere="het Huurteam",
        anonymous=5,
    ),
    Need(
        "dakloos",
        ("wonen", "financien"),
        (
            "Ik moet over twee weken mijn kamer uit en weet niet waar ik heen moet.",
            "Ik slaap nu bij vrienden op de bank; kan ik ergens wonen?",
        ),
        ("Relatie verbroken; geen eigen woning, geen vast inkomen. Geen verslaving, wel schulden.",),
        "onderdak",
        (30, 10, 1),
        {O.REFERRED: 50, O.ADVICE: 15, O.SIGNPOSTED: 10, O.NO_SUPPLY: 25},
        partner="Gemeente Enschede",
        elsewhere="de maatschappelijke opvang",
        unmet={R.NO_CAPACITY: 60, R.NOT_ELIGIBLE: 40},
        urgency=(20, 40, 40),
    ),
    # --- zorg en huishouden ---
    Need(
        "huishoudelijke-hulp",
        ("huishouden", "zorg"),
        (
            "Ik kan het huishouden niet meer zelf.",
            "Kan ik hulp krijgen bij het schoonmaken?",
            "Wat kost huishoudelijke hulp via de gemeente?",
        ),
        (
            "Kan niet meer bukken en stofzuigen; de was lukt nog wel. Geen kinderen in de buurt.",
            "Na een val in {maand} lukt het huishouden niet meer. Buurvrouw helpt nu; dat kan niet blijven.",
            "Partner deed het huishouden; die is opgenomen. Weet niet waar te beginnen.",
        ),
        "huishoudelijke ondersteuning",
        (3, 8, 35),
        {O.WMO_REPORT: 60, O.INFORMATION: 15, O.ADVICE: 10, O.REFERRED: 8, O.NO_SUPPLY: 7},
        partner="Thuiszorg Tukkerland",
        unmet={R.NO_CAPACITY: 50, R.WAITING_LIST: 30, R.NOT_ELIGIBLE: 20},
        again=("Wanneer komt de huishoudelijke hulp?", "De hulp is gestopt; wie komt er nu?"),
        about=("{Wie} redt het huishouden niet meer alleen.",),
        health=("COPD; benauwd bij inspanning.", "Reuma in de handen; kan weinig tillen."),
        anonymous=10,
    ),
    Need(
        "persoonlijke-verzorging",
        ("zorg", "gezondheid"),
        ("Ik heb hulp nodig bij het wassen en aankleden.", "Wie kan mij helpen met douchen?"),
        (
            "Komt net uit het ziekenhuis; kan de arm niet boven het hoofd. Tijdelijk hulp nodig.",
            "Partner helpt met wassen, maar het wordt te zwaar. Wijkverpleging is nog niet ingeschakeld.",
        ),
        "persoonlijke verzorging",
        (2, 6, 30),
        {O.REFERRED: 55, O.INFORMATION: 20, O.ADVICE: 10, O.SIGNPOSTED: 10, O.NO_SUPPLY: 5},
        partner="Thuiszorg Tukkerland",
        unmet={R.NO_CAPACITY: 100},
        about=("{Wie} komt uit het ziekenhuis en heeft hulp nodig bij het douchen.",),
        health=(
            "Ontslagen uit het ziekenhuis na een CVA; rechterarm verzwakt.",
            "Diabetes; wondjes aan de voet.",
        ),
        urgency=(60, 30, 10),
    ),
    Need(
        "verpleeghuis",
        ("zorg", "wonen"),
        (
            "Wanneer kom je in aanmerking voor een verpleeghuis?",
            "Hoe vraag ik een indicatie voor de Wlz aan?",
        ),
        (
            "Geheugen gaat hard achteruit; 's nachts onrustig. Partner kan het niet meer aan.",
            "Woont alleen, valt vaak, vergeet medicijnen. Familie wil een veilige plek.",
        ),
        "een indicatie voor de Wet langdurige zorg",
        (1, 3, 30),
        {O.REFERRED: 50, O.INFORMATION: 30, O.ADVICE: 10, O.NO_SUPPLY: 10},
        partner="CIZ",
        unmet={R.WAITING_LIST: 80, R.NO_CAPACITY: 20},
        again=("Het CIZ heeft een indicatie gegeven, maar er is geen plek. Wat nu?",),
        about=("{Wie} kan niet meer thuis wonen; hoe vragen we een indicatie aan?",),
        health=("Dementie, vastgesteld door de geheugenpoli.", "Parkinson; valt regelmatig."),
        urgency=(60, 30, 10),
    ),
    Need(
        "herstel-na-opname",
        ("zorg", "gezondheid"),
        ("Kan ik na mijn operatie tijdelijk ergens verblijven?",),
        ("Woont alleen; na de operatie mag het been een paar weken niet belast worden.",),
        "tijdelijk verblijf na een opname",
        (1, 4, 20),
        {O.REFERRED: 40, O.SIGNPOSTED: 30, O.INFORMATION: 15, O.NO_SUPPLY: 15},
        partner="Zorggroep Dinkeldal",
        unmet={R.NO_CAPACITY: 100},
        about=("{Wie} wordt geopereerd en kan daarna niet meteen naar huis.",),
        health=("Knievervanging gepland in {maand}.",),
        urgency=(55, 35, 10),
    ),
    Need(
        "maaltijden",
        ("huishouden", "zorg"),
        (
            "Ik kook niet meer voor mezelf sinds mijn {partnerrol} overleden is.",
            "Is er een maaltijdservice aan huis?",
        ),
        ("Eet vooral brood; is afgevallen. Wil graag warm eten, liefst samen met anderen.",),
        "maaltijdvoorziening",
        (1, 3, 25),
        {O.INFORMATION: 45, O.REFERRED: 30, O.ADVICE: 20, O.SIGNPOSTED: 5},
        elsewhere="de maaltijdservice van de thuiszorg",
        about=("{Wie} eet niet goed meer; is er een maaltijdservice?",),
        anonymous=8,
    ),
    Need(
        "hulpmiddelen",
        ("zorg", "gezondheid"),
        (
            "Waar kan ik een rollator lenen?",
            "Ik heb een douchestoel nodig.",
            "Hoe kom ik aan een toiletverhoger?",
        ),
        ("Tijdelijk nodig na een val; verwacht over een paar maanden weer zonder te kunnen.",),
        "hulpmiddelen",
        (2, 6, 25),
        {O.INFORMATION: 55, O.SIGNPOSTED: 30, O.ADVICE: 15},
        elsewhere="de uitleenservice van de thuiszorgwinkel",
        anonymous=12,
    ),
    Need(
        "boodschappen-en-klussen",
        ("huishouden", "sociale-contacten"),
        ("Wie kan mij helpen met boodschappen doen?", "Ik kan de tuin niet meer bijhouden."),
        ("Geen familie in de buurt; buren werken overdag. Wil niemand tot last zijn.",),
        "hulp bij boodschappen en klussen",
        (2, 5, 30),
        {O.REFERRED: 40, O.INFORMATION: 35, O.ADVICE: 10, O.NO_SUPPLY: 15},
        unmet={R.NO_CAPACITY: 60, R.NOT_AVAILABLE: 40},
        about=("{Wie} kan niet meer zelf boodschappen doen.",),
        anonymous=5,
    ),
    # --- welzijn, sociale contacten, onderwijs ---
    Need(
        "activiteiten",
        ("welzijn", "sociale-contacten"),
        (
            "Welke activiteiten zijn er voor ouderen in de wijk?",
            "Ik zoek vrijwilligerswerk nu ik met pensioen ben.",
        ),
        ("Sinds het pensioen weinig om handen; wil iets doen met anderen.",),
        "activiteiten in de wijk",
        (5, 10, 20),
        {O.INFORMATION: 55, O.REFERRED: 30, O.ADVICE: 15},
        anonymous=12,
    ),
    Need(
        "eenzaamheid",
        ("sociale-contacten", "welzijn"),
        (
            "Ik ben erg alleen sinds mijn {partnerrol} is overleden.",
            "Ik zie soms dagen niemand.",
            "Ik zou graag wat meer mensen leren kennen.",
        ),
        (
            "Partner overleden in {maand}; kinderen bellen wekelijks, maar verder weinig contact.",
            "Komt de deur weinig uit door slecht lopen. Zou graag iemand hebben die langskomt.",
            "Nieuw in de wijk; kent niemand. Vindt het moeilijk om ergens alleen naartoe te gaan.",
        ),
        "contact met anderen",
        (4, 6, 30),
        {O.REFERRED: 40, O.INFORMATION: 25, O.ADVICE: 15, O.WMO_REPORT: 10, O.NO_SUPPLY: 10},
        unmet={R.REFUSED: 40, R.WAITING_LIST: 40, R.NOT_AVAILABLE: 20},
        unmet_answer="Er is een wachtlijst voor een maatje, of de inwoner wil (nog) niet naar een groep.",
        again=(
            "Het maatje komt niet meer; is er iemand anders?",
            "Ik ben naar de koffieochtend geweest, wat nog meer?",
        ),
        about=("{Wie} zit de hele dag alleen thuis en ziet bijna niemand.",),
    ),
    Need(
        "koffieochtend",
        ("sociale-contacten",),
        ("Is er ergens een koffieochtend in de buurt?", "Waar is de buurtkamer in mijn wijk?"),
        ("Wil laagdrempelig beginnen, dicht bij huis.",),
        "buurtactiviteiten",
        (2, 4, 15),
        {O.INFORMATION: 80, O.ADVICE: 10, O.REFERRED: 10},
        anonymous=15,
    ),
    Need(
        "levensvragen",
        ("welzijn", "geestelijke-gezondheid"),
        ("Ik wil graag met iemand praten over hoe het verder moet nu ik alleen ben.",),
        ("Rouwt om partner; zoekt geen hulpverlening maar een gesprek.",),
        "een gesprek met een ouderenadviseur",
        (1, 4, 20),
        {O.REFERRED: 45, O.ADVICE: 30, O.INFORMATION: 15, O.SIGNPOSTED: 10},
    ),
    Need(
        "formulieren",
        ("welzijn", "financien"),
        (
            "Kunt u mij helpen met het invullen van formulieren?",
            "Ik begrijp de brief van de Belastingdienst niet.",
        ),
        ("Leest slecht; partner deed altijd de administratie.", "Geen DigiD; weet niet hoe dat werkt."),
        "hulp bij formulieren",
        (10, 10, 20),
        {O.ADVICE: 40, O.REFERRED: 30, O.INFORMATION: 20, O.SIGNPOSTED: 10},
        elsewhere="de formulierenhulp in de bibliotheek",
        about=("{Wie} krijgt brieven die hij of zij niet begrijpt.",),
        anonymous=5,
    ),
    Need(
        "digitaal",
        ("onderwijs", "sociale-contacten"),
        (
            "Waar kan ik leren omgaan met de tablet?",
            "Ik wil leren hoe DigiD werkt.",
            "Ik wil met de computer leren videobellen met mijn kleinkinderen.",
        ),
        ("Kreeg een tablet van de kinderen; wil die zelf leren gebruiken.",),
        "digitale vaardigheden",
        (3, 6, 20),
        {O.INFORMATION: 45, O.REFERRED: 30, O.SIGNPOSTED: 25},
        elsewhere="het Informatiepunt Digitale Overheid in de bibliotheek",
        anonymous=10,
    ),
    Need(
        "taal",
        ("onderwijs", "werk-en-inkomen"),
        ("Ik wil beter Nederlands leren lezen en schrijven.", "Ik kan de brieven niet goed lezen."),
        ("Spreekt goed Nederlands, maar lezen en schrijven gaat moeizaam. Schaamt zich ervoor.",),
        "taallessen",
        (20, 15, 8),
        {O.REFERRED: 40, O.SIGNPOSTED: 30, O.INFORMATION: 30},
        elsewhere="het Taalhuis in de bibliotheek",
        anonymous=5,
    ),
    # --- mantelzorg (de inwoner is zelf de mantelzorger) ---
    Need(
        "overbelast",
        ("mantelzorg", "geestelijke-gezondheid"),
        (
            "Ik zorg voor mijn {relatie} en raak overbelast.",
            "Ik kan de zorg voor mijn {relatie} niet meer alleen aan.",
        ),
        (
            "Zorgt al {jaren} jaar dagelijks voor {relatie} met dementie, naast een baan. Slaapt slecht. "
            "Wil geen verpleeghuis, wel af en toe lucht.",
            "Enige kind; {relatie} woont zelfstandig maar belt meerdere keren per dag. Eigen gezin "
            "schiet erbij in.",
        ),
        "ondersteuning als mantelzorger",
        (3, 30, 12),
        {O.REFERRED: 35, O.ADVICE: 25, O.WMO_REPORT: 20, O.INFORMATION: 10, O.NO_SUPPLY: 10},
        unmet={R.WAITING_LIST: 60, R.NO_CAPACITY: 40},
        again=("Het gaat nog steeds niet goed met de zorg voor mijn {relatie}.",),
        health=("Huisarts heeft overspanning vastgesteld.", "Slaapt slecht; rugklachten van het tillen."),
        urgency=(60, 30, 10),
    ),
    Need(
        "respijtzorg",
        ("mantelzorg", "zorg"),
        ("Kan mijn {relatie} een paar dagen ergens logeren, zodat ik op vakantie kan?",),
        ("Al {jaren} jaar geen vakantie gehad; {relatie} kan niet alleen blijven.",),
        "respijtzorg (logeeropvang)",
        (2, 25, 10),
        {O.NO_SUPPLY: 35, O.REFERRED: 30, O.INFORMATION: 25, O.WMO_REPORT: 10},
        partner="Zorggroep Dinkeldal",
        unmet={R.NO_CAPACITY: 50, R.WAITING_LIST: 50},
        again=("Is er al een logeerplek voor mijn {relatie}?",),
    ),
    Need(
        "mantelzorgwaardering",
        ("mantelzorg",),
        (
            "Hoe vraag ik het mantelzorgcompliment aan?",
            "Krijg ik als mantelzorger ergens een vergoeding voor?",
        ),
        ("Zorgt meer dan acht uur per week voor {relatie}.",),
        "de mantelzorgwaardering",
        (5, 20, 10),
        {O.INFORMATION: 80, O.ADVICE: 10, O.SIGNPOSTED: 10},
        elsewhere="het Steunpunt Mantelzorg",
        anonymous=15,
    ),
    Need(
        "werk-en-zorg",
        ("mantelzorg", "werk-en-inkomen"),
        ("Ik heb moeite mijn werk en de zorg voor mijn {relatie} te combineren.",),
        ("Werkt fulltime; werkgever weet niet dat er thuis zorg gegeven wordt.",),
        "werk en mantelzorg combineren",
        (5, 25, 1),
        {O.ADVICE: 45, O.REFERRED: 30, O.INFORMATION: 25},
    ),
    Need(
        "dementie-zorgen",
        ("mantelzorg", "geestelijke-gezondheid", "zorg"),
        ("Mijn {relatie} wordt steeds vergeetachtiger; waar kan ik terecht?",),
        (
            "Vergeetachtigheid van {relatie}: vergeet afspraken en het fornuis, nog geen diagnose. Wil weten "
            "wat de stappen zijn.",
        ),
        "geheugenproblemen en casemanagement dementie",
        (1, 20, 15),
        {O.ADVICE: 25, O.REFERRED: 30, O.INFORMATION: 20, O.WMO_REPORT: 10, O.SIGNPOSTED: 15},
        partner="Zorggroep Dinkeldal",
    ),
    # --- financiën, werk en inkomen ---
    Need(
        "schulden",
        ("financien", "geestelijke-gezondheid"),
        (
            "Ik heb schulden en kom er niet meer uit.",
            "Ik krijg steeds aanmaningen en nu ook een deurwaarder.",
        ),
        (
            "Meerdere schuldeisers; inkomen uit een uitkering. Slaapt slecht van de zorgen.",
            "Schulden na ziekte en baanverlies; partner weet er niet van.",
        ),
        "schuldhulpverlening",
        (30, 20, 5),
        {O.REFERRED: 50, O.ADVICE: 20, O.INFORMATION: 10, O.SIGNPOSTED: 10, O.NO_SUPPLY: 10},
        partner="Gemeente Enschede",
        elsewhere="het Juridisch Loket",
        unmet={R.REFUSED: 50, R.WAITING_LIST: 50},
        again=("Ik heb nog niets gehoord van de schuldhulpverlening.",),
        urgency=(55, 30, 15),
    ),
    Need(
        "toeslagen",
        ("financien",),
        (
            "Heb ik recht op huurtoeslag?",
            "Kan ik bijzondere bijstand krijgen?",
            "Kom ik in aanmerking voor de energietoeslag?",
        ),
        (
            "Laag inkomen; weet niet welke regelingen er zijn.",
            "Inkomen veranderd door pensioen van de partner.",
        ),
        "toeslagen en regelingen",
        (20, 15, 15),
        {O.INFORMATION: 45, O.ADVICE: 25, O.REFERRED: 15, O.SIGNPOSTED: 15},
        partner="Gemeente Enschede",
        elsewhere="de Belastingdienst/Toeslagen",
        anonymous=15,
    ),
    Need(
        "eigen-bijdrage",
        ("financien", "zorg"),
        ("Wat is de eigen bijdrage voor de Wmo?", "Ik krijg een rekening van het CAK; klopt dat?"),
        ("Schrok van de rekening; wil weten of de hulp wel door kan gaan.",),
        "de eigen bijdrage",
        (1, 5, 25),
        {O.INFORMATION: 70, O.ADVICE: 15, O.SIGNPOSTED: 15},
        elsewhere="het CAK",
        anonymous=20,
    ),
    Need(
        "energierekening",
        ("financien", "wonen"),
        ("Mijn energierekening is veel te hoog; ik kan hem niet betalen.",),
        ("Oude woning, slecht geïsoleerd. Zit 's avonds in de kou om te besparen.",),
        "energiekosten",
        (15, 15, 15),
        {O.REFERRED: 40, O.INFORMATION: 35, O.ADVICE: 20, O.NO_SUPPLY: 5},
        unmet={R.NOT_ELIGIBLE: 100},
        anonymous=8,
    ),
    Need(
        "uitkering",
        ("werk-en-inkomen", "financien"),
        (
            "Ik ben mijn baan kwijt; hoe vraag ik een uitkering aan?",
            "Ik zoek werk, maar door mijn gezondheid lukt het niet.",
        ),
        (
            "Tijdelijk contract niet verlengd; nog geen aanvraag gedaan.",
            "Rugklachten; wil wel, maar niet fulltime.",
        ),
        "werk en inkomen",
        (30, 20, 1),
        {O.INFORMATION: 35, O.REFERRED: 30, O.SIGNPOSTED: 25, O.ADVICE: 10},
        partner="Gemeente Enschede",
        elsewhere="het UWV",
        anonymous=8,
    ),
    Need(
        "aow",
        ("werk-en-inkomen", "financien"),
        (
            "Hoe zit het met mijn AOW nu mijn {partnerrol} naar het verpleeghuis gaat?",
            "Gaat mijn AOW omlaag als ik ga samenwonen?",
        ),
        ("Bang om het huis niet meer te kunnen betalen.",),
        "de AOW",
        (0, 3, 15),
        {O.INFORMATION: 55, O.SIGNPOSTED: 35, O.ADVICE: 10},
        elsewhere="de Sociale Verzekeringsbank",
        anonymous=8,
    ),
    # --- vervoer ---
    Need(
        "scootmobiel",
        ("vervoer", "gezondheid"),
        ("Kan ik een scootmobiel krijgen?", "Ik kom de deur niet meer uit zonder scootmobiel."),
        (
            "Loopt hooguit honderd meter; de winkels zijn een kilometer verderop. Wil zelfstandig blijven.",
            "Fietsen lukt niet meer sinds de beroerte. Heeft een berging waar een scootmobiel kan staan.",
        ),
        "een scootmobiel",
        (1, 6, 30),
        {O.WMO_REPORT: 55, O.INFORMATION: 20, O.ADVICE: 10, O.NO_SUPPLY: 10, O.REFERRED: 5},
        unmet={R.NOT_ELIGIBLE: 80, R.REFUSED: 20},
        again=("Wanneer wordt de scootmobiel geleverd?", "Mijn scootmobiel is kapot; wie repareert die?"),
        about=("{Wie} kan niet meer zelf naar de winkel lopen; kan er een scootmobiel komen?",),
        health=("Hartfalen; snel buiten adem.", "Beroerte in {maand}; linkerbeen verzwakt."),
        anonymous=10,
    ),
    Need(
        "regiotaxi",
        ("vervoer",),
        ("Hoe kom ik aan een pas voor de regiotaxi?", "Kan ik met de regiotaxi naar het ziekenhuis?"),
        ("Rijdt geen auto meer; de bushalte is te ver lopen.",),
        "de regiotaxi",
        (2, 6, 30),
        {O.INFORMATION: 40, O.WMO_REPORT: 40, O.ADVICE: 10, O.SIGNPOSTED: 10},
        elsewhere="de zorgverzekeraar (zittend ziekenvervoer)",
        about=("{Wie} kan niet meer met de bus; kan er een regiotaxipas komen?",),
        anonymous=15,
    ),
    Need(
        "parkeerkaart",
        ("vervoer",),
        ("Hoe vraag ik een gehandicaptenparkeerkaart aan?",),
        ("Loopt slecht; parkeerplaatsen bij de huisartsenpost zijn altijd vol.",),
        "een gehandicaptenparkeerkaart",
        (5, 10, 20),
        {O.INFORMATION: 75, O.SIGNPOSTED: 15, O.ADVICE: 10},
        elsewhere="de afdeling Burgerzaken van de gemeente",
        anonymous=10,
    ),
    Need(
        "vrijwillig-vervoer",
        ("vervoer", "sociale-contacten"),
        ("Is er iemand die mij naar het ziekenhuis kan rijden?",),
        ("Moet wekelijks naar het ziekenhuis; de kinderen werken.",),
        "vrijwillig vervoer",
        (1, 4, 25),
        {O.REFERRED: 45, O.INFORMATION: 30, O.NO_SUPPLY: 15, O.ADVICE: 10},
        unmet={R.NO_CAPACITY: 100},
        unmet_answer="De vrijwillige chauffeurs zijn volgeboekt op de gevraagde dagen.",
    ),
    # --- veiligheid ---
    Need(
        "personenalarmering",
        ("veiligheid", "zorg"),
        ("Ik wil een alarmknop voor als ik val.", "Hoe kom ik aan personenalarmering?"),
        ("Is in {maand} gevallen en lag een uur op de grond. Dochter woont om de hoek en kan komen.",),
        "personenalarmering",
        (1, 5, 30),
        {O.REFERRED: 45, O.INFORMATION: 35, O.ADVICE: 10, O.WMO_REPORT: 5, O.NO_SUPPLY: 5},
        partner="Thuiszorg Tukkerland",
        unmet={R.REFUSED: 100},
        about=("{Wie} is twee keer gevallen; we willen een alarmknop.",),
        anonymous=8,
    ),
    Need(
        "alarmering-zonder-netwerk",
        ("veiligheid", "sociale-contacten", "zorg"),
        (
            "Ik wil een alarmknop, maar ik heb niemand die kan komen als ik druk.",
            "Personenalarmering lukt niet: ik heb geen drie contactpersonen.",
        ),
        (
            "Woont alleen, geen kinderen en geen buren met een sleutel. De aanbieder vraagt "
            "contactpersonen in de buurt; professionele opvolging van het alarm is er hier niet.",
        ),
        "personenalarmering zonder eigen netwerk",
        (0, 2, 20),
        {O.NO_SUPPLY: 70, O.REFERRED: 15, O.ADVICE: 15},
        partner="Thuiszorg Tukkerland",
        unmet={R.NOT_AVAILABLE: 85, R.NO_CAPACITY: 15},
        unmet_answer=(
            "Geen personenalarmering mogelijk: de aanbieder vraagt contactpersonen in de buurt en "
            "er is geen professionele alarmopvolging voor inwoners zonder netwerk. Gesignaleerd als "
            "hiaat in het aanbod."
        ),
        again=("Is er al een oplossing voor de alarmering? Ik heb nog steeds niemand.",),
        about=("{Wie} woont alleen zonder familie of buren; kan er toch een alarmknop komen?",),
        urgency=(60, 30, 10),
    ),
    Need(
        "onveilig-thuis",
        ("veiligheid", "geestelijke-gezondheid"),
        ("Ik voel me niet veilig thuis.", "Mijn {relatie} wordt financieel uitgebuit door een kennis."),
        ("Spreekt aarzelend; wil niet dat de familie het weet. Telefoonnummer Veilig Thuis gegeven.",),
        "veiligheid thuis",
        (10, 10, 10),
        {O.SIGNPOSTED: 50, O.REFERRED: 30, O.ADVICE: 20},
        partner="Gemeente Enschede",
        elsewhere="Veilig Thuis",
        urgency=(20, 40, 40),
    ),
    Need(
        "babbeltruc",
        ("veiligheid",),
        ("Er belde iemand aan die zei van het energiebedrijf te zijn; wat moet ik doen?",),
        ("Heeft niets afgegeven, maar is geschrokken.",),
        "babbeltrucs en veilig wonen",
        (1, 3, 20),
        {O.INFORMATION: 60, O.ADVICE: 30, O.SIGNPOSTED: 10},
        elsewhere="de wijkagent",
        anonymous=10,
    ),
    Need(
        "verward-buur",
        ("geestelijke-gezondheid", "veiligheid", "zorg"),
        ("Mijn buurvrouw is verward en loopt 's nachts op straat.", "Mijn buurman verwaarloost zichzelf."),
        ("Melder maakt zich zorgen; de buur heeft geen familie in beeld.",),
        "zorgen om een buur",
        (0, 0, 0),  # asked about someone else: anonymous only
        {O.REFERRED: 50, O.SIGNPOSTED: 30, O.ADVICE: 20},
        partner="Gemeente Enschede",
        elsewhere="het Meldpunt zorg en overlast",
        urgency=(40, 40, 20),
        anonymous=10,
    ),
    # --- dagbesteding ---
    Need(
        "dagbesteding-dementie",
        ("dagbesteding", "zorg", "mantelzorg"),
        ("Ik zoek dagbesteding voor mijn {relatie} met dementie.",),
        (
            "Dagbesteding gezocht: {relatie} zit de hele dag thuis en wordt onrustig. De mantelzorger "
            "kan zo niet blijven werken.",
            "Wil twee dagen per week dagbesteding dicht bij huis, met vervoer.",
        ),
        "dagbesteding voor mensen met dementie",
        (1, 20, 15),
        {O.WMO_REPORT: 35, O.NO_SUPPLY: 35, O.REFERRED: 15, O.INFORMATION: 15},
        partner="Zorggroep Dinkeldal",
        unmet={R.WAITING_LIST: 80, R.NO_CAPACITY: 20},
        again=("Staat mijn {relatie} nog op de wachtlijst voor de dagbesteding?",),
    ),
    Need(
        "dagbesteding",
        ("dagbesteding", "welzijn"),
        ("Is er overdag iets te doen voor iemand zoals ik?", "Ik zoek een dagbesteding."),
        ("Kan door lichamelijke beperkingen niet meer werken; zoekt structuur en contact.",),
        "dagbesteding",
        (5, 10, 25),
        {O.WMO_REPORT: 40, O.NO_SUPPLY: 25, O.REFERRED: 20, O.INFORMATION: 15},
        partner="Zorggroep Dinkeldal",
        unmet={R.WAITING_LIST: 75, R.NOT_AVAILABLE: 25},
        again=("Is er al plek bij de dagbesteding?",),
        about=("{Wie} zit de hele dag thuis; is er dagbesteding in de buurt?",),
    ),
    Need(
        "dagbesteding-ggz",
        ("dagbesteding", "geestelijke-gezondheid"),
        ("Werken lukt niet meer door mijn psychische klachten; ik zoek een zinvolle dagbesteding.",),
        ("Langdurig in behandeling; wil structuur in de week en iets nuttigs doen.",),
        "dagbesteding voor mensen met psychische klachten",
        (25, 15, 1),
        {O.WMO_REPORT: 35, O.REFERRED: 25, O.NO_SUPPLY: 25, O.INFORMATION: 15},
        unmet={R.WAITING_LIST: 70, R.NOT_AVAILABLE: 30},
        health=("Bipolaire stoornis; stabiel op medicatie.", "Depressie; in behandeling bij de ggz."),
    ),
    # --- opvoeding ---
    Need(
        "opvoeding",
        ("opvoeding",),
        (
            "Mijn zoon van 14 spijbelt en ik krijg geen grip op hem.",
            "Ik heb vragen over de opvoeding van mijn dochter.",
        ),
        ("Alleenstaande ouder; school heeft ook al aan de bel getrokken.",),
        "opvoedingsondersteuning",
        (35, 15, 0),
        {O.SIGNPOSTED: 40, O.REFERRED: 30, O.ADVICE: 20, O.INFORMATION: 10},
        partner="Gemeente Enschede",
        elsewhere="het jeugdteam",
        anonymous=8,
    ),
    Need(
        "kind-met-beperking",
        ("opvoeding", "zorg"),
        ("Mijn kind heeft autisme; waar kan ik ondersteuning krijgen?",),
        ("Ouders raken uitgeput; zoeken logeeropvang en advies voor thuis.",),
        "ondersteuning bij een kind met een beperking",
        (30, 15, 0),
        {O.REFERRED: 35, O.SIGNPOSTED: 35, O.INFORMATION: 20, O.NO_SUPPLY: 10},
        partner="Gemeente Enschede",
        elsewhere="het jeugdteam",
        unmet={R.WAITING_LIST: 100},
    ),
    # --- gezondheid en geestelijke gezondheid ---
    Need(
        "somberheid",
        ("geestelijke-gezondheid", "sociale-contacten"),
        (
            "Ik voel me al maanden somber en weet niet waar ik moet beginnen.",
            "Sinds het overlijden van mijn {partnerrol} kom ik niet meer op gang.",
        ),
        ("Geen suïcidale gedachten; wil praten met iemand. Huisarts nog niet bezocht.",),
        "psychische klachten",
        (20, 20, 15),
        {O.REFERRED: 40, O.SIGNPOSTED: 25, O.ADVICE: 25, O.NO_SUPPLY: 10},
        elsewhere="de praktijkondersteuner ggz van de huisarts",
        unmet={R.WAITING_LIST: 100},
        health=("Gebruikt antidepressiva, voorgeschreven door de huisarts.",),
        urgency=(70, 25, 5),
    ),
    Need(
        "valpreventie",
        ("gezondheid", "welzijn"),
        (
            "Ik ben bang om te vallen; is er een cursus?",
            "Ik wil meer bewegen, maar weet niet wat ik nog kan.",
        ),
        ("Twee keer gevallen dit jaar; durft niet meer alleen naar buiten.",),
        "valpreventie en bewegen",
        (1, 5, 25),
        {O.REFERRED: 40, O.INFORMATION: 40, O.ADVICE: 20},
        anonymous=5,
    ),
    Need(
        "huisarts",
        ("gezondheid",),
        ("Ik kan geen huisarts vinden die nieuwe patiënten aanneemt.",),
        ("Net verhuisd naar Enschede; drie praktijken gebeld, allemaal vol.",),
        "een huisarts",
        (20, 15, 10),
        {O.NO_SUPPLY: 30, O.INFORMATION: 40, O.SIGNPOSTED: 30},
        elsewhere="de zorgverzekeraar (zorgbemiddeling)",
        unmet={R.NO_CAPACITY: 100},
        anonymous=8,
    ),
]
NEEDS_BY_CODE = {need.code: need for need in NEEDS}


@dataclass
class Person:
    """What the plan needs to know about a resident, read from the database."""

    resident: Resident
    age: int
    female: bool
    weight: float
    since: datetime.date
    until: datetime.date | None
    representative: str = ""  # the name of who asks for them
    representative_is_partner: bool = False
    asked: list[Need] = field(default_factory=list)  # what they asked before, latest last
    asked_on: dict[str, datetime.date] = field(default_factory=dict)


@dataclass
class PlannedQuestion:
    need: Need
    row: Question
    changes: list[QuestionChange] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    consent: Consent | None = None


@dataclass
class PlannedContact:
    row: Contact
    person: Person | None
    questions: list[PlannedQuestion] = field(default_factory=list)


def load(*, rng: random.Random, fake, stdout) -> None:
    desk = Desk.objects.filter(slug=DESK_SLUG).first()
    staff = {user.username: user for user in User.objects.filter(username__in=STAFF)}
    if desk is None or len(staff) < len(STAFF):
        stdout.write("Demo contacts: skipped, the demo desk or its staff is missing.")
        return
    if Contact.objects.filter(desk=desk, handled_by__in=staff.values()).exists():
        stdout.write(f"Demo contacts: skipped, {desk} already has contacts of the demo staff.")
        return
    # The demo's "now" is the start of today, so that the same seed gives the same data all day.
    now = _aware(timezone.localdate(), hour=0)
    plan = plan_contacts(rng=rng, fake=fake, desk=desk, staff=staff, now=now)
    counts = _save(plan, desk=desk, rng=rng, staff=staff, now=now)
    stdout.write(
        f"Demo contacts at {desk}: {counts['contacts']} contacts, {counts['questions']} questions, "
        f"{counts['follow_ups']} follow-ups, {counts['assessments']} self-reliance measurements."
    )


# --- the plan: everything in memory, deterministic for a seed ---------------------------------


def plan_contacts(
    *, rng, fake, desk: Desk, staff: dict[str, User], now: datetime.datetime
) -> list[PlannedContact]:
    """The contacts of the last twelve months, in memory: the same seed gives the same year."""
    today = timezone.localdate(now)
    people = _people(desk, today=today, rng=rng)
    slots = _slots(rng=rng, desk=desk, staff=staff, today=today)
    organisations = {org.name: org for org in Organisation.objects.all()}
    planner = _Planner(rng, fake, staff, organisations, now)
    recent: dict[int, tuple[datetime.date, Person]] = {}  # seen in the last weeks, by resident
    weights = list(itertools.accumulate(person.weight for person in people))
    for started_at, channel, location, handler, duration in slots:
        day = timezone.localdate(started_at)
        person = None
        if people and rng.random() >= ANONYMOUS_SHARE[channel]:
            person = _pick_person(rng, people, weights, recent, day, channel)
        planner.contact(started_at, channel, location, handler, duration, person)
        if person is not None:
            recent.pop(person.resident.pk, None)
            recent[person.resident.pk] = (day, person)
    return planner.contacts


def _people(desk: Desk, *, today: datetime.date, rng: random.Random) -> list[Person]:
    residents = list(Resident.objects.filter(registered_desk=desk).order_by("pk"))
    representatives: dict[int, tuple[str, bool]] = {}
    for representation in (
        Representation.objects.filter(resident__registered_desk=desk)
        .select_related("representative")
        .order_by("pk")
    ):
        name = representation.name or representation.representative.full_name
        representatives.setdefault(
            representation.resident_id, (name, representation.representative_id is not None)
        )
    people = []
    for resident in residents:
        age = _age(resident.birth_date, today) if resident.birth_date else 50
        # A few people come often; most come once or twice. Older people come more.
        weight = min(rng.paretovariate(2.2), 4.0) * (1.6 if age >= 75 else 1.2 if age >= 65 else 1.0)
        name, is_partner = representatives.get(resident.pk, ("", False))
        people.append(
            Person(
                resident=resident,
                age=age,
                female=is_female(resident.given_names),
                weight=weight,
                since=timezone.localdate(resident.created_at),
                until=resident.status_date if resident.status != Resident.Status.ACTIVE else None,
                representative=name,
                representative_is_partner=is_partner,
            )
        )
    return people


def _pick_person(rng, people, weights, recent, day, channel) -> Person | None:
    """Someone seen in the last eight weeks coming back, or anyone who lived here then."""
    while recent and (day - next(iter(recent.values()))[0]).days > 56:
        del recent[next(iter(recent))]
    returning = 0.7 if channel == Ch.HOME_VISIT else 0.2
    if recent and rng.random() < returning:
        person = rng.choice(list(recent.values()))[1]
        if _eligible(person, day):
            return person
    for _ in range(30):
        person = people[bisect.bisect_left(weights, rng.random() * weights[-1])]
        if _eligible(person, day):
            return person
    return None


def _eligible(person: Person, day: datetime.date) -> bool:
    return person.since < day and (person.until is None or day < person.until)


def _slots(*, rng, desk: Desk, staff: dict[str, User], today: datetime.date):
    """When contacts happen: on opening days in opening hours, e-mail and online at any time."""
    locations = list(Location.objects.filter(desk=desk, is_active=True).order_by("pk"))
    hours = list(OpeningHours.objects.filter(location__in=locations).order_by("pk"))
    office = [h for h in hours if h.kind == OpeningHours.Kind.OPENING]
    district = [h for h in hours if h.kind == OpeningHours.Kind.DISTRICT]
    main = office[0].location if office else (locations[0] if locations else None)
    days = [today - datetime.timedelta(days=offset) for offset in range(365, 0, -1)]
    closed = {
        day
        for day, name in holidays.country_holidays(
            "NL", years=sorted({d.year for d in days}), language="nl"
        ).items()
        if name not in OPEN_HOLIDAYS
    }
    office_windows = [(h.weekday, h.opens, h.closes, 0.3 if "afspraak" in h.note else 1.0) for h in office]
    phone_windows = [window for window in office_windows if window[3] == 1.0]
    visit_windows = [(weekday, *HOME_VISIT_HOURS, 1.0) for weekday in range(5)]
    any_time = [(weekday, datetime.time(0), datetime.time(23, 59), 1.0) for weekday in range(7)]
    district_windows = [(h.weekday, h.opens, h.closes, 1.0) for h in district]
    windows = {
        Ch.PHONE: (phone_windows, None),
        Ch.DESK: (office_windows, main),
        Ch.EMAIL: (any_time, None),
        Ch.ONLINE: (any_time, None),
        Ch.HOME_VISIT: (visit_windows, None),
        Ch.DISTRICT_HOURS: (district_windows, district[0].location if district else None),
    }
    candidates = {}
    for channel, (channel_windows, _location) in windows.items():
        always = channel in (Ch.EMAIL, Ch.ONLINE)
        options = []
        for day in days:
            if not always and (day in closed or day.weekday() >= 5):
                continue
            for weekday, opens, closes, factor in channel_windows:
                if weekday == day.weekday():
                    length = _minutes(closes) - _minutes(opens)
                    weight = (
                        SEASON[day.month] * WEEKDAY_LOAD[weekday] * factor * (1 if always else length / 480)
                    )
                    options.append(((day, opens, closes), weight))
        if options:
            candidates[channel] = (
                [o for o, _w in options],
                list(itertools.accumulate(w for _o, w in options)),
            )
    channels = [channel for channel in CHANNEL_SHARE if channel in candidates]
    channel_weights = list(itertools.accumulate(CHANNEL_SHARE[channel] for channel in channels))
    slots = []
    for _ in range(CONTACTS if channels else 0):
        channel = channels[bisect.bisect_left(channel_weights, rng.random() * channel_weights[-1])]
        options, cumulative = candidates[channel]
        day, opens, closes = options[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
        started_at = _start(rng, channel, day, opens, closes)
        handler = _handler(rng, channel, started_at, staff)
        median, spread, shortest, longest = DURATION[channel]
        duration = max(shortest, min(longest, round(rng.lognormvariate(0, spread) * median)))
        slots.append((started_at, channel, windows[channel][1], handler, duration))
    slots.sort(key=lambda slot: slot[0])
    return slots


def _start(rng, channel, day, opens, closes) -> datetime.datetime:
    start, end = _minutes(opens), _minutes(closes)
    if channel in (Ch.EMAIL, Ch.ONLINE):
        hour = rng.choices(range(24), weights=ONLINE_HOUR_WEIGHTS)[0]
        minute = hour * 60 + rng.randrange(60)
    elif channel == Ch.PHONE:  # most calls in the morning
        minute = start + int((end - start - 5) * rng.betavariate(1.3, 2.2))
    else:
        minute = start + rng.randrange(max(1, end - start - 10))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60)))


def _handler(rng, channel, started_at, staff) -> User:
    weekday = timezone.localtime(started_at).weekday()
    working = {
        name: weight
        for name, weight in HANDLERS[channel].items()
        if weekday in WORKDAYS[name] or channel in (Ch.EMAIL, Ch.ONLINE)
    }
    if timezone.localtime(started_at).hour >= 18 and channel == Ch.DESK:
        working = {"frontoffice": 1, "coordinator": 1}  # the evening hours, by appointment
    names = list(working or {"frontoffice": 1})
    return staff[rng.choices(names, weights=[working.get(name, 1) for name in names])[0]]


class _Planner:
    """Turns contact slots into contacts, questions, changes, follow-ups and consents."""

    def __init__(self, rng, fake, staff, organisations, now):
        self.rng, self.fake, self.staff = rng, fake, staff
        self.organisations, self.now = organisations, now
        self.contacts: list[PlannedContact] = []
        self.needs_by_age = [
            (NEEDS, list(itertools.accumulate(need.ages[band] + 0.001 for need in NEEDS)))
            for band in range(3)
        ]
        anonymous = [need for need in NEEDS if need.anonymous]
        self.anonymous_needs = (anonymous, list(itertools.accumulate(need.anonymous for need in anonymous)))

    def contact(self, started_at, channel, location, handler, duration, person) -> PlannedContact:
        rng = self.rng
        A = Contact.AskedBy
        asked_by, asker_name = A.ANONYMOUS, ""
        if person is not None:
            asked_by = A.RESIDENT
            draw = rng.random()
            if person.representative and draw < 0.4 and channel != Ch.HOME_VISIT:
                asked_by, asker_name = A.REPRESENTATIVE, person.representative
            elif draw > 0.95 and channel in (Ch.PHONE, Ch.EMAIL):
                first, last = self.fake.first_name(), self.fake.last_name()
                asked_by, asker_name = A.PROFESSIONAL, f"{first} {last}, {rng.choice(PROFESSIONALS)}"
        registered = started_at + datetime.timedelta(minutes=duration)
        row = Contact(
            channel=channel,
            location=location,
            started_at=started_at,
            duration_minutes=duration,
            handled_by=handler,
            asked_by=asked_by,
            asker_name=asker_name,
            resident=person.resident if person else None,
            created_at=registered,
            updated_at=registered,
        )
        planned = PlannedContact(row, person)
        count = 2 if rng.random() < (0.45 if channel == Ch.HOME_VISIT else 0.28) else 1
        used: set[str] = set()
        for index in range(count):
            need, again = self._need(person, asked_by, used, first=index == 0)
            used.add(need.code)
            planned.questions.append(self._question(planned, need, again=again, index=index, count=count))
        if person is not None:
            for question in planned.questions:
                if question.need in person.asked:
                    person.asked.remove(question.need)
                person.asked.append(question.need)
                person.asked_on[question.need.code] = timezone.localdate(started_at)
        self.contacts.append(planned)
        return planned

    def _need(
        self, person: Person | None, asked_by: str, used: set[str], *, first: bool
    ) -> tuple[Need, bool]:
        rng = self.rng
        if person is None:
            needs, cumulative = self.anonymous_needs
        else:
            # People come back about what they asked before, and most have one to three themes.
            earlier = [need for need in person.asked if need.code not in used]
            if earlier:
                if first and rng.random() < 0.3:
                    return earlier[-1], True
                if rng.random() < (0.5 if len(person.asked) >= 3 else 0.2):
                    return rng.choice(earlier), True
            needs, cumulative = self.needs_by_age[0 if person.age < 40 else 1 if person.age < 65 else 2]
        for _ in range(20):
            need = needs[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
            speaks_for = asked_by in (Contact.AskedBy.REPRESENTATIVE, Contact.AskedBy.PROFESSIONAL)
            if need.code not in used and (need.about or not speaks_for):
                return need, person is not None and need in person.asked
        return next(need for need in NEEDS if need.code not in used and need.about), False

    def _fills(self, person: Person | None, started_at: datetime.datetime) -> dict[str, str]:
        rng = self.rng
        if person is not None and person.age >= 65:
            relatie = "man" if person.female else "vrouw"
        else:
            relatie = rng.choice(["moeder", "moeder", "vader", "schoonmoeder"])
        month = (started_at - datetime.timedelta(days=rng.randint(14, 120))).month
        female = person.female if person is not None else rng.random() < 0.6
        return {
            "relatie": relatie,
            "partnerrol": "man" if female else "vrouw",
            "jaren": str(rng.randint(2, 9)),
            "weken": str(rng.choice([6, 8, 10, 12, 16, 26])),
            "maand": MONTHS[month - 1],
        }

    def _wie(self, contact: Contact, person: Person) -> str:
        resident = person.resident
        if contact.asked_by == Contact.AskedBy.REPRESENTATIVE and "," not in contact.asker_name:
            if person.representative_is_partner:
                return "mijn vrouw" if person.female else "mijn man"
            return "mijn moeder" if person.female else "mijn vader"
        name = " ".join(part for part in (resident.surname_prefix, resident.surname) if part)
        return f"{'mevrouw' if person.female else 'meneer'} {name}"

    def _question(self, planned: PlannedContact, need: Need, *, again: bool, index: int, count: int):
        rng = self.rng
        contact, person = planned.row, planned.person
        fills = self._fills(person, contact.started_at)
        speaks_for = contact.asked_by in (Contact.AskedBy.REPRESENTATIVE, Contact.AskedBy.PROFESSIONAL)
        if again:
            text = rng.choice(need.again or GENERIC_AGAIN)
        elif speaks_for and need.about and person is not None:
            wie = self._wie(contact, person)
            text = rng.choice(need.about).replace("{Wie}", wie[0].upper() + wie[1:])
        else:
            text = rng.choice(need.asks)
        text = text.format(topic=need.topic, **fills)
        clarification = ""
        if again:
            earlier = person.asked_on.get(need.code) if person else None
            clarification = f"Vervolg op het contact van {earlier:%d-%m-%Y}." if earlier else ""
        elif rng.random() < (0.5 if person is None else 0.85):
            clarification = _sentence(rng.choice(need.clarifications).format(**fills))
        handler = contact.handled_by
        health = ""
        if need.health and person is not None and handler.username != "vrijwilliger" and rng.random() < 0.35:
            health = rng.choice(need.health).format(**fills)
        urgency = rng.choices(list(Question.Urgency), weights=need.urgency)[0]
        outcome = self._outcome(need, again=again, anonymous=person is None)
        unmet = ""
        if outcome == O.NO_SUPPLY:
            unmet = rng.choices(list(need.unmet), weights=list(need.unmet.values()))[0]
        created = contact.started_at + datetime.timedelta(seconds=index + 1)
        row = Question(
            question_text=text,
            clarification=clarification,
            health_notes=health,
            urgency=urgency,
            assigned_to=handler,
            minutes_spent=max(2, contact.duration_minutes // count),
            resident=contact.resident,
            created_at=created,
            updated_at=created,
        )
        planned_question = PlannedQuestion(need, row)
        self._settle(planned_question, contact, person, outcome, unmet, fills)
        return planned_question

    def _outcome(self, need: Need, *, again: bool, anonymous: bool) -> str:
        weights = dict(need.outcomes)
        if again:  # coming back: mostly information, else what this need can lead to
            usual = (O.INFORMATION, O.ADVICE)
            weights = {
                key: value for key, value in AGAIN_OUTCOMES.items() if key in need.outcomes or key in usual
            }
        if anonymous:  # without a name there is no Wmo report and no referral
            weights.pop(O.WMO_REPORT, None)
            weights.pop(O.REFERRED, None)
            weights[O.INFORMATION] = weights.get(O.INFORMATION, 0) + 10
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _answer(self, need: Need, outcome: str, unmet: str, fills: dict[str, str]) -> str:
        values = {"topic": need.topic, "partner": need.partner, "elsewhere": need.elsewhere, **fills}
        if outcome == O.NO_SUPPLY:
            template = need.unmet_answer or UNMET_ANSWERS[unmet]
        else:
            template = self.rng.choice(ANSWERS[outcome])
        return _sentence(template.format(**values))

    def _settle(self, planned: PlannedQuestion, contact: Contact, person, outcome, unmet, fills) -> None:
        """Decide when the question closed (if it has), and what history and follow-ups it left."""
        rng, now = self.rng, self.now
        question = planned.row
        registered = contact.created_at
        if person is None or rng.random() < CLOSED_AT_ONCE[outcome]:
            closing = registered
        else:
            closing = _working_moment(
                rng,
                contact.started_at + datetime.timedelta(days=rng.randint(1, CLOSING_DAYS.get(outcome, 10))),
            )
        stale = person is not None and rng.random() < 0.01  # forgotten: a job for the coordinator
        until = person.until if person else None
        if until is not None and timezone.localdate(closing) >= until:
            # The register reported a death or a move before the question was settled.
            closing = _working_moment(rng, _aware(until + datetime.timedelta(days=rng.randint(1, 4))))
            if closing < now:
                deceased = person.resident.status == Resident.Status.DECEASED
                outcome, unmet = (O.DECEASED, "") if deceased else (O.SIGNPOSTED, "")
                answer = (
                    "Inwoner is overleden (bericht uit de BRP)."
                    if deceased
                    else ("Inwoner is verhuisd uit de regio; gewezen op het loket van de nieuwe gemeente.")
                )
                self._close_later(planned, contact, closing, outcome, unmet, answer, via_waiting=False)
                return
        if not stale and closing <= now:
            answer = self._answer(planned.need, outcome, unmet, fills)
            if closing == registered:
                question.status, question.outcome, question.unmet_reason = (
                    Question.Status.CLOSED,
                    outcome,
                    unmet,
                )
                question.answer, question.closed_at = answer, closing
                self._after_closing(planned, contact, person, closing)
            else:
                office = ("frontoffice", "vrijwilliger")
                if outcome == O.WMO_REPORT and question.assigned_to.username in office and rng.random() < 0.4:
                    self._reassign(planned, contact, self.staff["consulent"])
                via_waiting = (closing - registered).days >= 2 and rng.random() < 0.5
                self._close_later(planned, contact, closing, outcome, unmet, answer, via_waiting=via_waiting)
                self._after_closing(planned, contact, person, closing)
            if outcome == O.REFERRED and person is not None:
                self._consent(planned, contact)
            return
        # Still open: waiting for a partner, the resident or a call back.
        waiting = rng.random() < (0.6 if outcome in (O.REFERRED, O.WMO_REPORT, O.NO_SUPPLY) else 0.25)
        if waiting:
            moment = min(now, _working_moment(rng, registered + datetime.timedelta(days=rng.randint(0, 2))))
            self._change(planned, moment, question.assigned_to, {"status": ["open", "waiting"]})
            question.status = Question.Status.WAITING
        if outcome == O.REFERRED and waiting:
            self._consent(planned, contact)
        if rng.random() < 0.75:
            due = _working_day(timezone.localdate(registered) + datetime.timedelta(days=rng.randint(3, 14)))
            today = timezone.localdate(now)
            if due < today - datetime.timedelta(days=2) and rng.random() < 0.8:
                done_at = min(now, _working_moment(rng, _aware(due)))
                self._follow_up(planned, contact, FollowUp.Kind.CALL_BACK, due, registered, done_at=done_at)
                due = _working_day(due + datetime.timedelta(days=rng.randint(7, 21)))
                registered = done_at
            self._follow_up(planned, contact, FollowUp.Kind.CALL_BACK, due, registered)
            if until is not None and due >= until:
                planned.follow_ups[-1].status = FollowUp.Status.CANCELLED

    def _close_later(self, planned, contact, closing, outcome, unmet, answer, *, via_waiting: bool) -> None:
        question = planned.row
        closer = question.assigned_to
        if via_waiting:
            moment = _working_moment(self.rng, contact.created_at + datetime.timedelta(days=1))
            self._change(planned, min(moment, closing), closer, {"status": ["open", "waiting"]})
        before = "waiting" if via_waiting else question.status
        fields = {"status": [before, "closed"], "outcome": ["", outcome], "answer": ["", answer]}
        if unmet:
            fields["unmet_reason"] = ["", unmet]
        self._change(planned, closing, closer, fields)
        question.status, question.outcome, question.unmet_reason = Question.Status.CLOSED, outcome, unmet
        question.answer, question.closed_at = answer, closing
        question.minutes_spent += self.rng.randint(5, 45)
        if self.rng.random() < 0.4 and outcome != O.DECEASED:
            due = timezone.localdate(closing)
            self._follow_up(
                planned, contact, FollowUp.Kind.CALL_BACK, due, contact.created_at, done_at=closing
            )

    def _reassign(self, planned: PlannedQuestion, contact: Contact, to: User) -> None:
        question = planned.row
        moment = _working_moment(self.rng, contact.created_at + datetime.timedelta(hours=2))
        self._change(
            planned,
            min(moment, self.now),
            question.assigned_to,
            {"assigned_to": [question.assigned_to.pk, to.pk]},
        )
        question.assigned_to = to

    def _change(self, planned: PlannedQuestion, moment, user: User, fields: dict) -> None:
        planned.changes.append(QuestionChange(changed_at=moment, changed_by=user, fields=fields))
        planned.row.version = 1 + len(planned.changes)
        planned.row.updated_at = max(planned.row.updated_at, moment)

    def _after_closing(self, planned: PlannedQuestion, contact: Contact, person, closing) -> None:
        """Check whether the help arrived: after a referral, a Wmo report or a waiting list."""
        rng, question = self.rng, planned.row
        if person is None:
            return
        chance, weeks, assignee = 0.0, (2, 4), question.assigned_to
        if question.outcome == O.REFERRED:
            chance = 0.35
        elif question.outcome == O.WMO_REPORT:
            chance, assignee = 0.25, self.staff["consulent"]
        elif question.outcome == O.NO_SUPPLY and question.unmet_reason == R.WAITING_LIST:
            chance, weeks = 0.4, (6, 10)
        if rng.random() >= chance:
            return
        due = _working_day(timezone.localdate(closing) + datetime.timedelta(weeks=rng.randint(*weeks)))
        today = timezone.localdate(self.now)
        follow_up = self._follow_up(planned, contact, FollowUp.Kind.CHECK_IN, due, closing, assignee=assignee)
        if person.until is not None and due >= person.until:
            follow_up.status = FollowUp.Status.CANCELLED
            follow_up.result = "Vervallen: bericht uit de BRP."
            follow_up.updated_at = _aware(person.until)
        elif due < today - datetime.timedelta(days=3) and rng.random() < 0.95:
            done_at = min(self.now, _working_moment(rng, _aware(due)))
            follow_up.status, follow_up.done_at = FollowUp.Status.DONE, done_at
            follow_up.result = rng.choice(CHECK_IN_RESULTS)
            follow_up.updated_at = done_at

    def _follow_up(self, planned, contact, kind, due, created, *, done_at=None, assignee=None) -> FollowUp:
        note = (
            "Nagaan of de hulp is aangekomen."
            if kind == FollowUp.Kind.CHECK_IN
            else self.rng.choice(CALL_BACK_NOTES)
        )
        follow_up = FollowUp(
            kind=kind,
            due_date=due,
            assigned_to=assignee or planned.row.assigned_to,
            note=note,
            created_at=created,
            updated_at=done_at or created,
        )
        if done_at is not None:
            follow_up.status, follow_up.done_at = FollowUp.Status.DONE, done_at
            follow_up.result = self.rng.choice(CALL_BACK_RESULTS)
        planned.follow_ups.append(follow_up)
        return follow_up

    def _consent(self, planned: PlannedQuestion, contact: Contact) -> None:
        organisation = self.organisations.get(planned.need.partner)
        if organisation is None:
            return
        S = Consent.Scope
        given_by = contact.asker_name if contact.asked_by == Contact.AskedBy.REPRESENTATIVE else ""
        planned.consent = Consent(
            resident=contact.resident,
            purpose=f"Doorverwijzing naar {organisation.name}: {planned.need.topic}",
            organisation=organisation,
            scope=sorted([S.CONTACT_DETAILS, S.QUESTION, S.CLARIFICATION]),
            given_at=contact.started_at,
            given_by=given_by,
            recorded_by=contact.handled_by,
            created_at=contact.created_at,
            updated_at=contact.created_at,
        )


# --- writing -----------------------------------------------------------------------------------


def _save(plan: list[PlannedContact], *, desk: Desk, rng, staff, now) -> dict[str, int]:
    domains = {domain.code: domain for domain in LifeDomain.objects.filter(is_active=True)}
    with historical_timestamps(Contact, Question, FollowUp, QuestionChange, Consent):
        contacts = [planned.row for planned in plan]
        for contact in contacts:
            contact.desk = desk
        Contact.objects.bulk_create(contacts, batch_size=500)
        questions = []
        for planned in plan:
            for planned_question in planned.questions:
                planned_question.row.contact = planned.row
                questions.append(planned_question.row)
        Question.objects.bulk_create(questions, batch_size=500)
        through = Question.domains.through
        links, changes, follow_ups, consents = [], [], [], []
        for planned in plan:
            for item in planned.questions:
                for code in item.need.domains:
                    if code in domains:
                        links.append(through(question_id=item.row.pk, lifedomain_id=domains[code].pk))
                for change in item.changes:
                    change.question = item.row
                    changes.append(change)
                for follow_up in item.follow_ups:
                    follow_up.question = item.row
                    follow_ups.append(follow_up)
                if item.consent is not None:
                    consents.append(item.consent)
        through.objects.bulk_create(links, batch_size=1000)
        QuestionChange.objects.bulk_create(changes, batch_size=500)
        FollowUp.objects.bulk_create(follow_ups, batch_size=500)
        Consent.objects.bulk_create(consents, batch_size=500)
    assessments = _assessments(plan, rng=rng, staff=staff, now=now)
    return {
        "contacts": len(contacts),
        "questions": len(questions),
        "follow_ups": len(follow_ups),
        "assessments": assessments,
    }


def _assessments(plan: list[PlannedContact], *, rng, staff, now) -> int:
    """ZRM measurements at home visits; a second one months later for some, to show progress."""
    instrument = AssessmentInstrument.objects.filter(code="zrm").first()
    if instrument is None:
        return 0
    zrm = {domain.code: domain for domain in instrument.domains.all()}
    rows: list[tuple[Assessment, dict[str, int]]] = []
    measured: set[int] = set()
    for planned in plan:
        contact, person = planned.row, planned.person
        if person is None or contact.channel != Ch.HOME_VISIT or contact.handled_by.username != "consulent":
            continue
        if person.resident.pk in measured or rng.random() >= 0.5:
            continue
        measured.add(person.resident.pk)
        question = planned.questions[0]
        focus = ZRM_FOCUS.get(question.need.domains[0], "")
        scores = _zrm_scores(rng, person.age, focus, zrm)
        first = Assessment(
            instrument=instrument,
            resident=person.resident,
            question=question.row,
            assessed_at=contact.started_at + datetime.timedelta(minutes=contact.duration_minutes // 2),
            assessed_by=contact.handled_by,
        )
        rows.append((first, scores))
        later = first.assessed_at + datetime.timedelta(weeks=rng.randint(8, 20))
        if later < now and rng.random() < 0.4 and (person.until is None or later.date() < person.until):
            improved = dict(scores)
            for code in rng.sample(sorted(improved), k=3) + ([focus] if focus in improved else []):
                improved[code] = min(5, improved[code] + 1)
            if person.age >= 80 and "lichamelijke-gezondheid" in improved and rng.random() < 0.4:
                improved["lichamelijke-gezondheid"] = max(1, improved["lichamelijke-gezondheid"] - 1)
            second = Assessment(
                instrument=instrument,
                resident=person.resident,
                question=None,
                assessed_at=_working_moment(rng, later),
                assessed_by=staff["consulent"],
            )
            if second.assessed_at < now:
                rows.append((second, improved))
    Assessment.objects.bulk_create([assessment for assessment, _scores in rows], batch_size=500)
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(assessment=assessment, domain=zrm[code], score=score)
            for assessment, scores in rows
            for code, score in scores.items()
        ],
        batch_size=1000,
    )
    return len(rows)


def _zrm_scores(rng, age: int, focus: str, zrm: dict) -> dict[str, int]:
    """Scores from 1 (acute problems) to 5 (fully self-reliant), lower where the question lies."""
    typical = {
        "financien": 4,
        "werk-opleiding": 3,
        "tijdsbesteding": 3,
        "huisvesting": 4,
        "huiselijke-relaties": 4,
        "geestelijke-gezondheid": 4,
        "lichamelijke-gezondheid": 3 if age < 75 else 2,
        "middelengebruik": 5,
        "basale-adl": 4 if age < 80 else 3,
        "instrumentele-adl": 3,
        "sociaal-netwerk": 3,
        "maatschappelijke-participatie": 3,
        "justitie": 5,
    }
    scores = {}
    for code, score in typical.items():
        if code not in zrm or (code == "werk-opleiding" and age >= 67):
            continue
        drift = rng.choices([-1, 0, 1], weights=[25, 55, 20])[0] if score < 5 else 0
        scores[code] = max(1, min(5, score + drift - (1 if code == focus else 0)))
    return scores


# --- small helpers -----------------------------------------------------------------------------


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _working_moment(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """A moment during office hours on the same or the next working day, never before ``moment``."""
    day = _working_day(timezone.localdate(moment))
    minute = rng.randint(9 * 60, 16 * 60 + 30)
    chosen = timezone.make_aware(datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60)))
    return chosen if chosen >= moment else moment + datetime.timedelta(minutes=rng.randint(5, 60))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
