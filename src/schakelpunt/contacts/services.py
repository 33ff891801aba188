"""Every write to contacts, questions, follow-ups and self-reliance assessments."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import (
    Assessment,
    AssessmentInstrument,
    AssessmentScore,
    Contact,
    FollowUp,
    Question,
    QuestionChange,
)
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.organisations.models import Desk
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import Resident

CONTACT_FIELDS = {"channel", "location", "started_at", "duration_minutes", "asked_by", "asker_name"}
QUESTION_FIELDS = {
    "question_text",
    "clarification",
    "health_notes",
    "urgency",
    "status",
    "outcome",
    "unmet_reason",
    "answer",
    "minutes_spent",
}
TRACKED_FIELDS = QUESTION_FIELDS | {"domains", "assigned_to"}


def question_check_outcome(question: Question) -> None:
    """A closed question has an outcome; 'no suitable supply' says why."""
    errors = {}
    if question.status == Question.Status.CLOSED and not question.outcome:
        errors["outcome"] = _("Kies een uitkomst: een vraag kan alleen worden afgesloten met een uitkomst.")
    if question.outcome == Question.Outcome.NO_SUPPLY and not question.unmet_reason:
        errors["unmet_reason"] = _("Geef aan waarom er geen passend aanbod is.")
    if question.outcome != Question.Outcome.NO_SUPPLY:
        question.unmet_reason = ""
    # A question stays open while a partner is still working one of its referrals.
    if (
        question.status == Question.Status.CLOSED
        and question.pk is not None
        and question.referrals.filter(status__in=Referral.OPEN_STATUSES).exists()
    ):
        errors["status"] = _("Deze vraag heeft nog lopende doorverwijzingen; sluit die eerst af.")
    if errors:
        raise ValidationError(errors)


def _check_health_notes(acting_user, data: dict[str, Any]) -> None:
    if data.get("health_notes") and not acting_user.has_perm("contacts.can_view_health_notes"):
        raise ValidationError({"health_notes": _("U mag geen gezondheidsnotities vastleggen.")})


def _validate_new(obj) -> None:
    """Field validation of a new row without a query per foreign key or constraint.

    ``full_clean`` would check that every related object exists and evaluate each check
    constraint with a query; intake registers many contacts, and its callers pass objects
    they have just read. :func:`question_check_outcome` gives the constraints' messages, and
    the database enforces them all the same.
    """
    foreign_keys = [field.name for field in obj._meta.concrete_fields if field.is_relation]
    obj.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)


@transaction.atomic
def intake_register(
    *,
    acting_user,
    desk: Desk,
    contact: dict[str, Any],
    questions: list[dict[str, Any]],
    resident: Resident | None = None,
    request: HttpRequest | None = None,
) -> Contact:
    """Register one contact moment with its questions (and their follow-ups) at once.

    Each question dict holds QUESTION_FIELDS, optionally ``domains`` (LifeDomain objects)
    and ``follow_up`` (a dict for :func:`follow_up_create`).
    """
    if not questions:
        raise ValidationError(_("Vul ten minste één vraag in."))
    if not acting_user.desks.filter(pk=desk.pk).exists():
        raise ValidationError(_("U werkt niet bij dit loket."))
    unknown = set(contact) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"unknown contact fields: {sorted(unknown)}")
    location = contact.get("location")
    if location is not None and location.desk_id != desk.pk:
        raise ValidationError({"location": _("Deze locatie hoort niet bij dit loket.")})
    if resident is None:
        contact = {**contact, "asked_by": contact.get("asked_by") or Contact.AskedBy.ANONYMOUS}
    new_contact = Contact(desk=desk, handled_by=acting_user, resident=resident, **contact)
    # The related objects come in as objects the caller holds, so field validation need not
    # look each one up again; the database's constraints are checked by the rules above and
    # enforced by the database itself (see _validate_new).
    _validate_new(new_contact)
    new_contact.save()
    for item in questions:
        item = dict(item)
        domains = item.pop("domains", [])
        follow_up = item.pop("follow_up", None)
        unknown = set(item) - QUESTION_FIELDS
        if unknown:
            raise ValueError(f"unknown question fields: {sorted(unknown)}")
        _check_health_notes(acting_user, item)
        question = Question(contact=new_contact, resident=resident, assigned_to=acting_user, **item)
        question_check_outcome(question)
        if question.status == Question.Status.CLOSED:
            question.closed_at = timezone.now()
        _validate_new(question)
        question.save()
        if domains:
            question.domains.add(*domains)
        if follow_up:
            follow_up_create(acting_user=acting_user, question=question, **follow_up)
    if resident is not None:
        access_log_record(
            acting_user=acting_user,
            action=Action.CREATE,
            object_type="contacts.contact",
            object_id=new_contact.pk,
            request=request,
            purpose="intake",
            on_behalf_of=on_behalf_of_resident(resident.pk),
        )
    return new_contact


@transaction.atomic
def question_update(
    *,
    acting_user,
    question: Question,
    expected_version: int,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Question:
    """Change a question, keeping its history; refused with ConflictError after a concurrent save."""
    unknown = set(data) - TRACKED_FIELDS
    if unknown:
        raise ValueError(f"unknown question fields: {sorted(unknown)}")
    _check_health_notes(acting_user, data)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.version != expected_version:
        raise ConflictError
    changes: dict[str, list] = {}
    data = dict(data)
    domains = data.pop("domains", None)
    for field, value in data.items():
        before = getattr(locked, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(locked, field, value)
    if domains is not None:
        before_codes = sorted(locked.domains.values_list("code", flat=True))
        after_codes = sorted(domain.code for domain in domains)
        if before_codes != after_codes:
            changes["domains"] = [before_codes, after_codes]
    if not changes:
        return locked
    question_check_outcome(locked)
    if locked.status == Question.Status.CLOSED and locked.closed_at is None:
        locked.closed_at = timezone.now()
    elif locked.status != Question.Status.CLOSED:
        locked.closed_at = None
    locked.full_clean()
    locked.version += 1
    locked.save()
    if domains is not None:
        locked.domains.set(domains)
    # Health notes are recorded as changed, never copied into the history.
    if "health_notes" in changes:
        changes["health_notes"] = ["…", "…"]
    QuestionChange.objects.create(question=locked, changed_by=acting_user, fields=changes)
    if locked.resident_id:
        access_log_record(
            acting_user=acting_user,
            action=Action.CHANGE,
            object_type="contacts.question",
            object_id=locked.pk,
            request=request,
            purpose="intake",
            on_behalf_of=on_behalf_of_resident(locked.resident_id),
        )
    return locked


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def follow_up_create(
    *,
    acting_user,
    question: Question,
    due_date: datetime.date,
    kind: str = FollowUp.Kind.CALL_BACK,
    assigned_to=None,
    note: str = "",
) -> FollowUp:
    follow_up = FollowUp(
        question=question,
        kind=kind,
        due_date=due_date,
        assigned_to=assigned_to or acting_user,
        note=note,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_complete(
    *, acting_user, follow_up: FollowUp, result: str = "", request: HttpRequest | None = None
) -> FollowUp:
    locked = FollowUp.objects.select_for_update().select_related("question").get(pk=follow_up.pk)
    if locked.status != FollowUp.Status.PLANNED:
        raise ValidationError(_("Deze opvolging is al afgehandeld."))
    locked.status = FollowUp.Status.DONE
    locked.result = result
    locked.done_at = timezone.now()
    locked.full_clean()
    locked.save()
    if locked.question.resident_id:
        access_log_record(
            acting_user=acting_user,
            action=Action.CHANGE,
            object_type="contacts.followup",
            object_id=locked.pk,
            request=request,
            purpose="follow_up",
            on_behalf_of=on_behalf_of_resident(locked.question.resident_id),
        )
    return locked


@transaction.atomic
def assessment_record(
    *,
    acting_user,
    resident: Resident,
    scores: dict[str, int],
    question: Question | None = None,
    instrument_code: str = "zrm",
    request: HttpRequest | None = None,
) -> Assessment:
    """Record one self-reliance measurement: ``scores`` maps domain codes to scores."""
    instrument = AssessmentInstrument.objects.prefetch_related("domains").get(code=instrument_code)
    domains = {domain.code: domain for domain in instrument.domains.all()}
    errors = {}
    for code, score in scores.items():
        if code not in domains:
            errors[code] = _("Onbekend domein.")
        elif not instrument.min_score <= score <= instrument.max_score:
            errors[code] = _("Een score ligt tussen %(low)s en %(high)s.") % {
                "low": instrument.min_score,
                "high": instrument.max_score,
            }
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        instrument=instrument,
        resident=resident,
        question=question,
        assessed_at=timezone.now(),
        assessed_by=acting_user,
    )
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, domain=domains[code], score=score)
        for code, score in scores.items()
    )
    access_log_record(
        acting_user=acting_user,
        action=Action.CREATE,
        object_type="contacts.assessment",
        object_id=assessment.pk,
        request=request,
        purpose="self_reliance",
        on_behalf_of=on_behalf_of_resident(resident.pk),
    )
    return assessment
