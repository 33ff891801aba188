"""Demo residents: about 1,200 people of Enschede, Hengelo and Oldenzaal, most of them older.

Written with bulk_create (demo rows, no access-log rows), deterministic for a seed, dates
relative to today. Skipped when the demo desks already have residents, so running the demo
twice changes nothing.
"""

import contextlib
import datetime
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from faker.providers.person.nl_NL import Provider as DutchNames

from schakelpunt.accounts.models import User
from schakelpunt.organisations.demo import DESKS, DISTRICTS
from schakelpunt.organisations.models import Desk, District, Municipality
from schakelpunt.residents.models import Consent, Representation, Resident

RESIDENTS = 1200  # a module constant, so that a test can make the demo smaller
# Enschede has the staffed demo desk; Hengelo and Oldenzaal share the other one.
MUNICIPALITY_SHARE = {"GM0153": 80, "GM0164": 13, "GM0173": 7}
# Age bands of the people who come to such a desk: mostly 65+, also carers and parents.
AGE_BANDS = [((18, 29), 6), ((30, 39), 8), ((40, 54), 10), ((55, 64), 12), ((65, 74), 22), ((75, 84), 27)]
AGE_BANDS += [((85, 99), 15)]
# Postcode letters in use (no F, I, O, Q, U, Y) and pairs that are never issued.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
UNUSED_PAIRS = {"SA", "SD", "SS"}
# Demo BSNs come from the 9999 range, like the official BRP test persons (99999xxxx),
# whose numbers they avoid.
BSN_PREFIXES = (99990000, 99998999)
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]
AREA_CODES = {"GM0153": "053", "GM0164": "074", "GM0173": "0541"}
DEMO_STAFF = ["frontoffice", "vrijwilliger", "consulent", "coordinator"]

# Given names by generation: the official names of people born before 1960 differ from
# those of their children and grandchildren (Faker's Dutch names are the youngest).
OLDER_FEMALE = [
    "Johanna", "Maria", "Hendrika", "Geertruida", "Wilhelmina", "Aaltje", "Gerritdina", "Hermina",
    "Bernardina", "Theodora", "Elisabeth", "Catharina", "Anna", "Gesina", "Janna", "Berendina",
    "Christina", "Margaretha", "Cornelia", "Aleida", "Dina", "Fenna", "Grada", "Johanna Maria",
]  # fmt: skip
OLDER_MALE = [
    "Johannes", "Hendrikus", "Gerrit", "Bernardus", "Antonius", "Gerardus", "Jan", "Hendrik",
    "Willem", "Albertus", "Theodorus", "Hermanus", "Jacobus", "Wilhelmus", "Egbert", "Berend",
    "Derk", "Lambertus", "Everhardus", "Johannes Hendrikus", "Gerhardus", "Jozef",
]  # fmt: skip
MIDDLE_FEMALE = [
    "Monique", "Sandra", "Ingrid", "Marieke", "Anita", "Petra", "Linda", "Miranda", "Wendy",
    "Esther", "Angela", "Yvonne", "Ilse", "Judith", "Mirjam", "Karin", "Nicole", "Saskia",
    "Annemiek", "Jolanda", "Marloes", "Renate",
]  # fmt: skip
MIDDLE_MALE = [
    "Marco", "Erik", "Patrick", "Mark", "Jeroen", "Ronald", "Dennis", "Martin", "Richard",
    "Bart", "Sander", "Robert", "Arjan", "Edwin", "Frank", "Gert-Jan", "Hans", "Remco", "Roy",
]  # fmt: skip
MIGRATION_FEMALE = ["Ayşe", "Fatma", "Hatice", "Emine", "Zeynep", "Khadija", "Fatiha", "Naima", "Samira"]
MIGRATION_MALE = ["Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Ali", "Mohamed", "Abdelkader", "Hassan", "Rachid"]
MIGRATION_SURNAMES = [
    "Yilmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "El Idrissi",
    "Bouzid", "Benali", "Ouali", "Haddou", "Aslan",
]  # fmt: skip
# Surnames common in Twente, with their voorvoegsel where they have one.
TWENTE_SURNAMES = [
    ("", "Nijhuis"), ("", "Kamphuis"), ("", "Hulshof"), ("", "Wolters"), ("", "Hassink"),
    ("", "Lansink"), ("", "Wessels"), ("", "Nijland"), ("", "Olthof"), ("", "Velthuis"),
    ("", "Ekkelkamp"), ("", "Oude Booijink"), ("", "Scholten"), ("", "Leferink"), ("", "Blokhuis"),
    ("", "Bruggink"), ("", "Meijerink"), ("", "Veldhuis"), ("", "Zwiers"), ("", "Haarman"),
    ("", "Roerink"), ("", "Lammertink"), ("ter", "Horst"), ("ten", "Brinke"), ("te", "Velde"),
    ("ter", "Braak"), ("op den", "Kamp"), ("ten", "Hove"), ("te", "Lintelo"), ("van", "Os"),
]  # fmt: skip
COMMON_STREETS = [
    "Kerkstraat", "Molenstraat", "Lindenlaan", "Esdoornstraat", "Beukenlaan", "Julianastraat",
    "Wilhelminastraat", "Oranjestraat", "Schoolstraat", "Parkweg", "Veldweg", "Lijsterstraat",
    "Merelstraat", "Koekoekstraat", "Zwaluwstraat", "Tulpstraat", "Rozenstraat", "Berkenweg",
    "Eschweg", "Bleekweg", "Kottendijk", "Hofstraat", "Spoorstraat", "Marktstraat", "Dennenweg",
]  # fmt: skip
FEMALE_NAMES = frozenset(
    OLDER_FEMALE + MIDDLE_FEMALE + MIGRATION_FEMALE + list(DutchNames.first_names_female)
) - frozenset(DutchNames.first_names_male)
LEGAL_REPRESENTATIVES = ["Bewindvoering Oost", "Mentorschap Twente", "Budgetbeheer Twentekanaal"]


