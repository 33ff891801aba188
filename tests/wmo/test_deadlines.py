"""Every statutory deadline rule, through the pure functions and through the services with time
frozen: six weeks, seven days, two weeks, weekends, King's Day, Christmas, 5 May in a year
that is not a lustrum, Good Friday, days equated by royal decree, and suspensions."""

import datetime
import zoneinfo

import pytest
import time_machine

from schakelpunt.wmo import deadlines
from schakelpunt.wmo.models import WmoReport, WmoSuspension
from schakelpunt.wmo.services import (
    wmo_report_create,
    wmo_report_record_investigation,
    wmo_report_resume,
    wmo_report_suspend,
    wmo_report_transition,
)
from tests.residents.factories import ResidentFactory

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date
S = WmoReport.Status


def at(day: datetime.date, hour: int = 10):
    """Freeze the clock on ``day`` (Amsterdam time)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMS), tick=False)


# --- The rules as pure functions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported_on", "expected", "why"),
    [
        (D(2026, 3, 2), D(2026, 4, 13), "six weeks: Monday to Monday"),
        (D(2026, 3, 7), D(2026, 4, 20), "ends on Saturday 18 April: next Monday"),
        (D(2026, 3, 8), D(2026, 4, 20), "ends on Sunday 19 April: next Monday"),
        (D(2026, 3, 16), D(2026, 4, 28), "ends on King's Day (Monday 27 April 2026): Tuesday"),
        (D(2026, 3, 24), D(2026, 5, 6), "ends on 5 May 2026, not a lustrum year: still a holiday"),
        (D(2026, 2, 20), D(2026, 4, 7), "ends on Good Friday 3 April: past Easter Monday to Tuesday"),
        (D(2026, 4, 2), D(2026, 5, 15), "ends on Ascension Day: the Friday after (open unless equated)"),
        (D(2026, 11, 13), D(2026, 12, 28), "ends on Christmas Day: past Boxing Day and the weekend"),
        (D(2026, 11, 20), D(2027, 1, 4), "ends on New Year's Day (Friday): Monday"),
    ],
)
def test_investigation_deadline(reported_on, expected, why):
    assert deadlines.investigation_deadline(reported_on) == expected, why


@pytest.mark.parametrize(
    ("reported_on", "expected"),
    [
        (D(2026, 3, 2), D(2026, 3, 9)),  # seven days, Monday to Monday
        (D(2026, 3, 6), D(2026, 3, 13)),  # Friday to Friday
        (D(2026, 3, 7), D(2026, 3, 16)),  # Saturday to Saturday: Monday
        (D(2026, 4, 20), D(2026, 4, 28)),  # 27 April, King's Day: Tuesday
        (D(2026, 3, 27), D(2026, 4, 7)),  # Good Friday, the weekend and Easter Monday: Tuesday
    ],
)
def test_personal_plan_deadline_is_seven_days(reported_on, expected):
    assert deadlines.personal_plan_deadline(reported_on) == expected


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        (D(2026, 3, 2), D(2026, 3, 16)),  # two weeks
        (D(2026, 12, 11), D(2026, 12, 28)),  # 25 Dec (Fri) → 26 Dec (Sat) → 27 Dec (Sun) → Monday
        (D(2026, 3, 20), D(2026, 4, 7)),  # Good Friday 3 April → Easter Monday 6 April → Tuesday
        (D(2026, 4, 21), D(2026, 5, 6)),  # 5 May 2026 → Wednesday
        (D(2026, 4, 30), D(2026, 5, 15)),  # 14 May is Ascension Day; 15 May counts (not equated)
        (D(2026, 4, 29), D(2026, 5, 13)),  # the Wednesday before: no holiday
        (D(2026, 5, 11), D(2026, 5, 26)),  # Whit Monday 25 May: Tuesday
    ],
)
def test_decision_deadline_is_two_weeks(received_on, expected):
    assert deadlines.decision_deadline(received_on) == expected


def test_king_s_day_moves_to_26_april_when_27_april_is_a_sunday():
    # 2025: 27 April is a Sunday, so King's Day is Saturday 26 April (Wet vaststelling
    # Koningsdag); both are weekend days and the deadline moves to Monday 28 April.
    assert deadlines.is_closed_day(D(2025, 4, 26))
    assert deadlines.investigation_deadline(D(2025, 3, 15)) == D(2025, 4, 28)


def test_5_may_is_a_public_holiday_in_every_year():
    for year in (2025, 2026, 2027, 2029, 2030):
        assert deadlines.is_closed_day(D(year, 5, 5)), year


def test_equated_days_come_from_the_setting(settings):
    friday_after_ascension = D(2026, 5, 15)
    settings.ATW_EQUATED_DAYS = []
    assert deadlines.investigation_deadline(D(2026, 4, 3)) == friday_after_ascension
    settings.ATW_EQUATED_DAYS = ["2026-05-15"]
    assert deadlines.is_closed_day(friday_after_ascension)
    assert deadlines.investigation_deadline(D(2026, 4, 3)) == D(2026, 5, 18)


def test_suspension_days_are_added_before_the_closed_day_rule():
    # 2 March + 42 + 10 days = Thursday 23 April: open.
    assert deadlines.investigation_deadline(D(2026, 3, 2), suspended_days=10) == D(2026, 4, 23)
    # 2 March + 42 + 14 days = Monday 27 April (King's Day): Tuesday.
    assert deadlines.investigation_deadline(D(2026, 3, 2), suspended_days=14) == D(2026, 4, 28)


# --- The rules written onto reports by the services ------------------------------------------


@pytest.fixture
def front(user_for):
    return user_for("Frontoffice")


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent")


@pytest.fixture
def resident(desk):
    return ResidentFactory(registered_desk=desk)


def report_on(day, *, front, desk, resident) -> WmoReport:
    with at(day):
        return wmo_report_create(
            acting_user=front,
            resident=resident,
            desk=desk,
            summary="Hulp bij het huishouden",
            support_types=[("household", "")],
            client_support_offered=True,
        )


def test_report_writes_the_six_weeks_and_the_seven_days(front, desk, resident):
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    assert report.reported_on == D(2026, 3, 2)
    assert report.due_investigation == D(2026, 4, 13)
    assert report.due_personal_plan == D(2026, 3, 9)
    assert report.due_decision is None


@pytest.mark.parametrize(
    ("reported_on", "equated", "investigation", "personal_plan"),
    [
        (D(2026, 3, 7), [], D(2026, 4, 20), D(2026, 3, 16)),  # Saturday: both end on a Saturday
        (D(2026, 3, 8), [], D(2026, 4, 20), D(2026, 3, 16)),  # Sunday: both end on a Sunday
        (D(2026, 3, 24), [], D(2026, 5, 6), D(2026, 3, 31)),  # 5 May 2026 (no lustrum)
        (D(2026, 2, 20), [], D(2026, 4, 7), D(2026, 2, 27)),  # Good Friday, Easter Monday
        (D(2026, 3, 27), [], D(2026, 5, 8), D(2026, 4, 7)),  # personal plan on Good Friday
        (D(2026, 4, 3), [], D(2026, 5, 15), D(2026, 4, 10)),  # Friday after Ascension: open
        (D(2026, 4, 3), ["2026-05-15"], D(2026, 5, 18), D(2026, 4, 10)),  # ... unless equated
        (D(2026, 11, 13), [], D(2026, 12, 28), D(2026, 11, 20)),  # Christmas
    ],
)
def test_report_deadlines_on_closed_days(
    front, desk, resident, settings, reported_on, equated, investigation, personal_plan
):
    settings.ATW_EQUATED_DAYS = equated
    report = report_on(reported_on, front=front, desk=desk, resident=resident)
    assert (report.due_investigation, report.due_personal_plan) == (investigation, personal_plan)


def test_report_on_16_march_2026_ends_after_king_s_day(front, desk, resident):
    report = report_on(D(2026, 3, 16), front=front, desk=desk, resident=resident)
    assert report.due_investigation == D(2026, 4, 28)  # 27 April is King's Day


def test_report_made_later_counts_from_the_date_of_the_report(front, desk, resident):
    with at(D(2026, 3, 20)):
        report = wmo_report_create(
            acting_user=front,
            resident=resident,
            desk=desk,
            summary="Traplift",
            support_types=[("aids", "")],
            client_support_offered=True,
            reported_on=D(2026, 3, 16),
        )
    assert report.due_investigation == D(2026, 4, 28)


def investigate(report, consultant, day):
    with at(day):
        return wmo_report_transition(
            acting_user=consultant, report=report, to_status=S.INVESTIGATION, consultant=consultant
        )


def apply(report, consultant, received_on, day=None):
    with at(day or received_on):
        wmo_report_record_investigation(
            acting_user=consultant,
            report=report,
            conversation_on=report.reported_on,
            conversation_report="Gesprek gevoerd.",
        )
        return wmo_report_transition(
            acting_user=consultant,
            report=report,
            to_status=S.APPLICATION,
            application_received_on=received_on,
        )


def test_application_on_11_december_2026_is_decided_by_28_december(front, consultant, desk, resident):
    report = report_on(D(2026, 11, 30), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 12, 1))
    report = apply(report, consultant, D(2026, 12, 11))
    assert report.application_received_on == D(2026, 12, 11)
    assert report.due_decision == D(2026, 12, 28)  # 25 Dec, 26 Dec (Saturday), 27 Dec (Sunday)


def test_application_received_on_an_earlier_day_counts_from_that_day(front, consultant, desk, resident):
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 3, 3))
    report = apply(report, consultant, D(2026, 3, 20), day=D(2026, 3, 24))
    assert report.due_decision == D(2026, 4, 7)  # Good Friday and Easter Monday


def test_investigation_suspended_ten_days_moves_the_deadline_ten_days(front, consultant, desk, resident):
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    report = investigate(report, consultant, D(2026, 3, 3))
    with at(D(2026, 3, 10)):
        suspension = wmo_report_suspend(
            acting_user=consultant,
            report=report,
            reason=WmoSuspension.Reason.RESIDENT_REQUEST,
            note="Inwoner wil het gesprek na de operatie.",
        )
    assert suspension.phase == WmoSuspension.Phase.INVESTIGATION
    report.refresh_from_db()
    assert report.suspended_since == D(2026, 3, 10)
    assert report.due_investigation == D(2026, 4, 13)  # unchanged while the suspension runs
    with at(D(2026, 3, 20)):
        suspension = wmo_report_resume(acting_user=consultant, report=report)
    assert suspension.days == 10
    report.refresh_from_db()
    assert report.suspended_since is None
    assert report.investigation_suspended_days == 10
    assert report.due_investigation == D(2026, 4, 23)  # 13 April + 10 days
    assert report.due_personal_plan == D(2026, 3, 9)  # not moved


def test_two_suspensions_add_up(front, consultant, desk, resident):
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 3, 3))
    for start, end in ((D(2026, 3, 5), D(2026, 3, 9)), (D(2026, 3, 16), D(2026, 3, 26))):
        with at(end):
            wmo_report_suspend(
                acting_user=consultant,
                report=report,
                reason=WmoSuspension.Reason.INFORMATION,
                started_on=start,
            )
            wmo_report_resume(acting_user=consultant, report=report)
    report.refresh_from_db()
    assert report.investigation_suspended_days == 4 + 10
    # 13 April + 14 days = Monday 27 April, King's Day: Tuesday 28 April.
    assert report.due_investigation == D(2026, 4, 28)


def test_suspension_in_the_decision_phase_moves_the_decision_deadline(front, consultant, desk, resident):
    # Awb 4:15 lid 1 sub a: the municipality asks the applicant to complete the application.
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 3, 3))
    report = apply(report, consultant, D(2026, 3, 16))
    assert report.due_decision == D(2026, 3, 30)
    with at(D(2026, 3, 18)):
        suspension = wmo_report_suspend(
            acting_user=consultant, report=report, reason=WmoSuspension.Reason.INFORMATION
        )
    assert suspension.phase == WmoSuspension.Phase.DECISION
    with at(D(2026, 3, 25)):
        wmo_report_resume(acting_user=consultant, report=report)
    report.refresh_from_db()
    assert report.decision_suspended_days == 7
    assert report.investigation_suspended_days == 0
    assert report.due_decision == D(2026, 4, 7)  # 6 April is Easter Monday
    assert report.due_investigation == D(2026, 4, 13)  # untouched


def test_moving_on_ends_a_running_suspension_of_the_investigation(front, consultant, desk, resident):
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 3, 3))
    with at(D(2026, 3, 10)):
        wmo_report_suspend(acting_user=consultant, report=report, reason=WmoSuspension.Reason.INFORMATION)
    report = apply(report, consultant, D(2026, 3, 13))
    suspension = report.suspensions.get()
    assert suspension.ended_on == D(2026, 3, 13)
    assert report.suspended_since is None
    assert report.investigation_suspended_days == 3
    assert report.due_investigation == D(2026, 4, 16)
    assert report.due_decision == D(2026, 3, 27)  # the new phase's deadline is not suspended


def test_recomputed_deadline_is_deterministic(front, consultant, desk, resident):
    """Resuming twice on the same history gives the same deadline as the sum of the days."""
    report = report_on(D(2026, 3, 2), front=front, desk=desk, resident=resident)
    investigate(report, consultant, D(2026, 3, 3))
    with at(D(2026, 3, 12)):
        wmo_report_suspend(
            acting_user=consultant,
            report=report,
            reason=WmoSuspension.Reason.INFORMATION,
            started_on=D(2026, 3, 4),
        )
        wmo_report_resume(acting_user=consultant, report=report, ended_on=D(2026, 3, 11))
    report.refresh_from_db()
    assert report.due_investigation == deadlines.investigation_deadline(D(2026, 3, 2), suspended_days=7)
