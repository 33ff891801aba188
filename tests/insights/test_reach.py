"""The reach analysis: the population import (good file, bad lines, idempotent re-import), the
figures per district and age band against a small dataset worked out by hand, the
under-reached rule, the small-cell rule for the policy officer, access and query counts.

Today is Tuesday 24 November 2026; the period is January – October 2026.

Teststad has two districts with figures for 2026 (only the bands 65-74 and 75-84):

| district | 65-74 | 75-84 |
|---|---|---|
| Centrum | 100 | 50 |
| Noord | 200 | 100 |

Residents reached (a contact at the desk in the period):

| resident | district | age at first contact | band |
|---|---|---|---|
| c1, c2, c3 | Centrum | 70 | 65-74 |
| c4 | Centrum | 74 at the first contact (15 March), 75 at the second (1 June) | 65-74 |
| c5 | Centrum | 80 | 75-84 |
| n1, n2 | Noord | 70 | 65-74 |
| n3 | Noord | birth date unknown | (unknown) |
| x1 | no district | 70 | (outside the table) |

Not counted: an anonymous contact, a contact of n1 before the period, a contact of a resident
at another desk.
"""

from __future__ import annotations

import datetime
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.insights.periods import Period
from schakelpunt.insights.reach import PopulationImportError, population_import, reach_analysis
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import PopulationFigure
from tests.contacts.factories import ContactFactory
from tests.organisations.factories import DeskFactory, DistrictFactory, MunicipalityFactory
from tests.residents.factories import ResidentFactory

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 11, 24, 12, tzinfo=TZ)
PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 10, 1))


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=TZ)


@pytest.fixture
def now(db):
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def city(now, desk):
    teststad = desk.municipalities.get()
    teststad.code, teststad.name = "GM9990", "Teststad"
    teststad.save()
    centrum = DistrictFactory(code="WK999000", name="Centrum", municipality=teststad)
    noord = DistrictFactory(code="WK999001", name="Noord", municipality=teststad)
    figures = {(centrum, "65-74"): 100, (centrum, "75-84"): 50, (noord, "65-74"): 200, (noord, "75-84"): 100}
    for (district, band), number in figures.items():
        PopulationFigure.objects.create(
            municipality=teststad, district=district, age_band=band, year=2026, inhabitants=number
        )
    PopulationFigure.objects.create(  # an older year: not used
        municipality=teststad, district=centrum, age_band="65-74", year=2025, inhabitants=9999
    )

    def reached(district, born, *days, desk=desk):
        resident = ResidentFactory(
            registered_desk=desk, municipality=teststad, district=district, birth_date=born
        )
        for day in days:
            ContactFactory(desk=desk, resident=resident, started_at=at(day))
        return resident

    seventy = datetime.date(1956, 1, 1)
    for _ in range(3):
        reached(centrum, seventy, "2026-02-01")
    reached(centrum, datetime.date(1951, 4, 1), "2026-03-15", "2026-06-01")  # 74, then 75
    reached(centrum, datetime.date(1946, 1, 1), "2026-05-05")
    n1 = reached(noord, seventy, "2026-04-01", "2026-04-02")
    ContactFactory(desk=desk, resident=n1, started_at=at("2025-12-31"))  # before the period
    reached(noord, seventy, "2026-09-30")
    reached(noord, None, "2026-07-07")
    reached(None, seventy, "2026-08-08")
    ContactFactory(desk=desk, resident=None, started_at=at("2026-03-03"))  # anonymous
    reached(noord, seventy, "2026-03-03", desk=DeskFactory(municipalities=[teststad]))  # another desk
    return {"municipality": teststad, "centrum": centrum, "noord": noord}


def cells(table) -> dict[str, dict[str, str]]:
    return {
        str(row.label): {key: cell.display() for key, cell in row.cells.items()}
        for row in [*table.rows, table.total]
    }


# --- the figures ----------------------------------------------------------------------------------


