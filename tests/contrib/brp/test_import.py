"""schakelpunt brp_import_mutations FILE: each line checked and applied on its own."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from schakelpunt.contrib.brp.models import SyncRun
from schakelpunt.contrib.brp.services import _plainly_valid_bsn
from schakelpunt.residents.models import Resident
from schakelpunt.residents.validators import validate_bsn

pytestmark = pytest.mark.django_db

HEADER = "bsn;soort;datum;straat;huisnummer;toevoeging;postcode;woonplaats;gemeente\n"


def run(tmp_path, *lines):
    path = tmp_path / "mutaties.csv"
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_valid_lines_are_applied(tmp_path, resident_for, region):
    moulin = resident_for(postcode="3011 KD", street="Goudsesingel")
    other = resident_for(bsn="999990019", surname="Jansen")
    path = run(
        tmp_path,
        "999993653;verhuizing;2026-01-10;Boterdiep;31;;3077 AW;Rotterdam;0599",
        "999990019;overlijden;2026-01-11;;;;;;",
        "999990032;overlijden;2026-01-11;;;;;;",  # not a resident of ours
    )
    call_command("brp_import_mutations", str(path))
    moulin.refresh_from_db()
    other.refresh_from_db()
    assert (moulin.street, moulin.district) == ("Boterdiep", region["district"])
    assert other.status == Resident.Status.DECEASED
    counts = SyncRun.objects.get(kind="import").counts
    assert counts["unknown"] == 1 and counts["moved"] == 1 and counts["deceased"] == 1


def test_failing_lines_are_reported_with_number_and_reason_and_change_nothing(tmp_path, resident_for, capsys):
    moulin = resident_for()
    path = run(
        tmp_path,
        "999993653;verhuizing;2026-01-10;Boterdiep;31;;BADPC;Rotterdam;0599",
        "123456789;overlijden;2026-01-11;;;;;;",
        "999993653;overlijden;2026-02-30;;;;;;",
        "999993653;verhuisd;2026-01-10;;;;;;",
        "999993653;geheimhouding_aan;2026-01-12;;;;;;",
    )
    with pytest.raises(CommandError, match="4 regel"):
        call_command("brp_import_mutations", str(path))
    err = capsys.readouterr().err
    assert "regel 2: geen geldige postcode" in err
    assert "regel 3: geen geldig BSN" in err
    assert "regel 4: geen geldige datum" in err
    assert "regel 5: onbekende soort" in err
    moulin.refresh_from_db()
    assert (moulin.postcode, moulin.status, moulin.is_secret) == ("3077 AW", "active", True)


def test_an_older_line_after_a_newer_one_is_ignored(tmp_path, resident_for):
    moulin = resident_for()
    path = run(
        tmp_path,
        "999993653;geheimhouding_aan;2026-01-12;;;;;;",
        "999993653;geheimhouding_uit;2026-01-01;;;;;;",
    )
    call_command("brp_import_mutations", str(path))
    moulin.refresh_from_db()
    assert moulin.is_secret
    assert SyncRun.objects.get(kind="import").counts["outdated"] == 1


def test_the_same_file_twice_changes_nothing_more(tmp_path, resident_for):
    resident_for()
    path = run(tmp_path, "999993653;overlijden;2026-01-11;;;;;;")
    call_command("brp_import_mutations", str(path))
    call_command("brp_import_mutations", str(path))
    assert [run.counts.get("deceased", 0) for run in SyncRun.objects.order_by("pk")] == [1, 0]


def test_empty_and_short_lines(tmp_path, resident_for):
    """An empty line is skipped; a line without its last (empty) columns is read as far as it goes."""
    moulin = resident_for()
    path = run(
        tmp_path, "", "999993653;geheimhouding_aan;2026-01-12", "999993653;verhuizing;2026-01-13;Boterdiep"
    )
    with pytest.raises(CommandError, match="1 regel"):
        call_command("brp_import_mutations", str(path))
    moulin.refresh_from_db()
    assert moulin.is_secret
    run_ = SyncRun.objects.get(kind="import")
    assert run_.counts["lines"] == 2 and run_.counts["secrecy_set"] == 1
    assert run_.errors == ["regel 4: geen geldig huisnummer"]


@pytest.mark.parametrize(
    "number",
    ["999993653", "999990019", "123456782", "000000000", "99999365", "9999936530", "999993654", "1234.56.782",
     " 999993653", "９９９９９３６５３", "abcdefghi", ""],
)  # fmt: skip
def test_the_quick_bsn_check_agrees_with_the_validator(number):
    """The import checks a plain nine-digit BSN itself and leaves everything else to the validator."""
    try:
        validate_bsn(number)
        valid = True
    except ValidationError:
        valid = False
    plain = len(number) == 9 and number.isascii() and number.isdigit()
    assert _plainly_valid_bsn(number) == (valid and plain)
