from django.contrib import admin

from schakelpunt.referrals.models import ApiToken, ReferralAgreement


@admin.register(ReferralAgreement)
class ReferralAgreementAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "category",
        "days_to_accept",
        "days_to_first_contact",
        "days_to_complete",
        "valid_from",
    ]
    list_filter = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["category"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Keys are issued with ``schakelpunt referral_api_token`` (the key is shown once there);
    here they can be seen and revoked."""

    list_display = ["name", "key_prefix", "account", "created_at", "last_used_on", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["account", "name", "key_prefix", "created_at", "last_used_on"]
    fields = ["account", "name", "key_prefix", "created_at", "last_used_on", "revoked_at"]

    def has_add_permission(self, request):
        return False
