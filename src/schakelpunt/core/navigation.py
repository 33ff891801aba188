"""The main navigation: each role sees the items whose view rule lets it in."""

from dataclasses import dataclass
from functools import cache

from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from schakelpunt.core.access import AccessRule, rule_for


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise


NAVIGATION = [
    NavItem("core:home", _("Start")),
    NavItem("contacts:intake", _("Nieuw contact")),
    NavItem("contacts:work", _("Werklijst")),
    NavItem("referrals:desk-list", _("Doorverwijzingen")),
    NavItem("referrals:inbox", _("Verwijzingen aan ons")),
    NavItem("wmo:work", _("Wmo-meldingen")),
    NavItem("signalling:list", _("Signalen")),
    NavItem("directory:search", _("Sociale kaart")),
    NavItem("directory:manage", _("Diensten beheren")),
    NavItem("organisations:participants", _("Deelnemers")),
    NavItem("insights:dashboard", _("Inzicht")),
    NavItem("audit:log", _("Toegangslog")),
    NavItem("admin:index", _("Beheer")),
    NavItem("api:docs", _("API")),
]


@cache
def _rule(url_name: str) -> tuple[str, AccessRule | None]:
    path = reverse(url_name)
    match = resolve(path)
    return path, rule_for(match.func, match)


def items_for(user, current_path: str) -> list[dict]:
    items = []
    for item in NAVIGATION:
        path, rule = _rule(item.url_name)
        if rule is not None and rule.allows(user):
            matches = current_path == path if path == "/" else current_path.startswith(path)
            items.append({"url": path, "label": item.label, "current": matches})
    # One current item: the one whose address is the longest match (/sociale-kaart/beheer/
    # is "Diensten beheren", not also "Sociale kaart").
    current = max(
        (item for item in items if item["current"]), key=lambda item: len(item["url"]), default=None
    )
    for item in items:
        item["current"] = item is current
    return items
