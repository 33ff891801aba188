"""The synthetic-data generator at a tiny scale, so that it cannot rot: counts and consistency.

Speed is not tested here (docs/performance.md: speed lives in the benchmarks only).
"""

import datetime
import itertools

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
    from schakelpunt.referrals.models import Referral
    from schakelpunt.wmo.models import WmoReport

    tables = ("audit_accesslog", "referrals_referral", "referrals_referralstatus", "wmo_wmoreport")
    # The same indexes come back (a partial index's condition may read differently once rebuilt).
    query = "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2"
    log_query = "SELECT indexdef FROM pg_indexes WHERE tablename = 'audit_accesslog' ORDER BY 1"
    with connection.cursor() as cursor:
        cursor.execute(query, [list(tables)])
        indexes = cursor.fetchall()
        cursor.execute(log_query)
        log_indexes = cursor.fetchall()
    generate(processes=2, defer_indexes="yes")
    # The work after the questions, from both parts, each with its own ids.
    contacts = Contact.objects.count()
    assert 0.3 * contacts <= Referral.objects.count() <= 0.5 * contacts
    assert not Referral.objects.exclude(resident=F("question__resident")).exists()
    assert not Referral.objects.exclude(status_history__to_status="requested").exists()
    assert WmoReport.objects.exists()
    assert not WmoReport.objects.exclude(resident=F("question__resident")).exists()
    assert Resident.objects.count() == RESIDENTS
    assert abs(Contact.objects.count() - RESIDENTS * CONTACTS_PER_RESIDENT) <= 2
    numbers = [number for number in Resident.objects.values_list("bsn", flat=True) if number]
    assert len(numbers) == len(set(numbers))
    assert (
        not Question.objects.exclude(resident=F("contact__resident")).filter(resident__isnull=False).exists()
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [list(tables)])
        assert cursor.fetchall() == indexes
        cursor.execute(log_query)
        assert cursor.fetchall() == log_indexes
        cursor.execute("SELECT obj_description('audit_accesslog'::regclass, 'pg_class')")
        assert cursor.fetchone()[0] is None
    # The sequences are past every part's block: the application adds rows as usual.
    desk = Resident.objects.first().registered_desk
    assert Resident.objects.create(surname="Nieuw", registered_desk=desk).pk > RESIDENTS
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('referrals_referral', 'id'))")
        assert cursor.fetchone()[0] > Referral.objects.aggregate(high=Max("pk"))["high"]


# --- The work after the questions: referrals, Wmo reports and the social map -------------------


@pytest.fixture
def busy_city():
    """Enough work in a year for every state of a referral and every phase of a Wmo report."""
    generate(residents=1500, contacts_per_resident=3, access_log_per_resident=30)


def _transitions_allowed(history, statuses):
    """Every step of a status history is a move of the workflow, a resume from on hold, or the
    register's news closing the file from any open status (a step without a user)."""
    previous = ""
    for row in history:
        assert row.from_status == previous
        if previous:
            resume = previous == "on-hold"
            by_the_register = row.changed_by_id is None and row.to_status in ("closed", "cancelled")
            assert statuses(previous, row.to_status) or resume or by_the_register, (previous, row.to_status)
        previous = row.to_status
    return previous


