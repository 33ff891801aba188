"""Every write (and every register call that is logged) of the BRP coupling.

- :func:`register_search`, :func:`resident_from_register`: the lookup at intake;
- :func:`follow_indications_update`: a follow indication for every active resident with a BSN;
- :func:`brp_sync`: the scheduled sync (follow indications, ``/wijzigingen``, re-fetch, rules);
- :func:`mutations_import`: the file import for registers that still deliver batches.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.contrib.brp import bulk, rules
from schakelpunt.contrib.brp.actor import register_actor
from schakelpunt.contrib.brp.client import MAX_BSNS_PER_REQUEST, BrpClient, BrpError
from schakelpunt.contrib.brp.mapping import (
    BrpAddress,
    BrpPerson,
    MalformedPerson,
    mask,
    persons_from_response,
)
from schakelpunt.contrib.brp.models import RegisterLink, SyncRun
from schakelpunt.organisations.models import Desk, Municipality
from schakelpunt.residents.models import FormerIdentifier, Resident
from schakelpunt.residents.services import resident_create
from schakelpunt.residents.validators import normalise_postcode, validate_bsn

logger = logging.getLogger(__name__)

LOOKUP_BSN, LOOKUP_NAME, LOOKUP_ADDRESS = "bsn", "naam", "adres"
PERSON_OBJECT = "brp.persoon"  # object type of register reads in the access log (no BSN as id)


# --- lookup at intake ------------------------------------------------------------------------


@dataclass
class SearchResult:
    persons: list[BrpPerson]
    refused: int = 0


def _log_refused(refused: list[tuple[str, MalformedPerson]]) -> None:
    for masked, error in refused:
        logger.warning("BRP person %s refused: %s", masked, error)


def register_search(
    *,
    acting_user,
    kind: str,
    bsn: str = "",
    surname: str = "",
    birth_date: datetime.date | None = None,
    prefix: str = "",
    postcode: str = "",
    house_number: int | None = None,
    addition: str = "",
    purpose: str = "intake",
    request: HttpRequest | None = None,
    client: BrpClient | None = None,
) -> SearchResult:
    """Search the register; every search is logged with its purpose, found or not."""
    client = client or BrpClient.from_settings()
    access_log_record(
        acting_user=acting_user,
        action=Action.SEARCH,
        object_type=PERSON_OBJECT,
        request=request,
        purpose=purpose,
    )
    if kind == LOOKUP_BSN:
        raw = client.raadpleeg([bsn])
    elif kind == LOOKUP_NAME:
        raw = client.zoek_geslachtsnaam_geboortedatum(
            geslachtsnaam=surname,
            geboortedatum=birth_date,  # type: ignore[arg-type]
            voorvoegsel=prefix,
        )
    elif kind == LOOKUP_ADDRESS:
        letter = addition[:1] if addition[:1].isalpha() else ""
        raw = client.zoek_postcode_huisnummer(
            postcode=postcode,
            huisnummer=house_number,  # type: ignore[arg-type]
            huisletter=letter,
            huisnummertoevoeging=addition[len(letter) :].strip("- "),
        )
    else:
        raise ValueError(f"unknown lookup: {kind}")
    persons, refused = persons_from_response(raw)
    _log_refused(refused)
    return SearchResult(persons=persons, refused=len(refused))


def _resident_data(person: BrpPerson) -> dict[str, Any]:
    address = person.address or BrpAddress()
    municipality = (
        Municipality.objects.filter(code=f"GM{person.municipality_code}").first()
        if person.municipality_code
        else None
    )
    birth = person.birth_date.as_date() if person.birth_date else None
    return {
        "bsn": person.bsn,
        "given_names": person.given_names,
        "surname_prefix": person.surname_prefix,
        "surname": person.surname,
        "birth_date": birth,
        "street": address.street,
        "house_number": address.house_number,
        "house_number_addition": address.addition,
        "postcode": address.postcode,
        "town": address.town,
        "municipality": municipality,
        "is_secret": person.is_secret,
    }


@transaction.atomic
def resident_from_register(
    *,
    acting_user,
    desk: Desk,
    bsn: str,
    request: HttpRequest | None = None,
    client: BrpClient | None = None,
) -> Resident:
    """Fetch one person and create the resident from it, or bring the known resident up to date.

    Raises BrpError (register), MalformedPerson (its answer) or ValidationError (our rules,
    e.g. another active resident already has this BSN). Nothing is saved then.
    """
    client = client or BrpClient.from_settings()
    persons, refused = persons_from_response(client.raadpleeg([bsn]))
    _log_refused(refused)
    access_log_record(
        acting_user=acting_user,
        action=Action.READ,
        object_type=PERSON_OBJECT,
        request=request,
        purpose="intake",
    )
    if refused:
        raise refused[0][1]
    if not persons:
        raise ValidationError(_("Het BRP kent geen persoon met dit BSN."))
    person = persons[0]
    resident = (
        Resident.objects.visible_to(acting_user)
        .filter(bsn=person.bsn)
        .order_by("status", "-pk")  # "active" sorts first
        .first()
    )
    if resident is None:
        resident = resident_create(
            acting_user=acting_user, desk=desk, data=_resident_data(person), request=request
        )
    rules.apply_person(
        resident=resident, person=person, changed_at=timezone.now(), actor=acting_user, source="lookup"
    )
    resident.refresh_from_db()
    return resident


# --- follow indications ------------------------------------------------------------------------


def follow_indications_update(
    *, client: BrpClient, today: datetime.date, counts: Counter | None = None
) -> list[str]:
    """Follow every active resident with a BSN, end what is no longer needed; the newly followed BSNs."""
    counts = counts if counts is not None else Counter()
    newly: list[str] = []
    to_follow = (
        Resident.objects.filter(status=Resident.Status.ACTIVE)
        .exclude(bsn="")
        .filter(
            Q(register_link__isnull=True)
            | Q(register_link__following=False)
            | ~Q(register_link__followed_bsn=F("bsn"))
        )
        .select_related("register_link")
    )
    for resident in to_follow.iterator():
        link = getattr(resident, "register_link", None) or RegisterLink(resident=resident)
        if link.following and link.followed_bsn and link.followed_bsn != resident.bsn:
            client.beeindig_volg(link.followed_bsn, on=today)
            counts["follow_ended"] += 1
        client.volg(resident.bsn)
        link.followed_bsn = resident.bsn
        link.following = True
        link.follow_started_on = today
        link.follow_ended_on = None
        link.save()
        counts["follow_started"] += 1
        newly.append(resident.bsn)
    to_end = RegisterLink.objects.filter(following=True).filter(
        ~Q(resident__status=Resident.Status.ACTIVE) | Q(resident__bsn="")
    )
    for link in to_end.iterator():
        if RegisterLink.objects.filter(
            following=True, followed_bsn=link.followed_bsn, resident__status=Resident.Status.ACTIVE
        ).exists():
            link.following = False  # another active record still needs this indication
        else:
            client.beeindig_volg(link.followed_bsn, on=today)
            counts["follow_ended"] += 1
            link.following = False
        link.follow_ended_on = today
        link.save(update_fields=["following", "follow_ended_on"])
    return newly


# --- the sync --------------------------------------------------------------------------------------


def resident_ids_for_bsns(numbers: Iterable[str]) -> dict[str, list[int]]:
    """The residents known by each BSN (their own, the followed one, or a former one), as pks."""
    numbers = set(numbers)
    found: dict[str, dict[int, None]] = {number: {} for number in numbers}
    # ``bsn <> ''`` lets PostgreSQL use the partial BSN index: it cannot prove that from a list
    # of more than 100 numbers, and would read the whole table instead.
    residents = Resident.objects.filter(bsn__in=bulk.among(Resident, "bsn", numbers)).exclude(bsn="")
    for pk, bsn in residents.values_list("pk", "bsn"):
        found[bsn][pk] = None
    links = RegisterLink.objects.filter(followed_bsn__in=bulk.among(RegisterLink, "followed_bsn", numbers))
    for pk, bsn in links.values_list("resident_id", "followed_bsn"):
        found[bsn][pk] = None
    former = FormerIdentifier.objects.filter(bsn__in=bulk.among(FormerIdentifier, "bsn", numbers))
    for pk, bsn in former.values_list("resident_id", "bsn"):
        found[bsn][pk] = None
    return {number: list(pks) for number, pks in found.items()}


def _fetch(client: BrpClient, numbers: list[str], counts: Counter) -> dict[str, BrpPerson]:
    """The register's person per requested BSN, 20 at a time; refused answers are counted."""
    result: dict[str, BrpPerson] = {}
    for start in range(0, len(numbers), MAX_BSNS_PER_REQUEST):
        chunk = numbers[start : start + MAX_BSNS_PER_REQUEST]
        persons, refused = persons_from_response(client.raadpleeg(chunk))
        _log_refused(refused)
        counts["malformed"] += len(refused)
        by_bsn = {person.bsn: person for person in persons}
        for number in chunk:
            if number in by_bsn:
                result[number] = by_bsn[number]
            elif len(chunk) > 1:
                # Not answered under this number: a new BSN, or refused. Ask for it alone.
                alone, _refused = persons_from_response(client.raadpleeg([number]))
                if len(alone) == 1:
                    result[number] = alone[0]
            elif len(persons) == 1 and not refused:
                result[number] = persons[0]  # the register answered with the person's new BSN
    return result


