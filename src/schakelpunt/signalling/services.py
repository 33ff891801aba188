"""Every write to signals: raising one, changing a proposal, linking evidence, every status
transition, and the automatic proposals."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schakelpunt.audit.services import Action, access_log_record
from schakelpunt.contacts.models import LifeDomain, Question
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.organisations.models import Desk, District, Organisation
from schakelpunt.referrals.models import UnmetNeed
from schakelpunt.signalling import notifications, workflow
from schakelpunt.signalling.models import Signal, SignalQuestion, SignalStatus, SignalUnmetNeed
from schakelpunt.signalling.selectors import UNMET_NEED_REASONS, is_desk_side, sides_of

S = Signal.Status
R = Question.UnmetReason

# What kind of signal a pile of unmet needs with this reason usually is.
KIND_BY_REASON = {
    R.NOT_AVAILABLE: Signal.Kind.GAP,
    R.NO_CAPACITY: Signal.Kind.GAP,
    R.WAITING_LIST: Signal.Kind.GAP,
    R.NOT_ELIGIBLE: Signal.Kind.ACCESS,
    R.REFUSED: Signal.Kind.OTHER,
}


def _log(*, acting_user, action: str, signal: Signal, request: HttpRequest | None) -> None:
    access_log_record(
        acting_user=acting_user,
        action=action,
        object_type="signalling.signal",
        object_id=signal.pk,
        request=request,
        purpose="signal",
    )


def _check_scope(*, desk: Desk, municipality, district: District | None, addressed_to: Organisation | None):
    """The municipality is one the desk serves, the district lies in it, and the addressee is
    a partner organisation (the municipality itself is addressed by leaving it empty)."""
    errors = {}
    if not desk.municipalities.filter(pk=municipality.pk).exists():
        errors["municipality"] = _("Het loket %(desk)s werkt niet voor de gemeente %(municipality)s.") % {
            "desk": desk.name,
            "municipality": municipality.name,
        }
    if district is not None and district.municipality_id != municipality.pk:
        errors["district"] = _("De wijk %(district)s ligt niet in de gemeente %(municipality)s.") % {
            "district": district.name,
            "municipality": municipality.name,
        }
    if addressed_to is not None:
        if addressed_to.type == Organisation.Type.MUNICIPALITY:
            errors["addressed_to"] = _("Laat ‘gericht aan’ leeg om het signaal aan de gemeente te richten.")
        elif not addressed_to.is_active:
            errors["addressed_to"] = _("Deze organisatie is niet (meer) actief.")
    if errors:
        raise ValidationError(errors)


def _visible_evidence(
    *, acting_user, questions: Iterable[Question], unmet_needs: Iterable[UnmetNeed]
) -> tuple[list[Question], list[UnmetNeed]]:
    """The evidence as the acting user may see it: every question and unmet need must be of
    the user's desks, or nothing is linked."""
    question_ids = {question.pk for question in questions}
    need_ids = {need.pk for need in unmet_needs}
    visible = Question.objects.visible_to(acting_user)
    found_questions = list(visible.filter(pk__in=question_ids).select_related("contact"))
    found_needs = list(UnmetNeed.objects.filter(pk__in=need_ids, question__in=visible.values("pk")))
    if len(found_questions) != len(question_ids) or len(found_needs) != len(need_ids):
        raise ValidationError(
            _("U kunt alleen hulpvragen en onvervulde behoeften van uw eigen loket koppelen.")
        )
    return found_questions, found_needs


def _evidence_dates(questions: list[Question], unmet_needs: list[UnmetNeed]) -> list[datetime.date]:
    dates = [timezone.localdate(question.contact.started_at) for question in questions]
    dates += [timezone.localdate(need.recorded_at) for need in unmet_needs]
    return dates


def _link(*, signal: Signal, questions, unmet_needs, linked_by, now) -> tuple[int, int]:
    """Link what is not linked yet; returns how many questions and unmet needs were added."""
    have_questions = set(signal.question_links.values_list("question_id", flat=True))
    have_needs = set(signal.unmet_need_links.values_list("unmet_need_id", flat=True))
    new_questions = [
        SignalQuestion(signal=signal, question=question, linked_by=linked_by, linked_at=now)
        for question in questions
        if question.pk not in have_questions
    ]
    new_needs = [
        SignalUnmetNeed(signal=signal, unmet_need=need, linked_by=linked_by, linked_at=now)
        for need in unmet_needs
        if need.pk not in have_needs
    ]
    SignalQuestion.objects.bulk_create(new_questions)
    SignalUnmetNeed.objects.bulk_create(new_needs)
    return len(new_questions), len(new_needs)