def test_referrals_follow_the_questions_and_the_rules(busy_city):
    from schakelpunt.directory.models import Service
    from schakelpunt.referrals import workflow
    from schakelpunt.referrals.deadlines import add_working_days, due_dates, working_days_between
    from schakelpunt.referrals.models import Referral, UnmetNeed

    contacts = Contact.objects.count()
    referrals = Referral.objects.all()
    # About 0.4 referrals per contact, as in the design dataset (two million on five million).
    assert 0.35 * contacts <= referrals.count() <= 0.45 * contacts
    assert set(referrals.values_list("status", flat=True)) == set(Referral.Status.values)
    assert referrals.filter(overdue_since__isnull=False).exists()
    assert referrals.filter(service__isnull=False).exists() and referrals.filter(warm_handover=True).exists()
    # From a question with the outcome "referred" (or one closed when the resident left), of the
    # same resident, made by the desk of the contact, while the question was open.
    outcomes = ["referred", "deceased", "signposted", ""]  # "": the question is open still
    assert not referrals.exclude(question__outcome__in=outcomes).exists()
    assert not referrals.filter(question__outcome="", question__status=Question.Status.CLOSED).exists()
    assert not referrals.exclude(resident=F("question__resident")).exists()
    assert not referrals.exclude(referring_desk=F("question__contact__desk")).exists()
    assert not referrals.filter(created_at__lt=F("question__created_at")).exists()
    # A question stays open while a partner works one of its referrals (contacts.services).
    assert not referrals.open().filter(question__status=Question.Status.CLOSED).exists()
    assert not referrals.filter(question__closed_at__lt=F("closed_at")).exists()
    # Consent for the receiving organisation, or a warm hand-over; the data shared within it.
    assert not referrals.filter(consent__isnull=True, warm_handover=False).exists()
    with_consent = referrals.filter(consent__isnull=False)
    assert not with_consent.exclude(consent__organisation=F("organisation")).exists()
    assert not with_consent.exclude(consent__resident=F("resident")).exists()
    assert not with_consent.filter(consent__given_at__gt=F("created_at")).exists()
    # The service named is one of the organisation's own on the social map.
    assert (
        not referrals.filter(service__isnull=False)
        .exclude(service__organization__participant=F("organisation"))
        .exists()
    )
    assert Service.objects.count() >= 200
    # Statuses agree with the moments and fields the transitions set.
    assert not referrals.filter(status__in=workflow.CLOSED_STATES, closed_at__isnull=True).exists()
    assert not referrals.filter(status__in=workflow.OPEN_STATES, closed_at__isnull=False).exists()
    assert not referrals.filter(status__in=["in-progress"], first_contact_at__isnull=True).exists()
    assert not referrals.filter(status__in=["accepted", "in-progress"], accepted_at__isnull=True).exists()
    assert (
        not referrals.filter(status="on-hold").filter(Q(held_from_status="") | Q(on_hold_since=None)).exists()
    )
    assert not referrals.exclude(status="on-hold").exclude(held_from_status="").exists()
    assert not referrals.filter(status="completed", outcome="").exists()
    assert not referrals.filter(status__in=["rejected", "failed", "cancelled"], close_reason="").exists()
    assert not referrals.filter(overdue_since__isnull=False).exclude(status__in=workflow.OPEN_STATES).exists()
    # A rejection for capacity or eligibility is an unmet need of the question, once.
    unmet = referrals.filter(status="rejected", close_reason__in=workflow.UNMET_REASONS)
    assert unmet.count() == UnmetNeed.objects.count() > 0
    assert not UnmetNeed.objects.exclude(question=F("referral__question")).exists()
    # The history: from "requested" through allowed moves to the status, in time order.
    for referral in (
        referrals.prefetch_related("status_history").select_related("consent").order_by("pk")[:300]
    ):
        history = list(referral.status_history.all())
        assert _transitions_allowed(history, workflow.allowed) == referral.status
        assert len(history) == referral.version
        assert history[-1].changed_at == referral.status_changed_at
        times = [row.changed_at for row in history]
        assert times == sorted(times) and times[0] == referral.created_at
        referral.full_clean(validate_unique=False)
        if referral.consent_id:  # what is shared lies within the consent
            assert set(referral.shared_data) <= set(referral.consent.scope)
    # The deadlines of the agreement, counted from the day it was made, moved by the working days
    # of each hold that ended (as referral_transition does on resume).
    held = set(referrals.filter(status_history__to_status="on-hold").values_list("pk", flat=True))
    sample = list(referrals.order_by("pk")[:300]) + list(referrals.filter(pk__in=held))
    for referral in sample:
        start = timezone.localdate(referral.created_at)
        expected = due_dates(start=start, agreement=referral.agreement)
        history = list(referral.status_history.all())
        for before, after in itertools.pairwise(history):
            if before.to_status == "on-hold" and after.from_status == "on-hold":
                shift = working_days_between(
                    timezone.localdate(before.changed_at), timezone.localdate(after.changed_at)
                )
                expected = {key: add_working_days(day, shift) for key, day in expected.items()}
        assert expected == {key: getattr(referral, key) for key in expected}
        assert referral.agreement.valid_from <= start
    assert held


