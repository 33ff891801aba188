"""The processing rules: what a change in the population register does to the desk's records.

One module, one function per rule, each tested (tests/contrib/brp/test_rules.py):

- :func:`rule_moved_within` moved within the region → address and district updated, the old
  address kept in the address history;
- :func:`rule_moved_away` moved out of the region, or abroad (emigration) → resident marked
  moved away; each open question and each open referral gets a follow-up for its owner to
  decide; nothing deleted;
- :func:`rule_deceased` deceased → resident marked deceased with the date; open questions closed
  with outcome "overleden"; planned follow-ups cancelled; open referrals cancelled by the
  system with a notice to the partner; ``Resident.may_be_contacted`` turns false, which
  suppresses mail and letters everywhere;
- :func:`rule_secrecy` secrecy set or lifted;
- :func:`rule_name`, :func:`rule_birth_date` name or birth date corrected;
- :func:`rule_bsn` a new BSN; the old one is kept as a former identifier.

A change for a BSN the desk does not know is ignored and counted by the caller (services).

Processing is **idempotent**: the mutations are derived by comparing the register's person
with the resident, so the same change twice finds nothing left to do. It is **order-safe**:
:func:`apply_mutations` stores the register's timestamp per resident (``RegisterLink``) and
ignores a change older than the last one applied. Every change is written as a
``RegisterChange`` (the resident's history, done by the register) and an access-log row, in
the same transaction as the change itself: all of a change for one resident, or nothing.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp.mapping import BrpAddress, BrpPerson, PartialDate, mask
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink, SyncRun
from schakelpunt.organisations.models import Municipality
from schakelpunt.organisations.selectors import district_for_postcode
from schakelpunt.referrals.models import Referral
from schakelpunt.referrals.services import referrals_cancel_for_resident, referrals_flag_moved_away
from schakelpunt.residents.models import AddressHistory, FormerIdentifier, Resident

logger = logging.getLogger(__name__)

PURPOSE = "brp_mutation"
MOVED_AWAY_NOTE = "BRP: verhuisd uit de regio. Beslis of deze vraag doorloopt of wordt afgesloten."
DECEASED_RESULT = "BRP: inwoner overleden"

# Kinds of mutation
MOVE, EMIGRATION, DEATH, SECRECY, NAME, BSN, BIRTH_DATE = (
    "move", "emigration", "death", "secrecy", "name", "bsn", "birth_date",
)  # fmt: skip


class RuleConflict(Exception):
    """The change cannot be applied (e.g. the new BSN belongs to another active resident)."""


@dataclass(frozen=True)
class Mutation:
    kind: str
    effective_on: datetime.date | None = None
    address: BrpAddress | None = None
    municipality_code: str = ""
    deceased_on: PartialDate | None = None
    secret: bool | None = None
    names: dict[str, str] = field(default_factory=dict)
    new_bsn: str = ""
    birth_date: datetime.date | None = None
    country: str = ""


@dataclass
class Outcome:
    applied: list[str] = field(default_factory=list)
    outdated: bool = False
    follow_ups_flagged: int = 0
    questions_closed: int = 0
    follow_ups_cancelled: int = 0
    referrals: int = 0


# --- referrals: the hook the referrals app fills in ------------------------------------------


def referrals_after_death(*, resident: Resident, actor, on: datetime.date | None) -> int:
    """Cancel the resident's open referrals as the system, with a notice to each partner."""
    return referrals_cancel_for_resident(
        resident=resident, reason=Referral.Reason.DECEASED, note="Overleden volgens de BRP."
    )


def referrals_after_move_away(*, resident: Resident, actor, on: datetime.date | None) -> int:
    """Flag the resident's open referrals to their referring employees for a decision."""
    return referrals_flag_moved_away(resident=resident)


# --- from a register person to mutations -----------------------------------------------------


def _same_address(resident: Resident, address: BrpAddress) -> bool:
    return (
        resident.postcode.replace(" ", "") == address.postcode.replace(" ", "")
        and resident.house_number == address.house_number
        and resident.house_number_addition == address.addition
        and resident.street == address.street
    )


