"""From a BRP API Personen 2.x person to what the desk needs, or a clear refusal.

The register's answer is checked before anything is done with it: a person without a
BSN, with a date that does not exist or with a code the desk does not know is refused
with :class:`MalformedPerson`, so that no rule ever applies half of a bad answer. Messages
never contain the BSN; :func:`mask` shows its last digits where a log line must point at
one person.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from stdnum.nl import bsn as stdnum_bsn

# LO GBA table 'Reden opschorting bijhouding' (element 67.20).
SUSPENSION_REASONS = {
    "O": "overlijden",
    "E": "emigratie",
    "M": "ministerieel besluit",
    "R": "pl is aangelegd in de RNI",
    "F": "fout",
    ".": "onbekend",
}
DECEASED, EMIGRATED = "O", "E"
RNI_MUNICIPALITY = "1999"  # registration of non-residents: not living in a Dutch municipality
VERBLIJFPLAATS_TYPES = {"Adres", "VerblijfplaatsBuitenland", "VerblijfplaatsOnbekend", "Locatie"}
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
POSTCODE = re.compile(r"^([1-9]\d{3}) ?([A-Za-z]{2})$")


class MalformedPerson(ValueError):
    """The register sent something the desk cannot use; ``path`` names the field."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def mask(bsn: str) -> str:
    """``*****1234``: enough to find the person again, never the whole number."""
    return f"*****{bsn[-4:]}" if bsn else ""


