import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from schakelpunt.audit.models import AccessLog

PAGE_SIZE = 50


def access_log_list(*, viewer, filters: dict) -> QuerySet[AccessLog]:
    """Rows of the access log matching ``filters`` (cleaned form data), newest first.

    Each kind of filter has an index that gives its rows newest first, so a page reads about
    fifty rows however large the log (docs/subsystems/audit.md): the time, the object with the
    time, the account with the time, and the rare rows (refused, exported, deleted) by time. A
    user name is looked up as an account, so its rows are found through the account's index,
    also those written under an earlier name of it; a name no account has now is looked for in
    the rows themselves.
    """
    rows = AccessLog.objects.visible_to(viewer).order_by("-timestamp", "-id")
    if filters.get("username"):
        # The account's id as a value, not a subquery: the planner then knows how few rows
        # it has and takes the account's index instead of reading the log newest first.
        accounts = get_user_model().objects.filter(username=filters["username"]).values_list("pk", flat=True)
        if ids := list(accounts):
            rows = rows.filter(user__in=ids)
        else:
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
    """One page of ``rows`` (newest first) after the row ``before`` (an id), and the next cursor.

    Keyset pagination: no COUNT(*) over a table of tens of millions of rows. The cursor is the
    last row's id; its time is read in the same query (rows are ordered by time, then id).
    """
    if before is not None:
        moment = Subquery(AccessLog.objects.filter(pk=before).values("timestamp")[:1])
        rows = rows.filter(timestamp__lte=moment).filter(Q(timestamp__lt=moment) | Q(id__lt=before))
    page = list(rows.select_related("organisation")[: PAGE_SIZE + 1])
    next_cursor = page[PAGE_SIZE - 1].id if len(page) > PAGE_SIZE else None
    return page[:PAGE_SIZE], next_cursor
