import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn

POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


def validate_bsn(value: str) -> None:
    """A BSN has nine digits and passes the eleven-test (python-stdnum)."""
    try:
        bsn.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Dit is geen geldig BSN: een BSN heeft 9 cijfers en voldoet aan de elfproef."),
            code="invalid_bsn",
        ) from None


def normalise_bsn(value: str) -> str:
    return bsn.compact(value) if value else ""


def normalise_postcode(value: str) -> str:
    """'7511ab' → '7511 AB'; raises ValidationError for anything that is not a postcode."""
    match = POSTCODE.match(value.strip())
    if not match:
        raise ValidationError(
            _("Vul een postcode in als 1234 AB: vier cijfers (niet beginnend met 0) en twee letters."),
            code="invalid_postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value: str) -> None:
    normalise_postcode(value)


def validate_birth_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("Een geboortedatum kan niet in de toekomst liggen."), code="future")
    if value.year < today.year - 125:
        raise ValidationError(_("Deze geboortedatum ligt te ver in het verleden."), code="too_old")