def mutations_from_person(resident: Resident, person: BrpPerson) -> list[Mutation]:
    """What differs between the resident and the register's person, as mutations."""
    mutations: list[Mutation] = []
    if resident.bsn and person.bsn != resident.bsn:
        mutations.append(Mutation(BSN, new_bsn=person.bsn))
    names = {
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
    }
    if any(getattr(resident, key) != value for key, value in names.items()):
        mutations.append(Mutation(NAME, names=names))
    birth = person.birth_date.as_date() if person.birth_date else None
    if birth is not None and resident.birth_date != birth:
        mutations.append(Mutation(BIRTH_DATE, birth_date=birth))
    if resident.is_secret != person.is_secret:
        mutations.append(Mutation(SECRECY, secret=person.is_secret))
    if person.is_deceased:
        if resident.status != Resident.Status.DECEASED:
            on = person.deceased_on or person.suspended_on
            mutations.append(Mutation(DEATH, effective_on=on.earliest() if on else None, deceased_on=on))
    elif person.has_emigrated:
        if resident.status == Resident.Status.ACTIVE:
            on = person.suspended_on
            mutations.append(
                Mutation(EMIGRATION, effective_on=on.earliest() if on else None, country=person.country)
            )
    elif person.address is not None:
        moved = not _same_address(resident, person.address)
        municipality_changed = bool(person.municipality_code) and (
            resident.municipality is None or resident.municipality.code != f"GM{person.municipality_code}"
        )
        if moved or municipality_changed or resident.status == Resident.Status.MOVED_AWAY:
            since = person.address.since.earliest() if person.address.since else None
            mutations.append(
                Mutation(
                    MOVE,
                    effective_on=since,
                    address=person.address,
                    municipality_code=person.municipality_code,
                )
            )
    return mutations


# --- the rules ---------------------------------------------------------------------------------


@dataclass
class Context:
    resident: Resident
    actor: Any
    changed_at: datetime.datetime
    source: str
    run: SyncRun | None
    outcome: Outcome
    changes: list[RegisterChange] = field(default_factory=list)

    def record(self, kind: str, effective_on: datetime.date | None, **details: Any) -> None:
        self.changes.append(
            RegisterChange(
                resident=self.resident,
                kind=kind,
                effective_on=effective_on,
                register_changed_at=self.changed_at,
                source=self.source,
                details=details,
                run=self.run,
            )
        )
        self.outcome.applied.append(kind)


def _keep_address(resident: Resident, until: datetime.date | None, source: str) -> None:
    if resident.street or resident.postcode:
        AddressHistory.objects.create(
            resident=resident,
            street=resident.street,
            house_number=resident.house_number,
            house_number_addition=resident.house_number_addition,
            postcode=resident.postcode,
            town=resident.town,
            municipality_id=resident.municipality_id,
            district_id=resident.district_id,
            valid_until=until,
            source=source,
        )


def _set_address(resident: Resident, address: BrpAddress) -> None:
    resident.street = address.street
    resident.house_number = address.house_number
    resident.house_number_addition = address.addition
    resident.postcode = address.postcode
    resident.town = address.town


def in_region(municipality_code: str) -> Municipality | None:
    """The municipality when a desk of this installation serves it, else None (out of the region)."""
    if not municipality_code:
        return None
    return Municipality.objects.filter(code=f"GM{municipality_code}", desks__isnull=False).first()


def rule_moved_within(ctx: Context, mutation: Mutation, municipality: Municipality) -> None:
    resident = ctx.resident
    returned = resident.status == Resident.Status.MOVED_AWAY
    _keep_address(resident, mutation.effective_on, ctx.source)
    _set_address(resident, mutation.address)  # type: ignore[arg-type]
    district = district_for_postcode(resident.postcode) if resident.postcode else None
    resident.district = district
    resident.municipality = district.municipality if district is not None else municipality
    if returned:
        clash = (
            resident.bsn
            and Resident.objects.filter(bsn=resident.bsn, status=Resident.Status.ACTIVE)
            .exclude(pk=resident.pk)
            .exists()
        )
        if not clash:
            resident.status = Resident.Status.ACTIVE
            resident.status_date = mutation.effective_on
    ctx.record(
        RegisterChange.Kind.RETURNED if returned else RegisterChange.Kind.MOVED,
        mutation.effective_on,
        postcode=resident.postcode,
        district=district.code if district else "",
        municipality=resident.municipality.code if resident.municipality else "",
    )


def _flag_open_questions(ctx: Context) -> int:
    """Each open question of the resident gets a follow-up for its owner, once."""
    today = timezone.localdate()
    flagged = 0
    questions = Question.objects.filter(resident=ctx.resident).open().select_related("assigned_to")
    for question in questions:
        if FollowUp.objects.filter(question=question, note=MOVED_AWAY_NOTE).exists():
            continue
        FollowUp.objects.create(
            question=question,
            kind=FollowUp.Kind.OTHER,
            due_date=today,
            assigned_to=question.assigned_to,
            note=MOVED_AWAY_NOTE,
        )
        flagged += 1
    return flagged


