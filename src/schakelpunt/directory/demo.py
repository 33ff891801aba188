"""Demo social map: the supply of wonen, zorg en welzijn in Enschede, Hengelo and Oldenzaal.

The desk's participating organisations are linked as directory organisations (so the demo
partner, of Thuiszorg Tukkerland, has services to keep), next to some thirty other local
providers with fictitious but plausible names. About three hundred services across the
categories and target groups of the Dutch taxonomy, with locations and addresses in the three
towns, weekly opening hours, phone numbers, costs (many free), age ranges, capacity (mostly
room, some waiting lists, a few full) and confirmation dates spread over the last year, so
that some are "te controleren".

Every row has a fixed id derived from what it is, and only missing rows are written
(bulk_create, with a first history row for organisations, locations and services): running
the demo twice changes nothing. The details come from a fixed seed, whatever ``--seed`` says,
so the ids and the details always belong together.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from schakelpunt.directory.defaults import seed_taxonomies, term_id
from schakelpunt.directory.indexing import refresh_search_text
from schakelpunt.directory.models import (
    Address,
    CostOption,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTerm,
)
from schakelpunt.organisations.demo import DISTRICTS
from schakelpunt.organisations.models import District, Municipality
from schakelpunt.organisations.models import Organisation as Participant

NAMESPACE = uuid.UUID("0b5d9c5e-3f57-4d7e-8c2a-71e4a6f0d2b9")
SEED = 4  # the details' own seed (see the module docstring)
H = datetime.time


def demo_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


# town → municipality code, telephone area code, streets, (latitude, longitude) of the centre
TOWNS = {
    "Enschede": (
        "GM0153",
        "053",
        [
            "Hengelosestraat",
            "Oldenzaalsestraat",
            "Haaksbergerstraat",
            "Gronausestraat",
            "Deurningerstraat",
            "Pathmossingel",
            "Brinkstraat",
            "Lasondersingel",
            "Boulevard 1945",
            "Van Lochemstraat",
            "Het Bijvank",
            "Wesselerbrinklaan",
        ],
        (52.2215, 6.8937),
    ),
    "Hengelo": (
        "GM0164",
        "074",
        [
            "Enschedesestraat",
            "Oldenzaalsestraat",
            "Deldenerstraat",
            "Marktstraat",
            "Boekeloseweg",
            "Beursstraat",
            "Anninksweg",
            "Wilderinkshoek",
        ],
        (52.2658, 6.7931),
    ),
    "Oldenzaal": (
        "GM0173",
        "0541",
        [
            "Ganzenmarkt",
            "Haerstraat",
            "Bisschopstraat",
            "Vondelstraat",
            "Gravenhorsterweg",
            "Oliemolensingel",
        ],
        (52.3131, 6.9292),
    ),
}
ALL = ("Enschede", "Hengelo", "Oldenzaal")
EH = ("Enschede", "Hengelo")

WMO_FEE = "Eigen bijdrage Wmo: het abonnementstarief van maximaal € 21,80 per vier weken."
FREE = ""

# key → name, categories, target groups, description, for whom, (min, max age), free, fees,
# how to apply, capacity profile ("open": mostly room, "wait": often a waiting list, "tight":
# waiting list or full)
SERVICES: dict[str, tuple] = {
    "hh": (
        "Huishoudelijke hulp",
        ["ZORG-HH"],
        ["DG-OUD", "DG-BEP", "DG-CHRON"],
        "Hulp bij het schoonhouden van uw huis, de was en het opruimen, zodat u thuis kunt blijven wonen.",
        "Inwoners die dit zelf of met hun netwerk niet kunnen. Met een Wmo-indicatie of als "
        "particuliere hulp.",
        (18, None),
        False,
        WMO_FEE + " Particulier: € 29,50 per uur.",
        "Meld u aan bij het loket (Wmo) of bel ons voor particuliere hulp.",
        "wait",
    ),
    "pv": (
        "Persoonlijke verzorging",
        ["ZORG-PV"],
        ["DG-OUD", "DG-CHRON"],
        "Hulp bij wassen, aankleden, steunkousen en medicijnen, op vaste tijden of wanneer het nodig is.",
        "Via de huisarts of de wijkverpleegkundige; vergoed uit de basisverzekering.",
        (None, None),
        True,
        "Vergoed door de zorgverzekeraar, zonder eigen risico.",
        "Vraag uw huisarts of bel de wijkverpleging.",
        "wait",
    ),
    "wv": (
        "Wijkverpleging",
        ["ZORG-PV"],
        ["DG-OUD", "DG-CHRON"],
        "Verpleging thuis: wondzorg, injecties, begeleiding na een ziekenhuisopname en advies aan "
        "mantelzorgers.",
        "Iedereen die verpleging thuis nodig heeft; de wijkverpleegkundige stelt de zorg vast.",
        (None, None),
        True,
        "Vergoed door de zorgverzekeraar, zonder eigen risico.",
        "Bel het wijkteam; 24 uur per dag bereikbaar.",
        "open",
    ),
    "alarm": (
        "Personenalarmering",
        ["ZORG-ALARM"],
        ["DG-OUD", "DG-CHRON"],
        "Een alarmknop om de hals of pols: één druk en u spreekt met de meldkamer, die een "
        "contactpersoon of de thuiszorg stuurt.",
        "Inwoners die alleen wonen en kans hebben op vallen of onwel worden.",
        (None, None),
        False,
        "€ 19,95 per maand; met een aanvullende verzekering vaak vergoed.",
        "Vraag het aan via de website of telefonisch; aansluiting binnen een week.",
        "open",
    ),
    "beg": (
        "Individuele begeleiding",
        ["ZORG-BEG"],
        ["DG-BEP", "DG-PSY"],
        "Een vaste begeleider helpt u thuis structuur te houden: post, afspraken, huishouden en contacten.",
        "Met een Wmo-beschikking voor begeleiding.",
        (18, None),
        False,
        WMO_FEE,
        "Via het loket (Wmo-melding).",
        "tight",
    ),
    "dag": (
        "Dagbesteding",
        ["ZORG-DAG"],
        ["DG-OUD", "DG-DEM", "DG-BEP"],
        "Een zinvolle dag in een kleine groep: samen koken, bewegen, creatief bezig zijn en een "
        "warme maaltijd.",
        "Met een Wmo-indicatie voor dagbesteding; vervoer kan worden geregeld.",
        (18, None),
        False,
        WMO_FEE + " Vervoer: € 2,50 per rit.",
        "Via het loket; kom gerust eerst een dagdeel kijken.",
        "tight",
    ),
    "dagjong": (
        "Dagbesteding voor jongvolwassenen",
        ["ZORG-DAG"],
        ["DG-BEP", "DG-JONG"],
        "Werkplaats, groen en horeca: dagbesteding met een werkkarakter voor jongvolwassenen.",
        "Jongvolwassenen met een beperking, met een indicatie.",
        (18, 30),
        False,
        WMO_FEE,
        "Via het loket of de school.",
        "wait",
    ),
    "mz": (
        "Mantelzorgondersteuning",
        ["ZORG-MZ"],
        ["DG-MZ"],
        "Een consulent denkt met u mee, helpt u uw grenzen te bewaken en regelt waar nodig vervanging.",
        "Iedereen die voor een naaste zorgt.",
        (None, None),
        True,
        FREE,
        "Bel of mail; een huisbezoek kan ook.",
        "open",
    ),
    "mzwaard": (
        "Mantelzorgwaardering en lotgenotencontact",
        ["ZORG-MZ", "WEL-ONTM"],
        ["DG-MZ"],
        "Jaarlijkse mantelzorgwaardering, themabijeenkomsten en een mantelzorgcafé.",
        "Mantelzorgers die in de gemeente wonen of voor iemand in de gemeente zorgen.",
        (None, None),
        True,
        FREE,
        "Aanmelden via de website of telefonisch.",
        "open",
    ),
    "resp": (
        "Respijtzorg en logeeropvang",
        ["ZORG-RESP"],
        ["DG-MZ", "DG-DEM"],
        "Logeeropvang van een paar dagen, zodat de mantelzorger even kan bijkomen.",
        "Met een indicatie (Wmo of Wlz).",
        (None, None),
        False,
        WMO_FEE,
        "Via het loket of de casemanager dementie.",
        "tight",
    ),
    "respvrijw": (
        "Vrijwillige thuishulp voor mantelzorgers",
        ["ZORG-RESP", "WEL-VRIJW"],
        ["DG-MZ"],
        "Een getrainde vrijwilliger neemt een dagdeel per week de zorg over.",
        "Mantelzorgers die overbelast dreigen te raken.",
        (None, None),
        True,
        FREE,
        "Bel voor een kennismakingsgesprek.",
        "wait",
    ),
    "hulpm": (
        "Uitleen van hulpmiddelen",
        ["ZORG-HULPM"],
        ["DG-OUD", "DG-BEP"],
        "Krukken, rolstoelen, douchestoelen en meer tijdelijk te leen, bijvoorbeeld na een operatie.",
        "Iedereen met een (tijdelijke) beperking; meestal met een verwijzing.",
        (None, None),
        False,
        "Eerste 26 weken vaak vergoed door de zorgverzekeraar; borg € 25.",
        "Kom langs met uw zorgpas.",
        "open",
    ),
    "scoot": (
        "Scootmobiel en rolstoel via de Wmo",
        ["ZORG-HULPM"],
        ["DG-OUD", "DG-BEP"],
        "Een scootmobiel of rolstoel in bruikleen van de gemeente, met onderhoud.",
        "Na een Wmo-onderzoek.",
        (None, None),
        False,
        WMO_FEE,
        "Via het loket (Wmo-melding).",
        "open",
    ),
    "ggz": (
        "Ambulante ggz",
        ["ZORG-GGZ"],
        ["DG-PSY"],
        "Gesprekken met een psycholoog of sociaal-psychiatrisch verpleegkundige bij somberheid, "
        "angst of stress.",
        "Met een verwijzing van de huisarts.",
        (18, None),
        False,
        "Vergoed uit de basisverzekering; eigen risico van toepassing.",
        "Via de huisarts.",
        "tight",
    ),
    "ggzinloop": (
        "Inloop voor psychische gezondheid",
        ["ZORG-GGZ", "WEL-ONTM"],
        ["DG-PSY", "DG-EENZ"],
        "Zonder afspraak binnenlopen voor een kop koffie, een gesprek of een activiteit.",
        "Iedereen die psychisch kwetsbaar is.",
        (18, None),
        True,
        FREE,
        "Loop binnen tijdens de openingstijden.",
        "open",
    ),
    "dem": (
        "Casemanagement dementie",
        ["ZORG-DEM"],
        ["DG-DEM", "DG-MZ"],
        "Een vaste casemanager begeleidt mensen met dementie en hun naasten, vanaf de diagnose.",
        "Na een diagnose of een sterk vermoeden van dementie.",
        (None, None),
        True,
        "Vergoed door de zorgverzekeraar.",
        "Via de huisarts.",
        "wait",
    ),
    "demcafe": (
        "Alzheimer Café",
        ["ZORG-DEM", "WEL-ONTM"],
        ["DG-DEM", "DG-MZ"],
        "Elke maand een avond met uitleg, gesprek en ontmoeting rond dementie.",
        "Mensen met dementie, hun naasten en belangstellenden.",
        (None, None),
        True,
        FREE,
        "Vrije inloop.",
        "open",
    ),
    "versl": (
        "Verslavingszorg",
        ["ZORG-VERSL"],
        ["DG-PSY", "DG-JONG"],
        "Hulp bij problemen met alcohol, drugs, gokken of gamen, ook voor naasten.",
        "Iedereen vanaf 12 jaar; voor behandeling een verwijzing.",
        (12, None),
        True,
        "Preventie en eerste gesprek gratis; behandeling via de zorgverzekeraar.",
        "Bel voor een eerste gesprek.",
        "wait",
    ),
    "woonzoek": (
        "Woning zoeken en inschrijven",
        ["WON-ZOEK"],
        [],
        "Uitleg over inschrijven als woningzoekende, reageren op woningen en uw kansen vergroten.",
        "Iedereen vanaf 18 jaar die een huurwoning zoekt.",
        (18, None),
        False,
        "Inschrijfgeld € 25 eenmalig.",
        "Schrijf u in via de website of kom langs.",
        "open",
    ),
    "urgentie": (
        "Urgentieverklaring",
        ["WON-ZOEK"],
        ["DG-DAK", "DG-SLACHT"],
        "Een urgentieverklaring geeft voorrang op een woning in een noodsituatie.",
        "Inwoners in een acute noodsituatie die zelf geen oplossing kunnen vinden.",
        (18, None),
        False,
        "Leges € 50; kwijtschelding mogelijk.",
        "Vraag het aan via het loket; een consulent beoordeelt de aanvraag.",
        "open",
    ),
    "huurachter": (
        "Hulp bij huurachterstand",
        ["WON-HUUR", "FIN-SCHULD"],
        ["DG-SCHULD"],
        "Bij een huurachterstand zoeken we samen naar een regeling, om huisuitzetting te voorkomen.",
        "Huurders met een betalingsachterstand.",
        (18, None),
        True,
        FREE,
        "Neem zo snel mogelijk contact op; ook als u een brief van de deurwaarder heeft.",
        "open",
    ),
    "huurtoeslag": (
        "Spreekuur huurtoeslag en huurverhoging",
        ["WON-HUUR", "FIN-INK"],
        ["DG-OUD", "DG-LAAGG"],
        "Hulp bij het aanvragen van huurtoeslag en bij vragen over de huurverhoging.",
        "Huurders met een laag inkomen.",
        (18, None),
        True,
        FREE,
        "Vrije inloop; neem uw inkomensgegevens mee.",
        "open",
    ),
    "woonaanp": (
        "Woningaanpassing",
        ["WON-AANP"],
        ["DG-OUD", "DG-BEP"],
        "Een traplift, drempelhulpen, een aangepaste badkamer of een andere aanpassing in huis.",
        "Na een Wmo-onderzoek; bij huurwoningen in overleg met de verhuurder.",
        (None, None),
        False,
        "Eigen bijdrage afhankelijk van de aanpassing.",
        "Via het loket (Wmo-melding).",
        "wait",
    ),
    "klus": (
        "Klussendienst",
        ["WON-KLUS"],
        ["DG-OUD", "DG-BEP"],
        "Vrijwilligers helpen bij kleine klussen: een lamp ophangen, een kraan vervangen, de tuin bijhouden.",
        "Inwoners die de klus zelf niet kunnen en geen netwerk hebben.",
        (None, None),
        False,
        "€ 5 per klus, plus materiaal.",
        "Bel of mail de klussendienst.",
        "open",
    ),
    "beschwon": (
        "Beschermd wonen",
        ["WON-BESCH"],
        ["DG-PSY"],
        "Wonen met 24-uurs toezicht en begeleiding, op weg naar meer zelfstandigheid.",
        "Volwassenen met psychische problemen die (nog) niet zelfstandig kunnen wonen; met een indicatie.",
        (18, None),
        False,
        "Eigen bijdrage via het CAK.",
        "Via het loket of de behandelaar.",
        "tight",
    ),
    "begwon": (
        "Begeleid wonen",
        ["WON-BESCH", "ZORG-BEG"],
        ["DG-BEP", "DG-JONG"],
        "Een eigen appartement met begeleiding op afspraak en een steunpunt in de buurt.",
        "Jongvolwassenen en volwassenen met een indicatie.",
        (18, None),
        False,
        WMO_FEE,
        "Via het loket.",
        "tight",
    ),
    "nachtopv": (
        "Nachtopvang",
        ["WON-OPV"],
        ["DG-DAK"],
        "Een bed, een douche en een ontbijt voor wie geen dak boven het hoofd heeft.",
        "Dakloze volwassenen uit de regio.",
        (18, None),
        False,
        "€ 3,50 per nacht; niemand wordt weggestuurd omdat hij niet kan betalen.",
        "Meld u 's avonds tussen 21.00 en 22.00 uur.",
        "tight",
    ),
    "crisisopv": (
        "Crisisopvang en vrouwenopvang",
        ["WON-OPV", "VEIL-HG"],
        ["DG-SLACHT", "DG-GEZIN"],
        "Veilige opvang bij huiselijk geweld, met begeleiding voor ouder en kinderen.",
        "Wie thuis niet veilig is; aanmelding via Veilig Thuis of de politie.",
        (None, None),
        True,
        FREE,
        "Bel dag en nacht.",
        "tight",
    ),
    "ontm": (
        "Buurthuis en inloop",
        ["WEL-ONTM"],
        ["DG-EENZ", "DG-OUD"],
        "Koffie-inloop, spelletjesmiddag, handwerkclub en samen eten: er is altijd iemand om mee te praten.",
        "Alle buurtbewoners.",
        (None, None),
        True,
        FREE,
        "Loop binnen.",
        "open",
    ),
    "vrijwcentrale": (
        "Vrijwilligerscentrale",
        ["WEL-VRIJW"],
        [],
        "Vacatures voor vrijwilligerswerk en advies over wat bij u past.",
        "Iedereen die vrijwilligerswerk zoekt.",
        (16, None),
        True,
        FREE,
        "Kom langs tijdens het spreekuur of kijk op de vacaturebank.",
        "open",
    ),
    "mw": (
        "Algemeen maatschappelijk werk",
        ["WEL-MW"],
        [],
        "Gesprekken over wat u bezighoudt: relatie, rouw, opvoeding, geld of werk. Samen zoeken we "
        "een oplossing.",
        "Iedereen vanaf 18 jaar.",
        (18, None),
        True,
        FREE,
        "Bel of loop binnen tijdens het spreekuur.",
        "wait",
    ),
    "cond": (
        "Onafhankelijke cliëntondersteuning",
        ["WEL-COND"],
        ["DG-OUD", "DG-BEP", "DG-MZ"],
        "Een onafhankelijke cliëntondersteuner helpt u uw vraag helder te krijgen en gaat mee naar "
        "het keukentafelgesprek.",
        "Iedereen met een vraag over zorg of ondersteuning; ook bij de Wlz.",
        (None, None),
        True,
        FREE,
        "Bel of mail; wij komen bij u thuis.",
        "open",
    ),
    "eenz": (
        "Maatjesproject tegen eenzaamheid",
        ["WEL-EENZ"],
        ["DG-EENZ", "DG-OUD"],
        "Een vrijwilliger komt regelmatig langs voor een praatje, een wandeling of een kop koffie.",
        "Inwoners die zich eenzaam voelen.",
        (18, None),
        True,
        FREE,
        "Meld u aan; na een kennismaking zoeken we een passend maatje.",
        "wait",
    ),
    "belcirkel": (
        "Belcirkel",
        ["WEL-EENZ"],
        ["DG-OUD", "DG-EENZ"],
        "Elke ochtend een telefoontje: gaat alles goed? Zo niet, dan komt er iemand kijken.",
        "Alleenwonende ouderen.",
        (65, None),
        True,
        FREE,
        "Aanmelden via de ouderenadviseur.",
        "open",
    ),
    "vervoer": (
        "Vrijwillige vervoersdienst",
        ["WEL-VERV"],
        ["DG-OUD", "DG-BEP"],
        "Vrijwilligers rijden u naar het ziekenhuis, de huisarts of familie.",
        "Inwoners die geen eigen vervoer hebben en slecht ter been zijn.",
        (None, None),
        False,
        "€ 0,35 per kilometer.",
        "Bel minstens twee werkdagen van tevoren.",
        "open",
    ),
    "regiotaxi": (
        "Regiotaxi Wmo",
        ["WEL-VERV"],
        ["DG-OUD", "DG-BEP"],
        "Deur-tot-deurvervoer in de regio tegen een gereduceerd tarief met een Wmo-vervoerspas.",
        "Met een Wmo-vervoerspas.",
        (None, None),
        False,
        "€ 1,10 opstaptarief plus € 0,25 per zone.",
        "Vraag de pas aan via het loket; reserveer een uur van tevoren.",
        "open",
    ),
    "maaltijd": (
        "Maaltijdservice aan huis",
        ["WEL-MAALT"],
        ["DG-OUD", "DG-CHRON"],
        "Elke dag een verse of diepgevroren maaltijd aan huis, ook dieetmaaltijden.",
        "Iedereen die zelf niet (meer) kan koken.",
        (None, None),
        False,
        "€ 8,95 per maaltijd.",
        "Bestel telefonisch of online.",
        "open",
    ),
    "samenEten": (
        "Samen eten in de wijk",
        ["WEL-MAALT", "WEL-ONTM"],
        ["DG-EENZ", "DG-OUD"],
        "Eén keer per week samen een driegangenmenu, gekookt door vrijwilligers.",
        "Alle buurtbewoners.",
        (None, None),
        False,
        "€ 6,00 per maaltijd.",
        "Opgeven tot de dag ervoor.",
        "open",
    ),
    "bewegen": (
        "Bewegen voor ouderen",
        ["WEL-BEWEG"],
        ["DG-OUD"],
        "Stoelyoga, wandelvoetbal en valpreventie in kleine groepen.",
        "Inwoners van 55 jaar en ouder.",
        (55, None),
        False,
        "€ 3 per les; eerste les gratis.",
        "Kom een keer meedoen.",
        "open",
    ),
    "schuld": (
        "Schuldhulpverlening",
        ["FIN-SCHULD"],
        ["DG-SCHULD"],
        "Een schuldhulpverlener brengt uw schulden in kaart en zoekt naar een oplossing, zo nodig "
        "een schuldregeling.",
        "Inwoners met problematische schulden.",
        (18, None),
        True,
        FREE,
        "Meld u aan via het loket; binnen drie werkdagen een eerste gesprek.",
        "wait",
    ),
    "schuldmaatje": (
        "Schuldhulpmaatje",
        ["FIN-SCHULD", "FIN-ADM"],
        ["DG-SCHULD"],
        "Een getrainde vrijwilliger helpt u overzicht te krijgen en houden, naast de schuldhulpverlening.",
        "Inwoners met geldzorgen.",
        (18, None),
        True,
        FREE,
        "Aanmelden via de website of het loket.",
        "wait",
    ),
    "bijzbijst": (
        "Bijzondere bijstand en minimaregelingen",
        ["FIN-INK"],
        ["DG-SCHULD", "DG-GEZIN"],
        "Vergoeding voor noodzakelijke kosten die u zelf niet kunt betalen, en de kindregelingen.",
        "Inwoners met een inkomen tot 120% van het sociaal minimum.",
        (18, None),
        True,
        FREE,
        "Aanvragen via de website of het loket.",
        "open",
    ),
    "formulier": (
        "Formulierenhulp",
        ["FIN-ADM"],
        ["DG-LAAGG", "DG-OUD", "DG-NIEUW"],
        "Hulp bij formulieren, brieven van instanties en belastingaangifte.",
        "Iedereen die er zelf niet uitkomt.",
        (18, None),
        True,
        FREE,
        "Loop binnen tijdens het spreekuur; neem uw post mee.",
        "open",
    ),
    "bewind": (
        "Beschermingsbewind en budgetbeheer",
        ["FIN-BEWIND"],
        ["DG-SCHULD", "DG-BEP"],
        "Een bewindvoerder beheert uw inkomsten en betaalt uw vaste lasten.",
        "Op uitspraak van de kantonrechter of op eigen verzoek (budgetbeheer).",
        (18, None),
        False,
        "Tarieven volgens de regeling; vaak via de bijzondere bijstand vergoed.",
        "Bel voor een intakegesprek.",
        "open",
    ),
    "voedsel": (
        "Voedselbank",
        ["FIN-VOEDSEL"],
        ["DG-SCHULD", "DG-GEZIN"],
        "Een wekelijks voedselpakket voor huishoudens die tijdelijk niet rond kunnen komen.",
        "Na een toets van inkomen en uitgaven door een verwijzer.",
        (None, None),
        True,
        FREE,
        "Via een verwijzer, zoals het maatschappelijk werk of het loket.",
        "open",
    ),
    "opvoed": (
        "Opvoedondersteuning",
        ["JEUGD-OPV"],
        ["DG-GEZIN"],
        "Een gesprek of een korte cursus bij vragen over opvoeden, pubers, slapen of eten.",
        "Ouders en verzorgers van kinderen tot 23 jaar.",
        (None, None),
        True,
        FREE,
        "Bel of mail; ook op het consultatiebureau.",
        "open",
    ),
    "jgz": (
        "Consultatiebureau",
        ["JEUGD-JGZ"],
        ["DG-GEZIN"],
        "Groei, ontwikkeling en vaccinaties van uw kind van 0 tot 4 jaar.",
        "Alle ouders met jonge kinderen; u krijgt vanzelf een uitnodiging.",
        (0, 4),
        True,
        FREE,
        "U krijgt een uitnodiging; afspraken verzetten kan telefonisch.",
        "open",
    ),
    "jeugdhulp": (
        "Jeugdhulp thuis",
        ["JEUGD-HULP"],
        ["DG-GEZIN", "DG-JONG"],
        "Een jeugdhulpverlener helpt het gezin thuis bij problemen met gedrag, school of de sfeer in huis.",
        "Gezinnen met kinderen tot 18 jaar, via het wijkteam of de huisarts.",
        (0, 18),
        True,
        FREE,
        "Via het wijkteam of de huisarts.",
        "tight",
    ),
    "jongerenwerk": (
        "Jongerenwerk",
        ["JEUGD-JW"],
        ["DG-JONG"],
        "Een plek om te chillen, activiteiten en een jongerenwerker die naar je luistert.",
        "Jongeren van 12 tot 23 jaar.",
        (12, 23),
        True,
        FREE,
        "Loop binnen of app de jongerenwerker.",
        "open",
    ),
    "reint": (
        "Begeleiding naar werk",
        ["WERK-REINT"],
        ["DG-BEP", "DG-JONG"],
        "Een jobcoach helpt u een passende baan te vinden en te houden.",
        "Inwoners met een uitkering of met een afstand tot de arbeidsmarkt.",
        (18, 67),
        True,
        FREE,
        "Via de consulent werk en inkomen.",
        "open",
    ),
    "beschut": (
        "Beschut werk",
        ["WERK-BESCH"],
        ["DG-BEP"],
        "Werk in een aangepaste omgeving met begeleiding op de werkvloer.",
        "Met een indicatie beschut werk van het UWV.",
        (18, 67),
        True,
        FREE,
        "Via de consulent werk en inkomen.",
        "tight",
    ),
    "taal": (
        "Taalhuis",
        ["WERK-TAAL"],
        ["DG-LAAGG", "DG-NIEUW"],
        "Beter leren lezen, schrijven en rekenen, met een taalvrijwilliger of in een groep.",
        "Iedereen die beter Nederlands wil leren.",
        (16, None),
        True,
        FREE,
        "Loop binnen tijdens het spreekuur.",
        "open",
    ),
    "inburg": (
        "Begeleiding bij inburgering",
        ["WERK-TAAL", "WEL-MW"],
        ["DG-NIEUW"],
        "Begeleiding van statushouders bij inburgering, wonen, geld en het vinden van hun weg.",
        "Statushouders en nieuwkomers in hun eerste jaren.",
        (18, None),
        True,
        FREE,
        "Via de gemeente; aanmelden gebeurt automatisch.",
        "open",
    ),
    "digi": (
        "Digicafé en hulp bij DigiD",
        ["WERK-DIGI"],
        ["DG-OUD", "DG-LAAGG"],
        "Hulp bij de computer, de smartphone, DigiD en online zaken regelen.",
        "Iedereen die digitaal niet goed mee kan.",
        (None, None),
        True,
        FREE,
        "Vrije inloop; neem uw eigen apparaat mee.",
        "open",
    ),
    "hg": (
        "Hulp bij huiselijk geweld",
        ["VEIL-HG"],
        ["DG-SLACHT", "DG-GEZIN"],
        "Gesprekken en begeleiding voor slachtoffers, plegers en kinderen bij huiselijk geweld.",
        "Iedereen die te maken heeft met geweld thuis.",
        (None, None),
        True,
        FREE,
        "Bel voor een gesprek; ook anoniem.",
        "wait",
    ),
    "veiligthuis": (
        "Advies- en meldpunt Veilig Thuis",
        ["VEIL-VT", "VEIL-HG"],
        ["DG-SLACHT", "DG-GEZIN", "DG-OUD"],
        "Voor advies en meldingen over huiselijk geweld, kindermishandeling en ouderenmishandeling. "
        "Bel 0800-2000, dag en nacht, gratis.",
        "Iedereen: slachtoffers, omstanders en professionals.",
        (None, None),
        True,
        FREE,
        "Bel 0800-2000, dag en nacht.",
        "open",
    ),
    "buurtbem": (
        "Buurtbemiddeling",
        ["VEIL-BUURT"],
        [],
        "Getrainde vrijwilligers helpen buren om een conflict samen op te lossen.",
        "Buren met een conflict over geluid, overlast of de tuin.",
        (18, None),
        True,
        FREE,
        "Meld u aan; de andere partij hoeft nog niets te weten.",
        "open",
    ),
    "slachtoffer": (
        "Steun na een misdrijf",
        ["VEIL-SLACHT"],
        ["DG-SLACHT"],
        "Emotionele steun, praktische hulp en juridisch advies na een misdrijf of ongeval.",
        "Slachtoffers, nabestaanden en getuigen.",
        (None, None),
        True,
        FREE,
        "Bel of meld u aan via de website.",
        "open",
    ),
    "juridisch": (
        "Juridisch spreekuur",
        ["RECHT-JUR"],
        ["DG-SCHULD"],
        "Gratis advies over huur, werk, uitkering, schulden of familierecht.",
        "Iedereen met een juridische vraag.",
        (18, None),
        True,
        FREE,
        "Vrije inloop; neem uw papieren mee.",
        "open",
    ),
    "klacht": (
        "Ondersteuning bij klachten en bezwaar",
        ["RECHT-KLACHT", "WEL-COND"],
        [],
        "Hulp bij een klacht over zorg of een bezwaar tegen een besluit van de gemeente.",
        "Inwoners die een klacht of bezwaar willen indienen.",
        (None, None),
        True,
        FREE,
        "Bel of mail de klachtenondersteuner.",
        "open",
    ),
    "wmo": (
        "Wmo-melding en keukentafelgesprek",
        ["ZORG", "WEL-COND"],
        ["DG-OUD", "DG-BEP", "DG-MZ"],
        "Melden dat u ondersteuning nodig heeft; een consulent komt bij u thuis voor een gesprek.",
        "Inwoners van de gemeente.",
        (None, None),
        True,
        FREE,
        "Via het loket: telefonisch, aan de balie of online.",
        "open",
    ),
    "wlz": (
        "Informatie over de Wet langdurige zorg",
        ["ZORG"],
        ["DG-OUD", "DG-DEM", "DG-BEP"],
        "Uitleg over zorg met een Wlz-indicatie: thuis, in een instelling of met een "
        "persoonsgebonden budget.",
        "Wie blijvend 24 uur per dag zorg of toezicht nodig heeft.",
        (None, None),
        True,
        FREE,
        "Bel de klantenservice.",
        "open",
    ),
    "indicatie": (
        "Indicatie Wet langdurige zorg",
        ["ZORG"],
        ["DG-OUD", "DG-DEM", "DG-BEP"],
        "Het CIZ beoordeelt of iemand recht heeft op zorg uit de Wet langdurige zorg.",
        "Wie blijvend 24 uur per dag zorg of toezicht nodig heeft.",
        (None, None),
        True,
        FREE,
        "Aanvragen via het online formulier; een cliëntondersteuner kan helpen.",
        "wait",
    ),
    "leergeld": (
        "Meedoen voor kinderen (Leergeld)",
        ["FIN-INK", "JEUGD"],
        ["DG-GEZIN", "DG-SCHULD"],
        "Een fiets, zwemles, sport of een schoolreis voor kinderen uit gezinnen met weinig geld.",
        "Gezinnen met een inkomen tot 130% van het sociaal minimum, kinderen van 4 tot 18 jaar.",
        (4, 18),
        True,
        FREE,
        "Vraag het aan via de website; een vrijwilliger komt op huisbezoek.",
        "open",
    ),
    "sportjeugd": (
        "Sport en bewegen voor kinderen",
        ["WEL-BEWEG", "JEUGD"],
        ["DG-GEZIN", "DG-JONG"],
        "Naschoolse sport op pleintjes en in gymzalen, en hulp bij het vinden van een club.",
        "Kinderen en jongeren van 6 tot 18 jaar.",
        (6, 18),
        True,
        FREE,
        "Kom gewoon langs; voor een club helpt de buurtsportcoach.",
        "open",
    ),
    "wijkteam": (
        "Sociaal wijkteam",
        ["WEL-MW", "ZORG-BEG", "JEUGD-HULP"],
        ["DG-GEZIN", "DG-PSY", "DG-SCHULD"],
        "Het wijkteam helpt bij vragen over opvoeden, geld, zorg en meedoen, en regelt zo nodig hulp.",
        "Alle inwoners van de gemeente.",
        (None, None),
        True,
        FREE,
        "Bel het wijkteam of loop binnen bij het loket.",
        "wait",
    ),
    "ervaring": (
        "Meldpunt ervaringen sociaal domein",
        ["RECHT-KLACHT"],
        [],
        "Vertel ons wat u meemaakt met zorg, ondersteuning of het loket; wij brengen het in bij de gemeente.",
        "Alle inwoners.",
        (None, None),
        True,
        FREE,
        "Bel, mail of vul het formulier in.",
        "open",
    ),
}

# participating organisations of the demo (organisations.demo), with what they offer where
PARTICIPANTS = {
    "Gemeente Enschede": (
        [
            "wmo",
            "urgentie",
            "bijzbijst",
            "schuld",
            "scoot",
            "woonaanp",
            "regiotaxi",
            "reint",
            "inburg",
            "wijkteam",
        ],
        ("Enschede",),
    ),
    "Gemeente Hengelo": (
        [
            "wmo",
            "urgentie",
            "bijzbijst",
            "schuld",
            "scoot",
            "woonaanp",
            "regiotaxi",
            "reint",
            "inburg",
            "wijkteam",
        ],
        ("Hengelo",),
    ),
    "Gemeente Oldenzaal": (
        ["wmo", "urgentie", "bijzbijst", "schuld", "scoot", "woonaanp", "regiotaxi", "wijkteam"],
        ("Oldenzaal",),
    ),
    "Woonstichting Twentse Veste": (["woonzoek", "huurachter", "huurtoeslag", "klus", "woonaanp"], ALL),
    "Thuiszorg Tukkerland": (["hh", "pv", "wv", "alarm", "beg", "maaltijd", "resp", "dem"], ALL),
    "Zorggroep Dinkeldal": (["dag", "resp", "dem", "pv", "demcafe"], ("Hengelo", "Oldenzaal")),
    "Welzijn Twente Samen": (
        [
            "ontm",
            "mw",
            "cond",
            "eenz",
            "mz",
            "formulier",
            "samenEten",
            "vrijwcentrale",
            "digi",
            "huurtoeslag",
        ],
        ALL,
    ),
    "Zorgkantoor Oost": (["wlz"], ("Enschede",)),
    "CIZ": (["indicatie"], ("Enschede",)),
    "Cliëntenraad Sociaal Domein Twente": (["ervaring", "klacht"], ("Enschede",)),
}
# other local providers: name, description, offer, towns
PROVIDERS = [
    ("Wijkzorg Twentse Kern", "Kleinschalige thuiszorg met vaste teams per wijk.", ["hh", "pv", "wv"], ALL),
    (
        "Zorgcoöperatie Glanerbrug",
        "Zorg en ondersteuning door en voor bewoners van Glanerbrug.",
        ["hh", "klus", "samenEten", "vervoer"],
        ("Enschede",),
    ),
    (
        "Steunpunt Mantelzorg Twente",
        "Informatie, advies en steun voor mantelzorgers in Twente.",
        ["mz", "mzwaard", "respvrijw"],
        ALL,
    ),
    (
        "Logeerhuis De Esrand",
        "Logeeropvang en dagbesteding voor mensen met dementie.",
        ["resp", "dag", "demcafe"],
        ("Enschede",),
    ),
    ("Hulpmiddelencentrum Twente", "Uitleen, verkoop en reparatie van hulpmiddelen.", ["hulpm"], ALL),
    (
        "GGZ Twentepoort",
        "Ambulante geestelijke gezondheidszorg en inloop voor volwassenen.",
        ["ggz", "ggzinloop"],
        ALL,
    ),
    (
        "Stichting Thuisgenoten",
        "Beschermd en begeleid wonen in kleine woonvormen.",
        ["beschwon", "begwon", "beg"],
        EH,
    ),
    ("Herberg De Overkant", "Nacht- en dagopvang voor dak- en thuislozen.", ["nachtopv", "ggzinloop"], EH),
    (
        "Vrouwenopvang Twente Veilig",
        "Crisisopvang en begeleiding bij huiselijk geweld.",
        ["crisisopv", "hg"],
        ("Enschede",),
    ),
    (
        "Veilig Thuis regio Twente",
        "Advies- en meldpunt huiselijk geweld en kindermishandeling.",
        ["veiligthuis"],
        ("Enschede",),
    ),
    ("Alarmdienst Oost", "Personenalarmering met een eigen meldkamer.", ["alarm"], ALL),
    (
        "Voedselbank Twentse Steden",
        "Voedselhulp aan huishoudens die tijdelijk niet rondkomen.",
        ["voedsel"],
        ALL,
    ),
    ("Schuldhulpmaatje Twente", "Vrijwilligers die helpen bij geldzorgen.", ["schuldmaatje"], ALL),
    ("Bewindvoering Op Orde", "Beschermingsbewind en budgetbeheer.", ["bewind"], EH),
    (
        "Taalhuis Twentse Steden",
        "Taal en digitale vaardigheden in de bibliotheek.",
        ["taal", "digi", "formulier"],
        ALL,
    ),
    (
        "Vluchtelingenwerk Twente",
        "Begeleiding van statushouders en nieuwkomers.",
        ["inburg", "formulier", "taal"],
        ALL,
    ),
    ("Juridisch Spreekuur Twente", "Gratis juridisch advies door vrijwillige juristen.", ["juridisch"], ALL),
    ("Buurtbemiddeling Twente", "Bemiddeling bij burenconflicten.", ["buurtbem"], ALL),
    (
        "Steunpunt na Geweld Twente",
        "Steun aan slachtoffers van misdrijven en ongevallen.",
        ["slachtoffer"],
        ("Enschede",),
    ),
    (
        "Centrum Jeugd en Gezin Twentse Kern",
        "Consultatiebureau, opvoedsteun en jeugdhulp.",
        ["jgz", "opvoed", "jeugdhulp"],
        ALL,
    ),
    (
        "Jongerenwerk Bolwerk",
        "Jongerenwerk in de wijken van Enschede en Hengelo.",
        ["jongerenwerk", "versl"],
        EH,
    ),
    ("Werkbedrijf Twentse Poort", "Re-integratie en beschut werk.", ["reint", "beschut", "dagjong"], ALL),
    (
        "Vervoerdienst De Rijdende Tukker",
        "Vrijwillige chauffeurs voor ouderen en mensen met een beperking.",
        ["vervoer"],
        ALL,
    ),
    ("Maaltijdservice Smakelijk Thuis", "Maaltijden aan huis, ook dieet.", ["maaltijd"], ALL),
    ("Beweegteam Twentse Steden", "Bewegen in de buurt voor jong en oud.", ["bewegen", "sportjeugd"], ALL),
    (
        "Stichting Welzijn Ouderen Oldenzaal",
        "Ouderenadvies, ontmoeting en een belcirkel.",
        ["belcirkel", "ontm", "eenz", "cond"],
        ("Oldenzaal",),
    ),
    (
        "Wijkracht Hengelo",
        "Welzijnswerk in de Hengelose wijken.",
        ["ontm", "mw", "vrijwcentrale", "buurtbem", "digi"],
        ("Hengelo",),
    ),
    (
        "Vrijwilligerscentrale Enschede",
        "Vrijwilligerswerk zoeken en vinden.",
        ["vrijwcentrale", "klus"],
        ("Enschede",),
    ),
    ("Verslavingszorg Tactus Oost", "Preventie en behandeling van verslaving.", ["versl"], ALL),
    (
        "Ontmoetingscentrum De Boei",
        "Ontmoetingscentrum voor mensen met dementie en hun mantelzorgers.",
        ["dag", "demcafe", "dem"],
        ("Enschede",),
    ),
    (
        "MEEdoen Cliëntondersteuning Twente",
        "Onafhankelijke cliëntondersteuning voor iedereen.",
        ["cond", "klacht"],
        ALL,
    ),
    (
        "Vrijwillige Thuisadministratie Twente",
        "Vrijwilligers die thuis helpen met de administratie.",
        ["formulier", "schuldmaatje"],
        ALL,
    ),
    ("Ouderenadviseurs Enschede-Hengelo", "Ouderenadvies aan huis.", ["cond", "belcirkel", "eenz"], EH),
    ("Zorgboerderij De Hooiberg", "Dagbesteding op de boerderij.", ["dag", "dagjong"], ("Oldenzaal",)),
    (
        "Zorgcentrum Het Lansink",
        "Wonen met zorg, dagbesteding en zorg thuis vanuit het zorgcentrum.",
        ["pv", "dag", "resp", "alarm", "maaltijd"],
        EH,
    ),
    ("Stichting Leergeld Twente", "Zodat alle kinderen kunnen meedoen.", ["leergeld"], ALL),
    (
        "Huurdersbelang Twente",
        "Belangenbehartiging en advies voor huurders.",
        ["huurtoeslag", "juridisch"],
        EH,
    ),
    ("Burenhulp Twentse Handen", "Buren die buren helpen.", ["klus", "vervoer", "eenz"], ALL),
    (
        "Wooncoöperatie Oldenzaal",
        "Sociale huurwoningen in Oldenzaal.",
        ["woonzoek", "huurachter", "klus"],
        ("Oldenzaal",),
    ),
    (
        "Dienstencentrum De Uitweg",
        "Opvang, schuldhulp en maatschappelijk werk voor wie vastloopt.",
        ["nachtopv", "schuld", "mw", "voedsel"],
        ("Enschede",),
    ),
]
# Weekly opening hours: (days, opens, closes, note)
HOURS = [
    [("MO,TU,WE,TH,FR", H(9), H(17), "")],
    [("MO,TU,WE,TH", H(8, 30), H(17), ""), ("FR", H(8, 30), H(12, 30), "")],
    [("MO,WE,FR", H(9), H(12), "Inloopspreekuur, zonder afspraak")],
    [("TU,TH", H(13, 30), H(16, 30), "Spreekuur"), ("MO,TU,WE,TH,FR", H(9), H(12), "Telefonisch bereikbaar")],
    [("MO,TU,WE,TH,FR", H(9, 30), H(15, 30), "")],
    [("TU", H(10), H(12), "Koffie-inloop"), ("TH", H(14), H(16), "Activiteitenmiddag")],
    [("MO,TU,WE,TH,FR", H(8), H(18), ""), ("SA", H(10), H(14), "Alleen telefonisch")],
    [("WE", H(19), H(21, 30), "Avondbijeenkomst, eens per maand")],
    [("MO,TU,WE,TH,FR,SA,SU", H(8), H(22), "")],
]
ALWAYS_OPEN = {"wv", "alarm", "crisisopv", "veiligthuis", "nachtopv"}


def load(*, rng: random.Random, fake, stdout) -> None:
    seed_taxonomies()
    own = random.Random(SEED)
    today = timezone.localdate()
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=[t[0] for t in TOWNS.values()])}
    districts = _districts()
    plan = _Plan()
    for name, (offer, towns) in PARTICIPANTS.items():
        participant = Participant.objects.filter(name=name).first()
        description = f"{name} is deelnemer van het loket wonen, zorg en welzijn."
        plan.organization(name, description, participant, offer, towns)
    for name, description, offer, towns in PROVIDERS:
        plan.organization(name, description, None, offer, towns)
    plan.build(own, today, municipalities, districts)
    written = plan.write()
    stdout.write(
        f"Demo social map: {len(plan.organizations)} organisations, {len(plan.services)} services "
        f"({written} new rows)."
    )


def _districts() -> dict[str, District]:
    codes = [code for districts in DISTRICTS.values() for code, _name, _areas in districts]
    return {district.code: district for district in District.objects.filter(code__in=codes)}


class _Plan:
    """Every demo row with its fixed id; ``write`` adds the ones the database lacks."""

    def __init__(self) -> None:
        self.specs: list[tuple] = []
        self.organizations: list[Organization] = []
        self.locations: list[Location] = []
        self.addresses: list[Address] = []
        self.services: list[Service] = []
        self.links: list[ServiceAtLocation] = []
        self.terms: list[ServiceTerm] = []
        self.areas: list[ServiceArea] = []
        self.schedules: list[Schedule] = []
        self.phones: list[Phone] = []
        self.costs: list[CostOption] = []

    def organization(self, name, description, participant, offer, towns) -> None:
        self.specs.append((name, description, participant, offer, towns))

    def build(self, own: random.Random, today, municipalities, districts) -> None:
        for name, description, participant, offer, towns in self.specs:
            slug = _slug(name)
            organization = Organization(
                id=demo_id("organization", name),
                name=name,
                description=description,
                email=f"info@{slug}.example",
                website=f"https://www.{slug}.example",
                participant=participant,
            )
            self.organizations.append(organization)
            for town in towns:
                location = self._location(own, organization, town, municipalities, districts)
                for key in offer:
                    self._service(
                        own, today, organization, location, key, town, len(towns) > 1, municipalities
                    )

    def _location(self, own, organization, town, municipalities, districts) -> Location:
        code, _area, streets, (lat, lon) = TOWNS[town]
        district_code, district_name, postcodes = own.choice(DISTRICTS[code])
        location = Location(
            id=demo_id("location", organization.name, town),
            organization=organization,
            location_type=Location.LocationType.PHYSICAL,
            name=f"{organization.name} {town}" if not organization.name.endswith(town) else organization.name,
            description=f"Vestiging in {town} ({district_name}).",
            latitude=Decimal(f"{lat + own.uniform(-0.02, 0.02):.6f}"),
            longitude=Decimal(f"{lon + own.uniform(-0.03, 0.03):.6f}"),
            municipality=municipalities.get(code),
            district=districts.get(district_code),
        )
        self.locations.append(location)
        letters = "".join(own.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
        self.addresses.append(
            Address(
                id=demo_id("address", str(location.id)),
                location=location,
                address_1=f"{own.choice(streets)} {own.randint(1, 240)}",
                city=town,
                state_province="Overijssel",
                postal_code=f"{own.choice(postcodes)} {letters}",
                country="NL",
                address_type=Address.AddressType.PHYSICAL,
            )
        )
        return location

    def _service(self, own, today, organization, location, key, town, per_town, municipalities) -> None:
        name, categories, groups, description, eligibility, ages, free, fees, apply, profile = SERVICES[key]
        service_id = demo_id("service", organization.name, key, town)
        capacity, band = _capacity(own, profile)
        assured = _assured(own, today)
        service = Service(
            id=service_id,
            organization=organization,
            name=f"{name} {town}" if per_town else name,
            description=description,
            url=f"{organization.website}/{key.lower()}",
            email=organization.email,
            status=Service.Status.TEMPORARILY_CLOSED if own.random() < 0.02 else Service.Status.ACTIVE,
            eligibility_description=eligibility,
            minimum_age=ages[0],
            maximum_age=ages[1],
            is_free=free,
            fees_description=fees if fees else ("Gratis." if free else ""),
            application_process=apply,
            capacity=capacity,
            capacity_wait_band=band,
            capacity_confirmed_on=None
            if capacity == Service.Capacity.UNKNOWN
            else (assured or today) - datetime.timedelta(days=own.randint(0, 20)),
            assured_date=assured,
            assurer_email=organization.email if assured else "",
            last_modified=timezone.now(),
        )
        if service.status == Service.Status.TEMPORARILY_CLOSED:
            service.alert = "Tijdelijk gesloten wegens verbouwing; bel voor de mogelijkheden."
        self.services.append(service)
        link = ServiceAtLocation(id=demo_id("sal", str(service_id)), service=service, location=location)
        self.links.append(link)
        for code in [*categories, *groups]:
            self.terms.append(
                ServiceTerm(
                    id=demo_id("term", str(service_id), code), service=service, taxonomy_term_id=term_id(code)
                )
            )
        area_towns = (
            ALL
            if not per_town and key in {"veiligthuis", "wlz", "indicatie", "ervaring", "klacht"}
            else (town,)
        )
        for area_town in area_towns:
            municipality = municipalities.get(TOWNS[area_town][0])
            self.areas.append(
                ServiceArea(
                    id=demo_id("area", str(service_id), area_town),
                    service=service,
                    name=area_town if municipality is None else municipality.name,
                    municipality=municipality,
                )
            )
        hours = (
            [("MO,TU,WE,TH,FR,SA,SU", H(0), H(23, 59), "Dag en nacht bereikbaar")]
            if key in ALWAYS_OPEN
            else own.choice(HOURS)
        )
        for index, (days, opens, closes, note) in enumerate(hours):
            self.schedules.append(
                Schedule(
                    id=demo_id("schedule", str(service_id), str(index)),
                    service=service,
                    freq=Schedule.Freq.WEEKLY,
                    byday=days,
                    opens_at=opens,
                    closes_at=closes,
                    description=note,
                )
            )
        area_code = TOWNS[town][1]
        digits = 10 - len(area_code)
        local = str(own.randint(10 ** (digits - 1), 10**digits - 1))
        number = f"{area_code} {local[:3]} {local[3:5]} {local[5:]}".strip()
        self.phones.append(
            Phone(id=demo_id("phone", str(service_id)), service=service, number=number, type="voice")
        )
        if not free and own.random() < 0.4:
            self.costs.append(
                CostOption(
                    id=demo_id("cost", str(service_id)),
                    service=service,
                    option="Particulier tarief",
                    currency="EUR",
                    amount=Decimal(own.choice(["5.00", "8.95", "19.95", "29.50", "3.50"])),
                    amount_description=fees,
                )
            )

    def write(self) -> int:
        written = 0
        with_history = {Organization, Location, Service, ServiceAtLocation, Schedule}
        for rows in (
            self.organizations,
            self.locations,
            self.addresses,
            self.services,
            self.links,
            self.terms,
            self.areas,
            self.schedules,
            self.phones,
            self.costs,
        ):
            if not rows:
                continue
            model = type(rows[0])
            existing = set(model.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
            missing = [row for row in rows if row.pk not in existing]
            if not missing:
                continue
            if model in with_history:
                bulk_create_with_history(missing, model, batch_size=500)
            else:
                model.objects.bulk_create(missing, batch_size=500)
            written += len(missing)
        if written:
            # Terms and organisations are in place: build the search text of the new services.
            refresh_search_text([service.pk for service in self.services])
        return written


def _slug(name: str) -> str:
    keep = "".join(ch for ch in name.lower() if ch.isalnum() or ch == " ")
    return keep.replace(" ", "-").replace("ë", "e").replace("ö", "o")


def _capacity(own: random.Random, profile: str) -> tuple[str, str]:
    C, W = Service.Capacity, Service.WaitBand
    roll = own.random()
    shares = {"open": (0.85, 0.95, 0.97), "wait": (0.5, 0.85, 0.93), "tight": (0.3, 0.7, 0.88)}[profile]
    if roll < shares[0]:
        return C.AVAILABLE, ""
    if roll < shares[1]:
        weights = [3, 4, 2, 1] if profile != "tight" else [1, 3, 3, 3]
        band = own.choices([W.UNDER_2_WEEKS, W.WEEKS_2_6, W.WEEKS_6_12, W.OVER_12_WEEKS], weights)[0]
        return C.WAITING_LIST, band
    if roll < shares[2]:
        return C.FULL, ""
    return C.UNKNOWN, ""


def _assured(own: random.Random, today: datetime.date) -> datetime.date | None:
    """Most confirmed in the last half year, a quarter before that, a few never."""
    roll = own.random()
    if roll < 0.05:
        return None
    if roll < 0.72:
        return today - datetime.timedelta(days=own.randint(0, 175))
    return today - datetime.timedelta(days=own.randint(190, 365))
