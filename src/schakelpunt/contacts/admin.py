from django.contrib import admin

from schakelpunt.contacts.models import AssessmentDomain, AssessmentInstrument, LifeDomain


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_health_related", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


class AssessmentDomainInline(admin.TabularInline):
    model = AssessmentDomain
    extra = 0


@admin.register(AssessmentInstrument)
class AssessmentInstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "min_score", "max_score"]
    inlines = [AssessmentDomainInline]