@dataclass(frozen=True)
class PartialDate:
    """A date from the register, which may be partly or wholly unknown (GBA 20080000)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def is_complete(self) -> bool:
        return None not in (self.year, self.month, self.day)

    @property
    def is_unknown(self) -> bool:
        return self.year is None

    def as_date(self) -> datetime.date | None:
        """The exact date, or None when part of it is unknown."""
        if not self.is_complete:
            return None
        return datetime.date(self.year, self.month, self.day)  # type: ignore[arg-type]

    def earliest(self) -> datetime.date | None:
        """The first day the date can be: 2008 → 1 January 2008; None when wholly unknown."""
        if self.year is None:
            return None
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if self.year is None:
            return "onbekend"
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{self.month:02d}-{self.year}"
        return f"{self.day:02d}-{self.month:02d}-{self.year}"


@dataclass(frozen=True)
class BrpAddress:
    street: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    postcode: str = ""
    town: str = ""
    since: PartialDate | None = None

    @property
    def addition(self) -> str:
        """Letter and addition as the resident record keeps them (one field)."""
        return f"{self.house_letter}{self.house_number_addition}"[:10]


@dataclass(frozen=True)
class BrpPerson:
    """What the desk needs of a person in the register."""

    bsn: str
    given_names: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_date: PartialDate | None = None
    address: BrpAddress | None = None
    municipality_code: str = ""
    municipality_name: str = ""
    is_secret: bool = False
    deceased_on: PartialDate | None = None
    suspension_reason: str = ""
    suspended_on: PartialDate | None = None
    abroad: bool = False
    country: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_deceased(self) -> bool:
        return self.deceased_on is not None or self.suspension_reason == DECEASED

    @property
    def has_emigrated(self) -> bool:
        return not self.is_deceased and (self.suspension_reason == EMIGRATED or self.abroad)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)

    @property
    def masked_bsn(self) -> str:
        return mask(self.bsn)


def _dict(value: Any, path: str, *, required: bool = False) -> dict:
    if value is None:
        if required:
            raise MalformedPerson(path, "ontbreekt")
        return {}
    if not isinstance(value, dict):
        raise MalformedPerson(path, "is geen object")
    return value


def _text(value: Any, path: str, *, max_length: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedPerson(path, "is geen tekst")
    if len(value) > max_length:
        raise MalformedPerson(path, "is te lang")
    return value.strip()


def parse_datum(value: Any, path: str) -> PartialDate | None:
    """An AbstractDatum (Datum, JaarMaandDatum, JaarDatum, DatumOnbekend) as a PartialDate."""
    if value is None:
        return None
    data = _dict(value, path)
    kind = data.get("type")
    try:
        if kind == "Datum":
            parsed = datetime.date.fromisoformat(str(data["datum"]))
            return PartialDate(parsed.year, parsed.month, parsed.day)
        if kind == "JaarMaandDatum":
            year, month = int(data["jaar"]), int(data["maand"])
            if not (1 <= year <= 9999 and 1 <= month <= 12):
                raise ValueError
            return PartialDate(year, month)
        if kind == "JaarDatum":
            year = int(data["jaar"])
            if not 1 <= year <= 9999:
                raise ValueError
            return PartialDate(year)
        if kind == "DatumOnbekend":
            return PartialDate()
    except (KeyError, TypeError, ValueError):
        raise MalformedPerson(path, "geen geldige datum") from None
    raise MalformedPerson(f"{path}.type", "onbekend soort datum")


def _address(verblijfplaats: dict, path: str) -> tuple[BrpAddress | None, bool, str]:
    """(address in the Netherlands, lives abroad, country code) of a verblijfplaats."""
    kind = verblijfplaats.get("type")
    if kind not in VERBLIJFPLAATS_TYPES:
        raise MalformedPerson(f"{path}.type", "onbekend soort verblijfplaats")
    since = parse_datum(verblijfplaats.get("datumVan"), f"{path}.datumVan")
    adres = _dict(verblijfplaats.get("verblijfadres"), f"{path}.verblijfadres")
    if kind == "VerblijfplaatsBuitenland":
        land = _dict(adres.get("land"), f"{path}.verblijfadres.land")
        return None, True, _text(land.get("code"), f"{path}.verblijfadres.land.code", max_length=4)
    if kind != "Adres":
        return None, False, ""
    number = adres.get("huisnummer")
    if number is not None and (not isinstance(number, int) or not 1 <= number <= 99999):
        raise MalformedPerson(f"{path}.verblijfadres.huisnummer", "geen geldig huisnummer")
    postcode = _text(adres.get("postcode"), f"{path}.verblijfadres.postcode", max_length=7)
    if postcode:
        match = POSTCODE.match(postcode)
        if not match:
            raise MalformedPerson(f"{path}.verblijfadres.postcode", "geen geldige postcode")
        postcode = f"{match.group(1)} {match.group(2).upper()}"
    street = _text(adres.get("korteStraatnaam"), f"{path}.verblijfadres.korteStraatnaam") or _text(
        adres.get("officieleStraatnaam"), f"{path}.verblijfadres.officieleStraatnaam"
    )
    return (
        BrpAddress(
            street=street[:200],
            house_number=number,
            house_letter=_text(adres.get("huisletter"), f"{path}.verblijfadres.huisletter", max_length=1),
            house_number_addition=_text(
                adres.get("huisnummertoevoeging"), f"{path}.verblijfadres.huisnummertoevoeging", max_length=4
            ),
            postcode=postcode,
            town=_text(adres.get("woonplaats"), f"{path}.verblijfadres.woonplaats", max_length=80)[:100],
            since=since,
        ),
        False,
        "",
    )


def person_from_api(data: Any) -> BrpPerson:
    """Map one entry of ``personen`` (Persoon or PersoonBeperkt); MalformedPerson when it is not usable."""
    person = _dict(data, "persoon", required=True)
    number = person.get("burgerservicenummer")
    if not isinstance(number, str) or not number:
        raise MalformedPerson("burgerservicenummer", "ontbreekt")
    if not stdnum_bsn.is_valid(number):
        raise MalformedPerson("burgerservicenummer", "geen geldig BSN")
    naam = _dict(person.get("naam"), "naam")
    surname = _text(naam.get("geslachtsnaam"), "naam.geslachtsnaam")
    if not surname:
        raise MalformedPerson("naam.geslachtsnaam", "ontbreekt")
    secret = person.get("geheimhoudingPersoonsgegevens", False)
    if not isinstance(secret, bool):
        raise MalformedPerson("geheimhoudingPersoonsgegevens", "geen ja/nee")
    opschorting = _dict(person.get("opschortingBijhouding"), "opschortingBijhouding")
    reason = ""
    if opschorting:
        reden = _dict(opschorting.get("reden"), "opschortingBijhouding.reden", required=True)
        reason = _text(reden.get("code"), "opschortingBijhouding.reden.code", max_length=2)
        if reason not in SUSPENSION_REASONS:
            raise MalformedPerson("opschortingBijhouding.reden.code", "onbekende code")
    overlijden = _dict(person.get("overlijden"), "overlijden")
    deceased_on = parse_datum(overlijden.get("datum"), "overlijden.datum") if overlijden else None
    if overlijden and deceased_on is None:
        raise MalformedPerson("overlijden.datum", "ontbreekt")
    gemeente = _dict(person.get("gemeenteVanInschrijving"), "gemeenteVanInschrijving")
    code = _text(gemeente.get("code"), "gemeenteVanInschrijving.code", max_length=4)
    if code and not MUNICIPALITY_CODE.match(code):
        raise MalformedPerson("gemeenteVanInschrijving.code", "onbekende code")
    address, abroad, country = None, False, ""
    if "verblijfplaats" in person:
        address, abroad, country = _address(
            _dict(person["verblijfplaats"], "verblijfplaats"), "verblijfplaats"
        )
    return BrpPerson(
        bsn=number,
        given_names=_text(naam.get("voornamen"), "naam.voornamen"),
        surname_prefix=_text(naam.get("voorvoegsel"), "naam.voorvoegsel", max_length=20),
        surname=surname,
        birth_date=parse_datum(_dict(person.get("geboorte"), "geboorte").get("datum"), "geboorte.datum"),
        address=address,
        municipality_code=code,
        municipality_name=_text(gemeente.get("omschrijving"), "gemeenteVanInschrijving.omschrijving"),
        is_secret=secret,
        deceased_on=deceased_on,
        suspension_reason=reason,
        suspended_on=parse_datum(opschorting.get("datum"), "opschortingBijhouding.datum")
        if opschorting
        else None,
        abroad=abroad or code == RNI_MUNICIPALITY,
        country=country,
        extra={"adressering": person.get("adressering")} if person.get("adressering") else {},
    )


def persons_from_response(payload: Any) -> tuple[list[BrpPerson], list[tuple[str, MalformedPerson]]]:
    """The usable persons of a /personen answer, and (masked BSN, error) for each one refused."""
    data = _dict(payload, "antwoord", required=True)
    entries = data.get("personen", [])
    if not isinstance(entries, list):
        raise MalformedPerson("personen", "is geen lijst")
    persons, refused = [], []
    for entry in entries:
        try:
            persons.append(person_from_api(entry))
        except MalformedPerson as error:
            number = entry.get("burgerservicenummer", "") if isinstance(entry, dict) else ""
            refused.append((mask(number if isinstance(number, str) else ""), error))
    return persons, refused