def _tally(counts: Counter, outcome: rules.Outcome) -> None:
    if outcome.outdated:
        counts["outdated"] += 1
    elif not outcome.applied:
        counts["unchanged"] += 1
    for kind in outcome.applied:
        counts[kind] += 1
    counts["questions_closed"] += outcome.questions_closed
    counts["follow_ups_cancelled"] += outcome.follow_ups_cancelled
    counts["follow_ups_flagged"] += outcome.follow_ups_flagged


BATCH_SIZE = 1000  # changes per batch, about 25 queries for the lot (500 and 2,000 measured the same)
APPLY_ERRORS = (rules.RuleConflict, IntegrityError)


def _apply_chunk(
    groups: list[list[rules.Item]], *, actor, source: str, run: SyncRun
) -> list[tuple[rules.Item, rules.Outcome | Exception]]:
    """Apply groups of items (a file line: one item per resident of its BSN) in one batch.

    When one group fails, the batch is rolled back and the groups are applied one at a time, each
    all or nothing, so the others still apply; a failing group gets its error as its outcome.
    """
    items = [item for group in groups for item in group]
    try:
        outcomes = rules.apply_items(items=items, actor=actor, source=source, run=run)
        return list(zip(items, outcomes, strict=True))
    except APPLY_ERRORS as error:
        if len(groups) == 1:
            return [(groups[0][0], _conflict(error))]
    result: list[tuple[rules.Item, rules.Outcome | Exception]] = []
    for group in groups:
        try:
            outcomes = rules.apply_items(items=group, actor=actor, source=source, run=run)
        except APPLY_ERRORS as error:
            result.append((group[0], _conflict(error)))
        else:
            result.extend(zip(group, outcomes, strict=True))
    return result


