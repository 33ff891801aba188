"""Reads of referrals: the partner's inbox, the desk's list, one referral, and the moves a user may make."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import get_visible_or_404
from schakelpunt.referrals import workflow
from schakelpunt.referrals.models import Referral

S = Referral.Status


def deadline_q(day, lookup: str = "lt") -> Q:
    """Referrals whose current deadline compares to ``day`` (``lt``: past it; ``exact``: on it):
    accepting while requested, first contact while accepted without it, completing otherwise."""
    return (
        Q(status=S.REQUESTED, **{f"due_accept__{lookup}": day})
        | Q(status=S.ACCEPTED, first_contact_at__isnull=True, **{f"due_first_contact__{lookup}": day})
        | Q(status__in=[S.ACCEPTED, S.IN_PROGRESS], **{f"due_complete__{lookup}": day})
    )


def overdue_q(today) -> Q:
    return deadline_q(today, "lt")


@dataclass(frozen=True)
class Tab:
    slug: str
    title: Any
    empty: Any

    def condition(self, today) -> Q:
        return {
            "nieuw": lambda: Q(status=S.REQUESTED),
            "lopend": lambda: Q(status__in=[S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD]),
            "open": lambda: Q(status__in=Referral.OPEN_STATUSES),
            "te-laat": lambda: overdue_q(today),
            "afgesloten": lambda: Q(status__in=workflow.CLOSED_STATES),
        }[self.slug]()

    def filter(self, queryset: QuerySet[Referral]) -> QuerySet[Referral]:
        return queryset.filter(self.condition(timezone.localdate()))


def tab_counts(queryset: QuerySet[Referral], tabs: list[Tab]) -> dict[str, int]:
    """The number of referrals on every tab, in one pass over the list."""
    today = timezone.localdate()
    counts = queryset.order_by().aggregate(
        **{tab.slug: Count("pk", filter=tab.condition(today)) for tab in tabs}
    )
    return {slug: count or 0 for slug, count in counts.items()}


INBOX_TABS = [
    Tab("nieuw", _("Nieuw"), _("Er zijn geen nieuwe verwijzingen.")),
    Tab("lopend", _("Lopend"), _("Er zijn geen lopende verwijzingen.")),
    Tab("te-laat", _("Over de termijn"), _("Geen verwijzingen over de termijn. Goed bezig!")),
    Tab("afgesloten", _("Afgesloten"), _("Nog geen afgesloten verwijzingen.")),
]
DESK_TABS = [
    Tab("open", _("Open"), _("Uw loket heeft geen open verwijzingen.")),
    Tab("te-laat", _("Over de termijn"), _("Geen verwijzingen over de termijn.")),
    Tab("afgesloten", _("Afgesloten"), _("Nog geen afgesloten verwijzingen.")),
]


def _list(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related(
        "resident", "consent", "service", "organisation", "referring_desk"
    ).order_by("-created_at", "-pk")


def inbox(*, viewer) -> QuerySet[Referral]:
    """Referrals addressed to the viewer's organisation, newest first."""
    return _list(Referral.objects.received_by(viewer))


def desk_referrals(*, viewer) -> QuerySet[Referral]:
    """Referrals made by the viewer's desks, newest first."""
    return _list(Referral.objects.visible_to(viewer).filter(referring_desk__in=viewer.desks.all()))


def referral_get(*, viewer, pk: int) -> Referral:
    return get_visible_or_404(
        Referral.objects.select_related(
            "question",
            "question__contact",
            "resident",
            "resident__municipality",
            "organisation",
            "service",
            "service__organization",
            "consent",
            "consent__organisation",
            "referring_desk",
            "referred_by",
            "agreement",
        ),
        viewer,
        pk=pk,
    )


def side_of(user, referral: Referral) -> str | None:
    """ "partner" for the receiving organisation, "desk" for the referring desk."""
    if user.has_perm("referrals.work_referral") and user.organisation_id == referral.organisation_id:
        return "partner"
    if user.has_perm("referrals.change_referral") and any(
        desk.pk == referral.referring_desk_id for desk in user.desks.all()
    ):
        return "desk"
    return None


def moves_for(side: str | None, referral: Referral) -> list[str]:
    """The moves offered to a side (see :func:`side_of`) on this referral, in workflow order."""
    if side is None:
        return []
    moves = [
        status
        for status in workflow.ALLOWED_TRANSITIONS[referral.status]
        if status in workflow.MOVES_BY_SIDE[side] and status != S.REQUESTED
    ]
    order = [S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.REJECTED, S.FAILED, S.ON_HOLD, S.CANCELLED]
    moves.sort(key=order.index)
    if referral.status == S.ON_HOLD:
        moves = [workflow.RESUME, *[move for move in moves if move not in (S.ACCEPTED, S.IN_PROGRESS)]]
    return moves
