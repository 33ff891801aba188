import datetime

from django.db.models import QuerySet
from django.utils import timezone

from schakelpunt.audit.models import AccessLog

PAGE_SIZE = 50


def access_log_list(*, viewer, filters: dict) -> QuerySet[AccessLog]:
    """Rows of the access log matching ``filters`` (cleaned form data), newest first."""
    rows = AccessLog.objects.visible_to(viewer).order_by("-id")
    if filters.get("username"):
        rows = rows.filter(username=filters["username"])
    if filters.get("object_type"):
        rows = rows.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        rows = rows.filter(object_id=filters["object_id"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("result"):
        rows = rows.filter(result=filters["result"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = datetime.datetime.combine(filters["date_from"], datetime.time.min, tzinfo=tz)
        rows = rows.filter(timestamp__gte=start)
    if filters.get("date_to"):
        end = datetime.datetime.combine(
            filters["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        rows = rows.filter(timestamp__lt=end)
    return rows


def keyset_page(rows: QuerySet[AccessLog], before: int | None) -> tuple[list[AccessLog], int | None]:
    """One page of rows older than ``before`` (an id), and the cursor of the next page.

    Keyset pagination: no COUNT(*) over a table of tens of millions of rows.
    """
    if before is not None:
        rows = rows.filter(id__lt=before)
    page = list(rows.select_related("organisation")[: PAGE_SIZE + 1])
    next_cursor = page[PAGE_SIZE - 1].id if len(page) > PAGE_SIZE else None
    return page[:PAGE_SIZE], next_cursor
