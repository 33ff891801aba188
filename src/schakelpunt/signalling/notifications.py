"""E-mail about signals. A signal is about supply, not about residents: mail carries its title,
its status and a link, never evidence rows or anything else about a resident.

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

from schakelpunt.organisations.models import Organisation


def _with_permission(codename: str):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label="signalling")
        | Q(user_permissions__codename=codename, user_permissions__content_type__app_label="signalling")
    )


def addressee_addresses(signal) -> list[str]:
    """Who answers the signal: for a partner, the organisation's users who answer signals and
    its own address; for the municipality, the users who answer signals and work for it (its
    own staff; others at a desk serving it) and the municipality's address as an organisation."""
    answerers = _with_permission("answer_signal")
    if signal.addressed_to_id:
        users = answerers.filter(organisation_id=signal.addressed_to_id)
        own = Organisation.objects.filter(pk=signal.addressed_to_id)
    else:
        # Who works for the municipality, as organisations.selectors.municipalities_of says.
        users = answerers.filter(
            Q(organisation__municipality_id=signal.municipality_id)
            | Q(organisation__municipality__isnull=True, desks__municipalities=signal.municipality_id)
        )
        own = Organisation.objects.filter(
            type=Organisation.Type.MUNICIPALITY, municipality_id=signal.municipality_id
        )
    addresses = sorted(set(users.values_list("email", flat=True)))
    for email in own.exclude(email="").values_list("email", flat=True):
        if email not in addresses:
            addresses.append(email)
    return addresses


def _coordinators(desk_id: int) -> list[str]:
    return sorted(
        set(_with_permission("change_signal").filter(desks=desk_id).values_list("email", flat=True))
    )


def _link(signal) -> str:
    return settings.SITE_URL + reverse("signalling:detail", args=[signal.pk])


def _send(template: str, recipients: list[str], **context) -> None:
    if not recipients:
        return
    # Mail goes out in Dutch, the desk's language, whatever the request's language was.
    with translation.override("nl"):
        subject = render_to_string(f"signalling/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"signalling/email/{template}.txt", context)
    send_mail(subject, body, None, recipients)


def signal_sent(signal) -> None:
    _send("sent", addressee_addresses(signal), signal=signal, link=_link(signal))


def signal_answered(signal) -> None:
    """The addressee answered: the employee who raised it and the desk's coordinators hear it."""
    recipients = set(_coordinators(signal.desk_id))
    creator = signal.created_by
    if creator is not None and creator.is_active and creator.email:
        recipients.add(creator.email)
    _send("answered", sorted(recipients), signal=signal, link=_link(signal))


def proposals_made(signals) -> None:
    """New automatic proposals: one mail per desk to its coordinators."""
    by_desk = defaultdict(list)
    for signal in signals:
        by_desk[signal.desk_id].append(signal)
    for desk_id, items in by_desk.items():
        _send("proposed", _coordinators(desk_id), signals=[(signal, _link(signal)) for signal in items])
