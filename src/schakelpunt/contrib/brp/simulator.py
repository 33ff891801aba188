"""A simulator of the BRP API Personen 2.x and the BRP Update API, serving the RvIG test set.

It answers at the paths of the official mock (``/haalcentraal/api/brp/personen``,
``/haalcentraal/api/brpupdate/volgindicaties``, ``/haalcentraal/api/brpupdate/wijzigingen``),
in the shapes of the OpenAPI specifications, with problem+json errors. It uses only the
standard library, so tests start it in-process on a free loopback port
(:func:`start_simulator`) and the demo runs it with ``schakelpunt brp_simulator``.

Changes for demos and tests are scripted: ``POST /simulator/wijzigingen`` with one event or a
list of events (or ``--script FILE`` at start), for example::

    {"soort": "verhuizing", "bsn": "999993653", "datum": "2026-03-01", "straat": "Oude Markt",
     "huisnummer": 1, "postcode": "7511GA", "woonplaats": "Enschede", "gemeente": "0153"}
    {"soort": "overlijden", "bsn": "999993653", "datum": "2026-03-02"}
    {"soort": "emigratie", "bsn": "999993653", "datum": "2026-03-02", "land": "5002"}
    {"soort": "geheimhouding", "bsn": "999993653", "datum": "2026-03-02", "waarde": true}
    {"soort": "naam", "bsn": "999993653", "datum": "2026-03-02", "geslachtsnaam": "Jansen"}
    {"soort": "bsn", "bsn": "999993653", "datum": "2026-03-02", "nieuw_bsn": "999990019"}
    {"soort": "ruw", "bsn": "999993653", "datum": "2026-03-02", "persoon": {...}}

Each event changes the person and is listed by ``/wijzigingen`` from its date on, for persons
with an active follow indication. ``POST /simulator/reset`` goes back to the test set.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from schakelpunt.contrib.brp.testset import (
    MUNICIPALITIES,
    adressering,
    api_date,
    api_person,
    default_testset,
)

PERSONEN_PATH = "/haalcentraal/api/brp/personen"
UPDATE_PREFIX = "/haalcentraal/api/brpupdate"
BSN = re.compile(r"^[0-9]{9}$")
# Top-level fields of Persoon that may be asked for; automatic ones may not (400).
ASKABLE = {
    "aNummer", "burgerservicenummer", "datumEersteInschrijvingGBA", "geslacht", "uitsluitingKiesrecht",
    "europeesKiesrecht", "leeftijd", "naam", "nationaliteiten", "geboorte", "overlijden", "verblijfplaats",
    "immigratie", "gemeenteVanInschrijving", "datumInschrijvingInGemeente", "adressering",
    "indicatieCurateleRegister", "gezag", "verblijfstitel", "kinderen", "ouders", "partners",
}  # fmt: skip
AUTOMATIC = {"geheimhoudingPersoonsgegevens", "opschortingBijhouding", "inOnderzoek", "rni", "verificatie"}
BEPERKT = {"burgerservicenummer", "naam", "geboorte", "geslacht", "leeftijd", "adressering"}
REQUIRED = {
    "RaadpleegMetBurgerservicenummer": ["burgerservicenummer"],
    "ZoekMetGeslachtsnaamEnGeboortedatum": ["geslachtsnaam", "geboortedatum"],
    "ZoekMetPostcodeEnHuisnummer": ["postcode", "huisnummer"],
}
EVENT_KINDS = {"verhuizing", "overlijden", "emigratie", "geheimhouding", "naam", "bsn", "ruw"}


class Problem(Exception):
    def __init__(self, status: int, title: str, code: str, invalid: list[dict] | None = None) -> None:
        super().__init__(title)
        self.status, self.title, self.code, self.invalid = status, title, code, invalid or []

    def body(self, instance: str) -> dict:
        body = {
            "type": f"https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.{self.status - 399}",
            "title": self.title,
            "status": self.status,
            "instance": instance,
            "code": self.code,
        }
        if self.invalid:
            body["invalidParams"] = self.invalid
        return body


def _invalid(name: str, code: str, reason: str) -> dict:
    return {
        "type": f"https://www.vng.nl/realisatie/api/validaties/{code}",
        "name": name,
        "code": code,
        "reason": reason,
    }


def select_fields(person: dict, fields: list[str]) -> dict:
    """Only the requested dotted paths (``naam.voornamen``), plus the automatic fields."""
    result: dict = {}
    for path in fields:
        source: Any = person
        target = result
        parts = path.split(".")
        for index, part in enumerate(parts):
            if not isinstance(source, dict) or part not in source:
                break
            if index == len(parts) - 1:
                target[part] = copy.deepcopy(source[part])
            else:
                source = source[part]
                target = target.setdefault(part, {})
    for name in AUTOMATIC:
        if person.get(name):
            result[name] = copy.deepcopy(person[name])
    return {key: value for key, value in result.items() if value != {}}


class SimulatorState:
    """The persons, follow indications and scripted changes; safe to use from several threads."""

    def __init__(self, *, today: Callable[[], datetime.date] | None = None) -> None:
        self._today = today or datetime.date.today
        self.lock = threading.RLock()
        self.reset()

    def today(self) -> datetime.date:
        return self._today()

    def reset(self) -> None:
        with self.lock:
            self.persons: dict[str, dict] = {}
            self.duplicates = 0
            for gba in default_testset():
                if not gba.bsn:
                    continue
                if gba.bsn in self.persons:
                    self.duplicates += 1  # two person lists with one BSN: the first one counts
                    continue
                self.persons[gba.bsn] = api_person(gba)
            self.aliases: dict[str, str] = {}  # old BSN → new BSN
            self.follows: dict[str, dict[str, str]] = {}
            self.changes: list[tuple[datetime.date, str]] = []

    # --- reads ------------------------------------------------------------------------------

    def person(self, bsn: str) -> dict | None:
        with self.lock:
            bsn = self.aliases.get(bsn, bsn)
            return self.persons.get(bsn)

    def _alive(self, person: dict, include_deceased: bool) -> bool:
        return include_deceased or ("overlijden" not in person)

    def search_name(self, surname: str, birth_date: str, prefix: str, include_deceased: bool) -> list[dict]:
        pattern = surname.lower()
        wildcard = pattern.endswith("*")
        pattern = pattern.rstrip("*")
        found = []
        with self.lock:
            for person in self.persons.values():
                name = person.get("naam", {})
                family = name.get("geslachtsnaam", "").lower()
                if not (family.startswith(pattern) if wildcard else family == pattern):
                    continue
                if (person.get("geboorte", {}).get("datum") or {}).get("datum") != birth_date:
                    continue
                if prefix and name.get("voorvoegsel", "").lower() != prefix.lower():
                    continue
                if self._alive(person, include_deceased):
                    found.append(person)
        return found

    def search_address(
        self, postcode: str, number: int, letter: str, addition: str, include_deceased: bool
    ) -> list[dict]:
        postcode = postcode.replace(" ", "").upper()
        found = []
        with self.lock:
            for person in self.persons.values():
                place = person.get("verblijfplaats", {})
                if place.get("type") != "Adres":
                    continue
                address = place.get("verblijfadres", {})
                if address.get("postcode", "").replace(" ", "").upper() != postcode:
                    continue
                if address.get("huisnummer") != number:
                    continue
                if letter and address.get("huisletter", "").lower() != letter.lower():
                    continue
                if addition and address.get("huisnummertoevoeging", "").lower() != addition.lower():
                    continue
                if self._alive(person, include_deceased):
                    found.append(person)
        return found

    def active_follows(self) -> dict[str, dict[str, str]]:
        today = self.today().isoformat()
        with self.lock:
            return {
                bsn: item
                for bsn, item in self.follows.items()
                if not item.get("einddatum") or item["einddatum"] > today
            }

    def changed_since(self, since: datetime.date | None) -> list[str]:
        followed = self.active_follows()
        with self.lock:
            numbers = []
            for when, bsn in self.changes:
                if (since is None or when >= since) and bsn in followed and bsn not in numbers:
                    numbers.append(bsn)
            return numbers

    # --- writes -----------------------------------------------------------------------------

    def follow(self, bsn: str, end: str | None) -> tuple[dict, bool]:
        with self.lock:
            created = bsn not in self.follows
            item = self.follows.setdefault(
                bsn, {"burgerservicenummer": bsn, "begindatum": self.today().isoformat()}
            )
            if end:
                item["einddatum"] = end
            else:
                item.pop("einddatum", None)
                if not created and item.get("begindatum", "") > self.today().isoformat():
                    item["begindatum"] = self.today().isoformat()
            return dict(item), created

    def apply(self, event: dict) -> None:
        """Apply one scripted change (see the module docstring); ValueError when it is wrong."""
        kind = event.get("soort")
        if kind not in EVENT_KINDS:
            raise ValueError(f"onbekende soort: {kind!r}")
        bsn = str(event.get("bsn", ""))
        try:
            when = datetime.date.fromisoformat(str(event.get("datum") or self.today().isoformat()))
        except ValueError:
            raise ValueError("datum moet JJJJ-MM-DD zijn") from None
        gba_date = when.strftime("%Y%m%d")
        with self.lock:
            person = self.person(bsn)
            if person is None and kind != "ruw":
                raise ValueError("onbekend BSN")
            bsn = self.aliases.get(bsn, bsn)
            if kind == "verhuizing":
                postcode = str(event.get("postcode", "")).replace(" ", "").upper()
                place = {
                    "type": "Adres",
                    "verblijfadres": {
                        "officieleStraatnaam": event.get("straat", ""),
                        "korteStraatnaam": str(event.get("straat", ""))[:24],
                        "huisnummer": int(event["huisnummer"]),
                        "huisletter": event.get("huisletter", ""),
                        "huisnummertoevoeging": event.get("toevoeging", ""),
                        "postcode": postcode,
                        "woonplaats": event.get("woonplaats", ""),
                    },
                    "functieAdres": {"code": "W", "omschrijving": "woonadres"},
                    "datumVan": api_date(gba_date),
                }
                place["verblijfadres"] = {
                    k: v for k, v in place["verblijfadres"].items() if v not in ("", None)
                }
                person["verblijfplaats"] = place
                person["adressering"] = adressering(place)
                code = str(event.get("gemeente", ""))
                person["gemeenteVanInschrijving"] = {
                    "code": code,
                    "omschrijving": MUNICIPALITIES.get(code, ""),
                }
                if person.get("opschortingBijhouding", {}).get("reden", {}).get("code") == "E":
                    del person["opschortingBijhouding"]  # back from abroad
            elif kind == "overlijden":
                person["overlijden"] = {"datum": api_date(gba_date)}
                person["opschortingBijhouding"] = {
                    "reden": {"code": "O", "omschrijving": "overlijden"},
                    "datum": api_date(gba_date),
                }
            elif kind == "emigratie":
                place = {
                    "type": "VerblijfplaatsBuitenland",
                    "verblijfadres": {"land": {"code": str(event.get("land", "0000"))}},
                    "datumVan": api_date(gba_date),
                }
                person["verblijfplaats"] = place
                person["adressering"] = adressering(place)
                person["gemeenteVanInschrijving"] = {"code": "1999", "omschrijving": MUNICIPALITIES["1999"]}
                person["opschortingBijhouding"] = {
                    "reden": {"code": "E", "omschrijving": "emigratie"},
                    "datum": api_date(gba_date),
                }
            elif kind == "geheimhouding":
                if event.get("waarde", True):
                    person["geheimhoudingPersoonsgegevens"] = True
                else:
                    person.pop("geheimhoudingPersoonsgegevens", None)
            elif kind == "naam":
                for key in ("voornamen", "voorvoegsel", "geslachtsnaam"):
                    if key in event:
                        person.setdefault("naam", {})[key] = event[key]
            elif kind == "bsn":
                new = str(event.get("nieuw_bsn", ""))
                if not BSN.match(new) or new in self.persons:
                    raise ValueError("nieuw_bsn ongeldig of al in gebruik")
                person["burgerservicenummer"] = new
                self.persons[new] = self.persons.pop(bsn)
                self.aliases[bsn] = new
                for old, target in list(self.aliases.items()):
                    if target == bsn:
                        self.aliases[old] = new
            elif kind == "ruw":
                replacement = event.get("persoon")
                if not isinstance(replacement, dict):
                    raise ValueError("persoon ontbreekt")
                self.persons[bsn] = replacement
            self.changes.append((when, bsn))
            # The desk follows the number it knows: a changed BSN is reported on the old one too.
            for old, target in self.aliases.items():
                if target == self.aliases.get(bsn, bsn) and old != bsn:
                    self.changes.append((when, old))

    def apply_all(self, events: Iterable[dict]) -> int:
        count = 0
        for event in events:
            self.apply(event)
            count += 1
        return count


def _output(person: dict) -> dict:
    person = dict(person)
    if person.get("geheimhoudingPersoonsgegevens") is False:
        del person["geheimhoudingPersoonsgegevens"]
    return person


class Handler(BaseHTTPRequestHandler):
    server: SimulatorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)  # the path may hold a BSN: only when asked

    # --- plumbing ---------------------------------------------------------------------------

    def _send(self, status: int, body: Any, content_type: str = "application/json; charset=utf-8") -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("api-version", "2.7.0")
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            return json.loads(raw)
        except ValueError:
            raise Problem(400, "De request body is geen geldige JSON.", "paramsValidation") from None

    def _handle(self, method: str) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        try:
            if path.startswith("/simulator/"):
                self._simulator(method, path)
                return
            key = self.server.api_key
            if key and self.headers.get("X-API-KEY") != key:
                raise Problem(401, "Niet correct geauthenticeerd.", "authentication")
            if path == PERSONEN_PATH and method == "POST":
                self._send(200, self._personen(self._body()))
            elif path == f"{UPDATE_PREFIX}/volgindicaties" and method == "GET":
                self._send(200, {"volgindicaties": list(self.server.state.active_follows().values())})
            elif path.startswith(f"{UPDATE_PREFIX}/volgindicaties/") and method in ("GET", "PUT"):
                self._volgindicatie(method, path.rsplit("/", 1)[1])
            elif path == f"{UPDATE_PREFIX}/wijzigingen" and method == "GET":
                self._wijzigingen()
            else:
                raise Problem(404, "Opgevraagde resource bestaat niet.", "notFound")
        except Problem as problem:
            self._send(problem.status, problem.body(self.path.split("?")[0]), "application/problem+json")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    # --- BRP API Personen -------------------------------------------------------------------

    def _personen(self, query: Any) -> dict:
        if not isinstance(query, dict):
            raise Problem(400, "Ten minste één parameter moet worden opgegeven.", "paramsRequired")
        kind = query.get("type")
        if kind not in REQUIRED:
            raise Problem(
                400,
                "Een of meerdere parameters zijn niet correct.",
                "paramsValidation",
                [_invalid("type", "value", "Waarde is geen geldige zoek type.")],
            )
        invalid = [
            _invalid(name, "required", "Parameter is verplicht.")
            for name in REQUIRED[kind]
            if name not in query
        ]
        fields = query.get("fields")
        if not isinstance(fields, list) or not fields:
            invalid.append(_invalid("fields", "required", "Parameter is verplicht."))
            fields = []
        allowed = ASKABLE if kind == "RaadpleegMetBurgerservicenummer" else BEPERKT
        for index, path in enumerate(fields):
            top = str(path).split(".")[0]
            if top not in allowed:
                invalid.append(
                    _invalid(f"fields[{index}]", "field", "Parameter bevat een niet bestaande veldnaam.")
                )
        if invalid:
            raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation", invalid)
        state = self.server.state
        include_deceased = bool(query.get("inclusiefOverledenPersonen", False))
        if kind == "RaadpleegMetBurgerservicenummer":
            numbers = query["burgerservicenummer"]
            if not isinstance(numbers, list) or not 1 <= len(numbers) <= 20:
                raise Problem(
                    400,
                    "Een of meerdere parameters zijn niet correct.",
                    "paramsValidation",
                    [_invalid("burgerservicenummer", "maxItems", "Array bevat meer dan 20 items.")],
                )
            bad = [
                _invalid(
                    f"burgerservicenummer[{i}]", "pattern", "Waarde voldoet niet aan patroon ^[0-9]{9}$."
                )
                for i, number in enumerate(numbers)
                if not isinstance(number, str) or not BSN.match(number)
            ]
            if bad:
                raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation", bad)
            found = [p for number in dict.fromkeys(numbers) if (p := state.person(number)) is not None]
        elif kind == "ZoekMetGeslachtsnaamEnGeboortedatum":
            found = state.search_name(
                str(query["geslachtsnaam"]),
                str(query["geboortedatum"]),
                str(query.get("voorvoegsel", "")),
                include_deceased,
            )
        else:
            try:
                number = int(query["huisnummer"])
            except (TypeError, ValueError):
                raise Problem(
                    400,
                    "Een of meerdere parameters zijn niet correct.",
                    "paramsValidation",
                    [_invalid("huisnummer", "integer", "Waarde is geen geldig getal.")],
                ) from None
            found = state.search_address(
                str(query["postcode"]),
                number,
                str(query.get("huisletter", "")),
                str(query.get("huisnummertoevoeging", "")),
                include_deceased,
            )
        return {"type": kind, "personen": [select_fields(_output(p), fields) for p in found]}

    # --- BRP Update API ---------------------------------------------------------------------

    def _volgindicatie(self, method: str, bsn: str) -> None:
        if not BSN.match(bsn):
            raise Problem(
                400,
                "Een of meerdere parameters zijn niet correct.",
                "paramsValidation",
                [_invalid("burgerservicenummer", "pattern", "Waarde voldoet niet aan patroon ^[0-9]*$.")],
            )
        state = self.server.state
        if method == "GET":
            item = state.active_follows().get(bsn)
            if item is None:
                raise Problem(404, "Opgevraagde resource bestaat niet.", "notFound")
            self._send(200, item)
            return
        body = self._body()
        if not isinstance(body, dict):
            raise Problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation")
        end = body.get("einddatum")
        if end is not None:
            try:
                datetime.date.fromisoformat(str(end))
            except ValueError:
                raise Problem(
                    400,
                    "Een of meerdere parameters zijn niet correct.",
                    "paramsValidation",
                    [_invalid("einddatum", "date", "Waarde is geen geldige datum.")],
                ) from None
        item, created = state.follow(bsn, end)
        self._send(201 if created else 200, item)

    def _wijzigingen(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        since = None
        if "vanaf" in query:
            try:
                since = datetime.date.fromisoformat(query["vanaf"][0])
            except ValueError:
                raise Problem(
                    400,
                    "Een of meerdere parameters zijn niet correct.",
                    "paramsValidation",
                    [_invalid("vanaf", "date", "Waarde is geen geldige datum.")],
                ) from None
        numbers = self.server.state.changed_since(since)
        self._send(
            200,
            {
                "_links": {"self": {"href": self.path}},
                "burgerservicenummers": numbers,
            },
            "application/hal+json",
        )

    # --- scripting --------------------------------------------------------------------------

    def _simulator(self, method: str, path: str) -> None:
        state = self.server.state
        if method == "POST" and path == "/simulator/reset":
            state.reset()
            self._send(200, {"personen": len(state.persons)})
        elif method == "POST" and path == "/simulator/wijzigingen":
            body = self._body()
            events = body if isinstance(body, list) else [body]
            try:
                count = state.apply_all(events)
            except (ValueError, KeyError, TypeError) as error:
                raise Problem(400, f"Wijziging niet verwerkt: {error}"[:80], "paramsValidation") from None
            self._send(200, {"verwerkt": count})
        elif method == "GET" and path == "/simulator/status":
            self._send(
                200,
                {
                    "personen": len(state.persons),
                    "volgindicaties": len(state.active_follows()),
                    "wijzigingen": len(state.changes),
                },
            )
        else:
            raise Problem(404, "Opgevraagde resource bestaat niet.", "notFound")


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, state: SimulatorState, api_key: str = "", verbose=False):
        super().__init__(address, Handler)
        self.state = state
        self.api_key = api_key
        self.verbose = verbose

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def personen_url(self) -> str:
        return f"{self.url}/haalcentraal/api/brp"

    @property
    def update_url(self) -> str:
        return f"{self.url}{UPDATE_PREFIX}"


def start_simulator(
    *, host: str = "127.0.0.1", port: int = 0, api_key: str = "", state: SimulatorState | None = None
) -> SimulatorServer:
    """Serve in a background thread (port 0: a free one); stop with ``server.shutdown()``."""
    server = SimulatorServer((host, port), state=state or SimulatorState(), api_key=api_key)
    thread = threading.Thread(target=server.serve_forever, name="brp-simulator", daemon=True)
    thread.start()
    return server


def load_script(text: str) -> list[dict]:
    """A JSON list of events, or one JSON event per line."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]