def _conflict(error: Exception) -> rules.RuleConflict:
    """The error to report: a rule's own, or a plain one for the database's (it may hold a BSN)."""
    if isinstance(error, rules.RuleConflict):
        return error
    return rules.RuleConflict(_("in strijd met een andere inwoner"))


def brp_sync(
    *, client: BrpClient | None = None, now: datetime.datetime | None = None, notify: bool = True
) -> SyncRun:
    """One run: follow indications, changes since the last run, re-fetch, rules, summary."""
    client = client or BrpClient.from_settings()
    now = now or timezone.now()
    today = timezone.localdate(now)
    actor = register_actor()
    previous = SyncRun.objects.filter(
        kind=SyncRun.Kind.SYNC, status__in=[SyncRun.Status.DONE, SyncRun.Status.PARTIAL]
    ).first()
    since = timezone.localdate(previous.started_at) if previous else today - datetime.timedelta(days=1)
    run = SyncRun.objects.create(kind=SyncRun.Kind.SYNC, started_at=now, since=since)
    counts: Counter = Counter()
    errors: list[str] = []
    try:
        newly = follow_indications_update(client=client, today=today, counts=counts)
        changed = client.wijzigingen(vanaf=since)
        counts["reported"] = len(changed)
        numbers = list(dict.fromkeys([*changed, *newly]))
        known = resident_ids_for_bsns(numbers)
        counts["unknown"] = sum(1 for number in changed if not known.get(number))
        wanted = [number for number in numbers if known.get(number)]
        persons = _fetch(client, wanted, counts)
        items: list[rules.Item] = []
        for number in wanted:
            person = persons.get(number)
            if person is None:
                counts["not_in_register"] += 1
                continue
            items.extend(
                rules.Item(resident_id=pk, changed_at=now, person=person, key=number) for pk in known[number]
            )
        for start in range(0, len(items), BATCH_SIZE):
            for item, outcome in _apply_chunk(
                [[item] for item in items[start : start + BATCH_SIZE]], actor=actor, source="sync", run=run
            ):
                if isinstance(outcome, Exception):
                    counts["conflicts"] += 1
                    errors.append(f"{mask(item.key)}: {outcome}")
                else:
                    _tally(counts, outcome)
        follow_indications_update(client=client, today=today, counts=counts)
    except BrpError as error:
        logger.error("BRP sync stopped: %s (%s)", type(error).__name__, error)
        errors.append(f"{type(error).__name__}: {error}")
        run.status = SyncRun.Status.FAILED
    else:
        run.status = SyncRun.Status.PARTIAL if (errors or counts["malformed"]) else SyncRun.Status.DONE
    run.counts = dict(counts)
    run.errors = errors
    run.finished_at = timezone.now()
    run.save()
    if notify:
        summary_send(run=run)
    return run


