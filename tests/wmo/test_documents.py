"""Documents of a Wmo report: the upload checks, storage, the pages, and the PDF of the
conversation report."""

import datetime
import hashlib
import io
import shutil
import subprocess
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.wmo.documents import conversation_report_document, wmo_document_add
from schakelpunt.wmo.models import WmoDocument
from tests.wmo.factories import WmoReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.WMO_UPLOAD_MAX_BYTES = 1024 * 1024
    return settings.MEDIA_ROOT


# --- Files of every kind --------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def docx(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    # The browser's content type is ignored: it is set to something misleading on purpose.
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent")


@pytest.fixture
def report(desk):
    return WmoReportFactory(desk=desk, investigation=True)


def add(consultant, report, name, content, kind=WmoDocument.Kind.OTHER):
    return wmo_document_add(
        acting_user=consultant, report=report, kind=kind, uploaded_file=upload(name, content)
    )


# --- The service ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Gespreksverslag getekend.pdf", PDF, "application/pdf"),
        ("foto.JPG", image("JPEG"), "image/jpeg"),
        ("foto.jpeg", image("JPEG"), "image/jpeg"),
        ("scan.png", image("PNG"), "image/png"),
        ("aanvraag.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("plan.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_files_are_stored_under_a_random_name_with_their_hash(
    consultant, report, _media, name, content, content_type
):
    document = add(consultant, report, name, content)
    document.refresh_from_db()
    assert (document.content_type, document.size, document.original_name) == (
        content_type,
        len(content),
        name,
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    stored = _media / document.file.name
    assert stored.read_bytes() == content
    # Neither the original name nor the resident's name is on disk.
    assert name.rsplit(".", 1)[0] not in document.file.name
    assert report.resident.surname not in document.file.name
    assert document.file.name.startswith("wmo/")
    row = AccessLog.objects.get(action="change", object_type="wmo.wmodocument")
    assert (row.object_id, row.user, row.on_behalf_of) == (
        str(document.pk),
        consultant,
        f"residents.resident#{report.resident_id}",
    )


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("leeg.pdf", b"", "empty", "Het bestand is leeg."),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "executable", "Programma's en scripts"),
        ("programma.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "executable", "Programma's en scripts"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "executable", "Programma's en scripts"),
        ("pagina.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup", "HTML- en SVG"),
        (
            "tekening.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
            "markup",
            "HTML- en SVG",
        ),
        ("tekening.png", b'\xef\xbb\xbf <?xml version="1.0"?><svg/>', "markup", "HTML- en SVG"),
        ("pagina.html", b"<html></html>", "extension", "niet toegestaan"),
        ("setup.exe", b"MZ" + b"\x00" * 200, "extension", "niet toegestaan"),
        ("geen-extensie", PDF, "extension", "niet toegestaan"),
        ("tekst.pdf", b"Gewoon wat tekst, geen PDF.", "type", "geen PDF, JPEG, PNG"),
        ("archief.docx", b"PK\x03\x04" + b"\x00" * 100, "type", "geen PDF, JPEG, PNG"),
        ("oud.pdf", image("GIF"), "type", "geen PDF, JPEG, PNG"),
        ("rekenblad.docx", xlsx(), "type", "geen PDF, JPEG, PNG"),
        ("rekenblad.xlsx", xlsx(), "extension", "niet toegestaan"),
        ("foto.pdf", image("PNG"), "mismatch", "past niet bij de extensie .pdf: het is een PNG-bestand"),
        ("verslag.jpg", PDF, "mismatch", "past niet bij de extensie .jpg"),
        ("aanvraag.odt", docx(), "mismatch", "past niet bij de extensie .odt"),
        ("kapot.png", image("PNG")[:40], "image_broken", "beschadigd"),
        ("macro.docx", docx(macros=True), "macros", "macro's"),
        (
            "formulier.pdf",
            PDF.replace(b"/Catalog", b"/Catalog /OpenAction <</S /JavaScript /JS (app.alert(1))>>"),
            "pdf_active",
            "scripts",
        ),
        (
            "bijlage.pdf",
            PDF.replace(b"/Catalog", b"/Catalog /Names <</EmbeddedFiles 3 0 R>>"),
            "pdf_active",
            "ingesloten",
        ),
        ("..\\..\\windows\\verslag.pdf", PDF, "path", "map of pad"),
        (".verborgen.pdf", PDF, "path", "map of pad"),
        ("verslag\x00.pdf", PDF, "name_characters", "tekens"),
        ("a" * 250 + ".pdf", PDF, "name_length", "te lang"),
    ],
)
def test_refused_files_get_a_dutch_message_on_the_file_field_and_nothing_is_stored(
    consultant, report, _media, name, content, code, message
):
    with pytest.raises(ValidationError) as caught:
        add(consultant, report, name, content)
    errors = caught.value.error_dict["file"]
    assert [error.code for error in errors] == [code]
    assert message in errors[0].messages[0]
    assert not WmoDocument.objects.exists()
    assert not AccessLog.objects.filter(action="change").exists()
    assert not _media.exists() or not any(path.is_file() for path in _media.rglob("*"))


