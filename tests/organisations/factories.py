import datetime

import factory

from schakelpunt.organisations.models import (
    Desk,
    District,
    Location,
    Municipality,
    OpeningHours,
    Organisation,
    Participation,
    PostcodeArea,
    Region,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = "Twente"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    # CBS codes have four digits: stay within GM9000-GM9999 however many tests ran before
    # (the sequence counts over the whole session; each test's rows are rolled back).
    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = Organisation.Type.WELFARE

    class Params:
        municipal = factory.Trait(
            type=Organisation.Type.MUNICIPALITY,
            municipality=factory.SubFactory(MunicipalityFactory),
        )


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Loket {n}")
    slug = factory.Sequence(lambda n: f"loket-{n}")

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create:
            self.municipalities.set(extracted or [MunicipalityFactory()])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    desk = factory.SubFactory(DeskFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    street = "Stationsplein"
    house_number = 1
    postcode = "7511 JD"
    town = "Enschede"
    municipality = factory.SubFactory(MunicipalityFactory)


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    desk = factory.SubFactory(DeskFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_back_office = True
    collaboration_model = Participation.CollaborationModel.AGREEMENT


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"WK{n % 1_000_000:06d}")  # eight characters at most
    name = factory.Sequence(lambda n: f"Wijk {n}")
    municipality = factory.SubFactory(MunicipalityFactory)


class PostcodeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeArea

    postcode = "7511"
    district = factory.SubFactory(DistrictFactory)
