import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, FollowUp, LifeDomain, Question, QuestionChange
from schakelpunt.contacts.services import (
    assessment_record,
    follow_up_complete,
    intake_register,
    question_update,
)
from schakelpunt.core.exceptions import ConflictError
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def contact_data(**overrides):
    return {
        "channel": Contact.Channel.PHONE,
        "started_at": timezone.now(),
        "duration_minutes": 5,
        **overrides,
    }


def test_anonymous_phone_question_is_registered_and_answered_at_once(desk, user_for):
    employee = user_for("Frontoffice")
    contact = intake_register(
        acting_user=employee,
        desk=desk,
        contact=contact_data(),
        questions=[
            {
                "question_text": "Waar kan ik een rollator lenen?",
                "status": Question.Status.CLOSED,
                "outcome": Question.Outcome.INFORMATION,
                "answer": "Bij de thuiszorgwinkel.",
                "domains": [LifeDomain.objects.get(code="zorg")],
            }
        ],
    )
    assert contact.asked_by == Contact.AskedBy.ANONYMOUS
    question = contact.questions.get()
    assert question.closed_at is not None
    assert [domain.code for domain in question.domains.all()] == ["zorg"]
    assert not AccessLog.objects.exists()  # no personal data involved


def test_question_for_a_resident_is_logged_with_follow_up(desk, user_for):
    employee = user_for("Frontoffice")
    resident = ResidentFactory(registered_desk=desk)
    due = timezone.localdate() + datetime.timedelta(days=3)
    contact = intake_register(
        acting_user=employee,
        desk=desk,
        contact=contact_data(channel=Contact.Channel.DESK),
        resident=resident,
        questions=[{"question_text": "Huurachterstand", "follow_up": {"due_date": due}}],
    )
    question = contact.questions.get()
    assert question.resident == resident
    assert question.follow_ups.get().due_date == due
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.on_behalf_of) == (
        "create",
        "contacts.contact",
        f"residents.resident#{resident.pk}",
    )


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"question_text": "x", "status": Question.Status.CLOSED}, "outcome"),
        ({"question_text": "x", "outcome": Question.Outcome.NO_SUPPLY}, "unmet_reason"),
        ({"question_text": "x" * 100_000}, "question_text"),
        ({"question_text": ""}, "question_text"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_saved(desk, user_for, question, field):
    with pytest.raises(ValidationError) as error:
        intake_register(
            acting_user=user_for("Frontoffice"),
            desk=desk,
            contact=contact_data(),
            questions=[question],
        )
    assert field in error.value.message_dict
    assert not Contact.objects.exists() and not Question.objects.exists()


def test_volunteer_cannot_record_health_notes(desk, user_for):
    with pytest.raises(ValidationError) as error:
        intake_register(
            acting_user=user_for("Vrijwilliger"),
            desk=desk,
            contact=contact_data(),
            questions=[{"question_text": "x", "health_notes": "diabetes"}],
        )
    assert "health_notes" in error.value.message_dict


def test_registering_at_a_desk_you_do_not_work_at_is_refused(user_for):
    from tests.organisations.factories import DeskFactory

    with pytest.raises(ValidationError):
        intake_register(
            acting_user=user_for("Frontoffice"),
            desk=DeskFactory(),
            contact=contact_data(),
            questions=[{"question_text": "x"}],
        )


def test_second_concurrent_save_is_refused_and_nothing_overwritten(desk, user_for):
    first, second = user_for("Frontoffice"), user_for("Frontoffice")
    question = QuestionFactory(contact=ContactFactory(desk=desk, handled_by=first))
    opened_version = question.version
    question_update(
        acting_user=first,
        question=question,
        expected_version=opened_version,
        data={"clarification": "Wil graag thuis blijven wonen"},
    )
    with pytest.raises(ConflictError, match="Iemand anders heeft dit intussen gewijzigd"):
        question_update(
            acting_user=second,
            question=question,
            expected_version=opened_version,
            data={"clarification": "Iets anders"},
        )
    question.refresh_from_db()
    assert question.clarification == "Wil graag thuis blijven wonen"
    assert question.version == opened_version + 1


def test_history_records_who_changed_what(desk, user_for):
    employee = user_for("Frontoffice")
    question = QuestionFactory(contact=ContactFactory(desk=desk, handled_by=employee))
    wonen = LifeDomain.objects.get(code="wonen")
    question_update(
        acting_user=employee,
        question=question,
        expected_version=1,
        data={
            "status": Question.Status.CLOSED,
            "outcome": Question.Outcome.ADVICE,
            "domains": [wonen],
            "health_notes": "geheim",
        },
    )
    change = QuestionChange.objects.get()
    assert change.changed_by == employee
    assert change.fields["status"] == ["open", "closed"]
    assert change.fields["domains"] == [[], ["wonen"]]
    assert change.fields["health_notes"] == [
        "…",
        "…",
    ]  # the notes themselves stay out of the history
    question.refresh_from_db()
    assert question.closed_at is not None


def test_closing_without_outcome_is_refused(desk, user_for):
    employee = user_for("Frontoffice")
    question = QuestionFactory(contact=ContactFactory(desk=desk, handled_by=employee))
    with pytest.raises(ValidationError) as error:
        question_update(
            acting_user=employee,
            question=question,
            expected_version=1,
            data={"status": Question.Status.CLOSED},
        )
    assert "outcome" in error.value.message_dict
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN and question.version == 1


def test_follow_up_is_completed_once(desk, user_for):
    from tests.contacts.factories import FollowUpFactory

    follow_up = FollowUpFactory()
    done = follow_up_complete(
        acting_user=follow_up.assigned_to, follow_up=follow_up, result="Hulp is gestart"
    )
    assert done.status == FollowUp.Status.DONE and done.done_at is not None
    with pytest.raises(ValidationError):
        follow_up_complete(acting_user=follow_up.assigned_to, follow_up=follow_up)


def test_assessment_keeps_scores_per_measurement(desk, user_for):
    employee = user_for("Consulent")
    resident = ResidentFactory(registered_desk=desk)
    first = assessment_record(
        acting_user=employee, resident=resident, scores={"financien": 2, "huisvesting": 3}
    )
    second = assessment_record(acting_user=employee, resident=resident, scores={"financien": 4})
    assert {s.domain.code: s.score for s in first.scores.all()} == {
        "financien": 2,
        "huisvesting": 3,
    }
    assert {s.domain.code: s.score for s in second.scores.all()} == {"financien": 4}
    with pytest.raises(ValidationError):
        assessment_record(acting_user=employee, resident=resident, scores={"financien": 6})


def test_registering_a_contact_takes_few_queries(django_assert_num_queries, user_for, desk):
    """intake_register with a known resident and one question with a life domain."""
    staff = user_for("Frontoffice")
    resident = ResidentFactory(registered_desk=desk)
    domain = LifeDomain.objects.get(code="wonen")
    # savepoint + release (the service's transaction inside the test's), the desk check, the
    # contact, the question, its life domain, the user's roles and the access-log row.
    with django_assert_num_queries(8):
        intake_register(
            acting_user=staff,
            desk=desk,
            resident=resident,
            contact={"channel": Contact.Channel.PHONE, "started_at": timezone.now(), "duration_minutes": 8},
            questions=[
                {
                    "question_text": "De trap is te steil.",
                    "status": "closed",
                    "outcome": "information",
                    "domains": [domain],
                }
            ],
        )
