import pytest

from schakelpunt.contacts.models import LifeDomain
from tests.contacts.factories import ContactFactory
from tests.organisations.factories import DistrictFactory, OrganisationFactory
from tests.residents.factories import ResidentFactory
from tests.signalling.factories import NoSupplyQuestionFactory


@pytest.fixture
def municipality(desk):
    return desk.municipalities.first()


@pytest.fixture
def district(municipality):
    return DistrictFactory(name="Glanerbrug", municipality=municipality)


@pytest.fixture
def safety():
    return LifeDomain.objects.get(code="veiligheid")


@pytest.fixture
def partner_org(desk):
    from tests.organisations.factories import ParticipationFactory

    organisation = OrganisationFactory(
        name="Thuiszorg Twente", type="care_provider", email="team@thuiszorg.example"
    )
    ParticipationFactory(desk=desk, organisation=organisation)
    return organisation


@pytest.fixture
def employee(user_for):
    return user_for("Frontoffice", email="medewerker@loket.example")


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator", email="coordinator@loket.example")


@pytest.fixture
def policy(user_for, municipality_org):
    """A policy officer of the desk's municipality, working at no desk."""
    return user_for(
        "Beleidsmedewerker", organisation=municipality_org, desks=[], email="beleid@gemeente.example"
    )


@pytest.fixture
def partner(user_for, partner_org):
    return user_for("Partner", organisation=partner_org, desks=[], email="partner@thuiszorg.example")


@pytest.fixture
def no_supply(desk, district, safety):
    """``no_supply(started_at=..., reason=..., domains=[...], district=..., desk=...)``: a
    question at the desk without suitable supply, of a resident living in the district."""

    def make(**kwargs):
        where = kwargs.pop("district", district)
        at = kwargs.pop("desk", desk)
        resident = ResidentFactory(registered_desk=at, district=where, municipality=where.municipality)
        contact_kwargs = {"desk": at, "resident": resident}
        if "started_at" in kwargs:
            contact_kwargs["started_at"] = kwargs.pop("started_at")
        kwargs.setdefault("domains", [safety])
        if "reason" in kwargs:
            kwargs["unmet_reason"] = kwargs.pop("reason")
        return NoSupplyQuestionFactory(contact=ContactFactory(**contact_kwargs), **kwargs)

    return make