def rule_moved_away(ctx: Context, mutation: Mutation) -> None:
    """Out of the region or abroad: marked moved away, owners asked to decide; nothing deleted."""
    resident = ctx.resident
    _keep_address(resident, mutation.effective_on, ctx.source)
    if mutation.kind == EMIGRATION:
        _set_address(resident, BrpAddress())
        resident.town = ""
    elif mutation.address is not None:
        _set_address(resident, mutation.address)
    resident.district = None
    resident.status = Resident.Status.MOVED_AWAY
    resident.status_date = mutation.effective_on
    ctx.outcome.follow_ups_flagged += _flag_open_questions(ctx)
    ctx.outcome.referrals += referrals_after_move_away(
        resident=resident, actor=ctx.actor, on=mutation.effective_on
    )
    ctx.record(
        RegisterChange.Kind.EMIGRATED if mutation.kind == EMIGRATION else RegisterChange.Kind.MOVED_AWAY,
        mutation.effective_on,
        municipality=mutation.municipality_code,
        country=mutation.country,
    )


def rule_deceased(ctx: Context, mutation: Mutation) -> None:
    resident = ctx.resident
    now = timezone.now()
    resident.status = Resident.Status.DECEASED
    resident.status_date = mutation.effective_on
    closed = 0
    for question in Question.objects.select_for_update().filter(resident=resident).open():
        before = {"status": question.status, "outcome": question.outcome}
        question.status = Question.Status.CLOSED
        question.outcome = Question.Outcome.DECEASED
        question.unmet_reason = ""
        question.closed_at = now
        question.version += 1
        question.save(
            update_fields=["status", "outcome", "unmet_reason", "closed_at", "version", "updated_at"]
        )
        QuestionChange.objects.create(
            question=question,
            changed_by=ctx.actor,
            fields={
                "status": [before["status"], Question.Status.CLOSED],
                "outcome": [before["outcome"], Question.Outcome.DECEASED],
            },
        )
        access_log_record(
            acting_user=ctx.actor,
            action=Action.CHANGE,
            object_type="contacts.question",
            object_id=question.pk,
            purpose=PURPOSE,
            on_behalf_of=on_behalf_of_resident(resident.pk),
        )
        closed += 1
    cancelled = FollowUp.objects.filter(question__resident=resident, status=FollowUp.Status.PLANNED).update(
        status=FollowUp.Status.CANCELLED, result=DECEASED_RESULT, done_at=now, updated_at=now
    )
    ctx.outcome.questions_closed += closed
    ctx.outcome.follow_ups_cancelled += cancelled
    ctx.outcome.referrals += referrals_after_death(
        resident=resident, actor=ctx.actor, on=mutation.effective_on
    )
    ctx.record(
        RegisterChange.Kind.DECEASED,
        mutation.effective_on,
        date=str(mutation.deceased_on) if mutation.deceased_on else "",
        questions_closed=closed,
        follow_ups_cancelled=cancelled,
    )


def rule_secrecy(ctx: Context, mutation: Mutation) -> None:
    ctx.resident.is_secret = bool(mutation.secret)
    ctx.record(
        RegisterChange.Kind.SECRECY_SET if mutation.secret else RegisterChange.Kind.SECRECY_LIFTED,
        mutation.effective_on,
    )


def rule_name(ctx: Context, mutation: Mutation) -> None:
    for key, value in mutation.names.items():
        setattr(ctx.resident, key, value)
    ctx.record(RegisterChange.Kind.NAME, mutation.effective_on)


def rule_birth_date(ctx: Context, mutation: Mutation) -> None:
    ctx.resident.birth_date = mutation.birth_date
    ctx.record(RegisterChange.Kind.BIRTH_DATE, mutation.effective_on)


def rule_bsn(ctx: Context, mutation: Mutation) -> None:
    resident = ctx.resident
    if (
        Resident.objects.filter(bsn=mutation.new_bsn, status=Resident.Status.ACTIVE)
        .exclude(pk=resident.pk)
        .exists()
    ):
        raise RuleConflict("new BSN belongs to another active resident")
    FormerIdentifier.objects.create(resident=resident, bsn=resident.bsn, replaced_on=mutation.effective_on)
    resident.bsn = mutation.new_bsn
    ctx.record(RegisterChange.Kind.BSN, mutation.effective_on)


# --- applying ----------------------------------------------------------------------------------


