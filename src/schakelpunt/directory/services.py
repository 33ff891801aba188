"""Every write to the social map: editing services and recording advice at the desk.

Views, forms, the API, commands and tasks call these functions; none saves a model itself.
"""

# --- Editing the directory ----------------------------------------------------------------------
# Partners change the services of the directory organisation linked to their own participating
# organisation; the functional administrator changes all (``Service.objects.editable_by``).
# Every change goes through django-simple-history with the acting user; what the service row
# itself does not hold (terms, areas, opening hours) is summed up in the history's change
# reason. ``version`` is raised on every change, so a form opened earlier is refused
# (ConflictError) instead of overwriting someone else's work.

SERVICE_FIELDS = frozenset(
    {
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "wait_time",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "is_free",
        "capacity",
        "capacity_wait_band",
    }
)
# Besides the fields: "terms" (taxonomy terms), "municipalities" (the service areas that cover a
# municipality), "schedules" (the weekly opening hours, see ``_schedules_set``), "confirm".
RELATED_KEYS = frozenset({"terms", "municipalities", "schedules", "confirm"})
SCHEDULE_FIELDS = ("byday", "opens_at", "closes_at", "description")


def organizations_editable_by(user):
    """The directory organisations for which ``user`` may change and add services."""
    from schakelpunt.directory.models import Organization

    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.has_perm("directory.change_any_service"):
        return Organization.objects.all()
    if user.has_perm("directory.change_service") and user.organisation_id:
        return Organization.objects.filter(participant_id=user.organisation_id)
    return Organization.objects.none()


