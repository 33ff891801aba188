"""Every figure of the dashboard against the small city of conftest.py, worked out by hand."""

import pytest

from schakelpunt.insights.periods import Period
from schakelpunt.insights.selectors import dashboard, insight_scope
from tests.insights.helpers import shown, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator")


@pytest.fixture
def board(city, coordinator):
    return dashboard(viewer=coordinator, period=Period.last_12_months())


def test_the_default_period_is_the_last_twelve_months(today):
    period = Period.last_12_months()
    assert (str(period.first), str(period.last)) == ("2024-07-01", "2025-06-01")
    assert period.label == "juli 2024 – juni 2025"


def test_headline(board):
    # Desk A in the period: c1-c6 and c9 (c7 is desk B's, c8 before the period); their
    # questions q1-q7 and q9; referrals ref1-ref4; unmet: q2 and q7, and ref2's unmet need.
    assert values(board.headline) == {
        "contacts": 7,
        "questions": 8,
        "referrals": 4,
        "unmet_questions": 2,
        "unmet_referrals": 1,
    }
    assert board.suppressed is False


def test_contacts_and_questions_per_month(board):
    table = board.table("per-maand")
    assert [row.label for row in table.rows][:2] == ["jul 2024", "aug 2024"]
    contacts = {key: value for key, value in values(table, "contacts").items() if value}
    questions = {key: value for key, value in values(table, "questions").items() if value}
    assert contacts == {"2025-03-01": 2, "2025-04-01": 2, "2025-05-01": 2, "2025-06-01": 1, "total": 7}
    # April: q3 (c3) and q4, q5 (both c4).
    assert questions == {"2025-03-01": 2, "2025-04-01": 3, "2025-05-01": 2, "2025-06-01": 1, "total": 8}
    assert len(table.rows) == 12


def test_per_channel(board):
    table = board.table("per-kanaal")
    assert values(table, "contacts") == {"desk": 2, "phone": 4, "email": 1, "total": 7}
    assert values(table, "questions") == {"desk": 3, "phone": 4, "email": 1, "total": 8}
    assert [str(row.label) for row in table.rows] == ["Balie", "Telefoon", "E-mail"]


def test_per_location(board, city):
    table = board.table("per-locatie")
    l1 = str(city.l1.pk)
    assert values(table, "contacts") == {l1: 2, "": 5, "total": 7}
    assert values(table, "questions") == {l1: 3, "": 5, "total": 8}
    assert str(table.rows[0].label) == f"Stadskantoor ({city.desk.name})"


def test_questions_per_life_domain(board):
    # q2 is about zorg and wonen: it counts in both; the total is the number of questions.
    assert values(board.table("per-levensdomein")) == {
        "wonen": 4,
        "zorg": 2,
        "welzijn": 1,
        "financien": 1,
        "": 1,
        "total": 8,
    }


def test_per_age_band_at_the_date_of_the_contact(board):
    table = board.table("per-leeftijd")
    # r1 (born 1950) is 75 at c1 and c4; r4 (born 1 June 1940) is still 84 on 21 May 2025;
    # r2 44, r3 15; c5 is anonymous and r6 has no birth date.
    assert values(table, "contacts") == {"0-17": 1, "27-44": 1, "75-84": 3, "": 2, "total": 7}
    assert values(table, "questions") == {"0-17": 1, "27-44": 1, "75-84": 4, "": 2, "total": 8}


def test_per_district(board, city):
    table = board.table("per-wijk")
    centrum, noord, dorp = str(city.centrum.pk), str(city.noord.pk), str(city.dorp.pk)
    assert values(table, "contacts") == {centrum: 4, dorp: 1, noord: 1, "": 1, "total": 7}
    assert [str(row.label) for row in table.rows] == ["Centrum", "Dorp", "Noord", "Wijk onbekend"]


def test_outcomes(board):
    assert values(board.table("uitkomsten")) == {
        "information": 2,
        "advice": 1,
        "referred": 1,
        "no_supply": 2,
        "": 2,
        "total": 8,
    }


def test_lead_times(board):
    table = board.table("doorlooptijden")
    # Questions closed in the period: q1 3 days, q2 10, q4 0, q5 20, q6 0, q7 9 → sorted
    # 0 0 3 9 10 20: the median is the 3rd (3 days), 90% the 6th (20, in the bucket 15-21).
    assert values(table, "count") == {
        "lead_question": 6,
        "lead_referral_accept": 1,
        "lead_referral_complete": 1,
        "lead_referral_total": 1,
    }
    assert values(table, "p50") == {
        "lead_question": 3,
        "lead_referral_accept": 1,  # made 15 April, accepted the 16th
        "lead_referral_complete": "15–21",  # accepted 16 April, completed 1 May: 15 days
        "lead_referral_total": "15–21",  # 16 days
    }
    assert values(table, "p90")["lead_question"] == "15–21"
    assert shown(table, "p50")["lead_question"] == "3"


