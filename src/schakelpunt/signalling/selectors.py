"""Reads of signals: the list with its filters, one signal, its evidence (counted, and for the
desk the rows it may open), the candidates to link, and the moves a user may make."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from schakelpunt.contacts.models import Question
from schakelpunt.core.access import get_visible_or_404
from schakelpunt.referrals.models import UnmetNeed
from schakelpunt.signalling import workflow
from schakelpunt.signalling.models import Signal, SignalQuestion, SignalUnmetNeed

# Counts below this are shown as "< 5" to whoever may not see the rows behind them.
SUPPRESS_BELOW = 5
ADDRESSEE_MUNICIPALITY = "gemeente"  # the addressee filter's value for "the municipality"

# The reason of a rejected referral (referrals.UnmetNeed) in the words of a question's
# "no suitable supply" reason: both lists use the same values where they overlap.
UNMET_NEED_REASONS = {
    Question.UnmetReason.NO_CAPACITY: "no_capacity",
    Question.UnmetReason.NOT_ELIGIBLE: "not_eligible",
}


def shown_count(count: int, *, exact: bool) -> str:
    """A count as shown: exact for the desk; "< 5" for 1 to 4 to anyone else, so that no
    resident can be singled out (0 reveals nobody and is shown)."""
    if exact or count == 0 or count >= SUPPRESS_BELOW:
        return str(count)
    return f"< {SUPPRESS_BELOW}"


def _count_of(model) -> Coalesce:
    counts = (
        model.objects.filter(signal=OuterRef("pk"))
        .order_by()
        .values("signal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def with_evidence_counts(queryset: QuerySet[Signal]) -> QuerySet[Signal]:
    """Each signal with ``question_count`` and ``unmet_need_count``, in the same query."""
    return queryset.annotate(
        question_count=_count_of(SignalQuestion), unmet_need_count=_count_of(SignalUnmetNeed)
    )


@dataclass(frozen=True)
class SignalFilters:
    status: str = ""
    life_domain: int | None = None
    district: int | None = None
    addressee: str = ""  # "", ADDRESSEE_MUNICIPALITY or an organisation's id


def signal_list(*, viewer, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    """The signals the viewer may see, filtered, newest first, with their evidence counts."""
    filters = filters or SignalFilters()
    signals = Signal.objects.visible_to(viewer)
    if filters.status:
        signals = signals.filter(status=filters.status)
    if filters.life_domain:
        signals = signals.filter(life_domain_id=filters.life_domain)
    if filters.district:
        signals = signals.filter(district_id=filters.district)
    if filters.addressee == ADDRESSEE_MUNICIPALITY:
        signals = signals.filter(addressed_to__isnull=True)
    elif filters.addressee:
        signals = signals.filter(addressed_to_id=filters.addressee)
    return with_evidence_counts(
        signals.select_related("life_domain", "district", "municipality", "addressed_to", "desk")
    ).order_by("-created_at", "-pk")


def signal_get(*, viewer, pk: int) -> Signal:
    return get_visible_or_404(
        Signal.objects.select_related(
            "life_domain", "district", "municipality", "addressed_to", "desk", "created_by"
        ),
        viewer,
        pk=pk,
    )


def _desk_ids(user) -> set[int]:
    cached = getattr(user, "_signalling_desk_ids", None)
    if cached is None:
        cached = set(user.desks.values_list("pk", flat=True))
        user._signalling_desk_ids = cached
    return cached


def is_desk_side(user, signal: Signal) -> bool:
    """Staff of the desk where the signal was raised: they see its evidence rows."""
    return user.has_perm("signalling.add_signal") and signal.desk_id in _desk_ids(user)


def is_addressee(user, signal: Signal) -> bool:
    if not user.has_perm("signalling.answer_signal"):
        return False
    if signal.addressed_to_id is not None:
        return signal.addressed_to_id == user.organisation_id
    from schakelpunt.organisations.selectors import municipalities_of

    return municipalities_of(user).filter(pk=signal.municipality_id).exists()


def sides_of(user, signal: Signal) -> set[str]:
    """ "desk" for the desk's coordinator (who sends or dismisses), "addressee" for whom the
    signal is addressed to (who answers). Staff who only raise signals have no side."""
    sides = set()
    if user.has_perm("signalling.change_signal") and signal.desk_id in _desk_ids(user):
        sides.add("desk")
    if signal.status not in Signal.DESK_ONLY_STATUSES and is_addressee(user, signal):
        sides.add("addressee")
    return sides


def moves_for(user, signal: Signal) -> list[str]:
    """The moves offered to the user on this signal, in workflow order."""
    allowed_moves = set().union(*(workflow.MOVES_BY_SIDE[side] for side in sides_of(user, signal)))
    moves = [move for move in workflow.ALLOWED_TRANSITIONS[signal.status] if move in allowed_moves]
    return sorted(moves, key=workflow.MOVE_ORDER.index)


@dataclass(frozen=True)
class EvidenceCounts:
    questions: int
    unmet_needs: int
    residents: int


def evidence_counts(signal: Signal) -> EvidenceCounts:
    """How many questions and unmet needs show the signal, and how many residents they are
    about (anonymous questions count as no resident)."""
    residents = Question.objects.filter(
        Q(pk__in=SignalQuestion.objects.filter(signal=signal).values("question_id"))
        | Q(pk__in=SignalUnmetNeed.objects.filter(signal=signal).values("unmet_need__question_id")),
        resident__isnull=False,
    ).aggregate(n=Count("resident", distinct=True))["n"]
    return EvidenceCounts(
        questions=SignalQuestion.objects.filter(signal=signal).count(),
        unmet_needs=SignalUnmetNeed.objects.filter(signal=signal).count(),
        residents=residents or 0,
    )


def linked_questions(*, viewer, signal: Signal) -> QuerySet[Question]:
    """The linked questions the viewer may open (for the desk; nobody else gets rows)."""
    return (
        Question.objects.visible_to(viewer)
        .filter(signal_links__signal=signal)
        .select_related("contact", "contact__desk")
        .order_by("-contact__started_at", "-pk")
    )


def linked_unmet_needs(*, viewer, signal: Signal) -> QuerySet[UnmetNeed]:
    return (
        UnmetNeed.objects.filter(
            signal_links__signal=signal, question__in=Question.objects.visible_to(viewer).values("pk")
        )
        .select_related("referral", "referral__organisation")
        .order_by("-recorded_at", "-pk")
    )


def candidate_questions(*, viewer, signal: Signal, matching: bool = True) -> QuerySet[Question]:
    """Questions of the viewer's desks that found no suitable supply and are not linked to
    this signal yet; ``matching``: only those in the signal's domain, reason and district."""
    questions = (
        Question.objects.visible_to(viewer)
        .filter(outcome=Question.Outcome.NO_SUPPLY)
        .exclude(signal_links__signal=signal)
    )
    if matching:
        if signal.life_domain_id:
            questions = questions.filter(domains=signal.life_domain_id)
        if signal.unmet_reason:
            questions = questions.filter(unmet_reason=signal.unmet_reason)
        if signal.district_id:
            questions = questions.filter(resident__district_id=signal.district_id)
    return (
        questions.select_related("contact", "resident__district")
        .prefetch_related("domains")
        .order_by("-contact__started_at", "-pk")
    )


def candidate_unmet_needs(*, viewer, signal: Signal, matching: bool = True) -> QuerySet[UnmetNeed]:
    """Unmet needs (rejected referrals) of questions the viewer may see, not linked yet."""
    needs = UnmetNeed.objects.filter(question__in=Question.objects.visible_to(viewer).values("pk")).exclude(
        signal_links__signal=signal
    )
    if matching:
        if signal.life_domain_id:
            needs = needs.filter(question__domains=signal.life_domain_id)
        if signal.unmet_reason:
            reason = UNMET_NEED_REASONS.get(signal.unmet_reason)
            needs = needs.filter(reason=reason) if reason else needs.none()
        if signal.district_id:
            needs = needs.filter(question__resident__district_id=signal.district_id)
    return needs.select_related("referral__organisation", "question__resident__district").order_by(
        "-recorded_at", "-pk"
    )
