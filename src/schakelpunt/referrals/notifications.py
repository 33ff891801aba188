"""E-mail about referrals. Mail carries no resident data: a number, a status and a link.

Called after the transaction commits, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _partner_addresses(organisation) -> list[str]:
    """The partner's team: active users of the organisation who work referrals, and the
    organisation's own address."""
    users = (
        get_user_model()
        .objects.filter(organisation=organisation, is_active=True)
        .filter(
            Q(groups__permissions__codename="work_referral") | Q(user_permissions__codename="work_referral")
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    addresses = sorted(set(users))
    if organisation.email and organisation.email not in addresses:
        addresses.append(organisation.email)
    return addresses


def _link(referral) -> str:
    return settings.SITE_URL + reverse("referrals:detail", args=[referral.pk])


def _send(template: str, recipients: list[str], **context) -> None:
    if not recipients:
        return
    # Mail goes out in Dutch, the desk's language, whatever the request's language was.
    with translation.override("nl"):
        subject = render_to_string(f"referrals/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"referrals/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)


def new_referral(referral) -> None:
    _send("new", _partner_addresses(referral.organisation), referral=referral, link=_link(referral))


def status_changed(referral) -> None:
    employee = referral.referred_by
    if employee.is_active and employee.email:
        _send("status", [employee.email], referral=referral, link=_link(referral))


def cancelled_by_system(referral) -> None:
    _send("cancelled", _partner_addresses(referral.organisation), referral=referral, link=_link(referral))


def overdue(referrals) -> None:
    """One mail per partner organisation and one per referring employee, listing the referrals."""
    by_organisation = defaultdict(list)
    by_employee = defaultdict(list)
    for referral in referrals:
        by_organisation[referral.organisation].append(referral)
        if referral.referred_by.is_active and referral.referred_by.email:
            by_employee[referral.referred_by.email].append(referral)
    for organisation, items in by_organisation.items():
        _send("overdue", _partner_addresses(organisation), referrals=[(r, _link(r)) for r in items])
    for address, items in by_employee.items():
        _send("overdue", [address], referrals=[(r, _link(r)) for r in items])


def reminders(referrals) -> None:
    by_organisation = defaultdict(list)
    for referral in referrals:
        by_organisation[referral.organisation].append(referral)
    for organisation, items in by_organisation.items():
        _send("reminder", _partner_addresses(organisation), referrals=[(r, _link(r)) for r in items])
