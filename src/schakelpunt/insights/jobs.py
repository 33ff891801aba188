"""Long exports as background jobs: the annual report (PDF) and all tables in one workbook (XLSX).

A user asks for an export (:func:`export_job_request`); a task (``insights.tasks.build_export``)
builds it (:func:`export_job_run`), reporting its progress on the job row, and stores the file
under ``MEDIA_ROOT``; the page "Mijn exports" shows the progress and, when done, a download
that only the requester can use (:func:`export_job_for_download`), written to the access log
by the view. :func:`export_jobs_cleanup` (daily) removes files after
``INSIGHTS_EXPORT_RETENTION_DAYS``.

Who sees what: the job keeps the requester's scope at the moment of asking (``scope``), but
the task computes the figures with the requester's permissions and scope *when it runs*, and
records what the file covers (``built``); the download is refused (404) when the requester's
current scope no longer covers it. Nobody else ever reaches a job or its file.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schakelpunt.core.access import get_visible_or_404
from schakelpunt.insights.annual_report import PDF_TYPE, annual_report, annual_report_pdf, report_subject
from schakelpunt.insights.exports import XLSX_TYPE, tables_xlsx
from schakelpunt.insights.models import EXPORT_FOLDER, ExportJob, export_path
from schakelpunt.insights.periods import Period, parse_month
from schakelpunt.insights.reach import reach_analysis
from schakelpunt.insights.selectors import Dashboard, Scope, dashboard, insight_scope

logger = logging.getLogger(__name__)

Kind = ExportJob.Kind
Status = ExportJob.Status

# Which status may follow which. A job is claimed by exactly one run (queued -> running, a
# conditional update), so a task delivered twice builds the file once.
ALLOWED_TRANSITIONS: dict[str, list[str]] = {
    # failed: the clean-up gives up on a job no worker picked up within a day.
    Status.QUEUED: [Status.RUNNING, Status.FAILED],
    Status.RUNNING: [Status.DONE, Status.FAILED],
    Status.DONE: [Status.EXPIRED],  # the clean-up removed the file after the retention period
    Status.FAILED: [],
    Status.EXPIRED: [],
}
MAX_OPEN_JOBS = 3  # queued or running per user: enough to work with, not enough to flood the worker
ABANDONED_AFTER = datetime.timedelta(hours=24)
FAILED_MESSAGE = gettext_lazy(
    "Het maken is mislukt door een fout in Schakelpunt. Probeer het later opnieuw; lukt het dan nog "
    "niet, meld het dan bij de functioneel beheerder."
)

Progress = Callable[[int, str], None]


class ExportRefused(Exception):
    """The requester may not (any more) see what they asked for; the message says so."""


# --- scope -----------------------------------------------------------------------------------


def scope_record(scope: Scope) -> dict[str, Any]:
    return {
        "desks": [desk.pk for desk in scope.desks],
        "municipalities": [m.pk for m in scope.municipalities],
        "by_municipality": scope.by_municipality,
        "suppressed": scope.suppressed,
    }


def _built(board: Dashboard) -> dict[str, Any]:
    """What the figures in the file are about: the desks and municipalities they cover, and
    whether small cells were hidden."""
    scope = board.scope
    if scope.by_municipality:
        desks = [desk.pk for desk in board.desks]
        municipalities = (
            [board.municipality.pk] if board.municipality else [m.pk for m in scope.municipalities]
        )
    else:
        desks = [desk.pk for desk in board.desks or scope.desks]
        municipalities = [board.municipality.pk] if board.municipality else []
    return {
        "desks": desks,
        "municipalities": municipalities,
        "by_municipality": scope.by_municipality,
        "suppressed": board.suppressed,
    }


def scope_covers(scope: Scope, built: dict[str, Any] | None) -> bool:
    """Whether a viewer with ``scope`` may still see a file built as ``built`` describes:
    the same kind of view, every desk and municipality still in scope, and no complete
    figures for a viewer who now gets hidden small cells."""
    if not built or scope.is_empty or built.get("by_municipality") != scope.by_municipality:
        return False
    if scope.suppressed and not built.get("suppressed"):
        return False
    desks = {desk.pk for desk in scope.desks}
    municipalities = {m.pk for m in scope.municipalities}
    return set(built.get("desks", [])) <= desks and set(built.get("municipalities", [])) <= municipalities


# --- asking for an export --------------------------------------------------------------------


def export_job_request(
    *,
    acting_user,
    kind: str,
    year: int | None = None,
    period: Period | None = None,
    desks=(),
    municipality=None,
) -> ExportJob:
    """Queue an export for ``acting_user``: the annual report of ``year`` or all tables of
    ``period``, for the chosen desks (default: all in scope) and municipality. Choices outside
    the user's scope are dropped, as on the dashboard. The task starts after the commit."""
    if kind not in Kind.values:
        raise ValidationError(_("Onbekende soort export."))
    scope = insight_scope(acting_user)
    if not acting_user.has_perm("insights.view_dashboard") or scope.is_empty:
        raise PermissionDenied
    if kind == Kind.ANNUAL_REPORT and year is None:
        raise ValidationError(_("Kies een jaar."))
    if kind == Kind.ALL_TABLES and period is None:
        raise ValidationError(_("Kies een periode."))
    wanted = {int(getattr(desk, "pk", desk)) for desk in desks or ()}
    chosen = [desk for desk in scope.desks if desk.pk in wanted]
    municipality_id = getattr(municipality, "pk", municipality)
    chosen_municipality = next((m for m in scope.municipalities if m.pk == municipality_id), None)
    subject = report_subject(scope, chosen, chosen_municipality)
    parameters: dict[str, Any] = {
        "desks": [desk.pk for desk in chosen],
        "municipality": chosen_municipality.pk if chosen_municipality else None,
        "scope": scope_record(scope),
    }
    if kind == Kind.ANNUAL_REPORT:
        parameters["year"] = int(year)
        title = _("Jaarverslag %(year)s · %(subject)s") % {"year": year, "subject": subject}
    else:
        parameters |= {"first": f"{period.first:%Y-%m}", "last": f"{period.last:%Y-%m}"}
        title = _("Alle tabellen · %(period)s · %(subject)s") % {"period": period.label, "subject": subject}

    with transaction.atomic():
        # (Two requests at the very same moment might both pass: one job too many, no harm.)
        open_jobs = ExportJob.objects.filter(
            requested_by=acting_user, status__in=[Status.QUEUED, Status.RUNNING]
        ).count()
        if open_jobs >= MAX_OPEN_JOBS:
            raise ValidationError(
                _("U heeft al %(count)s exports in de maak. Wacht tot er een klaar is.")
                % {"count": open_jobs}
            )
        job = ExportJob.objects.create(
            requested_by=acting_user,
            kind=kind,
            title=title[: ExportJob._meta.get_field("title").max_length],
            parameters=parameters,
            message=_("In de wachtrij"),
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from schakelpunt.insights.tasks import build_export

    build_export.enqueue(job_id)


# --- building it (the task) ------------------------------------------------------------------


def _progress_of(job: ExportJob) -> Progress:
    def progress(percent: int, message: str) -> None:
        ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            progress=min(99, max(1, int(percent))), message=str(message)[:300]
        )

    return progress


