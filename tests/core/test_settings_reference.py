"""docs/settings.md is generated from the code and must stay in step with it."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from schakelpunt.conf import env

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def settings_reference() -> str:
    out = StringIO()
    call_command("settings_reference", stdout=out)
    return out.getvalue()


def test_docs_settings_md_matches_the_code():
    assert settings_reference() == DOCS.read_text(encoding="utf-8"), (
        "docs/settings.md is out of date: run `make settings-docs`"
    )


def test_reference_documents_every_setting_and_no_machine_path():
    output = settings_reference()
    # Read by the base settings, by production only, and only with the SMTP backend.
    for name in ("DATABASE_URL", "SECRET_KEY", "SECURE_HSTS_SECONDS", "EMAIL_HOST"):
        assert f"| `{name}` |" in output
    assert str(settings.BASE_DIR) not in output
    assert "`sqlite:///var/schakelpunt.sqlite3`" in output


def test_reference_leaves_the_registry_as_it_found_it():
    before = dict(env.REGISTRY)
    settings_reference()
    after = dict(env.REGISTRY)
    assert after == before
