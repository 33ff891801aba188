"""E-mail of the social map: reminders to organisations about services to be checked.

Sent after the transaction that records the reminder commits, so a rolled-back run sends
nothing. The mail lists service names and dates and links to the manage page; it holds no
personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def stale_reminder_recipients(organization) -> list[str]:
    """The partner users who keep the organisation's services (active users of the linked
    participant holding ``directory.change_service``); without any, the organisation's own
    address."""
    addresses: list[str] = []
    if organization.participant_id:
        perm = Q(
            groups__permissions__codename="change_service",
            groups__permissions__content_type__app_label="directory",
        )
        perm |= Q(
            user_permissions__codename="change_service",
            user_permissions__content_type__app_label="directory",
        )
        addresses = sorted(
            set(
                get_user_model()
                .objects.filter(organisation_id=organization.participant_id, is_active=True)
                .filter(perm)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
    if not addresses and organization.email:
        addresses = [organization.email]
    return addresses


def stale_reminder_send(*, organization, services, recipients, today) -> None:
    context = {
        "organization": organization,
        "services": [
            (service, settings.SITE_URL + reverse("directory:service-edit", args=[service.pk]))
            for service in services
        ],
        "manage_link": settings.SITE_URL + reverse("directory:manage") + "?lijst=te-controleren",
        "stale_after_days": settings.DIRECTORY_STALE_AFTER_DAYS,
        "today": today,
    }
    # Mail goes out in Dutch, the desk's language.
    with translation.override("nl"):
        subject = render_to_string("directory/edit/email/stale_reminder_subject.txt", context).strip()
        body = render_to_string("directory/edit/email/stale_reminder.txt", context)
    send_mail(subject, body, None, recipients)
