"""Every write to referrals: making one, every status transition, and the daily deadline run."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import FollowUp, Question
from schakelpunt.contacts.services import follow_up_create
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.referrals import notifications, workflow
from schakelpunt.referrals.deadlines import add_working_days, agreement_for, due_dates, working_days_between
from schakelpunt.referrals.models import ApiToken, Referral, ReferralStatus, UnmetNeed
from schakelpunt.referrals.selectors import deadline_q, overdue_q, side_of
from schakelpunt.residents.models import Consent

S = Referral.Status
SHAREABLE = {choice.value for choice in Consent.Scope}
# Working days after a partner closes a referral before the desk checks with the resident.
FEEDBACK_AFTER_WORKING_DAYS = 5


def _check_consent(
    *, question: Question, organisation, consent: Consent | None, warm_handover: bool, shared: set
):
    unknown = shared - SHAREABLE
    if unknown:
        raise ValueError(f"unknown shared data: {sorted(unknown)}")
    if consent is None:
        if not warm_handover:
            raise ValidationError(
                {
                    "consent": _(
                        "Leg eerst de toestemming van de inwoner vast, of kies een warme overdracht "
                        "als de inwoner erbij is."
                    )
                }
            )
        if "bsn" in shared:
            raise ValidationError(
                {
                    "shared_data": _(
                        "Een BSN wordt alleen gedeeld met toestemming en een wettelijke grondslag."
                    )
                }
            )
        return
    errors = {}
    if question.resident_id is None or consent.resident_id != question.resident_id:
        errors["consent"] = _("Deze toestemming is van een andere inwoner.")
    elif not consent.is_active:
        errors["consent"] = _("Deze toestemming is ingetrokken.")
    elif consent.organisation_id != organisation.pk:
        errors["consent"] = _("Deze toestemming noemt een andere organisatie.")
    else:
        beyond = shared - set(consent.scope)
        if beyond:
            labels = ", ".join(str(Consent.Scope(value).label) for value in sorted(beyond))
            errors["shared_data"] = _("De toestemming dekt niet: %(labels)s.") % {"labels": labels}
        elif "bsn" in shared and not consent.legal_basis:
            errors["shared_data"] = _(
                "Een BSN wordt alleen gedeeld als de wettelijke grondslag is vastgelegd."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_create(
    *,
    acting_user,
    question: Question,
    organisation,
    reason: str,
    urgency: str = Referral.Urgency.NORMAL,
    resident_wishes: str = "",
    service=None,
    consent: Consent | None = None,
    warm_handover: bool = False,
    shared_data: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Referral:
    """Refer a question to an organisation, with consent (or a warm hand-over), and write the
    deadlines of the applicable agreement onto the referral."""
    if not acting_user.has_perm("referrals.add_referral"):
        raise PermissionDenied
    question = (
        Question.objects.visible_to(acting_user).select_related("contact").filter(pk=question.pk).first()
    )
    if question is None:
        raise PermissionDenied
    if question.status == Question.Status.CLOSED:
        raise ValidationError(_("Deze vraag is afgesloten; open hem opnieuw om te verwijzen."))
    if not organisation.is_active:
        raise ValidationError({"organisation": _("Deze organisatie is niet (meer) actief.")})
    if service is not None and getattr(service.organization, "participant_id", None) != organisation.pk:
        raise ValidationError({"service": _("Deze dienst hoort niet bij de gekozen organisatie.")})
    shared = set(shared_data)
    _check_consent(
        question=question,
        organisation=organisation,
        consent=consent,
        warm_handover=warm_handover,
        shared=shared,
    )
    today = timezone.localdate()
    agreement = agreement_for(organisation=organisation, service=service, on=today)
    referral = Referral(
        question=question,
        resident_id=question.resident_id,
        referring_desk_id=question.contact.desk_id,
        referred_by=acting_user,
        organisation=organisation,
        service=service,
        reason=reason,
        urgency=urgency,
        resident_wishes=resident_wishes,
        consent=consent,
        warm_handover=consent is None and warm_handover,
        shared_data=sorted(shared),
        agreement=agreement,
        **due_dates(start=today, agreement=agreement),
    )
    referral.full_clean()
    referral.save()
    ReferralStatus.objects.create(referral=referral, to_status=S.REQUESTED, changed_by=acting_user)
    access_log_record(
        acting_user=acting_user,
        action=Action.CREATE,
        object_type="referrals.referral",
        object_id=referral.pk,
        request=request,
        purpose="referral",
        on_behalf_of=on_behalf_of_resident(referral.resident_id),
    )
    transaction.on_commit(lambda: notifications.new_referral(referral))
    return referral


def _side(acting_user, referral: Referral) -> str:
    """Which side of the referral the user is on: "partner", "desk" or "system" (no user)."""
    if acting_user is None:
        return "system"
    side = side_of(acting_user, referral)
    if side is None:
        raise PermissionDenied
    return side


@transaction.atomic
def referral_transition(
    *,
    acting_user,
    referral: Referral,
    to_status: str,
    reason: str = "",
    note: str = "",
    outcome: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Move a referral to another state: the one way to change its status.

    ``to_status`` is a status, or ``workflow.RESUME`` to leave "on hold" for the state before.
    ``acting_user`` None means the system (the population register's processing).
    """
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError
    side = _side(acting_user, locked)
    from_status = locked.status
    if to_status == workflow.RESUME:
        if from_status != S.ON_HOLD:
            raise ValidationError(_("Alleen een gepauzeerde verwijzing kan worden hervat."))
        to_status = locked.held_from_status or S.REQUESTED
    elif to_status not in workflow.MOVES_BY_SIDE[side]:
        raise PermissionDenied
    if not workflow.allowed(from_status, to_status):
        raise ValidationError(
            _("Een verwijzing met status ‘%(from)s’ kan niet naar ‘%(to)s’.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        )
    if to_status in workflow.NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Kies een reden.")})
    if reason and reason not in Referral.Reason.values:
        raise ValidationError({"reason": _("Onbekende reden.")})
    if to_status in workflow.NEEDS_OUTCOME and not outcome.strip():
        raise ValidationError({"outcome": _("Beschrijf het resultaat: wat is er voor de inwoner gedaan?")})

    now = timezone.now()
    today = timezone.localdate(now)
    if to_status == S.ON_HOLD:
        locked.held_from_status = from_status
        locked.on_hold_since = today
    elif from_status == S.ON_HOLD:
        # The time on hold does not count: every deadline moves by the working days it lasted.
        shift = working_days_between(locked.on_hold_since or today, today)
        locked.due_accept = add_working_days(locked.due_accept, shift)
        locked.due_first_contact = add_working_days(locked.due_first_contact, shift)
        locked.due_complete = add_working_days(locked.due_complete, shift)
        locked.held_from_status = ""
        locked.on_hold_since = None
    if to_status == S.ACCEPTED and locked.accepted_at is None:
        locked.accepted_at = now
    if to_status == S.IN_PROGRESS and locked.first_contact_at is None:
        locked.first_contact_at = now
    if to_status in workflow.CLOSED_STATES:
        locked.closed_at = now
        locked.close_reason = reason
        locked.outcome = outcome.strip()
    locked.status = to_status
    locked.status_changed_at = now
    locked.overdue_since = None
    locked.overdue_notified_on = None
    locked.reminded_on = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    ReferralStatus.objects.create(
        referral=locked,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        note=note,
        changed_by=acting_user,
        changed_at=now,
    )
    if to_status == S.REJECTED and reason in workflow.UNMET_REASONS:
        UnmetNeed.objects.create(
            question_id=locked.question_id, referral=locked, reason=reason, recorded_at=now
        )
    if side == "partner" and to_status in workflow.CLOSED_STATES:
        _plan_feedback(acting_user=acting_user, referral=locked, today=today)
    access_log_record(
        acting_user=acting_user,
        action=Action.CHANGE,
        object_type="referrals.referral",
        object_id=locked.pk,
        request=request,
        purpose="referral",
        on_behalf_of=on_behalf_of_resident(locked.resident_id),
    )
    if side == "partner":
        transaction.on_commit(lambda: notifications.status_changed(locked))
    return locked


def _plan_feedback(*, acting_user, referral: Referral, today: datetime.date) -> None:
    """Close the loop: the referring employee checks with the resident whether help arrived."""
    if referral.resident_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in the desk's language
        note = {
            S.COMPLETED: _("Verwijzing %(pk)s is afgerond: is de hulp aangekomen?"),
            S.FAILED: _("Verwijzing %(pk)s is niet gelukt: wat nu?"),
            S.REJECTED: _("Verwijzing %(pk)s is afgewezen: wat nu?"),
        }[referral.status] % {"pk": referral.pk}
    follow_up_create(
        acting_user=referral.referred_by,
        question=referral.question,
        due_date=add_working_days(today, FEEDBACK_AFTER_WORKING_DAYS),
        kind=FollowUp.Kind.CHECK_IN,
        assigned_to=referral.referred_by if referral.referred_by.is_active else None,
        note=note,
    )


def referrals_cancel_for_resident(*, resident, reason: str, note: str = "") -> int:
    """Cancel every open referral of a resident as the system (the register reported a death);
    the partners are told. Returns how many were cancelled."""
    count = 0
    for referral in Referral.objects.filter(resident=resident).open().order_by("pk"):
        referral_transition(
            acting_user=None, referral=referral, to_status=S.CANCELLED, reason=reason, note=note
        )
        transaction.on_commit(lambda referral=referral: notifications.cancelled_by_system(referral))
        count += 1
    return count


def referrals_flag_moved_away(*, resident) -> int:
    """The register says the resident moved out of the region: each open referral gets a
    follow-up for its referring employee to decide whether it goes on. Returns how many
    referrals were flagged (each once, however often the change arrives)."""
    flagged = 0
    today = timezone.localdate()
    for referral in (
        Referral.objects.filter(resident=resident).open().select_related("referred_by", "question")
    ):
        note = _("Inwoner is verhuisd uit de regio: beslis of verwijzing %(pk)s doorloopt.") % {
            "pk": referral.pk
        }
        if FollowUp.objects.filter(question_id=referral.question_id, note=note).exists():
            continue
        follow_up_create(
            acting_user=referral.referred_by,
            question=referral.question,
            due_date=today,
            kind=FollowUp.Kind.OTHER,
            assigned_to=referral.referred_by if referral.referred_by.is_active else None,
            note=note,
        )
        flagged += 1
    return flagged


@transaction.atomic
def referrals_check_deadlines(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: mark overdue referrals and tell the partner's team and the referring
    employee once; remind the partner the working day before a deadline."""
    today = today or timezone.localdate()
    overdue = Referral.objects.filter(overdue_q(today))
    newly_overdue = overdue.filter(overdue_since__isnull=True).update(overdue_since=today)
    to_notify = list(
        overdue.filter(overdue_notified_on__isnull=True).select_related("organisation", "referred_by")
    )
    Referral.objects.filter(pk__in=[r.pk for r in to_notify]).update(overdue_notified_on=today)
    tomorrow = add_working_days(today, 1)
    to_remind = list(
        Referral.objects.filter(deadline_q(tomorrow, "exact"), reminded_on__isnull=True).select_related(
            "organisation"
        )
    )
    Referral.objects.filter(pk__in=[r.pk for r in to_remind]).update(reminded_on=today)
    transaction.on_commit(lambda: notifications.overdue(to_notify))
    transaction.on_commit(lambda: notifications.reminders(to_remind))
    return {
        "overdue": overdue.count(),
        "newly_overdue": newly_overdue,
        "notified": len(to_notify),
        "reminded": len(to_remind),
    }


# --- Keys for partners' own systems -----------------------------------------------------------


@transaction.atomic
def api_token_issue(*, organisation, name: str) -> tuple[ApiToken, str]:
    """A new key for the organisation's API account (made on first use, with the partner role
    and no password). Returns the token and the key, which is stored only as a hash."""
    account, created = get_user_model().objects.get_or_create(
        username=f"api-{organisation.pk}",
        defaults={"organisation": organisation, "first_name": "API", "last_name": organisation.name[:150]},
    )
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
        account.groups.add(Group.objects.get(name="Partner"))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        account=account, name=name, key_prefix=key[:8], key_hash=ApiToken.hash(key)
    )
    return token, key


def api_token_revoke(*, organisation, prefix: str) -> int:
    """End the organisation's active key(s) starting with ``prefix``; returns how many."""
    return ApiToken.objects.filter(
        account__organisation=organisation, key_prefix__startswith=prefix[:8], revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def api_token_used(*, token: ApiToken) -> None:
    """Remember the day a key was last used (one write a day at most)."""
    today = timezone.localdate()
    if token.last_used_on != today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_on=today)
        token.last_used_on = today
