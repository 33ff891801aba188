import factory
from django.utils import timezone

from schakelpunt.contacts.models import Contact, FollowUp, Question
from tests.accounts.factories import UserFactory
from tests.organisations.factories import DeskFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    desk = factory.SubFactory(DeskFactory)
    channel = Contact.Channel.PHONE
    started_at = factory.LazyFunction(timezone.now)
    duration_minutes = 10
    handled_by = factory.SubFactory(UserFactory)
    asked_by = Contact.AskedBy.RESIDENT


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    contact = factory.SubFactory(ContactFactory)
    resident = factory.LazyAttribute(lambda o: o.contact.resident)
    question_text = "Ik kan de trap niet meer op. Kan ik een traplift krijgen?"
    assigned_to = factory.LazyAttribute(lambda o: o.contact.handled_by)

    class Params:
        closed = factory.Trait(
            status=Question.Status.CLOSED,
            outcome=Question.Outcome.INFORMATION,
            closed_at=factory.LazyFunction(timezone.now),
        )


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    question = factory.SubFactory(QuestionFactory)
    due_date = factory.LazyFunction(timezone.localdate)
    assigned_to = factory.LazyAttribute(lambda o: o.question.assigned_to)