def test_counts_rates_and_the_under_reached_rule(city, desk, user_for):
    reach = reach_analysis(viewer=user_for("Coördinator"), period=PERIOD, desks=[desk])

    counts = cells(reach.counts)
    assert counts["Centrum"] == {
        "0-17": "0", "18-26": "0", "27-44": "0", "45-64": "0", "65-74": "4", "75-84": "1", "85+": "0",
        "onbekend": "0", "totaal": "5",
    }  # fmt: skip
    assert (
        counts["Noord"]["65-74"] == "2"
        and counts["Noord"]["onbekend"] == "1"
        and counts["Noord"]["totaal"] == "3"
    )
    assert counts["Totaal"]["65-74"] == "6" and counts["Totaal"]["totaal"] == "8"
    assert reach.outside.value == 1  # x1: no district

    rates = cells(reach.rates)
    assert rates["Centrum"]["65-74"] == "40,0"  # 4 per 100 inhabitants
    assert rates["Centrum"]["75-84"] == "20,0"  # 1 per 50
    assert rates["Centrum"]["totaal"] == "33,3"  # 5 per 150
    assert rates["Noord"]["65-74"] == "10,0"  # 2 per 200
    assert rates["Noord"]["75-84"] == "0,0"
    assert rates["Noord"]["totaal"] == "10,0"  # 3 (one of unknown age) per 300
    assert rates["Noord"]["0-17"] == "–"  # no figure for the band
    assert rates["Gemiddelde"]["65-74"] == "20,0"  # 6 per 300
    assert rates["Gemiddelde"]["75-84"] == "6,7"  # 1 per 150
    assert rates["Gemiddelde"]["totaal"] == "17,8"  # 8 per 450: the desk's average
    assert reach.years == {city["municipality"]: 2026}

    # Under-reached: below half the average, 8.9 per 1,000.
    assert reach.threshold_display == "8,9"
    assert reach.under_reached == ["Noord, 75–84 jaar", "75–84 jaar, alle wijken"]
    marked = {
        (str(row.label), key)
        for row in [*reach.rates.rows, reach.rates.total]
        for key, cell in row.cells.items()
        if cell.under
    }
    assert marked == {("Noord", "75-84"), ("Gemiddelde", "75-84")}


def test_population_of_an_earlier_year_is_used_when_the_period_year_has_none(city, desk, user_for):
    period = Period(datetime.date(2027, 1, 1), datetime.date(2027, 3, 1))
    with time_machine.travel(datetime.datetime(2027, 4, 2, 12, tzinfo=TZ), tick=False):
        reach = reach_analysis(viewer=user_for("Coördinator"), period=period)
    assert reach.years == {city["municipality"]: 2026}


def test_without_population_figures_the_counts_still_show(now, desk, user_for):
    DistrictFactory(municipality=desk.municipalities.get())
    reach = reach_analysis(viewer=user_for("Coördinator"), period=PERIOD)
    assert not reach.has_population and reach.average is None and reach.under_reached == []


