"""API keys for partners' own systems: ``Authorization: Token <key>``.

A key belongs to an API account of the partner organisation (a user with the partner role
and no password), so the same permissions, visibility rules and access log apply as on the
web pages. Only a hash of the key is stored.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from schakelpunt.referrals.models import ApiToken
from schakelpunt.referrals.services import api_token_used


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ongeldige Authorization-header: gebruik 'Token <sleutel>'.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel.")) from None
        token = (
            ApiToken.objects.select_related("account", "account__organisation")
            .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.account.is_active:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        api_token_used(token=token)
        return token.account, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Token <sleutel> — een API-sleutel van uw organisatie. / An API key of your organisation."
            ),
        }
