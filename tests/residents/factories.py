import datetime

import factory
from django.utils import timezone

from schakelpunt.residents.models import Consent, Resident
from tests.organisations.factories import DeskFactory

# Valid BSNs (eleven-test) as used in the official BRP test set.
BSNS = ["999993653", "999990019", "999990020", "999990032", "999990044", "999990056"]


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    given_names = "Johanna"
    surname = factory.Sequence(lambda n: f"Jansen{n}")
    birth_date = datetime.date(1948, 3, 12)
    street = "Marktstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "7511 AB"
    town = "Enschede"
    registered_desk = factory.SubFactory(DeskFactory)
    municipality = factory.LazyAttribute(lambda o: o.registered_desk.municipalities.first())


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    resident = factory.SubFactory(ResidentFactory)
    purpose = "Doorverwijzing"
    scope = ["contact_details", "question"]
    given_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SubFactory("tests.accounts.factories.UserFactory")