@transaction.atomic
def signal_create(
    *,
    acting_user,
    desk: Desk,
    title: str,
    description: str,
    municipality,
    kind: str = Signal.Kind.GAP,
    life_domain: LifeDomain | None = None,
    district: District | None = None,
    unmet_reason: str = "",
    addressed_to: Organisation | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    questions: Iterable[Question] = (),
    unmet_needs: Iterable[UnmetNeed] = (),
    request: HttpRequest | None = None,
) -> Signal:
    """Raise a signal at one of the user's desks, with the evidence that shows it. It starts
    as a proposal: the desk's coordinator sends it (:func:`signal_transition`)."""
    if not acting_user.has_perm("signalling.add_signal"):
        raise PermissionDenied
    if not acting_user.desks.filter(pk=desk.pk).exists():
        raise PermissionDenied
    _check_scope(desk=desk, municipality=municipality, district=district, addressed_to=addressed_to)
    questions, unmet_needs = _visible_evidence(
        acting_user=acting_user, questions=questions, unmet_needs=unmet_needs
    )
    now = timezone.now()
    dates = _evidence_dates(questions, unmet_needs) or [timezone.localdate(now)]
    signal = Signal(
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        life_domain=life_domain,
        unmet_reason=unmet_reason,
        district=district,
        municipality=municipality,
        desk=desk,
        period_start=period_start or min(dates),
        period_end=period_end or max(dates),
        addressed_to=addressed_to,
        origin=Signal.Origin.MANUAL,
        status=S.PROPOSED,
        status_changed_at=now,
        created_by=acting_user,
    )
    signal.full_clean()
    signal.save()
    SignalStatus.objects.create(signal=signal, to_status=S.PROPOSED, changed_by=acting_user, changed_at=now)
    _link(signal=signal, questions=questions, unmet_needs=unmet_needs, linked_by=acting_user, now=now)
    _log(acting_user=acting_user, action=Action.CREATE, signal=signal, request=request)
    return signal


@transaction.atomic
def signal_update(
    *,
    acting_user,
    signal: Signal,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
    **data,
) -> Signal:
    """Change a proposal before it is sent (title, description, kind, domain, reason,
    district, municipality, addressee, period). Once sent, a signal says what it said."""
    editable = {
        "title",
        "description",
        "kind",
        "life_domain",
        "unmet_reason",
        "district",
        "municipality",
        "addressed_to",
        "period_start",
        "period_end",
    }
    unknown = set(data) - editable
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Signal.objects.select_for_update().select_related("desk").get(pk=signal.pk)
    if not is_desk_side(acting_user, locked):
        raise PermissionDenied
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError
    if locked.status != S.PROPOSED:
        raise ValidationError(_("Alleen een voorstel kan nog worden gewijzigd."))
    for name, value in data.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    _check_scope(
        desk=locked.desk,
        municipality=locked.municipality,
        district=locked.district,
        addressed_to=locked.addressed_to,
    )
    locked.version += 1
    locked.full_clean()
    locked.save()
    _log(acting_user=acting_user, action=Action.CHANGE, signal=locked, request=request)
    return locked


@transaction.atomic
def signal_link_evidence(
    *,
    acting_user,
    signal: Signal,
    questions: Iterable[Question] = (),
    unmet_needs: Iterable[UnmetNeed] = (),
    request: HttpRequest | None = None,
) -> tuple[int, int]:
    """Link more questions and unmet needs of the user's desks to a signal of their desk that
    is still running; the evidence period grows to cover them. Returns how many were added."""
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if not is_desk_side(acting_user, locked):
        raise PermissionDenied
    if locked.is_closed:
        raise ValidationError(_("Dit signaal is afgesloten: er kan geen bewijs meer bij."))
    questions, unmet_needs = _visible_evidence(
        acting_user=acting_user, questions=questions, unmet_needs=unmet_needs
    )
    now = timezone.now()
    added = _link(signal=locked, questions=questions, unmet_needs=unmet_needs, linked_by=acting_user, now=now)
    dates = _evidence_dates(questions, unmet_needs)
    if dates and (min(dates) < locked.period_start or max(dates) > locked.period_end):
        locked.period_start = min(locked.period_start, *dates)
        locked.period_end = max(locked.period_end, *dates)
        locked.save(update_fields=["period_start", "period_end", "updated_at"])
    if any(added):
        _log(acting_user=acting_user, action=Action.CHANGE, signal=locked, request=request)
    return added


