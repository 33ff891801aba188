"""Documents of a Wmo report: uploads with their checks, and the conversation report as PDF.

Uploads (:func:`wmo_document_add`) are refused unless every check passes, with a Dutch message
on the file field:

- the name is a plain file name (no folder, no control characters) with an allowed extension;
- the file is not empty and not larger than ``settings.WMO_UPLOAD_MAX_BYTES``;
- the type is decided from the *content* (the ``filetype`` package reads the magic bytes), never
  from the name or the browser's content type, and it must agree with the extension;
- only PDF, JPEG, PNG, and Word (docx) or OpenDocument (odt) text documents are allowed;
  executables, HTML, SVG and anything unrecognised are refused;
- a closer look per type: images must decode (Pillow) and not be absurdly large, Office files
  must be real documents without macros, PDFs must not carry JavaScript, launch actions or
  embedded files.

The file is stored under ``MEDIA_ROOT`` with a random name (:func:`models.document_path`), its
SHA-256 is recorded, and the upload is written to the access log. ``MEDIA_ROOT`` is never served
directly: ``views_documents.document_download`` streams a document after checking access.

The conversation report (verslag) is rendered to PDF with WeasyPrint
(:func:`conversation_report_pdf`), offline: every URL is refused and the stylesheet is read
from a file next to the template.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.core.pdf import render_document
from schakelpunt.wmo.models import WmoDocument, WmoReport

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

# Content type (as detected from the content) -> the extensions a file of that type may have.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    JPEG: frozenset({"jpg", "jpeg"}),
    PNG: frozenset({"png"}),
    DOCX: frozenset({"docx"}),
    ODT: frozenset({"odt"}),
}
ALLOWED_EXTENSIONS = frozenset().union(*ALLOWED_TYPES.values())
# For the file input's ``accept`` attribute (a hint for the browser; the server decides).
ACCEPT = ",".join(sorted(f".{extension}" for extension in ALLOWED_EXTENSIONS))

# Signatures of programs, checked before anything else: Windows PE ("MZ"), ELF, Mach-O (both
# byte orders, 32/64 bit, universal), Java class files share 0xCAFEBABE with universal Mach-O,
# and scripts with a shebang.
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
# Markup a browser would run or render (checked at the start of the file, after a BOM and
# white space): HTML and SVG are refused even when renamed.
MARKUP_PATTERN = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|body|script|svg|\?xml|iframe)\b", re.IGNORECASE
)
# Active content in a PDF: scripts, actions that start programs, and attached files.
PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
MAX_IMAGE_PIXELS = 60_000_000  # a phone photo is 12-50 megapixels; more is a decompression bomb
MAX_ZIP_ENTRIES = 5000
HEAD_BYTES = 8192  # what filetype reads
CHUNK = 64 * 1024


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _check_name(name: str) -> str:
    """The original name, refused when it has path parts or control characters; returns the
    lower-case extension."""
    if not name or not name.strip():
        raise _error(_("Het bestand heeft geen naam."), "no_name")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise _error(_("De bestandsnaam mag geen map of pad bevatten; kies het bestand zelf."), "path")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise _error(_("De bestandsnaam bevat tekens die niet zijn toegestaan."), "name_characters")
    if len(name) > WmoDocument._meta.get_field("original_name").max_length:
        raise _error(_("De bestandsnaam is te lang (ten hoogste 200 tekens)."), "name_length")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise _error(
            _(
                "Dit soort bestand is niet toegestaan. Toegestaan zijn: PDF, JPEG, PNG, Word (.docx) en "
                "OpenDocument (.odt)."
            ),
            "extension",
        )
    return extension


def _read(uploaded_file) -> tuple[bytes, str, bool]:
    """The file's first bytes, its SHA-256, and whether a PDF holds active content; one pass
    over the file in chunks."""
    digest = hashlib.sha256()
    head = b""
    active = False
    tail = b""
    uploaded_file.seek(0)
    for chunk in (
        uploaded_file.chunks(CHUNK)
        if hasattr(uploaded_file, "chunks")
        else iter(lambda: uploaded_file.read(CHUNK), b"")
    ):
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        # Keep a little of the previous chunk, so a keyword split over two chunks is found.
        window = tail + chunk
        if not active and PDF_ACTIVE_CONTENT.search(window):
            active = True
        tail = window[-32:]
    uploaded_file.seek(0)
    return head, digest.hexdigest(), active


def _check_image(uploaded_file) -> None:
    uploaded_file.seek(0)
    try:
        with Image.open(uploaded_file) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _error(_("De afbeelding is te groot (te veel beeldpunten)."), "image_pixels")
            image.verify()
    except ValidationError:
        raise
    except Exception:
        raise _error(
            _("De afbeelding is beschadigd of onvolledig en kan niet worden geopend."), "image_broken"
        ) from None
    finally:
        uploaded_file.seek(0)


def _check_office(uploaded_file, content_type: str) -> None:
    """A real Word or OpenDocument text document, without macros."""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                raise _error(_("Het document bevat te veel onderdelen."), "office_entries")
            lower = [name.lower() for name in names]
            if content_type == DOCX:
                if "[content_types].xml" not in lower or "word/document.xml" not in lower:
                    raise _error(_("Het Word-document is beschadigd of onvolledig."), "office_broken")
                types = archive.read(names[lower.index("[content_types].xml")])
                if any(name.endswith("vbaproject.bin") for name in lower) or b"macroEnabled" in types:
                    raise _error(_("Documenten met macro's zijn niet toegestaan."), "macros")
            else:
                if "mimetype" not in names or archive.read("mimetype").strip() != ODT.encode():
                    raise _error(_("Het OpenDocument-bestand is beschadigd of onvolledig."), "office_broken")
                if "content.xml" not in names:
                    raise _error(_("Het OpenDocument-bestand is beschadigd of onvolledig."), "office_broken")
                if any(name.startswith(("basic/", "scripts/")) for name in lower):
                    raise _error(_("Documenten met macro's zijn niet toegestaan."), "macros")
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _error(
            _("Het document is beschadigd of onvolledig en kan niet worden geopend."), "office_broken"
        ) from None
    finally:
        uploaded_file.seek(0)


def _detect(head: bytes, uploaded_file) -> tuple[str | None, str]:
    """The content type and its usual extension, from the content. ``filetype`` reads the
    magic bytes; an Office document whose parts are not in the order it expects is seen as a
    plain ZIP archive, so then the archive's own parts decide."""
    kind = filetype.guess(head)
    if kind is not None and kind.mime != "application/zip":
        return kind.mime, kind.extension
    if not head.startswith(b"PK\x03\x04"):
        return None, ""
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX, "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT, "odt"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        pass
    finally:
        uploaded_file.seek(0)
    return "application/zip", "zip"