def test_a_name_with_a_folder_is_refused(consultant, report):
    # Django's upload handling strips folders from the browser's name; the service does not
    # rely on that.
    uploaded = upload("verslag.pdf", PDF)
    uploaded._name = "../../etc/verslag.pdf"
    with pytest.raises(ValidationError) as caught:
        wmo_document_add(acting_user=consultant, report=report, kind="other", uploaded_file=uploaded)
    assert caught.value.error_dict["file"][0].code == "path"


def test_too_large_is_refused_with_both_sizes(consultant, report, settings):
    settings.WMO_UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError) as caught:
        add(consultant, report, "verslag.pdf", PDF)
    assert caught.value.messages == [
        f"Het bestand is te groot ({len(PDF)}\xa0bytes); het mag ten hoogste 50\xa0bytes zijn."
    ]


def test_an_unknown_kind_is_refused(consultant, report):
    with pytest.raises(ValidationError) as caught:
        add(consultant, report, "verslag.pdf", PDF, kind="passport")
    assert "kind" in caught.value.error_dict


def test_only_who_may_see_the_whole_report_may_add(user_for, report):
    other_desk_consultant = user_for("Consulent", desks=[])
    front_office = user_for("Frontoffice")
    for user in (other_desk_consultant, front_office):
        with pytest.raises(PermissionDenied):
            add(user, report, "verslag.pdf", PDF)
    # Assigned to a consultant of another desk: they see it, so they may add.
    report.consultant = other_desk_consultant
    report.save()
    assert add(other_desk_consultant, report, "verslag.pdf", PDF).pk


def test_the_file_is_removed_when_the_row_cannot_be_written(consultant, report, _media, monkeypatch):
    from schakelpunt.wmo import documents

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(documents, "access_log_record", broken)
    with pytest.raises(RuntimeError):
        add(consultant, report, "verslag.pdf", PDF)
    assert not WmoDocument.objects.exists()
    assert not any(path.is_file() for path in _media.rglob("*"))


# --- The pages ------------------------------------------------------------------------------


def test_upload_page_stores_and_lists_the_document(client, consultant, report):
    client.force_login(consultant)
    url = reverse("wmo:document-add", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "personal_plan", "file": upload("plan.pdf", PDF)})
    assert response.status_code == 302
    assert response["Location"] == reverse("wmo:documents", args=[report.pk])
    document = WmoDocument.objects.get()
    assert (document.kind, document.uploaded_by) == ("personal_plan", consultant)
    page = client.get(response["Location"])
    assert "plan.pdf" in page.content.decode()
    assert reverse("wmo:document-download", args=[report.pk, document.pk]) in page.content.decode()


def test_upload_page_shows_the_error_at_the_file_field(client, consultant, report):
    client.force_login(consultant)
    response = client.post(
        reverse("wmo:document-add", args=[report.pk]),
        {"kind": "other", "file": upload("foto.pdf", image("PNG"), "application/pdf")},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "De inhoud van het bestand past niet bij de extensie .pdf: het is een PNG-bestand."
    ]
    assert 'id="id_file_error"' in response.content.decode()
    assert not WmoDocument.objects.exists()


