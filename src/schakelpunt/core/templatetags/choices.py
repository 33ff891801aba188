"""The label of a choice field's value, without translating every label of the field.

``{{ obj|choice_label:"status" }}`` shows what ``{{ obj.get_status_display }}`` shows. Django's
``get_FOO_display`` builds a hashable copy of all the field's choices on every call, which
translates each lazy label; on a page with many rows that is hundreds of translations for
nothing. Here the choices are looked up once per field (the labels stay lazy, so the active
language still decides) and only the label shown is translated.
"""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.db import models
from django.utils.encoding import force_str

register = template.Library()


@functools.cache
def _labels(field: models.Field) -> dict[Any, Any]:
    return dict(field.flatchoices)


@register.filter
def choice_label(obj: models.Model, name: str) -> Any:
    """As ``obj.get_<name>_display()``: the label of the value, or the value itself."""
    value = getattr(obj, name)
    return force_str(_labels(obj._meta.get_field(name)).get(value, value), strings_only=True)