def test_policy_sees_small_cells_hidden_with_rates_and_the_subtraction_case(city, desk, user_for):
    # Add residents so that Centrum 65-74 is 9 (shown) next to 75-84 with 1 (hidden): the row
    # total 10 would give the 1 back, so a second cell in that row hides too.
    for _ in range(5):
        resident = ResidentFactory(
            registered_desk=desk, municipality=city["municipality"], district=city["centrum"],
            birth_date=datetime.date(1956, 1, 1),
        )  # fmt: skip
        ContactFactory(desk=desk, resident=resident, started_at=at("2026-02-02"))
    policy = user_for("Beleidsmedewerker", desks=[])
    reach = reach_analysis(viewer=policy, period=PERIOD)
    assert reach.suppressed

    centrum = next(row for row in reach.counts.rows if row.label == "Centrum")
    assert centrum.cell("75-84").display() == "< 5" and not centrum.cell("75-84").secondary
    # 65-74 (9) would give it back from the row total (10); and Noord's total (4 with the resident
    # at the other desk, hidden) would come back from the grand total (14) less Centrum's (10):
    # both hide as well.
    assert centrum.cell("65-74").display() == "< 5" and centrum.cell("65-74").secondary
    assert centrum.cell("totaal").display() == "< 5" and centrum.cell("totaal").secondary
    assert reach.counts.total.cell("totaal").display() == "14"  # 13 here, 1 at the other desk
    # Column 75-84: Centrum hidden, Noord 0: the column total would give it back, so it hides.
    assert reach.counts.total.cell("75-84").display() == "< 5"
    # The rates give the counts back (the inhabitants are public): hidden alike.
    centrum_rates = next(row for row in reach.rates.rows if row.label == "Centrum")
    assert centrum_rates.cell("75-84").display() == "< 5"
    assert centrum_rates.cell("65-74").display() == "< 5"
    assert centrum_rates.cell("totaal").display() == "< 5"
    assert reach.rates.total.cell("75-84").display() == "< 5"
    # Noord: 2, 0 and 1 (unknown age): small, and the row total 3 as well.
    noord = next(row for row in reach.counts.rows if row.label == "Noord")
    assert [noord.cell(key).display() for key in ("65-74", "75-84", "onbekend", "totaal")] == [
        "< 5",
        "0",
        "< 5",
        "< 5",
    ]
    assert reach.outside.display() == "< 5"
    # Noord 65-74: 3 of 200 inhabitants, 15.0 per 1,000, is under the line (half of 14 per 450,
    # 15.6); but 4 would not be (20.0), so the hidden cell is not marked: the mark would tell
    # more than "< 5".
    assert reach.threshold_display == "15,6"
    noord_rates = next(row for row in reach.rates.rows if row.label == "Noord")
    assert noord_rates.cell("65-74").display() == "< 5" and not noord_rates.cell("65-74").under
    # Zero reveals nobody and is shown; its under-reached mark too.
    assert noord_rates.cell("75-84").display() == "0,0" and noord_rates.cell("75-84").under


def test_row_totals_are_protected_like_column_totals():
    from schakelpunt.insights.reach import suppress_with_row_totals
    from schakelpunt.insights.tables import Cell, Column, Row, Table

    def row(key, x, y):
        return Row(
            key, key, {"x": Cell(x, persons=x), "y": Cell(y, persons=y), "t": Cell(x + y, persons=x + y)}
        )

    table = Table(
        "t",
        "t",
        "t",
        [Column("x", "x"), Column("y", "y"), Column("t", "t")],
        [row("a", 10, 2), row("b", 10, 10)],
        row("total", 20, 12),
    )
    suppress_with_row_totals(table, ["x", "y"], "t")
    hidden = {
        (r.key, key) for r in [*table.rows, table.total] for key, cell in r.cells.items() if cell.suppressed
    }
    # a.y is small; b.y hides for its column (12 - 10), a.x for its row (12 - 10), then b.x for
    # the column of a.x. The totals stay: no hidden cell follows from them any more.
    assert hidden == {("a", "y"), ("b", "y"), ("a", "x"), ("b", "x")}


def test_policy_counts_only_residents_of_its_municipality(city, desk, user_for):
    other = MunicipalityFactory(name="Buurdorp")
    desk.municipalities.add(other)
    elsewhere = DistrictFactory(municipality=other, name="Dorp")
    for _ in range(6):
        resident = ResidentFactory(registered_desk=desk, municipality=other, district=elsewhere)
        ContactFactory(desk=desk, resident=resident, started_at=at("2026-02-02"))
    policy = user_for("Beleidsmedewerker", desks=[])  # of Teststad (the municipality_org fixture)
    reach = reach_analysis(viewer=policy, period=PERIOD)
    assert [m.name for m in reach.municipalities] == ["Teststad"]
    assert "Dorp" not in [str(row.label) for row in reach.counts.rows]
    assert reach.counts.total.cell("totaal").display() == "9"  # 8 at our desk, 1 at the other desk
    coordinator = reach_analysis(viewer=user_for("Coördinator"), period=PERIOD)
    assert coordinator.counts.total.cell("totaal").display() == "14"  # their desk: both municipalities


