"""The daily reminder run: WMO_REMINDER_DAYS days before each deadline and once when it has
passed, each at most once per due date, again for a moved deadline, never for closed or
suspended reports; and the task and command that start it."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from schakelpunt.wmo.models import WmoReminder, WmoReport
from schakelpunt.wmo.services import (
    wmo_report_resume,
    wmo_report_suspend,
    wmo_reports_send_reminders,
)
from schakelpunt.wmo.tasks import send_reminders
from tests.wmo.factories import WmoReportFactory

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date
REPORTED_ON = D(2026, 3, 2)  # Monday: personal plan 9 March, investigation 13 April
K = WmoReminder.Kind


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, tzinfo=AMS), tick=False)


@pytest.fixture(autouse=True)
def _reminder_days(settings):
    settings.WMO_REMINDER_DAYS = ["5", "1"]  # as read from the environment: strings


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent", email="consulent@loket.example")


@pytest.fixture
def report(consultant):
    with at(REPORTED_ON):
        return WmoReportFactory(
            investigation=True,
            desk=consultant.desks.first(),
            consultant=consultant,
            reported_on=REPORTED_ON,
        )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(day)``: the daily run on ``day``; returns the counts and the mails it sent."""

    def run(day: datetime.date):
        mail.outbox.clear()
        with at(day), django_capture_on_commit_callbacks(execute=True):
            counts = wmo_reports_send_reminders()
        return counts, list(mail.outbox)

    return run


def sent(report) -> list[tuple]:
    return list(
        report.reminders.order_by("due", "kind", "-days_before").values_list("kind", "due", "days_before")
    )


def test_personal_plan_and_investigation_reminders_on_their_days(report, run):
    assert run(D(2026, 3, 3))[1] == []  # personal plan due 9 March: 6 days ahead
    counts, mails = run(D(2026, 3, 4))  # 5 days before
    assert counts == {"candidates": 1, "reminded": 1, "overdue": 0}
    assert [m.to for m in mails] == [["consulent@loket.example"]]
    assert "Persoonlijk plan uiterlijk 09-03-2026" in mails[0].body
    assert run(D(2026, 3, 4))[1] == []  # once only
    assert run(D(2026, 3, 5))[1] == []
    assert len(run(D(2026, 3, 8))[1]) == 1  # 1 day before
    assert run(D(2026, 3, 10))[1] == []  # the personal plan window is the resident's: no overdue mail
    assert run(D(2026, 4, 7))[1] == []
    mails = run(D(2026, 4, 8))[1]  # investigation due 13 April: 5 days before
    assert "Onderzoek uiterlijk 13-04-2026" in mails[0].body
    assert len(run(D(2026, 4, 12))[1]) == 1
    assert sent(report) == [
        (K.PERSONAL_PLAN, D(2026, 3, 9), 5),
        (K.PERSONAL_PLAN, D(2026, 3, 9), 1),
        (K.INVESTIGATION, D(2026, 4, 13), 5),
        (K.INVESTIGATION, D(2026, 4, 13), 1),
    ]


def test_overdue_mail_is_sent_once(report, run):
    counts, mails = run(D(2026, 4, 14))
    assert counts["overdue"] == 1
    assert len(mails) == 1
    assert mails[0].subject == "Termijn verstreken: Wmo-meldingen"
    assert "Onderzoek uiterlijk 13-04-2026" in mails[0].body
    assert run(D(2026, 4, 15))[1] == []
    assert run(D(2026, 5, 1))[1] == []
    assert (K.OVERDUE, D(2026, 4, 13), 0) in sent(report)


def test_the_last_day_is_not_overdue(report, run):
    counts, _mails = run(D(2026, 4, 13))
    assert counts["overdue"] == 0


def test_a_missed_run_catches_up_with_one_mail(report, run):
    mails = run(D(2026, 4, 12))[1]  # no run on 8 April: both reminders are due
    assert len([m for m in mails if "Onderzoek" in m.body]) == 1
    assert (K.INVESTIGATION, D(2026, 4, 13), 5) in sent(report)
    assert (K.INVESTIGATION, D(2026, 4, 13), 1) in sent(report)


def test_a_moved_deadline_gets_its_own_reminders(report, consultant, run):
    assert len(run(D(2026, 4, 8))[1]) == 1  # 5 days before 13 April
    with at(D(2026, 4, 9)):
        wmo_report_suspend(acting_user=consultant, report=report, reason="information")
    assert run(D(2026, 4, 12))[1] == []  # suspended: nothing
    assert run(D(2026, 4, 14))[1] == []  # not overdue while suspended
    with at(D(2026, 4, 19)):
        wmo_report_resume(acting_user=consultant, report=report)
    report.refresh_from_db()
    assert report.due_investigation == D(2026, 4, 23)
    mails = run(D(2026, 4, 19))[1]  # 23 April is 4 days away: the 5-day reminder, late
    assert len(mails) == 1
    assert "Onderzoek uiterlijk 23-04-2026" in mails[0].body
    assert len(run(D(2026, 4, 22))[1]) == 1
    assert len(run(D(2026, 4, 24))[1]) == 1  # overdue
    assert [row for row in sent(report) if row[0] != K.PERSONAL_PLAN] == [
        (K.INVESTIGATION, D(2026, 4, 13), 5),
        (K.INVESTIGATION, D(2026, 4, 23), 5),
        (K.INVESTIGATION, D(2026, 4, 23), 1),
        (K.OVERDUE, D(2026, 4, 23), 0),
    ]