def test_download_streams_the_file_as_an_attachment_and_logs_the_read(client, consultant, report):
    document = add(consultant, report, "Verslag mevrouw.pdf", PDF)
    client.force_login(consultant)
    response = client.get(reverse("wmo:document-download", args=[report.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Verslag" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    row = AccessLog.objects.get(action="read", object_type="wmo.wmodocument")
    assert row.object_id == str(document.pk)


def test_download_is_404_for_who_may_not_see_the_report_and_for_another_reports_pk(
    client, consultant, report, user_for, desk
):
    document = add(consultant, report, "verslag.pdf", PDF)
    url = reverse("wmo:document-download", args=[report.pk, document.pk])
    client.force_login(user_for("Consulent", desks=[]))  # another desk, not assigned
    assert client.get(url).status_code == 404
    # The front office sees the status only: no permission for documents at all.
    client.force_login(user_for("Frontoffice"))
    assert client.get(url).status_code == 403
    # The right document under another (visible) report's number is not found either.
    other = WmoReportFactory(desk=desk)
    client.force_login(consultant)
    assert client.get(reverse("wmo:document-download", args=[other.pk, document.pk])).status_code == 404
    assert not AccessLog.objects.filter(action="read", object_type="wmo.wmodocument").exists()


def test_a_missing_file_on_disk_is_404(client, consultant, report, _media):
    document = add(consultant, report, "verslag.pdf", PDF)
    (_media / document.file.name).unlink()
    client.force_login(consultant)
    assert client.get(reverse("wmo:document-download", args=[report.pk, document.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_document_list_query_count_is_constant(client, consultant, report, django_assert_num_queries, count):
    for number in range(count):
        add(consultant, report, f"verslag-{number}.pdf", PDF)
    client.force_login(consultant)
    # The session and the user; the user's permissions (user permissions, group permissions);
    # the report (resident, desk and consultant joined, the desks as a subquery); the documents
    # with their uploaders; the user's groups for the log row's role names and the access-log
    # row; and the session's save (its activity stamp) in a savepoint and its release. The
    # same for one document as for many.
    with django_assert_num_queries(6):
        response = client.get(reverse("wmo:documents", args=[report.pk]))
    assert response.status_code == 200
    assert len(response.context["documents"]) == count


# --- The conversation report as PDF ---------------------------------------------------------


def page_texts(document) -> str:
    """The text WeasyPrint laid out, page by page, margin boxes (the footer) included."""

    def walk(box):
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from walk(child)

    return "\n".join(" ".join(walk(page._page_box)) for page in document.pages)


@pytest.fixture
def full_report(desk, user_for):
    consultant = user_for("Consulent", first_name="Sanne", last_name="de Vries")
    desk.name = "Zorgloket Enschede"
    desk.save()
    with time_machine.travel("2026-04-20 10:00 +02:00", tick=False):
        report = WmoReportFactory(
            desk=desk,
            investigation=True,
            consultant=consultant,
            reported_on=datetime.date(2026, 4, 20),
            resident__given_names="Johanna",
            resident__surname="Bosch",
            resident__bsn="999993653",
            resident__birth_date=datetime.date(1941, 6, 3),
            resident__street="Oldenzaalsestraat",
            resident__house_number=12,
            resident__postcode="7511 DZ",
            resident__town="Enschede",
            conversation_on=datetime.date(2026, 4, 29),
            conversation_report="Mevrouw woont alleen en kan niet meer stofzuigen. Dochter helpt.",
            client_support_accepted=True,
            support_types=["household", "aids"],
        )
    report.refresh_from_db()
    return report


def test_the_pdf_holds_what_the_resident_signs_and_no_bsn(full_report):
    document = conversation_report_document(full_report)
    assert len(document.pages) >= 1
    assert {(round(page.width), round(page.height)) for page in document.pages} == {
        (794, 1123)
    }  # A4 in CSS px
    text = page_texts(document)
    for expected in [
        "Zorgloket Enschede",
        "Verslag van het gesprek",
        "Johanna Bosch",
        "3 juni 1941",
        "Oldenzaalsestraat 12, 7511 DZ Enschede",
        "20 april 2026",  # the report
        "29 april 2026",  # the conversation
        "Hulp bij het huishouden",
        "Hulpmiddelen en woningaanpassingen",
        "kan niet meer stofzuigen",
        "Sanne de Vries",
        "gratis, onafhankelijke cliëntondersteuning",
        "een cliëntondersteuner is aangevraagd",
        "uiterlijk 28 april 2026",  # personal plan: 7 days ends on King's Day, so the next day
        "uiterlijk 1 juni 2026",  # investigation: 6 weeks, a Monday
        "De inwoner (of vertegenwoordiger)",
        "De consulent",
        "Handtekening",
        "Plaats",
        "Datum",
        f"Wmo-melding {full_report.pk}",
    ]:
        assert expected in text, expected
    assert "999993653" not in text


def test_a_secret_address_is_not_printed(full_report):
    full_report.resident.is_secret = True
    full_report.resident.save()
    text = page_texts(conversation_report_document(full_report))
    assert "Oldenzaalsestraat" not in text
    assert "Geheim adres" in text


def test_the_pdf_fetches_nothing(full_report, monkeypatch):
    """Images, stylesheets and fonts named in the HTML are never fetched: no network, no files."""
    from weasyprint.urls import URLFetcher

    from schakelpunt.wmo import documents

    html = (
        '<html><head><link rel="stylesheet" href="http://example.org/x.css">'
        "<style>@import url(https://example.org/y.css); @font-face { font-family: x; "
        "src: url(http://example.org/f.woff) }</style></head>"
        '<body><img src="file:///etc/hostname"><img src="data:image/png;base64,iVBORw0KGgo=">'
        "<p>Verslag</p></body></html>"
    )
    monkeypatch.setattr(documents, "conversation_report_html", lambda report, today=None: html)
    fetched = []
    monkeypatch.setattr(URLFetcher, "open", lambda self, *args, **kwargs: fetched.append(args))
    assert "Verslag" in page_texts(conversation_report_document(full_report))
    assert fetched == []


def test_the_report_text_is_printed_as_text(full_report):
    full_report.conversation_report = '<img src="http://example.org/x.png"> <b>vet</b>'
    assert '<img src="http://example.org/x.png"> <b>vet</b>' in page_texts(
        conversation_report_document(full_report)
    )


def test_pdf_page_for_the_consultant(client, full_report):
    client.force_login(full_report.consultant)
    response = client.get(reverse("wmo:conversation-report-pdf", args=[full_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'inline; filename="wmo-melding-{full_report.pk}-verslag.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    row = AccessLog.objects.get(action="export")
    assert (row.object_type, row.object_id) == ("wmo.wmoreport", str(full_report.pk))
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler, when installed: the text is really in the PDF file
        text = subprocess.run(  # noqa: S603 - a fixed program on our own output
            [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Johanna Bosch" in text and "Verslag van het gesprek" in text
        assert "999993653" not in text


def test_pdf_page_in_dutch_even_for_an_english_interface(client, full_report, monkeypatch):
    from django.utils import translation

    from schakelpunt.wmo import views_documents

    languages = []

    def fake_pdf(report):
        languages.append(translation.get_language())
        return b"%PDF-1.7"

    monkeypatch.setattr(views_documents, "conversation_report_pdf", fake_pdf)
    client.force_login(full_report.consultant)
    client.cookies["django_language"] = "en"
    url = reverse("wmo:conversation-report-pdf", args=[full_report.pk])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert languages == ["nl"]


def test_pdf_page_is_404_or_403_for_who_may_not_see_the_whole_report(client, full_report, user_for):
    url = reverse("wmo:conversation-report-pdf", args=[full_report.pk])
    client.force_login(user_for("Consulent", desks=[]))
    assert client.get(url).status_code == 404
    client.force_login(user_for("Frontoffice"))
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(action="export").exists()