def is_female(given_names: str) -> bool:
    """Whether a demo resident's first given name is a woman's name (for texts about them)."""
    return given_names.split(" ")[0] in FEMALE_NAMES


@contextlib.contextmanager
def historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the given created_at/updated_at instead of stamping 'now'.

    Demo rows describe a year that has passed; the timestamps must say so.
    """
    fields = [
        field
        for model in model_classes
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def demo_desks() -> list[Desk]:
    return list(Desk.objects.filter(slug__in=[spec["slug"] for spec in DESKS]).order_by("slug"))


def load(*, rng: random.Random, fake, stdout) -> None:
    desks = demo_desks()
    existing = Resident.objects.filter(registered_desk__in=desks).count()
    if existing:
        stdout.write(f"Demo residents: skipped, the demo desks already have {existing} residents.")
        return
    today = timezone.localdate()
    staff = {user.username: user for user in User.objects.filter(username__in=DEMO_STAFF)}
    plan = plan_residents(rng=rng, fake=fake, today=today)
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITY_SHARE)}
    districts = {d.code: d for d in District.objects.filter(municipality__code__in=MUNICIPALITY_SHARE)}
    desk_of = {code: desk for desk in desks for code in desk.municipalities.values_list("code", flat=True)}
    residents = []
    for person in plan:
        person.resident.municipality = municipalities[person.municipality_code]
        person.resident.district = districts[person.district_code]
        person.resident.registered_desk = desk_of[person.municipality_code]
        residents.append(person.resident)
    with historical_timestamps(Resident, Representation, Consent):
        Resident.objects.bulk_create(residents, batch_size=500)
        representations = _representations(rng=rng, fake=fake, plan=plan)
        Representation.objects.bulk_create(representations, batch_size=500)
        consents = _consents(rng=rng, plan=plan, staff=staff, today=today)
        Consent.objects.bulk_create(consents, batch_size=500)
    with_bsn = sum(1 for resident in residents if resident.bsn)
    stdout.write(
        f"Demo residents: {len(residents)} residents ({with_bsn} with a BSN), "
        f"{len(representations)} representatives, {len(consents)} consents."
    )


@dataclass
class PlannedResident:
    resident: Resident  # unsaved, without municipality, district and desk
    municipality_code: str
    district_code: str
    female: bool
    partner: "PlannedResident | None" = None  # lives at the same address and cares for them


def plan_residents(*, rng: random.Random, fake, today: datetime.date) -> list[PlannedResident]:
    """The residents to create, in memory only: the same seed gives the same people."""
    streets = _street_plan(rng=rng, fake=fake)
    bsns: set[str] = set()
    plan: list[PlannedResident] = []
    while len(plan) < RESIDENTS:
        person = _person(rng=rng, fake=fake, today=today, streets=streets, bsns=bsns)
        plan.append(person)
        age = _age(person.resident.birth_date, today)
        if age >= 65 and rng.random() < 0.07 and len(plan) < RESIDENTS:
            partner = _partner_of(person, rng=rng, fake=fake, today=today, bsns=bsns)
            person.partner = partner
            plan.append(partner)
    _set_status(plan, rng=rng, today=today)
    return plan


def _street_plan(*, rng: random.Random, fake) -> dict[str, list[tuple[str, str, str, range]]]:
    """Per district, postcodes on streets: a six-character postcode covers part of one street."""
    plan: dict[str, list[tuple[str, str, str, range]]] = {}
    for districts in DISTRICTS.values():
        for district_code, _name, areas in districts:
            entries = []
            for area in areas:
                used: set[str] = set()
                for _ in range(rng.randint(8, 14)):
                    street = fake.street_name() if rng.random() < 0.5 else rng.choice(COMMON_STREETS)
                    letters = _postcode_letters(rng, used)
                    first = rng.choice([1, 1, 1, 21, 41, 61, 101])
                    entries.append((area, letters, street, range(first, first + rng.randint(12, 60))))
            plan[district_code] = entries
    return plan


def _postcode_letters(rng: random.Random, used: set[str]) -> str:
    while True:
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if letters not in UNUSED_PAIRS and letters not in used:
            used.add(letters)
            return letters


def _person(*, rng, fake, today, streets, bsns) -> PlannedResident:
    codes = list(MUNICIPALITY_SHARE)
    municipality_code = rng.choices(codes, weights=[MUNICIPALITY_SHARE[c] for c in codes])[0]
    district_code = rng.choice([code for code, _n, _a in DISTRICTS[municipality_code]])
    area, letters, street, numbers = rng.choice(streets[district_code])
    (low, high), _weight = rng.choices(AGE_BANDS, weights=[weight for _band, weight in AGE_BANDS])[0]
    age = rng.randint(low, high)
    birth_date = today - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
    female = rng.random() < (0.6 if age >= 65 else 0.55)
    migration = rng.random() < 0.07
    given_names = _given_names(
        rng=rng, fake=fake, birth_year=birth_date.year, female=female, migration=migration
    )
    prefix, surname = _surname(rng=rng, fake=fake, migration=migration)
    resident = Resident(
        bsn=_bsn(rng, bsns) if rng.random() < 0.6 else "",
        given_names=given_names,
        surname_prefix=prefix,
        surname=surname,
        birth_date=birth_date,
        street=street,
        house_number=rng.choice(numbers),
        house_number_addition=rng.choice(["A", "B", "-1", "-2"]) if rng.random() < 0.08 else "",
        postcode=f"{area} {letters}",
        town=_town(municipality_code),
    )
    _contact_details(resident, rng=rng, age=age, municipality_code=municipality_code)
    _timestamps(resident, rng=rng, today=today)
    return PlannedResident(resident, municipality_code, district_code, female)


def _partner_of(person: PlannedResident, *, rng, fake, today, bsns) -> PlannedResident:
    """A spouse at the same address, of about the same age."""
    source = person.resident
    female = not person.female
    birth_date = source.birth_date + datetime.timedelta(days=rng.randint(-6 * 365, 6 * 365))
    birth_date = min(birth_date, today - datetime.timedelta(days=60 * 365))
    given_names = _given_names(rng=rng, fake=fake, birth_year=birth_date.year, female=female, migration=False)
    prefix, surname = _surname(rng=rng, fake=fake, migration=False)
    resident = Resident(
        bsn=_bsn(rng, bsns) if rng.random() < 0.6 else "",
        given_names=given_names,
        surname_prefix=prefix,
        surname=surname,
        birth_date=birth_date,
        street=source.street,
        house_number=source.house_number,
        house_number_addition=source.house_number_addition,
        postcode=source.postcode,
        town=source.town,
        phone=source.phone,
        preferred_channel=source.preferred_channel,
        created_at=source.created_at,
        updated_at=source.updated_at,
    )
    return PlannedResident(resident, person.municipality_code, person.district_code, female)


def _given_names(*, rng, fake, birth_year: int, female: bool, migration: bool) -> str:
    if migration:
        return rng.choice(MIGRATION_FEMALE if female else MIGRATION_MALE)
    if birth_year < 1960:
        first = rng.choice(OLDER_FEMALE if female else OLDER_MALE)
        if " " not in first and rng.random() < 0.5:
            second = rng.choice(OLDER_FEMALE if female else OLDER_MALE).split(" ")[0]
            return first if second == first else f"{first} {second}"
        return first
    if birth_year < 1990:
        return rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    return fake.first_name_female() if female else fake.first_name_male()


def _surname(*, rng, fake, migration: bool) -> tuple[str, str]:
    if migration:
        return "", rng.choice(MIGRATION_SURNAMES)
    if rng.random() < 0.25:
        return rng.choice(TWENTE_SURNAMES)
    return split_surname(fake.last_name())


def split_surname(name: str) -> tuple[str, str]:
    """'van der Ploeg' → ('van der', 'Ploeg'): leading lower-case words are the voorvoegsel."""
    words = name.split(" ")
    index = 0
    while index < len(words) - 1 and words[index][:1].islower():
        index += 1
    return " ".join(words[:index]), " ".join(words[index:])


def _bsn(rng: random.Random, taken: set[str]) -> str:
    """A unique number that passes the eleven-test."""
    while True:
        digits = str(rng.randint(*BSN_PREFIXES))
        check = sum(int(digit) * weight for digit, weight in zip(digits, range(9, 1, -1), strict=True)) % 11
        number = f"{digits}{check}"
        if check < 10 and number not in taken:
            taken.add(number)
            return number


def _town(municipality_code: str) -> str:
    return {"GM0153": "Enschede", "GM0164": "Hengelo", "GM0173": "Oldenzaal"}[municipality_code]


def _contact_details(resident: Resident, *, rng, age: int, municipality_code: str) -> None:
    C = Resident.Channel
    if rng.random() < 0.8:
        if age >= 70 and rng.random() < 0.6:
            code = AREA_CODES[municipality_code]
            subscriber = rng.randint(10**5, 10**6 - 1) if len(code) == 4 else rng.randint(10**6, 10**7 - 1)
            resident.phone = f"{code}-{subscriber}"
        else:
            resident.phone = f"06-{rng.randint(10**7, 10**8 - 1)}"
    if rng.random() < (0.6 if age < 65 else 0.25):
        local = _ascii(f"{resident.given_names.split(' ')[0][0]}.{resident.surname}")
        if rng.random() < 0.4:
            local = _ascii(f"{resident.surname_prefix}{resident.surname}{resident.birth_date.year}")
        resident.email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    if rng.random() < 0.4:
        choices = [C.PHONE, C.LETTER, C.DESK] if age >= 70 else [C.PHONE, C.EMAIL, C.EMAIL]
        resident.preferred_channel = rng.choice(choices)
        if resident.preferred_channel == C.EMAIL and not resident.email:
            resident.preferred_channel = C.PHONE
    resident.is_secret = rng.random() < 0.01


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum() or char == ".")


def _timestamps(resident: Resident, *, rng, today: datetime.date) -> None:
    """Known to the desk for up to four years; almost half came for the first time this year."""
    days_ago = rng.randint(1, 364) if rng.random() < 0.45 else rng.randint(365, 4 * 365)
    moment = _moment(today - datetime.timedelta(days=days_ago), rng)
    resident.created_at = resident.updated_at = moment


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    minutes = rng.randint(9 * 60, 16 * 60 + 45)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60)))


def _set_status(plan: list[PlannedResident], *, rng, today: datetime.date) -> None:
    """A few died or moved out of the region in the last year, as the register reported."""
    for person in plan:
        resident = person.resident
        age = _age(resident.birth_date, today)
        chance_deceased = 0.06 if age >= 85 else 0.025 if age >= 75 else 0.003
        if rng.random() < chance_deceased:
            resident.status = Resident.Status.DECEASED
        elif rng.random() < 0.015:
            resident.status = Resident.Status.MOVED_AWAY
        else:
            continue
        earliest = max(
            resident.created_at.date() + datetime.timedelta(days=30), today - datetime.timedelta(330)
        )
        if earliest >= today - datetime.timedelta(days=7):
            resident.status = Resident.Status.ACTIVE
            continue
        resident.status_date = earliest + datetime.timedelta(
            days=rng.randint(0, (today - datetime.timedelta(days=7) - earliest).days)
        )
        resident.updated_at = _moment(resident.status_date + datetime.timedelta(days=1), rng)


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _representations(*, rng, fake, plan: list[PlannedResident]) -> list[Representation]:
    """Spouses who care for each other, children as informal carers, some legal representatives."""
    K = Representation.Kind
    today = timezone.localdate()
    rows = []
    for person in plan:
        resident = person.resident
        since = resident.created_at.date()
        if person.partner is not None:
            rows.append(
                Representation(
                    resident=resident,
                    kind=K.INFORMAL_CARER,
                    representative=person.partner.resident,
                    valid_from=since,
                    created_at=resident.created_at,
                    updated_at=resident.created_at,
                )
            )
            continue
        age = _age(resident.birth_date, today)
        draw = rng.random()
        if age >= 75 and draw < 0.22:
            female = rng.random() < 0.65  # daughters more often than sons
            surname = (resident.surname_prefix, resident.surname) if rng.random() < 0.6 else None
            prefix, last = surname or split_surname(fake.last_name())
            first = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
            name = " ".join(part for part in (first, prefix, last) if part)
            email = f"{_ascii(first)}.{_ascii(prefix + last)}@{rng.choice(EMAIL_DOMAINS)}"
            rows.append(
                Representation(
                    resident=resident,
                    kind=K.INFORMAL_CARER if rng.random() < 0.8 else K.FAMILY,
                    name=name,
                    phone=f"06-{rng.randint(10**7, 10**8 - 1)}",
                    email=email if rng.random() < 0.6 else "",
                    valid_from=since,
                    created_at=resident.created_at,
                    updated_at=resident.created_at,
                )
            )
        elif draw > 0.975:  # a guardian or budget manager appointed by the court
            organisation = rng.choice(LEGAL_REPRESENTATIVES)
            initial = rng.choice("ABCDEGHJKLMPRSTW")
            prefix, last = split_surname(fake.last_name())
            person_name = " ".join(part for part in (f"{initial}.", prefix, last) if part)
            rows.append(
                Representation(
                    resident=resident,
                    kind=K.LEGAL,
                    name=f"{person_name}, {organisation}",
                    phone=f"053-{rng.randint(10**6, 10**7 - 1)}",
                    valid_from=since - datetime.timedelta(days=rng.randint(30, 900)),
                    created_at=resident.created_at,
                    updated_at=resident.created_at,
                )
            )
    return rows


def _consents(*, rng, plan: list[PlannedResident], staff: dict[str, User], today) -> list[Consent]:
    """Consent to record and share within the desk, for some residents of the staffed desk."""
    recorders = [staff[name] for name in ("frontoffice", "consulent", "vrijwilliger") if name in staff]
    if not recorders:
        return []
    S = Consent.Scope
    rows = []
    for person in plan:
        resident = person.resident
        if person.municipality_code != "GM0153" or rng.random() >= 0.3:
            continue
        consent = Consent(
            resident=resident,
            purpose="Vastleggen en delen binnen het loket voor de afhandeling van mijn vraag",
            scope=sorted([S.CONTACT_DETAILS, S.QUESTION, S.CLARIFICATION]),
            given_at=resident.created_at,
            recorded_by=rng.choice(recorders),
            created_at=resident.created_at,
            updated_at=resident.created_at,
        )
        days = (today - resident.created_at.date()).days - 1  # withdrawn before today
        if days >= 1 and rng.random() < 0.03:
            consent.withdrawn_at = resident.created_at + datetime.timedelta(days=rng.randint(1, days))
            consent.withdrawn_recorded_by = consent.recorded_by
            consent.updated_at = consent.withdrawn_at
        rows.append(consent)
    return rows