@transaction.atomic
def signal_transition(
    *,
    acting_user,
    signal: Signal,
    to_status: str,
    note: str = "",
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Signal:
    """Move a signal to another state: the one way to change its status."""
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError
    from_status = locked.status
    if to_status not in S.values:
        raise ValidationError(_("Onbekende status."))
    if not workflow.allowed(from_status, to_status):
        raise ValidationError(
            _("Een signaal met status ‘%(from)s’ kan niet naar ‘%(to)s’.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        )
    sides = sides_of(acting_user, locked)
    if not any(to_status in workflow.MOVES_BY_SIDE[side] for side in sides):
        raise PermissionDenied
    note = note.strip()
    if to_status in workflow.NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Vul in: %(what)s") % {"what": workflow.NEEDS_NOTE[to_status]}})

    now = timezone.now()
    if to_status == S.SENT:
        locked.sent_at = now
    if to_status in workflow.ANSWERS:
        locked.answer = note
    if to_status == S.DECLINED:
        locked.decline_reason = note
    if to_status in Signal.CLOSED_STATUSES:
        locked.closed_at = now
    locked.status = to_status
    locked.status_changed_at = now
    locked.version += 1
    locked.full_clean()
    locked.save()
    SignalStatus.objects.create(
        signal=locked,
        from_status=from_status,
        to_status=to_status,
        note=note,
        changed_by=acting_user,
        changed_at=now,
    )
    _log(acting_user=acting_user, action=Action.CHANGE, signal=locked, request=request)
    if to_status == S.SENT:
        transaction.on_commit(lambda: notifications.signal_sent(locked))
    elif to_status in workflow.ANSWERS:
        transaction.on_commit(lambda: notifications.signal_answered(locked))
    return locked


# --- Automatic proposals -------------------------------------------------------------------


@dataclass
class _Pile:
    """Unmet needs with one desk, district, life domain and reason."""

    questions: set[int] = field(default_factory=set)  # every question counted (the unit)
    no_supply: dict[int, datetime.date] = field(default_factory=dict)  # question → date
    unmet_needs: dict[int, tuple[int, datetime.date]] = field(default_factory=dict)  # need → (question, date)


def _window(today: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(today - datetime.timedelta(days=days - 1), datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _piles(start: datetime.datetime, end: datetime.datetime) -> dict[tuple, _Pile]:
    """Unmet needs in the window that no signal counts yet, piled by desk, district, domain
    and reason. A question counts once however it shows up: with the outcome "no suitable
    supply", through a rejected referral, or both; and not at all once it (or one of its
    unmet needs) is linked to any signal, manual or automatic, whatever became of that
    signal. That is what makes the proposals idempotent, and why a dismissed proposal is not
    proposed again: its evidence stays linked to it."""
    linked = SignalQuestion.objects.values("question_id")
    linked_through_needs = SignalUnmetNeed.objects.values("unmet_need__question_id")
    piles: dict[tuple, _Pile] = defaultdict(_Pile)
    questions = (
        Question.objects.filter(
            outcome=Question.Outcome.NO_SUPPLY,
            contact__started_at__gte=start,
            contact__started_at__lt=end,
            resident__district__isnull=False,
            domains__isnull=False,
        )
        .exclude(pk__in=linked)
        .exclude(pk__in=linked_through_needs)
        .values_list(
            "pk",
            "contact__desk_id",
            "resident__district_id",
            "unmet_reason",
            "domains",
            "contact__started_at",
        )
    )
    for pk, desk_id, district_id, reason, domain_id, moment in questions:
        pile = piles[(desk_id, district_id, domain_id, reason)]
        pile.questions.add(pk)
        pile.no_supply[pk] = timezone.localdate(moment)
    reasons = {need_reason: reason for reason, need_reason in UNMET_NEED_REASONS.items()}
    needs = (
        UnmetNeed.objects.filter(
            reason__in=reasons,
            recorded_at__gte=start,
            recorded_at__lt=end,
            question__resident__district__isnull=False,
            question__domains__isnull=False,
        )
        .exclude(question_id__in=linked)
        .exclude(question_id__in=linked_through_needs)
        .values_list(
            "pk",
            "question_id",
            "referral__referring_desk_id",
            "question__resident__district_id",
            "reason",
            "question__domains",
            "recorded_at",
        )
    )
    for pk, question_id, desk_id, district_id, need_reason, domain_id, moment in needs:
        pile = piles[(desk_id, district_id, domain_id, reasons[need_reason])]
        pile.questions.add(question_id)
        pile.unmet_needs[pk] = (question_id, timezone.localdate(moment))
    return piles


def _proposal_text(
    *, count: int, domain: LifeDomain, district: District, reason: str, start, end
) -> tuple[str, str]:
    # Stored text: in the desk's language, whatever language the caller runs in.
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "count": count,
            "domain": domain.name.lower(),
            "district": district.name,
            "reason": str(R(reason).label).lower(),
            "start": start.strftime("%d-%m-%Y"),
            "end": end.strftime("%d-%m-%Y"),
        }
        title = _("Geen passend aanbod voor %(domain)s in %(district)s (%(reason)s)") % values
        description = (
            _(
                "Automatisch voorgesteld: %(count)s hulpvragen uit de wijk %(district)s tussen "
                "%(start)s en %(end)s kregen geen passend aanbod in het levensdomein %(domain)s, "
                "met als reden: %(reason)s. Bekijk het bewijs, vul aan wat u weet en beslis of dit "
                "een signaal is voor de gemeente of een partner."
            )
            % values
        )
    return title[:200], description


@transaction.atomic
def signals_propose(
    *,
    today: datetime.date | None = None,
    threshold: int | None = None,
    period_days: int | None = None,
    notify: bool = True,
) -> list[Signal]:
    """Propose a signal wherever unmet needs with the same life domain and reason pile up in
    one district: at least ``threshold`` questions (SIGNALLING_PROPOSAL_THRESHOLD) in the last
    ``period_days`` days (SIGNALLING_PROPOSAL_PERIOD_DAYS), counting only what no signal counts
    yet. Running it twice proposes nothing new. A question in several life domains feeds the
    largest pile only. The desks' coordinators are mailed (``notify``). Returns the new
    proposals."""
    today = today or timezone.localdate()
    threshold = threshold or settings.SIGNALLING_PROPOSAL_THRESHOLD
    period_days = period_days or settings.SIGNALLING_PROPOSAL_PERIOD_DAYS
    # Two runs at once would both see the same unlinked evidence: the second waits here.
    list(Desk.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    piles = _piles(*_window(today, period_days))
    if not piles:
        return []
    domains = LifeDomain.objects.in_bulk({key[2] for key in piles})
    districts = District.objects.select_related("municipality").in_bulk({key[1] for key in piles})
    order = sorted(
        piles,
        key=lambda key: (
            -len(piles[key].questions),
            domains[key[2]].position,
            key[0],
            key[1],
            key[2],
            key[3],
        ),
    )
    used: set[int] = set()
    proposals = []
    now = timezone.now()
    for key in order:
        desk_id, district_id, domain_id, reason = key
        pile = piles[key]
        counted = pile.questions - used
        if len(counted) < threshold:
            continue
        no_supply = {pk: day for pk, day in pile.no_supply.items() if pk in counted}
        needs = {
            pk: (question, day) for pk, (question, day) in pile.unmet_needs.items() if question in counted
        }
        dates = list(no_supply.values()) + [day for _question, day in needs.values()]
        district = districts[district_id]
        title, description = _proposal_text(
            count=len(counted),
            domain=domains[domain_id],
            district=district,
            reason=reason,
            start=min(dates),
            end=max(dates),
        )
        signal = Signal.objects.create(
            title=title,
            description=description,
            kind=KIND_BY_REASON.get(reason, Signal.Kind.OTHER),
            life_domain_id=domain_id,
            unmet_reason=reason,
            district=district,
            municipality_id=district.municipality_id,
            desk_id=desk_id,
            period_start=min(dates),
            period_end=max(dates),
            origin=Signal.Origin.AUTOMATIC,
            status=S.PROPOSED,
            status_changed_at=now,
        )
        SignalStatus.objects.create(signal=signal, to_status=S.PROPOSED, changed_at=now)
        SignalQuestion.objects.bulk_create(
            SignalQuestion(signal=signal, question_id=pk, linked_at=now) for pk in sorted(no_supply)
        )
        SignalUnmetNeed.objects.bulk_create(
            SignalUnmetNeed(signal=signal, unmet_need_id=pk, linked_at=now) for pk in sorted(needs)
        )
        used |= counted
        proposals.append(signal)
    if proposals and notify:
        transaction.on_commit(lambda: notifications.proposals_made(proposals))
    return proposals
