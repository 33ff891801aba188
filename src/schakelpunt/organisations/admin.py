from django.contrib import admin

from schakelpunt.organisations.models import (
    Desk,
    District,
    Location,
    Municipality,
    OpeningHours,
    Organisation,
    Participation,
    PopulationFigure,
    PostcodeArea,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation", "desk"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "municipality", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name"]
    inlines = [ParticipationInline]


class LocationInline(admin.StackedInline):
    model = Location
    extra = 0
    show_change_link = True
    autocomplete_fields = ["municipality"]


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    inlines = [LocationInline, ParticipationInline]


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 1


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "desk", "town", "is_active"]
    list_filter = ["desk", "municipality", "is_active"]
    search_fields = ["name", "town", "postcode"]
    autocomplete_fields = ["municipality"]
    inlines = [OpeningHoursInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "desk",
        "collaboration_model",
        "agreement_start",
        "agreement_end",
        "yearly_contribution",
    ]
    list_filter = [
        "desk",
        "collaboration_model",
        "is_front_office",
        "is_back_office",
        "is_financier",
    ]
    search_fields = ["organisation__name", "desk__name"]
    autocomplete_fields = ["organisation", "desk"]


class PostcodeAreaInline(admin.TabularInline):
    model = PostcodeArea
    extra = 1


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "code"]
    inlines = [PostcodeAreaInline]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    """Read only: figures come in through the import (all or nothing, per municipality and
    year), linked from this list, so that a year is never half replaced by hand."""

    list_display = ["year", "municipality", "district", "age_band", "inhabitants", "imported_at"]
    list_filter = ["year", "municipality"]
    change_list_template = "admin/organisations/populationfigure/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
