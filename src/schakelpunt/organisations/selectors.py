"""Reads of desks and participants that several callers need."""

from django.db.models import Prefetch, Q, QuerySet

from schakelpunt.organisations.models import (
    Desk,
    District,
    Location,
    Municipality,
    OpeningHours,
    Participation,
    PostcodeArea,
)


def desks_visible_to(user) -> QuerySet[Desk]:
    """Desks a staff member works with.

    Administrators (who may change desks) see all of them; everyone else sees the desks
    they are assigned to and the desks serving their own organisation's municipality.
    """
    if not user.is_authenticated:
        return Desk.objects.none()
    if user.has_perm("organisations.change_desk"):
        return Desk.objects.all()
    condition = Q(pk__in=user.desks.values("pk"))
    if user.organisation_id and user.organisation.municipality_id:
        condition |= Q(municipalities=user.organisation.municipality_id)
    return Desk.objects.filter(condition).distinct()


def municipalities_of(user) -> QuerySet[Municipality]:
    """The municipalities a user works for: the municipality their own organisation is (a
    municipality's staff, such as its policy officers, who often work at no desk), or else the
    municipalities served by the desks they work at. Used wherever a user sees or answers things
    "of their municipality": signals addressed to the municipality, and the same rule as the
    policy view of insights (``insights.selectors.policy_municipalities``, ADR 0010)."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    organisation = user.organisation if user.organisation_id else None
    if organisation is not None and organisation.municipality_id:
        # Organisation.municipality is set only for municipalities (a check constraint).
        return Municipality.objects.filter(pk=organisation.municipality_id)
    return Municipality.objects.filter(desks__in=user.desks.all()).distinct()


def desks_for_user(user) -> list[Desk]:
    """The user's desks with their active locations and opening hours, for the home page."""
    if not user.has_perm("organisations.view_desk"):
        return []
    return list(_with_locations(desks_visible_to(user).filter(is_active=True)))


def public_desks() -> QuerySet[Desk]:
    return _with_locations(Desk.objects.filter(is_active=True)).prefetch_related("municipalities")


def _with_locations(desks: QuerySet[Desk]) -> QuerySet[Desk]:
    return desks.order_by("name").prefetch_related(
        Prefetch(
            "locations",
            queryset=Location.objects.filter(is_active=True)
            .order_by("name")
            .prefetch_related(
                Prefetch(
                    "opening_hours",
                    queryset=OpeningHours.objects.order_by("kind", "weekday", "opens"),
                )
            ),
        )
    )


def participation_list(*, viewer) -> QuerySet[Participation]:
    if not viewer.has_perm("organisations.view_participation"):
        return Participation.objects.none()
    return (
        Participation.objects.filter(desk__in=desks_visible_to(viewer))
        .select_related("desk", "organisation")
        .order_by("desk__name", "organisation__name")
    )


def district_for_postcode(postcode: str) -> District | None:
    """The district of a postcode ("7511 AB" or "7511AB"), from the configured table."""
    compact = postcode.replace(" ", "").upper()
    if len(compact) != 6:
        return None
    areas = PostcodeArea.objects.filter(postcode__in=[compact, compact[:4]]).select_related("district")
    by_code = {area.postcode: area.district for area in areas}
    return by_code.get(compact) or by_code.get(compact[:4])