def check_upload(uploaded_file) -> dict[str, Any]:
    """Every check on an uploaded file; returns ``content_type``, ``size``, ``sha256`` and
    ``original_name``, or raises ValidationError on ``file`` with a Dutch message."""
    if uploaded_file is None:
        raise _error(_("Kies een bestand."), "required")
    name = uploaded_file.name or ""
    extension = _check_name(name)
    size = uploaded_file.size or 0
    if size == 0:
        raise _error(_("Het bestand is leeg."), "empty")
    maximum = int(settings.WMO_UPLOAD_MAX_BYTES)
    if size > maximum:
        raise _error(
            _("Het bestand is te groot (%(size)s); het mag ten hoogste %(max)s zijn.")
            % {"size": filesizeformat(size), "max": filesizeformat(maximum)},
            "too_large",
        )
    head, sha256, pdf_active = _read(uploaded_file)
    if not head:
        raise _error(_("Het bestand is leeg."), "empty")
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise _error(_("Programma's en scripts zijn niet toegestaan."), "executable")
    if MARKUP_PATTERN.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise _error(_("HTML- en SVG-bestanden zijn niet toegestaan."), "markup")
    mime, detected = _detect(head, uploaded_file)
    if mime not in ALLOWED_TYPES:
        if mime in ("application/x-msdownload", "application/x-executable"):
            raise _error(_("Programma's en scripts zijn niet toegestaan."), "executable")
        raise _error(
            _(
                "De inhoud van dit bestand is geen PDF, JPEG, PNG, Word (.docx) of OpenDocument (.odt). "
                "Alleen die soorten zijn toegestaan."
            ),
            "type",
        )
    if extension not in ALLOWED_TYPES[mime]:
        raise _error(
            _(
                "De inhoud van het bestand past niet bij de extensie .%(extension)s: het is een "
                "%(kind)s-bestand."
            )
            % {"extension": extension, "kind": detected.upper()},
            "mismatch",
        )
    if mime in (JPEG, PNG):
        _check_image(uploaded_file)
    elif mime in (DOCX, ODT):
        _check_office(uploaded_file, mime)
    elif pdf_active:
        raise _error(
            _("PDF-bestanden met scripts, acties of ingesloten bestanden zijn niet toegestaan."), "pdf_active"
        )
    return {"content_type": mime, "size": size, "sha256": sha256, "original_name": name}