def test_wmo_reports_follow_the_questions_and_the_deadlines(busy_city):
    from schakelpunt.wmo import deadlines
    from schakelpunt.wmo.models import SupportTrajectory, WmoReport, WmoSuspension
    from schakelpunt.wmo.workflow import allowed

    reports = WmoReport.objects.all()
    contacts = Contact.objects.count()
    assert 0.02 * contacts <= reports.count() <= 0.15 * contacts  # a few per hundred contacts
    statuses = set(reports.values_list("status", flat=True))
    assert {"reported", "investigation", "application", "decided", "closed", "withdrawn"} <= statuses
    assert reports.filter(ciz_referred_on__isnull=False).exists()
    assert reports.filter(suspended_since__isnull=False).exists()
    assert WmoSuspension.objects.filter(ended_on__isnull=False).exists()
    assert SupportTrajectory.objects.exists()
    assert not reports.exclude(question__outcome="wmo_report").exists()
    assert not reports.exclude(resident=F("question__resident")).exists()
    assert not reports.exclude(desk=F("question__contact__desk")).exists()
    # A running suspension is the one without an end; the report says since when.
    running = WmoSuspension.objects.filter(ended_on__isnull=True)
    assert running.count() == reports.filter(suspended_since__isnull=False).count()
    assert not running.exclude(started_on=F("report__suspended_since")).exists()
    assert not reports.filter(status__in=WmoReport.OPEN_STATUSES, closed_on__isnull=False).exists()
    assert not reports.exclude(status__in=WmoReport.OPEN_STATUSES).filter(closed_on__isnull=True).exists()
    assert (
        not reports.exclude(status="reported")
        .filter(consultant__isnull=True)
        .exclude(status="withdrawn")
        .exists()
    )
    for report in reports.prefetch_related("status_history", "suspensions", "support_requests")[:300]:
        history = list(report.status_history.all())
        assert _transitions_allowed(history, allowed) == report.status
        assert history[-1].changed_at == report.status_changed_at
        ended = [s for s in report.suspensions.all() if s.ended_on]
        for phase, field in (
            ("investigation", "investigation_suspended_days"),
            ("decision", "decision_suspended_days"),
        ):
            assert getattr(report, field) == sum(s.days for s in ended if s.phase == phase)
        assert report.due_personal_plan == deadlines.personal_plan_deadline(report.reported_on)
        assert report.due_investigation == deadlines.investigation_deadline(
            report.reported_on, suspended_days=report.investigation_suspended_days
        )
        if report.application_received_on:
            assert report.due_decision == deadlines.decision_deadline(
                report.application_received_on, suspended_days=report.decision_suspended_days
            )
        requests = list(report.support_requests.all())
        assert requests and all(bool(r.decision) == bool(report.decision) for r in requests)
        report.full_clean(validate_unique=False)


def test_the_pages_and_services_work_on_generated_work(busy_city, client):
    from schakelpunt.referrals.models import Referral
    from schakelpunt.referrals.services import referral_transition
    from schakelpunt.wmo.models import WmoReport
    from schakelpunt.wmo.services import wmo_report_transition

    referral = Referral.objects.filter(status="requested").select_related("organisation").first()
    partner = User.objects.filter(organisation=referral.organisation, groups__name="Partner").first()
    client.force_login(partner)
    inbox = client.get("/partner/verwijzingen/")
    assert inbox.status_code == 200 and str(referral.pk) in inbox.content.decode()
    assert client.get(f"/verwijzingen/{referral.pk}/").status_code == 200
    accepted = referral_transition(acting_user=partner, referral=referral, to_status="accepted")
    assert accepted.version == referral.version + 1
    desk_user = User.objects.filter(groups__name="Frontoffice", desks=referral.referring_desk).first()
    client.force_login(desk_user)
    assert client.get("/verwijzingen/").status_code == 200
    report = WmoReport.objects.filter(status="investigation", conversation_on__isnull=False).first()
    client.force_login(report.consultant)
    assert client.get("/wmo/").status_code == 200
    assert client.get(f"/wmo/{report.pk}/").status_code == 200
    moved = wmo_report_transition(
        acting_user=report.consultant,
        report=report,
        to_status="application",
        application_received_on=timezone.localdate(),
    )
    assert moved.due_decision is not None


def test_the_access_log_keeps_its_budget_with_the_work(busy_city):
    logged = AccessLog.objects.count()
    assert 0.9 * 1500 * 30 <= logged <= 1.1 * 1500 * 30
    assert AccessLog.objects.filter(object_type="referrals.referral").exists()
    assert AccessLog.objects.filter(object_type="wmo.wmoreport").exists()
    assert AccessLog.objects.filter(roles="Partner", object_type="referrals.referral").exists()
    times = list(AccessLog.objects.order_by("id").values_list("timestamp", flat=True))
    assert times == sorted(times)
    assert not AccessLog.objects.filter(user__isnull=True).exists()