def is_needed(resident: Resident, mutation: Mutation) -> bool:
    """False when the resident already is as the mutation says (idempotency)."""
    if mutation.kind == BSN:
        return bool(mutation.new_bsn) and mutation.new_bsn != resident.bsn
    if mutation.kind == NAME:
        return any(getattr(resident, key) != value for key, value in mutation.names.items())
    if mutation.kind == BIRTH_DATE:
        return mutation.birth_date is not None and mutation.birth_date != resident.birth_date
    if mutation.kind == SECRECY:
        return mutation.secret is not None and mutation.secret != resident.is_secret
    if mutation.kind == DEATH:
        return resident.status != Resident.Status.DECEASED
    if mutation.kind == EMIGRATION:
        return resident.status == Resident.Status.ACTIVE
    if mutation.kind == MOVE:
        if resident.status == Resident.Status.DECEASED or mutation.address is None:
            return False
        if resident.status == Resident.Status.MOVED_AWAY:
            return in_region(mutation.municipality_code) is not None
        same_municipality = not mutation.municipality_code or (
            resident.municipality is not None
            and resident.municipality.code == f"GM{mutation.municipality_code}"
        )
        return not (_same_address(resident, mutation.address) and same_municipality)
    return True


RESIDENT_FIELDS = [
    "bsn", "given_names", "surname_prefix", "surname", "birth_date", "street", "house_number",
    "house_number_addition", "postcode", "town", "municipality", "district", "is_secret", "status",
    "status_date",
]  # fmt: skip


@transaction.atomic
def apply_mutations(
    *,
    resident: Resident,
    mutations: list[Mutation],
    changed_at: datetime.datetime,
    actor,
    source: str,
    run: SyncRun | None = None,
) -> Outcome:
    """Apply the mutations to one resident, all or nothing; older than the last applied: ignored."""
    outcome = Outcome()
    locked = (
        Resident.objects.select_for_update(of=("self",)).select_related("municipality").get(pk=resident.pk)
    )
    link, _created = RegisterLink.objects.select_for_update().get_or_create(
        resident=locked, defaults={"followed_bsn": locked.bsn}
    )
    if link.last_change_at is not None and changed_at < link.last_change_at:
        outcome.outdated = True
        logger.info("BRP change for %s older than the last one applied: ignored", mask(locked.bsn))
        return outcome
    ctx = Context(
        resident=locked, actor=actor, changed_at=changed_at, source=source, run=run, outcome=outcome
    )
    # Order inside one change: identity first, then status; a death makes a move irrelevant.
    order = {BSN: 0, NAME: 1, BIRTH_DATE: 2, SECRECY: 3, DEATH: 4, EMIGRATION: 5, MOVE: 6}
    for mutation in sorted(mutations, key=lambda m: order[m.kind]):
        if not is_needed(locked, mutation):
            continue  # already so: the same change twice changes nothing
        if mutation.kind == BSN:
            rule_bsn(ctx, mutation)
        elif mutation.kind == NAME:
            rule_name(ctx, mutation)
        elif mutation.kind == BIRTH_DATE:
            rule_birth_date(ctx, mutation)
        elif mutation.kind == SECRECY:
            rule_secrecy(ctx, mutation)
        elif mutation.kind == DEATH and locked.status != Resident.Status.DECEASED:
            rule_deceased(ctx, mutation)
        elif mutation.kind == EMIGRATION and locked.status == Resident.Status.ACTIVE:
            rule_moved_away(ctx, mutation)
        elif mutation.kind == MOVE and locked.status != Resident.Status.DECEASED:
            municipality = in_region(mutation.municipality_code)
            if municipality is not None:
                rule_moved_within(ctx, mutation, municipality)
            elif locked.status == Resident.Status.ACTIVE:
                rule_moved_away(ctx, mutation)
    link.last_change_at = changed_at
    link.last_checked_at = timezone.now()
    link.save()
    if ctx.changes:
        locked.version = F("version") + 1
        locked.save(update_fields=[*RESIDENT_FIELDS, "version", "updated_at"])
        RegisterChange.objects.bulk_create(ctx.changes)
        access_log_record(
            acting_user=actor,
            action=Action.CHANGE,
            object_type="residents.resident",
            object_id=locked.pk,
            purpose=PURPOSE,
        )
    return outcome


def apply_person(
    *,
    resident: Resident,
    person: BrpPerson,
    changed_at: datetime.datetime,
    actor,
    source: str,
    run: SyncRun | None = None,
) -> Outcome:
    """Compare the resident with the register's person and apply what differs."""
    with transaction.atomic():
        current = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=resident.pk)
        )
        return apply_mutations(
            resident=current,
            mutations=mutations_from_person(current, person),
            changed_at=changed_at,
            actor=actor,
            source=source,
            run=run,
        )
