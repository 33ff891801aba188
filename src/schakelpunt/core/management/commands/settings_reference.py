"""Print the settings reference (``docs/settings.md``) as Markdown.

Every setting an operator may change is read through ``schakelpunt.conf.env.config``, which
records its name, default, help text and group. This command executes the settings modules
afresh to collect all of them, also those that the running settings never read: the
production-only settings, and the SMTP settings that are read only when the SMTP backend is
chosen. It runs them in an environment without any of the documented variables, so the
defaults it prints do not depend on how the machine that runs it is configured.

``make settings-docs`` writes the output to ``docs/settings.md``; a test checks that the file
matches, so the reference cannot drift from the code.
"""

import importlib.util
import os
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand

from schakelpunt.conf import env
from schakelpunt.conf.env import Documented

# Settings modules whose config() calls are documented, in the order they build on each other.
BASE_MODULE = "schakelpunt.conf.base"
PRODUCTION_MODULE = "schakelpunt.conf.production"

# Values that make the settings modules take every branch that reads a setting. They never
# reach the output: the reference shows defaults, not values.
REACH_EVERY_BRANCH = {
    # production.py refuses a short or development key before it reads its own settings.
    "SECRET_KEY": "settings-reference-placeholder-" + "x" * 30,
    # The SMTP settings are read only when the SMTP backend is chosen.
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}

INTRO = """\
# Settings reference

Schakelpunt reads every setting an operator may change from an environment variable. This
page is generated from the code by `schakelpunt settings_reference` (`make settings-docs`);
do not edit it by hand. A test fails when it no longer matches the code.

- Choose the settings module with `DJANGO_SETTINGS_MODULE`: `schakelpunt.conf.base`
  (development, the default), `schakelpunt.conf.production` or `schakelpunt.conf.test`.
  Settings whose description starts with "Production:" are read by
  `schakelpunt.conf.production` only.
- Yes/no values: {true} mean yes;
  {false} or an empty value mean no.
- Defaults are those of `schakelpunt.conf.base`; where production has another default,
  the description says so.
- The `EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD` and
  `EMAIL_USE_TLS` settings are read only when `EMAIL_BACKEND` is the SMTP backend.
- Lists are comma-separated: `ALLOWED_HOSTS=loket.example.nl,www.loket.example.nl`.
- Paths in the defaults are relative to the project folder (the folder that holds
  `pyproject.toml`).
"""


def _fresh_module(module_name: str):
    """Run a module's code in a new module object, leaving ``sys.modules`` alone."""
    spec = importlib.util.find_spec(module_name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _collect_once(names_to_clear: set[str]) -> dict[str, Documented]:
    """Run the settings modules afresh and return what their config() calls registered.

    A setting that production reads again with another default (``EMAIL_BACKEND``) is
    documented with the base default; its help text names the production default.
    """
    environment = {
        key: value for key, value in os.environ.items() if key not in names_to_clear
    } | REACH_EVERY_BRANCH
    saved = dict(env.REGISTRY)
    env.REGISTRY.clear()
    try:
        with mock.patch.dict(os.environ, environment, clear=True):
            base = _fresh_module(BASE_MODULE)
            from_base = dict(env.REGISTRY)
            env.REGISTRY.clear()
            # production.py imports the base settings: give it the fresh ones, which saw
            # the long SECRET_KEY above.
            with mock.patch.dict("sys.modules", {BASE_MODULE: base}):
                _fresh_module(PRODUCTION_MODULE)
            return {**env.REGISTRY, **from_base}
    finally:
        env.REGISTRY.clear()
        env.REGISTRY.update(saved)


def collect() -> dict[str, Documented]:
    """Every documented setting, with defaults read in an environment without any of them."""
    first = _collect_once(set(env.REGISTRY))
    # The second pass also clears the variables that only the first pass discovered.
    return {**env.REGISTRY, **_collect_once(set(env.REGISTRY) | set(first))}


def render_default(value) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = ",".join(str(item) for item in value)
    else:
        text = str(value)
    text = text.replace(f"{settings.BASE_DIR}{os.sep}", "")
    if text == "":
        return "*(empty)*"
    return f"`{text}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(documented: dict[str, Documented]) -> str:
    lines = [
        INTRO.format(
            true=", ".join(f"`{word}`" for word in sorted(env._TRUE)),
            false=", ".join(f"`{word}`" for word in sorted(env._FALSE) if word),
        ).rstrip("\n")
    ]
    groups = sorted({item.group for item in documented.values()})
    for group in groups:
        lines += [
            "",
            f"## {group}",
            "",
            "| variable | default | description |",
            "|---|---|---|",
        ]
        for item in sorted(
            (item for item in documented.values() if item.group == group),
            key=lambda item: item.name,
        ):
            lines.append(f"| `{item.name}` | {_cell(render_default(item.default))} | {_cell(item.help)} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Print the settings reference (docs/settings.md) as Markdown."
    requires_system_checks = []

    def handle(self, *args, **options):
        self.stdout.write(render(collect()), ending="")
