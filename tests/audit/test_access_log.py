import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.audit.services import access_log_record, client_ip

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_when_and_where(user_for, rf: RequestFactory):
    user = user_for("Frontoffice")
    request = rf.get("/", REMOTE_ADDR="192.0.2.10")
    row = access_log_record(
        acting_user=user,
        action=AccessLog.Action.READ,
        object_type="organisations.desk",
        object_id=42,
        request=request,
        purpose="intake",
    )
    row.refresh_from_db()
    assert row.user == user
    assert row.username == user.username
    assert row.roles == "Frontoffice"
    assert row.organisation == user.organisation
    assert (row.action, row.object_type, row.object_id) == ("read", "organisations.desk", "42")
    assert row.result == "success"
    assert row.ip_address == "192.0.2.10"
    assert row.purpose == "intake"
    assert row.timestamp.utcoffset().total_seconds() == 0


def test_client_ip_trusts_only_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_ip(request) == "10.0.0.1"
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"
    settings.AUDIT_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.9"


def test_a_refused_page_is_logged(client, user_for):
    user = user_for("Frontoffice")
    client.force_login(user)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 403
    row = AccessLog.objects.get()
    assert (row.user, row.result, row.object_type, row.object_id) == (
        user,
        "refused",
        "view",
        "audit:log",
    )


def test_reading_the_log_is_itself_logged(client, user_for):
    officer = user_for("Privacyfunctionaris")
    client.force_login(officer)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=officer, action="search", object_type="audit.accesslog").count() == 1


def test_log_filters_and_pages_without_counting(client, user_for):
    officer = user_for("Privacyfunctionaris")
    other = user_for("Frontoffice")
    for index in range(60):
        access_log_record(acting_user=other, action="read", object_type="organisations.desk", object_id=index)
    client.force_login(officer)
    response = client.get(reverse("audit:log"), {"username": other.username})
    rows = response.context["rows"]
    assert len(rows) == 50
    assert {row.username for row in rows} == {other.username}
    assert [row.object_id for row in rows[:2]] == ["59", "58"]
    next_page = client.get(
        reverse("audit:log"), {"username": other.username, "voor": response.context["next_cursor"]}
    )
    assert [row.object_id for row in next_page.context["rows"]] == [str(i) for i in range(9, -1, -1)]
    assert next_page.context["next_cursor"] is None


def test_log_page_query_count_does_not_grow(client, user_for):
    officer = user_for("Privacyfunctionaris")
    client.force_login(officer)
    counts = []
    for added in (1, 49):
        for index in range(added):
            access_log_record(acting_user=officer, action="read", object_type="x.y", object_id=index)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audit:log")).status_code == 200
        counts.append(len(queries))
    # Session, user with organisation, permissions and roles (one query), the page of rows
    # with their organisations, the logging of this search (the insert; the role snapshot came
    # with the permissions); the session, renewed at login, is not saved: 5, for 1 row as for 50.
    assert counts == [5, 5]


def test_invalid_filter_shows_message_and_no_rows_are_hidden_silently(client, user_for):
    client.force_login(user_for("Privacyfunctionaris"))
    response = client.get(reverse("audit:log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_export_needs_its_own_permission_and_is_logged(client, user_for):
    coordinator = user_for("Coördinator")
    client.force_login(coordinator)
    assert client.get(reverse("audit:export")).status_code == 403

    officer = user_for("Privacyfunctionaris")
    access_log_record(acting_user=coordinator, action="read", object_type="organisations.desk", object_id=1)
    client.force_login(officer)
    response = client.get(reverse("audit:export"), {"username": coordinator.username})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="toegangslog-')
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][:3] == ["tijdstip_utc", "gebruiker", "rollen"]
    assert {line[1] for line in lines[1:]} == {coordinator.username}
    assert AccessLog.objects.filter(user=officer, action="export").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_accesslog SET username = 'someone-else'", "DELETE FROM audit_accesslog"],
)
def test_database_refuses_changes_to_the_log(user_for, statement):
    access_log_record(acting_user=user_for("Frontoffice"), action="read", object_type="x.y", object_id=1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AccessLog.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_orm_cannot_change_the_log_either(user_for):
    row = access_log_record(
        acting_user=user_for("Frontoffice"), action="read", object_type="x.y", object_id=1
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(object_id="2")
    with pytest.raises(DatabaseError), transaction.atomic():
        row.delete()
