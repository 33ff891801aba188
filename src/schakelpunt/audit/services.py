"""The one way to write the access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from schakelpunt.audit.models import AccessLog

Action = AccessLog.Action
Result = AccessLog.Result


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting only the configured number of proxies."""
    proxies = settings.AUDIT_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def object_label(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def on_behalf_of_resident(resident_id: int | None) -> str:
    """The ``on_behalf_of`` value of a row about a resident's file ("" when anonymous)."""
    return f"residents.resident#{resident_id}" if resident_id else ""


def access_log_record(
    *,
    acting_user: Any,
    action: str,
    object_type: str,
    object_id: str | int = "",
    result: str = Result.SUCCESS,
    request: HttpRequest | None = None,
    purpose: str = "",
    on_behalf_of: str = "",
) -> AccessLog:
    """Append one row. ``object_type`` is a model label; no free text, no BSN.

    Services call this inside their transaction, so the row and the change land together.
    """
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        roles=", ".join(user.role_names)[:300] if user else "",
        organisation_id=user.organisation_id if user else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        result=result,
        ip_address=client_ip(request) if request is not None else None,
        purpose=purpose,
        on_behalf_of=on_behalf_of,
    )


def access_log_read(*, request: HttpRequest, obj: models.Model, purpose: str = "") -> AccessLog:
    return access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type=object_label(obj),
        object_id=obj.pk,
        request=request,
        purpose=purpose,
    )


def access_log_refused(*, request: HttpRequest, object_type: str, object_id: str | int = "") -> AccessLog:
    return access_log_record(
        acting_user=request.user,
        action=Action.READ,
        object_type=object_type,
        object_id=object_id,
        result=Result.REFUSED,
        request=request,
    )


def access_log_record_many(*, acting_user: Any, entries: list[dict[str, Any]]) -> list[AccessLog]:
    """Append many rows by one actor in one INSERT, for batch jobs (the register's changes).

    Each entry holds ``action`` and ``object_type``, and optionally ``object_id``, ``result``,
    ``purpose`` and ``on_behalf_of``, as :func:`access_log_record` takes them; there is no
    request. The actor's roles are read once. Call it inside the transaction of the changes.
    """
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    actor = {
        "user": user,
        "username": user.get_username() if user else "",
        "roles": ", ".join(user.role_names)[:300] if user else "",
        "organisation_id": user.organisation_id if user else None,
    }
    rows = [
        AccessLog(
            **actor,
            action=entry["action"],
            object_type=entry["object_type"],
            object_id=str(entry.get("object_id", "")),
            result=entry.get("result", Result.SUCCESS),
            purpose=entry.get("purpose", ""),
            on_behalf_of=entry.get("on_behalf_of", ""),
        )
        for entry in entries
    ]
    return AccessLog.objects.bulk_create(rows) if rows else []
