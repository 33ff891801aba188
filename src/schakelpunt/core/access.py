"""Access rules: every view declares who may use it, and what is not declared is refused.

Three kinds of rule exist. ``public`` views are open to everyone (the login page, the public
desk pages, the health check). ``authenticated`` views are open to every logged-in user.
``permission`` views need one or more Django permissions. A view gets its rule from one of
the decorators below (function views) or from an ``access_rule`` class attribute (class
based views, API views). :class:`AccessRuleMiddleware` enforces the rule before the view
runs and refuses any view that has none, so a new URL is closed until someone opens it on
purpose. The test in ``tests/core/test_all_urls.py`` walks every URL as every role.

Objects are reached through ``Model.objects.visible_to(user)`` and
:func:`get_visible_or_404`, which gives the same 404 for "does not exist" and "not yours".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.urls import ResolverMatch

logger = logging.getLogger(__name__)

PUBLIC = "public"
AUTHENTICATED = "authenticated"
PERMISSION = "permission"
ADMIN_SITE = "admin-site"


@dataclass(frozen=True)
class AccessRule:
    kind: str
    permissions: tuple[str, ...] = ()
    reason: str = ""

    def allows(self, user: Any) -> bool:
        if self.kind == PUBLIC:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if self.kind == AUTHENTICATED:
            return True
        if self.kind == ADMIN_SITE:
            return user.is_staff
        return user.has_perms(self.permissions)

    def __str__(self) -> str:
        if self.kind == PERMISSION:
            return f"permission: {', '.join(self.permissions)}"
        return self.kind


def public_rule(reason: str) -> AccessRule:
    return AccessRule(PUBLIC, reason=reason)


def authenticated_rule() -> AccessRule:
    return AccessRule(AUTHENTICATED)


def permission_rule(*permissions: str) -> AccessRule:
    if not permissions:
        raise ValueError("permission_rule needs at least one permission")
    return AccessRule(PERMISSION, permissions=tuple(permissions))


def _with_rule(rule: AccessRule) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(reason: str) -> Callable:
    """Open to everyone, logged in or not. ``reason`` says why, for the reviewer."""
    return _with_rule(public_rule(reason))


def authenticated(view: Callable) -> Callable:
    """Open to every logged-in, active user."""
    return _with_rule(authenticated_rule())(view)


def permission_required(*permissions: str) -> Callable:
    """Open to users who hold every one of ``permissions``."""
    return _with_rule(permission_rule(*permissions))


# Namespaces whose views enforce access themselves (Django's admin site checks is_staff and
# the model permissions of each page).
NAMESPACE_RULES: dict[str, AccessRule] = {"admin": AccessRule(ADMIN_SITE)}


def rule_for(view_func: Callable, match: ResolverMatch | None = None) -> AccessRule | None:
    """The access rule declared for a view, or None when it has none."""
    for holder in (
        view_func,
        getattr(view_func, "view_class", None),  # Django class-based views
        getattr(view_func, "cls", None),  # Django REST framework views
    ):
        rule = getattr(holder, "access_rule", None)
        if isinstance(rule, AccessRule):
            return rule
    if match is not None:
        for namespace in match.namespaces:
            if namespace in NAMESPACE_RULES:
                return NAMESPACE_RULES[namespace]
    return None


def is_api_view(view_func: Callable) -> bool:
    return getattr(view_func, "cls", None) is not None


class AccessRuleMiddleware:
    """Enforce the view's access rule; refuse views without one."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> Any:
        rule = rule_for(view_func, request.resolver_match)
        if rule is None:
            logger.error("View without access rule refused: %s", request.resolver_match.view_name)
            raise PermissionDenied
        if (
            is_api_view(view_func)
            and getattr(view_func.cls, "login_page_for_anonymous", False)
            and not request.user.is_authenticated
        ):
            # An API page meant for people (the browsable docs): send them to the login.
            return redirect_to_login(request.get_full_path())
        if rule.kind in (PUBLIC, ADMIN_SITE) or is_api_view(view_func):
            # Public views are open; the admin site and the API (which authenticates its
            # own requests) enforce the same rule in their own permission checks.
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rule.allows(request.user):
            from schakelpunt.audit.services import access_log_refused

            access_log_refused(
                request=request, object_type="view", object_id=request.resolver_match.view_name
            )
            raise PermissionDenied
        return None


class VisibleQuerySet(models.QuerySet):
    """Base queryset for models holding data that not everyone may see.

    ``visible_to`` denies by default: a model that wants its rows seen overrides it.
    """

    def visible_to(self, user: Any) -> models.QuerySet:
        return self.none()


def get_visible_or_404(queryset: models.QuerySet, user: Any, **lookup: Any) -> models.Model:
    """Fetch one object through ``visible_to``; missing and forbidden both give 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
