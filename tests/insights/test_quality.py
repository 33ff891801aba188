"""The quality scan: every figure against a small dataset worked out by hand, the small-cell
rule for the policy officer, the self-assessment and its service, access and query counts.

Today is Tuesday 24 November 2026: the default last quarter is K3 2026 (July–September), so
the scan shows K4 2025, K1, K2 and K3 2026. Each figure gets its own desk, so that the hand
computation of one figure is not disturbed by the data of another.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import LifeDomain, Question
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.insights import quality
from schakelpunt.insights.quality import (
    CHECKLIST,
    Quarter,
    median,
    quality_scan,
    quarters_up_to,
    self_assessment_save,
)
from schakelpunt.insights.services import summaries_refresh
from schakelpunt.organisations.models import SelfAssessment
from schakelpunt.referrals.models import Referral, UnmetNeed
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory, OrganisationFactory, ParticipationFactory
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import ResidentFactory

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2026, 11, 24, 12, tzinfo=TZ)
K3 = Quarter(2026, 3)
O = Question.Outcome  # noqa: E741
S = Referral.Status


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=TZ)


@pytest.fixture
def now(db):
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def coordinator(user_for, desk):
    return user_for("Coördinator")


def question(
    desk, *, when, resident=None, domains=("wonen",), clarification="", outcome="", closed=None, **extra
):
    contact = ContactFactory(desk=desk, started_at=when, resident=resident)
    made = QuestionFactory(
        contact=contact,
        clarification=clarification,
        outcome=outcome,
        status=Question.Status.CLOSED if closed else Question.Status.OPEN,
        closed_at=closed,
        **extra,
    )
    made.domains.set(LifeDomain.objects.filter(code__in=domains))
    return made


def resident(desk, **fields):
    return ResidentFactory(registered_desk=desk, **fields)


def figure(scan, key: str) -> dict[str, dict[str, str]]:
    """{quarter slug: {column: what the page shows}} of a measure's table."""
    table = next(measure for measure in scan.measures if measure.key == key).table
    return {row.key: {col.key: row.cell(col.key).display() for col in table.columns} for row in table.rows}


# --- quarters -------------------------------------------------------------------------------------


def test_quarters_run_back_from_the_last_complete_one():
    assert Quarter.last_complete(datetime.date(2026, 11, 24)) == Quarter(2026, 3)
    assert Quarter.last_complete(datetime.date(2026, 1, 5)) == Quarter(2025, 4)
    assert [q.slug for q in quarters_up_to(Quarter(2026, 3))] == ["2025-K4", "2026-K1", "2026-K2", "2026-K3"]
    assert Quarter.parse("2026-K2") == Quarter.parse("2026-2") == Quarter(2026, 2)
    with pytest.raises(ValueError):
        Quarter.parse("2026-K5")
    assert K3.last_day == datetime.date(2026, 9, 30)
    assert K3.start == at("2026-07-01", 0) and K3.end == at("2026-10-01", 0)


def test_median_is_the_nearest_rank():
    assert median([]) is None
    assert median([10, 0, 29, 3]) == 3  # sorted 0, 3, 10, 29: rank ceil(4 / 2) = 2
    assert median([5, 1, 9]) == 5


# --- the figures ----------------------------------------------------------------------------------


