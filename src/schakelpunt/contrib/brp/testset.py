"""The RvIG GBA-V test set (data/SOURCE.md), read into person lists, and turned into API persons.

The file has one column per LO GBA element (``01.01.20`` = category 01, group 01, element 20:
the BSN) and a ``cc.H`` column per category. A person list starts at a row with an identifier
in the first column; the rows below it, up to the next identifier, belong to the same person.
Each row holds one occurrence of any number of categories. Per category, the first row is the
current occurrence; the ``cc.H`` value of a row says what the *next* row of that category is:

- ``5x`` (category + 50, e.g. ``58`` for category 08): the history of the same occurrence;
- ``cc`` itself (``09``, ``04``, ``12``): a new occurrence (another child, nationality, ...);
- empty: nothing follows.

The API only gives current data, so only current occurrences are kept; history rows are read
and skipped. Dates are GBA dates: ``00000000`` wholly unknown, ``20080000`` only the year,
``19780300`` year and month.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_FILE = (
    Path(__file__).resolve().parent / "data" / "20220502_Testset_persoonslijsten_proefomgeving_GBA-V.csv"
)

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip

# Names of the municipalities the test set lives in (CBS/GBA table 33, 'Gemeententabel').
MUNICIPALITIES = {
    "0014": "Groningen",
    "0034": "Almere",
    "0153": "Enschede",
    "0226": "Duiven",
    "0228": "Ede",
    "0344": "Utrecht",
    "0363": "Amsterdam",
    "0402": "Hilversum",
    "0518": "'s-Gravenhage",
    "0530": "Hellevoetsluis",
    "0599": "Rotterdam",
    "0935": "Maastricht",
    "1999": "Registratie Niet Ingezetenen (RNI)",
}


@dataclass
class GbaPerson:
    """The current occurrence of each category of one person list: ``{"01": {"01.20": ...}}``."""

    identifier: str
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    history_rows: int = 0

    def element(self, code: str) -> str:
        """``element("01.01.20")`` → the BSN; "" when absent."""
        return self.categories.get(code[:2], {}).get(code[3:], "")

    @property
    def bsn(self) -> str:
        return self.element("01.01.20")


def read_testset(path: Path = DATA_FILE) -> list[GbaPerson]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        columns = [(index, name[:2], name[3:]) for index, name in enumerate(header) if name and index > 0]
        persons: list[GbaPerson] = []
        # per person: category → what its next row is ("current", "history", "occurrence")
        following: dict[str, str] = {}
        for row in reader:
            if row and row[0].strip():
                persons.append(GbaPerson(identifier=row[0].strip()))
                following = {}
            if not persons:
                continue
            person = persons[-1]
            values: dict[str, dict[str, str]] = {}
            marks: dict[str, str] = {}
            for index, category, element in columns:
                value = row[index].strip() if index < len(row) else ""
                if not value:
                    continue
                if element == "H":
                    marks[category] = value
                else:
                    values.setdefault(category, {})[element] = value
            for category, elements in values.items():
                kind = following.get(category, "current")
                if kind == "current":
                    person.categories[category] = elements
                else:
                    person.history_rows += 1
                mark = marks.get(category, "")
                if mark.isdigit() and int(mark) == int(category) + 50:
                    following[category] = "history"
                elif mark.isdigit() and int(mark) == int(category):
                    following[category] = "occurrence"
                else:
                    following[category] = "end"
        return persons


@cache
def default_testset() -> tuple[GbaPerson, ...]:
    return tuple(read_testset())


# --- GBA → BRP API Personen 2.x -----------------------------------------------------------


def api_date(raw: str) -> dict | None:
    """A GBA date as an AbstractDatum. An impossible date is passed on as it is, as a real
    register with a data error would: the receiving side must refuse it."""
    if not raw:
        return None
    if raw == "00000000":
        return {"type": "DatumOnbekend", "onbekend": True, "langFormaat": "onbekend"}
    if len(raw) == 8 and raw.isdigit():
        year, month, day = int(raw[:4]), int(raw[4:6]), int(raw[6:])
        if year and month == 0 and day == 0:
            return {"type": "JaarDatum", "jaar": year, "langFormaat": str(year)}
        if year and 1 <= month <= 12 and day == 0:
            return {
                "type": "JaarMaandDatum",
                "jaar": year,
                "maand": month,
                "langFormaat": f"{MONTHS[month - 1]} {year}",
            }
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            pass
        else:
            return {
                "type": "Datum",
                "datum": value.isoformat(),
                "langFormaat": f"{value.day} {MONTHS[value.month - 1]} {value.year}",
            }
    return {"type": "Datum", "datum": raw, "langFormaat": raw}


def _table(code: str, names: dict[str, str] | None = None) -> dict:
    result = {"code": code}
    if names and code in names:
        result["omschrijving"] = names[code]
    return result


def _prune(value):
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", {}, [])}
    return value


def _verblijfplaats(gba: GbaPerson) -> dict | None:
    c8 = gba.categories.get("08", {})
    if not c8:
        return None
    if c8.get("13.10"):
        return {
            "type": "VerblijfplaatsBuitenland",
            "verblijfadres": {
                "regel1": c8.get("13.30", ""),
                "regel2": c8.get("13.40", ""),
                "regel3": c8.get("13.50", ""),
                "land": _table(c8["13.10"]),
            },
            "datumVan": api_date(c8.get("13.20", "")),
        }
    if c8.get("11.10") or c8.get("11.60"):
        number = c8.get("11.20", "")
        return {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": c8.get("11.15", "") or c8.get("11.10", ""),
                "korteStraatnaam": c8.get("11.10", ""),
                "huisnummer": int(number) if number.isdigit() else None,
                "huisletter": c8.get("11.30", ""),
                "huisnummertoevoeging": c8.get("11.40", ""),
                "postcode": c8.get("11.60", ""),
                "woonplaats": c8.get("11.70", ""),
            },
            "functieAdres": _table(c8["10.10"], {"W": "woonadres", "B": "briefadres"})
            if c8.get("10.10")
            else None,
            "adresseerbaarObjectIdentificatie": c8.get("11.80", ""),
            "nummeraanduidingIdentificatie": c8.get("11.90", ""),
            "datumVan": api_date(c8.get("10.30", "")),
        }
    if c8.get("12.10"):
        return {
            "type": "Locatie",
            "verblijfadres": {"locatiebeschrijving": c8["12.10"]},
            "datumVan": api_date(c8.get("10.30", "")),
        }
    return {"type": "VerblijfplaatsOnbekend", "datumVan": api_date(c8.get("10.30", ""))}


def adressering(verblijfplaats: dict | None) -> dict | None:
    """The address lines of PersoonBeperkt, from a verblijfplaats."""
    if not verblijfplaats:
        return None
    adres = verblijfplaats.get("verblijfadres", {})
    if verblijfplaats["type"] == "Adres":
        number = f"{adres.get('huisnummer') or ''}{adres.get('huisletter', '')}"
        if adres.get("huisnummertoevoeging"):
            number += f"-{adres['huisnummertoevoeging']}"
        postcode = adres.get("postcode", "")
        if len(postcode) == 6:
            postcode = f"{postcode[:4]} {postcode[4:]}"
        return {
            "adresregel1": f"{adres.get('korteStraatnaam', '')} {number}".strip()[:40],
            "adresregel2": f"{postcode}  {adres.get('woonplaats', '').upper()}".strip()[:50],
        }
    if verblijfplaats["type"] == "VerblijfplaatsBuitenland":
        return {
            "adresregel1": adres.get("regel1", "")[:40],
            "adresregel2": adres.get("regel2", "")[:50],
            "land": adres.get("land"),
        }
    if verblijfplaats["type"] == "Locatie":
        return {"adresregel1": adres.get("locatiebeschrijving", "")[:40]}
    return None


def api_person(gba: GbaPerson) -> dict:
    """The person as BRP API Personen 2.x gives it (Persoon), all fields the desk may ask for."""
    c1 = gba.categories.get("01", {})
    c6 = gba.categories.get("06", {})
    c7 = gba.categories.get("07", {})
    c8 = gba.categories.get("08", {})
    verblijfplaats = _verblijfplaats(gba)
    person = {
        "burgerservicenummer": c1.get("01.20", ""),
        "aNummer": c1.get("01.10", ""),
        "naam": {
            "voornamen": c1.get("02.10", ""),
            "voorvoegsel": c1.get("02.30", ""),
            "geslachtsnaam": c1.get("02.40", ""),
        },
        "geboorte": {
            "datum": api_date(c1.get("03.10", "")),
            "plaats": _table(c1["03.20"], MUNICIPALITIES) if c1.get("03.20") else None,
            "land": _table(c1["03.30"]) if c1.get("03.30") else None,
        },
        "geslacht": _table(c1["04.10"], {"M": "man", "V": "vrouw", "O": "onbekend"})
        if c1.get("04.10")
        else None,
        "overlijden": {
            "datum": api_date(c6.get("08.10", "")),
            "plaats": _table(c6["08.20"], MUNICIPALITIES) if c6.get("08.20") else None,
            "land": _table(c6["08.30"]) if c6.get("08.30") else None,
        }
        if c6
        else None,
        "verblijfplaats": verblijfplaats,
        "gemeenteVanInschrijving": _table(c8["09.10"], MUNICIPALITIES) if c8.get("09.10") else None,
        "datumInschrijvingInGemeente": api_date(c8.get("09.20", "")),
        "adressering": adressering(verblijfplaats),
        # automatically delivered, never asked for in fields:
        "geheimhoudingPersoonsgegevens": c7.get("70.10", "0") not in ("", "0"),
        "opschortingBijhouding": {
            "reden": _table(
                c7["67.20"],
                {"O": "overlijden", "E": "emigratie", "M": "ministerieel besluit", "R": "rni", "F": "fout"},
            ),
            "datum": api_date(c7.get("67.10", "")),
        }
        if c7.get("67.20")
        else None,
    }
    return _prune(person)
