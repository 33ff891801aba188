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

**In batches**: :func:`apply_items` applies many changes at once. A :class:`Batch` locks its
residents in one query, reads once what the rules need, lets the rules change the residents
in memory and collect their rows, and writes everything in bulk; a rare rule with much to do
per resident (moved away, referrals) still writes per resident. The single-resident
functions :func:`apply_mutations` and :func:`apply_person` are batches of one.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from schakelpunt.audit.services import Action, access_log_record_many, on_behalf_of_resident
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp.mapping import BrpAddress, BrpPerson, PartialDate, mask
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink, SyncRun
from schakelpunt.organisations.models import District, Municipality, PostcodeArea
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


# --- the batch: what is read once and written at the end ---------------------------------------


@dataclass
class Item:
    """One change for one resident: its mutations, or the register's person to compare with.

    ``changed_at`` is the register's timestamp of the change (order safety); ``key`` is the
    caller's, for reporting (a line number, a masked BSN).
    """

    resident_id: int
    changed_at: datetime.datetime
    mutations: list[Mutation] | None = None
    person: BrpPerson | None = None
    key: Any = None


def _compact(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


class Batch:
    """The unit of work of :func:`apply_items`.

    It holds the residents of the batch locked, reads once for all of them what the rules need
    (the region's municipalities, the district per postcode, the open questions and planned
    follow-ups of those who died, who has open referrals), and collects the rows the rules
    write, which :meth:`flush` writes in bulk at the end. Every resident is in a batch at most
    once, so what the batch read about a resident stays true until it is written.
    """

    def __init__(self, *, actor, source: str, run: SyncRun | None, now: datetime.datetime) -> None:
        self.actor, self.source, self.run, self.now = actor, source, run, now
        self.residents: dict[int, Resident] = {}
        self._region: dict[str, Municipality] | None = None
        self._districts: dict[str, District | None] = {}
        self._deaths: dict[int, tuple[list[Question], list[int]]] = {}
        self._with_referrals: set[int] | None = None
        # what the rules write
        self.links: dict[int, RegisterLink] = {}
        self.changed: dict[int, Resident] = {}
        self.address_history: list[AddressHistory] = []
        self.former_identifiers: list[FormerIdentifier] = []
        self.register_changes: list[RegisterChange] = []
        self.questions: list[Question] = []
        self.question_changes: list[QuestionChange] = []
        self.follow_ups_cancelled: list[int] = []
        self.access_log: list[dict[str, Any]] = []

    def lock(self, resident_ids: set[int]) -> tuple[dict[int, Resident], dict[int, RegisterLink]]:
        """Lock the residents (in pk order, so two batches cannot deadlock) and their links."""
        residents = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .filter(pk__in=resident_ids)
            .order_by("pk")
        )
        self.residents = {resident.pk: resident for resident in residents}
        missing = resident_ids - self.residents.keys()
        if missing:
            raise Resident.DoesNotExist(f"residents {sorted(missing)} do not exist")
        links = RegisterLink.objects.select_for_update().filter(resident_id__in=resident_ids).order_by("pk")
        return self.residents, {link.resident_id: link for link in links}

    # --- reads, once per batch

    def in_region(self, municipality_code: str) -> Municipality | None:
        """As :func:`in_region`, from one query per batch."""
        if not municipality_code:
            return None
        if self._region is None:
            served = Municipality.objects.filter(desks__isnull=False).distinct()
            self._region = {municipality.code: municipality for municipality in served}
        return self._region.get(f"GM{municipality_code}")

    def prepare_districts(self, postcodes: Iterable[str]) -> None:
        """The district of each postcode, as ``district_for_postcode`` finds it, in one query."""
        wanted = {_compact(postcode) for postcode in postcodes} - self._districts.keys()
        wanted = {postcode for postcode in wanted if len(postcode) == 6}
        if not wanted:
            return
        areas = PostcodeArea.objects.filter(
            postcode__in=wanted | {postcode[:4] for postcode in wanted}
        ).select_related("district__municipality")
        by_code = {area.postcode: area.district for area in areas}
        for postcode in wanted:
            self._districts[postcode] = by_code.get(postcode) or by_code.get(postcode[:4])

    def district(self, postcode: str) -> District | None:
        compact = _compact(postcode)
        if len(compact) != 6:
            return None
        self.prepare_districts([compact])
        return self._districts[compact]

    def prepare_deaths(self, resident_ids: Iterable[int]) -> None:
        """Lock the open questions and planned follow-ups of these residents, in one query each."""
        ids = [pk for pk in resident_ids if pk not in self._deaths]
        if not ids:
            return
        for pk in ids:
            self._deaths[pk] = ([], [])
        questions = Question.objects.select_for_update().filter(resident_id__in=ids).open().order_by("pk")
        for question in questions:
            self._deaths[question.resident_id][0].append(question)
        follow_ups = (
            FollowUp.objects.select_for_update(of=("self",))
            .filter(question__resident_id__in=ids, status=FollowUp.Status.PLANNED)
            .order_by("pk")
            .values_list("pk", "question__resident_id")
        )
        for pk, resident_id in follow_ups:
            self._deaths[resident_id][1].append(pk)

    def open_questions_and_follow_ups(self, resident_id: int) -> tuple[list[Question], list[int]]:
        self.prepare_deaths([resident_id])
        return self._deaths[resident_id]

    def has_open_referrals(self, resident_id: int) -> bool:
        """Whether the referral hooks have anything to do for this resident (one query per batch)."""
        if self._with_referrals is None:
            self._with_referrals = set(
                Referral.objects.filter(resident_id__in=list(self.residents))
                .open()
                .values_list("resident_id", flat=True)
            )
        return resident_id in self._with_referrals

    def log(self, object_type: str, object_id: int, on_behalf_of: str = "") -> None:
        self.access_log.append(
            {
                "action": Action.CHANGE,
                "object_type": object_type,
                "object_id": object_id,
                "purpose": PURPOSE,
                "on_behalf_of": on_behalf_of,
            }
        )

    # --- writes, in bulk

    def flush(self) -> None:
        changed = list(self.changed.values())
        _bulk_update(Resident, changed, [*RESIDENT_FIELDS, "version", "updated_at"])
        new_links = [link for link in self.links.values() if link.pk is None]
        old_links = [link for link in self.links.values() if link.pk is not None]
        _bulk_update(RegisterLink, old_links, ["last_change_at", "last_checked_at"])
        _bulk_insert(RegisterLink, new_links)
        _bulk_update(
            Question,
            self.questions,
            ["status", "outcome", "unmet_reason", "closed_at", "version", "updated_at"],
        )
        if self.follow_ups_cancelled:
            FollowUp.objects.filter(pk__in=self.follow_ups_cancelled).update(
                status=FollowUp.Status.CANCELLED,
                result=DECEASED_RESULT,
                done_at=self.now,
                updated_at=self.now,
            )
        for model, rows in (
            (AddressHistory, self.address_history),
            (FormerIdentifier, self.former_identifiers),
            (RegisterChange, self.register_changes),
            (QuestionChange, self.question_changes),
        ):
            _bulk_insert(model, rows)
        if self.access_log:
            access_log_record_many(acting_user=self.actor, entries=self.access_log)


