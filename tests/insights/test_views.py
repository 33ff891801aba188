"""The dashboard page and the exports: who gets in, what they see, what is logged, how fast."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact
from schakelpunt.core.navigation import items_for
from schakelpunt.insights.services import summaries_refresh
from tests.core.url_walk import DENIED, build_url, is_login_redirect, iter_patterns
from tests.insights.conftest import at, make_contact, make_question

pytestmark = pytest.mark.django_db

URL = "/inzicht/"


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator")


@pytest.fixture
def policy(user_for):
    return user_for("Beleidsmedewerker", desks=[])


def test_the_address():
    assert reverse("insights:dashboard") == URL
    assert reverse("insights:export-csv", args=["per-kanaal"]) == "/inzicht/export/per-kanaal.csv"


@pytest.mark.parametrize(
    "role", ["Frontoffice", "Vrijwilliger", "Partner", "Privacyfunctionaris", "Functioneel beheerder"]
)
def test_roles_without_the_permission_are_refused(client, user_for, role):
    client.force_login(user_for(role))
    assert client.get(URL).status_code == 403
    assert client.get("/inzicht/export/kerncijfers.csv").status_code == 403


def test_anonymous_visitors_go_to_the_login(client):
    assert is_login_redirect(client.get(URL))


def test_inzicht_is_in_the_menu_of_coordinator_and_policy_officer(user_for):
    for role, expected in [("Coördinator", True), ("Beleidsmedewerker", True), ("Frontoffice", False)]:
        labels = [str(item["label"]) for item in items_for(user_for(role), "/")]
        assert ("Inzicht" in labels) is expected, role


def test_the_coordinators_dashboard(client, city, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "juli 2024 – juni 2025" in page
    assert 'id="titel-per-kanaal"' in page and 'id="grafiek-per-kanaal"' in page  # table and chart data
    assert "vendor/chartjs/chart.umd.min.js" in page and "js/insights.js" in page
    assert "&lt; 5" not in page  # the coordinator sees every figure
    # Aggregates only: no names of residents anywhere.
    for resident in city.residents:
        assert resident.surname not in page
    # Viewing aggregates is no read of anyone's personal data: nothing in the access log.
    assert not AccessLog.objects.exists()


def test_the_policy_officers_dashboard(client, city, policy):
    client.force_login(policy)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "minder dan 5 inwoners" in page
    assert "&lt; 5" in page
    assert response.context["board"].suppressed


def test_filters_are_in_the_address(client, city, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"van": "2025-03", "tot": "2025-03", "gemeente": city.m1.pk})
    board = response.context["board"]
    assert board.period.label == "maart 2025"
    assert board.municipality == city.m1
    assert board.headline.rows[0].cell("count").value == 2  # c1 and c2
    # The export links carry the same filters.
    assert (
        "/inzicht/export/per-kanaal.csv?van=2025-03&amp;tot=2025-03&amp;gemeente="
        in response.content.decode()
    )


def test_a_wrong_month_is_said_and_the_default_shown(client, city, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"van": "maart", "tot": "2025-03"})
    assert response.status_code == 200
    assert response.context["form"].errors["van"] == ["Vul een maand in als jjjj-mm, bijvoorbeeld 2025-03."]
    assert response.context["board"].period.label == "juli 2024 – juni 2025"
    response = client.get(URL, {"van": "2025-05", "tot": "2025-03"})
    assert "tot" in response.context["form"].errors


def test_without_a_desk_there_are_no_figures(client, city, user_for):
    client.force_login(user_for("Coördinator", desks=[]))
    response = client.get(URL)
    assert "U bent nog niet aan een loket of gemeente gekoppeld" in response.content.decode()
    assert response.context["board"].headline.rows[0].cell("count").value == 0


def test_queries_do_not_grow_with_the_data(
    client, city, coordinator, policy, staff, django_assert_num_queries
):
    client.force_login(coordinator)
    # Session and user (2), the user's permissions (2), the scope: desks and municipalities (2),
    # the figures grouped by value and by month (2), the lead times (1), the names of
    # locations, life domains, districts and partners (4), the last refresh (1), and saving the
    # renewed session (3). The Wmo figures are summary rows like the others: no query of their own.
    with django_assert_num_queries(13):
        assert client.get(URL).status_code == 200
    # Many more contacts, in other months and channels: the same number of queries.
    for month in ("2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01"):
        for channel in Contact.Channel.values:
            contact = make_contact(
                desk=city.desk,
                channel=channel,
                when=at(f"{month}-07"),
                resident=city.residents[1],
                staff=staff,
            )
            make_question(contact, domains=["wonen", "zorg"])
    summaries_refresh()
    with django_assert_num_queries(13):
        assert client.get(URL).status_code == 200
    client.force_login(policy)
    # The policy officer: one more query, for whom the small rows are about.
    with django_assert_num_queries(14):
        assert client.get(URL).status_code == 200


def test_csv_export(client, city, coordinator):
    client.force_login(coordinator)
    response = client.get("/inzicht/export/per-kanaal.csv", {"van": "2025-03", "tot": "2025-05"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="schakelpunt-per-kanaal-2025-03_2025-05.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # March to May at desk A: c1, c4 (desk), c2, c3, c6 (phone), c5 (e-mail).
    assert rows == [
        ["Kanaal", "Contacten", "Vragen"],
        ["Balie", "2", "3"],
        ["Telefoon", "3", "3"],
        ["E-mail", "1", "1"],
        ["Totaal", "6", "7"],
    ]
    log = AccessLog.objects.get()
    assert (log.action, log.object_type, log.object_id, log.user) == (
        "export",
        "insights.table",
        "per-kanaal",
        coordinator,
    )


def test_xlsx_export(client, city, coordinator):
    client.force_login(coordinator)
    response = client.get("/inzicht/export/verwijzingen-per-partner.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="schakelpunt-verwijzingen-per-partner-2024-07_2025-06.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Cijfers"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Partner", "Verwezen", "Geaccepteerd (%)", "Op tijd (%)", "Teruggekoppeld (%)"],
        ["Thuiszorg Oost", 3, 50, 50, 50],
        ["Woonstede", 1, None, None, 0],
        ["Totaal", 4, 50, 50, 33.3],
    ]
    about = {row[0].value: row[1].value for row in workbook["Toelichting"].iter_rows()}
    assert about["Periode"] == "juli 2024 – juni 2025"
    assert AccessLog.objects.filter(action="export", object_id="verwijzingen-per-partner").count() == 1


def test_policy_exports_hide_small_cells(client, city, policy):
    client.force_login(policy)
    response = client.get("/inzicht/export/per-kanaal.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Cijfers"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Kanaal", "Contacten", "Vragen"],
        ["Balie", "< 5", "< 5"],
        ["Telefoon", "< 5", "< 5"],
        ["Totaal", 6, 7],
    ]


def test_an_unknown_table_is_not_found(client, city, coordinator):
    client.force_login(coordinator)
    assert client.get("/inzicht/export/onbekend.csv").status_code == 404
    assert not AccessLog.objects.exists()


# --- no rows for the policy officer --------------------------------------------------------------

ROW_LEVEL = ("residents", "contacts", "referrals", "wmo", "brp", "audit", "signalling:create-from-question")
ROW_LEVEL_API = ("api:resident", "api:contact", "api:question", "api:referral")


def test_the_policy_officer_reaches_no_row_of_anyone(client, city, policy):
    """Every page about a resident, contact, question or referral (and every list of them),
    with the ids of real ones, answers the policy officer with a refusal or not found."""
    from django.urls import get_resolver

    resident, question, referral = city.residents[0], city.questions[3], city.referrals[0]
    ids = {"residents": resident.pk, "api:resident": resident.pk, "referrals:detail": referral.pk}
    ids |= {"referrals:transition": referral.pk, "api:referral-detail": referral.pk}
    ids |= {"api:contact-detail": question.contact_id, "wmo:create-for-resident": resident.pk}
    client.force_login(policy)
    checked = 0
    for entry in iter_patterns(get_resolver().url_patterns):
        name = entry.name or ""
        if not (name.startswith(ROW_LEVEL) or name.startswith(ROW_LEVEL_API)):
            continue
        pk = next((value for prefix, value in ids.items() if name.startswith(prefix)), question.pk)
        url = build_url(entry, {name: dict.fromkeys(entry.kwargs, pk)})
        if url is None:
            continue
        response = client.get(url)
        checked += 1
        assert response.status_code in DENIED or is_login_redirect(response), f"{url}: {response.status_code}"
    assert checked > 20