def wmo_document_add(
    *,
    acting_user,
    report: WmoReport,
    kind: str,
    uploaded_file,
    request: HttpRequest | None = None,
) -> WmoDocument:
    """Keep a checked document with a report.

    Needs ``wmo.add_wmodocument`` and sight of the whole report (PermissionDenied otherwise;
    views reach the report through ``visible_to`` first). Writes one 'change' row to the
    access log on the resident's behalf.
    """
    if not acting_user.has_perm("wmo.add_wmodocument") or not (
        WmoReport.objects.visible_to(acting_user).filter(pk=report.pk).exists()
    ):
        raise PermissionDenied
    if kind not in WmoDocument.Kind.values:
        raise ValidationError({"kind": ValidationError(_("Kies het soort document."), code="invalid_choice")})
    checked = check_upload(uploaded_file)
    document = WmoDocument(
        report=report, kind=kind, uploaded_by=acting_user, uploaded_at=timezone.now(), **checked
    )
    # Stored under a random name (models.document_path) before the row exists; removed again
    # when the row cannot be written.
    document.file.save(checked["original_name"], uploaded_file, save=False)
    try:
        with transaction.atomic():
            document.save()
            access_log_record(
                acting_user=acting_user,
                action=Action.CHANGE,
                object_type="wmo.wmodocument",
                object_id=document.pk,
                request=request,
                purpose="wmo",
                on_behalf_of=on_behalf_of_resident(report.resident_id),
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


# --- The conversation report as PDF ---------------------------------------------------------

PDF_TEMPLATE = "wmo/pdf/conversation_report.html"
PDF_STYLESHEET = Path(__file__).parent / "templates" / "wmo" / "pdf" / "conversation_report.css"


def conversation_report_context(report: WmoReport, *, today=None) -> dict[str, Any]:
    """What the printed report shows. Never the BSN."""
    resident = report.resident
    return {
        "report": report,
        "resident": resident,
        "address": "" if resident.is_secret else resident.address,
        "support_requests": list(report.support_requests.all()),
        "printed_on": today or timezone.localdate(),
        "consultant": report.consultant,
    }


def conversation_report_html(report: WmoReport, *, today=None) -> str:
    return render_to_string(PDF_TEMPLATE, conversation_report_context(report, today=today))


def conversation_report_document(report: WmoReport, *, today=None):
    """The laid-out WeasyPrint document (pages with their boxes): tests read its text."""
    return render_document(conversation_report_html(report, today=today), PDF_STYLESHEET)


def conversation_report_pdf(report: WmoReport, *, today=None) -> bytes:
    """The report of the conversation as an A4 PDF for the resident to sign."""
    return conversation_report_document(report, today=today).write_pdf()
