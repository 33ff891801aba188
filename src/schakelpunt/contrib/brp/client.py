"""A small client for the Haal Centraal BRP API Personen 2.x and the BRP Update API.

Every request has a timeout; connection errors and 5xx answers are retried with backoff
(urllib3 ``Retry``); whatever still fails becomes one of the exceptions below, each with a
Dutch message that can be shown to the employee. The intake goes on without the register.

No BSN is ever put in a log line or an exception message: BSNs travel in the request body
(POST /personen) or in the path of the Update API, which the register requires.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

# Only what the desk needs (data minimisation). geheimhoudingPersoonsgegevens and
# opschortingBijhouding are delivered automatically and may not be asked for.
PERSON_FIELDS = [
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "overlijden.datum",
    "verblijfplaats",
    "gemeenteVanInschrijving",
]
# Searches answer with PersoonBeperkt: no verblijfplaats, but the address lines.
SEARCH_FIELDS = [
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "geboorte.datum",
    "adressering.adresregel1",
    "adressering.adresregel2",
]
MAX_BSNS_PER_REQUEST = 20  # RaadpleegMetBurgerservicenummer: maxItems 20
API_KEY_HEADER = "X-API-KEY"


class BrpError(Exception):
    """Something went wrong talking to the register; ``user_message`` is for the screen."""

    user_message = _("Het BRP gaf een onverwacht antwoord. Probeer het later opnieuw.")

    def __init__(self, detail: str = "", *, status: int | None = None, invalid_params=()) -> None:
        super().__init__(detail or self.__class__.__name__)
        self.status = status
        self.invalid_params = list(invalid_params)


class BrpUnavailable(BrpError):
    user_message = _(
        "Het BRP is nu niet bereikbaar. U kunt de gegevens van de inwoner zelf invullen "
        "en later opnieuw zoeken."
    )


class BrpBadRequest(BrpError):
    user_message = _("Het BRP begreep de zoekvraag niet. Controleer wat u heeft ingevuld.")


class BrpUnauthorized(BrpError):
    user_message = _(
        "Schakelpunt mag het BRP nu niet raadplegen (geen toegang). Meld dit aan de functioneel beheerder."
    )


class BrpNotFound(BrpError):
    user_message = _("Het BRP kent dit niet.")


class BrpInvalidResponse(BrpError):
    user_message = _("Het BRP gaf een antwoord dat Schakelpunt niet kan lezen. Probeer het later opnieuw.")


@dataclass(frozen=True)
class FollowIndication:
    bsn: str
    start: datetime.date | None
    end: datetime.date | None


class BrpClient:
    def __init__(
        self,
        *,
        personen_url: str,
        update_url: str,
        api_key: str = "",
        client_cert: str = "",
        client_key: str = "",
        ca_bundle: str = "",
        timeout: float = 10,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        self.personen_url = personen_url.rstrip("/")
        self.update_url = update_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            status_forcelist=(500, 502, 503, 504),
            # POST /personen only reads; PUT of a follow indication is idempotent.
            allowed_methods=frozenset({"GET", "POST", "PUT"}),
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": "application/json"})
        if api_key:
            self.session.headers[API_KEY_HEADER] = api_key
        if client_cert:
            self.session.cert = (client_cert, client_key) if client_key else client_cert
        if ca_bundle:
            self.session.verify = ca_bundle

    @classmethod
    def from_settings(cls) -> BrpClient:
        return cls(
            personen_url=settings.BRP_API_URL,
            update_url=settings.BRP_UPDATE_API_URL,
            api_key=settings.BRP_API_KEY,
            client_cert=settings.BRP_CLIENT_CERT,
            client_key=settings.BRP_CLIENT_KEY,
            ca_bundle=settings.BRP_CA_BUNDLE,
            timeout=settings.BRP_TIMEOUT,
            retries=settings.BRP_RETRIES,
        )

    # --- transport ------------------------------------------------------------------------

    def _request(self, method: str, url: str, *, operation: str, **kwargs: Any) -> Any:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            logger.warning("BRP %s: no answer within %s seconds", operation, self.timeout)
            raise BrpUnavailable("timeout") from None
        except requests.RequestException as error:
            logger.warning("BRP %s: not reachable (%s)", operation, type(error).__name__)
            raise BrpUnavailable("connection") from None
        status = response.status_code
        if status >= 400:
            problem = _problem(response)
            logger.warning(
                "BRP %s: HTTP %s %s (%s)",
                operation,
                status,
                problem.get("code", ""),
                problem.get("title", ""),
            )
            names = [p.get("name", "") for p in problem.get("invalidParams", []) if isinstance(p, dict)]
            if status == 400:
                raise BrpBadRequest(str(problem.get("code", "")), status=status, invalid_params=names)
            if status in (401, 403):
                raise BrpUnauthorized(str(problem.get("code", "")), status=status)
            if status == 404:
                raise BrpNotFound(str(problem.get("code", "")), status=status)
            if status >= 500 or status == 429:
                raise BrpUnavailable(str(problem.get("code", "")), status=status)
            raise BrpError(str(problem.get("code", "")), status=status)
        if status == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            logger.warning("BRP %s: answer is not JSON", operation)
            raise BrpInvalidResponse("not json", status=status) from None

    def _personen(self, body: dict[str, Any], operation: str) -> dict[str, Any]:
        data = self._request(
            "POST",
            f"{self.personen_url}/personen",
            operation=operation,
            json=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        if not isinstance(data, dict) or not isinstance(data.get("personen", []), list):
            raise BrpInvalidResponse("no personen", status=200)
        return data

    # --- BRP API Personen -----------------------------------------------------------------

    def raadpleeg(self, bsns: list[str], *, fields: list[str] | None = None) -> dict[str, Any]:
        """RaadpleegMetBurgerservicenummer for at most 20 BSNs; the raw answer."""
        if not 1 <= len(bsns) <= MAX_BSNS_PER_REQUEST:
            raise ValueError("between 1 and 20 BSNs per request")
        return self._personen(
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": list(bsns),
                "fields": fields or PERSON_FIELDS,
            },
            "RaadpleegMetBurgerservicenummer",
        )

    def zoek_geslachtsnaam_geboortedatum(
        self,
        *,
        geslachtsnaam: str,
        geboortedatum: datetime.date,
        voorvoegsel: str = "",
        inclusief_overleden: bool = True,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
            "geslachtsnaam": geslachtsnaam,
            "geboortedatum": geboortedatum.isoformat(),
            "inclusiefOverledenPersonen": inclusief_overleden,
            "fields": SEARCH_FIELDS,
        }
        if voorvoegsel:
            body["voorvoegsel"] = voorvoegsel
        return self._personen(body, "ZoekMetGeslachtsnaamEnGeboortedatum")

    def zoek_postcode_huisnummer(
        self,
        *,
        postcode: str,
        huisnummer: int,
        huisletter: str = "",
        huisnummertoevoeging: str = "",
        inclusief_overleden: bool = True,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "ZoekMetPostcodeEnHuisnummer",
            "postcode": postcode.replace(" ", "").upper(),
            "huisnummer": huisnummer,
            "inclusiefOverledenPersonen": inclusief_overleden,
            "fields": SEARCH_FIELDS,
        }
        if huisletter:
            body["huisletter"] = huisletter
        if huisnummertoevoeging:
            body["huisnummertoevoeging"] = huisnummertoevoeging
        return self._personen(body, "ZoekMetPostcodeEnHuisnummer")

    # --- BRP Update API -------------------------------------------------------------------

    def volg(self, bsn: str) -> FollowIndication:
        """Place (or renew, without end date) the follow indication on a person."""
        data = self._request(
            "PUT", f"{self.update_url}/volgindicaties/{bsn}", operation="volgindicatie", json={}
        )
        return _indication(data, bsn)

    def beeindig_volg(self, bsn: str, *, on: datetime.date | None = None) -> FollowIndication:
        """End the follow indication: an end date of today ends it today."""
        end = on or datetime.date.today()
        data = self._request(
            "PUT",
            f"{self.update_url}/volgindicaties/{bsn}",
            operation="volgindicatie beëindigen",
            json={"einddatum": end.isoformat()},
        )
        return _indication(data, bsn)

    def volgindicaties(self) -> list[FollowIndication]:
        data = self._request("GET", f"{self.update_url}/volgindicaties", operation="volgindicaties")
        items = data.get("volgindicaties", []) if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise BrpInvalidResponse("no volgindicaties", status=200)
        return [_indication(item, "") for item in items]

    def wijzigingen(self, *, vanaf: datetime.date) -> list[str]:
        """BSNs of followed persons changed on or after ``vanaf``."""
        data = self._request(
            "GET",
            f"{self.update_url}/wijzigingen",
            operation="wijzigingen",
            params={"vanaf": vanaf.isoformat()},
        )
        numbers = data.get("burgerservicenummers", []) if isinstance(data, dict) else None
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise BrpInvalidResponse("no burgerservicenummers", status=200)
        return numbers


def _problem(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise BrpInvalidResponse("invalid date", status=200) from None


def _indication(data: Any, bsn: str) -> FollowIndication:
    if not isinstance(data, dict):
        raise BrpInvalidResponse("no volgindicatie", status=200)
    return FollowIndication(
        bsn=str(data.get("burgerservicenummer") or bsn),
        start=_date(data.get("begindatum")),
        end=_date(data.get("einddatum")),
    )