def test_registration_completeness(now, desk, coordinator):
    r = [resident(desk) for _ in range(4)]
    full = {"clarification": "Wil zelfstandig blijven wonen", "outcome": O.INFORMATION}
    # K3: five questions, five persons (one anonymous).
    question(desk, when=at("2026-07-01"), resident=r[0], **full, closed=at("2026-07-04"))  # complete
    question(desk, when=at("2026-07-10"), resident=r[1], clarification="x")  # no outcome (open)
    question(
        desk, when=at("2026-07-15"), resident=r[2], domains=(), **full, closed=at("2026-07-20")
    )  # no domain
    question(
        desk, when=at("2026-08-01"), resident=r[3], outcome=O.ADVICE, closed=at("2026-08-01")
    )  # no clarif.
    question(desk, when=at("2026-09-01"), **full, closed=at("2026-09-30"))  # anonymous, complete
    # K2: one complete question; and one outside the four quarters, one at another desk.
    question(desk, when=at("2026-05-05"), resident=r[0], **full, closed=at("2026-05-06"))
    question(desk, when=at("2025-09-30"), resident=r[0], **full, closed=at("2025-09-30"))
    question(DeskFactory(), when=at("2026-07-02"), **full, closed=at("2026-07-02"))

    shown = figure(quality_scan(viewer=coordinator, desk=desk, last_quarter=K3), "registratie")

    assert shown["2026-K3"] == {
        "questions": "5",
        "complete": "40%",  # 2 of 5
        "domain": "80%",
        "clarification": "80%",
        "outcome": "80%",
    }
    assert shown["2026-K2"] == {
        "questions": "1", "complete": "100%", "domain": "100%", "clarification": "100%", "outcome": "100%"
    }  # fmt: skip
    assert shown["2026-K1"]["questions"] == "0" and shown["2026-K1"]["complete"] == "–"


def test_question_lead_time(now, desk, coordinator):
    r = [resident(desk) for _ in range(3)]
    question(desk, when=at("2026-07-01"), resident=r[0], outcome=O.INFORMATION, closed=at("2026-07-04"))  # 3
    question(desk, when=at("2026-07-10"), resident=r[1], outcome=O.INFORMATION, closed=at("2026-07-20"))  # 10
    question(
        desk, when=at("2026-08-01", 9), resident=r[2], outcome=O.INFORMATION, closed=at("2026-08-01", 17)
    )  # 0
    question(
        desk, when=at("2026-06-01"), outcome=O.INFORMATION, closed=at("2026-06-30")
    )  # 29, closed in K2...
    question(
        desk, when=at("2026-06-02"), outcome=O.INFORMATION, closed=at("2026-07-01")
    )  # ...29, closed in K3
    question(desk, when=at("2026-09-01"), resident=r[0])  # open: no lead time

    shown = figure(quality_scan(viewer=coordinator, desk=desk, last_quarter=K3), "doorlooptijd")

    # K3: 3, 10, 0 and 29 days: sorted 0, 3, 10, 29, the median is the second; 3 of 4 within 14.
    assert shown["2026-K3"] == {"closed": "4", "median": "3", "within": "75%"}
    assert shown["2026-K2"] == {"closed": "1", "median": "29", "within": "0%"}


def test_referral_feedback(now, desk, coordinator):
    def referral(status, closed, outcome="", **fields):
        made = ReferralFactory(
            question=question(desk, when=at("2026-06-01"), resident=resident(desk)),
            status=status,
            closed_at=closed,
            outcome=outcome,
            **fields,
        )
        return made

    referral(S.COMPLETED, at("2026-07-10"), "Huishoudelijke hulp geregeld")  # feedback
    referral(S.REJECTED, at("2026-08-10"), close_reason="no_capacity")  # no outcome recorded
    referral(S.FAILED, at("2026-09-10"), "Inwoner niet bereikt na drie pogingen", close_reason="unreachable")
    referral(S.CANCELLED, at("2026-09-11"), close_reason="other")  # withdrawn by the desk: not counted
    referral(S.COMPLETED, at("2026-05-10"), "Klaar")  # K2
    referral(S.ACCEPTED, None)  # still open: not closed

    shown = figure(quality_scan(viewer=coordinator, desk=desk, last_quarter=K3), "terugkoppeling")

    assert shown["2026-K3"] == {"closed": "3", "feedback": "67%"}  # 2 of 3
    assert shown["2026-K2"] == {"closed": "1", "feedback": "100%"}