# --- the import -----------------------------------------------------------------------------------

GOOD = """jaar;gemeentecode;wijkcode;wijknaam;leeftijdsgroep;inwoners
2026;GM9990;WK999000;Centrum;65-74;120
2026;GM9990;WK999000;Centrum;75-84;60
2026;GM9990;WK999001;Noord;65-74;210

"""


@pytest.fixture
def districts(now, desk):
    teststad = desk.municipalities.get()
    teststad.code = "GM9990"
    teststad.save()
    DistrictFactory(code="WK999000", name="Centrum", municipality=teststad)
    DistrictFactory(code="WK999001", name="Noord", municipality=teststad)
    other = MunicipalityFactory(code="GM9991", name="Elders")
    DistrictFactory(code="WK999100", name="Elders Centrum", municipality=other)
    return teststad


def stored():
    return sorted(PopulationFigure.objects.values_list("district__code", "age_band", "year", "inhabitants"))


def test_import_a_good_file_and_again_changes_nothing(districts):
    result = population_import(acting_user=None, data=GOOD.encode())
    assert (result.rows, result.replaced, result.scopes) == (3, 0, [(districts.name, 2026)])
    first = stored()
    assert first == [
        ("WK999000", "65-74", 2026, 120),
        ("WK999000", "75-84", 2026, 60),
        ("WK999001", "65-74", 2026, 210),
    ]
    again = population_import(acting_user=None, data=GOOD.encode())
    assert again.replaced == 3 and stored() == first
    assert (
        AccessLog.objects.filter(object_type="organisations.populationfigure", action="create").count() == 2
    )


def test_a_reimport_replaces_the_same_year_only(districts):
    population_import(acting_user=None, data=GOOD.encode())
    population_import(acting_user=None, data=GOOD.replace("2026;", "2025;").encode())
    newer = "jaar,gemeentecode,wijkcode,leeftijdsgroep,inwoners\n2026,GM9990,WK999001,65-74,300\n"  # commas
    population_import(acting_user=None, data=newer.encode("utf-8-sig"))  # with a byte-order mark
    assert [row for row in stored() if row[2] == 2026] == [("WK999001", "65-74", 2026, 300)]
    assert len([row for row in stored() if row[2] == 2025]) == 3


@pytest.mark.parametrize(
    "line, message",
    [
        (
            "2026;GM9990;WK999000;Centrum;65-74;veel",
            "Regel 3: inwoners ‘veel’ is geen geheel getal van 0 of meer.",
        ),
        ("2026;GM9990;WK999000;Centrum;60-70;5", "Regel 3: leeftijdsgroep ‘60-70’ is onbekend"),
        ("2026;GM9990;WK123456;Centrum;65-74;5", "Regel 3: wijkcode ‘WK123456’ is onbekend."),
        ("2026;GM9990;WK999100;Elders;65-74;5", "Regel 3: wijk WK999100 ligt niet in gemeente GM9990."),
        ("twintig;GM9990;WK999000;Centrum;0-17;5", "Regel 3: jaar ‘twintig’ is geen jaartal."),
        (
            "2026;GM9990;WK999000;Centrum;85+;5",
            "Regel 3: wijk WK999000, leeftijdsgroep 85+, 2026 staat ook op regel 2.",
        ),
        ("2026;GM9990;WK999000", "Regel 3: 3 kolommen, verwacht 6."),
    ],
)
def test_a_bad_line_names_the_line_and_changes_nothing(districts, line, message):
    population_import(acting_user=None, data=GOOD.encode())
    before = stored()
    lines = GOOD.splitlines()
    bad = "\n".join([lines[0], "2026;GM9990;WK999000;Centrum;85+;7", line, *lines[1:]])
    with pytest.raises(PopulationImportError) as error:
        population_import(acting_user=None, data=bad.encode())
    assert any(found.startswith(message) for found in error.value.errors), error.value.errors
    assert stored() == before


