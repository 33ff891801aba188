import pytest
from django.core.management import CommandError, call_command

from schakelpunt.accounts.models import User
from schakelpunt.organisations.models import (
    Desk,
    Location,
    OpeningHours,
    Organisation,
    Participation,
)

pytestmark = pytest.mark.django_db
MODELS = [User, Desk, Location, OpeningHours, Organisation, Participation]


def test_demo_data_loads_once_however_often_it_runs(capsys):
    call_command("demo_data")
    counts = [model.objects.count() for model in MODELS]
    call_command("demo_data")
    assert [model.objects.count() for model in MODELS] == counts
    assert Organisation.objects.count() == 10
    assert Desk.objects.count() == 2
    assert set(Desk.objects.values_list("municipalities__name", flat=True)) == {
        "Enschede",
        "Hengelo",
        "Oldenzaal",
    }
    users = User.objects.prefetch_related("groups")
    assert sorted(group.name for user in users for group in user.groups.all()) == sorted(
        [
            "Frontoffice",
            "Vrijwilliger",
            "Consulent",
            "Partner",
            "Coördinator",
            "Beleidsmedewerker",
            "Privacyfunctionaris",
            "Functioneel beheerder",
        ]
    )
    output = capsys.readouterr().out
    assert "frontoffice" in output and "demo-schakelpunt" in output


def test_demo_data_refuses_production(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("demo_data")
    assert not User.objects.exists()