def test_unmet_needs_turned_into_signals(now, desk, coordinator):
    from tests.signalling.factories import SignalFactory

    def no_supply(when):
        return question(
            desk, when=when, resident=resident(desk), outcome=O.NO_SUPPLY, unmet_reason="not_available",
            closed=when,
        )  # fmt: skip

    def unmet(recorded):
        ref = ReferralFactory(
            question=question(desk, when=at("2026-06-01"), resident=resident(desk)),
            status=S.REJECTED,
            close_reason="no_capacity",
            closed_at=recorded,
        )
        return UnmetNeed.objects.create(
            question=ref.question, referral=ref, reason="no_capacity", recorded_at=recorded
        )

    sent = SignalFactory(desk=desk, status="sent")
    proposal = SignalFactory(desk=desk, status="proposed")
    q1, _q2 = no_supply(at("2026-07-05")), no_supply(at("2026-08-05"))
    n1, n2 = unmet(at("2026-07-20")), unmet(at("2026-09-20"))
    sent.questions.add(q1)
    sent.unmet_needs.add(n2)
    proposal.unmet_needs.add(n1)  # a proposal is not a signal yet
    no_supply(at("2026-04-05"))  # K2, not linked

    shown = figure(quality_scan(viewer=coordinator, desk=desk, last_quarter=K3), "signalen")

    assert shown["2026-K3"] == {"unmet": "4", "signalled": "50%"}  # q1 and n2 of four
    assert shown["2026-K2"] == {"unmet": "1", "signalled": "0%"}


def test_unmet_needs_without_signalling_say_why(now, desk, coordinator, monkeypatch):
    monkeypatch.setattr(quality, "signalling_available", lambda: (False, "De signalering ontbreekt."))
    scan = quality_scan(viewer=coordinator, desk=desk, last_quarter=K3)
    measure = next(measure for measure in scan.measures if measure.key == "signalen")
    assert measure.table is None and measure.unavailable == "De signalering ontbreekt."


def test_partner_involvement(now, desk, coordinator):
    from schakelpunt.directory.models import Service
    from tests.directory.factories import OrganizationFactory, ServiceFactory

    a = OrganisationFactory(name="Thuiszorg A")
    b = OrganisationFactory(name="Woonstichting B")
    c = OrganisationFactory(name="Welzijn C")
    ParticipationFactory(desk=desk, organisation=a)
    ParticipationFactory(desk=desk, organisation=b)
    ParticipationFactory(
        desk=desk, organisation=c, is_back_office=False, is_front_office=True
    )  # not a partner
    service_a = ServiceFactory(organization=OrganizationFactory(participant=a))
    service_b = ServiceFactory(organization=OrganizationFactory(participant=b))
    service_c = ServiceFactory(organization=OrganizationFactory(participant=c))
    Service.objects.filter(pk=service_a.pk).update(updated_at=at("2026-03-01"))
    Service.objects.filter(pk=service_b.pk).update(updated_at=at("2025-06-01"))
    Service.objects.filter(pk=service_c.pk).update(updated_at=at("2026-08-01"))

    def referral(partner, *, made, due, status=S.REQUESTED, accepted=None, closed=None, **fields):
        ref = ReferralFactory(
            question=question(desk, when=made, resident=resident(desk)),
            organisation=partner,
            status=status,
            accepted_at=accepted,
            closed_at=closed,
            due_accept=due,
            **fields,
        )
        Referral.objects.filter(pk=ref.pk).update(created_at=made)
        return ref

    referral(
        a, made=at("2026-07-01"), due=datetime.date(2026, 7, 3), status=S.ACCEPTED, accepted=at("2026-07-02")
    )
    referral(
        a, made=at("2026-07-06"), due=datetime.date(2026, 7, 8), status=S.ACCEPTED, accepted=at("2026-07-09")
    )
    referral(
        b, made=at("2026-08-03"), due=datetime.date(2026, 8, 5), status=S.REJECTED, closed=at("2026-08-05"),
        close_reason="no_capacity",
    )  # fmt: skip
    referral(b, made=at("2026-09-01"), due=datetime.date(2026, 9, 3))  # no answer, day passed: late
    referral(
        b, made=at("2026-09-07"), due=datetime.date(2026, 9, 9), status=S.CANCELLED, closed=at("2026-09-08"),
        close_reason="other",
    )  # withdrawn before an answer: not counted  # fmt: skip

    scan = quality_scan(viewer=coordinator, desk=desk, last_quarter=K3)
    shown = figure(scan, "partners")

    # Directory: A changed 1 March 2026, B 1 June 2025; the twelve months up to each quarter's end.
    assert shown["2025-K4"]["directory"] == "50%"  # B only
    assert shown["2026-K1"]["directory"] == "100%"  # both
    assert shown["2026-K2"]["directory"] == "50%"  # A only
    assert shown["2026-K3"] == {"partners": "2", "directory": "50%", "referrals": "4", "answered": "50%"}
    per_partner = next(m for m in scan.measures if m.key == "partners").extra[0]
    assert {row.label: row.cell("answered").display() for row in per_partner.rows} == {
        "Thuiszorg A": "50%",
        "Woonstichting B": "50%",
    }
    assert {row.label: row.cell("updates").display() for row in per_partner.rows} == {
        "Thuiszorg A": "1",
        "Woonstichting B": "0",
    }


