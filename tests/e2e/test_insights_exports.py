"""Long exports in the browser: the coordinator starts the annual report from the dashboard,
follows it on "Mijn exports" (the list polls with htmx while a job is busy) and downloads it.

Screenshots (docs/user/img/insights-exports.png) only with SCHAKELPUNT_SCREENSHOTS=1.
"""

import pytest
from playwright.sync_api import expect

from schakelpunt.insights.jobs import export_job_run
from schakelpunt.insights.models import ExportJob
from schakelpunt.insights.services import summaries_refresh
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.e2e.conftest import assert_accessible, login, screenshot


@pytest.fixture
def coordinator(desk, user_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    for _ in range(3):
        QuestionFactory(contact=ContactFactory(desk=desk))
    summaries_refresh()
    return user_for("Coördinator", first_name="Anouk")


def test_follow_an_export_and_download_it(page, live_server, coordinator):
    queued = ExportJob.objects.create(
        requested_by=coordinator,
        kind=ExportJob.Kind.ALL_TABLES,
        title="Alle tabellen · 2025 · Zorgloket Teststad",
        parameters={"first": "2025-01", "last": "2025-12", "desks": [], "municipality": None},
        message="In de wachtrij",
    )
    login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/inzicht/exports/")
    row = page.locator(f'[data-job="{queued.pk}"]')
    expect(row).to_contain_text("In de wachtrij")
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert_accessible(page)
    # The worker makes it; the list, polling every two seconds, shows the download.
    export_job_run(job_id=queued.pk)
    expect(row.get_by_role("link", name="Downloaden")).to_be_visible(timeout=8000)
    expect(row).to_contain_text("Klaar")

    # A new one from the dashboard (the test settings run tasks at once).
    page.goto(f"{live_server.url}/inzicht/")
    form = page.get_by_role("form", name="Jaarverslag (PDF)")
    assert_accessible(page)
    form.get_by_label("Jaar").select_option(str(queued.created_at.year - 1))
    form.get_by_role("button", name="Jaarverslag maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn exports")
    expect(page.get_by_role("status")).to_contain_text("wordt gemaakt")
    report = ExportJob.objects.get(kind=ExportJob.Kind.ANNUAL_REPORT)
    link = page.locator(f'[data-job="{report.pk}"]').get_by_role("link", name="Downloaden")
    expect(link).to_be_visible()
    screenshot(page, "insights-exports.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(
        f"schakelpunt-jaarverslag-{report.parameters['year']}-"
    )