def test_referrals_per_partner(board, city):
    table = board.table("verwijzingen-per-partner")
    p1, p2 = str(city.p1.pk), str(city.p2.pk)
    assert [row.key for row in table.rows] == [p1, p2]  # most referrals first
    assert values(table, "made") == {p1: 3, p2: 1, "total": 4}
    # P1: ref1 accepted, ref2 rejected → 50%; ref1 on time, ref2 late (rejected after its
    # due date) → 50%; feedback: ref1 closed with an outcome, ref2 without; ref4 was cancelled
    # and does not count → 50%. P2: ref3 is still open: no answer yet, no feedback → 0%.
    assert values(table, "accepted") == {p1: 50.0, p2: "", "total": 50.0}
    assert values(table, "on_time") == {p1: 50.0, p2: "", "total": 50.0}
    assert values(table, "feedback") == {p1: 50.0, p2: 0.0, "total": 33.3}
    assert shown(table, "accepted") == {p1: "50%", p2: "–", "total": "50%"}


def test_unmet_needs_per_reason_and_domain(board):
    per_reason = board.table("onvervuld-per-reden")
    assert values(per_reason, "unmet_questions") == {"no_capacity": 1, "waiting_list": 1, "total": 2}
    assert values(per_reason, "unmet_referrals") == {"no_capacity": 1, "waiting_list": 0, "total": 1}
    per_domain = board.table("onvervuld-per-domein")
    # q2 (zorg, wonen) and q7 (wonen); ref2's unmet need is about q2.
    assert values(per_domain, "unmet_questions") == {"wonen": 2, "zorg": 1, "total": 2}
    assert values(per_domain, "unmet_referrals") == {"wonen": 1, "zorg": 1, "total": 1}


def test_filter_on_municipality(city, coordinator):
    board = dashboard(viewer=coordinator, period=Period.last_12_months(), municipality=city.m2)
    # Only r4 lives in Buurdorp: c6, q7, ref3.
    assert values(board.headline) == {
        "contacts": 1,
        "questions": 1,
        "referrals": 1,
        "unmet_questions": 1,
        "unmet_referrals": 0,
    }


def test_filter_on_period(city, coordinator):
    import datetime

    march = Period(datetime.date(2025, 3, 1), datetime.date(2025, 3, 1))
    board = dashboard(viewer=coordinator, period=march)
    assert values(board.headline)["contacts"] == 2
    assert values(board.table("per-maand"), "contacts") == {"2025-03-01": 2, "total": 2}


def test_a_coordinator_sees_only_their_own_desks(city, coordinator):
    assert [desk.pk for desk in insight_scope(coordinator).desks] == [city.desk.pk]
    # Asking for desk B changes nothing: it is not theirs.
    board = dashboard(viewer=coordinator, period=Period.last_12_months(), desks=[city.desk_b])
    assert values(board.headline)["contacts"] == 7


def test_policy_officer_sees_their_municipality_at_every_desk_with_small_cells_hidden(city, user_for):
    policy = user_for("Beleidsmedewerker", desks=[])
    scope = insight_scope(policy)
    assert [m.name for m in scope.municipalities] == ["Teststad"]
    assert scope.suppressed and scope.by_municipality
    board = dashboard(viewer=policy, period=Period.last_12_months())
    # Residents of Teststad: c1, c2, c3, c4, c7 (at desk B) and c9, by r1 (twice), r2, r3, r5
    # and r6: five persons, so the totals show; their questions q1-q5, q8, q9.
    assert shown(board.headline) == {
        "contacts": "6",
        "questions": "7",
        "referrals": "< 5",
        "unmet_questions": "< 5",
        "unmet_referrals": "< 5",
    }
    # Every channel is about fewer than five residents (desk: r1 alone; phone: r2, r3, r5, r6).
    assert shown(board.table("per-kanaal")) == {"desk": "< 5", "phone": "< 5", "total": "6"}
    # Nothing about Buurdorp (r4) or anonymous contacts (c5) comes in.
    assert "Dorp" not in [str(row.label) for row in board.table("per-wijk").rows]
    # Lead times are about fewer than five residents each.
    assert shown(board.table("doorlooptijden"), "p50")["lead_question"] == "< 5"
