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
        return rule is not None and rule.allows(request.user)
