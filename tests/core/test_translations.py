"""The English catalog: complete, compiled, in step with the code, and shown to who chose English.

The source strings are Dutch (docs/adr/0005-dutch-source-strings.md); English is the catalog in
src/schakelpunt/locale/en/LC_MESSAGES/. Update it with ``make messages``, which also compiles
the .mo file that is committed alongside it.
"""

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import schakelpunt

PACKAGE_DIR = Path(schakelpunt.__file__).resolve().parent
CATALOG_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_PATH = CATALOG_DIR / "django.po"
MO_PATH = CATALOG_DIR / "django.mo"

# %(name)s and %s style in python-format entries; {{ name }} and {name} in any entry.
PERCENT_PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]*\}")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _pairs(catalog) -> set[tuple]:
    """(context, msgid, msgid_plural, translation) for every entry; plural forms as a tuple."""
    pairs = set()
    for entry in catalog:
        if entry.msgid_plural:
            translation = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            translation = entry.msgstr
        pairs.add((entry.msgctxt, entry.msgid, entry.msgid_plural, translation))
    return pairs


def _placeholders(text: str, python_format: bool) -> Counter:
    found = Counter(BRACE_PLACEHOLDER.findall(text))
    if python_format:
        found.update(PERCENT_PLACEHOLDER.findall(text))
    return found


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete(po):
    assert len(po) > 0
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    assert po.metadata["Plural-Forms"].startswith("nplurals=2;")


def test_the_committed_mo_file_is_compiled_from_the_po_file(po, tmp_path):
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))
    committed = polib.mofile(str(MO_PATH))
    expected = _pairs(polib.mofile(str(compiled)))
    actual = _pairs(committed)
    assert expected - actual == set(), "run `make messages`: these translations are not in django.mo"
    assert actual - expected == set(), "run `make messages`: django.mo has translations the .po lacks"
    assert committed.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


def test_placeholders_are_the_same_in_source_and_translation(po):
    wrong = []
    for entry in po:
        python_format = "python-format" in entry.flags
        if entry.msgid_plural:
            sources = [entry.msgid, *[entry.msgid_plural] * (len(entry.msgstr_plural) - 1)]
            translations = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        else:
            sources, translations = [entry.msgid], [entry.msgstr]
        for source, english_text in zip(sources, translations, strict=True):
            if _placeholders(source, python_format) != _placeholders(english_text, python_format):
                wrong.append((source, english_text))
    assert wrong == []


@pytest.mark.skipif(
    not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="the gettext tools are not installed"
)
def test_the_catalog_has_every_string_of_the_code_and_no_others(po, tmp_path, monkeypatch, settings):
    """makemessages on a copy of the package: the real catalog is not touched."""
    copy = tmp_path / "schakelpunt"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command("makemessages", locale=["en"], no_location=True, no_obsolete=True, verbosity=0)

    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    in_code = {(entry.msgctxt, entry.msgid) for entry in fresh}
    in_catalog = {(entry.msgctxt, entry.msgid) for entry in po}
    assert sorted(in_code - in_catalog, key=str) == [], "new strings: run `make messages` and translate them"
    assert sorted(in_catalog - in_code, key=str) == [], "strings no longer in the code: run `make messages`"
    assert [entry.msgid for entry in fresh.fuzzy_entries()] == []


# --- The pages in English ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_language():
    """The locale middleware leaves English active in this thread; the tests after these expect Dutch."""
    before = translation.get_language()
    yield
    translation.activate(before)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    content = response.content.decode()
    assert '<html lang="en"' in content
    return content


def assert_english(content: str, english_words: list[str], dutch_words: list[str]) -> None:
    missing = [word for word in english_words if word not in content]
    left_over = [word for word in dutch_words if word in content]
    assert (missing, left_over) == ([], [])


@pytest.mark.django_db
def test_login_page_in_english(client):
    content = page_text(english(client).get(reverse("accounts:login")))
    assert_english(
        content,
        ["Log in", "Username", "Password", "For staff, volunteers and partners of the desk.", "Skip to"],
        ["Inloggen", "Gebruikersnaam", "Wachtwoord", "Loketten en openingstijden", "Direct naar de inhoud"],
    )


def test_home_page_in_english(client, user_for):
    client.force_login(user_for("Frontoffice", first_name="Fatima"))
    content = page_text(english(client).get(reverse("core:home")))
    assert_english(
        content,
        ["Welcome, Fatima", "Log out", "Main menu", "New contact", "Work list", "Your desks", "Your role"],
        ["Welkom", "Uitloggen", "Hoofdmenu", "Nieuw contact", "Werklijst", "Uw loketten", "Waar wilt u"],
    )


def test_intake_screen_in_english(client, user_for):
    client.force_login(user_for("Frontoffice"))
    content = page_text(english(client).get(reverse("contacts:intake")))
    assert_english(
        content,
        [
            "Find a resident",
            "Who is this contact for?",
            "Anonymous (no resident)",
            "The need behind the question",
            "Health notes",
            "Another question",
            "Save",
            "optional",
        ],
        ["Inwoner zoeken", "Voor wie is dit contact?", "Vraag achter de vraag", "Nog een vraag", "Opslaan"],
    )
    assert "niet verplicht" not in content


def test_work_list_in_english(client, user_for):
    client.force_login(user_for("Frontoffice"))
    content = page_text(english(client).get(reverse("contacts:work")))
    assert_english(
        content,
        ["My open questions", "My follow-ups", "Open questions at the desk", "Closed today"],
        ["Mijn open vragen", "Mijn opvolgingen", "Vandaag afgesloten", "Goed bezig"],
    )
