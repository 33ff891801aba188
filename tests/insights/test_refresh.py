"""The summary tables: rebuilt month by month, the same when run twice, equal to counting the
registration itself, and only the months that changed on a normal night."""

import datetime
import io
import random

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.insights.models import LeadTimeCount, MonthlyCount, RefreshRun
from schakelpunt.insights.periods import Period
from schakelpunt.insights.selectors import dashboard
from schakelpunt.insights.services import months_to_refresh, summaries_refresh
from tests.insights.conftest import TODAY, at, make_contact, make_question
from tests.insights.helpers import values
from tests.organisations.factories import DistrictFactory, LocationFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    counts = MonthlyCount.objects.values_list(
        "month", "desk", "municipality", "measure", "dimension", "value", "count", "persons", "person_keys"
    )
    buckets = LeadTimeCount.objects.values_list("month", "desk", "municipality", "measure", "bucket", "count")
    return sorted((*row[:-1], tuple(row[-1])) for row in counts) + sorted(buckets)


@pytest.fixture
def random_city(today, desk, staff):
    """Forty contacts drawn at random (with a fixed seed) over a year and a half."""
    rng = random.Random(8)
    municipality = desk.municipalities.first()
    districts = [DistrictFactory(municipality=municipality) for _ in range(3)]
    locations = [LocationFactory(desk=desk, municipality=municipality), None]
    people = [
        ResidentFactory(
            registered_desk=desk,
            municipality=municipality,
            district=rng.choice([*districts, None]),
            birth_date=datetime.date(rng.randint(1925, 2015), rng.randint(1, 12), rng.randint(1, 28)),
        )
        for _ in range(12)
    ]
    domains = list(LifeDomain.objects.values_list("code", flat=True)[:5])
    outcomes = [o for o in Question.Outcome.values if o != Question.Outcome.NO_SUPPLY]
    for _ in range(40):
        started = TODAY - datetime.timedelta(days=rng.randint(0, 540), hours=rng.randint(0, 5))
        contact = make_contact(
            desk=desk,
            channel=rng.choice(Contact.Channel.values),
            when=started,
            resident=rng.choice([*people, None]),
            location=rng.choice(locations),
            staff=staff,
        )
        for _ in range(rng.randint(0, 2)):
            closed = started + datetime.timedelta(days=rng.randint(0, 40)) if rng.random() < 0.7 else None
            if closed and closed > TODAY:
                closed = None
            make_question(
                contact,
                domains=rng.sample(domains, rng.randint(0, 2)),
                outcome=rng.choice(outcomes) if closed else "",
                closed=closed,
            )
    return desk


def test_a_second_run_gives_the_same_rows(random_city):
    summaries_refresh()
    first = snapshot()
    assert first
    summaries_refresh(since=datetime.date(2000, 1, 1))
    assert snapshot() == first
    summaries_refresh()  # the nightly run: only recent and changed months
    assert snapshot() == first
    assert RefreshRun.objects.count() == 3


def test_the_summary_equals_counting_the_registration(random_city, user_for):
    summaries_refresh()
    period = Period.last_12_months()
    board = dashboard(viewer=user_for("Coördinator"), period=period)
    contacts = Contact.objects.filter(
        desk=random_city, started_at__gte=period.start, started_at__lt=period.end
    )
    questions = Question.objects.filter(contact__in=contacts)

    def plain(queryset, field):
        rows = queryset.values(field).annotate(n=Count("pk", distinct=True)).order_by()
        return {("" if row[field] is None else str(row[field])): row["n"] for row in rows}

    def summary(table_key, column):
        found = values(board.table(table_key), column)
        return {key: value for key, value in found.items() if key != "total" and value}

    assert summary("per-kanaal", "contacts") == plain(contacts, "channel")
    assert summary("per-kanaal", "questions") == plain(questions, "contact__channel")
    assert summary("per-locatie", "contacts") == plain(contacts, "location")
    assert summary("per-wijk", "contacts") == plain(contacts, "resident__district")
    assert summary("uitkomsten", "questions") == plain(questions, "outcome")
    domains = plain(questions.exclude(domains=None), "domains__code")
    domains[""] = questions.filter(domains=None).count()
    assert summary("per-levensdomein", "questions") == {key: n for key, n in domains.items() if n}
    assert values(board.headline)["contacts"] == contacts.count()
    assert values(board.headline)["questions"] == questions.count()
    by_month = {
        month.date().isoformat(): contacts.filter(
            started_at__month=month.month, started_at__year=month.year
        ).count()
        for month in contacts.datetimes("started_at", "month")
    }
    assert summary("per-maand", "contacts") == by_month