def summary_send(*, run: SyncRun) -> int:
    """Mail the run's summary to everyone who may see it (the coordinators). Returns how many."""
    try:
        permission = Permission.objects.get(content_type__app_label="brp", codename="view_syncrun")
    except Permission.DoesNotExist:
        return 0
    users = (
        get_user_model()
        .objects.filter(Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True)
        .exclude(email="")
        .distinct()
    )
    recipients = sorted({user.email for user in users})
    if not recipients:
        return 0
    lines = [f"{label}: {run.counts.get(key, 0)}" for key, label in summary_labels()]
    body = "\n".join(
        [
            _("Verwerking van BRP-wijzigingen, %(when)s: %(status)s")
            % {
                "when": timezone.localtime(run.started_at).strftime("%d-%m-%Y %H:%M"),
                "status": run.get_status_display(),
            },
            "",
            *lines,
        ]
    )
    send_mail(_("Dagoverzicht BRP-wijzigingen"), body, None, recipients)
    return len(recipients)


def summary_labels() -> list[tuple[str, str]]:
    return [
        ("reported", _("Gemeld door het BRP")),
        ("moved", _("Verhuisd binnen de regio")),
        ("returned", _("Teruggekeerd in de regio")),
        ("moved_away", _("Verhuisd uit de regio")),
        ("emigrated", _("Geëmigreerd")),
        ("deceased", _("Overleden")),
        ("secrecy_set", _("Geheimhouding ingesteld")),
        ("secrecy_lifted", _("Geheimhouding opgeheven")),
        ("name", _("Naam gewijzigd")),
        ("bsn", _("BSN gewijzigd")),
        ("birth_date", _("Geboortedatum gewijzigd")),
        ("questions_closed", _("Vragen afgesloten")),
        ("follow_ups_cancelled", _("Opvolgingen vervallen")),
        ("follow_ups_flagged", _("Opvolgingen voor een besluit")),
        ("unchanged", _("Geen verschil")),
        ("outdated", _("Ouder dan de laatste wijziging, genegeerd")),
        ("unknown", _("Onbekend BSN, genegeerd")),
        ("malformed", _("Onbruikbaar antwoord van het BRP")),
        ("conflicts", _("Niet verwerkt (conflict)")),
        ("failed_lines", _("Foute regels")),
        ("follow_started", _("Volgindicaties geplaatst")),
        ("follow_ended", _("Volgindicaties beëindigd")),
    ]


