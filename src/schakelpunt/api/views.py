from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from schakelpunt.api.permissions import FollowsAccessRule
from schakelpunt.core.access import authenticated_rule


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: it holds no data, but is only for logged-in users."""

    access_rule = authenticated_rule()
    permission_classes = [FollowsAccessRule]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, from our own static files (template without inline style: CSP)."""

    access_rule = authenticated_rule()
    login_page_for_anonymous = True
    permission_classes = [FollowsAccessRule]
    url_name = "api:schema"
