import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schakelpunt.organisations.models import Location, OpeningHours, Organisation, Participation
from schakelpunt.organisations.selectors import participation_list
from tests.accounts.factories import UserFactory
from tests.organisations.factories import (
    DeskFactory,
    LocationFactory,
    MunicipalityFactory,
    OpeningHoursFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "kwargs"),
    [
        (OpeningHoursFactory, {"opens": datetime.time(17), "closes": datetime.time(9)}),
        (ParticipationFactory, {"is_back_office": False}),
        (
            ParticipationFactory,
            {
                "agreement_start": datetime.date(2026, 2, 1),
                "agreement_end": datetime.date(2026, 1, 1),
            },
        ),
        (ParticipationFactory, {"yearly_contribution": -1}),
        (
            OrganisationFactory,
            {"type": Organisation.Type.WELFARE, "municipality": MunicipalityFactory},
        ),
    ],
)
def test_the_database_refuses_inconsistent_rows(factory, kwargs):
    kwargs = {key: value() if isinstance(value, type) else value for key, value in kwargs.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_validation_messages_are_dutch_and_name_the_problem():
    hours = OpeningHours(
        location=LocationFactory(), weekday=0, opens=datetime.time(17), closes=datetime.time(9)
    )
    with pytest.raises(ValidationError, match=r"De sluitingstijd moet na de openingstijd liggen\."):
        hours.full_clean()
    location = Location(
        desk=DeskFactory(),
        name="X",
        street="Markt",
        house_number=1,
        postcode="1234 A",
        town="Enschede",
        municipality=MunicipalityFactory(),
    )
    with pytest.raises(ValidationError) as error:
        location.full_clean()
    assert error.value.message_dict["postcode"] == ["Vul een postcode in als 1234 AB."]


def test_one_participation_per_organisation_and_desk():
    participation = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(desk=participation.desk, organisation=participation.organisation)


def test_participants_are_visible_per_desk(desk, user_for):
    other_desk = DeskFactory()
    mine = ParticipationFactory(desk=desk)
    theirs = ParticipationFactory(desk=other_desk)

    coordinator = user_for("Coördinator")
    assert list(participation_list(viewer=coordinator)) == [mine]

    # A policy officer sees the desks serving the municipality of their organisation.
    policy = user_for("Beleidsmedewerker", desks=[])
    assert list(participation_list(viewer=policy)) == [mine]

    admin = user_for("Functioneel beheerder", desks=[])
    assert set(participation_list(viewer=admin)) == {mine, theirs}

    partner = user_for("Partner", desks=[])
    assert list(participation_list(viewer=partner)) == []

    outsider = UserFactory(role="Coördinator")  # works at no desk
    assert list(participation_list(viewer=outsider)) == []


def test_participants_page_shows_roles_and_terms(client, desk, user_for):
    ParticipationFactory(
        desk=desk,
        organisation=OrganisationFactory(name="Woonstichting De Veste"),
        is_front_office=True,
        is_financier=True,
        is_back_office=False,
        collaboration_model=Participation.CollaborationModel.CONTRACT,
        yearly_contribution=12500,
    )
    client.force_login(user_for("Coördinator"))
    html = client.get(reverse("organisations:participants")).content.decode()
    assert "Woonstichting De Veste" in html
    assert "frontoffice, financier" in html
    assert "Contract" in html
    assert "12.500,00" in html


def test_participants_page_says_when_there_is_nothing(client, user_for):
    client.force_login(user_for("Coördinator"))
    assert (
        "Er zijn nog geen deelnemers vastgelegd"
        in client.get(reverse("organisations:participants")).content.decode()
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_public_desk_pages_query_count_does_not_grow_with_the_data(client):
    counts = []
    for _ in range(2):
        desk = DeskFactory()
        for _ in range(3):
            OpeningHoursFactory(location=LocationFactory(desk=desk))
        counts.append(
            (
                _count_queries(client, reverse("organisations:desk-list")),
                _count_queries(client, reverse("organisations:desk-detail", args=[desk.slug])),
            )
        )
    # list: desks, their municipalities, locations, opening hours; detail: the same four
    assert counts[0] == counts[1] == (4, 4)


def test_participants_and_home_query_count_does_not_grow(client, desk, user_for):
    user = user_for("Coördinator")
    client.force_login(user)
    counts = []
    for _ in range(2):
        for _ in range(5):
            ParticipationFactory(desk=desk)
            OpeningHoursFactory(location=LocationFactory(desk=desk))
        counts.append(
            (
                _count_queries(client, reverse("organisations:participants")),
                _count_queries(client, reverse("core:home")),
            )
        )
    assert counts[0] == counts[1]


def test_inactive_desks_are_not_public(client):
    desk = DeskFactory(is_active=False)
    assert client.get(reverse("organisations:desk-detail", args=[desk.slug])).status_code == 404
    assert desk.name not in client.get(reverse("organisations:desk-list")).content.decode()
