"""Factories for Wmo reports, in every phase as the services leave them.

``WmoReportFactory()`` is a fresh report (status "reported", made today, deadlines written);
traits give the later phases: ``investigation``, ``application``, ``decided``, ``ciz``,
``closed``, ``withdrawn``; ``overdue`` moves the report (and its later dates) far enough into
the past that the deadline of its phase has passed. Each report gets one support request
(household help unless ``support_types=[...]`` is passed) and the status rows of the path
that led to its phase.

Dates follow the report date (``reported_on``, default today) and never lie in the future.
"""

import datetime

import factory
from django.utils import timezone

from schakelpunt.wmo import deadlines
from schakelpunt.wmo.models import (
    SupportTrajectory,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)
from tests.accounts.factories import UserFactory
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory

S = WmoReport.Status

# The path through the workflow that leads to each phase (status rows written by the factory).
PATHS = {
    S.REPORTED: [S.REPORTED],
    S.INVESTIGATION: [S.REPORTED, S.INVESTIGATION],
    S.APPLICATION: [S.REPORTED, S.INVESTIGATION, S.APPLICATION],
    S.DECIDED: [S.REPORTED, S.INVESTIGATION, S.APPLICATION, S.DECIDED],
    S.CIZ: [S.REPORTED, S.INVESTIGATION, S.CIZ],
    S.CLOSED: [S.REPORTED, S.INVESTIGATION, S.APPLICATION, S.DECIDED, S.CLOSED],
    S.WITHDRAWN: [S.REPORTED, S.WITHDRAWN],
}


def _days_after(day: datetime.date, days: int) -> datetime.date:
    """``days`` after ``day``, but never after today."""
    return min(day + datetime.timedelta(days=days), timezone.localdate())


def _consultant(report) -> object:
    return UserFactory(role="Consulent", desks=[report.desk])


class WmoReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WmoReport
        skip_postgeneration_save = True

    desk = factory.SubFactory(DeskFactory)
    resident = factory.SubFactory(ResidentFactory, registered_desk=factory.SelfAttribute("..desk"))
    reported_on = factory.LazyFunction(timezone.localdate)
    reporter = WmoReport.Reporter.RESIDENT
    summary = "Mevrouw kan het huishouden niet meer alleen doen en wil hulp."
    registered_by = factory.LazyAttribute(lambda o: UserFactory(role="Frontoffice", desks=[o.desk]))
    client_support_offered = True
    client_support_accepted = False
    due_personal_plan = factory.LazyAttribute(lambda o: deadlines.personal_plan_deadline(o.reported_on))
    due_investigation = factory.LazyAttribute(lambda o: deadlines.investigation_deadline(o.reported_on))
    due_decision = factory.LazyAttribute(
        lambda o: (
            deadlines.decision_deadline(o.application_received_on) if o.application_received_on else None
        )
    )
    application_received_on = None

    class Params:
        investigation = factory.Trait(
            status=S.INVESTIGATION,
            consultant=factory.LazyAttribute(_consultant),
            investigation_started_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 2)),
        )
        application = factory.Trait(
            status=S.APPLICATION,
            consultant=factory.LazyAttribute(_consultant),
            investigation_started_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 2)),
            conversation_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 7)),
            conversation_report="Gesprek gevoerd met mevrouw en haar dochter; zie de afspraken.",
            application_received_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 21)),
            investigation_completed_on=factory.SelfAttribute("application_received_on"),
        )
        decided = factory.Trait(
            application=True,
            status=S.DECIDED,
            decision=WmoReport.Decision.GRANTED,
            decision_note="Drie uur hulp bij het huishouden per week.",
            decided_on=factory.LazyAttribute(lambda o: _days_after(o.application_received_on, 10)),
        )
        ciz = factory.Trait(
            status=S.CIZ,
            consultant=factory.LazyAttribute(_consultant),
            investigation_started_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 2)),
            conversation_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 7)),
            conversation_report="Langdurige zorg nodig; verwezen naar het CIZ.",
            ciz_referred_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 14)),
            investigation_completed_on=factory.SelfAttribute("ciz_referred_on"),
            ciz_outcome=WmoReport.CizOutcome.PENDING,
        )
        closed = factory.Trait(
            decided=True,
            status=S.CLOSED,
            closed_on=factory.SelfAttribute("decided_on"),
            close_reason=WmoReport.CloseReason.DECIDED,
        )
        withdrawn = factory.Trait(
            status=S.WITHDRAWN,
            closed_on=factory.LazyAttribute(lambda o: _days_after(o.reported_on, 3)),
        )
        # Far enough back that the investigation (6 weeks) and, for an application received
        # three weeks after the report, the decision (2 weeks) deadlines have passed.
        overdue = factory.Trait(
            reported_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=70)),
        )

    @factory.post_generation
    def support_types(self, create, extracted, **kwargs):
        """``support_types=["household", "aids"]`` (``[]`` for none); a decided report gets the
        decision per type."""
        if not create:
            return
        decided = self.status in (S.DECIDED, S.CLOSED) and self.decision
        if extracted is None:
            extracted = [WmoSupportRequest.SupportType.HOUSEHOLD]
        for support_type in extracted:
            WmoSupportRequest.objects.create(
                report=self,
                support_type=support_type,
                description="",
                decision=self.decision if decided else "",
                decision_note=self.decision_note[:300] if decided else "",
            )

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """The status rows of the path to the report's phase (one per move)."""
        if not create:
            return
        previous = ""
        for status in PATHS[self.status]:
            WmoStatusChange.objects.create(
                report=self,
                from_status=previous,
                to_status=status,
                changed_by=self.registered_by
                if status == S.REPORTED
                else (self.consultant or self.registered_by),
            )
            previous = status


class WmoSupportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WmoSupportRequest

    report = factory.SubFactory(WmoReportFactory, support_types=[])
    support_type = WmoSupportRequest.SupportType.AIDS
    description = "Traplift"


class WmoSuspensionFactory(factory.django.DjangoModelFactory):
    """A running suspension; pass ``ended_on`` for an ended one. Does not move the report's
    deadlines: use the services for that."""

    class Meta:
        model = WmoSuspension

    report = factory.SubFactory(WmoReportFactory, investigation=True)
    phase = WmoSuspension.Phase.INVESTIGATION
    reason = WmoSuspension.Reason.INFORMATION
    started_on = factory.LazyFunction(timezone.localdate)
    started_by = factory.LazyAttribute(lambda o: o.report.consultant or o.report.registered_by)


class SupportTrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportTrajectory

    report = factory.SubFactory(WmoReportFactory, client_support_accepted=True)
    resident = factory.SelfAttribute("report.resident")
    requested_on = factory.SelfAttribute("report.reported_on")
