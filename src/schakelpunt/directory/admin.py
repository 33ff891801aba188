"""The social map in the admin site: for the functional administrator, who links directory
organisations to participants, keeps locations and the taxonomies, and can correct anything.

The admin site lets in staff users and then checks the model permission of each page
(docs/subsystems/access.md). Services are the exception: ``directory.change_service`` is
also the partner's permission for *their own* services, so the admin site asks for
``directory.change_any_service`` before it changes or deletes a service. Every change is kept
in the history (SimpleHistoryAdmin shows it under "Geschiedenis"); what changes the search
text of services refreshes it.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin as BaseHistoryAdmin

from schakelpunt.directory.indexing import refresh_search_text
from schakelpunt.directory.models import (
    Accessibility,
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTerm,
    StaleReminder,
    Taxonomy,
    TaxonomyTerm,
)


def _refresh_services_of(organization_ids=(), term_ids=()) -> None:
    ids = set()
    if organization_ids:
        ids |= set(Service.objects.filter(organization_id__in=organization_ids).values_list("pk", flat=True))
    if term_ids:
        ids |= set(
            ServiceTerm.objects.filter(taxonomy_term_id__in=term_ids).values_list("service_id", flat=True)
        )
    refresh_search_text(ids)


class SimpleHistoryAdmin(BaseHistoryAdmin):
    """SimpleHistoryAdmin whose history page answers 404, not 500, to an id that is no UUID."""

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context=extra_context)


class TaxonomyTermInline(admin.TabularInline):
    model = TaxonomyTerm
    fk_name = "taxonomy_detail"
    fields = ["code", "name", "description", "parent"]
    extra = 0
    show_change_link = True
    autocomplete_fields = ["parent"]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "facet", "version"]
    list_filter = ["facet"]
    search_fields = ["name"]
    inlines = [TaxonomyTermInline]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "taxonomy_detail", "parent"]
    list_filter = ["taxonomy_detail"]
    search_fields = ["code", "name", "description"]
    autocomplete_fields = ["parent", "taxonomy_detail"]
    list_select_related = ["taxonomy_detail", "parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _refresh_services_of(term_ids=[obj.pk])


class LocationInline(admin.TabularInline):
    model = Location
    fields = ["name", "location_type", "municipality", "district"]
    extra = 0
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "participant", "email", "website"]
    list_filter = [("participant", admin.EmptyFieldListFilter)]
    search_fields = ["name", "alternate_name", "email"]
    autocomplete_fields = ["participant", "parent_organization"]
    list_select_related = ["participant"]
    fieldsets = (
        (None, {"fields": ("name", "alternate_name", "description", "participant")}),
        (_("Contact"), {"fields": ("email", "website", "logo", "uri")}),
        (
            _("Organisatie"),
            {
                "fields": (
                    "legal_status",
                    "tax_status",
                    "tax_id",
                    "year_incorporated",
                    "parent_organization",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    inlines = [LocationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _refresh_services_of(organization_ids=[obj.pk])


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


class AccessibilityInline(admin.TabularInline):
    model = Accessibility
    extra = 0


class PhoneInline(admin.TabularInline):
    model = Phone
    fk_name = "location"
    fields = ["number", "type", "description"]
    extra = 0


class LocationScheduleInline(admin.TabularInline):
    model = Schedule
    fk_name = "location"
    fields = ["freq", "byday", "opens_at", "closes_at", "description"]
    extra = 0


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "location_type", "municipality"]
    list_filter = ["location_type", "municipality"]
    search_fields = ["name", "organization__name", "addresses__address_1", "addresses__postal_code"]
    autocomplete_fields = ["organization", "municipality", "district"]
    list_select_related = ["organization", "municipality"]
    inlines = [AddressInline, AccessibilityInline, PhoneInline, LocationScheduleInline]


class ServiceTermInline(admin.TabularInline):
    model = ServiceTerm
    fields = ["taxonomy_term"]
    autocomplete_fields = ["taxonomy_term"]
    extra = 0


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    fk_name = "service"
    fields = ["name", "municipality", "district"]
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    fields = ["location", "description"]
    autocomplete_fields = ["location"]
    extra = 0


class ServiceScheduleInline(admin.TabularInline):
    model = Schedule
    fk_name = "service"
    fields = ["freq", "byday", "bymonthday", "opens_at", "closes_at", "description"]
    extra = 0


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "status", "capacity", "assured_date"]
    list_filter = ["status", "capacity", "is_free", "organization"]
    search_fields = ["name", "alternate_name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    date_hierarchy = "assured_date"
    readonly_fields = ["version", "last_modified"]
    inlines = [ServiceTermInline, ServiceAreaInline, ServiceAtLocationInline, ServiceScheduleInline]

    # Partners hold change_service for their own services only (views_edit); the admin site
    # changes any service, so it asks for change_any_service.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.has_perm(
            "directory.change_any_service"
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm("directory.change_any_service")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm(
            "directory.change_any_service"
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_search_text([form.instance.pk])


@admin.register(StaleReminder)
class StaleReminderAdmin(admin.ModelAdmin):
    list_display = ["organization", "sent_at", "services_count", "recipients"]
    search_fields = ["organization__name"]
    readonly_fields = ["organization", "sent_at", "services_count", "recipients"]
    list_select_related = ["organization"]

    def has_add_permission(self, request):
        return False
