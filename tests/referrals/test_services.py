"""Scenario tests: the referral lifecycle walked through the services, happy and unhappy."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import FollowUp, Question
from schakelpunt.contacts.services import question_update
from schakelpunt.referrals import workflow
from schakelpunt.referrals.models import Referral, UnmetNeed
from schakelpunt.referrals.services import (
    referral_create,
    referral_transition,
    referrals_cancel_for_resident,
    referrals_check_deadlines,
)
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.directory.factories import OrganizationFactory, ServiceFactory
from tests.organisations.factories import DeskFactory, OrganisationFactory
from tests.referrals.factories import ReferralAgreementFactory, ReferralFactory
from tests.residents.factories import ConsentFactory, ResidentFactory

S = Referral.Status
TZ = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="Thuiszorg Twente", type="care_provider", email="team@thuiszorg.example")


@pytest.fixture
def employee(user_for):
    return user_for("Frontoffice", email="medewerker@loket.example")


@pytest.fixture
def partner(user_for, partner_org):
    return user_for("Partner", organisation=partner_org, desks=[], email="partner@thuiszorg.example")


@pytest.fixture
def question(desk, employee):
    resident = ResidentFactory(registered_desk=desk)
    contact = ContactFactory(desk=desk, resident=resident, handled_by=employee)
    return QuestionFactory(contact=contact)


@pytest.fixture
def consent(question, partner_org, employee):
    return ConsentFactory(
        resident=question.resident,
        organisation=partner_org,
        scope=["contact_details", "question"],
        recorded_by=employee,
    )


def refer(employee, question, partner_org, consent, **kwargs):
    kwargs.setdefault("shared_data", ["contact_details", "question"])
    return referral_create(
        acting_user=employee,
        question=question,
        organisation=partner_org,
        reason="Hulp bij het huishouden",
        consent=consent,
        **kwargs,
    )


def test_happy_path_from_request_to_feedback(
    employee, partner, question, partner_org, consent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(employee, question, partner_org, consent)
    assert referral.status == S.REQUESTED
    assert mail.outbox[-1].to == ["partner@thuiszorg.example", "team@thuiszorg.example"]
    # No resident data in mail: only the number and a link.
    assert question.resident.surname not in mail.outbox[-1].body

    referral = referral_transition(acting_user=partner, referral=referral, to_status=S.ACCEPTED)
    assert referral.accepted_at is not None
    referral = referral_transition(acting_user=partner, referral=referral, to_status=S.IN_PROGRESS)
    assert referral.first_contact_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_transition(
            acting_user=partner,
            referral=referral,
            to_status=S.COMPLETED,
            outcome="Huishoudelijke hulp gestart",
        )
    assert referral.closed_at is not None
    assert [row.to_status for row in referral.status_history.all()] == [
        S.REQUESTED,
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.COMPLETED,
    ]
    assert referral.status_history.last().changed_by == partner
    # Closing the loop: the referring employee checks with the resident.
    follow_up = FollowUp.objects.get(question=question)
    assert follow_up.kind == FollowUp.Kind.CHECK_IN
    assert follow_up.assigned_to == employee
    assert mail.outbox[-1].to == ["medewerker@loket.example"]
    assert AccessLog.objects.filter(object_type="referrals.referral", object_id=str(referral.pk)).count() == 4


def test_no_consent_means_no_referral_except_a_warm_handover(employee, question, partner_org):
    with pytest.raises(ValidationError) as error:
        refer(employee, question, partner_org, None)
    assert "toestemming" in str(error.value)
    referral = refer(employee, question, partner_org, None, warm_handover=True)
    assert referral.warm_handover
    assert referral.visible_scope() == {"contact_details", "question"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"organisation": "other"}, "andere organisatie"),
        ({"withdrawn": True}, "ingetrokken"),
        ({"shared": ["self_reliance"]}, "dekt niet"),
        ({"shared": ["bsn"], "scope": ["bsn"]}, "wettelijke grondslag"),
    ],
)
def test_the_consent_must_cover_the_referral(employee, question, partner_org, change, message):
    consent = ConsentFactory(
        resident=question.resident,
        organisation=OrganisationFactory() if change.get("organisation") else partner_org,
        scope=change.get("scope", ["contact_details", "question"]),
        given_at=timezone.now() - datetime.timedelta(days=2),
        withdrawn_at=timezone.now() if change.get("withdrawn") else None,
    )
    with pytest.raises(ValidationError) as error:
        refer(employee, question, partner_org, consent, shared_data=change.get("shared", ["question"]))
    assert message in str(error.value)
    assert not Referral.objects.exists()


def test_a_service_must_belong_to_the_organisation(employee, question, partner_org, consent):
    other_service = ServiceFactory(organization=OrganizationFactory(participant=OrganisationFactory()))
    with pytest.raises(ValidationError):
        refer(employee, question, partner_org, consent, service=other_service)
    own_service = ServiceFactory(organization=OrganizationFactory(participant=partner_org))
    assert refer(employee, question, partner_org, consent, service=own_service).service == own_service


def test_only_a_visible_question_can_be_referred(user_for, question, partner_org, consent):
    elsewhere = user_for("Frontoffice", desks=[DeskFactory()])
    with pytest.raises(PermissionDenied):
        refer(elsewhere, question, partner_org, consent)


@pytest.mark.parametrize(
    "path, refused",
    [
        ([S.ACCEPTED, S.COMPLETED], S.ACCEPTED),
        ([S.REJECTED], S.ACCEPTED),
        ([S.ACCEPTED, S.IN_PROGRESS], S.ACCEPTED),
    ],
)
def test_illegal_transitions_are_refused_with_a_message(
    employee, partner, question, partner_org, consent, path, refused
):
    referral = refer(employee, question, partner_org, consent)
    for status in path:
        referral = referral_transition(
            acting_user=partner, referral=referral, to_status=status, reason="other", outcome="Klaar"
        )
    with pytest.raises(ValidationError) as error:
        referral_transition(acting_user=partner, referral=referral, to_status=refused)
    assert "kan niet naar" in str(error.value)
    referral.refresh_from_db()
    assert referral.status == path[-1]


def test_each_side_makes_only_its_own_moves(employee, partner, user_for, question, partner_org, consent):
    referral = refer(employee, question, partner_org, consent)
    with pytest.raises(PermissionDenied):
        referral_transition(acting_user=employee, referral=referral, to_status=S.ACCEPTED)
    with pytest.raises(PermissionDenied):
        referral_transition(acting_user=partner, referral=referral, to_status=S.CANCELLED, reason="other")
    stranger = user_for("Partner", organisation=OrganisationFactory(), desks=[])
    with pytest.raises(PermissionDenied):
        referral_transition(acting_user=stranger, referral=referral, to_status=S.ACCEPTED)
    referral = referral_transition(
        acting_user=employee, referral=referral, to_status=S.CANCELLED, reason="declined"
    )
    assert referral.status == S.CANCELLED


def test_reasons_and_outcomes_are_required(employee, partner, question, partner_org, consent):
    referral = refer(employee, question, partner_org, consent)
    with pytest.raises(ValidationError):
        referral_transition(acting_user=partner, referral=referral, to_status=S.REJECTED)
    referral = referral_transition(acting_user=partner, referral=referral, to_status=S.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        referral_transition(acting_user=partner, referral=referral, to_status=S.COMPLETED, outcome="  ")
    assert "resultaat" in str(error.value)


@pytest.mark.parametrize(
    "reason, unmet", [("no_capacity", True), ("not_eligible", True), ("declined", False)]
)
def test_a_rejection_for_capacity_or_eligibility_records_an_unmet_need(
    employee, partner, question, partner_org, consent, reason, unmet
):
    referral = refer(employee, question, partner_org, consent)
    referral_transition(acting_user=partner, referral=referral, to_status=S.REJECTED, reason=reason)
    assert UnmetNeed.objects.filter(question=question, reason=reason).exists() is unmet
    # The desk hears of it: a follow-up to decide what now.
    assert FollowUp.objects.filter(question=question, kind=FollowUp.Kind.CHECK_IN).exists()


def test_on_hold_moves_every_deadline_by_the_working_days_it_lasted(
    employee, partner, question, partner_org, consent
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=TZ)):  # Monday
        referral = refer(employee, question, partner_org, consent)
        referral = referral_transition(acting_user=partner, referral=referral, to_status=S.ACCEPTED)
        before = (referral.due_accept, referral.due_first_contact, referral.due_complete)
        referral = referral_transition(
            acting_user=partner, referral=referral, to_status=S.ON_HOLD, note="Ziekenhuis"
        )
    with time_machine.travel(datetime.datetime(2026, 3, 9, 10, tzinfo=TZ)):  # next Monday: 5 working days
        referral = referral_transition(acting_user=employee, referral=referral, to_status=workflow.RESUME)
    assert referral.status == S.ACCEPTED
    assert referral.due_first_contact == datetime.date(2026, 3, 16)  # was Monday 9 March
    assert before[1] == datetime.date(2026, 3, 9)
    assert referral.due_complete > before[2]
    assert referral.on_hold_since is None


def test_deadlines_skip_weekends_and_easter(employee, question, partner_org, consent):
    ReferralAgreementFactory(
        organisation=partner_org, days_to_accept=2, days_to_first_contact=5, days_to_complete=10
    )
    # The Friday before Easter (Good Friday is a holiday in the Dutch calendar; Easter Monday too).
    with time_machine.travel(datetime.datetime(2026, 4, 3, 10, tzinfo=TZ)):
        referral = refer(employee, question, partner_org, consent)
    assert referral.due_accept == datetime.date(2026, 4, 8)  # Tue 7, Wed 8
    assert referral.due_first_contact == datetime.date(2026, 4, 13)
    assert referral.due_complete == datetime.date(2026, 4, 20)


def test_the_category_agreement_wins_over_the_general_one(employee, question, partner_org, consent):
    from tests.directory.factories import ServiceTermFactory, TaxonomyTermFactory

    parent = TaxonomyTermFactory(code="ZORG")
    child = TaxonomyTermFactory(code="ZORG-HH", parent=parent, taxonomy_detail=parent.taxonomy_detail)
    service = ServiceFactory(organization=OrganizationFactory(participant=partner_org))
    ServiceTermFactory(service=service, taxonomy_term=child)
    ReferralAgreementFactory(organisation=partner_org, days_to_accept=3, days_to_first_contact=5)
    specific = ReferralAgreementFactory(organisation=partner_org, category=parent, days_to_accept=1)
    referral = refer(employee, question, partner_org, consent, service=service)
    assert referral.agreement == specific
    assert refer(employee, question, partner_org, consent).agreement.days_to_accept == 3


def test_a_question_stays_open_while_a_referral_is_open(employee, partner, question, partner_org, consent):
    referral = refer(employee, question, partner_org, consent)
    question.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        question_update(
            acting_user=employee,
            question=question,
            expected_version=question.version,
            data={"status": Question.Status.CLOSED, "outcome": Question.Outcome.REFERRED},
        )
    assert "lopende doorverwijzingen" in str(error.value)
    referral_transition(acting_user=partner, referral=referral, to_status=S.REJECTED, reason="other")
    question.refresh_from_db()
    closed = question_update(
        acting_user=employee,
        question=question,
        expected_version=question.version,
        data={"status": Question.Status.CLOSED, "outcome": Question.Outcome.REFERRED},
    )
    assert closed.status == Question.Status.CLOSED


def test_withdrawing_consent_hides_the_data_at_once(employee, question, partner_org, consent):
    referral = refer(employee, question, partner_org, consent)
    assert referral.visible_scope() == {"contact_details", "question"}
    consent.withdrawn_at = timezone.now()
    consent.save()
    referral.refresh_from_db()
    assert referral.visible_scope() == set()


def test_the_daily_run_marks_overdue_and_mails_once(
    employee, partner, question, partner_org, consent, django_capture_on_commit_callbacks
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=TZ)):
        referral = refer(employee, question, partner_org, consent)
    assert referral.due_accept == datetime.date(2026, 3, 4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = referrals_check_deadlines(today=datetime.date(2026, 3, 3))
    assert result["reminded"] == 1 and result["overdue"] == 0
    assert "Herinnering" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = referrals_check_deadlines(today=datetime.date(2026, 3, 5))
    assert result == {"overdue": 1, "newly_overdue": 1, "notified": 1, "reminded": 0}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["medewerker@loket.example", "partner@thuiszorg.example", "team@thuiszorg.example"]
    referral.refresh_from_db()
    assert referral.overdue_since == datetime.date(2026, 3, 5)
    assert referral.is_overdue(today=datetime.date(2026, 3, 5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = referrals_check_deadlines(today=datetime.date(2026, 3, 6))
    assert result["notified"] == 0 and not mail.outbox
    # Accepting clears the mark; the next deadline counts from there.
    referral = referral_transition(acting_user=partner, referral=referral, to_status=S.ACCEPTED)
    assert referral.overdue_since is None


def test_visibility_partner_sees_only_own_organisation_and_desk_only_own_desk(user_for, partner, partner_org):
    mine = ReferralFactory(organisation=partner_org)
    ReferralFactory()  # to another organisation, from another desk
    assert list(Referral.objects.visible_to(partner)) == [mine]
    assert list(Referral.objects.received_by(partner)) == [mine]
    desk_user = user_for("Frontoffice", desks=[mine.referring_desk])
    assert list(Referral.objects.visible_to(desk_user)) == [mine]
    for role in ["Beleidsmedewerker", "Privacyfunctionaris", "Functioneel beheerder"]:
        assert not Referral.objects.visible_to(user_for(role)).exists()


def test_the_register_cancels_open_referrals_of_a_deceased_resident(
    partner_org, django_capture_on_commit_callbacks
):
    resident = ResidentFactory()
    open_one = ReferralFactory(
        organisation=partner_org, resident=resident, question__resident=resident, accepted=True
    )
    done = ReferralFactory(
        organisation=partner_org, resident=resident, question__resident=resident, completed=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            referrals_cancel_for_resident(
                resident=resident, reason="deceased", note="Overleden volgens de BRP"
            )
            == 1
        )
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.status == S.CANCELLED and open_one.close_reason == "deceased"
    assert open_one.status_history.last().changed_by is None
    assert done.status == S.COMPLETED
    assert "ingetrokken" in mail.outbox[-1].subject
    assert referrals_cancel_for_resident(resident=resident, reason="deceased") == 0
