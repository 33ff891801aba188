"""Reads of contacts and questions: the resident's timeline and the work lists."""

from __future__ import annotations

import datetime
import heapq
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from schakelpunt.contacts.models import Contact, FollowUp, LifeDomain, Question
from schakelpunt.contrib.brp.models import RegisterChange
from schakelpunt.core.access import get_visible_or_404
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import Consent, Resident
from schakelpunt.wmo.models import WmoReport, WmoStatusChange

TIMELINE_PAGE_SIZE = 25


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "contact", "question", "follow_up", "consent", "referral", "register_change", "wmo"
    when: datetime.datetime
    obj: Any


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_previous: bool
    has_next: bool


def _as_datetime(value: datetime.date | datetime.datetime) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.max, tzinfo=timezone.get_current_timezone())


def _user_name(relation: str) -> tuple[str, ...]:
    """What the timeline shows of a user: the full name, or else the user name."""
    return (f"{relation}__first_name", f"{relation}__last_name", f"{relation}__username")


def _questions_query(viewer, resident: Resident, domain: str, status: str) -> QuerySet[Question]:
    questions = Question.objects.visible_to(viewer).filter(resident=resident)
    if domain:
        questions = questions.filter(domains__code=domain)
    if status:
        questions = questions.filter(status=status)
    return questions


def resident_timeline(
    *,
    viewer,
    resident: Resident,
    domain: str = "",
    status: str = "",
    page: int = 1,
    page_size: int = TIMELINE_PAGE_SIZE,
) -> TimelinePage:
    """Everything the desk knows of a resident, newest first, one page at a time.

    Each source gives its newest keys (id and moment) up to the end of the requested page;
    the keys are merged, the page is cut out, and only its objects are loaded, so the
    number of queries does not depend on how long the resident's story is.
    """
    page = max(page, 1)
    needed = page * page_size + 1
    questions = _questions_query(viewer, resident, domain, status)
    filtered = bool(domain or status)
    contacts = Contact.objects.visible_to(viewer).filter(resident=resident)
    if filtered:
        contacts = contacts.filter(questions__in=questions.values("pk")).distinct()
    follow_ups = FollowUp.objects.filter(question__in=questions.values("pk"))
    sources = {
        "contact": contacts.order_by("-started_at", "-pk").values_list("pk", "started_at")[:needed],
        "question": questions.order_by("-created_at", "-pk").values_list("pk", "created_at")[:needed],
        "follow_up": follow_ups.order_by("-due_date", "-pk").values_list("pk", "due_date")[:needed],
    }
    if viewer.has_perm("referrals.view_referral"):
        referrals = Referral.objects.visible_to(viewer).filter(question__in=questions.values("pk"))
        newest = referrals.order_by("-created_at", "-pk")
        sources["referral"] = newest.values_list("pk", "created_at")[:needed]
    if viewer.has_perm("wmo.view_wmoreport") or viewer.has_perm("wmo.view_wmoreport_status"):
        # Each phase of a Wmo report (report, investigation, application, decision, ...) is an
        # entry; who sees only the status gets the phases without the content (the template).
        wmo_reports = WmoReport.objects.status_visible_to(viewer).filter(resident=resident)
        if filtered:
            wmo_reports = wmo_reports.filter(question__in=questions.values("pk"))
        phases = WmoStatusChange.objects.filter(report__in=wmo_reports.values("pk"))
        sources["wmo"] = phases.order_by("-changed_at", "-pk").values_list("pk", "changed_at")[:needed]
    if not filtered:
        # What the population register changed (moves, death, name), done by the register.
        changes = RegisterChange.objects.filter(resident=resident).order_by("-applied_at", "-pk")
        sources["register_change"] = changes.values_list("pk", "applied_at")[:needed]
    if not filtered and viewer.has_perm("residents.view_consent"):
        consents = Consent.objects.filter(resident=resident)
        sources["consent"] = consents.order_by("-given_at", "-pk").values_list("pk", "given_at")[:needed]
    keys = heapq.merge(
        *([(_as_datetime(when), kind, pk) for pk, when in rows] for kind, rows in sources.items()),
        key=lambda key: (key[0], key[2]),
        reverse=True,
    )
    keys = list(keys)
    start = (page - 1) * page_size
    window = keys[start : start + page_size]
    # Each loader reads the columns the timeline shows (residents/timeline.html and the Wmo
    # phase's include): fewer columns to compile, fetch and turn into model instances. A field
    # the template starts to show goes in here too, or each entry costs a query (the page's
    # query-count test notices).
    loaders = {
        "contact": lambda pks: (
            Contact.objects.filter(pk__in=pks)
            .select_related("handled_by", "location")
            .only(
                "started_at",
                "duration_minutes",
                "channel",
                "asked_by",
                "asker_name",
                *_user_name("handled_by"),
                "location__name",
            )
            .prefetch_related(
                Prefetch("questions", queryset=Question.objects.only("contact_id", "question_text"))
            )
        ),
        "question": lambda pks: (
            Question.objects.filter(pk__in=pks)
            .select_related("assigned_to")
            .only(
                "status",
                "urgency",
                "question_text",
                "clarification",
                "health_notes",
                "outcome",
                "unmet_reason",
                "created_at",
                *_user_name("assigned_to"),
            )
            .prefetch_related(
                Prefetch("domains", queryset=LifeDomain.objects.order_by("position").only("name"))
            )
        ),
        "follow_up": lambda pks: (
            FollowUp.objects.filter(pk__in=pks)
            .select_related("assigned_to", "question")
            .only(
                "kind",
                "status",
                "due_date",
                "done_at",
                "note",
                "result",
                *_user_name("assigned_to"),
                "question__question_text",
            )
        ),
        "consent": lambda pks: (
            Consent.objects.filter(pk__in=pks)
            .select_related("organisation", "recorded_by")
            .only(
                "purpose",
                "scope",
                "legal_basis",
                "given_at",
                "given_by",
                "withdrawn_at",
                "organisation__name",
                *_user_name("recorded_by"),
            )
        ),
        "register_change": lambda pks: RegisterChange.objects.filter(pk__in=pks),
        "referral": lambda pks: (
            Referral.objects.filter(pk__in=pks)
            .select_related("organisation", "service", "referred_by")
            .only(
                "status",
                "created_at",
                "outcome",
                "question_id",
                "organisation__name",
                "service__name",
                *_user_name("referred_by"),
            )
        ),
        "wmo": lambda pks: (
            WmoStatusChange.objects.filter(pk__in=pks)
            .select_related("report", "report__consultant", "changed_by")
            .prefetch_related("report__support_requests")
        ),
    }
    objects: dict[tuple[str, int], Any] = {}
    for kind in {kind for _, kind, _ in window}:
        pks = [pk for _, k, pk in window if k == kind]
        for obj in loaders[kind](pks):
            objects[(kind, obj.pk)] = obj
    entries = [TimelineEntry(kind, when, objects[(kind, pk)]) for when, kind, pk in window]
    return TimelinePage(entries, page, page > 1, len(keys) > start + page_size)


