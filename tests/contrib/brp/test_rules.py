"""Each processing rule, and that processing is idempotent and order-safe."""

import datetime

import pytest
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import FollowUp, Question, QuestionChange
from schakelpunt.contrib.brp import rules
from schakelpunt.contrib.brp.actor import register_actor
from schakelpunt.contrib.brp.mapping import BrpAddress, BrpPerson, PartialDate
from schakelpunt.contrib.brp.models import RegisterChange, RegisterLink
from schakelpunt.referrals.models import Referral
from schakelpunt.residents.models import AddressHistory, FormerIdentifier, Resident
from schakelpunt.wmo.models import WmoReport
from tests.contacts.factories import ContactFactory, FollowUpFactory, QuestionFactory
from tests.referrals.factories import ReferralFactory
from tests.wmo.factories import WmoReportFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
BOTERDIEP = BrpAddress(street="Boterdiep", house_number=31, postcode="3077 AW", town="Rotterdam")


def moulin(**changes):
    data = {
        "bsn": "999993653",
        "given_names": "Suzanne",
        "surname": "Moulin",
        "address": BOTERDIEP,
        "municipality_code": "0599",
        "birth_date": PartialDate(1985, 12, 1),
    }
    data.update(changes)
    return BrpPerson(**data)


def apply(resident, person, at=NOW):
    return rules.apply_person(
        resident=resident, person=person, changed_at=at, actor=register_actor(), source="sync"
    )


@pytest.fixture
def with_question(resident_for):
    """A resident with an open question and a planned follow-up."""
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    question = QuestionFactory(contact=ContactFactory(resident=resident, desk=resident.registered_desk))
    follow_up = FollowUpFactory(question=question)
    return resident, question, follow_up


def test_nothing_differs_nothing_changes(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    outcome = apply(resident, moulin())
    assert outcome.applied == []
    assert not RegisterChange.objects.exists()


def test_moved_within_the_region_updates_address_and_district_and_keeps_history(resident_for, region):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1), postcode="3011 KD", street="Goudsesingel")
    outcome = apply(
        resident,
        moulin(
            address=BrpAddress(
                street="Boterdiep",
                house_number=31,
                postcode="3077 AW",
                town="Rotterdam",
                since=PartialDate(2026, 3, 1),
            )
        ),
    )
    resident.refresh_from_db()
    assert outcome.applied == ["moved"]
    assert (resident.street, resident.postcode, resident.district) == (
        "Boterdiep",
        "3077 AW",
        region["district"],
    )
    old = AddressHistory.objects.get(resident=resident)
    assert (old.street, old.valid_until) == ("Goudsesingel", datetime.date(2026, 3, 1))
    change = RegisterChange.objects.get(resident=resident)
    assert change.kind == "moved" and change.source == "sync"
    assert AccessLog.objects.filter(
        object_type="residents.resident",
        object_id=str(resident.pk),
        username="brp-register",
        purpose="brp_mutation",
    ).exists()
    assert resident.version == 2  # an employee editing the old version gets a conflict


def test_moved_out_of_the_region_marks_moved_away_and_flags_follow_ups(with_question):
    resident, question, _follow_up = with_question
    outcome = apply(
        resident,
        moulin(
            address=BrpAddress(street="Oude Markt", house_number=1, postcode="7511 GA"),
            municipality_code="0153",
        ),
    )
    resident.refresh_from_db()
    assert outcome.applied == ["moved_away"]
    assert resident.status == Resident.Status.MOVED_AWAY
    flagged = FollowUp.objects.get(question=question, note=rules.MOVED_AWAY_NOTE)
    assert flagged.assigned_to == question.assigned_to and flagged.status == FollowUp.Status.PLANNED
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN  # a decision for its owner, not deleted or closed
    assert Resident.objects.filter(pk=resident.pk).exists()


def test_emigration_marks_moved_away(with_question):
    resident, _question, _ = with_question
    outcome = apply(
        resident,
        moulin(
            address=None,
            abroad=True,
            suspension_reason="E",
            country="5002",
            suspended_on=PartialDate(2026, 2, 1),
        ),
    )
    resident.refresh_from_db()
    assert outcome.applied == ["emigrated"]
    assert (resident.status, resident.status_date, resident.street) == (
        "moved_away",
        datetime.date(2026, 2, 1),
        "",
    )
    assert AddressHistory.objects.filter(resident=resident, street="Boterdiep").exists()


def test_deceased_closes_questions_cancels_follow_ups_and_suppresses_mail(with_question):
    resident, question, follow_up = with_question
    assert resident.may_be_contacted
    outcome = apply(resident, moulin(deceased_on=PartialDate(2026, 3, 1), suspension_reason="O"))
    resident.refresh_from_db()
    question.refresh_from_db()
    follow_up.refresh_from_db()
    assert outcome.applied == ["deceased"]
    assert (resident.status, resident.status_date) == ("deceased", datetime.date(2026, 3, 1))
    assert not resident.may_be_contacted
    assert (question.status, question.outcome) == ("closed", "deceased")
    assert QuestionChange.objects.get(question=question).changed_by.username == "brp-register"
    assert (follow_up.status, follow_up.result) == ("cancelled", rules.DECEASED_RESULT)