def _bulk_update(model: type[models.Model], objs: list, fields: list[str]) -> None:
    """``bulk_update`` of these fields; on PostgreSQL one ``UPDATE … FROM unnest(arrays)``.

    Django's ``bulk_update`` writes a ``CASE WHEN pk = … THEN …`` per field, which costs time
    in the square of the rows, in Python and in the database; a join on one array per column
    costs time in proportion to the rows, and the statement has one parameter per column.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=200)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{column.db_type(connection)}[]" for column in columns)
    names = ", ".join(quote(column.column) for column in columns)
    assignments = ", ".join(f"{quote(column.column)} = v.{quote(column.column)}" for column in columns[1:])
    pk = quote(meta.pk.column)
    params = [_column_values(column, [getattr(obj, column.attname) for obj in objs]) for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from the model
            f"FROM unnest({arrays}) AS v({names}) WHERE t.{pk} = v.{pk}",
            params,
        )


# Fields whose values psycopg takes as they are: no need to prepare each value (which costs).
_PLAIN_FIELDS = (
    models.AutoField, models.BigAutoField, models.BooleanField, models.CharField, models.DateField,
    models.ForeignKey, models.IntegerField, models.OneToOneField, models.PositiveIntegerField,
    models.TextField,
)  # fmt: skip


def _column_values(column: models.Field, values: list) -> list:
    if type(column) in _PLAIN_FIELDS or (  # DateTimeField too: Django's values are aware already
        isinstance(column, models.DateTimeField) and all(value is None or value.tzinfo for value in values)
    ):
        return values
    return [column.get_db_prep_save(value, connection) for value in values]


def _bulk_insert(model: type[models.Model], objs: list) -> None:
    """``bulk_create`` without the new ids; on PostgreSQL one ``INSERT … SELECT unnest(arrays)``
    (one parameter per column instead of one per value, which the driver must splice in)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    meta = model._meta
    columns = [column for column in meta.concrete_fields if not column.primary_key]
    quote = connection.ops.quote_name
    params = [_column_values(column, [column.pre_save(obj, True) for obj in objs]) for column in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(column.column) for column in columns)}) "  # noqa: S608
            f"SELECT * FROM unnest({', '.join(f'%s::{column.db_type(connection)}[]' for column in columns)})",
            params,
        )


