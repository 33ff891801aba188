"""Read settings from the environment, and remember each one for the settings reference.

Every setting that an operator may change is read through :func:`config`, with a default
and a help text. ``schakelpunt settings_reference`` writes ``docs/settings.md`` from the
registry kept here, so the documentation cannot drift from the code.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Documented:
    name: str
    default: Any
    help: str
    group: str


REGISTRY: dict[str, Documented] = {}

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


def _to_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _to_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _to_bool, list: _to_list, int: int, str: str}


def config(name: str, default: Any, *, help: str, group: str = "Algemeen", cast: type | None = None) -> Any:
    """Return the environment variable ``name`` cast to the type of ``default``."""
    REGISTRY[name] = Documented(name=name, default=default, help=help, group=group)
    raw = os.environ.get(name)
    if raw is None:
        return default
    kind = cast or (type(default) if default is not None else str)
    try:
        return CASTS[kind](raw)
    except (KeyError, ValueError) as exc:
        raise ImproperlyConfigured(f"Environment variable {name}: {exc}") from exc