def test_client_satisfaction_is_not_made_up(now, desk, coordinator):
    scan = quality_scan(viewer=coordinator, desk=desk, last_quarter=K3)
    measure = next(measure for measure in scan.measures if measure.key == "tevredenheid")
    assert measure.table is None
    assert "Nog niet gemeten" in str(measure.unavailable)


# --- the policy officer: their municipality only, small cells hidden ------------------------------


def test_policy_sees_only_its_municipality_with_small_cells_hidden(now, desk, user_for, municipality_org):
    from tests.organisations.factories import MunicipalityFactory

    other = MunicipalityFactory(name="Buurdorp")
    desk.municipalities.add(other)
    own = desk.municipalities.exclude(pk=other.pk).get()
    full = {"clarification": "x", "outcome": O.INFORMATION, "closed": at("2026-07-30")}
    for day in range(5):  # five residents of the policy officer's municipality: complete
        question(desk, when=at(f"2026-07-0{day + 1}"), resident=resident(desk, municipality=own), **full)
    question(desk, when=at("2026-07-20"), resident=resident(desk, municipality=own))  # one incomplete
    for _ in range(3):  # residents of the other municipality: not in the policy view
        question(desk, when=at("2026-07-21"), resident=resident(desk, municipality=other))
    question(desk, when=at("2026-05-01"), resident=resident(desk, municipality=own), **full)  # K2: one

    policy = user_for("Beleidsmedewerker", desks=[])
    policy_view = figure(quality_scan(viewer=policy, desk=desk, last_quarter=K3), "registratie")
    desk_view = figure(
        quality_scan(viewer=user_for("Coördinator"), desk=desk, last_quarter=K3), "registratie"
    )

    assert desk_view["2026-K3"]["questions"] == "9"
    assert policy_view["2026-K3"]["questions"] == "6"
    # Complete: 5 of 6, but the incomplete part is one resident: the share would reveal them.
    assert policy_view["2026-K3"]["complete"] == "< 5"
    # Every question has a domain: the other part is empty and reveals nobody.
    assert policy_view["2026-K3"]["domain"] == "100%"
    # K2: one resident, so the count hides too.
    assert policy_view["2026-K2"]["questions"] == "< 5"


# --- the self-assessment ----------------------------------------------------------------------------


def answers(score=3, **notes):
    return {item.code: {"score": score, "note": notes.get(item.code, "")} for item in CHECKLIST}


def test_the_checklist_has_eight_to_ten_items_from_the_resident_perspective():
    codes = [item.code for item in CHECKLIST]
    assert 8 <= len(codes) <= 10 and len(set(codes)) == len(codes)
    assert {"een_loket", "duidelijke_informatie", "niet_van_het_kastje", "vraag_is_uitgangspunt"} <= set(
        codes
    )


def test_self_assessment_save_creates_then_changes_this_years_one(now, desk, coordinator):
    first = self_assessment_save(acting_user=coordinator, desk=desk, year=2026, answers=answers(2))
    assert first.version == 1 and first.created_by == coordinator
    assert AccessLog.objects.filter(object_type="organisations.selfassessment", action="create").count() == 1

    second = self_assessment_save(
        acting_user=coordinator, desk=desk, year=2026, answers=answers(4, een_loket="Eén verhaal"), version=1
    )
    assert second.pk == first.pk and second.version == 2
    assert second.answers["een_loket"] == {"score": 4, "note": "Eén verhaal"}
    assert SelfAssessment.objects.filter(desk=desk).count() == 1  # one per desk per year

    with pytest.raises(ConflictError):  # opened on version 1, saved by someone else since
        self_assessment_save(acting_user=coordinator, desk=desk, year=2026, answers=answers(1), version=1)
    assert SelfAssessment.objects.get(pk=first.pk).answers["een_loket"]["score"] == 4


