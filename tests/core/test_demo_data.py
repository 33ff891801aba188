import datetime
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone
from faker import Faker
from stdnum.nl import bsn

from schakelpunt.accounts.models import User
from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts import demo as contacts_demo
from schakelpunt.contacts.models import (
    Assessment,
    AssessmentScore,
    Contact,
    FollowUp,
    LifeDomain,
    Question,
    QuestionChange,
)
from schakelpunt.organisations.demo import DISTRICTS
from schakelpunt.organisations.models import (
    Desk,
    Location,
    OpeningHours,
    Organisation,
    Participation,
)
from schakelpunt.organisations.selectors import district_for_postcode
from schakelpunt.residents import demo as residents_demo
from schakelpunt.residents.models import Consent, Representation, Resident

pytestmark = pytest.mark.django_db
MODELS = [User, Desk, Location, OpeningHours, Organisation, Participation]
MODELS += [Resident, Representation, Consent, Contact, Question, QuestionChange, FollowUp]
MODELS += [Assessment, AssessmentScore]
# The database tests load a smaller demo; the full size is checked on the plan in memory.
SMALL_RESIDENTS, SMALL_CONTACTS = 400, 1500


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    monkeypatch.setattr(residents_demo, "RESIDENTS", SMALL_RESIDENTS)
    monkeypatch.setattr(contacts_demo, "CONTACTS", SMALL_CONTACTS)


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


def test_demo_desk_looks_lived_in():
    call_command("demo_data")
    today = timezone.localdate()
    desk = Desk.objects.get(slug="zorgloket-enschede")
    staff = set(User.objects.filter(desks=desk).values_list("pk", flat=True))

    # Residents: where they live matches their postcode, and they are registered at their desk.
    residents = list(Resident.objects.select_related("municipality", "district", "registered_desk"))
    assert len(residents) == SMALL_RESIDENTS
    for resident in residents[:50]:
        assert district_for_postcode(resident.postcode) == resident.district
        assert resident.district.municipality == resident.municipality
        assert resident.registered_desk.municipalities.filter(pk=resident.municipality.pk).exists()
    assert all(bsn.is_valid(resident.bsn) for resident in residents if resident.bsn)
    assert Representation.objects.exists() and Consent.objects.filter(organisation__isnull=False).exists()

    # Contacts: the last twelve months at the Enschede desk, handled by its staff.
    contacts = Contact.objects.all()
    assert contacts.count() == SMALL_CONTACTS
    assert set(contacts.values_list("desk", flat=True)) == {desk.pk}
    assert set(contacts.values_list("handled_by", flat=True)) <= staff
    first, last = (
        timezone.localdate(moment) for moment in (contacts.last().started_at, contacts.first().started_at)
    )
    assert today - datetime.timedelta(days=366) <= first and last < today
    channels = Counter(contacts.values_list("channel", flat=True))
    assert set(channels) == set(Contact.Channel.values)
    assert 0.35 < channels[Contact.Channel.PHONE] / SMALL_CONTACTS < 0.55
    anonymous = contacts.filter(resident=None).count() / SMALL_CONTACTS
    assert 0.1 < anonymous < 0.2
    weekdays = Counter(
        timezone.localtime(moment).weekday() for moment in contacts.values_list("started_at", flat=True)
    )
    assert weekdays[5] + weekdays[6] < 0.05 * SMALL_CONTACTS
    assert not contacts.filter(
        resident__isnull=False, started_at__date__gte=F("resident__status_date")
    ).exists()

    # Questions: closed ones have an outcome, unmet needs say why, the resident is the contact's.
    questions = Question.objects.all()
    assert SMALL_CONTACTS <= questions.count() <= 2 * SMALL_CONTACTS
    assert not questions.exclude(resident=F("contact__resident")).exclude(resident=None).exists()
    assert not questions.filter(resident=None, contact__resident__isnull=False).exists()
    closed = questions.filter(status=Question.Status.CLOSED)
    assert closed.count() > 0.9 * questions.count()
    assert not closed.filter(outcome="").exists() and not closed.filter(closed_at=None).exists()
    assert not questions.exclude(status=Question.Status.CLOSED).exclude(closed_at=None).exists()
    assert not questions.filter(closed_at__lt=F("contact__started_at")).exists()
    assert questions.filter(status=Question.Status.OPEN).exists()
    assert questions.filter(status=Question.Status.WAITING).exists()
    outcomes = Counter(closed.values_list("outcome", flat=True))
    for outcome in ("information", "advice", "referred", "wmo_report", "signposted", "no_supply"):
        assert outcomes[outcome] > 0.03 * closed.count(), outcome
    unmet = questions.filter(outcome=Question.Outcome.NO_SUPPLY)
    assert not unmet.filter(unmet_reason="").exists()
    assert not questions.exclude(outcome=Question.Outcome.NO_SUPPLY).exclude(unmet_reason="").exists()
    assert unmet.filter(unmet_reason="waiting_list", domains__code="dagbesteding").exists()
    assert unmet.filter(unmet_reason="not_available", domains__code="veiligheid").exists()
    used = set(questions.values_list("domains__code", flat=True))
    assert set(LifeDomain.objects.values_list("code", flat=True)) <= used
    assert not questions.filter(assigned_to__username="vrijwilliger").exclude(health_notes="").exists()
    assert questions.exclude(health_notes="").exists()

    # Follow-ups: done, planned and some overdue; ZRM measured twice for a few.
    follow_ups = FollowUp.objects.all()
    assert follow_ups.filter(status=FollowUp.Status.DONE).exists()
    assert follow_ups.filter(status=FollowUp.Status.PLANNED, due_date__lt=today).exists()
    assert follow_ups.filter(status=FollowUp.Status.PLANNED, due_date__gte=today).exists()
    twice = Assessment.objects.values("resident").annotate(n=Count("pk")).filter(n__gte=2)
    assert twice.exists()
    assert not AssessmentScore.objects.exclude(score__range=(1, 5)).exists()

    assert not AccessLog.objects.exists()  # demo rows are not reads or changes by anyone


def test_demo_residents_at_full_size(monkeypatch):
    monkeypatch.setattr(residents_demo, "RESIDENTS", 1200)
    plan = residents_demo.plan_residents(
        rng=random.Random(2026), fake=_faker(2026), today=timezone.localdate()
    )
    residents = [person.resident for person in plan]
    assert len(residents) == 1200
    numbers = [resident.bsn for resident in residents if resident.bsn]
    assert 0.55 < len(numbers) / len(residents) < 0.65
    assert len(set(numbers)) == len(numbers) and all(bsn.is_valid(number) for number in numbers)
    assert 0.25 < sum(1 for resident in residents if resident.surname_prefix) / len(residents) < 0.4
    older = sum(1 for resident in residents if resident.birth_date.year <= timezone.localdate().year - 65)
    assert older > 0.55 * len(residents)
    areas = {area for districts in DISTRICTS.values() for _code, _name, codes in districts for area in codes}
    assert all(resident.postcode[:4] in areas and len(resident.postcode) == 7 for resident in residents)
    assert 5 < sum(1 for resident in residents if resident.status != Resident.Status.ACTIVE) < 80


def test_demo_is_the_same_for_the_same_seed():
    def plan(seed):
        people = residents_demo.plan_residents(
            rng=random.Random(seed), fake=_faker(seed), today=datetime.date(2026, 3, 1)
        )
        return [
            (
                p.resident.bsn,
                p.resident.full_name,
                p.resident.birth_date,
                p.resident.address,
                p.resident.created_at,
            )
            for p in people
        ]

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


def _faker(seed: int) -> Faker:
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    return fake
