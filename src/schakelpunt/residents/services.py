"""Every write to residents, representations and consents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.organisations.models import Desk, Municipality
from schakelpunt.organisations.selectors import district_for_postcode
from schakelpunt.residents.models import Consent, Representation, Resident
from schakelpunt.residents.validators import normalise_bsn, normalise_postcode

RESIDENT_FIELDS = {
    "bsn",
    "given_names",
    "surname_prefix",
    "surname",
    "birth_date",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "town",
    "municipality",
    "phone",
    "email",
    "preferred_channel",
    "is_secret",
}


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if data.get("bsn"):
        data["bsn"] = normalise_bsn(data["bsn"])
    if data.get("postcode"):
        try:
            data["postcode"] = normalise_postcode(data["postcode"])
        except ValidationError as error:
            raise ValidationError({"postcode": error.messages}) from None
    return data


def _place(resident: Resident) -> None:
    """Derive district and municipality from the postcode, when the postcode table knows it.

    A move to a postcode in another municipality moves the resident there too (and so to
    the desks serving it); an unknown postcode leaves the municipality as it was given.
    """
    district = district_for_postcode(resident.postcode) if resident.postcode else None
    resident.district = district
    if district is not None:
        resident.municipality = Municipality.objects.get(pk=district.municipality_id)


@transaction.atomic
def resident_create(
    *, acting_user, desk: Desk, data: dict[str, Any], request: HttpRequest | None = None
) -> Resident:
    unknown = set(data) - RESIDENT_FIELDS
    if unknown:
        raise ValueError(f"unknown resident fields: {sorted(unknown)}")
    resident = Resident(registered_desk=desk, **_normalise(data))
    _place(resident)
    resident.full_clean()
    resident.save()
    access_log_record(
        acting_user=acting_user,
        action=Action.CREATE,
        object_type="residents.resident",
        object_id=resident.pk,
        request=request,
        purpose="intake",
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    acting_user,
    resident: Resident,
    expected_version: int,
    data: dict[str, Any],
    request: HttpRequest | None = None,
    purpose: str = "edit",
) -> Resident:
    """Change a resident; refused with ConflictError when someone saved in between."""
    unknown = set(data) - RESIDENT_FIELDS
    if unknown:
        raise ValueError(f"unknown resident fields: {sorted(unknown)}")
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if locked.version != expected_version:
        raise ConflictError
    for field, value in _normalise(data).items():
        setattr(locked, field, value)
    if "postcode" in data:
        _place(locked)
    locked.full_clean()
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    access_log_record(
        acting_user=acting_user,
        action=Action.CHANGE,
        object_type="residents.resident",
        object_id=locked.pk,
        request=request,
        purpose=purpose,
    )
    return locked


@transaction.atomic
def representation_add(
    *, acting_user, resident: Resident, data: dict[str, Any], request: HttpRequest | None = None
) -> Representation:
    representation = Representation(resident=resident, **data)
    if (
        representation.valid_from
        and representation.valid_until
        and representation.valid_until < representation.valid_from
    ):
        raise ValidationError({"valid_until": _("De einddatum ligt vóór de begindatum.")})
    representation.full_clean()
    representation.save()
    access_log_record(
        acting_user=acting_user,
        action=Action.CHANGE,
        object_type="residents.resident",
        object_id=resident.pk,
        request=request,
        purpose="representation",
    )
    return representation


@transaction.atomic
def consent_record(
    *,
    acting_user,
    resident: Resident,
    purpose: str,
    scope: list[str],
    organisation=None,
    legal_basis: str = "",
    given_by: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """Record what a resident agreed may be shared; a BSN only with a legal basis."""
    unknown = set(scope) - set(Consent.Scope.values)
    if unknown or not scope:
        raise ValidationError({"scope": _("Kies welke gegevens gedeeld mogen worden.")})
    if Consent.Scope.BSN in scope and not legal_basis.strip():
        raise ValidationError(
            {"legal_basis": _("Het BSN mag alleen gedeeld worden met een wettelijke grondslag: vul die in.")}
        )
    consent = Consent(
        resident=resident,
        purpose=purpose,
        scope=sorted(set(scope)),
        organisation=organisation,
        legal_basis=legal_basis,
        given_by=given_by,
        given_at=timezone.now(),
        recorded_by=acting_user,
    )
    consent.full_clean()
    consent.save()
    access_log_record(
        acting_user=acting_user,
        action=Action.CREATE,
        object_type="residents.consent",
        object_id=consent.pk,
        request=request,
        purpose="consent",
    )
    return consent


@transaction.atomic
def consent_withdraw(*, acting_user, consent: Consent, request: HttpRequest | None = None) -> Consent:
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_recorded_by = acting_user
        locked.save(update_fields=["withdrawn_at", "withdrawn_recorded_by", "updated_at"])
        access_log_record(
            acting_user=acting_user,
            action=Action.CHANGE,
            object_type="residents.consent",
            object_id=locked.pk,
            request=request,
            purpose="consent",
        )
    return locked