def _build_annual_report(job: ExportJob, user, scope: Scope, progress: Progress):
    parameters = job.parameters
    report = annual_report(
        viewer=user,
        year=int(parameters["year"]),
        desks=parameters.get("desks") or None,
        municipality=parameters.get("municipality"),
        scope=scope,
        progress=progress,
    )
    content = annual_report_pdf(report, progress=progress)
    return content, report.filename, PDF_TYPE, _built(report.board)


def _build_all_tables(job: ExportJob, user, scope: Scope, progress: Progress):
    parameters = job.parameters
    period = Period(parse_month(parameters["first"]), parse_month(parameters["last"]))
    desks, municipality = parameters.get("desks") or None, parameters.get("municipality")
    progress(10, _("Cijfers berekenen"))
    board = dashboard(viewer=user, period=period, desks=desks, municipality=municipality, scope=scope)
    progress(40, _("Bereik per wijk berekenen"))
    reach = reach_analysis(viewer=user, period=period, desks=desks, municipality=municipality, scope=scope)
    progress(70, _("Werkmap schrijven"))
    content = tables_xlsx(
        [*board.tables, *reach.tables],
        title=job.title,
        period=period,
        scope_label=board.scope_label,
        suppressed=board.suppressed,
    )
    return content, f"schakelpunt-alle-tabellen-{period.slug}.xlsx", XLSX_TYPE, _built(board)


