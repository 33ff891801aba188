"""Walk every URL pattern of a URLconf as several users and compare with the access rules.

Used by ``test_all_urls.py`` and by the test of that test. A pattern whose view has no
access rule is a problem; so is a response that lets in a user the rule refuses, or that
refuses a user the rule lets in.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import NoReverseMatch
from django.urls.resolvers import RoutePattern

from schakelpunt.core.access import AccessRule, rule_for

SAMPLE_VALUES = {
    "int": "999999",
    "slug": "onbekend",
    "str": "onbekend",
    "path": "999999",
    "uuid": str(uuid.UUID(int=1)),
}
# Regex-only parameters of Django's admin site, with a value that reverses.
SAMPLE_KWARGS_BY_PARAM = {
    "app_label": "organisations",
    "content_type_id": "1",
    "object_id": "999999",
    "uidb64": "MQ",
    "token": "x",
}
# Answers that serve nothing: refused, not found, or not a GET view at all.
DENIED = {401, 403, 404, 405}


@dataclass
class Entry:
    name: str | None
    display: str
    callback: Any
    namespaces: list[str]
    kwargs: list[str]

    @property
    def rule(self) -> AccessRule | None:
        match = type("Match", (), {"namespaces": self.namespaces})()
        return rule_for(self.callback, match)


def iter_patterns(patterns, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Entry]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from iter_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            if isinstance(pattern.pattern, RoutePattern):
                kwargs = list(pattern.pattern.converters)
            else:
                kwargs = list(pattern.pattern.regex.groupindex)
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            yield Entry(name, prefix + str(pattern.pattern), pattern.callback, list(namespaces), kwargs)


def build_url(entry: Entry, sample_kwargs: dict[str, dict]) -> str | None:
    from django.urls import reverse

    if entry.name is None:
        return None
    kwargs = dict(sample_kwargs.get(entry.name, {}))
    for param in entry.kwargs:
        if param not in kwargs:
            kwargs[param] = SAMPLE_KWARGS_BY_PARAM.get(param, SAMPLE_VALUES["str"])
    try:
        return reverse(entry.name, kwargs=kwargs)
    except NoReverseMatch:
        try:
            return reverse(entry.name, kwargs=dict.fromkeys(kwargs, SAMPLE_VALUES["int"]))
        except NoReverseMatch:
            try:
                return reverse(entry.name, kwargs=dict.fromkeys(kwargs, SAMPLE_VALUES["uuid"]))
            except NoReverseMatch:
                return None


def is_login_redirect(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 302 and ("/inloggen/" in location or "/login/" in location)


def walk(
    users: dict[str, Any], sample_kwargs: dict[str, dict] | None = None, urlconf=None
) -> tuple[list[str], int]:
    """Return the problems found and the number of requests made."""
    sample_kwargs = sample_kwargs or {}
    problems: list[str] = []
    requests = 0
    clients = {}
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[role] = (client, user)
    for entry in iter_patterns(get_resolver(urlconf).url_patterns):
        rule = entry.rule
        if rule is None:
            problems.append(f"{entry.display} ({entry.name}): view has no access rule")
            continue
        url = build_url(entry, sample_kwargs)
        if url is None:
            continue
        # The view that really answers this URL (an earlier pattern may shadow this one).
        match = resolve(url, urlconf)
        rule = rule_for(match.func, match)
        if rule is None:
            problems.append(f"{url} ({match.view_name}): view has no access rule")
            continue
        for role, (client, user) in clients.items():
            from django.contrib.auth.models import AnonymousUser

            allowed = rule.allows(user or AnonymousUser())
            response = client.get(url)
            requests += 1
            refused = response.status_code in DENIED or is_login_redirect(response)
            if allowed and rule.kind == "admin-site":
                # The admin site checks the model permission of each page itself (403);
                # what the rule promises is only that staff get past the login.
                if is_login_redirect(response):
                    problems.append(f"{url} as {role}: sent to login but is staff")
            elif allowed and rule.kind != "public" and response.status_code in {401, 403}:
                # (A public view promises nothing to check: it may still turn someone away,
                # as the admin site's login does for logged-in users who are not staff.)
                problems.append(f"{url} as {role}: refused ({response.status_code}) but rule {rule} allows")
            elif allowed and rule.kind != "public" and is_login_redirect(response):
                problems.append(f"{url} as {role}: sent to login but rule {rule} allows")
            elif not allowed and not refused:
                problems.append(f"{url} as {role}: answered {response.status_code} but rule {rule} refuses")
    return problems, requests