def test_the_nightly_run_rebuilds_only_months_that_changed(today, desk, staff):
    resident = ResidentFactory(registered_desk=desk, municipality=desk.municipalities.first())
    make_contact(
        desk=desk, channel=Contact.Channel.PHONE, when=at("2024-11-05"), resident=resident, staff=staff
    )
    make_contact(
        desk=desk, channel=Contact.Channel.PHONE, when=at("2025-02-05"), resident=resident, staff=staff
    )
    # The first run rebuilds everything from the first contact on.
    assert months_to_refresh()[0] == datetime.date(2024, 11, 1)
    with time_machine.travel(TODAY + datetime.timedelta(minutes=1), tick=False):
        summaries_refresh()
    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        assert months_to_refresh() == [datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)]
        # A contact registered late, for January: January is rebuilt too.
        make_contact(
            desk=desk, channel=Contact.Channel.DESK, when=at("2025-01-20"), resident=resident, staff=staff
        )
        assert months_to_refresh() == [
            datetime.date(2025, 1, 1),
            datetime.date(2025, 5, 1),
            datetime.date(2025, 6, 1),
        ]
        summaries_refresh()
        assert MonthlyCount.objects.filter(month=datetime.date(2025, 1, 1), measure="contacts").exists()
    assert months_to_refresh(since=datetime.date(2025, 4, 30)) == [
        datetime.date(2025, 4, 1),
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
    ]


def test_small_rows_keep_who_they_are_about_and_large_rows_do_not(today, desk, staff):
    people = [
        ResidentFactory(registered_desk=desk, municipality=desk.municipalities.first()) for _ in range(6)
    ]
    for person in people[:4]:
        make_contact(
            desk=desk, channel=Contact.Channel.EMAIL, when=at("2025-05-05"), resident=person, staff=staff
        )
    for person in people:
        make_contact(
            desk=desk, channel=Contact.Channel.PHONE, when=at("2025-05-06"), resident=person, staff=staff
        )
    anonymous = make_contact(desk=desk, channel=Contact.Channel.ONLINE, when=at("2025-05-07"), staff=staff)
    summaries_refresh()
    row = MonthlyCount.objects.get(measure="contacts", dimension="channel", value="email")
    assert (row.count, row.persons, row.person_keys) == (4, 4, sorted(p.pk for p in people[:4]))
    row = MonthlyCount.objects.get(measure="contacts", dimension="channel", value="phone")
    assert (row.count, row.persons, row.person_keys) == (6, 6, [])
    # An anonymous contact is a person of its own, known by minus its contact id.
    row = MonthlyCount.objects.get(measure="contacts", dimension="channel", value="online")
    assert row.person_keys == [-anonymous.pk]


def test_command_and_task(today, desk, staff):
    make_contact(desk=desk, channel=Contact.Channel.PHONE, when=at("2025-03-03"), staff=staff)
    out = io.StringIO()
    call_command("insights_refresh", since="2025-03-01", stdout=out)
    assert out.getvalue().strip() == "Cijfers bijgewerkt: 4 maanden, 5 regels."
    out = io.StringIO()
    call_command("insights_refresh", "--enqueue", stdout=out)  # the test settings run tasks at once
    assert out.getvalue().startswith("Taak in de wachtrij:")
    assert RefreshRun.objects.count() == 2
