"""A small fixed city whose every figure is worked out by hand in tests/insights/test_figures.py.

Today is Monday 16 June 2025, so the default period is July 2024 – June 2025.

Desk A (the ``desk`` fixture) serves Teststad (M1) and Buurdorp (M2); desk B serves Teststad.
Location L1 "Stadskantoor" belongs to desk A, in Teststad.

| contact | desk | channel | when | resident (municipality, district, born) | questions |
|---|---|---|---|---|---|
| c1 | A, L1 | desk | 10-03-2025 | r1 (M1, Centrum, 1-1-1950) | q1 wonen, information, closed 13-03 |
| c2 | A | phone | 12-03-2025 | r2 (M1, Centrum, 5-5-1980) | q2 zorg+wonen, no supply: capacity; closed 22-3 |
| c3 | A | phone | 02-04-2025 | r3 (M1, Noord, 1-1-2010) | q3 no domain, open |
| c4 | A, L1 | desk | 15-04-2025 | r1 | q4 zorg, referred, closed 15-04; q5 welzijn, advice, closed 05-05 |
| c5 | A | e-mail | 20-05-2025 | anonymous | q6 financien, information, closed 20-05 |
| c6 | A | phone | 21-05-2025 | r4 (M2, Dorp, 1-6-1940) | q7 wonen, no supply (waiting list), closed 30-05 |
| c7 | B | phone | 22-05-2025 | r5 (M1, Noord, 2-2-1960) | q8 zorg, open |
| c8 | A | phone | 30-06-2024 | r2 | (before the period) |
| c9 | A | phone | 01-06-2025 | r6 (M1, Centrum, birth date unknown) | q9 wonen, open |

Referrals (all from desk A): ref1 (q4, r1) to P1 made 15-04, accepted 16-04, completed 01-05;
ref2 (q2, r2) to P1 made 14-03, rejected 20-03 (due 18-03: late), with an unmet need;
ref3 (q7, r4) to P2 made 30-05, still requested; ref4 (q5, r1) to P1 made 05-05, cancelled 06-05.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from schakelpunt.contacts.models import Contact, LifeDomain, Question
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import Organisation
from schakelpunt.referrals.models import Referral, UnmetNeed
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import (
    DeskFactory,
    DistrictFactory,
    LocationFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import ResidentFactory

TZ = ZoneInfo("Europe/Amsterdam")
TODAY = datetime.datetime(2025, 6, 16, 12, tzinfo=TZ)


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=TZ)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def staff(user_for):
    return user_for("Frontoffice")


def make_contact(*, desk, channel, when, resident=None, location=None, staff):
    return ContactFactory(
        desk=desk, channel=channel, started_at=when, resident=resident, location=location, handled_by=staff
    )


def make_question(contact, *, domains=(), outcome="", reason="", closed=None):
    question = QuestionFactory(
        contact=contact,
        status=Question.Status.CLOSED if closed else Question.Status.OPEN,
        outcome=outcome,
        unmet_reason=reason,
        closed_at=closed,
    )
    question.domains.set(LifeDomain.objects.filter(code__in=domains))
    return question


def make_referral(question, *, partner, made, status, accepted=None, closed=None, **fields):
    referral = ReferralFactory(
        question=question,
        organisation=partner,
        status=status,
        accepted_at=accepted,
        closed_at=closed,
        **fields,
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=made)
    referral.refresh_from_db()
    return referral


@pytest.fixture
def city(today, desk, staff):
    m1 = desk.municipalities.first()
    m1.name = "Teststad"
    m1.save()
    m2 = MunicipalityFactory(name="Buurdorp")
    desk.municipalities.add(m2)
    desk_b = DeskFactory(name="Loket B", municipalities=[m1])
    centrum = DistrictFactory(name="Centrum", municipality=m1)
    noord = DistrictFactory(name="Noord", municipality=m1)
    dorp = DistrictFactory(name="Dorp", municipality=m2)
    l1 = LocationFactory(desk=desk, name="Stadskantoor", municipality=m1)

    def resident(municipality, district, born):
        return ResidentFactory(
            registered_desk=desk, municipality=municipality, district=district, birth_date=born
        )

    r1 = resident(m1, centrum, datetime.date(1950, 1, 1))
    r2 = resident(m1, centrum, datetime.date(1980, 5, 5))
    r3 = resident(m1, noord, datetime.date(2010, 1, 1))
    r4 = resident(m2, dorp, datetime.date(1940, 6, 1))
    r5 = resident(m1, noord, datetime.date(1960, 2, 2))
    r6 = resident(m1, centrum, None)

    C = Contact.Channel
    O = Question.Outcome  # noqa: E741
    c1 = make_contact(desk=desk, channel=C.DESK, when=at("2025-03-10"), resident=r1, location=l1, staff=staff)
    c2 = make_contact(desk=desk, channel=C.PHONE, when=at("2025-03-12"), resident=r2, staff=staff)
    c3 = make_contact(desk=desk, channel=C.PHONE, when=at("2025-04-02"), resident=r3, staff=staff)
    c4 = make_contact(desk=desk, channel=C.DESK, when=at("2025-04-15"), resident=r1, location=l1, staff=staff)
    c5 = make_contact(desk=desk, channel=C.EMAIL, when=at("2025-05-20"), staff=staff)
    c6 = make_contact(desk=desk, channel=C.PHONE, when=at("2025-05-21"), resident=r4, staff=staff)
    c7 = make_contact(desk=desk_b, channel=C.PHONE, when=at("2025-05-22"), resident=r5, staff=staff)
    c8 = make_contact(desk=desk, channel=C.PHONE, when=at("2024-06-30"), resident=r2, staff=staff)
    c9 = make_contact(desk=desk, channel=C.PHONE, when=at("2025-06-01"), resident=r6, staff=staff)

    q1 = make_question(c1, domains=["wonen"], outcome=O.INFORMATION, closed=at("2025-03-13", 15))
    q2 = make_question(
        c2, domains=["zorg", "wonen"], outcome=O.NO_SUPPLY, reason="no_capacity", closed=at("2025-03-22")
    )
    q3 = make_question(c3)
    q4 = make_question(c4, domains=["zorg"], outcome=O.REFERRED, closed=at("2025-04-15", 16))
    q5 = make_question(c4, domains=["welzijn"], outcome=O.ADVICE, closed=at("2025-05-05"))
    q6 = make_question(c5, domains=["financien"], outcome=O.INFORMATION, closed=at("2025-05-20", 11))
    q7 = make_question(
        c6, domains=["wonen"], outcome=O.NO_SUPPLY, reason="waiting_list", closed=at("2025-05-30")
    )
    q8 = make_question(c7, domains=["zorg"])
    make_question(c8, domains=["wonen"], outcome=O.INFORMATION, closed=at("2024-06-30", 11))
    q9 = make_question(c9, domains=["wonen"])

    p1 = OrganisationFactory(name="Thuiszorg Oost", type=Organisation.Type.CARE_PROVIDER)
    p2 = OrganisationFactory(name="Woonstede", type=Organisation.Type.HOUSING_CORPORATION)
    S = Referral.Status
    ref1 = make_referral(
        q4, partner=p1, made=at("2025-04-15", 17), status=S.COMPLETED, accepted=at("2025-04-16"),
        closed=at("2025-05-01"), outcome="Hulp geregeld", due_accept=datetime.date(2025, 4, 17),
        due_complete=datetime.date(2025, 5, 27),
    )  # fmt: skip
    ref2 = make_referral(
        q2, partner=p1, made=at("2025-03-14"), status=S.REJECTED, closed=at("2025-03-20"),
        close_reason="no_capacity", due_accept=datetime.date(2025, 3, 18),
    )  # fmt: skip
    ref3 = make_referral(q7, partner=p2, made=at("2025-05-30"), status=S.REQUESTED)
    ref4 = make_referral(q5, partner=p1, made=at("2025-05-05"), status=S.CANCELLED, closed=at("2025-05-06"))
    UnmetNeed.objects.create(question=q2, referral=ref2, reason="no_capacity", recorded_at=at("2025-03-20"))

    summaries_refresh()
    return SimpleNamespace(
        desk=desk, desk_b=desk_b, m1=m1, m2=m2, centrum=centrum, noord=noord, dorp=dorp, l1=l1,
        residents=[r1, r2, r3, r4, r5, r6], p1=p1, p2=p2, referrals=[ref1, ref2, ref3, ref4],
        questions=[q1, q2, q3, q4, q5, q6, q7, q8, q9], contacts=[c1, c2, c3, c4, c5, c6, c7, c8, c9],
    )  # fmt: skip
