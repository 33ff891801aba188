from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from schakelpunt.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["groups", "organisation", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["groups", "desks"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email")}),
        (_("Werkplek"), {"fields": ("organisation", "desks")}),
        (_("Rollen"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
