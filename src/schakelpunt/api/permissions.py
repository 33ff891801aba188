"""API permissions. The default refuses everything; endpoints name their access rule."""

from rest_framework.permissions import BasePermission

from schakelpunt.core.access import rule_for


class DenyAll(BasePermission):
    """The default: an endpoint that forgot to say who may use it is closed."""

    def has_permission(self, request, view) -> bool:
        return False


class FollowsAccessRule(BasePermission):
    """Let in whom the view's ``access_rule`` lets in: the same rules as the web pages."""

    def has_permission(self, request, view) -> bool:
        rule = rule_for(type(view))
        allowed = rule is not None and rule.allows(request.user)
        if not allowed and request.user.is_authenticated:
            from schakelpunt.audit.services import access_log_refused

            # Refused API calls are logged like refused pages (the middleware leaves the
            # API to DRF, which authenticates after the middleware has run).
            match = request.resolver_match
            access_log_refused(
                request=request, object_type="view", object_id=match.view_name if match else ""
            )
        return allowed