def _editable_locked(acting_user, service):
    """The service, locked for the change; PermissionDenied when the user may not change it."""
    from django.core.exceptions import PermissionDenied

    from schakelpunt.directory.models import Service

    locked = Service.objects.editable_by(acting_user).select_for_update().filter(pk=service.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked


def _save_service(service, *, acting_user, reason: list[str]) -> None:
    """Validate, raise the version and save with the acting user in the history."""
    from django.utils import timezone

    service.full_clean()
    service.version += 1
    service.last_modified = timezone.now()
    service._history_user = acting_user
    service._change_reason = "\n".join(reason) or None
    service.save()
    service._change_reason = None


def _refresh(service) -> None:
    from schakelpunt.directory.indexing import refresh_search_text

    refresh_search_text([service.pk])


def _clean_text(value):
    # Browsers send line breaks as CRLF; stored text has \n (compare like with like).
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _confirm(service, acting_user) -> None:
    from django.utils import timezone

    service.assured_date = timezone.localdate()
    service.assurer_email = acting_user.email or ""


def _capacity_normalised(service) -> None:
    from schakelpunt.directory.models import Service

    if service.capacity != Service.Capacity.WAITING_LIST:
        service.capacity_wait_band = ""


def _terms_set(service, terms) -> str:
    """Give the service exactly ``terms``; return a summary of what changed ("" for nothing)."""
    from django.utils.translation import gettext as _

    from schakelpunt.directory.models import ServiceTerm

    wanted = {term.pk: term for term in terms}
    current = {link.taxonomy_term_id: link for link in service.service_terms.select_related("taxonomy_term")}
    added = [wanted[pk] for pk in wanted if pk not in current]
    removed = [link for pk, link in current.items() if pk not in wanted]
    if removed:
        ServiceTerm.objects.filter(pk__in=[link.pk for link in removed]).delete()
    ServiceTerm.objects.bulk_create([ServiceTerm(service=service, taxonomy_term=term) for term in added])
    if not added and not removed:
        return ""
    parts = [f"+ {term.name}" for term in sorted(added, key=lambda t: t.code)]
    parts += [
        f"− {link.taxonomy_term.name}" for link in sorted(removed, key=lambda lk: lk.taxonomy_term.code)
    ]
    return _("Termen: %(changes)s.") % {"changes": ", ".join(parts)}


def _areas_set(service, municipalities) -> str:
    """The service areas that cover a whole municipality become exactly ``municipalities``;
    areas for a district or a named area stay as they are."""
    from django.utils.translation import gettext as _

    from schakelpunt.directory.models import ServiceArea

    wanted = {municipality.pk: municipality for municipality in municipalities}
    current = {
        area.municipality_id: area
        for area in service.service_areas.filter(
            municipality__isnull=False, district__isnull=True
        ).select_related("municipality")
    }
    added = [wanted[pk] for pk in wanted if pk not in current]
    removed = [area for pk, area in current.items() if pk not in wanted]
    if removed:
        ServiceArea.objects.filter(pk__in=[area.pk for area in removed]).delete()
    ServiceArea.objects.bulk_create(
        [
            ServiceArea(service=service, municipality=municipality, name=municipality.name, extent_type="")
            for municipality in added
        ]
    )
    if not added and not removed:
        return ""
    parts = [f"+ {municipality.name}" for municipality in sorted(added, key=lambda m: m.name)]
    parts += [f"− {area.municipality.name}" for area in sorted(removed, key=lambda a: a.municipality.name)]
    return _("Werkgebied: %(changes)s.") % {"changes": ", ".join(parts)}


def weekly_schedules(service):
    """The opening hours the edit form manages: the service's own weekly schedules on plain
    weekdays. Other forms (monthly, per location, from an import) are left as they are."""
    from django.db.models import Q

    from schakelpunt.directory.models import Schedule

    return (
        Schedule.objects.filter(service=service, service_at_location__isnull=True, bymonthday="")
        .filter(Q(freq=Schedule.Freq.WEEKLY) | Q(freq=""))
        .exclude(byday="")
        .exclude(byday__regex=r"[0-9]")
        .order_by("created_at", "pk")
    )


def schedule_label(values: dict) -> str:
    from schakelpunt.directory.opening import _day_names

    names = _day_names()
    days = ", ".join(names.get(code, code) for code in values["byday"].split(",") if code)
    window = ""
    if values.get("opens_at") and values.get("closes_at"):
        window = f" {values['opens_at']:%H:%M}–{values['closes_at']:%H:%M}"
    return f"{days}{window}"


def _schedule_values(data: dict) -> dict:
    values = {name: data.get(name) for name in SCHEDULE_FIELDS}
    values["description"] = _clean_text(values.get("description") or "")
    byday = values.get("byday") or ""
    if isinstance(byday, list | tuple):
        byday = ",".join(byday)
    values["byday"] = byday.upper()
    return values


def _schedule_check(values: dict) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from schakelpunt.directory.opening import DAY_CODES

    errors = {}
    days = [code for code in values["byday"].split(",") if code]
    if not days or any(code not in DAY_CODES for code in days):
        errors["byday"] = _("Kies minstens één dag.")
    if values["opens_at"] is None or values["closes_at"] is None:
        errors["opens_at"] = _("Vul de tijd van openen en sluiten in.")
    elif values["opens_at"] >= values["closes_at"]:
        errors["closes_at"] = _("De sluitingstijd moet na de openingstijd liggen.")
    if errors:
        raise ValidationError(errors)


def _schedule_add(service, data: dict, acting_user) -> str:
    from django.utils.translation import gettext as _

    from schakelpunt.directory.models import Schedule

    values = _schedule_values(data)
    _schedule_check(values)
    schedule = Schedule(service=service, freq=Schedule.Freq.WEEKLY, **values)
    schedule._history_user = acting_user
    schedule.save()
    return _("Openingstijd toegevoegd: %(hours)s.") % {"hours": schedule_label(values)}


def _schedule_change(schedule, data: dict, acting_user) -> str:
    from django.utils.translation import gettext as _

    values = _schedule_values(data)
    _schedule_check(values)
    before = {name: getattr(schedule, name) for name in SCHEDULE_FIELDS}
    if before == values:
        return ""
    for name, value in values.items():
        setattr(schedule, name, value)
    schedule._history_user = acting_user
    schedule.save()
    return _("Openingstijd gewijzigd: %(before)s → %(after)s.") % {
        "before": schedule_label(before),
        "after": schedule_label(values),
    }


def _schedule_remove(schedule, acting_user) -> str:
    from django.utils.translation import gettext as _

    label = schedule_label({name: getattr(schedule, name) for name in SCHEDULE_FIELDS})
    schedule._history_user = acting_user
    schedule.delete()
    return _("Openingstijd verwijderd: %(hours)s.") % {"hours": label}


def _schedules_set(service, rows: list[dict], acting_user) -> list[str]:
    """Make the weekly schedules what ``rows`` say: a row with the ``id`` of an existing one
    changes it (or removes it with ``delete``), a row without ``id`` adds one; existing weekly
    schedules that no row names stay."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    existing = {str(schedule.pk): schedule for schedule in weekly_schedules(service)}
    summary = []
    for row in rows:
        pk = str(row["id"]) if row.get("id") else None
        if pk and pk not in existing:
            raise ValidationError(_("Deze openingstijd hoort niet (meer) bij de dienst."))
        if pk and row.get("delete"):
            summary.append(_schedule_remove(existing[pk], acting_user))
        elif pk:
            summary.append(_schedule_change(existing[pk], row, acting_user))
        elif not row.get("delete"):
            summary.append(_schedule_add(service, row, acting_user))
    return [line for line in summary if line]


def _apply(service, data: dict) -> None:
    """Set the fields in ``data`` on the service (the related keys are for ``_related``)."""
    unknown = set(data) - SERVICE_FIELDS - RELATED_KEYS
    if unknown:
        raise ValueError(f"unknown service fields: {sorted(unknown)}")
    for name in SERVICE_FIELDS & set(data):
        setattr(service, name, _clean_text(data[name]))
    _capacity_normalised(service)


def service_create(*, acting_user, organization, data: dict):
    """Add a service for a directory organisation the user may edit services of."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.utils import timezone

    from schakelpunt.directory.models import Service

    if organization is None or not organizations_editable_by(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        service = Service(organization=organization, last_modified=timezone.now())
        _apply(service, data)
        # A new entry is as fresh as it gets: its provider has just written it down.
        _confirm(service, acting_user)
        if service.capacity != Service.Capacity.UNKNOWN:
            service.capacity_confirmed_on = timezone.localdate()
        service.full_clean()
        service._history_user = acting_user
        service.save()
        reason = _related(service, data, acting_user)
        if reason:
            # The row was written before its terms and hours: record them on it.
            history = service.history.first()
            history.history_change_reason = "\n".join(reason)
            history.save(update_fields=["history_change_reason"])
        _refresh(service)
    return service


def _related(service, data: dict, acting_user) -> list[str]:
    reason = []
    if "terms" in data:
        reason.append(_terms_set(service, data["terms"]))
    if "municipalities" in data:
        reason.append(_areas_set(service, data["municipalities"]))
    if "schedules" in data:
        reason.extend(_schedules_set(service, data["schedules"], acting_user))
    return [line for line in reason if line]


def service_update(*, acting_user, service, data: dict, expected_version: int):
    """Change a service (fields, and optionally its terms, areas and weekly opening hours).

    Refused with PermissionDenied when the user may not change it, and with ConflictError when
    someone saved it after ``expected_version`` was read. ``data["confirm"]`` also confirms the
    details (assured date today). Nothing changed: nothing saved, the version stays.
    """
    from django.db import transaction
    from django.utils import timezone

    from schakelpunt.core.exceptions import ConflictError

    with transaction.atomic():
        locked = _editable_locked(acting_user, service)
        if locked.version != expected_version:
            raise ConflictError
        before = {name: getattr(locked, name) for name in SERVICE_FIELDS}
        before_capacity = (locked.capacity, locked.capacity_wait_band)
        _apply(locked, data)
        changed_fields = [name for name in SERVICE_FIELDS if getattr(locked, name) != before[name]]
        if (locked.capacity, locked.capacity_wait_band) != before_capacity:
            locked.capacity_confirmed_on = timezone.localdate()
        if data.get("confirm"):
            _confirm(locked, acting_user)
        # Check the fields before the related rows change, so a refused save changes nothing.
        locked.full_clean()
        reason = _related(locked, data, acting_user)
        if not changed_fields and not reason and not data.get("confirm"):
            return locked
        _save_service(locked, acting_user=acting_user, reason=reason)
        _refresh(locked)
    return locked


def service_confirm(*, acting_user, service):
    """ "Gegevens kloppen nog": the assured date becomes today, by the user's e-mail address."""
    from django.db import transaction

    with transaction.atomic():
        locked = _editable_locked(acting_user, service)
        _confirm(locked, acting_user)
        # Nothing an open edit form holds has changed: the version stays, so that the form
        # can still be saved after a colleague confirmed.
        locked._history_user = acting_user
        locked.save(update_fields=["assured_date", "assurer_email", "updated_at"])
    return locked


def service_capacity_update(*, acting_user, service, capacity: str, wait_band: str = ""):
    """Record the capacity now (available / waiting list with a wait band / full)."""
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        locked = _editable_locked(acting_user, service)
        locked.capacity = capacity
        locked.capacity_wait_band = wait_band or ""
        _capacity_normalised(locked)
        locked.capacity_confirmed_on = timezone.localdate()
        _save_service(locked, acting_user=acting_user, reason=[])
    return locked


def service_terms_set(*, acting_user, service, terms):
    """Give the service exactly ``terms``."""
    return _change_related(acting_user, service, {"terms": list(terms)})


def service_areas_set(*, acting_user, service, municipalities):
    """The municipalities the service covers (its service areas without a district)."""
    return _change_related(acting_user, service, {"municipalities": list(municipalities)})


def schedule_add(*, acting_user, service, data: dict):
    """Add a weekly opening time: ``byday`` ("MO,TU"), ``opens_at``, ``closes_at``, ``description``."""
    return _change_related(acting_user, service, {"schedules": [{**data, "id": None}]})


def schedule_update(*, acting_user, schedule, data: dict):
    return _change_related(acting_user, schedule.service, {"schedules": [{**data, "id": schedule.pk}]})


def schedule_remove(*, acting_user, schedule):
    return _change_related(
        acting_user, schedule.service, {"schedules": [{"id": schedule.pk, "delete": True}]}
    )


def _change_related(acting_user, service, data: dict):
    from django.db import transaction

    with transaction.atomic():
        locked = _editable_locked(acting_user, service)
        reason = _related(locked, data, acting_user)
        if reason:
            _save_service(locked, acting_user=acting_user, reason=reason)
            _refresh(locked)
    return locked


# --- Reminders about services to be checked -----------------------------------------------------


def stale_reminders_send(*, now=None) -> dict[str, int]:
    """Mail each directory organisation with services to be checked the list of them, at most
    once per ``DIRECTORY_REMINDER_INTERVAL_DAYS``. Recipients: the active users of the linked
    participant who may change services; without any, the organisation's own address.
    Returns counts: organisations mailed, skipped (reminded recently), without address."""
    import datetime
    from collections import defaultdict

    from django.conf import settings
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from schakelpunt.directory.models import Organization, Service, StaleReminder
    from schakelpunt.directory.notifications import stale_reminder_recipients, stale_reminder_send

    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - datetime.timedelta(days=settings.DIRECTORY_REMINDER_INTERVAL_DAYS)
    stale = (
        Service.objects.stale(today=today)
        .filter(organization__isnull=False)
        .order_by(F("assured_date").asc(nulls_first=True), "name")
        .only("id", "name", "assured_date", "organization_id")
    )
    by_organization = defaultdict(list)
    for service in stale:
        by_organization[service.organization_id].append(service)
    recent = set(
        StaleReminder.objects.filter(organization_id__in=by_organization, sent_at__gt=since).values_list(
            "organization_id", flat=True
        )
    )
    counts = {"mailed": 0, "skipped": 0, "no_address": 0}
    organizations = Organization.objects.filter(pk__in=by_organization).select_related("participant")
    for organization in organizations.order_by("name"):
        if organization.pk in recent:
            counts["skipped"] += 1
            continue
        recipients = stale_reminder_recipients(organization)
        if not recipients:
            counts["no_address"] += 1
            continue
        services = by_organization[organization.pk]
        with transaction.atomic():
            StaleReminder.objects.update_or_create(
                organization=organization,
                defaults={
                    "sent_at": now,
                    "services_count": len(services),
                    "recipients": ", ".join(recipients),
                },
            )
            transaction.on_commit(
                lambda o=organization, s=services, r=recipients: stale_reminder_send(
                    organization=o, services=s, recipients=r, today=today
                )
            )
        counts["mailed"] += 1
    return counts


# --- Advice recorded on a question --------------------------------------------------------------
# Advice is about a question, and a question about a resident is personal data: each change
# writes an access-log row in the same transaction, like the other writes to a question.


def _log_advice(*, acting_user, question, advice_id, action, request) -> None:
    from schakelpunt.audit.services import access_log_record, on_behalf_of_resident

    if question.resident_id:
        access_log_record(
            acting_user=acting_user,
            action=action,
            object_type="directory.serviceadvice",
            object_id=advice_id,
            request=request,
            purpose="advice",
            on_behalf_of=on_behalf_of_resident(question.resident_id),
        )


def service_advice_add(*, acting_user, question, service, note: str = "", request=None):
    """Record that the desk advised ``service`` for ``question``; advising it again keeps the
    first advice (and its note). The caller checks that the user may see the question."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from schakelpunt.audit.services import Action
    from schakelpunt.directory.models import Service, ServiceAdvice

    if service.status == Service.Status.DEFUNCT:
        raise ValidationError(_("Deze dienst bestaat niet meer en kan niet worden geadviseerd."))
    with transaction.atomic():
        advice, created = ServiceAdvice.objects.get_or_create(
            question=question,
            service=service,
            defaults={"advised_by": acting_user, "note": note.strip()[:500]},
        )
        if created:
            _log_advice(
                acting_user=acting_user,
                question=question,
                advice_id=advice.pk,
                action=Action.CREATE,
                request=request,
            )
    return advice


def service_advice_remove(*, acting_user, question, service, request=None) -> bool:
    """Take an advised service off the question; False when it was not advised."""
    from django.db import transaction

    from schakelpunt.audit.services import Action
    from schakelpunt.directory.models import ServiceAdvice

    with transaction.atomic():
        advice = ServiceAdvice.objects.select_for_update().filter(question=question, service=service).first()
        if advice is None:
            return False
        advice_id = advice.pk
        advice.delete()
        _log_advice(
            acting_user=acting_user,
            question=question,
            advice_id=advice_id,
            action=Action.DELETE,
            request=request,
        )
    return True
