"""Showing a resident's sensitive fields only to those who may see them."""

from django import template
from django.utils.translation import gettext as _

from schakelpunt.core.logging import mask_bsn

register = template.Library()


@register.simple_tag(takes_context=True)
def resident_bsn(context, resident) -> str:
    """The BSN for who holds ``residents.can_view_bsn``; otherwise nothing at all."""
    user = context["request"].user
    if not resident.bsn or not user.has_perm("residents.can_view_bsn"):
        return ""
    return resident.bsn


@register.simple_tag(takes_context=True)
def resident_address(context, resident) -> str:
    """The address, hidden for residents under secrecy unless the user may see it."""
    user = context["request"].user
    if resident.is_secret and not user.has_perm("residents.can_view_secret_address"):
        return _("Adres afgeschermd (geheimhouding)")
    return resident.address


@register.filter
def masked_bsn(value: str) -> str:
    return mask_bsn(value)
