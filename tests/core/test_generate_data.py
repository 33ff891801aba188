"""The synthetic-data generator at a tiny scale, so that it cannot rot: counts and consistency.

Speed is not tested here (docs/performance.md: speed lives in the benchmarks only).
"""

import datetime

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from stdnum.nl import bsn

from schakelpunt.accounts.models import User
from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, FollowUp, Question, QuestionChange
from schakelpunt.core.synthetic.generator import USERNAME_PREFIX
from schakelpunt.organisations.selectors import district_for_postcode
from schakelpunt.residents.models import Consent, Representation, Resident

pytestmark = pytest.mark.django_db
RESIDENTS, YEARS, CONTACTS_PER_RESIDENT, LOG_PER_RESIDENT = 150, 1, 3, 20


def generate(**options):
    options = {
        "residents": RESIDENTS,
        "years": YEARS,
        "contacts_per_resident": CONTACTS_PER_RESIDENT,
        "access_log_per_resident": LOG_PER_RESIDENT,
        **options,
    }
    call_command("generate_data", **options)


@pytest.fixture
def city():
    generate()


def test_counts_follow_the_scale(city):
    assert Resident.objects.count() == RESIDENTS
    contacts = Contact.objects.count()
    assert abs(contacts - RESIDENTS * CONTACTS_PER_RESIDENT) <= 1
    assert contacts < Question.objects.count() < 2 * contacts  # one or two questions per contact
    logged = AccessLog.objects.count()
    assert 0.9 * RESIDENTS * LOG_PER_RESIDENT <= logged <= 1.1 * RESIDENTS * LOG_PER_RESIDENT
    assert Contact.objects.filter(resident__isnull=True).exists()  # anonymous questions too
    assert QuestionChange.objects.exists() and FollowUp.objects.exists()
    assert Representation.objects.exists() and Consent.objects.exists()


def test_rows_are_consistent(city):
    now = timezone.now()
    start = now - datetime.timedelta(days=366 * YEARS + 1)
    # A question belongs to the contact's resident; a contact happens at the resident's own desk.
    assert (
        not Question.objects.exclude(resident=F("contact__resident")).filter(resident__isnull=False).exists()
    )
    assert not Question.objects.filter(resident__isnull=True, contact__resident__isnull=False).exists()
    assert (
        not Contact.objects.exclude(desk=F("resident__registered_desk"))
        .filter(resident__isnull=False)
        .exists()
    )
    # Registered during their first contact (partners with them), never after it.
    first_contacts = Resident.objects.annotate(first=Min("contacts__started_at")).filter(first__isnull=False)
    assert not first_contacts.filter(first__lt=F("created_at") - datetime.timedelta(minutes=1)).exists()
    assert first_contacts.count() >= RESIDENTS * 0.8
    # Within the window, nothing in the future; access-log ids follow time.
    assert Contact.objects.aggregate(low=Min("started_at"))["low"] >= start
    assert Contact.objects.aggregate(high=Max("started_at"))["high"] <= now
    assert AccessLog.objects.aggregate(high=Max("timestamp"))["high"] <= now
    times = list(AccessLog.objects.order_by("id").values_list("timestamp", flat=True))
    assert times == sorted(times)
    # Closed questions have an outcome and a closing moment; open ones have neither.
    closed = Question.objects.filter(status=Question.Status.CLOSED)
    assert closed.exists() and not closed.filter(Q(outcome="") | Q(closed_at__isnull=True)).exists()
    assert (
        not Question.objects.exclude(status=Question.Status.CLOSED).filter(closed_at__isnull=False).exists()
    )
    assert not Question.objects.exclude(outcome=Question.Outcome.NO_SUPPLY).exclude(unmet_reason="").exists()
    # Residents who died or moved have the date of it.
    gone = Resident.objects.exclude(status=Resident.Status.ACTIVE)
    assert not gone.filter(status_date__isnull=True).exists()


def test_residents_pass_the_model_validation():
    generate(residents=60)
    numbers = [number for number in Resident.objects.values_list("bsn", flat=True) if number]
    assert numbers and len(numbers) == len(set(numbers))
    assert all(bsn.is_valid(number) for number in numbers)
    for resident in Resident.objects.select_related("district")[:60]:
        resident.full_clean(validate_unique=False, validate_constraints=False)
        assert district_for_postcode(resident.postcode) == resident.district
    for question in Question.objects.all()[:60]:
        question.full_clean(validate_unique=False)
    for contact in Contact.objects.all()[:60]:
        contact.full_clean(validate_unique=False)


def test_staff_and_the_access_log_look_like_the_desk_at_work(city):
    staff = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assert staff.filter(groups__name="Frontoffice").exists()
    assert staff.filter(groups__name="Privacyfunctionaris").exists()
    assert not any(is_password_usable(user.password) for user in staff)  # sessions only, no logins
    actions = dict(AccessLog.objects.values_list("action").annotate(n=Count("pk")))
    assert {AccessLog.Action.SEARCH, AccessLog.Action.READ, AccessLog.Action.CREATE} <= set(actions)
    resident = Contact.objects.filter(resident__isnull=False).values_list("resident", flat=True).first()
    about = AccessLog.objects.filter(
        Q(object_type="residents.resident", object_id=str(resident))
        | Q(on_behalf_of=f"residents.resident#{resident}")
    )
    assert about.exists()
    assert not AccessLog.objects.filter(user__isnull=True).exists()


def test_running_again_adds_a_second_city_without_clashes(city):
    generate(residents=40, seed=7)
    assert Resident.objects.count() == RESIDENTS + 40
    numbers = [number for number in Resident.objects.values_list("bsn", flat=True) if number]
    assert len(numbers) == len(set(numbers))
    # The sequences moved on: the application can still add rows the ordinary way.
    resident = Resident.objects.first()
    copy = Resident.objects.create(surname="Nieuw", registered_desk=resident.registered_desk)
    assert copy.pk > Resident.objects.exclude(pk=copy.pk).aggregate(high=Max("pk"))["high"]


def test_refused_in_production(settings):
    settings.ENVIRONMENT = "production"
    with pytest.raises(CommandError):
        generate()
    assert not Resident.objects.exists()


def test_needs_a_size():
    with pytest.raises(CommandError):
        call_command("generate_data")


@pytest.mark.django_db(transaction=True)
def test_a_large_load_in_parts_on_postgresql():
    """Several processes, each with its own block of ids, and the indexes dropped and rebuilt."""
    if connection.vendor != "postgresql":
        pytest.skip("parts and deferred indexes are for PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_accesslog' ORDER BY 1")
        indexes = cursor.fetchall()
    generate(processes=2, defer_indexes="yes")
    assert Resident.objects.count() == RESIDENTS
    assert abs(Contact.objects.count() - RESIDENTS * CONTACTS_PER_RESIDENT) <= 2
    numbers = [number for number in Resident.objects.values_list("bsn", flat=True) if number]
    assert len(numbers) == len(set(numbers))
    assert (
        not Question.objects.exclude(resident=F("contact__resident")).filter(resident__isnull=False).exists()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_accesslog' ORDER BY 1")
        assert cursor.fetchall() == indexes
        cursor.execute("SELECT obj_description('audit_accesslog'::regclass, 'pg_class')")
        assert cursor.fetchone()[0] is None
    # The sequences are past every part's block: the application adds rows as usual.
    desk = Resident.objects.first().registered_desk
    assert Resident.objects.create(surname="Nieuw", registered_desk=desk).pk > RESIDENTS
