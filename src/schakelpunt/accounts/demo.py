"""One demo login per role. The password is public: demo data never loads in production."""

import random

from django.contrib.auth.models import Group
from django.core.management import call_command

from schakelpunt.accounts.models import User
from schakelpunt.organisations.models import Desk, Organisation

DEMO_PASSWORD = "demo-schakelpunt"  # noqa: S105 - public on purpose, refused in production

# username, role (group), first name, last name, organisation, desk slugs, staff (admin site)
DEMO_USERS = [
    (
        "frontoffice",
        "Frontoffice",
        "Fatima",
        "El Amrani",
        "Gemeente Enschede",
        ["zorgloket-enschede"],
        False,
    ),
    (
        "vrijwilliger",
        "Vrijwilliger",
        "Gerrit",
        "Nijhuis",
        "Welzijn Twente Samen",
        ["zorgloket-enschede"],
        False,
    ),
    (
        "consulent",
        "Consulent",
        "Sanne",
        "de Vries",
        "Gemeente Enschede",
        ["zorgloket-enschede"],
        False,
    ),
    ("partner", "Partner", "Mehmet", "Yilmaz", "Thuiszorg Tukkerland", [], False),
    (
        "coordinator",
        "Coördinator",
        "Anouk",
        "Brinkhuis",
        "Gemeente Enschede",
        ["zorgloket-enschede"],
        False,
    ),
    ("beleid", "Beleidsmedewerker", "Jeroen", "Hofstede", "Gemeente Enschede", [], False),
    ("privacy", "Privacyfunctionaris", "Ingrid", "Kamphuis", "Gemeente Enschede", [], False),
    (
        "beheerder",
        "Functioneel beheerder",
        "Ruud",
        "Oude Luttikhuis",
        "Gemeente Enschede",
        [],
        True,
    ),
]


def load(*, rng: random.Random, fake, stdout) -> None:
    call_command("loaddata", "roles", verbosity=0)
    lines = []
    for username, role, first, last, organisation, desks, staff in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@schakelpunt.example",
                "organisation": Organisation.objects.get(name=organisation),
                "is_staff": staff,
                "is_active": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
        user.desks.set(Desk.objects.filter(slug__in=desks))
        lines.append(f"  {role:<24} {username:<14} {DEMO_PASSWORD}")
    stdout.write("\nDemo logins (role, user name, password):\n" + "\n".join(lines) + "\n")
