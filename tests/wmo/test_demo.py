import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from schakelpunt.contacts import demo as contacts_demo
from schakelpunt.contacts.models import Question
from schakelpunt.residents import demo as residents_demo
from schakelpunt.wmo import workflow
from schakelpunt.wmo.models import (
    SupportTrajectory,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)

pytestmark = pytest.mark.django_db

S = WmoReport.Status


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    monkeypatch.setattr(residents_demo, "RESIDENTS", 400)
    monkeypatch.setattr(contacts_demo, "CONTACTS", 1500)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (WmoReport, WmoStatusChange, WmoSupportRequest, WmoSuspension, SupportTrajectory)
    )


# A day on which chance suspended none of the small demo's few running investigations.
@time_machine.travel(datetime.datetime(2026, 11, 25, 0, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")))
def test_demo_reports_cover_every_phase_and_load_once():
    call_command("demo_data")
    before = counts()
    reports = WmoReport.objects.select_related("consultant", "question", "resident")
    today = timezone.localdate()
    assert set(reports.values_list("status", flat=True)) == set(S.values)
    assert sum(1 for report in reports if report.is_overdue(today)) >= 3
    assert reports.filter(suspended_since__isnull=False).exists()
    assert reports.filter(investigation_suspended_days__gt=0).exists()
    assert SupportTrajectory.objects.filter(report__client_support_accepted=True).exists()
    assert {report.consultant.username for report in reports if report.consultant} == {
        "consulent",
        "coordinator",
    }
    assert reports.filter(status=S.REPORTED, consultant__isnull=True).exists()
    # Made from the demo's questions with the outcome "Wmo-melding", at the Enschede desk.
    assert not reports.exclude(question__outcome=Question.Outcome.WMO_REPORT).exists()
    assert set(reports.values_list("desk__slug", flat=True)) == {"zorgloket-enschede"}
    # Consistent with the rules: every report is valid, its status rows follow the workflow and
    # end in its status, dates never lie in the future, and a running suspension is recorded.
    for report in reports.prefetch_related("status_history", "support_requests", "suspensions"):
        report.full_clean()
        history = list(report.status_history.all())
        assert history[0].to_status == S.REPORTED and history[-1].to_status == report.status
        for row in history[1:]:
            assert workflow.allowed(row.from_status, row.to_status), (row.from_status, row.to_status)
        assert [row.changed_at for row in history] == sorted(row.changed_at for row in history)
        assert history[-1].changed_at == report.status_changed_at
        for day in (
            report.reported_on,
            report.conversation_on,
            report.application_received_on,
            report.decided_on,
            report.closed_on,
            report.ciz_outcome_on,
        ):
            assert day is None or day <= today
        assert report.is_suspended == any(s.ended_on is None for s in report.suspensions.all())
        if report.status in (S.DECIDED, S.CLOSED) and report.decided_on:
            assert all(request.decision for request in report.support_requests.all())
        if report.status == S.CLOSED and report.close_reason == WmoReport.CloseReason.CIZ:
            assert report.ciz_outcome in (WmoReport.CizOutcome.GRANTED, WmoReport.CizOutcome.REFUSED)
    call_command("demo_data")
    assert counts() == before