def test_self_assessment_save_refuses_other_years_other_desks_and_bad_answers(
    now, desk, coordinator, user_for
):
    with pytest.raises(ValidationError):
        self_assessment_save(acting_user=coordinator, desk=desk, year=2025, answers=answers())
    with pytest.raises(PermissionDenied):
        self_assessment_save(acting_user=coordinator, desk=DeskFactory(), year=2026, answers=answers())
    with pytest.raises(PermissionDenied):
        self_assessment_save(
            acting_user=user_for("Beleidsmedewerker"), desk=desk, year=2026, answers=answers()
        )
    bad = answers()
    bad["een_loket"] = {"score": 7, "note": ""}
    del bad["onafhankelijk"]
    with pytest.raises(ValidationError) as error:
        self_assessment_save(acting_user=coordinator, desk=desk, year=2026, answers=bad)
    assert set(error.value.message_dict) == {"een_loket_score", "onafhankelijk_score"}
    assert not SelfAssessment.objects.exists()


def test_self_assessment_form_saves_and_history_stays_read_only(now, client, desk, coordinator):
    old = SelfAssessment.objects.create(
        desk=desk, year=2025, answers=answers(2), created_by=coordinator, updated_by=coordinator
    )
    client.force_login(coordinator)
    url = reverse("insights:self-assessment", args=[desk.slug, 2026])
    assert client.get(url).status_code == 200
    data = {"version": "0"}
    for item in CHECKLIST:
        data[f"{item.code}_score"] = "3"
        data[f"{item.code}_note"] = ""
    data["niet_van_het_kastje_note"] = "Warme overdracht bij elke verwijzing"
    response = client.post(url, data)
    assert response.status_code == 302
    saved = SelfAssessment.objects.get(desk=desk, year=2026)
    assert saved.answers["niet_van_het_kastje"] == {
        "score": 3,
        "note": "Warme overdracht bij elke verwijzing",
    }

    # A missing score: the error is on that item, nothing changes.
    del data["onafhankelijk_score"]
    data["version"] = str(saved.version)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Kies een score." in response.content.decode()

    # Last year: shown, not editable.
    old_url = reverse("insights:self-assessment", args=[desk.slug, 2025])
    page = client.get(old_url).content.decode()
    assert "Zelfevaluatie opslaan" not in page and "Voldoet deels" in page
    assert client.post(old_url, data).status_code == 403
    assert SelfAssessment.objects.get(pk=old.pk).answers == answers(2)
    # A year nobody filled in, and a year to come: not found.
    assert client.get(reverse("insights:self-assessment", args=[desk.slug, 2024])).status_code == 404
    assert client.get(reverse("insights:self-assessment", args=[desk.slug, 2027])).status_code == 404


def test_policy_reads_the_self_assessment_but_cannot_fill_it_in(now, client, desk, coordinator, user_for):
    self_assessment_save(acting_user=coordinator, desk=desk, year=2026, answers=answers(4))
    client.force_login(user_for("Beleidsmedewerker", desks=[]))
    url = reverse("insights:self-assessment", args=[desk.slug, 2026])
    page = client.get(url).content.decode()
    assert "Voldoet volledig" in page and "Zelfevaluatie opslaan" not in page
    assert client.post(url, {}).status_code == 403


# --- the page: access and queries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [
        ("Coördinator", 200),
        ("Beleidsmedewerker", 200),
        ("Frontoffice", 403),
        ("Vrijwilliger", 403),
        ("Consulent", 403),
        ("Partner", 403),
        ("Privacyfunctionaris", 403),
        ("Functioneel beheerder", 403),
    ],
)
def test_quality_page_access_per_role(now, client, user_for, role, status):
    client.force_login(user_for(role))
    assert client.get(reverse("insights:quality")).status_code == status


def test_quality_page_for_another_desk_falls_back_to_own(now, client, desk, coordinator):
    other = DeskFactory(name="Ander loket", slug="ander-loket")
    client.force_login(coordinator)
    page = client.get(reverse("insights:quality"), {"loket": other.slug}).content.decode()
    assert desk.name in page and other.name not in page


