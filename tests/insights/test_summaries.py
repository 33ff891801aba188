"""The summary rows of the quality scan and the reach analysis (``QuarterFigure``,
``ReachFigure``): after a refresh the pages read them instead of the registration and show
exactly the same, for the coordinator and for the policy officer with small cells hidden; new
data shows after the next refresh; periods the refresh did not count are read from the
registration as before.

The data is random but fixed (a seeded generator): residents with and without a municipality
or district, anonymous contacts, locations in other municipalities, a second desk serving one
municipality, referrals in every state (some still waiting, some past their day), unmet needs
and signals. The hand-computed figures are in test_quality.py and test_reach.py; these tests
prove the summary path equal to the path those tests check.
"""

from __future__ import annotations

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.insights import quality, reach
from schakelpunt.insights.models import QuarterFigure, ReachFigure, SummarisedPeriod
from schakelpunt.insights.periods import Period
from schakelpunt.insights.quality import Quarter, median, median_of_counts, quality_scan
from schakelpunt.insights.reach import reach_analysis
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import PopulationFigure
from schakelpunt.referrals.models import Referral, UnmetNeed
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import (
    DeskFactory,
    DistrictFactory,
    LocationFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ParticipationFactory,
)
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import ResidentFactory

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 11, 24, 12, tzinfo=TZ)
S = Referral.Status
O = Question.Outcome  # noqa: E741
QUARTERS = [Quarter(2026, 3), Quarter(2026, 4)]  # the default (last complete) and the running one
PERIODS = [
    Period.last_12_months(NOW.date()),
    Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 1)),
    Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1)),
]


@pytest.fixture
def now(db):
    with time_machine.travel(NOW, tick=False):
        yield NOW


