"""Reads of Wmo reports: who sees what, the work lists (order and query counts), the
coordinator's overview, the colour of a deadline, and the monthly figures against numbers
worked out by hand."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.http import Http404

from schakelpunt.wmo.models import WmoReport
from schakelpunt.wmo.selectors import (
    deadline_state,
    my_wmo_reports,
    team_wmo_reports,
    wmo_figures,
    wmo_overview,
    wmo_report_get,
    wmo_report_status_get,
)
from tests.accounts.factories import UserFactory
from tests.organisations.factories import DeskFactory, MunicipalityFactory
from tests.wmo.factories import WmoReportFactory, WmoSupportRequestFactory

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = datetime.date
S = WmoReport.Status


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=AMS), tick=False)


@pytest.fixture
def other_desk(db):
    return DeskFactory(name="Loket Elders")


@pytest.fixture
def ours(desk):
    return WmoReportFactory(desk=desk)


@pytest.fixture
def theirs(other_desk):
    return WmoReportFactory(desk=other_desk)


# --- Visibility per role ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Consulent", "Coördinator"])
def test_consultants_see_their_desk_s_reports_whole(user_for, role, ours, theirs):
    viewer = user_for(role)
    assert wmo_report_get(viewer=viewer, pk=ours.pk) == ours
    assert wmo_report_status_get(viewer=viewer, pk=ours.pk) == ours
    with pytest.raises(Http404):
        wmo_report_get(viewer=viewer, pk=theirs.pk)
    with pytest.raises(Http404):
        wmo_report_status_get(viewer=viewer, pk=theirs.pk)
    with pytest.raises(Http404):
        wmo_report_get(viewer=viewer, pk=theirs.pk + 1000)  # missing looks the same


def test_a_consultant_sees_a_report_of_another_desk_assigned_to_them(user_for, other_desk):
    viewer = user_for("Consulent")
    report = WmoReportFactory(desk=other_desk, investigation=True, consultant=viewer)
    assert wmo_report_get(viewer=viewer, pk=report.pk) == report
    assert list(my_wmo_reports(viewer=viewer)) == [report]
    assert list(team_wmo_reports(viewer=viewer)) == []  # not their team's


@pytest.mark.parametrize("role", ["Frontoffice", "Vrijwilliger"])
def test_front_office_sees_the_status_only(user_for, role, ours, theirs):
    viewer = user_for(role)
    with pytest.raises(Http404):
        wmo_report_get(viewer=viewer, pk=ours.pk)
    status = wmo_report_status_get(viewer=viewer, pk=ours.pk)
    assert (status.pk, status.status, status.due_investigation) == (
        ours.pk,
        S.REPORTED,
        ours.due_investigation,
    )
    assert {"summary", "conversation_report", "decision_note"} <= status.get_deferred_fields()
    with pytest.raises(Http404):
        wmo_report_status_get(viewer=viewer, pk=theirs.pk)
    assert list(my_wmo_reports(viewer=viewer)) == []
    assert list(team_wmo_reports(viewer=viewer)) == []


@pytest.mark.parametrize(
    "role", ["Partner", "Beleidsmedewerker", "Privacyfunctionaris", "Functioneel beheerder"]
)
def test_other_roles_see_nothing(user_for, role, ours):
    viewer = user_for(role)
    for get in (wmo_report_get, wmo_report_status_get):
        with pytest.raises(Http404):
            get(viewer=viewer, pk=ours.pk)
    assert list(my_wmo_reports(viewer=viewer)) == []
    assert list(team_wmo_reports(viewer=viewer)) == []
    assert wmo_overview(viewer=viewer)["totals"]["count"] == 0
    assert [
        row["reports"] for row in wmo_figures(viewer=viewer, start=ours.reported_on, end=ours.reported_on)
    ] == [0]


def test_inactive_users_see_nothing(user_for, ours):
    viewer = user_for("Consulent", is_active=False)
    with pytest.raises(Http404):
        wmo_report_status_get(viewer=viewer, pk=ours.pk)


# --- Work lists -------------------------------------------------------------------------------


def test_my_reports_are_open_ones_by_the_running_deadline(user_for, desk):
    viewer = user_for("Consulent")
    today = D(2026, 4, 14)
    with at(today):
        later = WmoReportFactory(
            desk=desk, investigation=True, consultant=viewer, due_investigation=D(2026, 5, 1)
        )
        decided = WmoReportFactory(desk=desk, decided=True, consultant=viewer)  # no running deadline: last
        sooner = WmoReportFactory(
            desk=desk,
            application=True,
            consultant=viewer,
            reported_on=D(2026, 3, 1),
            due_decision=D(2026, 4, 20),
        )
        WmoReportFactory(desk=desk, closed=True, consultant=viewer)
        WmoReportFactory(desk=desk, investigation=True)  # a colleague's
        reports = list(my_wmo_reports(viewer=viewer))
    assert reports == [sooner, later, decided]
    assert [r.current_due for r in reports] == [D(2026, 4, 20), D(2026, 5, 1), None]


def test_team_reports_unassigned_first_then_by_deadline(user_for, desk, other_desk):
    viewer = user_for("Coördinator")
    colleague = user_for("Consulent")
    assigned_soon = WmoReportFactory(
        desk=desk, investigation=True, consultant=colleague, due_investigation=D(2026, 4, 1)
    )
    unassigned_late = WmoReportFactory(desk=desk, due_investigation=D(2026, 5, 1))
    unassigned_soon = WmoReportFactory(desk=desk, due_investigation=D(2026, 4, 20))
    WmoReportFactory(desk=desk, withdrawn=True)
    WmoReportFactory(desk=other_desk)
    assert list(team_wmo_reports(viewer=viewer)) == [unassigned_soon, unassigned_late, assigned_soon]


@pytest.mark.parametrize("count", [1, 20])
def test_work_lists_take_a_constant_number_of_queries(user_for, desk, count, django_assert_num_queries):
    viewer = user_for("Consulent")
    for _ in range(count):
        WmoReportFactory(
            desk=desk, investigation=True, consultant=viewer, support_types=["household", "aids"]
        )
    viewer.has_perm("wmo.view_wmoreport")  # the permission cache is filled once per request
    for selector in (my_wmo_reports, team_wmo_reports):
        # Two queries: the reports with their resident, desk and consultant (visibility and the
        # viewer's desks are subqueries), and the support asked for, prefetched.
        with django_assert_num_queries(2):
            rows = [
                (
                    r.resident.surname,
                    r.desk.name,
                    r.consultant.username,
                    [s.support_type for s in r.support_requests.all()],
                )
                for r in selector(viewer=viewer)
            ]
        assert len(rows) == count


def test_report_get_takes_a_constant_number_of_queries(user_for, desk, django_assert_num_queries):
    viewer = user_for("Consulent")
    report = WmoReportFactory(desk=desk, decided=True, support_types=["household", "aids"])
    viewer.has_perm("wmo.view_wmoreport")
    # The report with its resident, desk, people and question; then support, suspensions and
    # status history (with who changed it), prefetched.
    with django_assert_num_queries(4):
        got = wmo_report_get(viewer=viewer, pk=report.pk)
        shown = [
            [row.changed_by for row in got.status_history.all()],
            list(got.support_requests.all()),
            list(got.suspensions.all()),
            (got.resident.municipality, got.desk.name, got.registered_by.username),
        ]
    assert len(shown[1]) == 2


# --- Deadline colours and the overview --------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "suspended", "expected"),
    [
        (S.INVESTIGATION, D(2026, 4, 13), False, "overdue"),
        (S.INVESTIGATION, D(2026, 4, 14), False, "due_this_week"),  # the last day itself
        (S.REPORTED, D(2026, 4, 20), False, "due_this_week"),  # six days ahead
        (S.REPORTED, D(2026, 4, 21), False, "ok"),  # seven days ahead
        (S.INVESTIGATION, D(2026, 4, 1), True, None),  # suspended: the deadline does not run
        (S.DECIDED, D(2026, 4, 1), False, None),
        (S.CLOSED, D(2026, 4, 1), False, None),
    ],
)
def test_deadline_state(status, due, suspended, expected):
    report = WmoReport(
        status=status, due_investigation=due, suspended_since=D(2026, 4, 1) if suspended else None
    )
    assert deadline_state(report, today=D(2026, 4, 14)) == expected


def test_deadline_state_of_an_application_follows_the_decision_deadline():
    report = WmoReport(status=S.APPLICATION, due_investigation=D(2026, 1, 1), due_decision=D(2026, 4, 30))
    assert deadline_state(report, today=D(2026, 4, 14)) == "ok"
    with at(D(2026, 5, 1)):
        assert deadline_state(report) == "overdue"


def test_overview_counts_open_reports_per_phase(user_for, desk, other_desk):
    viewer = user_for("Coördinator")
    today = D(2026, 4, 14)
    with at(today):
        WmoReportFactory(desk=desk, reported_on=D(2026, 3, 2), due_investigation=D(2026, 4, 13))  # overdue
        WmoReportFactory(desk=desk, reported_on=D(2026, 4, 4), due_investigation=D(2026, 4, 16))  # this week
        WmoReportFactory(
            desk=desk, investigation=True, reported_on=D(2026, 3, 19), due_investigation=D(2026, 4, 30)
        )  # ok
        WmoReportFactory(desk=desk, application=True, reported_on=D(2026, 3, 1), due_decision=D(2026, 4, 10))
        WmoReportFactory(
            desk=desk,
            application=True,
            reported_on=D(2026, 3, 1),
            due_decision=D(2026, 4, 10),
            suspended_since=D(2026, 4, 8),
        )
        WmoReportFactory(desk=desk, decided=True, reported_on=D(2026, 2, 1))
        WmoReportFactory(desk=desk, closed=True)
        WmoReportFactory(desk=other_desk, reported_on=D(2026, 3, 2), due_investigation=D(2026, 4, 13))
        overview = wmo_overview(viewer=viewer)
    phases = {row["status"]: row for row in overview["phases"]}
    assert list(phases) == [S.REPORTED, S.INVESTIGATION, S.APPLICATION, S.DECIDED, S.CIZ]
    reported = phases[S.REPORTED]
    assert (reported["count"], reported["overdue"], reported["due_this_week"], reported["unassigned"]) == (
        2,
        1,
        1,
        2,
    )
    assert reported["oldest_reported_on"] == D(2026, 3, 2)
    assert reported["average_age_days"] == (43 + 10) / 2  # days since 2 March and since 4 April
    investigation = phases[S.INVESTIGATION]
    assert (investigation["count"], investigation["overdue"], investigation["due_this_week"]) == (1, 0, 0)
    assert investigation["average_age_days"] == 26.0
    application = phases[S.APPLICATION]
    assert (application["count"], application["overdue"], application["suspended"]) == (2, 1, 1)
    assert phases[S.DECIDED]["count"] == 1
    assert phases[S.DECIDED]["overdue"] == 0
    assert phases[S.CIZ] == {
        "status": S.CIZ,
        "label": S.CIZ.label,
        "count": 0,
        "overdue": 0,
        "due_this_week": 0,
        "suspended": 0,
        "unassigned": 0,
        "oldest_reported_on": None,
        "average_age_days": None,
        "average_days_in_phase": None,
    }
    assert overview["totals"] == {
        "count": 6,
        "overdue": 2,
        "due_this_week": 1,
        "suspended": 1,
        "unassigned": 2,
    }


def test_overview_is_one_query(user_for, desk, django_assert_num_queries):
    viewer = user_for("Coördinator")
    for trait in ("investigation", "application", "decided", "ciz"):
        WmoReportFactory(desk=desk, **{trait: True})
    viewer.has_perm("wmo.view_wmoreport")
    with django_assert_num_queries(1):  # one grouped aggregate over the visible open reports
        wmo_overview(viewer=viewer)


# --- Monthly figures --------------------------------------------------------------------------


@pytest.fixture
def figures_set(desk, other_desk):
    """A small fixed set; the expected figures are worked out by hand in the tests below.

    ====  ==========  ===========  ==================  ==========  ===========  =========
    name  reported    started      completed (due)     applied     decided      status
    ====  ==========  ===========  ==================  ==========  ===========  =========
    R1    2 March     4 March      20 March (13 Apr)   20 March    27 March     decided
    R2    5 March     9 March      24 April (16 Apr)   –           –            CIZ
    R3    16 March    18 March     – (28 April)        –           –            investig.
    R4    20 March    –            –                   –           –            withdrawn
    R5    1 April     1 April      10 April (13 May)   –           –            closed
    R6    10 Feb      12 Feb       3 March (24 March)  3 March     17 April     decided
    R7    3 March     other desk: not visible to the viewer
    ====  ==========  ===========  ==================  ==========  ===========  =========
    """

    def report(**kwargs):
        return WmoReportFactory(desk=kwargs.pop("desk", desk), support_types=[], **kwargs)

    r1 = report(
        status=S.DECIDED,
        reported_on=D(2026, 3, 2),
        investigation_started_on=D(2026, 3, 4),
        investigation_completed_on=D(2026, 3, 20),
        application_received_on=D(2026, 3, 20),
        decided_on=D(2026, 3, 27),
        decision=WmoReport.Decision.PARTLY,
        decision_note="Hulp bij het huishouden ja, traplift nee.",
    )
    WmoSupportRequestFactory(report=r1, support_type="household", decision="granted")
    WmoSupportRequestFactory(report=r1, support_type="aids", decision="refused")
    report(
        status=S.CIZ,
        reported_on=D(2026, 3, 5),
        investigation_started_on=D(2026, 3, 9),
        investigation_completed_on=D(2026, 4, 24),
        ciz_referred_on=D(2026, 4, 24),
    )
    report(status=S.INVESTIGATION, reported_on=D(2026, 3, 16), investigation_started_on=D(2026, 3, 18))
    report(status=S.WITHDRAWN, reported_on=D(2026, 3, 20), closed_on=D(2026, 3, 25))
    report(
        status=S.CLOSED,
        reported_on=D(2026, 4, 1),
        investigation_started_on=D(2026, 4, 1),
        investigation_completed_on=D(2026, 4, 10),
        closed_on=D(2026, 4, 10),
        close_reason=WmoReport.CloseReason.NO_APPLICATION,
    )
    r6 = report(
        status=S.DECIDED,
        reported_on=D(2026, 2, 10),
        investigation_started_on=D(2026, 2, 12),
        investigation_completed_on=D(2026, 3, 3),
        application_received_on=D(2026, 3, 3),
        decided_on=D(2026, 4, 17),
        decision=WmoReport.Decision.PARTLY,
        decision_note="Gedeeltelijk.",
    )
    WmoSupportRequestFactory(report=r6, support_type="household", decision="partly")
    r7 = report(
        desk=other_desk,
        status=S.DECIDED,
        reported_on=D(2026, 3, 3),
        investigation_started_on=D(2026, 3, 3),
        investigation_completed_on=D(2026, 3, 4),
        application_received_on=D(2026, 3, 4),
        decided_on=D(2026, 3, 5),
        decision=WmoReport.Decision.GRANTED,
        decision_note="Toegekend.",
    )
    WmoSupportRequestFactory(report=r7, support_type="transport", decision="granted")
    return desk


def no_outcome(**counts):
    return {"granted": 0, "partly": 0, "refused": 0, **counts}


def test_figures_against_hand_computed_values(user_for, figures_set):
    viewer = user_for("Coördinator")
    march, april = wmo_figures(viewer=viewer, start=D(2026, 3, 10), end=D(2026, 4, 2), today=D(2026, 6, 1))
    assert march == {
        "month": D(2026, 3, 1),
        "reports": 4,  # R1-R4 (R6 was in February, R7 is another desk's)
        # Completed in March: R1 (20 March, due 13 April) and R6 (3 March, due 24 March).
        "investigations_assessed": 2,
        "investigations_in_time": 2,
        "share_in_time": 1.0,
        "lead_time_days": {
            "to_investigation": round((2 + 4 + 2) / 3, 1),  # R1, R2, R3 started in March
            "investigation": (16 + 19) / 2,  # R1: 4→20 March; R6: 12 Feb→3 March
            "decision": 7.0,  # R1: 20→27 March
        },
        "outcomes": {"aids": no_outcome(refused=1), "household": no_outcome(granted=1)},
    }
    assert april == {
        "month": D(2026, 4, 1),
        "reports": 1,  # R5
        # Completed in April: R2 (24 April, due 16 April: late) and R5 (10 April, due 13 May);
        # still running past its deadline of 28 April: R3 (late). R4 was withdrawn: not assessed.
        "investigations_assessed": 3,
        "investigations_in_time": 1,
        "share_in_time": 1 / 3,
        "lead_time_days": {
            "to_investigation": 0.0,  # R5 started the day it was reported
            "investigation": (46 + 9) / 2,  # R2: 9 March→24 April; R5: 1→10 April
            "decision": 45.0,  # R6: 3 March→17 April
        },
        "outcomes": {"household": no_outcome(partly=1)},
    }


def test_a_running_investigation_counts_only_once_its_deadline_has_passed(user_for, figures_set):
    viewer = user_for("Coördinator")
    _march, april = wmo_figures(viewer=viewer, start=D(2026, 3, 1), end=D(2026, 4, 30), today=D(2026, 4, 28))
    assert (april["investigations_assessed"], april["investigations_in_time"]) == (2, 1)  # R3 not yet late


def test_figures_filter_by_desk_and_municipality(user_for, figures_set, other_desk):
    viewer = user_for("Coördinator", desks=[figures_set, other_desk])
    everything = wmo_figures(viewer=viewer, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 6, 1))
    assert everything[0]["reports"] == 5  # R7 included now
    assert everything[0]["outcomes"]["transport"] == no_outcome(granted=1)
    ours = wmo_figures(
        viewer=viewer, start=D(2026, 3, 1), end=D(2026, 3, 31), desks=[figures_set], today=D(2026, 6, 1)
    )
    assert ours[0]["reports"] == 4
    elsewhere = wmo_figures(
        viewer=viewer,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        municipality=MunicipalityFactory(),
        today=D(2026, 6, 1),
    )
    assert elsewhere[0]["reports"] == 0
    assert elsewhere[0]["share_in_time"] is None
    assert elsewhere[0]["lead_time_days"] == {
        "to_investigation": None,
        "investigation": None,
        "decision": None,
    }


def test_figures_have_a_row_for_every_month_even_empty_ones(user_for, figures_set):
    viewer = user_for("Coördinator")
    rows = wmo_figures(viewer=viewer, start=D(2025, 12, 15), end=D(2026, 2, 1), today=D(2026, 6, 1))
    assert [row["month"] for row in rows] == [D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert [row["reports"] for row in rows] == [0, 0, 1]  # R6


def test_figures_take_a_constant_number_of_queries(user_for, figures_set, django_assert_num_queries):
    viewer = user_for("Coördinator")
    viewer.has_perm("wmo.view_wmoreport")
    # One grouped query each: reports, completed investigations, late running ones, started
    # investigations, decisions, outcomes per support type.
    with django_assert_num_queries(6):
        wmo_figures(viewer=viewer, start=D(2025, 1, 1), end=D(2026, 12, 31), today=D(2026, 6, 1))


def test_figures_for_someone_assigned_across_desks(user_for, other_desk):
    """The viewer sees the reports assigned to them at another desk in their figures too."""
    viewer = user_for("Consulent")
    WmoReportFactory(desk=other_desk, investigation=True, consultant=viewer, reported_on=D(2026, 3, 3))
    rows = wmo_figures(viewer=viewer, start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 6, 1))
    assert rows[0]["reports"] == 1


def test_viewer_without_desks_sees_no_figures(db, figures_set):
    viewer = UserFactory(role="Coördinator")
    assert wmo_figures(viewer=viewer, start=D(2026, 3, 1), end=D(2026, 3, 31))[0]["reports"] == 0
