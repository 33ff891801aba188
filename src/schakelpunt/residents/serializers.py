"""API shapes of residents: the search request, a search hit and one resident.

Serializers only shape data; they never save. Fields a viewer may not see (the BSN, the
address of a resident under secrecy) are left out of the answer altogether, so an absent key
is all a client learns: no ``null`` that would tell "there is a BSN, you may not see it".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from schakelpunt.organisations.models import District, Municipality
from schakelpunt.residents.models import Resident
from schakelpunt.residents.selectors import SEARCH_LIMIT, ResidentQuery, parse_query

ADDRESS_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "town", "district")
QUERY_MAX_LENGTH = 200


def viewer_may(context: dict[str, Any], permission: str) -> bool:
    """Whether the user of the request in ``context`` holds ``permission``; no request: no."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.has_perm(permission))


def omit_hidden_resident_fields(data: dict[str, Any], resident: Resident, context: dict[str, Any]) -> None:
    """Drop, in place, the keys the viewer may not see."""
    if not viewer_may(context, "residents.can_view_bsn"):
        data.pop("bsn", None)
    if resident.is_secret and not viewer_may(context, "residents.can_view_secret_address"):
        for field in ADDRESS_FIELDS:
            data.pop(field, None)


class ResidentSearchRequestSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=QUERY_MAX_LENGTH,
        help_text=(
            "Zoekopdracht: naam, geboortedatum (dd-mm-jjjj), postcode met huisnummer of BSN, "
            "in elke combinatie. / Query: name, birth date (dd-mm-yyyy), postcode with house "
            "number or BSN, in any combination."
        ),
    )

    def validate_q(self, value: str) -> ResidentQuery:
        query = parse_query(value)
        if query.invalid_date:
            raise serializers.ValidationError(_("Deze geboortedatum bestaat niet."))
        if query.is_empty:
            raise serializers.ValidationError(
                _("Vul een naam, geboortedatum, postcode met huisnummer of BSN in.")
            )
        return query


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["code", "name"]
        read_only_fields = fields


BSN_HELP = (
    "Burgerservicenummer; leeg als het niet bekend is. Alleen voor wie het BSN mag zien "
    "(residents.can_view_bsn); voor anderen ontbreekt het veld. / Citizen service number; "
    "empty when unknown. Only for users with residents.can_view_bsn; absent for others."
)
ADDRESS_HELP = (
    "Bij geheimhouding (is_secret) alleen voor wie dat adres mag zien "
    "(residents.can_view_secret_address); voor anderen ontbreekt het veld. / Under secrecy "
    "(is_secret) only for users with residents.can_view_secret_address; absent for others."
)


class _ResidentBase(serializers.ModelSerializer):
    """The fields that may be left out are declared writable and not required.

    These serializers only ever shape answers. Declared so, the schema shows the fields as
    optional, which is the truth: a read-only field would be listed as always present.
    """

    bsn = serializers.CharField(required=False, help_text=BSN_HELP)
    street = serializers.CharField(required=False, help_text=ADDRESS_HELP)
    house_number = serializers.IntegerField(required=False, allow_null=True, help_text=ADDRESS_HELP)
    house_number_addition = serializers.CharField(required=False, help_text=ADDRESS_HELP)
    postcode = serializers.CharField(required=False, help_text=ADDRESS_HELP)
    town = serializers.CharField(required=False, help_text=ADDRESS_HELP)
    full_name = serializers.CharField(read_only=True, help_text="Volledige naam. / Full name.")
    municipality = MunicipalitySerializer(read_only=True, allow_null=True)

    def to_representation(self, instance: Resident) -> dict[str, Any]:
        data = super().to_representation(instance)
        omit_hidden_resident_fields(data, instance, self.context)
        return data


class ResidentSummarySerializer(_ResidentBase):
    """Een zoekresultaat: genoeg om de juiste inwoner te kiezen. / A search hit: enough to
    pick the right resident. Open the resident for the rest (that is logged as a read)."""

    class Meta:
        model = Resident
        fields = [
            "id",
            "bsn",
            "full_name",
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
            "is_secret",
            "status",
        ]
        read_only_fields = [
            "id",
            "given_names",
            "surname_prefix",
            "surname",
            "birth_date",
            "is_secret",
            "status",
        ]


class ResidentSerializer(_ResidentBase):
    """Eén inwoner. / One resident."""

    district = DistrictSerializer(
        required=False, allow_null=True, help_text="Wijk, afgeleid van de postcode. / District."
    )
    preferred_channel = serializers.ChoiceField(
        choices=Resident.Channel.choices,
        allow_blank=True,
        read_only=True,
        help_text="Leeg: geen voorkeur. / Empty: no preference.",
    )
    registered_desk = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Het loket waar de inwoner is ingeschreven. / Registering desk."
    )

    class Meta:
        model = Resident
        fields = [
            *ResidentSummarySerializer.Meta.fields,
            "district",
            "phone",
            "email",
            "preferred_channel",
            "status_date",
            "registered_desk",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            *ResidentSummarySerializer.Meta.read_only_fields,
            "phone",
            "email",
            "preferred_channel",
            "status_date",
            "version",
            "created_at",
            "updated_at",
        ]


class ResidentSearchResultSerializer(serializers.Serializer):
    results = ResidentSummarySerializer(
        many=True,
        read_only=True,
        help_text=f"Hoogstens {SEARCH_LIMIT} inwoners. / At most {SEARCH_LIMIT} residents.",
    )