def test_a_file_without_the_columns_or_in_another_encoding_is_refused(districts):
    with pytest.raises(PopulationImportError, match="Regel 1: kolom inwoners ontbreekt"):
        population_import(
            acting_user=None, data=b"jaar;gemeentecode;wijkcode;leeftijdsgroep\n2026;GM9990;WK999000;65-74\n"
        )
    with pytest.raises(PopulationImportError, match="UTF-8"):
        population_import(
            acting_user=None,
            data="jaar;gemeentecode;wijkcode;wijknaam;leeftijdsgroep;inwoners\n2026;GM9990;WK999000;Één;65-74;1\n".encode(
                "cp1252"
            ),
        )
    with pytest.raises(PopulationImportError, match="geen cijfers"):
        population_import(acting_user=None, data=GOOD.splitlines()[0].encode())
    assert stored() == []


def test_a_coordinator_imports_only_for_the_municipalities_of_their_desk(districts, user_for):
    coordinator = user_for("Coördinator")
    population_import(acting_user=coordinator, data=GOOD.encode())
    other = "jaar;gemeentecode;wijkcode;leeftijdsgroep;inwoners\n2026;GM9991;WK999100;65-74;5\n"
    with pytest.raises(
        PopulationImportError, match="Regel 2: u mag geen cijfers inlezen voor gemeente Elders"
    ):
        population_import(acting_user=coordinator, data=other.encode())
    with pytest.raises(PopulationImportError):
        population_import(acting_user=user_for("Beleidsmedewerker"), data=GOOD.encode())
    population_import(
        acting_user=user_for("Functioneel beheerder"), data=other.encode()
    )  # every municipality
    assert len(stored()) == 4


def test_the_command_imports_and_reports_errors(districts, tmp_path):
    good = tmp_path / "bevolking.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_population", str(good))
    assert len(stored()) == 3
    bad = tmp_path / "fout.csv"
    bad.write_text(GOOD.replace(";120", ";-5"), encoding="utf-8")
    with pytest.raises(CommandError, match="Regel 2"):
        call_command("import_population", str(bad))
    assert len(stored()) == 3


def test_the_demo_loads_the_population_file_and_self_assessments_once(now):
    from faker import Faker

    from schakelpunt.accounts import demo as accounts_demo
    from schakelpunt.insights import demo_quality
    from schakelpunt.insights.quality import CHECKLIST_CODES
    from schakelpunt.organisations import demo as organisations_demo
    from schakelpunt.organisations.models import SelfAssessment

    assert list(demo_quality.ANSWERS) == CHECKLIST_CODES
    out = io.StringIO()
    for load in (organisations_demo.load, accounts_demo.load, demo_quality.load, demo_quality.load):
        load(rng=random.Random(1), fake=Faker("nl_NL"), stdout=out)
    # Every demo district (11) in every band (7), for the three municipalities; loaded once.
    assert PopulationFigure.objects.count() == 11 * 7
    assert set(PopulationFigure.objects.values_list("municipality__name", flat=True)) == {
        "Enschede", "Hengelo", "Oldenzaal"
    }  # fmt: skip
    assessments = SelfAssessment.objects.filter(desk__slug="zorgloket-enschede")
    assert sorted(assessments.values_list("year", flat=True)) == [2025, 2026]
    assert all(set(a.answers) == set(CHECKLIST_CODES) for a in assessments)


# --- the pages ----------------------------------------------------------------------------------