# --- the rules ---------------------------------------------------------------------------------


@dataclass
class Context:
    resident: Resident
    actor: Any
    changed_at: datetime.datetime
    source: str
    run: SyncRun | None
    outcome: Outcome
    batch: Batch
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


def _keep_address(ctx: Context, until: datetime.date | None) -> None:
    resident = ctx.resident
    if resident.street or resident.postcode:
        ctx.batch.address_history.append(
            AddressHistory(
                resident=resident,
                street=resident.street,
                house_number=resident.house_number,
                house_number_addition=resident.house_number_addition,
                postcode=resident.postcode,
                town=resident.town,
                municipality_id=resident.municipality_id,
                district_id=resident.district_id,
                valid_until=until,
                source=ctx.source,
            )
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
    _keep_address(ctx, mutation.effective_on)
    _set_address(resident, mutation.address)  # type: ignore[arg-type]
    district = ctx.batch.district(resident.postcode) if resident.postcode else None
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
    """Out of the region or abroad: marked moved away, owners asked to decide; nothing deleted.

    Rare, so the follow-ups and the referral hook are written per resident, not in bulk.
    """
    resident = ctx.resident
    _keep_address(ctx, mutation.effective_on)
    if mutation.kind == EMIGRATION:
        _set_address(resident, BrpAddress())
        resident.town = ""
    elif mutation.address is not None:
        _set_address(resident, mutation.address)
    resident.district = None
    resident.status = Resident.Status.MOVED_AWAY
    resident.status_date = mutation.effective_on
    ctx.outcome.follow_ups_flagged += _flag_open_questions(ctx)
    if ctx.batch.has_open_referrals(resident.pk):
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
    batch = ctx.batch
    resident.status = Resident.Status.DECEASED
    resident.status_date = mutation.effective_on
    questions, follow_ups = batch.open_questions_and_follow_ups(resident.pk)
    for question in questions:
        before = {"status": question.status, "outcome": question.outcome}
        question.status = Question.Status.CLOSED
        question.outcome = Question.Outcome.DECEASED
        question.unmet_reason = ""
        question.closed_at = batch.now
        question.version += 1
        question.updated_at = batch.now
        batch.questions.append(question)
        batch.question_changes.append(
            QuestionChange(
                question=question,
                changed_by=ctx.actor,
                fields={
                    "status": [before["status"], Question.Status.CLOSED],
                    "outcome": [before["outcome"], Question.Outcome.DECEASED],
                },
            )
        )
        batch.log("contacts.question", question.pk, on_behalf_of_resident(resident.pk))
    batch.follow_ups_cancelled.extend(follow_ups)
    closed, cancelled = len(questions), len(follow_ups)
    ctx.outcome.questions_closed += closed
    ctx.outcome.follow_ups_cancelled += cancelled
    if batch.has_open_referrals(resident.pk):  # rare: the hook works per resident
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
    ctx.batch.former_identifiers.append(
        FormerIdentifier(resident=resident, bsn=resident.bsn, replaced_on=mutation.effective_on)
    )
    resident.bsn = mutation.new_bsn
    ctx.record(RegisterChange.Kind.BSN, mutation.effective_on)


# --- applying ----------------------------------------------------------------------------------


def is_needed(
    resident: Resident,
    mutation: Mutation,
    *,
    region: Callable[[str], Municipality | None] = in_region,
) -> bool:
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
            return region(mutation.municipality_code) is not None
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

# Order inside one change: identity first, then status; a death makes a move irrelevant.
ORDER = {BSN: 0, NAME: 1, BIRTH_DATE: 2, SECRECY: 3, DEATH: 4, EMIGRATION: 5, MOVE: 6}


def _apply_one(ctx: Context, mutations: list[Mutation]) -> None:
    resident, batch = ctx.resident, ctx.batch
    for mutation in mutations:
        if not is_needed(resident, mutation, region=batch.in_region):
            continue  # already so: the same change twice changes nothing
        if mutation.kind == BSN:
            rule_bsn(ctx, mutation)
        elif mutation.kind == NAME:
            rule_name(ctx, mutation)
        elif mutation.kind == BIRTH_DATE:
            rule_birth_date(ctx, mutation)
        elif mutation.kind == SECRECY:
            rule_secrecy(ctx, mutation)
        elif mutation.kind == DEATH and resident.status != Resident.Status.DECEASED:
            rule_deceased(ctx, mutation)
        elif mutation.kind == EMIGRATION and resident.status == Resident.Status.ACTIVE:
            rule_moved_away(ctx, mutation)
        elif mutation.kind == MOVE and resident.status != Resident.Status.DECEASED:
            municipality = batch.in_region(mutation.municipality_code)
            if municipality is not None:
                rule_moved_within(ctx, mutation, municipality)
            elif resident.status == Resident.Status.ACTIVE:
                rule_moved_away(ctx, mutation)


def _apply_batch(items: list[Item], *, actor, source: str, run: SyncRun | None) -> list[Outcome]:
    """Items of distinct residents: lock, read once, apply the rules in memory, write in bulk."""
    batch = Batch(actor=actor, source=source, run=run, now=timezone.now())
    residents, links = batch.lock({item.resident_id for item in items})
    planned: list[list[Mutation]] = []
    for item in items:
        resident = residents[item.resident_id]
        mutations = item.mutations if item.person is None else mutations_from_person(resident, item.person)
        planned.append(sorted(mutations or [], key=lambda m: ORDER[m.kind]))
    # What the rules of this batch will read, in one query each.
    batch.prepare_deaths(
        item.resident_id
        for item, mutations in zip(items, planned, strict=True)
        if any(
            m.kind == DEATH and residents[item.resident_id].status != Resident.Status.DECEASED
            for m in mutations
        )
    )
    batch.prepare_districts(
        m.address.postcode for mutations in planned for m in mutations if m.kind == MOVE and m.address
    )
    outcomes: list[Outcome] = []
    for item, mutations in zip(items, planned, strict=True):
        resident = residents[item.resident_id]
        outcome = Outcome()
        outcomes.append(outcome)
        link = links.get(resident.pk) or RegisterLink(resident=resident, followed_bsn=resident.bsn)
        if link.last_change_at is not None and item.changed_at < link.last_change_at:
            outcome.outdated = True
            logger.info("BRP change for %s older than the last one applied: ignored", mask(resident.bsn))
            continue
        ctx = Context(
            resident=resident,
            actor=actor,
            changed_at=item.changed_at,
            source=source,
            run=run,
            outcome=outcome,
            batch=batch,
        )
        _apply_one(ctx, mutations)
        link.last_change_at = item.changed_at
        link.last_checked_at = batch.now
        batch.links[resident.pk] = link
        if ctx.changes:
            resident.version += 1  # locked: an employee editing the old version gets a conflict
            resident.updated_at = batch.now
            batch.changed[resident.pk] = resident
            batch.register_changes.extend(ctx.changes)
            batch.log("residents.resident", resident.pk)
    batch.flush()
    return outcomes


@transaction.atomic
def apply_items(*, items: list[Item], actor, source: str, run: SyncRun | None = None) -> list[Outcome]:
    """Apply many changes, in their order, all or nothing: one outcome per item.

    The items are applied in batches in which each resident appears once (a second change for
    the same resident goes into the next batch, so it sees the first one applied); a batch
    costs about twenty queries however many residents it holds. A failing rule (``RuleConflict``,
    or an ``IntegrityError`` from the database) rolls the whole call back: callers that want
    the other items applied retry them one at a time (see ``services``).
    """
    # The n-th change of a resident goes into the n-th batch: each batch has a resident once,
    # and sees that resident's earlier changes applied. Different residents do not wait.
    batches: list[list[int]] = []
    rounds: dict[int, int] = {}
    for index, item in enumerate(items):
        round_ = rounds[item.resident_id] = rounds.get(item.resident_id, -1) + 1
        if round_ == len(batches):
            batches.append([])
        batches[round_].append(index)
    if len(batches) > 1:
        # Lock them all now, in pk order, as a single batch does: two imports cannot deadlock.
        list(Resident.objects.select_for_update().filter(pk__in=rounds).order_by("pk").values_list("pk"))
    outcomes: list[Outcome | None] = [None] * len(items)
    for batch in batches:
        applied = _apply_batch([items[index] for index in batch], actor=actor, source=source, run=run)
        for index, outcome in zip(batch, applied, strict=True):
            outcomes[index] = outcome
    return outcomes  # type: ignore[return-value]


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
    item = Item(resident_id=resident.pk, changed_at=changed_at, mutations=mutations)
    return apply_items(items=[item], actor=actor, source=source, run=run)[0]


def apply_person(
    *,
    resident: Resident,
    person: BrpPerson,
    changed_at: datetime.datetime,
    actor,
    source: str,
    run: SyncRun | None = None,
) -> Outcome:
    """Compare the resident (locked, as it is now) with the register's person and apply what differs."""
    item = Item(resident_id=resident.pk, changed_at=changed_at, person=person)
    return apply_items(items=[item], actor=actor, source=source, run=run)[0]