def test_quality_page_shows_definitions_and_exports(now, client, desk, coordinator):
    question(desk, when=at("2026-07-01"), resident=resident(desk), clarification="x", outcome=O.ADVICE,
             closed=at("2026-07-02"))  # fmt: skip
    client.force_login(coordinator)
    page = client.get(reverse("insights:quality"), {"kwartaal": "2026-K3"}).content.decode()
    assert "Definitie:" in page and "Nog niet gemeten" in page and "K3 2026" in page
    response = client.get(
        reverse("insights:quality-export-csv", args=["kwaliteit-registratie"]), {"kwartaal": "2026-K3"}
    )
    assert response.status_code == 200
    assert "2026-K3" not in response.content.decode() and "K3 2026,1,100.0" in response.content.decode()
    assert AccessLog.objects.filter(action="export", object_id="kwaliteit-registratie").exists()
    assert client.get(reverse("insights:quality-export-csv", args=["bestaat-niet"])).status_code == 404


def test_quality_page_queries_do_not_grow_with_the_data(
    now, client, desk, coordinator, django_assert_num_queries
):
    from tests.directory.factories import OrganizationFactory, ServiceFactory

    partner = OrganisationFactory()
    ParticipationFactory(desk=desk, organisation=partner)
    ServiceFactory(organization=OrganizationFactory(participant=partner))
    client.force_login(coordinator)
    url = reverse("insights:quality")
    question(
        desk, when=at("2026-07-01"), resident=resident(desk), outcome=O.INFORMATION, closed=at("2026-07-02")
    )
    # Session, user, and permissions with roles (3); the scope: desks and their municipalities
    # (2); whether the quarters are in the summary table (1: not yet, so the registration is
    # read); one query per figure: completeness, lead time, feedback (3), unmet questions and
    # unmet referrals (2), the referrals (1); the partners, their services, the services' history
    # and their directory organisations (4); the self-assessments and whether the user may fill
    # them in (2): 18, however much data.
    with django_assert_num_queries(18):
        assert client.get(url).status_code == 200
    for day in range(2, 12):
        made = question(
            desk, when=at(f"2026-08-{day:02d}"), resident=resident(desk), outcome=O.NO_SUPPLY,
            unmet_reason="not_available", closed=at(f"2026-08-{day:02d}"),
        )  # fmt: skip
        ReferralFactory(
            question=made,
            organisation=partner,
            status=S.COMPLETED,
            outcome="Klaar",
            closed_at=at("2026-08-20"),
        )
    self_assessment_save(acting_user=coordinator, desk=desk, year=2026, answers=answers())
    with django_assert_num_queries(18):
        response = client.get(url)
    assert response.context["scan"].measures[0].table.rows[-1].cell("questions").value == 11
    # After the refresh: the summary rows of the desk (1) instead of the six figure queries: 13.
    summaries_refresh()
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.context["scan"].measures[0].table.rows[-1].cell("questions").value == 11


def test_quality_page_for_policy_queries_do_not_grow_with_the_data(now, client, desk, user_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user_for("Beleidsmedewerker", desks=[]))
    url = reverse("insights:quality")
    own = desk.municipalities.get()

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    question(desk, when=at("2026-07-01"), resident=resident(desk, municipality=own))
    few = count()
    for day in range(2, 20):
        question(
            desk, when=at(f"2026-08-{day:02d}"), resident=resident(desk, municipality=own), outcome=O.ADVICE
        )
    # Session, user, and permissions with roles (3); the scope: the user's municipality and the
    # desks serving it (2); whether the quarters are in the summary table (1: not yet); the municipalities the
    # desk serves, once for all figures (1); completeness, lead time, feedback, unmet questions
    # and unmet referrals (5); the referrals (1), the partners (1: there are none, so the
    # directory is not asked); the self-assessments (1; the policy officer may not fill them in,
    # which needs no query): 15.
    assert count() == few == 15
    # From the summary table: the rows (1) instead of the municipalities the desk serves and the
    # six figure queries: 9.
    summaries_refresh()
    assert count() == 9