def test_upload_form_good_and_bad(districts, client, user_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user_for("Functioneel beheerder"))
    url = reverse("insights:population-import")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("b.csv", GOOD.replace("WK999001", "WK000000").encode(), content_type="text/csv")
    response = client.post(url, {"bestand": bad})
    assert response.status_code == 400
    assert "Regel 4: wijkcode ‘WK000000’ is onbekend." in response.content.decode()
    assert stored() == []
    good = SimpleUploadedFile("g.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(url, {"bestand": good}, follow=True)
    assert response.redirect_chain[-1][0] == url  # the administrator sees no dashboards
    assert "3 bevolkingscijfers ingelezen" in response.content.decode()
    assert len(stored()) == 3


@pytest.mark.parametrize(
    "role, page, upload",
    [
        ("Coördinator", 200, 200),
        ("Beleidsmedewerker", 200, 403),
        ("Functioneel beheerder", 403, 200),
        ("Frontoffice", 403, 403),
        ("Vrijwilliger", 403, 403),
        ("Consulent", 403, 403),
        ("Partner", 403, 403),
        ("Privacyfunctionaris", 403, 403),
    ],
)
def test_access_per_role(now, client, user_for, role, page, upload):
    client.force_login(user_for(role))
    assert client.get(reverse("insights:reach")).status_code == page
    assert client.get(reverse("insights:population-import")).status_code == upload


def test_reach_page_shows_the_rule_and_marks(city, client, user_for):
    client.force_login(user_for("Coördinator"))
    page = client.get(reverse("insights:reach"), {"van": "2026-01", "tot": "2026-10"}).content.decode()
    assert "lager is dan de helft van het gemiddelde" in page
    assert page.count("data-under-reached>") == 2
    assert "Noord, 75–84 jaar" in page
    response = client.get(
        reverse("insights:reach-export-csv", args=["bereik-per-1000"]), {"van": "2026-01", "tot": "2026-10"}
    )
    assert response.status_code == 200 and "Centrum,,,,,40.0,20.0,,33.3" in response.content.decode()


def test_reach_page_queries_do_not_grow_with_the_data(
    city, desk, client, user_for, django_assert_num_queries
):
    client.force_login(user_for("Coördinator"))
    url = reverse("insights:reach")
    query = {"van": "2026-01", "tot": "2026-10"}
    # Session, user, and permissions with roles (3), the scope: desks and their municipalities
    # (2), the population years (1), the districts (1), the figures (1), whether the period is in
    # the summary table (1: this one never is), the residents reached, one row each (1): ten,
    # however many residents.
    with django_assert_num_queries(10):
        client.get(url, query)
    for _ in range(10):
        resident = ResidentFactory(municipality=city["municipality"], district=city["noord"])
        ContactFactory(desk=desk, resident=resident, started_at=at("2026-05-05"))
    with django_assert_num_queries(10):
        response = client.get(url, query)
    assert response.context["reach"].counts.total.cell("totaal").value == 8 + 10
    # The default period (the last twelve months) after a refresh: the summary rows, one row per
    # district and age band instead of one per resident; still ten.
    summaries_refresh()
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.context["reach"].counts.total.cell("totaal").value == 8 + 10  # N1 in Dec 2025 too


def test_a_hidden_cell_is_marked_only_when_any_hidden_value_is_under_the_line():
    from schakelpunt.insights.reach import RATE, RateCell, _mark_under_reached
    from schakelpunt.insights.tables import Column, Row, Table

    small = RateCell(0.2, RATE, 2, inhabitants=10_000, suppressed=True)  # even 4 is 0.4 per 1,000
    near = RateCell(2.0, RATE, 2, inhabitants=1_000, suppressed=True)  # 4 would be 4.0: not under
    protecting = RateCell(0.9, RATE, 9, inhabitants=10_000, suppressed=True, secondary=True)
    shown = RateCell(1.0, RATE, 10, inhabitants=10_000)
    table = Table(
        "t", "t", "Wijk", [Column(key, key, RATE) for key in "abcd"],
        [Row("1", "Oost", {"a": small, "b": near, "c": protecting, "d": shown})],
        Row("totaal", "Gemiddelde", {}),
    )  # fmt: skip
    assert _mark_under_reached(table, threshold=3.0) == ["Oost, a", "Oost, d"]
    assert (small.under, near.under, protecting.under, shown.under) == (True, False, False, True)