def test_decision_reminders_and_overdue(consultant, run):
    with at(D(2026, 12, 11)):
        report = WmoReportFactory(
            application=True,
            desk=consultant.desks.first(),
            consultant=consultant,
            reported_on=D(2026, 11, 20),
        )
    assert report.due_decision == D(2026, 12, 28)  # received 11 December
    assert run(D(2026, 12, 22))[1] == []
    assert "Besluit uiterlijk 28-12-2026" in run(D(2026, 12, 23))[1][0].body
    assert len(run(D(2026, 12, 27))[1]) == 1
    assert len(run(D(2026, 12, 29))[1]) == 1
    assert sent(report) == [
        (K.DECISION, D(2026, 12, 28), 5),
        (K.DECISION, D(2026, 12, 28), 1),
        (K.OVERDUE, D(2026, 12, 28), 0),
    ]


@pytest.mark.parametrize("trait", ["decided", "ciz", "closed", "withdrawn"])
def test_reports_without_a_running_deadline_get_nothing(consultant, run, trait):
    with at(REPORTED_ON):
        report = WmoReportFactory(
            **{trait: True}, desk=consultant.desks.first(), consultant=consultant, reported_on=REPORTED_ON
        )
    for day in (D(2026, 3, 4), D(2026, 3, 8), D(2026, 4, 8), D(2026, 4, 12), D(2026, 4, 14), D(2026, 5, 20)):
        assert run(day)[1] == []
    assert not report.reminders.exists()


def test_closed_report_gets_nothing_even_after_reminders_before(report, consultant, run):
    run(D(2026, 4, 8))
    WmoReport.objects.filter(pk=report.pk).update(status=WmoReport.Status.WITHDRAWN)
    assert run(D(2026, 4, 12))[1] == []
    assert run(D(2026, 4, 14))[1] == []


def test_unassigned_reports_go_to_the_desk_s_team(user_for, run):
    team = [user_for("Consulent", email=f"consulent{n}@loket.example") for n in (1, 2)]
    user_for("Coördinator", email="coordinator@loket.example")
    user_for("Frontoffice", email="balie@loket.example")  # does not work reports
    user_for("Consulent", email="weg@loket.example", is_active=False)
    user_for("Consulent", email="")
    with at(REPORTED_ON):
        WmoReportFactory(desk=team[0].desks.first(), reported_on=REPORTED_ON)
    mails = run(D(2026, 3, 4))[1]
    assert sorted(m.to[0] for m in mails) == [
        "consulent1@loket.example",
        "consulent2@loket.example",
        "coordinator@loket.example",
    ]


def test_one_mail_per_consultant_listing_their_reports(consultant, run):
    with at(REPORTED_ON):
        reports = [
            WmoReportFactory(
                investigation=True,
                desk=consultant.desks.first(),
                consultant=consultant,
                reported_on=REPORTED_ON,
            )
            for _ in range(3)
        ]
    mails = run(D(2026, 4, 8))[1]
    assert len(mails) == 1
    for report in reports:
        assert f"Wmo-melding {report.pk} (In onderzoek)" in mails[0].body


def test_reminder_mail_has_no_resident_data(report, run):
    message = run(D(2026, 4, 8))[1][0]
    text = message.subject + message.body
    assert report.resident.surname not in text
    assert report.resident.street not in text
    assert report.summary not in text
    assert f"/wmo/{report.pk}/" in text


def test_no_reminder_days_configured_leaves_only_the_overdue_mail(report, run, settings):
    settings.WMO_REMINDER_DAYS = []
    assert run(D(2026, 4, 12))[1] == []
    assert len(run(D(2026, 4, 14))[1]) == 1


def test_command_runs_the_reminders(report, capsys):
    with at(D(2026, 4, 8)):
        call_command("wmo_send_reminders")
    assert "herinnerd: 1" in capsys.readouterr().out
    assert report.reminders.filter(kind=K.INVESTIGATION).exists()


def test_command_enqueues_the_task(report, capsys):
    # The test settings use the immediate task backend: the task runs at once.
    with at(D(2026, 4, 8)):
        call_command("wmo_send_reminders", "--enqueue")
    assert "Taak in de wachtrij" in capsys.readouterr().out
    assert report.reminders.filter(kind=K.INVESTIGATION).exists()


def test_task_returns_the_counts(report):
    with at(D(2026, 4, 14)):
        result = send_reminders.enqueue()
    assert result.return_value == {"candidates": 1, "reminded": 0, "overdue": 1}