def question_get(*, viewer, pk: int) -> Question:
    return get_visible_or_404(
        Question.objects.select_related(
            "contact", "resident", "assigned_to", "contact__desk"
        ).prefetch_related("domains"),
        viewer,
        pk=pk,
    )


def _question_list(viewer) -> QuerySet[Question]:
    return (
        Question.objects.visible_to(viewer)
        .select_related("resident", "contact", "assigned_to")
        .prefetch_related(Prefetch("domains", queryset=LifeDomain.objects.order_by("position")))
    )


def my_open_questions(*, viewer) -> QuerySet[Question]:
    return _question_list(viewer).open().filter(assigned_to=viewer).order_by("created_at")


def my_follow_ups(*, viewer) -> QuerySet[FollowUp]:
    """Planned follow-ups of the viewer, overdue first (oldest due date first)."""
    return (
        FollowUp.objects.filter(
            assigned_to=viewer,
            status=FollowUp.Status.PLANNED,
            question__in=Question.objects.visible_to(viewer).values("pk"),
        )
        .select_related("question", "question__resident")
        .order_by("due_date", "pk")
    )


def desk_open_questions(*, viewer) -> QuerySet[Question]:
    """Open questions of the viewer's desks, the longest waiting first."""
    return _question_list(viewer).open().order_by("created_at")


def closed_today(*, viewer) -> QuerySet[Question]:
    today = timezone.localdate()
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return (
        _question_list(viewer)
        .filter(status=Question.Status.CLOSED, closed_at__gte=start)
        .order_by("-closed_at")
    )