BUILDERS = {Kind.ANNUAL_REPORT: _build_annual_report, Kind.ALL_TABLES: _build_all_tables}


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the export of a queued job: claim it, compute the figures with the requester's
    current permissions, store the file and mark it done, or record why it failed. Never
    raises for a failed export (the job says what went wrong); returns the job, or None when
    it does not exist."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, progress=1, message=_("Begonnen")
    )
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or not claimed:
        return job  # gone, or already run (a task delivered twice)
    user = job.requested_by
    with translation.override(settings.LANGUAGE_CODE):
        try:
            scope = insight_scope(user)
            if not user.is_active or not user.has_perm("insights.view_dashboard") or scope.is_empty:
                raise ExportRefused(_("U heeft geen toegang (meer) tot deze cijfers; er is niets gemaakt."))
            content, filename, content_type, built = BUILDERS[job.kind](job, user, scope, _progress_of(job))
            _finish(job, content=content, filename=filename, content_type=content_type, built=built)
        except ExportRefused as refused:
            _fail(job, str(refused))
        except Exception:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            _fail(job, str(FAILED_MESSAGE))
    job.refresh_from_db()
    return job


def _finish(job: ExportJob, *, content: bytes, filename: str, content_type: str, built: dict) -> None:
    name = default_storage.save(export_path(job, filename), ContentFile(content))
    finished = timezone.now()
    done = ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.DONE,
        progress=100,
        message=_("Klaar"),
        file=name,
        filename=filename,
        content_type=content_type,
        size=len(content),
        finished_at=finished,
        expires_at=finished + datetime.timedelta(days=settings.INSIGHTS_EXPORT_RETENTION_DAYS),
        parameters={**job.parameters, "built": built},
    )
    if not done:  # given up on meanwhile (the clean-up): keep no file nobody refers to
        default_storage.delete(name)


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED, message=message[:300], finished_at=timezone.now()
    )


# --- reading ---------------------------------------------------------------------------------


def export_jobs_of(viewer):
    """The viewer's own jobs, newest first."""
    return ExportJob.objects.visible_to(viewer).order_by("-created_at", "-id")


def export_job_for_download(*, viewer, pk: int) -> ExportJob:
    """The viewer's finished job whose file they may still have: 404 for anything else
    (someone else's job, not ready, expired, or figures outside the viewer's current scope)."""
    job = get_visible_or_404(ExportJob.objects, viewer, pk=pk)
    if not job.is_ready or (job.expires_at is not None and job.expires_at <= timezone.now()):
        raise Http404
    if not scope_covers(insight_scope(viewer), job.parameters.get("built")):
        raise Http404
    return job


# --- cleaning up (daily) ---------------------------------------------------------------------


def export_jobs_cleanup(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remove the files of jobs past their ``expires_at`` (the job stays, as expired), give
    up on jobs no worker finished within a day, and remove files in the export folder that no
    job refers to and that are older than the retention period. Returns what it did."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=Status.DONE, expires_at__lte=now).only("pk", "file"):
        if job.file:
            default_storage.delete(job.file.name)
        expired += ExportJob.objects.filter(pk=job.pk, status=Status.DONE).update(
            status=Status.EXPIRED, file="", message=_("Verlopen: het bestand is verwijderd.")
        )
    abandoned = ExportJob.objects.filter(
        status__in=[Status.QUEUED, Status.RUNNING], created_at__lte=now - ABANDONED_AFTER
    ).update(
        status=Status.FAILED,
        finished_at=now,
        message=_("Afgebroken: de export is niet binnen een dag gemaakt. Vraag hem opnieuw aan."),
    )
    cutoff = now - datetime.timedelta(days=settings.INSIGHTS_EXPORT_RETENTION_DAYS)
    referred = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    orphans = 0
    for name in _stored_files(EXPORT_FOLDER):
        if name not in referred and default_storage.get_modified_time(name) <= cutoff:
            default_storage.delete(name)
            orphans += 1
    if expired or abandoned or orphans:
        logger.info("Export clean-up: %s expired, %s abandoned, %s stray files", expired, abandoned, orphans)
    return {"expired": expired, "abandoned": abandoned, "orphans": orphans}


def _stored_files(folder: str) -> list[str]:
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in folders:
        names.extend(_stored_files(f"{folder}/{sub}"))
    return names
