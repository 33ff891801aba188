"""The Wmo services other than the phase moves: making a report (from a question or directly),
assigning it, the investigation, the CIZ's outcome, suspending and resuming, and closing the
reports of a resident the register reports deceased or moved away."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Question, QuestionChange
from schakelpunt.core.exceptions import ConflictError
from schakelpunt.wmo.models import SupportTrajectory, WmoReport, WmoSuspension
from schakelpunt.wmo.services import (
    wmo_report_assign,
    wmo_report_create,
    wmo_report_record_ciz_outcome,
    wmo_report_record_investigation,
    wmo_report_resume,
    wmo_report_suspend,
    wmo_report_transition,
    wmo_reports_close_for_resident,
)
from tests.accounts.factories import UserFactory
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory
from tests.wmo.factories import SupportTrajectoryFactory, WmoReportFactory

S = WmoReport.Status


@pytest.fixture
def front(user_for):
    return user_for("Frontoffice", email="balie@loket.example")


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent", email="consulent@loket.example")


@pytest.fixture
def colleague(user_for):
    return user_for("Consulent", email="collega@loket.example")


@pytest.fixture
def resident(desk):
    return ResidentFactory(registered_desk=desk)


def create(front, desk, for_resident, **kwargs):
    arguments = {
        "acting_user": front,
        "resident": for_resident,
        "desk": desk,
        "summary": "Mevrouw kan de trap niet meer op en het huishouden lukt niet meer.",
        "support_types": [("household", "Schoonmaken"), ("aids", "Traplift")],
        "client_support_offered": True,
        "client_support_accepted": False,
    }
    arguments.update(kwargs)
    return wmo_report_create(**arguments)


# --- Making a report --------------------------------------------------------------------------


def test_create_writes_the_report_its_support_status_row_and_access_log(front, desk, resident):
    report = create(front, desk, resident)
    assert report.status == S.REPORTED
    assert report.registered_by == front
    assert report.reported_on == timezone.localdate()
    assert list(report.support_requests.values_list("support_type", "description")) == [
        ("household", "Schoonmaken"),
        ("aids", "Traplift"),
    ]
    assert list(report.status_history.values_list("from_status", "to_status", "changed_by")) == [
        ("", S.REPORTED, front.pk)
    ]
    log = AccessLog.objects.get(object_type="wmo.wmoreport", object_id=str(report.pk))
    assert (log.action, log.user, log.on_behalf_of) == (
        AccessLog.Action.CREATE,
        front,
        f"residents.resident#{resident.pk}",
    )
    assert not SupportTrajectory.objects.exists()


def test_accepted_client_support_requests_a_trajectory(front, desk, resident):
    report = create(front, desk, resident, client_support_accepted=True)
    trajectory = report.support_trajectory
    assert (trajectory.resident, trajectory.status) == (resident, SupportTrajectory.Status.REQUESTED)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"client_support_offered": None},
            "client_support_offered",
            "Geef aan of de inwoner gratis onafhankelijke cliëntondersteuning is aangeboden.",
        ),
        (
            {"client_support_offered": False, "client_support_accepted": True},
            "client_support_accepted",
            "Cliëntondersteuning kan alleen gewenst zijn als ze is aangeboden.",
        ),
        ({"summary": "  "}, "summary", "Beschrijf waarbij de inwoner ondersteuning nodig heeft."),
        ({"support_types": []}, "support_types", "Kies ten minste één soort ondersteuning."),
        ({"support_types": [("spa", "")]}, "support_types", "Onbekende soort ondersteuning."),
        (
            {"support_types": [("aids", "Traplift"), ("aids", "Rolstoel")]},
            "support_types",
            "Kies elke soort ondersteuning maar één keer.",
        ),
        ({"reporter": "neighbour"}, "reporter", "Kies wie de melding deed."),
        (
            {"reported_on": datetime.date.today() + datetime.timedelta(days=2)},
            "reported_on",
            "Deze datum ligt in de toekomst.",
        ),
        (
            {"resident": None},
            "resident",
            "Een Wmo-melding hoort bij een inwoner: kies of registreer eerst de inwoner.",
        ),
    ],
)
def test_create_refuses_bad_input_with_a_message_per_field(front, desk, resident, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        create(front, desk, resident, **kwargs)
    assert error.value.message_dict == {field: [message]}
    assert not WmoReport.objects.exists()


def test_create_at_another_desk_is_refused(front, resident):
    with pytest.raises(ValidationError) as error:
        create(front, DeskFactory(), resident)
    assert error.value.message_dict == {"desk": ["U werkt niet bij dit loket."]}


def test_create_for_a_deceased_resident_is_refused(front, desk):
    resident = ResidentFactory(registered_desk=desk, status="deceased")
    with pytest.raises(ValidationError) as error:
        create(front, desk, resident)
    assert error.value.message_dict == {"resident": ["Deze inwoner is overleden."]}


@pytest.mark.parametrize(
    "role", ["Partner", "Beleidsmedewerker", "Functioneel beheerder", "Privacyfunctionaris"]
)
def test_create_needs_the_permission(user_for, desk, resident, role):
    with pytest.raises(PermissionDenied):
        create(user_for(role), desk, resident)


def test_report_from_a_question_gives_the_question_its_outcome(front, desk, resident):
    question = QuestionFactory(contact=ContactFactory(desk=desk, resident=resident, handled_by=front))
    report = create(front, desk, resident, question=question)
    question.refresh_from_db()
    assert report.question == question
    assert question.outcome == Question.Outcome.WMO_REPORT
    assert question.version == 2
    assert QuestionChange.objects.get(question=question).fields == {"outcome": ["", "wmo_report"]}


def test_report_from_a_question_keeps_an_outcome_it_already_has(front, desk, resident):
    question = QuestionFactory(
        contact=ContactFactory(desk=desk, resident=resident, handled_by=front),
        outcome=Question.Outcome.ADVICE,
    )
    create(front, desk, resident, question=question)
    question.refresh_from_db()
    assert question.outcome == Question.Outcome.ADVICE
    assert not QuestionChange.objects.exists()


def test_report_from_another_resident_s_question_is_refused(front, desk, resident):
    other = ResidentFactory(registered_desk=desk)
    question = QuestionFactory(contact=ContactFactory(desk=desk, resident=other, handled_by=front))
    with pytest.raises(ValidationError) as error:
        create(front, desk, resident, question=question)
    assert error.value.message_dict == {"question": ["Deze vraag is van een andere inwoner."]}
    question.refresh_from_db()
    assert question.outcome == ""


def test_report_from_a_question_of_another_desk_is_refused(front, desk, resident):
    question = QuestionFactory(contact=ContactFactory(desk=DeskFactory(), resident=resident))
    with pytest.raises(PermissionDenied):
        create(front, desk, resident, question=question)


# --- Assigning ------------------------------------------------------------------------------


def test_assign_mails_the_consultant_after_commit(
    consultant, colleague, desk, resident, front, django_capture_on_commit_callbacks
):
    report = create(front, desk, resident)
    with django_capture_on_commit_callbacks(execute=True):
        assigned = wmo_report_assign(acting_user=colleague, report=report, consultant=consultant, version=1)
    assert assigned.consultant == consultant
    assert assigned.version == 2
    assert assigned.status == S.REPORTED  # assigning is not a phase change
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["consulent@loket.example"]
    assert f"Wmo-melding {report.pk}" in message.subject
    # No resident data in the mail: neither the name nor the summary.
    assert resident.surname not in message.body + message.subject
    assert "trap" not in message.body
    assert f"/wmo/{report.pk}/" in message.body


def test_taking_a_report_yourself_sends_no_mail(
    consultant, desk, resident, front, django_capture_on_commit_callbacks
):
    report = create(front, desk, resident)
    with django_capture_on_commit_callbacks(execute=True):
        wmo_report_transition(
            acting_user=consultant, report=report, to_status=S.INVESTIGATION, consultant=consultant
        )
    assert mail.outbox == []


def test_starting_the_investigation_for_a_colleague_mails_them(
    consultant, colleague, desk, resident, front, django_capture_on_commit_callbacks
):
    report = create(front, desk, resident)
    with django_capture_on_commit_callbacks(execute=True):
        wmo_report_transition(
            acting_user=colleague, report=report, to_status=S.INVESTIGATION, consultant=consultant
        )
    assert [m.to for m in mail.outbox] == [["consulent@loket.example"]]


def test_assign_refuses_someone_who_does_not_work_reports(front, consultant, desk, resident):
    report = create(front, desk, resident)
    with pytest.raises(ValidationError) as error:
        wmo_report_assign(acting_user=consultant, report=report, consultant=front)
    assert list(error.value.message_dict) == ["consultant"]


def test_assign_refuses_a_closed_report(consultant):
    report = WmoReportFactory(closed=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError):
        wmo_report_assign(acting_user=consultant, report=report, consultant=consultant)


def test_assign_with_a_stale_version_is_refused(front, consultant, colleague, desk, resident):
    report = create(front, desk, resident)
    wmo_report_assign(acting_user=consultant, report=report, consultant=consultant, version=1)
    with pytest.raises(ConflictError):
        wmo_report_assign(acting_user=colleague, report=report, consultant=colleague, version=1)
    report.refresh_from_db()
    assert report.consultant == consultant


def test_front_office_may_not_assign(front, consultant, desk, resident):
    report = create(front, desk, resident)
    with pytest.raises(PermissionDenied):
        wmo_report_assign(acting_user=front, report=report, consultant=consultant)


# --- The investigation --------------------------------------------------------------------------


def test_record_the_conversation_and_the_personal_plan(front, consultant, desk, resident):
    report = create(front, desk, resident)
    today = timezone.localdate()
    report = wmo_report_record_investigation(
        acting_user=consultant, report=report, personal_plan_received_on=today
    )
    assert report.personal_plan_received_on == today
    wmo_report_transition(
        acting_user=consultant, report=report, to_status=S.INVESTIGATION, consultant=consultant
    )
    report = wmo_report_record_investigation(
        acting_user=consultant,
        report=report,
        conversation_on=today,
        conversation_report="  Gesprek bij mevrouw thuis.  ",
        version=3,
    )
    assert (report.conversation_on, report.conversation_report) == (today, "Gesprek bij mevrouw thuis.")
    assert report.personal_plan_received_on == today  # left as it was
    assert report.version == 4
    assert AccessLog.objects.filter(object_type="wmo.wmoreport", action=AccessLog.Action.CHANGE).count() == 3


def test_the_conversation_belongs_to_the_investigation(front, consultant, desk, resident):
    report = create(front, desk, resident)
    with pytest.raises(ValidationError):
        wmo_report_record_investigation(acting_user=consultant, report=report, conversation_report="Gesprek.")


def test_conversation_dates_are_checked(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError) as error:
        wmo_report_record_investigation(
            acting_user=consultant,
            report=report,
            conversation_on=report.reported_on - datetime.timedelta(days=1),
            personal_plan_received_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert error.value.message_dict == {
        "conversation_on": ["Deze datum ligt vóór de datum van de melding."],
        "personal_plan_received_on": ["Deze datum ligt in de toekomst."],
    }


def test_nothing_to_record_changes_nothing(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    wmo_report_record_investigation(acting_user=consultant, report=report)
    report.refresh_from_db()
    assert report.version == 1
    assert not AccessLog.objects.exists()


# --- The CIZ --------------------------------------------------------------------------------


def test_record_the_ciz_outcome_then_close(consultant):
    report = WmoReportFactory(ciz=True, desk=consultant.desks.first())
    today = timezone.localdate()
    report = wmo_report_record_ciz_outcome(
        acting_user=consultant,
        report=report,
        ciz_outcome=WmoReport.CizOutcome.GRANTED,
        ciz_outcome_on=today,
        ciz_note="Wlz-indicatie VV4.",
    )
    assert (report.ciz_outcome, report.ciz_outcome_on, report.ciz_note) == (
        "granted",
        today,
        "Wlz-indicatie VV4.",
    )
    closed = wmo_report_transition(acting_user=consultant, report=report, to_status=S.CLOSED)
    assert closed.close_reason == WmoReport.CloseReason.CIZ


def test_ciz_outcome_only_for_a_report_with_the_ciz(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError):
        wmo_report_record_ciz_outcome(
            acting_user=consultant, report=report, ciz_outcome="granted", ciz_outcome_on=timezone.localdate()
        )


def test_ciz_outcome_needs_an_outcome_and_a_date(consultant):
    report = WmoReportFactory(ciz=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError) as error:
        wmo_report_record_ciz_outcome(
            acting_user=consultant, report=report, ciz_outcome="pending", ciz_outcome_on=None
        )
    assert set(error.value.message_dict) == {"ciz_outcome", "ciz_outcome_on"}


# --- Suspending -----------------------------------------------------------------------------


def test_suspend_twice_is_refused(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    wmo_report_suspend(acting_user=consultant, report=report, reason=WmoSuspension.Reason.INFORMATION)
    with pytest.raises(ValidationError) as error:
        wmo_report_suspend(acting_user=consultant, report=report, reason=WmoSuspension.Reason.INFORMATION)
    assert error.value.messages == ["De termijn is al opgeschort; hervat hem eerst."]


def test_suspend_needs_a_running_deadline(consultant):
    report = WmoReportFactory(decided=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError):
        wmo_report_suspend(acting_user=consultant, report=report, reason=WmoSuspension.Reason.INFORMATION)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "holiday"}, "reason"),
        ({"reason": "other"}, "note"),
        ({"started_on": datetime.date(2000, 1, 1)}, "started_on"),
        ({"started_on": datetime.date.today() + datetime.timedelta(days=3)}, "started_on"),
    ],
)
def test_suspend_checks_its_input(consultant, kwargs, field):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    kwargs = {"reason": WmoSuspension.Reason.INFORMATION, **kwargs}
    with pytest.raises(ValidationError) as error:
        wmo_report_suspend(acting_user=consultant, report=report, **kwargs)
    assert list(error.value.message_dict) == [field]
    assert not WmoSuspension.objects.exists()


def test_suspensions_may_not_overlap(consultant):
    today = timezone.localdate()
    report = WmoReportFactory(
        investigation=True, desk=consultant.desks.first(), reported_on=today - datetime.timedelta(10)
    )
    wmo_report_suspend(
        acting_user=consultant, report=report, reason="information", started_on=today - datetime.timedelta(8)
    )
    wmo_report_resume(acting_user=consultant, report=report, ended_on=today - datetime.timedelta(4))
    with pytest.raises(ValidationError) as error:
        wmo_report_suspend(
            acting_user=consultant,
            report=report,
            reason="information",
            started_on=today - datetime.timedelta(6),
        )
    assert error.value.message_dict == {"started_on": ["Deze opschorting overlapt met een eerdere."]}


def test_resume_without_a_suspension_is_refused(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    with pytest.raises(ValidationError):
        wmo_report_resume(acting_user=consultant, report=report)


def test_resume_before_the_start_is_refused(consultant):
    report = WmoReportFactory(investigation=True, desk=consultant.desks.first())
    wmo_report_suspend(acting_user=consultant, report=report, reason="information")
    with pytest.raises(ValidationError) as error:
        wmo_report_resume(
            acting_user=consultant, report=report, ended_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    assert list(error.value.message_dict) == ["ended_on"]


# --- Closing for the register -----------------------------------------------------------------


def test_close_for_resident_closes_every_open_report_as_the_system(
    consultant, django_capture_on_commit_callbacks
):
    desk = consultant.desks.first()
    resident = ResidentFactory(registered_desk=desk)
    reported = WmoReportFactory(resident=resident, desk=desk)
    application = WmoReportFactory(resident=resident, desk=desk, application=True, consultant=consultant)
    investigation = WmoReportFactory(resident=resident, desk=desk, investigation=True, consultant=consultant)
    SupportTrajectoryFactory(report=investigation)
    wmo_report_suspend(acting_user=consultant, report=investigation, reason="information")
    decided_earlier = WmoReportFactory(resident=resident, desk=desk, closed=True)
    other_resident = WmoReportFactory(desk=desk)
    with django_capture_on_commit_callbacks(execute=True):
        count = wmo_reports_close_for_resident(resident=resident, reason=WmoReport.CloseReason.DECEASED)
    assert count == 3
    today = timezone.localdate()
    for report in (reported, application, investigation):
        report.refresh_from_db()
        assert (report.status, report.closed_on, report.close_reason) == (S.CLOSED, today, "deceased")
        row = report.status_history.order_by("-pk").first()
        assert (row.to_status, row.changed_by, row.note) == (S.CLOSED, None, "Inwoner overleden")
        log = AccessLog.objects.get(object_id=str(report.pk), action=AccessLog.Action.CHANGE, user=None)
        assert log.on_behalf_of == f"residents.resident#{resident.pk}"
    assert investigation.suspended_since is None
    assert investigation.suspensions.get().ended_on == today
    trajectory = investigation.support_trajectory
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.ended_on) == (SupportTrajectory.Status.ENDED, today)
    decided_earlier.refresh_from_db()
    assert decided_earlier.close_reason == WmoReport.CloseReason.DECIDED
    other_resident.refresh_from_db()
    assert other_resident.status == S.REPORTED
    # One mail for the consultant, listing both their reports, without resident data.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["consulent@loket.example"]
    assert f"Wmo-melding {application.pk}" in mail.outbox[0].body
    assert resident.surname not in mail.outbox[0].body
    # A second message from the register changes nothing.
    assert wmo_reports_close_for_resident(resident=resident, reason=WmoReport.CloseReason.DECEASED) == 0


def test_close_for_resident_moved_away(desk):
    resident = ResidentFactory(registered_desk=desk)
    report = WmoReportFactory(resident=resident, desk=desk, decided=True)
    assert wmo_reports_close_for_resident(resident=resident, reason=WmoReport.CloseReason.MOVED_AWAY) == 1
    report.refresh_from_db()
    assert (report.status, report.close_reason) == (S.CLOSED, "moved_away")


def test_close_for_resident_only_for_the_register_s_reasons(desk):
    with pytest.raises(ValueError):
        wmo_reports_close_for_resident(resident=ResidentFactory(registered_desk=desk), reason="other")


# --- The admin: read only, reads logged --------------------------------------------------------


def test_admin_shows_reports_read_only_and_logs_the_read(client, desk):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    report = WmoReportFactory(decided=True, desk=desk)
    client.force_login(admin_user)
    assert client.get(reverse("admin:wmo_wmoreport_changelist")).status_code == 200
    response = client.get(reverse("admin:wmo_wmoreport_change", args=[report.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert report.summary not in content  # free text about the resident is left out
    assert "Hulp bij het huishouden" in content  # the support asked for (inline)
    assert client.get(reverse("admin:wmo_wmoreport_add")).status_code == 403
    assert client.post(reverse("admin:wmo_wmoreport_delete", args=[report.pk])).status_code == 403
    log = AccessLog.objects.get(object_type="wmo.wmoreport", object_id=str(report.pk))
    assert (log.action, log.user, log.purpose) == (AccessLog.Action.READ, admin_user, "admin")