def moment(rng: random.Random) -> datetime.datetime:
    """A moment between September 2024 and today."""
    start = datetime.datetime(2024, 9, 1, 8, tzinfo=TZ)
    return start + datetime.timedelta(minutes=rng.randrange(int((NOW - start).total_seconds() // 60)))


@pytest.fixture
def world(now, desk):
    rng = random.Random(8)
    teststad = desk.municipalities.get()
    buurdorp = MunicipalityFactory(name="Buurdorp")
    desk.municipalities.add(buurdorp)
    desk_b = DeskFactory(municipalities=[teststad])  # serves one municipality
    districts = {m.pk: [DistrictFactory(municipality=m) for _ in range(3)] for m in (teststad, buurdorp)}
    for municipality, found in districts.items():
        for district in found:
            for band in ("18-26", "65-74", "75-84"):
                PopulationFigure.objects.create(
                    municipality_id=municipality, district=district, age_band=band, year=2026,
                    inhabitants=rng.choice([0, 40, 300, 2000]),
                )  # fmt: skip
    elsewhere = MunicipalityFactory(name="Elders")
    locations = [
        None,
        LocationFactory(desk=desk, municipality=buurdorp),
        LocationFactory(desk=desk, municipality=elsewhere),
    ]
    residents = []
    for _ in range(45):
        municipality = rng.choice([teststad, teststad, buurdorp, None])
        district = rng.choice([*districts[municipality.pk], None]) if municipality else None
        born = rng.choice(
            [None, datetime.date(1950, 3, 1), datetime.date(1941, 12, 1), datetime.date(2001, 6, 6)]
        )
        residents.append(
            ResidentFactory(
                registered_desk=desk, municipality=municipality, district=district, birth_date=born
            )
        )
    partners = [OrganisationFactory(type="care_provider") for _ in range(3)]
    for partner in partners[:2]:
        ParticipationFactory(desk=desk, organisation=partner)
    domains = list(LifeDomain.objects.all()[:3])
    questions = []
    for _ in range(220):
        started = moment(rng)
        contact = ContactFactory(
            desk=rng.choice([desk, desk, desk_b]),
            started_at=started,
            resident=rng.choice([*residents, None]),
            location=rng.choice(locations),
        )
        outcome = rng.choice(["", O.INFORMATION, O.REFERRED, O.NO_SUPPLY])
        closed = started + datetime.timedelta(days=rng.randint(0, 40)) if outcome else None
        made = QuestionFactory(
            contact=contact,
            clarification=rng.choice(["", "De vraag achter de vraag."]),
            outcome=outcome,
            unmet_reason="not_available" if outcome == O.NO_SUPPLY else "",
            status=Question.Status.CLOSED if closed and closed < NOW else Question.Status.OPEN,
            closed_at=closed if closed and closed < NOW else None,
        )
        made.domains.set(rng.sample(domains, rng.randint(0, 2)))
        questions.append(made)
    referrals = []
    for made in rng.sample(questions, 90):
        created = made.contact.started_at + datetime.timedelta(hours=rng.randint(1, 100))
        if created >= NOW:
            continue
        status = rng.choice(
            [S.REQUESTED, S.ON_HOLD, S.ACCEPTED, S.COMPLETED, S.REJECTED, S.FAILED, S.CANCELLED]
        )
        accepted = (
            created + datetime.timedelta(days=rng.randint(0, 9))
            if status in (S.ACCEPTED, S.COMPLETED, S.FAILED)
            else None
        )
        closed = (
            (accepted or created) + datetime.timedelta(days=rng.randint(0, 30))
            if status in (S.COMPLETED, S.REJECTED, S.FAILED, S.CANCELLED)
            else None
        )
        if (accepted and accepted >= NOW) or (closed and closed >= NOW):
            continue
        referral = ReferralFactory(
            question=made,
            organisation=rng.choice(partners),
            status=status,
            accepted_at=accepted,
            closed_at=closed,
            outcome="Geholpen" if status == S.COMPLETED else rng.choice(["", "Geen plek"]) if closed else "",
            close_reason="no_capacity" if status in (S.REJECTED, S.FAILED) else "",
            due_accept=created.date() + datetime.timedelta(days=rng.choice([2, 5, 30])),
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=created)
        referrals.append(referral)
        if status == S.REJECTED:
            UnmetNeed.objects.create(
                question=made, referral=referral, reason="no_capacity", recorded_at=closed
            )
    from tests.signalling.factories import SignalFactory

    sent, proposal = SignalFactory(desk=desk, status="sent"), SignalFactory(desk=desk, status="proposed")
    unmet = [q for q in questions if q.outcome == O.NO_SUPPLY]
    sent.questions.add(*unmet[::2])
    proposal.questions.add(*unmet[1::3])
    sent.unmet_needs.add(*UnmetNeed.objects.all()[::2])
    return {"desk": desk, "desk_b": desk_b, "teststad": teststad, "buurdorp": buurdorp}


def snapshot(tables) -> list[tuple]:
    """Everything a page shows of its tables, hidden cells and marks included."""
    return [
        (table.key, row.key, key, cell.display(), cell.suppressed, getattr(cell, "under", None))
        for table in tables
        for row in [*table.rows, *([table.total] if table.total else [])]
        for key, cell in row.cells.items()
    ]


def pages(viewers, world) -> dict:
    shown = {}
    for name, viewer in viewers.items():
        for desk in (world["desk"], world["desk_b"]):
            for quarter in QUARTERS:
                scan = quality_scan(viewer=viewer, desk=desk, last_quarter=quarter)
                shown[(name, "scan", desk.pk, quarter)] = snapshot(scan.tables)
        for period in PERIODS:
            for desks in ([], [world["desk"]], [world["desk_b"]]):
                for municipality in (None, world["buurdorp"]):
                    found = reach_analysis(
                        viewer=viewer, period=period, desks=desks, municipality=municipality
                    )
                    key = (name, "reach", period, tuple(d.pk for d in desks), municipality is not None)
                    shown[key] = (snapshot(found.tables), found.outside.display(), found.under_reached)
    return shown


def boom(*args, **kwargs):
    raise AssertionError("read the registration, not the summary rows")


@pytest.fixture
def viewers(world, user_for):
    return {
        "coordinator": user_for("Coördinator", desks=[world["desk"], world["desk_b"]]),
        "policy": user_for("Beleidsmedewerker", desks=[]),  # of Teststad
    }


def test_after_a_refresh_the_pages_read_the_summary_rows_and_show_the_same(world, viewers, monkeypatch):
    assert len(Contact.objects.all()) == 220
    before = pages(viewers, world)
    summaries_refresh()
    assert QuarterFigure.objects.exists() and ReachFigure.objects.exists()
    for quarter in [*QUARTERS, Quarter(2025, 4), Quarter(2024, 3)]:
        assert SummarisedPeriod.objects.filter(kind="quality", first=quarter.period.first).exists()
    for period in PERIODS:
        assert SummarisedPeriod.objects.filter(kind="reach", first=period.first, last=period.last).exists()
    monkeypatch.setattr(quality, "quality_facts", boom)
    original = reach._reached
    read_raw = []
    monkeypatch.setattr(reach, "_reached", lambda *a, **k: read_raw.append(k) or original(*a, **k))
    after = pages(viewers, world)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
    # Only the coordinator's view of both desks together reads the registration: a resident
    # reached at both would count twice in summed rows.
    assert read_raw and all(len(found["desk_ids"]) == 2 for found in read_raw)


def test_the_summary_rows_of_a_small_case(now, desk, user_for):
    teststad = desk.municipalities.get()
    centrum = DistrictFactory(municipality=teststad)
    anna = ResidentFactory(municipality=teststad, district=centrum, birth_date=datetime.date(1950, 9, 1))
    contact = ContactFactory(
        desk=desk, resident=anna, started_at=datetime.datetime(2026, 8, 20, 9, tzinfo=TZ)
    )
    ContactFactory(desk=desk, resident=anna, started_at=datetime.datetime(2026, 9, 5, 9, tzinfo=TZ))
    QuestionFactory(
        contact=contact, outcome=O.INFORMATION, status=Question.Status.CLOSED,
        closed_at=datetime.datetime(2026, 8, 25, 9, tzinfo=TZ),
    )  # fmt: skip
    summaries_refresh()
    rows = {
        (row.measure, row.part, row.value): (row.count, row.persons, row.person_keys)
        for row in QuarterFigure.objects.filter(desk=desk, quarter=datetime.date(2026, 7, 1))
    }
    assert rows[("complete", "no", "")] == (1, 1, [anna.pk])  # no domain, no clarification
    assert rows[("outcome", "yes", "")] == (1, 1, [anna.pk])
    assert rows[("lead", "yes", "")] == (1, 1, [anna.pk])  # five days
    assert rows[("lead_days", "", "5")][0] == 1
    # Reached in 2026: once at the desk and once at any desk, aged 75 at the first contact.
    reached = ReachFigure.objects.filter(first=datetime.date(2026, 1, 1), last=datetime.date(2026, 12, 1))
    found = set(reached.values_list("desk_id", "municipality_id", "district_id", "age_band", "count"))
    assert found == {
        (desk.pk, teststad.pk, centrum.pk, "75-84", 1),
        (None, teststad.pk, centrum.pk, "75-84", 1),
    }


def test_new_data_shows_after_the_next_refresh(world, viewers, monkeypatch):
    summaries_refresh()
    coordinator = user_for_desk = viewers["coordinator"]
    period = Period.last_12_months()

    def figures():
        scan = quality_scan(viewer=coordinator, desk=world["desk"], last_quarter=Quarter(2026, 4))
        found = reach_analysis(viewer=user_for_desk, period=period, desks=[world["desk"]])
        return snapshot(scan.tables), snapshot(found.tables)

    old = figures()
    resident = ResidentFactory(municipality=world["teststad"], birth_date=datetime.date(1990, 1, 1))
    contact = ContactFactory(
        desk=world["desk"], resident=resident, started_at=NOW - datetime.timedelta(days=3)
    )
    QuestionFactory(contact=contact, outcome=O.ADVICE, status=Question.Status.CLOSED, closed_at=NOW)
    assert figures() == old  # the summary rows as they were counted
    summaries_refresh()  # the regular run: this month, last month and what changed
    new = figures()
    assert new != old
    with monkeypatch.context() as patched:  # the same from the registration
        patched.setattr(quality, "_summarised", lambda quarters: False)
        patched.setattr(reach, "_reached_from_summary", lambda *a, **k: None)
        assert figures() == new


def test_a_signal_linked_later_changes_the_scan_after_the_refresh(world, viewers):
    from tests.signalling.factories import SignalFactory

    summaries_refresh()
    coordinator = viewers["coordinator"]
    made = QuestionFactory(
        contact=ContactFactory(desk=world["desk"], started_at=datetime.datetime(2026, 2, 3, 10, tzinfo=TZ)),
        outcome=O.NO_SUPPLY, unmet_reason="not_available",
    )  # fmt: skip
    summaries_refresh(since=datetime.date(2026, 2, 1))

    def signalled():
        scan = quality_scan(viewer=coordinator, desk=world["desk"], last_quarter=Quarter(2026, 1))
        table = next(measure for measure in scan.measures if measure.key == "signalen").table
        return table.rows[-1].cell("signalled").value

    before = signalled()
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        SignalFactory(desk=world["desk"], status="sent").questions.add(made)
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        summaries_refresh()
    assert signalled() > before


def test_a_period_the_refresh_did_not_count_is_read_from_the_registration(world, viewers, monkeypatch):
    summaries_refresh()
    odd = Period(datetime.date(2026, 2, 1), datetime.date(2026, 5, 1))
    original = reach._reached
    read_raw = []
    monkeypatch.setattr(reach, "_reached", lambda *a, **k: read_raw.append(k) or original(*a, **k))
    reach_analysis(viewer=viewers["policy"], period=odd)
    assert read_raw


def test_the_median_from_counts_per_day_is_the_median_of_the_days():
    rng = random.Random(3)
    for _ in range(200):
        days = [rng.randint(0, 60) for _ in range(rng.randint(0, 30))]
        counts: dict[int, int] = {}
        for day in days:
            counts[day] = counts.get(day, 0) + 1
        assert median_of_counts(counts) == median(days)


def test_the_pages_say_when_their_figures_were_counted(now, client, desk, user_for):
    from django.urls import reverse

    client.force_login(user_for("Coördinator"))
    pages = [reverse("insights:quality"), reverse("insights:reach")]
    for url in pages:
        assert "De cijfers zijn zojuist uit de registratie geteld." in client.get(url).content.decode()
    summaries_refresh()
    for url in pages:
        page = client.get(url).content.decode()
        counted = "De cijfers zijn geteld op 24 november 2026, 12:00; ze worden elke nacht ververst."
        assert counted in page, url
