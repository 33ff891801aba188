"""Long exports as jobs: asked for, built by the task with progress, downloaded by their
requester only, cleaned up after the retention period."""

import datetime
import io
import os

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.insights import jobs
from schakelpunt.insights.jobs import (
    FAILED_MESSAGE,
    MAX_OPEN_JOBS,
    export_job_request,
    export_job_run,
    export_jobs_cleanup,
)
from schakelpunt.insights.models import ExportJob
from schakelpunt.insights.periods import Period
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db

Status = ExportJob.Status
Kind = ExportJob.Kind
JOBS = "/inzicht/exports/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator")


@pytest.fixture
def policy(user_for):
    return user_for("Beleidsmedewerker", desks=[])


def ask(user, kind=Kind.ANNUAL_REPORT, **kwargs):
    if kind == Kind.ANNUAL_REPORT:
        kwargs.setdefault("year", 2025)
    else:
        kwargs.setdefault("period", Period.year(2025))
    return export_job_request(acting_user=user, kind=kind, **kwargs)


def test_the_addresses():
    assert reverse("insights:export-jobs") == JOBS
    assert reverse("insights:export-annual-report") == "/inzicht/exports/jaarverslag/"
    assert reverse("insights:export-all-tables") == "/inzicht/exports/alle-tabellen/"
    assert reverse("insights:export-download", args=[7]) == "/inzicht/exports/7/download/"


# --- the life of a job ------------------------------------------------------------------------


def test_queued_running_done_with_progress(city, coordinator, monkeypatch, media):
    job = ask(coordinator, desks=[city.desk.pk])
    # Asked for: queued, the scope of the moment kept, nothing built yet (the task starts
    # after the commit, which this test does not run).
    assert (job.status, job.progress, job.file.name) == (Status.QUEUED, 0, "")
    assert job.title == "Jaarverslag 2025 · Zorgloket Teststad"
    assert job.parameters["year"] == 2025 and job.parameters["desks"] == [city.desk.pk]
    assert job.parameters["scope"] == {
        "desks": [city.desk.pk],
        "municipalities": [city.m2.pk, city.m1.pk],  # by name: Buurdorp, Teststad
        "by_municipality": False,
        "suppressed": False,
    }

    seen = []
    report_progress = jobs._progress_of

    def watching(job):
        progress = report_progress(job)

        def record(percent, message):
            progress(percent, message)
            row = ExportJob.objects.get(pk=job.pk)
            seen.append((row.status, row.progress, row.message))

        return record

    monkeypatch.setattr(jobs, "_progress_of", watching)
    job = export_job_run(job_id=job.pk)

    assert len(seen) >= 5
    assert {status for status, _progress, _message in seen} == {Status.RUNNING}
    percentages = [progress for _status, progress, _message in seen]
    assert percentages == sorted(percentages) and percentages[0] > 0 and percentages[-1] < 100
    assert ("running", 90, "PDF schrijven") in seen
    assert (job.status, job.progress, job.message) == (Status.DONE, 100, "Klaar")
    assert job.filename == "schakelpunt-jaarverslag-2025-zorgloket-teststad.pdf"
    assert job.content_type == "application/pdf"
    stored = media / job.file.name
    assert stored.read_bytes().startswith(b"%PDF-") and job.size == stored.stat().st_size
    assert job.file.name.startswith("insights/exports/") and "teststad" not in job.file.name
    assert job.expires_at == job.finished_at + datetime.timedelta(days=7)
    assert job.parameters["built"] == {
        "desks": [city.desk.pk],
        "municipalities": [],
        "by_municipality": False,
        "suppressed": False,
    }


def test_a_job_runs_once(city, coordinator, media):
    job = ask(coordinator)
    export_job_run(job_id=job.pk)
    again = export_job_run(job_id=job.pk)  # the task delivered twice
    assert again.status == Status.DONE
    assert len(list((media / "insights/exports").rglob("*.pdf"))) == 1
    assert export_job_run(job_id=999999) is None


def test_the_task_runs_after_the_commit(city, coordinator, django_capture_on_commit_callbacks):
    # The test settings run tasks at once (ImmediateBackend), as soon as they are queued.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = ask(coordinator, kind=Kind.ALL_TABLES)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Status.DONE and job.filename == "schakelpunt-alle-tabellen-2025-01_2025-12.xlsx"


