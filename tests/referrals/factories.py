import factory
from django.utils import timezone

from schakelpunt.referrals.deadlines import due_dates
from schakelpunt.referrals.models import Referral, ReferralAgreement, ReferralStatus
from tests.accounts.factories import UserFactory
from tests.contacts.factories import QuestionFactory
from tests.organisations.factories import OrganisationFactory
from tests.residents.factories import ConsentFactory


class ReferralAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralAgreement

    organisation = factory.SubFactory(OrganisationFactory)
    days_to_accept = 2
    days_to_first_contact = 5
    days_to_complete = 20
    valid_from = factory.LazyFunction(lambda: timezone.localdate().replace(year=2000))


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral as :func:`referral_create` leaves it (status row included)."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    resident = factory.LazyAttribute(lambda o: o.question.resident)
    referring_desk = factory.LazyAttribute(lambda o: o.question.contact.desk)
    referred_by = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, type="care_provider")
    reason = "Inwoner heeft hulp nodig bij het huishouden."
    consent = factory.LazyAttribute(
        lambda o: ConsentFactory(resident=o.resident, organisation=o.organisation) if o.resident else None
    )
    warm_handover = factory.LazyAttribute(lambda o: o.consent is None)
    shared_data = ["contact_details", "question"]
    due_accept = factory.LazyAttribute(lambda o: o.dates["due_accept"])
    due_first_contact = factory.LazyAttribute(lambda o: o.dates["due_first_contact"])
    due_complete = factory.LazyAttribute(lambda o: o.dates["due_complete"])

    class Params:
        dates = factory.LazyFunction(lambda: due_dates(start=timezone.localdate(), agreement=None))
        accepted = factory.Trait(
            status=Referral.Status.ACCEPTED, accepted_at=factory.LazyFunction(timezone.now)
        )
        completed = factory.Trait(
            status=Referral.Status.COMPLETED,
            outcome="Hulp geregeld",
            closed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def status_row(self, create, extracted, **kwargs):
        if create:
            ReferralStatus.objects.create(referral=self, to_status=self.status, changed_by=self.referred_by)
