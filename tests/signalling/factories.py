import factory
from django.utils import timezone

from schakelpunt.contacts.models import Question
from schakelpunt.referrals.models import Referral, UnmetNeed
from schakelpunt.signalling.models import Signal, SignalQuestion, SignalStatus, SignalUnmetNeed
from tests.accounts.factories import UserFactory
from tests.contacts.factories import QuestionFactory
from tests.organisations.factories import DeskFactory
from tests.referrals.factories import ReferralFactory

S = Signal.Status


class NoSupplyQuestionFactory(QuestionFactory):
    """A question closed with "no suitable supply"."""

    class Meta:
        skip_postgeneration_save = True

    status = Question.Status.CLOSED
    outcome = Question.Outcome.NO_SUPPLY
    unmet_reason = Question.UnmetReason.NOT_AVAILABLE
    closed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)


class UnmetNeedFactory(factory.django.DjangoModelFactory):
    """A referral a partner rejected for lack of capacity, and the unmet need it recorded."""

    class Meta:
        model = UnmetNeed

    referral = factory.SubFactory(
        ReferralFactory,
        status=Referral.Status.REJECTED,
        close_reason=Referral.Reason.NO_CAPACITY,
        closed_at=factory.LazyFunction(timezone.now),
    )
    question = factory.LazyAttribute(lambda o: o.referral.question)
    reason = factory.LazyAttribute(lambda o: o.referral.close_reason)
    recorded_at = factory.LazyFunction(timezone.now)


class SignalFactory(factory.django.DjangoModelFactory):
    """A manual signal in any state, with the status rows that led there."""

    class Meta:
        model = Signal
        skip_postgeneration_save = True

    title = "Geen personenalarmering voor inwoners zonder netwerk"
    description = "Inwoners zonder contactpersonen in de buurt krijgen geen alarmknop."
    kind = Signal.Kind.GAP
    desk = factory.SubFactory(DeskFactory)
    municipality = factory.LazyAttribute(lambda o: o.desk.municipalities.first())
    period_start = factory.LazyFunction(timezone.localdate)
    period_end = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory)
    status = S.PROPOSED

    class Params:
        sent = factory.Trait(status=S.SENT, sent_at=factory.LazyFunction(timezone.now))
        acknowledged = factory.Trait(status=S.ACKNOWLEDGED, sent_at=factory.LazyFunction(timezone.now))
        action_planned = factory.Trait(
            status=S.ACTION_PLANNED, sent_at=factory.LazyFunction(timezone.now), answer="Plan gemaakt."
        )
        declined = factory.Trait(
            status=S.DECLINED,
            sent_at=factory.LazyFunction(timezone.now),
            answer="Geen taak van ons.",
            decline_reason="Geen taak van ons.",
            closed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def status_row(self, create, extracted, **kwargs):
        if create:
            SignalStatus.objects.create(signal=self, to_status=self.status, changed_by=self.created_by)

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if create and extracted:
            SignalQuestion.objects.bulk_create(SignalQuestion(signal=self, question=q) for q in extracted)

    @factory.post_generation
    def unmet_needs(self, create, extracted, **kwargs):
        if create and extracted:
            SignalUnmetNeed.objects.bulk_create(SignalUnmetNeed(signal=self, unmet_need=n) for n in extracted)
