import factory
from django.contrib.auth.models import Group

from schakelpunt.accounts.models import User
from tests.organisations.factories import OrganisationFactory

PASSWORD = "correct-horse-battery-staple"

# Role names as in the roles fixture (schakelpunt/accounts/fixtures/roles.json).
ROLES = [
    "Frontoffice",
    "Vrijwilliger",
    "Consulent",
    "Partner",
    "Coördinator",
    "Beleidsmedewerker",
    "Privacyfunctionaris",
    "Functioneel beheerder",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role="Frontoffice")`` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted == "Functioneel beheerder":
                self.is_staff = True
                self.save(update_fields=["is_staff"])

    @factory.post_generation
    def desks(self, create, extracted, **kwargs):
        if create and extracted:
            self.desks.set(extracted)
