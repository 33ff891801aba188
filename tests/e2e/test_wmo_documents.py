"""A Wmo report's documents in the browser: a consultant uploads a file that is refused (the
message is at the file field), then a good one, sees it in the list and downloads it; the pages
pass the accessibility check.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, expect_logged_error, login
from tests.wmo.factories import WmoReportFactory

# To look at the pages: WMO_DOCUMENT_SHOTS=/tmp/somewhere (not part of the user documentation).
SHOTS = os.environ.get("WMO_DOCUMENT_SHOTS")
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=Path(SHOTS) / name, full_page=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_upload_refused_then_accepted_and_downloaded(
    page, live_server, desk, user_for, tmp_path, browser_errors
):
    consultant = user_for("Consulent", first_name="Sanne", last_name="de Vries")
    report = WmoReportFactory(
        desk=desk, investigation=True, consultant=consultant, resident__given_names="Johanna"
    )
    renamed = tmp_path / "scan.pdf"
    renamed.write_bytes(b"<html><body>geen pdf</body></html>")
    good = tmp_path / "Persoonlijk plan.pdf"
    good.write_bytes(PDF)

    login(page, live_server, consultant)
    page.goto(f"{live_server.url}/wmo/{report.pk}/documenten/")
    expect(page.get_by_text("Er zijn nog geen documenten bij deze melding.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Document toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Document toevoegen")
    page.get_by_label("Soort document").select_option(label="Persoonlijk plan")
    page.get_by_label("Bestand").set_input_files(str(renamed))
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#id_file_error")).to_contain_text("HTML- en SVG-bestanden zijn niet toegestaan.")
    expect_logged_error(browser_errors, r"status of 400")  # a refused form answers 400
    assert_accessible(page)
    _shot(page, "wmo-document-refused.png")

    page.get_by_label("Bestand").set_input_files(str(good))
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documenten")
    link = page.get_by_role("link", name="Persoonlijk plan.pdf")
    expect(link).to_be_visible()
    assert_accessible(page)
    _shot(page, "wmo-documents.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Persoonlijk plan.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