def test_deceased_with_only_a_year_known(resident_for):
    resident = resident_for()
    apply(resident, moulin(deceased_on=PartialDate(2008), suspension_reason="O"))
    resident.refresh_from_db()
    assert resident.status_date == datetime.date(2008, 1, 1)
    assert RegisterChange.objects.get(resident=resident).details["date"] == "2008"


def test_death_cancels_open_referrals_as_the_system(resident_for):
    resident = resident_for()
    question = QuestionFactory(contact=ContactFactory(resident=resident, desk=resident.registered_desk))
    accepted = ReferralFactory(question=question, accepted=True)
    done = ReferralFactory(question=question, completed=True)
    outcome = apply(resident, moulin(deceased_on=PartialDate(2026, 3, 1)))
    assert outcome.referrals == 1
    accepted.refresh_from_db()
    done.refresh_from_db()
    assert (accepted.status, accepted.close_reason) == (Referral.Status.CANCELLED, "deceased")
    assert accepted.status_history.last().changed_by is None
    assert done.status == Referral.Status.COMPLETED


def test_death_closes_open_wmo_reports_as_the_system(resident_for):
    resident = resident_for()
    open_report = WmoReportFactory(resident=resident, desk=resident.registered_desk, investigation=True)
    closed_report = WmoReportFactory(resident=resident, desk=resident.registered_desk, withdrawn=True)
    apply(resident, moulin(deceased_on=PartialDate(2026, 3, 1)))
    apply(resident, moulin(deceased_on=PartialDate(2026, 3, 1)))  # the same change again: nothing more
    open_report.refresh_from_db()
    closed_report.refresh_from_db()
    assert (open_report.status, open_report.close_reason) == ("closed", "deceased")
    assert open_report.status_history.filter(to_status="closed").count() == 1
    assert open_report.status_history.last().changed_by is None
    assert closed_report.status == WmoReport.Status.WITHDRAWN


def test_moving_away_flags_open_referrals_once(with_question):
    resident, question, _follow_up = with_question
    referral = ReferralFactory(question=question, accepted=True)
    person = moulin(
        address=BrpAddress(street="Oude Markt", house_number=1, postcode="7511 GA"), municipality_code="0153"
    )
    assert apply(resident, person).referrals == 1
    flag = FollowUp.objects.get(question=question, note__contains=f"verwijzing {referral.pk} doorloopt")
    assert flag.assigned_to == referral.referred_by
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED  # a decision for the desk, not cancelled


def test_secrecy_set_and_lifted(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    assert apply(resident, moulin(is_secret=True)).applied == ["secrecy_set"]
    resident.refresh_from_db()
    assert resident.is_secret
    assert apply(resident, moulin(is_secret=False), at=NOW + datetime.timedelta(hours=1)).applied == [
        "secrecy_lifted"
    ]


def test_name_change(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    apply(resident, moulin(surname="Moulin-Jansen", surname_prefix="de"))
    resident.refresh_from_db()
    assert (resident.surname_prefix, resident.surname) == ("de", "Moulin-Jansen")


def test_bsn_change_keeps_the_former_one(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    apply(resident, moulin(bsn="999990019"))
    resident.refresh_from_db()
    assert resident.bsn == "999990019"
    assert FormerIdentifier.objects.get(resident=resident).bsn == "999993653"


def test_bsn_of_another_active_resident_is_a_conflict_and_nothing_is_applied(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    resident_for(bsn="999990019", surname="Ander")
    with pytest.raises(rules.RuleConflict):
        apply(resident, moulin(bsn="999990019", surname="Nieuw"))
    resident.refresh_from_db()
    assert (resident.bsn, resident.surname) == ("999993653", "Moulin")  # not even the name: all or nothing
    assert not RegisterChange.objects.exists()


def test_idempotent_the_same_change_twice_gives_the_same_state(with_question):
    resident, _question, _ = with_question
    person = moulin(deceased_on=PartialDate(2026, 3, 1))
    apply(resident, person)
    state = (
        Resident.objects.get(pk=resident.pk).version,
        RegisterChange.objects.count(),
        QuestionChange.objects.count(),
        AccessLog.objects.count(),
    )
    assert apply(resident, person).applied == []
    assert state == (
        Resident.objects.get(pk=resident.pk).version,
        RegisterChange.objects.count(),
        QuestionChange.objects.count(),
        AccessLog.objects.count(),
    )


def test_order_safe_an_older_change_does_not_overwrite_a_newer_one(resident_for):
    resident = resident_for(birth_date=datetime.date(1985, 12, 1))
    apply(resident, moulin(is_secret=True), at=NOW)
    outcome = apply(resident, moulin(is_secret=False), at=NOW - datetime.timedelta(days=1))
    resident.refresh_from_db()
    assert outcome.outdated and resident.is_secret
    assert RegisterLink.objects.get(resident=resident).last_change_at == NOW


def test_mutation_of_a_move_twice_is_applied_once(resident_for):
    resident = resident_for(postcode="3011 KD", street="Goudsesingel")
    move = rules.Mutation(
        rules.MOVE, effective_on=datetime.date(2026, 3, 1), address=BOTERDIEP, municipality_code="0599"
    )
    for _ in range(2):
        rules.apply_mutations(
            resident=resident, mutations=[move], changed_at=NOW, actor=register_actor(), source="import"
        )
    assert AddressHistory.objects.filter(resident=resident).count() == 1
    assert RegisterChange.objects.filter(resident=resident).count() == 1
