import csv
import datetime
import io

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.audit.services import access_log_record, client_ip
from schakelpunt.organisations.models import Organisation

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


def _page(client, **params):
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    return [row.object_id for row in response.context["rows"]], response.context["next_cursor"]


def test_rows_of_one_moment_are_paged_without_skipping_or_repeating(client, user_for):
    """Pages follow time, then id: a cursor in the middle of rows with the same time holds."""
    officer = user_for("Privacyfunctionaris")
    other = user_for("Frontoffice")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        for index in range(30):
            access_log_record(acting_user=other, action="read", object_type="x.y", object_id=index)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        for index in range(30, 60):
            access_log_record(acting_user=other, action="read", object_type="x.y", object_id=index)
    client.force_login(officer)
    first, cursor = _page(client, object_type="x.y")
    second, end = _page(client, object_type="x.y", voor=cursor)
    # Ten o'clock first (newest), then nine; within each moment the newest row first.
    assert first + second == [str(i) for i in range(29, -1, -1)] + [str(i) for i in range(59, 29, -1)]
    assert end is None


def test_a_period_in_the_past_is_paged_newest_first(client, user_for):
    officer = user_for("Privacyfunctionaris")
    other = user_for("Frontoffice")
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2026, 3, day, 12, tzinfo=datetime.UTC)):
            for index in range(30):
                access_log_record(
                    acting_user=other, action="read", object_type="x.y", object_id=f"{day}-{index}"
                )
    client.force_login(officer)
    first, cursor = _page(client, date_from="2026-03-02", date_to="2026-03-02")
    assert first == [f"2-{i}" for i in range(29, -1, -1)]
    assert cursor is None
    both, cursor = _page(client, date_from="2026-03-01", date_to="2026-03-02")
    rest, end = _page(client, date_from="2026-03-01", date_to="2026-03-02", voor=cursor)
    assert both + rest == [f"2-{i}" for i in range(29, -1, -1)] + [f"1-{i}" for i in range(29, -1, -1)]
    assert end is None


def test_a_user_name_finds_the_account_also_under_its_earlier_name(client, user_for):
    officer = user_for("Privacyfunctionaris")
    other = user_for("Frontoffice", username="j.jansen")
    access_log_record(acting_user=other, action="read", object_type="x.y", object_id="before")
    other.username = "j.jansen-devries"
    other.save(update_fields=["username"])
    access_log_record(acting_user=other, action="read", object_type="x.y", object_id="after")
    client.force_login(officer)
    # The account's rows, whatever name they were written under.
    assert _page(client, username="j.jansen-devries")[0] == ["after", "before"]
    # No account has the earlier name now: the rows written under it.
    assert _page(client, username="j.jansen")[0] == ["before"]
    assert _page(client, username="nobody")[0] == []


def test_refused_reads_and_exports_are_listed_on_their_own(client, user_for):
    officer = user_for("Privacyfunctionaris")
    other = user_for("Frontoffice")
    access_log_record(
        acting_user=other, action="read", object_type="x.y", object_id="refused", result="refused"
    )
    access_log_record(acting_user=other, action="export", object_type="x.y", object_id="export")
    access_log_record(acting_user=other, action="read", object_type="x.y", object_id="read")
    client.force_login(officer)
    assert _page(client, result="refused")[0] == ["refused"]
    assert _page(client, action="export")[0] == ["export"]


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


def test_a_user_or_organisation_in_the_log_cannot_be_deleted(user_for):
    """The database no longer checks the references (migration 0005); the application still does."""
    user = user_for("Frontoffice")
    access_log_record(acting_user=user, action="read", object_type="x.y", object_id=1)
    with pytest.raises(ProtectedError):
        user.delete()
    with pytest.raises(ProtectedError):
        Organisation.objects.get(pk=user.organisation_id).delete()
    assert AccessLog.objects.filter(user=user, organisation=user.organisation).count() == 1


def _indexes_and_foreign_keys() -> tuple[set[str], list]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, AccessLog._meta.db_table)
    indexes = {name for name, info in constraints.items() if info["index"] or info["primary_key"]}
    foreign_keys = [info["columns"] for info in constraints.values() if info["foreign_key"]]
    return indexes, foreign_keys


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes (SQLite's: below)")
def test_appending_a_row_maintains_only_the_indexes_the_log_needs():
    indexes, foreign_keys = _indexes_and_foreign_keys()
    assert indexes == {
        "audit_accesslog_pkey",
        "accesslog_object",
        "accesslog_user",
        "accesslog_on_behalf_of",
        "accesslog_timestamp_brin",
        "audit_accesslog_timestamp_4ade6579",
        "audit_accesslog_organisation_id_6286cde7",
        "accesslog_refused",
        "accesslog_exported_deleted",
    }
    assert foreign_keys == []  # checked at every commit, each locking a row of the user and organisation


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's indexes (PostgreSQL's: above)")
def test_sqlite_keeps_its_index_of_on_behalf_of():
    indexes, _ = _indexes_and_foreign_keys()
    assert "accesslog_on_behalf_of" in indexes  # made by 0003 as SQL; a rebuilt table would lose it