# --- file import -------------------------------------------------------------------------------------

IMPORT_COLUMNS = [
    "bsn",
    "soort",
    "datum",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "woonplaats",
    "gemeente",
]
IMPORT_KINDS = {
    "verhuizing": rules.MOVE,
    "emigratie": rules.EMIGRATION,
    "overlijden": rules.DEATH,
    "geheimhouding_aan": rules.SECRECY,
    "geheimhouding_uit": rules.SECRECY,
}


@dataclass
class ImportResult:
    run: SyncRun
    errors: list[tuple[int, str]] = field(default_factory=list)


_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _plainly_valid_bsn(number: str) -> bool:
    """The common case of ``validate_bsn``, cheaply: nine digits passing the eleven-test.
    Anything else goes to ``validate_bsn``, which decides (and accepts e.g. ``1234.56.782``)."""
    return (
        len(number) == 9
        and number.isascii()
        and number.isdigit()
        and number != "000000000"
        and sum(weight * int(digit) for weight, digit in zip(_BSN_WEIGHTS, number, strict=True)) % 11 == 0
    )


def _parse_line(row: dict[str, str], *, today: datetime.date | None = None) -> tuple[str, rules.Mutation]:
    """One CSV line as (BSN, mutation); ValueError with a Dutch reason when it is wrong.

    ``today`` spares a file asking for the date on every line.
    """
    number = (row.get("bsn") or "").strip()
    if not _plainly_valid_bsn(number):
        try:
            validate_bsn(number)
        except ValidationError:
            raise ValueError(_("geen geldig BSN")) from None
    kind = (row.get("soort") or "").strip().lower()
    if kind not in IMPORT_KINDS:
        raise ValueError(_("onbekende soort %(kind)r") % {"kind": kind})
    raw_date = (row.get("datum") or "").strip()
    try:
        date = datetime.date.fromisoformat(raw_date)
    except ValueError:
        raise ValueError(_("geen geldige datum (JJJJ-MM-DD): %(value)r") % {"value": raw_date}) from None
    if date > (today or timezone.localdate()):
        raise ValueError(_("datum ligt in de toekomst"))
    if kind == "verhuizing":
        try:
            number_value = int((row.get("huisnummer") or "").strip())
            if not 1 <= number_value <= 99999:
                raise ValueError
        except ValueError:
            raise ValueError(_("geen geldig huisnummer")) from None
        try:
            postcode = normalise_postcode(row.get("postcode") or "")
        except ValidationError:
            raise ValueError(_("geen geldige postcode")) from None
        code = (row.get("gemeente") or "").strip()
        if not (len(code) == 4 and code.isdigit()):
            raise ValueError(_("geen geldige gemeentecode (vier cijfers)"))
        street = (row.get("straat") or "").strip()
        if not street:
            raise ValueError(_("straat ontbreekt"))
        address = BrpAddress(
            street=street[:200],
            house_number=number_value,
            house_number_addition=(row.get("toevoeging") or "").strip()[:10],
            postcode=postcode,
            town=(row.get("woonplaats") or "").strip()[:100],
        )
        return number, rules.Mutation(rules.MOVE, effective_on=date, address=address, municipality_code=code)
    if kind == "overlijden":
        return number, rules.Mutation(rules.DEATH, effective_on=date)
    if kind == "emigratie":
        return number, rules.Mutation(rules.EMIGRATION, effective_on=date)
    return number, rules.Mutation(rules.SECRECY, effective_on=date, secret=kind == "geheimhouding_aan")


