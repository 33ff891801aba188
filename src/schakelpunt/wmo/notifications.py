"""E-mail about Wmo reports. Mail carries no resident data: a report number, its phase, the
deadline and a link to the report behind the login.

Called after the transaction commits (``transaction.on_commit`` in services.py), so a change that
is rolled back sends nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from schakelpunt.wmo.models import WmoReminder, WmoReport

# (report, kind of deadline, due date) as the daily run passes them.
Item = tuple[WmoReport, str, datetime.date]


def link(report: WmoReport) -> str:
    """The report's page (the views' URL name ``wmo:detail``)."""
    try:
        return settings.SITE_URL + reverse("wmo:detail", args=[report.pk])
    except NoReverseMatch:  # the views are not installed (e.g. an API-only deployment)
        return settings.SITE_URL


def team_addresses(desk_id: int) -> list[str]:
    """The desk's team: active users at the desk who work Wmo reports and have an address."""
    users = (
        get_user_model()
        .objects.filter(desks=desk_id, is_active=True)
        .filter(
            Q(groups__permissions__codename="work_wmoreport") | Q(user_permissions__codename="work_wmoreport")
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users))


def recipients(report: WmoReport, team_cache: dict[int, list[str]]) -> list[str]:
    """The assigned consultant, or the desk's team while nobody is assigned (or the consultant
    left or has no address)."""
    consultant = report.consultant
    if consultant is not None and consultant.is_active and consultant.email:
        return [consultant.email]
    if report.desk_id not in team_cache:
        team_cache[report.desk_id] = team_addresses(report.desk_id)
    return team_cache[report.desk_id]


def _send(subject: str, lines: list[str], recipients: list[str]) -> None:
    if not recipients:
        return
    send_mail(subject, "\n".join(lines) + "\n", None, recipients)


def _line(report: WmoReport, kind: str, due: datetime.date) -> str:
    return _("- Wmo-melding %(pk)s (%(phase)s): %(kind)s uiterlijk %(due)s\n  %(link)s") % {
        "pk": report.pk,
        "phase": report.get_status_display(),
        "kind": WmoReminder.Kind(kind).label,
        "due": f"{due:%d-%m-%Y}",
        "link": link(report),
    }


def assigned(report: WmoReport) -> None:
    consultant = report.consultant
    if consultant is None or not consultant.is_active or not consultant.email:
        return
    with translation.override("nl"):  # mail goes out in the desk's language
        _send(
            _("Wmo-melding %(pk)s is aan u toegewezen") % {"pk": report.pk},
            [
                _("Goedendag,"),
                "",
                _("Wmo-melding %(pk)s is aan u toegewezen. Het onderzoek moet uiterlijk %(due)s af zijn.")
                % {"pk": report.pk, "due": f"{report.due_investigation:%d-%m-%Y}"},
                link(report),
            ],
            [consultant.email],
        )


def reminders(upcoming: list[Item], overdue: list[Item], *, today: datetime.date) -> None:
    """One mail per recipient listing their coming deadlines, and one listing what is overdue."""
    team_cache: dict[int, list[str]] = {}
    with translation.override("nl"):
        for items, subject, intro in (
            (
                upcoming,
                _("Herinnering: termijnen van Wmo-meldingen"),
                _("De termijn van deze Wmo-meldingen verloopt binnenkort:"),
            ),
            (
                overdue,
                _("Termijn verstreken: Wmo-meldingen"),
                _("De wettelijke termijn van deze Wmo-meldingen is verstreken:"),
            ),
        ):
            by_address: dict[str, list[Item]] = defaultdict(list)
            for item in items:
                for address in recipients(item[0], team_cache):
                    by_address[address].append(item)
            for address, listed in sorted(by_address.items()):
                _send(
                    subject,
                    [_("Goedendag,"), "", intro, *(_line(*item) for item in listed)],
                    [address],
                )


def closed_by_system(reports: list[WmoReport]) -> None:
    """Tell the consultant that the register closed their report (death or move)."""
    by_address: dict[str, list[WmoReport]] = defaultdict(list)
    for report in reports:
        consultant = report.consultant
        if consultant is not None and consultant.is_active and consultant.email:
            by_address[consultant.email].append(report)
    with translation.override("nl"):
        for address, listed in sorted(by_address.items()):
            _send(
                _("Wmo-meldingen afgesloten na een melding uit de BRP"),
                [
                    _("Goedendag,"),
                    "",
                    _("Deze Wmo-meldingen zijn afgesloten omdat de inwoner is overleden of verhuisd:"),
                    *(
                        _("- Wmo-melding %(pk)s (%(reason)s)\n  %(link)s")
                        % {"pk": r.pk, "reason": r.get_close_reason_display(), "link": link(r)}
                        for r in listed
                    ),
                ],
                [address],
            )