def test_a_failure_is_recorded_with_a_message(city, coordinator, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("/var/secret/path is full")

    monkeypatch.setitem(jobs.BUILDERS, Kind.ANNUAL_REPORT, broken)
    job = export_job_run(job_id=ask(coordinator).pk)
    assert job.status == Status.FAILED and job.finished_at is not None
    assert job.message == str(FAILED_MESSAGE)
    assert "/var/secret" not in job.message  # the details go to the log, not to the user
    assert f"Export job {job.pk}" in caplog.text and "RuntimeError" in caplog.text
    assert not job.file


def test_the_task_uses_the_permissions_of_the_moment_it_runs(city, coordinator):
    job = ask(coordinator)
    coordinator.desks.clear()  # no longer at the desk when the worker gets to it
    job = export_job_run(job_id=job.pk)
    assert job.status == Status.FAILED
    assert job.message == "U heeft geen toegang (meer) tot deze cijfers; er is niets gemaakt."


def test_at_most_three_open_jobs(city, coordinator):
    for _ in range(MAX_OPEN_JOBS):
        ask(coordinator)
    with pytest.raises(Exception, match="al 3 exports in de maak"):
        ask(coordinator)


def test_choices_outside_the_scope_are_dropped(city, coordinator):
    job = ask(coordinator, desks=[city.desk_b.pk])  # not the coordinator's desk
    assert job.parameters["desks"] == []


# --- all tables in one workbook -----------------------------------------------------------------


def _workbook(job):
    return openpyxl.load_workbook(io.BytesIO(job.file.open("rb").read()))


def test_all_tables_in_one_workbook(city, coordinator):
    job = export_job_run(job_id=ask(coordinator, kind=Kind.ALL_TABLES).pk)
    assert job.status == Status.DONE, job.message
    workbook = _workbook(job)
    assert workbook.sheetnames[:4] == ["Toelichting", "kerncijfers", "per-maand", "per-kanaal"]
    assert {"gebruik-per-partner", "verwijzingen-per-partner", "bereik-aantallen", "bereik-per-1000"} <= set(
        workbook.sheetnames
    )
    rows = [[cell.value for cell in row] for row in workbook["gebruik-per-partner"].iter_rows()]
    assert rows == [
        ["Partner", "Ontvangen", "Afgehandeld", "Op tijd afgehandeld (%)"],
        ["Thuiszorg Oost", 3, 2, 50],
        ["Woonstede", 1, 0, None],  # no referral handled yet: no share
        ["Totaal", 4, 2, 50],
    ]
    about = [[cell.value for cell in row] for row in workbook["Toelichting"].iter_rows()]
    assert about[1] == ["Periode", "januari 2025 – december 2025", None]


def test_the_policy_officers_workbook_hides_small_cells(city, policy):
    job = export_job_run(job_id=ask(policy, kind=Kind.ALL_TABLES).pk)
    workbook = _workbook(job)
    rows = [[cell.value for cell in row] for row in workbook["per-kanaal"].iter_rows()]
    assert rows[1:] == [["Balie", "< 5", "< 5"], ["Telefoon", "< 5", "< 5"], ["Totaal", 6, 7]]
    assert workbook["Toelichting"]["A5"].value == "Kleine aantallen"


# --- the pages ----------------------------------------------------------------------------------


def test_the_dashboard_starts_both_exports(client, city, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    page = client.get("/inzicht/", {"van": "2025-01", "tot": "2025-06"}).content.decode()
    assert 'action="/inzicht/exports/jaarverslag/"' in page and "Jaarverslag maken" in page
    assert 'action="/inzicht/exports/alle-tabellen/"' in page
    assert '<input type="hidden" name="van" value="2025-01">' in page
    assert '<input type="hidden" name="tot" value="2025-06">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inzicht/exports/jaarverslag/", {"jaarverslag-jaar": "2025"})
    assert response.status_code == 302 and response["Location"] == JOBS
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/inzicht/exports/alle-tabellen/", {"van": "2025-01", "tot": "2025-06"})
    annual, tables = ExportJob.objects.order_by("pk")
    assert (annual.kind, annual.status, annual.requested_by) == (Kind.ANNUAL_REPORT, Status.DONE, coordinator)
    assert (tables.kind, tables.status, tables.parameters["first"]) == (
        Kind.ALL_TABLES,
        Status.DONE,
        "2025-01",
    )
    page = client.get(JOBS).content.decode()
    assert "Jaarverslag 2025 · Zorgloket Teststad" in page
    assert f'href="/inzicht/exports/{annual.pk}/download/"' in page
    assert "hx-trigger" not in page  # nothing busy: no polling


def test_a_wrong_year_changes_nothing(client, city, coordinator):
    client.force_login(coordinator)
    response = client.post("/inzicht/exports/jaarverslag/", {"jaarverslag-jaar": "1990"})
    assert response.status_code == 302 and not ExportJob.objects.exists()
    assert client.get("/inzicht/exports/jaarverslag/").status_code == 405


def test_the_list_polls_while_a_job_is_busy(client, city, coordinator):
    job = ask(coordinator)
    client.force_login(coordinator)
    page = client.get(JOBS).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'hx-get="/inzicht/exports/"' in page
    assert "In de wachtrij" in page and 'value="0"' in page
    assert ">Vernieuwen</a>" in page  # without JavaScript: reload the page
    # The htmx poll gets the list only, and stops once nothing is busy.
    fragment = client.get(JOBS, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="exports"') and "<html" not in fragment
    export_job_run(job_id=job.pk)
    fragment = client.get(JOBS, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "Downloaden" in fragment


def test_download_by_the_requester(client, city, coordinator):
    job = export_job_run(job_id=ask(coordinator).pk)
    client.force_login(coordinator)
    response = client.get(f"/inzicht/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="schakelpunt-jaarverslag-2025-zorgloket-teststad.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    log = AccessLog.objects.get()
    assert (log.action, log.object_type, log.object_id, log.user) == (
        "export",
        "insights.exportjob",
        str(job.pk),
        coordinator,
    )


def test_nobody_else_gets_the_file(client, city, coordinator, policy, user_for):
    job = export_job_run(job_id=ask(coordinator).pk)
    url = f"/inzicht/exports/{job.pk}/download/"
    colleague = user_for("Coördinator")  # same desk, same role: still not their export
    for user in (colleague, policy):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert str(job.title) not in client.get(JOBS).content.decode()
    client.force_login(user_for("Frontoffice"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert not AccessLog.objects.filter(action="export").exists()


def test_no_download_once_the_scope_no_longer_covers_it(client, city, coordinator):
    job = export_job_run(job_id=ask(coordinator).pk)
    client.force_login(coordinator)
    coordinator.desks.clear()
    assert client.get(f"/inzicht/exports/{job.pk}/download/").status_code == 404


def test_no_download_before_it_is_done(client, city, coordinator):
    job = ask(coordinator)
    client.force_login(coordinator)
    assert client.get(f"/inzicht/exports/{job.pk}/download/").status_code == 404


def test_queries_on_the_list_do_not_grow(client, city, coordinator, django_assert_num_queries):
    client.force_login(coordinator)
    ExportJob.objects.create(requested_by=coordinator, kind=Kind.ANNUAL_REPORT, title="Jaarverslag 2024")
    # Session and user (2), the permission of the page (2), the number of jobs (1), the page
    # of jobs (1), saving the renewed session (3).
    with django_assert_num_queries(5):
        assert client.get(JOBS).status_code == 200
    for year in range(2000, 2030):
        ExportJob.objects.create(
            requested_by=coordinator, kind=Kind.ALL_TABLES, title=f"Alle tabellen {year}", status=Status.DONE
        )
    with django_assert_num_queries(5):
        response = client.get(JOBS)
    assert len(response.context["page"].object_list) == 20  # a page at a time
    assert "Pagina 1 van 2" in response.content.decode()


# --- cleaning up --------------------------------------------------------------------------------


def test_cleanup_after_the_retention_period(city, coordinator, media):
    job = export_job_run(job_id=ask(coordinator).pk)
    stored = media / job.file.name
    stray = media / "insights/exports/2025/01/left-over.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF-")
    old = (TODAY - datetime.timedelta(days=30)).timestamp()
    os.utime(stray, (old, old))
    waiting = ask(coordinator)
    assert export_jobs_cleanup() == {"expired": 0, "abandoned": 0, "orphans": 1}  # the stray file is old
    assert stored.exists() and not stray.exists()
    with time_machine.travel(TODAY + datetime.timedelta(days=7, minutes=1), tick=False):
        assert export_jobs_cleanup() == {"expired": 1, "abandoned": 1, "orphans": 0}
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert (job.status, job.file.name) == (Status.EXPIRED, "") and not stored.exists()
    assert waiting.status == Status.FAILED and waiting.message.startswith("Afgebroken")
    assert export_job_run(job_id=waiting.pk).status == Status.FAILED  # a late worker builds nothing


def test_cleanup_command(city, coordinator, settings):
    settings.INSIGHTS_EXPORT_RETENTION_DAYS = 0
    export_job_run(job_id=ask(coordinator).pk)
    out = io.StringIO()
    call_command("insights_exports_cleanup", stdout=out)
    assert "1 verlopen" in out.getvalue()
    assert ExportJob.objects.get().status == Status.EXPIRED


def test_the_policy_officer_makes_and_downloads_the_municipalitys_report(
    client, city, policy, django_capture_on_commit_callbacks
):
    client.force_login(policy)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/inzicht/exports/jaarverslag/", {"jaarverslag-jaar": "2025"})
    job = ExportJob.objects.get()
    assert job.title == "Jaarverslag 2025 · Gemeente Teststad"
    assert job.status == Status.DONE, job.message
    assert job.parameters["built"] == {
        "desks": [],
        "municipalities": [city.m1.pk],
        "by_municipality": True,
        "suppressed": True,
    }
    response = client.get(f"/inzicht/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="schakelpunt-jaarverslag-2025-gemeente-teststad.pdf"'
    )