def _import_chunk(
    lines: list[tuple[int, str, rules.Mutation]],
    *,
    actor,
    run: SyncRun,
    counts: Counter,
    result: ImportResult,
) -> None:
    """Apply parsed lines in one batch: the residents of all their BSNs found in three queries."""
    known = resident_ids_for_bsns(number for _line, number, _mutation in lines)
    groups: list[list[rules.Item]] = []
    moments: dict[datetime.date | None, datetime.datetime] = {}  # one per date, not per line
    for line, number, mutation in lines:
        pks = known[number]
        if not pks:
            counts["unknown"] += 1
            continue
        on = mutation.effective_on
        if on not in moments:
            moments[on] = timezone.make_aware(datetime.datetime.combine(on, datetime.time()))
        changed_at = moments[on]
        groups.append(
            [
                rules.Item(resident_id=pk, changed_at=changed_at, mutations=[mutation], key=(line, number))
                for pk in pks
            ]
        )
    if not groups:
        return
    for item, outcome in _apply_chunk(groups, actor=actor, source="import", run=run):
        if isinstance(outcome, Exception):
            line, number = item.key
            logger.warning("BRP import line %s (%s) not applied: %s", line, mask(number), outcome)
            result.errors.append((line, str(outcome)))
        else:
            _tally(counts, outcome)


def mutations_import(*, lines: Iterable[str] | io.TextIOBase, source_name: str = "") -> ImportResult:
    """Read a mutation file (``bsn;soort;datum;straat;huisnummer;toevoeging;postcode;woonplaats;gemeente``).

    Every line is checked and applied on its own, all or nothing; a wrong line is reported with
    its line number and reason (and logged with the BSN masked) and changes nothing. A BSN the
    desk does not know is counted. The lines are applied in batches of ``BATCH_SIZE``; when a
    line of a batch fails, that batch is applied again line by line, so the others still apply.
    """
    actor = register_actor()
    now = timezone.now()
    run = SyncRun.objects.create(kind=SyncRun.Kind.IMPORT, started_at=now, source_name=source_name[:200])
    result = ImportResult(run=run)
    counts: Counter = Counter()
    text = list(lines)
    dialect_sample = text[0] if text else ""
    delimiter = ";" if dialect_sample.count(";") >= dialect_sample.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None) or []
    names = [name.strip().lower() for name in header]  # a row becomes {name: value}, as given
    missing = [column for column in ("bsn", "soort", "datum") if column not in header]
    if missing:
        result.errors.append((1, _("kolommen ontbreken: %(columns)s") % {"columns": ", ".join(missing)}))
    else:
        parsed: list[tuple[int, str, rules.Mutation]] = []
        today = timezone.localdate()
        for row in reader:
            if not row:
                continue  # an empty line
            line = reader.line_num
            counts["lines"] += 1
            fields = dict(zip(names, row, strict=False))  # a short row lacks the last columns
            try:
                number, mutation = _parse_line(fields, today=today)
            except ValueError as error:
                logger.warning(
                    "BRP import line %s (%s) refused: %s", line, mask(fields.get("bsn", "").strip()), error
                )
                result.errors.append((line, str(error)))
                continue
            parsed.append((line, number, mutation))
        for start in range(0, len(parsed), BATCH_SIZE):
            _import_chunk(
                parsed[start : start + BATCH_SIZE], actor=actor, run=run, counts=counts, result=result
            )
        result.errors.sort()
    counts["failed_lines"] = len(result.errors)
    run.counts = dict(counts)
    run.errors = [f"regel {line}: {reason}" for line, reason in result.errors]
    run.status = SyncRun.Status.PARTIAL if result.errors else SyncRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return result
