"""The policy view on real data: cells count residents (not rows), across months and desks."""

import pytest

from schakelpunt.contacts.models import Contact
from schakelpunt.insights.periods import Period
from schakelpunt.insights.selectors import dashboard
from schakelpunt.insights.services import summaries_refresh
from tests.insights.conftest import at, make_contact
from tests.insights.helpers import shown
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db

C = Contact.Channel


@pytest.fixture
def policy(user_for):
    return user_for("Beleidsmedewerker", desks=[])


@pytest.fixture
def residents(desk):
    municipality = desk.municipalities.first()

    def make(count: int):
        return [ResidentFactory(registered_desk=desk, municipality=municipality) for _ in range(count)]

    return make


def test_the_subtraction_case(today, desk, staff, residents, policy):
    # Phone: 6 residents, desk: 5, e-mail: 2. E-mail is small; with the total (13) shown, it
    # would be 13 - 6 - 5 = 2, so the smallest other channel (desk, 5) is hidden as well.
    for channel, count in ((C.PHONE, 6), (C.DESK, 5), (C.EMAIL, 2)):
        for resident in residents(count):
            make_contact(desk=desk, channel=channel, when=at("2025-05-12"), resident=resident, staff=staff)
    summaries_refresh()
    board = dashboard(viewer=policy, period=Period.last_12_months())
    table = board.table("per-kanaal")
    assert shown(table, "contacts") == {"phone": "6", "desk": "< 5", "email": "< 5", "total": "13"}
    secondary = {row.key: row.cell("contacts").secondary for row in table.rows}
    assert secondary == {"desk": True, "phone": False, "email": False}
    # The coordinator of the desk sees everything.
    coordinator = board_for_coordinator(desk)
    assert shown(coordinator.table("per-kanaal"), "contacts") == {
        "phone": "6",
        "desk": "5",
        "email": "2",
        "total": "13",
    }


def board_for_coordinator(desk):
    from tests.accounts.factories import UserFactory

    return dashboard(viewer=UserFactory(role="Coördinator", desks=[desk]), period=Period.last_12_months())


def test_cells_count_residents_not_contacts(today, desk, staff, residents, policy):
    # One resident phones six times in one month: six contacts, one person: "< 5". Five
    # residents e-mail once each, each in another month: five rows of one person, but five
    # different persons together: shown. One resident visits at home in five months: "< 5".
    # Two residents ask online: "< 5" (two small cells, so no second round is needed).
    caller, visited = residents(1)[0], residents(1)[0]
    for day in range(1, 7):
        make_contact(desk=desk, channel=C.PHONE, when=at(f"2025-05-0{day}"), resident=caller, staff=staff)
    for month, resident in zip(("01", "02", "03", "04", "05"), residents(5), strict=True):
        make_contact(desk=desk, channel=C.EMAIL, when=at(f"2025-{month}-15"), resident=resident, staff=staff)
        make_contact(
            desk=desk, channel=C.HOME_VISIT, when=at(f"2025-{month}-16"), resident=visited, staff=staff
        )
    for resident in residents(2):
        make_contact(desk=desk, channel=C.ONLINE, when=at("2025-05-20"), resident=resident, staff=staff)
    summaries_refresh()
    board = dashboard(viewer=policy, period=Period.last_12_months())
    assert shown(board.table("per-kanaal"), "contacts") == {
        "phone": "< 5",
        "email": "5",
        "home_visit": "< 5",
        "online": "< 5",
        "total": "18",
    }
    # Per month: January to April each have two persons (e-mail and the home visits).
    months = shown(board.table("per-maand"), "contacts")
    assert months["2025-01-01"] == "< 5" and months["2025-05-01"] == "10"


def test_persons_are_counted_across_desks(today, desk, staff, residents, policy):
    # The same two residents at two desks: two persons, not four.
    other = DeskFactory(municipalities=[desk.municipalities.first()])
    pair = residents(2)
    for where in (desk, other):
        for resident in pair:
            make_contact(desk=where, channel=C.PHONE, when=at("2025-05-12"), resident=resident, staff=staff)
    for resident in residents(5):
        make_contact(desk=desk, channel=C.DESK, when=at("2025-05-12"), resident=resident, staff=staff)
    summaries_refresh()
    board = dashboard(viewer=policy, period=Period.last_12_months())
    assert shown(board.table("per-kanaal"), "contacts") == {"desk": "< 5", "phone": "< 5", "total": "9"}


def test_exports_hide_the_same_cells(today, desk, staff, residents, policy):
    from schakelpunt.insights.exports import table_csv

    for channel, count in ((C.PHONE, 6), (C.DESK, 5), (C.EMAIL, 2)):
        for resident in residents(count):
            make_contact(desk=desk, channel=channel, when=at("2025-05-12"), resident=resident, staff=staff)
    summaries_refresh()
    table = dashboard(viewer=policy, period=Period.last_12_months()).table("per-kanaal")
    lines = table_csv(table).decode().splitlines()
    assert lines == [
        "Kanaal,Contacten,Vragen",
        "Balie,< 5,0",
        "Telefoon,6,0",
        "E-mail,< 5,0",
        "Totaal,13,0",
    ]
