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
residents in one query (as plain :class:`ResidentRow` records, cheaper than model instances),
reads once what the rules need, lets the rules change the residents in memory and collect
their rows as plain values, and writes everything in bulk (:mod:`.bulk`); a rare rule with
much to do per resident (moved away, referrals) still writes per resident. The
single-resident functions :func:`apply_mutations` and :func:`apply_person` are batches of one.
"""

from __future__ import annotations

import datetime
import logging
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schakelpunt.audit.services import Action, access_log_record_many, on_behalf_of_resident
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp import bulk
from schakelpunt.contrib.brp.mapping import BrpAddress, BrpPerson, PartialDate, mask
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink, SyncRun
from schakelpunt.organisations.models import Desk, District, Municipality, PostcodeArea
from schakelpunt.referrals.models import Referral
from schakelpunt.referrals.services import referrals_cancel_for_resident, referrals_flag_moved_away
from schakelpunt.residents.models import AddressHistory, FormerIdentifier, Resident
from schakelpunt.wmo.models import WmoReport
from schakelpunt.wmo.services import wmo_reports_close_for_resident

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


class _Link:
    """What a batch needs of a resident's ``RegisterLink``: a plain record, not a model instance."""

    __slots__ = ("followed_bsn", "last_change_at", "pk", "resident_id")

    def __init__(
        self,
        pk: int | None,
        resident_id: int,
        last_change_at: datetime.datetime | None,
        followed_bsn: str = "",
    ) -> None:
        self.pk, self.resident_id, self.last_change_at = pk, resident_id, last_change_at
        self.followed_bsn = followed_bsn


# The resident fields the rules read and change.
RESIDENT_FIELDS = [
    "bsn", "given_names", "surname_prefix", "surname", "birth_date", "street", "house_number",
    "house_number_addition", "postcode", "town", "municipality", "district", "is_secret", "status",
    "status_date",
]  # fmt: skip
RESIDENT_ATTNAMES = [Resident._meta.get_field(name).attname for name in RESIDENT_FIELDS]
_ROW_ATTNAMES = [*RESIDENT_ATTNAMES, "version"]  # what a batch loads of a resident, after its pk
_MUNICIPALITY = 1 + RESIDENT_ATTNAMES.index("municipality_id")  # where a loaded row has it
_resident_attributes = operator.attrgetter(*RESIDENT_ATTNAMES)


class ResidentRow:
    """A resident as the rules of a batch see it: the fields they read and change, as plain
    attributes with the names of the model's (``municipality`` is the object, shared by the
    batch). A batch loads a thousand; a model instance each cost five times as much. Hooks
    that want the model instance get it from :meth:`instance`."""

    __slots__ = ("loaded", "municipality", "pk", "updated_at", *RESIDENT_ATTNAMES, "version")

    def __init__(self, row: tuple, municipality: Municipality | None) -> None:
        self.pk, self.loaded = row[0], row[1:]
        for attname, value in zip(_ROW_ATTNAMES, row[1:], strict=True):
            setattr(self, attname, value)
        self.municipality = municipality
        self.updated_at: datetime.datetime | None = None

    @property
    def id(self) -> int:
        return self.pk

    def set_municipality(self, municipality: Municipality | None) -> None:
        self.municipality = municipality
        self.municipality_id = municipality.pk if municipality is not None else None

    def changed_fields(self) -> set[int]:
        """Positions in ``RESIDENT_FIELDS`` whose value differs from the one loaded."""
        return {i for i, value in enumerate(_resident_attributes(self)) if value != self.loaded[i]}

    def instance(self) -> Resident:
        return Resident.objects.get(pk=self.pk)


