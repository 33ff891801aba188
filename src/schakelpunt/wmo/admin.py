"""Read-only admin for Wmo reports: for the functional administrator to look into a case with
its history. Every change goes through the services (views, API, commands), so nothing can be
added, edited or deleted here; opening a report writes an access-log row. Free text about the
resident (the summary, the conversation report, the decision) is left out."""

from django.contrib import admin

from schakelpunt.audit.services import Action, access_log_record, on_behalf_of_resident
from schakelpunt.wmo.models import (
    WmoReminder,
    WmoReport,
    WmoStatusChange,
    WmoSupportRequest,
    WmoSuspension,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SupportRequestInline(ReadOnlyInline):
    model = WmoSupportRequest
    fields = ["support_type", "decision"]


class StatusChangeInline(ReadOnlyInline):
    model = WmoStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by"]


class SuspensionInline(ReadOnlyInline):
    model = WmoSuspension
    fields = ["phase", "reason", "started_on", "ended_on", "started_by"]


class ReminderInline(ReadOnlyInline):
    model = WmoReminder
    fields = ["kind", "due", "days_before", "sent_at"]


@admin.register(WmoReport)
class WmoReportAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "status",
        "desk",
        "consultant",
        "reported_on",
        "due_investigation",
        "due_decision",
        "suspended_since",
    ]
    list_filter = ["status", "desk"]
    list_select_related = ["desk", "consultant"]
    search_fields = ["=pk"]
    date_hierarchy = "reported_on"
    fields = [
        "resident_id",
        "desk",
        "question_id",
        "reported_on",
        "reporter",
        "registered_by",
        "client_support_offered",
        "client_support_accepted",
        "status",
        "status_changed_at",
        "consultant",
        "investigation_started_on",
        "personal_plan_received_on",
        "conversation_on",
        "investigation_completed_on",
        "application_received_on",
        "decision",
        "decided_on",
        "ciz_referred_on",
        "ciz_outcome",
        "ciz_outcome_on",
        "closed_on",
        "close_reason",
        "due_personal_plan",
        "due_investigation",
        "due_decision",
        "investigation_suspended_days",
        "decision_suspended_days",
        "suspended_since",
        "version",
    ]
    readonly_fields = fields
    inlines = [SupportRequestInline, StatusChangeInline, SuspensionInline, ReminderInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        report = (
            WmoReport.objects.filter(pk=object_id).only("resident_id").first()
            if object_id.isdigit()
            else None
        )
        if report is not None and response.status_code == 200:
            access_log_record(
                acting_user=request.user,
                action=Action.READ,
                object_type="wmo.wmoreport",
                object_id=report.pk,
                request=request,
                purpose="admin",
                on_behalf_of=on_behalf_of_resident(report.resident_id),
            )
        return response
