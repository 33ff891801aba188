"""The Wmo API: who sees what (whole report or status only), filters, the access log, phase
changes, and constant query counts."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from schakelpunt.audit.models import AccessLog
from schakelpunt.wmo.models import WmoReport, WmoStatusChange
from tests.organisations.factories import DeskFactory
from tests.wmo.factories import WmoReportFactory

pytestmark = pytest.mark.django_db

S = WmoReport.Status
LIST = "/api/wmo/reports/"
STATUS_KEYS = {"id", "detail_level", "status", "reported_on", "deadlines", "consultant"}


def detail(report) -> str:
    return f"/api/wmo/reports/{report.pk}/"


def transition(report) -> str:
    return f"/api/wmo/reports/{report.pk}/status/"


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def api():
    def login(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def reports(desk, consultant):
    """Two reports at the consultant's desk, one elsewhere assigned to them, one elsewhere not."""
    elsewhere = DeskFactory()
    return {
        "mine": WmoReportFactory(desk=desk, investigation=True, consultant=consultant),
        "team": WmoReportFactory(desk=desk),
        "assigned_elsewhere": WmoReportFactory(desk=elsewhere, investigation=True, consultant=consultant),
        "hidden": WmoReportFactory(desk=elsewhere),
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_a_consultant_lists_their_desks_and_their_own_reports_in_full(api, consultant, reports):
    response = api(consultant).get(LIST)
    assert response.status_code == 200
    assert ids(response) == {reports[key].pk for key in ("mine", "team", "assigned_elsewhere")}
    row = next(row for row in response.json()["results"] if row["id"] == reports["mine"].pk)
    assert row["detail_level"] == "full"
    assert row["resident"] == {"id": reports["mine"].resident_id, "name": reports["mine"].resident.full_name}
    assert row["summary"] == reports["mine"].summary
    assert row["support_requests"] == [
        {"support_type": "household", "description": "", "decision": "", "decision_note": ""}
    ]
    assert row["consultant"] == {"id": consultant.pk, "name": "Sanne de Vries"}
    assert "bsn" not in str(row)
    log = AccessLog.objects.get(action="search")
    assert (log.object_type, log.user, log.purpose) == ("wmo.wmoreport", consultant, "wmo")


def test_the_front_office_sees_the_status_only_of_their_desks_reports(api, user_for, reports):
    front_office = user_for("Frontoffice")
    response = api(front_office).get(LIST)
    assert response.status_code == 200
    assert ids(response) == {reports["mine"].pk, reports["team"].pk}
    for row in response.json()["results"]:
        assert set(row) == STATUS_KEYS
        assert row["detail_level"] == "status"
    row = next(row for row in response.json()["results"] if row["id"] == reports["mine"].pk)
    report = reports["mine"]
    assert row["deadlines"] == {
        "personal_plan": report.due_personal_plan.isoformat(),
        "investigation": report.due_investigation.isoformat(),
        "decision": None,
        "current": report.due_investigation.isoformat(),
        "state": "ok",
        "suspended_since": None,
    }
    assert row["consultant"]["name"] == "Sanne de Vries"
    one = api(front_office).get(detail(reports["team"]))
    assert one.status_code == 200
    assert set(one.json()) == STATUS_KEYS
    assert api(front_office).get(detail(reports["hidden"])).status_code == 404


def test_detail_in_full_is_logged_as_a_read_for_the_resident(api, consultant, reports):
    report = reports["assigned_elsewhere"]
    response = api(consultant).get(detail(report))
    assert response.status_code == 200
    data = response.json()
    assert data["detail_level"] == "full"
    assert data["version"] == report.version
    assert data["desk"] == report.desk.name
    log = AccessLog.objects.get(action="read")
    assert (log.object_type, log.object_id, log.on_behalf_of) == (
        "wmo.wmoreport",
        str(report.pk),
        f"residents.resident#{report.resident_id}",
    )


def test_what_may_not_be_seen_is_404_and_without_permission_403(api, consultant, user_for, reports):
    assert api(consultant).get(detail(reports["hidden"])).status_code == 404
    assert api(consultant).get("/api/wmo/reports/999999/").status_code == 404
    for role in ("Partner", "Beleidsmedewerker", "Privacyfunctionaris"):
        user = user_for(role)
        assert api(user).get(LIST).status_code == 403, role
        assert api(user).get(detail(reports["mine"])).status_code == 403, role
    assert not AccessLog.objects.filter(action="read", result="success").exists()


def test_filters(api, consultant, desk, reports):
    closed = WmoReportFactory(desk=desk, closed=True, reported_on=datetime.date(2025, 1, 10))
    client = api(consultant)
    assert ids(client.get(LIST, {"status": "investigation"})) == {
        reports["mine"].pk,
        reports["assigned_elsewhere"].pk,
    }
    assert ids(client.get(LIST, {"consultant": "me"})) == {
        reports["mine"].pk,
        reports["assigned_elsewhere"].pk,
    }
    assert closed.pk not in ids(client.get(LIST, {"reported_after": "2025-01-10"}))
    assert closed.pk in ids(client.get(LIST, {"reported_after": "2025-01-09"}))
    assert ids(client.get(LIST, {"open": "false"})) == {closed.pk}
    assert closed.pk not in ids(client.get(LIST, {"open": "true"}))
    resident = reports["team"].resident_id
    assert ids(client.get(LIST, {"resident": resident})) == {reports["team"].pk}
    assert AccessLog.objects.filter(on_behalf_of=f"residents.resident#{resident}", action="search").exists()
    for bad in ({"status": "lost"}, {"consultant": "someone"}, {"reported_after": "gisteren"}):
        response = client.get(LIST, bad)
        assert response.status_code == 400, bad
        assert set(response.json()) == set(bad)


def test_deadline_state_in_the_api(api, consultant, desk):
    with time_machine.travel(datetime.date(2026, 3, 2), tick=False):
        report = WmoReportFactory(desk=desk, investigation=True, consultant=consultant)
    with time_machine.travel(datetime.date(2026, 5, 1), tick=False):
        row = api(consultant).get(detail(report)).json()
    assert row["deadlines"]["investigation"] == "2026-04-13"  # six weeks after 2 March
    assert row["deadlines"]["state"] == "overdue"


def test_phase_changes_through_the_api(api, consultant, desk):
    report = WmoReportFactory(desk=desk)
    client = api(consultant)
    response = client.post(
        transition(report),
        {"to_status": "investigation", "consultant": consultant.pk, "version": report.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["consultant"]["id"], data["detail_level"]) == (
        "investigation",
        consultant.pk,
        "full",
    )
    # A stale version: 409, nothing changed.
    response = client.post(
        transition(report), {"to_status": "withdrawn", "note": "x", "version": 1}, format="json"
    )
    assert response.status_code == 409
    # Not allowed from here: 400 with the reason.
    response = client.post(transition(report), {"to_status": "decided"}, format="json")
    assert response.status_code == 400
    assert "kan niet naar" in str(response.json())
    # Incomplete: 400 per field.
    response = client.post(transition(report), {"to_status": "application"}, format="json")
    assert response.status_code == 400
    assert {"application_received_on", "conversation_on", "conversation_report"} <= set(response.json())
    response = client.post(transition(report), {"to_status": "withdrawn"}, format="json")
    assert set(response.json()) == {"note"}
    report.refresh_from_db()
    assert report.status == S.INVESTIGATION
    assert list(report.status_history.values_list("to_status", flat=True)) == ["reported", "investigation"]


def test_a_decision_per_support_type_through_the_api(api, consultant, desk):
    report = WmoReportFactory(
        desk=desk, application=True, consultant=consultant, support_types=["household", "aids"]
    )
    decisions = [
        {"support_type": "household", "decision": "granted", "what": "Drie uur per week"},
        {"support_type": "aids", "decision": "refused", "what": "Valt onder de Zvw"},
    ]
    response = api(consultant).post(
        transition(report),
        {
            "to_status": "decided",
            "decided_on": report.application_received_on.isoformat(),
            "decision_note": "Hulp bij het huishouden toegekend, traplift niet.",
            "decisions": decisions,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["decision"] == "partly"
    assert [(row["support_type"], row["decision"]) for row in data["support_requests"]] == [
        ("household", "granted"),
        ("aids", "refused"),
    ]
    assert WmoStatusChange.objects.filter(report=report, to_status="decided", changed_by=consultant).exists()
    assert AccessLog.objects.filter(action="change", object_id=str(report.pk)).exists()
    twice = [decisions[0], decisions[0]]
    other = WmoReportFactory(desk=desk, application=True, consultant=consultant)
    response = api(consultant).post(
        transition(other), {"to_status": "decided", "decisions": twice}, format="json"
    )
    assert response.status_code == 400 and "decisions" in response.json()


def test_who_may_not_work_a_report_cannot_change_its_phase(api, user_for, consultant, reports):
    payload = {"to_status": "withdrawn", "note": "Inwoner trekt de melding in."}
    for role in ("Frontoffice", "Vrijwilliger", "Partner"):
        assert (
            api(user_for(role)).post(transition(reports["team"]), payload, format="json").status_code == 403
        )
    assert api(consultant).post(transition(reports["hidden"]), payload, format="json").status_code == 404
    unknown = api(consultant).post(
        transition(reports["team"]), {"to_status": "investigation", "consultant": 999999}, format="json"
    )
    assert unknown.status_code == 400 and "consultant" in unknown.json()
    reports["team"].refresh_from_db()
    assert reports["team"].status == S.REPORTED


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_is_constant_for_consultants(
    api, consultant, desk, django_assert_num_queries, count
):
    WmoReportFactory.create_batch(count, desk=desk, investigation=True, consultant=consultant)
    client = api(consultant)
    # The user's permissions and roles (one query); the count; the page (resident, desk and
    # consultant joined; the user's desks as a subquery); the support requests of the page in one
    # query; the access-log row.
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_is_constant_for_the_front_office(
    api, user_for, desk, django_assert_num_queries, count
):
    WmoReportFactory.create_batch(count, desk=desk, investigation=True)
    client = api(user_for("Frontoffice"))
    # The user's permissions and roles (one query); the count; the page with only the status
    # fields (desk and consultant joined); the access-log row.
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count