class Batch:
    """The unit of work of :func:`apply_items`.

    It holds the residents of the batch locked, reads once for all of them what the rules need
    (the municipalities of the residents and of the region, the district per postcode, the
    open questions and planned follow-ups of those who died, who has open referrals), and
    collects the rows the rules write, as plain values, which :meth:`flush` writes in bulk at
    the end. Every resident is in a batch at most once, so what the batch read about a
    resident stays true until it is written.
    """

    def __init__(self, *, actor, source: str, run: SyncRun | None, now: datetime.datetime) -> None:
        self.actor, self.source, self.run, self.now = actor, source, run, now
        self.residents: dict[int, ResidentRow] = {}
        self._region: dict[str, Municipality] | None = None
        self._districts: dict[str, District | None] = {}
        self._district_by_pk: dict[int, District] = {}
        self._deaths: dict[int, tuple[list[Question], list[int]]] = {}
        self._with_referrals: set[int] | None = None
        self._with_wmo_reports: set[int] | None = None
        # what the rules write: residents and questions as the changed instances, new rows as
        # dicts of column values (``attname``: value), cheaper to make than model instances
        self.links: dict[int, _Link] = {}
        self.changed: dict[int, ResidentRow] = {}
        self.address_history: list[dict[str, Any]] = []
        self.former_identifiers: list[dict[str, Any]] = []
        self.register_changes: list[dict[str, Any]] = []
        self.questions: list[Question] = []
        self.question_changes: list[dict[str, Any]] = []
        self.follow_ups_cancelled: list[int] = []
        self.access_log: list[dict[str, Any]] = []

    def lock(self, resident_ids: set[int]) -> tuple[dict[int, ResidentRow], dict[int, _Link]]:
        """Lock the residents (in pk order, so two batches cannot deadlock) and their links.

        The municipalities of the residents and those of the region are read in the same
        query and shared by the residents (a join would make one instance per resident).
        """
        rows = list(
            Resident.objects.select_for_update()
            .filter(pk__in=bulk.among(Resident, "id", resident_ids))
            .order_by("pk")
            .values_list("pk", *_ROW_ATTNAMES)
        )
        missing = resident_ids - {row[0] for row in rows}
        if missing:
            raise Resident.DoesNotExist(f"residents {sorted(missing)} do not exist")
        municipalities = self._load_municipalities({row[_MUNICIPALITY] for row in rows})
        self.residents = {row[0]: ResidentRow(row, municipalities.get(row[_MUNICIPALITY])) for row in rows}
        links = (
            RegisterLink.objects.select_for_update()
            .filter(resident_id__in=bulk.among(RegisterLink, "resident", resident_ids))
            .order_by("pk")
            .values_list("pk", "resident_id", "last_change_at")
        )
        return self.residents, {resident_id: _Link(pk, resident_id, last) for pk, resident_id, last in links}

    def _load_municipalities(self, ids: set[int | None]) -> dict[int, Municipality]:
        served = Exists(Desk.municipalities.through.objects.filter(municipality_id=OuterRef("pk")))
        found = Municipality.objects.annotate(served=served).filter(
            Q(pk__in=[pk for pk in ids if pk is not None]) | Q(served=True)
        )
        by_pk = {municipality.pk: municipality for municipality in found}
        self._region = {
            municipality.code: municipality for municipality in by_pk.values() if municipality.served
        }
        return by_pk

    # --- reads, once per batch

    def in_region(self, municipality_code: str) -> Municipality | None:
        """As :func:`in_region`, from the municipalities read with the residents."""
        if not municipality_code:
            return None
        if self._region is None:
            self._load_municipalities(set())
        return self._region.get(f"GM{municipality_code}")  # type: ignore[union-attr]

    def prepare_districts(self, postcodes: Iterable[str]) -> None:
        """The district of each postcode, as ``district_for_postcode`` finds it, in one query."""
        wanted = {_compact(postcode) for postcode in postcodes} - self._districts.keys()
        wanted = {postcode for postcode in wanted if len(postcode) == 6}
        if not wanted:
            return
        codes = wanted | {postcode[:4] for postcode in wanted}
        areas = dict(
            PostcodeArea.objects.filter(postcode__in=bulk.among(PostcodeArea, "postcode", codes)).values_list(
                "postcode", "district_id"
            )
        )
        new = set(areas.values()) - self._district_by_pk.keys()
        if new:  # a few districts for many postcodes: one instance each
            self._district_by_pk.update(District.objects.select_related("municipality").in_bulk(new))
        for postcode in wanted:
            district_id = areas.get(postcode) or areas.get(postcode[:4])
            self._districts[postcode] = self._district_by_pk[district_id] if district_id else None

    def district(self, postcode: str) -> District | None:
        compact = _compact(postcode)
        if len(compact) != 6:
            return None
        if compact not in self._districts:
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
                Referral.objects.filter(resident_id__in=bulk.among(Referral, "resident", self.residents))
                .open()
                .values_list("resident_id", flat=True)
            )
        return resident_id in self._with_referrals

    def has_open_wmo_reports(self, resident_id: int) -> bool:
        """Whether the resident has open Wmo reports to close (one query per batch)."""
        if self._with_wmo_reports is None:
            self._with_wmo_reports = set(
                WmoReport.objects.filter(resident_id__in=bulk.among(WmoReport, "resident", self.residents))
                .open()
                .values_list("resident_id", flat=True)
            )
        return resident_id in self._with_wmo_reports

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

    def changed_fields(self) -> list[str]:
        """The resident fields some changed resident of the batch has a new value for."""
        changed: set[int] = set()
        for resident in self.changed.values():
            changed |= resident.changed_fields()
        return [name for i, name in enumerate(RESIDENT_FIELDS) if i in changed]

    def flush(self) -> None:
        # Only the columns that changed: a batch of moves and secrecy does not send the names.
        bulk.update(Resident, list(self.changed.values()), [*self.changed_fields(), "version", "updated_at"])
        # The links in one statement, new or not: an upsert finds each by its unique resident,
        # where an update joined to the batch's keys may make the planner read the whole table.
        bulk.insert(
            RegisterLink,
            [
                {
                    "resident_id": link.resident_id,
                    "followed_bsn": link.followed_bsn,  # for a new link; an existing one keeps its own
                    "last_change_at": link.last_change_at,
                    "last_checked_at": self.now,
                }
                for link in self.links.values()
            ],
            now=self.now,
            on_conflict=("resident", ["last_change_at", "last_checked_at"]),
        )
        bulk.update(
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
            bulk.insert(model, rows, now=self.now)
        if self.access_log:
            access_log_record_many(acting_user=self.actor, entries=self.access_log)


# --- the rules ---------------------------------------------------------------------------------


@dataclass
class Context:
    resident: ResidentRow
    actor: Any
    changed_at: datetime.datetime
    source: str
    run: SyncRun | None
    outcome: Outcome
    batch: Batch
    changes: list[dict[str, Any]] = field(default_factory=list)

    def record(self, kind: str, effective_on: datetime.date | None, **details: Any) -> None:
        """A ``RegisterChange`` row: the resident's history, done by the register."""
        self.changes.append(
            {
                "resident_id": self.resident.pk,
                "kind": kind,
                "effective_on": effective_on,
                "register_changed_at": self.changed_at,
                "source": self.source,
                "details": details,
                "run_id": self.run.pk if self.run is not None else None,
            }
        )
        self.outcome.applied.append(kind)


def _keep_address(ctx: Context, until: datetime.date | None) -> None:
    resident = ctx.resident
    if resident.street or resident.postcode:
        ctx.batch.address_history.append(
            {
                "resident_id": resident.pk,
                "street": resident.street,
                "house_number": resident.house_number,
                "house_number_addition": resident.house_number_addition,
                "postcode": resident.postcode,
                "town": resident.town,
                "municipality_id": resident.municipality_id,
                "district_id": resident.district_id,
                "valid_until": until,
                "source": ctx.source,
            }
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
    resident.district_id = district.pk if district is not None else None
    resident.set_municipality(district.municipality if district is not None else municipality)
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
    questions = Question.objects.filter(resident_id=ctx.resident.pk).open().select_related("assigned_to")
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
    resident.district_id = None
    resident.status = Resident.Status.MOVED_AWAY
    resident.status_date = mutation.effective_on
    ctx.outcome.follow_ups_flagged += _flag_open_questions(ctx)
    if ctx.batch.has_open_referrals(resident.pk):
        ctx.outcome.referrals += referrals_after_move_away(
            resident=resident.instance(), actor=ctx.actor, on=mutation.effective_on
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
            {
                "question_id": question.pk,
                "changed_by_id": ctx.actor.pk,
                "fields": {
                    "status": [before["status"], Question.Status.CLOSED],
                    "outcome": [before["outcome"], Question.Outcome.DECEASED],
                },
            }
        )
        batch.log("contacts.question", question.pk, on_behalf_of_resident(resident.pk))
    batch.follow_ups_cancelled.extend(follow_ups)
    closed, cancelled = len(questions), len(follow_ups)
    ctx.outcome.questions_closed += closed
    ctx.outcome.follow_ups_cancelled += cancelled
    if batch.has_open_referrals(resident.pk):  # rare: the hook works per resident
        ctx.outcome.referrals += referrals_after_death(
            resident=resident.instance(), actor=ctx.actor, on=mutation.effective_on
        )
    if batch.has_open_wmo_reports(resident.pk):  # rare as well: closed per resident
        wmo_reports_close_for_resident(
            resident=resident.instance(),
            reason=WmoReport.CloseReason.DECEASED,
            note="Overleden volgens de BRP.",
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
        {"resident_id": resident.pk, "bsn": resident.bsn, "replaced_on": mutation.effective_on}
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
        link = links.get(resident.pk) or _Link(None, resident.pk, None)
        link.followed_bsn = resident.bsn  # what a new link follows: the BSN before this change
        if link.last_change_at is not None and item.changed_at < link.last_change_at:
            outcome.outdated = True  # counted in the run's figures; a log line each would flood an import
            logger.debug("BRP change for %s older than the last one applied: ignored", mask(resident.bsn))
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
        link.last_change_at = item.changed_at  # and last checked now, when the batch is written
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
