"""The Wmo pages: making a report, the report page (whole and status only), each handling step
(happy and unhappy), the work list and the overview, what each role sees, the access log, the
question page, intake and the timeline, and what the lists cost in queries."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Question
from schakelpunt.wmo.models import SupportTrajectory, WmoReport, WmoStatusChange, WmoSuspension
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory
from tests.residents.factories import ResidentFactory
from tests.wmo.factories import WmoReportFactory

S = WmoReport.Status
TODAY = datetime.date(2025, 3, 12)  # a Wednesday, far from any public holiday
SUMMARY = "Mevrouw kan het huishouden niet meer alleen doen sinds haar heupoperatie."
CONVERSATION = "Keukentafelgesprek met mevrouw en haar dochter: hulp bij het schoonmaken gewenst."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2025, 3, 12, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def front_office(user_for):
    return user_for("Frontoffice", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def consultant(user_for):
    return user_for("Consulent", first_name="Kees", last_name="Consulent")


@pytest.fixture
def coordinator(user_for):
    return user_for("Coördinator", first_name="Carla", last_name="Coördinator")


@pytest.fixture
def resident(desk):
    return ResidentFactory(registered_desk=desk, given_names="Johanna", surname="Jansen")


@pytest.fixture
def question(desk, front_office, resident):
    return QuestionFactory(
        contact=ContactFactory(desk=desk, resident=resident, handled_by=front_office),
        question_text="Ik red het huishouden niet meer sinds mijn heupoperatie.",
    )


def report_for(desk, resident=None, **kwargs):
    kwargs.setdefault("summary", SUMMARY)
    if resident is not None:
        kwargs["resident"] = resident
    return WmoReportFactory(desk=desk, **kwargs)


def form_data(**overrides) -> dict:
    data = {
        "reported_on": "12-03-2025",
        "reporter": "resident",
        "reporter_name": "",
        "support_types": ["household", "aids"],
        "description_aids": "Douchestoel",
        "summary": SUMMARY,
        "client_support_offered": "yes",
        "client_support_accepted": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def step_url(report, slug: str) -> str:
    return reverse("wmo:step", args=[report.pk, slug])


def error_of(response, field: str) -> str:
    """The error text tied to a field (the element the field's aria-describedby points at)."""
    match = re.search(rf'id="id_{field}_error">(.*?)</div>', response.text, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


# --- making a report ----------------------------------------------------------------------------


def test_front_office_makes_a_report_from_a_question(client, desk, front_office, question):
    client.force_login(front_office)
    url = reverse("wmo:create-from-question", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ik red het huishouden niet meer" in page.text  # the summary starts from the question
    assert "artikel 2.3.2, derde lid" in page.text
    # No answer is chosen beforehand: the question must be answered.
    assert not re.search(r'name="client_support_offered"[^>]*checked', page.text)

    response = client.post(url, form_data(desk=desk.pk))
    report = WmoReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wmo:detail", args=[report.pk])
    assert report.question == question and report.resident == question.resident
    assert report.due_investigation == datetime.date(2025, 4, 23)  # six weeks, a Wednesday
    assert sorted(report.support_requests.values_list("support_type", "description")) == [
        ("aids", "Douchestoel"),
        ("household", ""),
    ]
    assert report.client_support_offered and report.client_support_accepted
    assert SupportTrajectory.objects.filter(report=report).exists()
    question.refresh_from_db()
    assert question.outcome == Question.Outcome.WMO_REPORT

    # The front office lands on the status page: phase and deadlines, none of the content.
    page = client.get(response.url)
    assert "Gemeld" in page.text and "23-4-2025" in page.text
    assert SUMMARY not in page.text and "Douchestoel" not in page.text


def test_the_client_support_question_must_be_answered(client, desk, front_office, question):
    client.force_login(front_office)
    response = client.post(
        reverse("wmo:create-from-question", args=[question.pk]),
        form_data(desk=desk.pk, client_support_offered=None, client_support_accepted=None),
    )
    assert response.status_code == 200
    assert "Geef aan of gratis onafhankelijke cliëntondersteuning is aangeboden" in error_of(
        response, "client_support_offered"
    )
    assert 'aria-describedby="client-support-law id_client_support_offered_error"' in response.text
    assert not WmoReport.objects.exists()


def test_offered_support_needs_the_residents_answer(client, desk, front_office, question):
    client.force_login(front_office)
    response = client.post(
        reverse("wmo:create-from-question", args=[question.pk]),
        form_data(desk=desk.pk, client_support_accepted=None),
    )
    assert response.status_code == 200
    assert "Geef aan of de inwoner cliëntondersteuning wil" in error_of(response, "client_support_accepted")
    # Not offered: the second answer does not count.
    response = client.post(
        reverse("wmo:create-from-question", args=[question.pk]),
        form_data(desk=desk.pk, client_support_offered="no", client_support_accepted="yes"),
    )
    assert response.status_code == 302
    report = WmoReport.objects.get()
    assert report.client_support_offered is False and report.client_support_accepted is None
    assert not SupportTrajectory.objects.exists()


def test_the_form_shows_what_is_missing_next_to_the_fields(client, desk, front_office, question):
    client.force_login(front_office)
    response = client.post(
        reverse("wmo:create-from-question", args=[question.pk]),
        form_data(desk=desk.pk, support_types=None, summary="", reporter="informal_carer"),
    )
    assert response.status_code == 200
    assert "Kies ten minste één soort ondersteuning" in error_of(response, "support_types")
    assert "Beschrijf waar de inwoner ondersteuning bij nodig heeft" in error_of(response, "summary")
    assert "Vul de naam in van wie de melding deed" in error_of(response, "reporter_name")


def test_the_services_errors_show_next_to_their_field(client, desk, front_office, question):
    client.force_login(front_office)
    response = client.post(
        reverse("wmo:create-from-question", args=[question.pk]),
        form_data(desk=desk.pk, reported_on="13-03-2025"),
    )
    assert response.status_code == 200
    assert "Deze datum ligt in de toekomst" in error_of(response, "reported_on")
    assert not WmoReport.objects.exists()


def test_an_anonymous_question_cannot_become_a_report(client, desk, front_office):
    question = QuestionFactory(contact=ContactFactory(desk=desk, resident=None, handled_by=front_office))
    client.force_login(front_office)
    response = client.get(reverse("wmo:create-from-question", args=[question.pk]), follow=True)
    assert "Een anonieme vraag kan geen Wmo-melding worden" in response.text


def test_a_report_straight_from_the_residents_page(client, desk, front_office, resident):
    client.force_login(front_office)
    page = client.get(reverse("residents:detail", args=[resident.pk]))
    url = reverse("wmo:create-for-resident", args=[resident.pk])
    assert url in page.text
    response = client.post(
        url, form_data(desk=desk.pk, reporter="professional", reporter_name="Huisarts Bos")
    )
    report = WmoReport.objects.get()
    assert response.status_code == 302
    assert report.question is None and report.reporter_name == "Huisarts Bos"


def test_a_second_report_for_the_same_resident_is_pointed_out(client, desk, front_office, resident):
    earlier = report_for(desk, resident)
    client.force_login(front_office)
    page = client.get(reverse("wmo:create-for-resident", args=[resident.pk]))
    assert "Er loopt al een Wmo-melding voor deze inwoner" in page.text
    assert reverse("wmo:detail", args=[earlier.pk]) in page.text


# --- the question page and intake ---------------------------------------------------------------


def test_question_page_offers_the_report_when_the_outcome_fits(client, front_office, question):
    client.force_login(front_office)
    url = reverse("wmo:create-from-question", args=[question.pk])
    assert url in client.get(reverse("contacts:question", args=[question.pk])).text  # no outcome yet
    Question.objects.filter(pk=question.pk).update(outcome=Question.Outcome.ADVICE)
    assert url not in client.get(reverse("contacts:question", args=[question.pk])).text
    Question.objects.filter(pk=question.pk).update(outcome=Question.Outcome.WMO_REPORT)
    page = client.get(reverse("contacts:question", args=[question.pk])).text
    assert url in page and "de melding is nog niet gemaakt" in page


def test_question_page_links_the_report_made_from_it(client, desk, front_office, question):
    report = report_for(desk, question.resident, question=question)
    client.force_login(front_office)
    page = client.get(reverse("contacts:question", args=[question.pk])).text
    assert reverse("wmo:detail", args=[report.pk]) in page
    assert reverse("wmo:create-from-question", args=[question.pk]) not in page


def test_intake_continues_with_the_report_form(client, desk, front_office, resident):
    client.force_login(front_office)
    response = client.post(
        reverse("contacts:intake"),
        {
            "who": "known",
            "inwoner": str(resident.pk),
            "desk": str(desk.pk),
            "channel": "desk",
            "location": "",
            "duration_minutes": "10",
            "asked_by": "resident",
            "asker_name": "",
            "vragen-TOTAL_FORMS": "1",
            "vragen-INITIAL_FORMS": "0",
            "vragen-MIN_NUM_FORMS": "1",
            "vragen-MAX_NUM_FORMS": "10",
            "vragen-0-question_text": "Ik kan mijn huis niet meer schoonhouden.",
            "vragen-0-clarification": "",
            "vragen-0-urgency": "normal",
            "vragen-0-status": "closed",
            "vragen-0-outcome": "wmo_report",
            "vragen-0-unmet_reason": "",
            "vragen-0-answer": "Wmo-melding gemaakt.",
            "vragen-0-minutes_spent": "10",
            "vragen-0-follow_up_date": "",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302, response.text
    assert response.url == reverse("wmo:create-from-question", args=[question.pk])


# --- the report page: whole or status only ------------------------------------------------------


def test_a_consultant_sees_the_whole_report_and_it_is_logged(client, desk, consultant, resident):
    report = report_for(desk, resident, application=True)
    client.force_login(consultant)
    page = client.get(reverse("wmo:detail", args=[report.pk]))
    assert page.status_code == 200
    assert SUMMARY in page.text and report.conversation_report in page.text
    assert "Aanvraag ontvangen" in page.text
    row = AccessLog.objects.filter(object_type="wmo.wmoreport", object_id=str(report.pk)).get()
    assert row.action == "read" and row.purpose == "wmo" and row.username == consultant.username
    assert row.on_behalf_of == f"residents.resident#{resident.pk}"


def test_the_front_office_sees_the_status_only(client, desk, front_office, resident):
    report = report_for(desk, resident, application=True)
    client.force_login(front_office)
    page = client.get(reverse("wmo:detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Aanvraag ontvangen" in page.text  # the phase
    assert report.consultant.get_full_name() in page.text
    assert report.due_decision.strftime("%-d-%-m-%Y") in page.text
    for content in (SUMMARY, report.conversation_report, "Hulp bij het huishouden", "Verloop"):
        assert content not in page.text
    assert 'action="/wmo/' not in page.text  # no handling steps
    row = AccessLog.objects.filter(object_type="wmo.wmoreport", object_id=str(report.pk)).get()
    assert row.purpose == "wmo-status"
    # The steps refuse the front office (no permission to work reports).
    response = client.post(step_url(report, "besluit"), {"version": report.version})
    assert response.status_code == 403


def test_another_desks_report_is_not_found(client, consultant, front_office):
    other = report_for(DeskFactory())
    for user in (consultant, front_office):
        client.force_login(user)
        assert client.get(reverse("wmo:detail", args=[other.pk])).status_code == 404
    client.force_login(consultant)
    response = client.post(
        step_url(other, "oppakken"), {"version": other.version, "consultant": consultant.pk}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == S.REPORTED and other.consultant is None


def test_overdue_and_due_this_week_are_coloured(client, desk, consultant):
    overdue = report_for(desk, reported_on=TODAY - datetime.timedelta(days=50))
    soon = report_for(desk, reported_on=TODAY - datetime.timedelta(days=40))
    client.force_login(consultant)
    page = client.get(reverse("wmo:detail", args=[overdue.pk])).text
    assert "utrecht-status-badge--danger" in page and "Te laat" in page
    page = client.get(reverse("wmo:detail", args=[soon.pk])).text
    assert "utrecht-status-badge--warning" in page and "Deze week" in page and "Te laat" not in page


# --- the handling steps ---------------------------------------------------------------------------


def test_pick_up_starts_the_investigation(client, desk, consultant, resident):
    report = report_for(desk, resident)
    client.force_login(consultant)
    response = client.post(
        step_url(report, "oppakken"), {"version": report.version, "consultant": consultant.pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.INVESTIGATION and report.consultant == consultant
    page = client.get(response.url).text
    assert "De melding is opgepakt" in page


def test_pick_up_without_a_consultant_says_so(client, desk, consultant, resident):
    report = report_for(desk, resident)
    client.force_login(consultant)
    response = client.post(step_url(report, "oppakken"), {"version": report.version, "consultant": ""})
    assert response.status_code == 200
    assert "Kies de consulent die het onderzoek doet" in error_of(response, "consultant")
    assert '<details class="sp-card sp-action" id="stap-oppakken" open>' in response.text
    report.refresh_from_db()
    assert report.status == S.REPORTED


def test_assign_to_another_consultant(client, desk, consultant, user_for, resident):
    colleague = user_for("Consulent", first_name="Ria")
    report = report_for(desk, resident, investigation=True, consultant=consultant)
    client.force_login(consultant)
    response = client.post(
        step_url(report, "toewijzen"), {"version": report.version, "consultant": colleague.pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.consultant == colleague
    # Someone outside the desk cannot get the report.
    outsider = user_for("Consulent", desks=[DeskFactory()])
    response = client.post(
        step_url(report, "toewijzen"), {"version": report.version, "consultant": outsider.pk}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in error_of(response, "consultant")


def test_record_the_conversation(client, desk, consultant, resident):
    report = report_for(
        desk,
        resident,
        investigation=True,
        consultant=consultant,
        reported_on=TODAY - datetime.timedelta(days=5),
    )
    client.force_login(consultant)
    url = step_url(report, "gesprek")
    response = client.post(url, {"version": report.version, "conversation_on": "13-03-2025"})
    assert response.status_code == 200
    assert "Deze datum ligt in de toekomst" in error_of(response, "conversation_on")
    response = client.post(url, {"version": report.version})
    assert response.status_code == 200
    assert "Vul ten minste de datum van het gesprek" in response.text
    response = client.post(
        url,
        {
            "version": report.version,
            "conversation_on": "11-03-2025",
            "conversation_report": CONVERSATION,
            "personal_plan_received_on": "10-03-2025",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.conversation_on == datetime.date(2025, 3, 11)
    assert report.conversation_report == CONVERSATION
    assert report.personal_plan_received_on == datetime.date(2025, 3, 10)


def test_the_application_needs_the_conversation_first(client, desk, consultant, resident):
    report = report_for(desk, resident, investigation=True, consultant=consultant)
    client.force_login(consultant)
    url = step_url(report, "aanvraag")
    response = client.post(url, {"version": report.version, "application_received_on": "12-03-2025"})
    assert response.status_code == 200
    assert "Leg eerst het verslag van het gesprek vast" in response.text
    WmoReport.objects.filter(pk=report.pk).update(conversation_on=TODAY, conversation_report=CONVERSATION)
    response = client.post(url, {"version": report.version, "application_received_on": "12-03-2025"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.APPLICATION
    assert report.due_decision == datetime.date(2025, 3, 26)  # two weeks


def test_no_application_step_before_the_six_weeks_without_investigation(client, desk, consultant, resident):
    report = report_for(desk, resident)
    client.force_login(consultant)
    page = client.get(reverse("wmo:detail", args=[report.pk])).text
    assert step_url(report, "aanvraag") not in page
    late = report_for(desk, reported_on=TODAY - datetime.timedelta(days=50))
    assert step_url(late, "aanvraag") in client.get(reverse("wmo:detail", args=[late.pk])).text


def test_the_decision_per_support_type(client, desk, consultant, resident):
    report = report_for(desk, resident, application=True, support_types=["household", "aids"])
    client.force_login(consultant)
    url = step_url(report, "besluit")
    response = client.post(
        url,
        {
            "version": report.version,
            "decided_on": "12-03-2025",
            "decision_note": "Huishoudelijke hulp toegekend, douchestoel afgewezen.",
            "decision_household": "granted",
        },
    )
    assert response.status_code == 200
    assert "Kies wat er over deze ondersteuning is besloten" in error_of(response, "decision_aids")
    response = client.post(
        url,
        {
            "version": report.version,
            "decided_on": "12-03-2025",
            "decision_note": "Huishoudelijke hulp toegekend, douchestoel afgewezen.",
            "decision_household": "granted",
            "what_household": "3 uur per week",
            "decision_aids": "refused",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.DECIDED and report.decision == WmoReport.Decision.PARTLY
    assert dict(report.support_requests.values_list("support_type", "decision")) == {
        "household": "granted",
        "aids": "refused",
    }
    page = client.get(reverse("wmo:detail", args=[report.pk])).text
    assert "3 uur per week" in page and "Gedeeltelijk toegekend" in page


def test_refer_to_the_ciz_record_its_outcome_and_close(client, desk, consultant, resident):
    report = report_for(desk, resident, investigation=True, consultant=consultant)
    client.force_login(consultant)
    response = client.post(
        step_url(report, "ciz"), {"version": report.version, "ciz_referred_on": "12-03-2025"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.CIZ
    # Closing before the CIZ's outcome is known is refused, with the reason on top of the form.
    response = client.post(step_url(report, "afsluiten"), {"version": report.version, "close_reason": "ciz"})
    assert response.status_code == 200
    assert "Leg eerst de uitkomst van het CIZ vast" in response.text
    response = client.post(
        step_url(report, "ciz-uitkomst"), {"version": report.version, "ciz_outcome_on": "12-03-2025"}
    )
    assert response.status_code == 200
    assert "Kies de uitkomst van het CIZ" in error_of(response, "ciz_outcome")
    response = client.post(
        step_url(report, "ciz-uitkomst"),
        {"version": report.version, "ciz_outcome": "granted", "ciz_outcome_on": "12-03-2025"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    response = client.post(step_url(report, "afsluiten"), {"version": report.version, "close_reason": "ciz"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.close_reason == "ciz"


def test_withdraw_needs_a_note(client, desk, consultant, resident):
    report = report_for(desk, resident, investigation=True, consultant=consultant)
    client.force_login(consultant)
    response = client.post(step_url(report, "intrekken"), {"version": report.version, "note": ""})
    assert response.status_code == 200
    assert "Schrijf op wie de melding introk en waarom" in error_of(response, "note")
    response = client.post(
        step_url(report, "intrekken"),
        {"version": report.version, "note": "Mevrouw heeft hulp van haar buren."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.WITHDRAWN
    assert report.status_history.last().note == "Mevrouw heeft hulp van haar buren."


def test_suspend_and_resume_move_the_deadline(client, desk, consultant, resident):
    report = report_for(desk, resident, investigation=True, consultant=consultant, reported_on=TODAY)
    client.force_login(consultant)
    response = client.post(
        step_url(report, "opschorten"), {"version": report.version, "started_on": "12-03-2025"}
    )
    assert response.status_code == 200
    assert "Kies waarom de termijn wordt opgeschort" in error_of(response, "reason")
    response = client.post(
        step_url(report, "opschorten"),
        {"version": report.version, "reason": "information", "started_on": "12-03-2025"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_suspended
    page = client.get(reverse("wmo:detail", args=[report.pk])).text
    assert "Opgeschort sinds 12-3-2025" in page
    assert step_url(report, "hervatten") in page and step_url(report, "opschorten") not in page
    with time_machine.travel(datetime.datetime(2025, 3, 19, 10, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(consultant)  # a week later: a new session
        response = client.post(
            step_url(report, "hervatten"), {"version": report.version, "ended_on": "19-03-2025"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert not report.is_suspended
    assert report.due_investigation == datetime.date(2025, 4, 30)  # moved by seven days
    assert WmoSuspension.objects.get(report=report).days == 7


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, desk, consultant, resident):
    report = report_for(desk, resident, investigation=True, consultant=consultant)
    opened = report.version
    WmoReport.objects.filter(pk=report.pk).update(version=opened + 1)  # someone else saved
    client.force_login(consultant)
    response = client.post(
        step_url(report, "gesprek"),
        {"version": opened, "conversation_on": "11-03-2025", "conversation_report": CONVERSATION},
    )
    assert response.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in response.text
    assert CONVERSATION in response.text  # still in the form, to send again
    assert f'name="version" value="{opened + 1}"' in response.text
    report.refresh_from_db()
    assert report.conversation_report == ""


def test_a_step_that_does_not_fit_the_phase_is_refused(client, desk, consultant, resident):
    report = report_for(desk, resident, closed=True)
    client.force_login(consultant)
    page = client.get(reverse("wmo:detail", args=[report.pk])).text
    assert "Verder met deze melding" not in page
    response = client.post(
        step_url(report, "intrekken"), {"version": report.version, "note": "x"}, follow=True
    )
    assert "Dit kan niet (meer) in deze fase van de melding" in response.text
    assert client.post(step_url(report, "onbekend"), {"version": report.version}).status_code == 404


# --- the work list and the overview ---------------------------------------------------------------


def test_my_work_list_by_deadline_with_colours(client, desk, consultant):
    later = report_for(
        desk, investigation=True, consultant=consultant, reported_on=TODAY - datetime.timedelta(days=1)
    )
    overdue = report_for(
        desk, investigation=True, consultant=consultant, reported_on=TODAY - datetime.timedelta(days=50)
    )
    soon = report_for(
        desk, investigation=True, consultant=consultant, reported_on=TODAY - datetime.timedelta(days=40)
    )
    report_for(desk, investigation=True)  # someone else's
    client.force_login(consultant)
    page = client.get(reverse("wmo:work")).text
    order = [int(pk) for pk in re.findall(r'href="/wmo/(\d+)/"', page)]
    assert order == [overdue.pk, soon.pk, later.pk]
    assert "Te laat" in page and "Deze week" in page
    assert "Mijn Wmo-meldingen (3)" in page
    assert AccessLog.objects.filter(
        purpose="wmo-worklist", action="search", username=consultant.username
    ).exists()


def test_the_team_picks_up_unassigned_reports_from_the_list(client, desk, consultant):
    waiting = report_for(desk)
    report_for(desk, investigation=True)  # already picked up
    client.force_login(consultant)
    page = client.get(reverse("wmo:work"), {"lijst": "oppakken"}).text
    assert "Op te pakken door het team (1)" in page
    assert step_url(waiting, "oppakken") in page
    response = client.post(
        step_url(waiting, "oppakken"), {"version": waiting.version, "consultant": consultant.pk}
    )
    assert response.status_code == 302
    page = client.get(reverse("wmo:work"), {"lijst": "oppakken"}).text
    assert "Er liggen geen meldingen klaar om op te pakken." in page


def test_empty_work_list_says_so(client, consultant):
    client.force_login(consultant)
    assert "U heeft geen open Wmo-meldingen." in client.get(reverse("wmo:work")).text


def test_the_coordinators_overview(client, desk, coordinator, consultant):
    report_for(desk, reported_on=TODAY - datetime.timedelta(days=50))  # overdue, not picked up
    mine = report_for(desk, investigation=True, consultant=consultant)
    report_for(desk, closed=True)
    report_for(DeskFactory())  # another desk's
    client.force_login(coordinator)
    page = client.get(reverse("wmo:overview"))
    assert page.status_code == 200
    assert "2 meldingen, de oudste bovenaan." in page.text
    rows = re.findall(r'href="/wmo/(\d+)/"', page.text)
    assert len(rows) == 2
    filtered = client.get(reverse("wmo:overview"), {"consulent": consultant.pk}).text
    assert re.findall(r'href="/wmo/(\d+)/"', filtered) == [str(mine.pk)]
    filtered = client.get(reverse("wmo:overview"), {"fase": "application"}).text
    assert "Geen open meldingen met deze filters." in filtered
    assert AccessLog.objects.filter(purpose="wmo-overview", action="search").count() == 3


def test_only_the_coordinator_has_the_overview(client, consultant, front_office):
    for user in (consultant, front_office):
        client.force_login(user)
        assert client.get(reverse("wmo:overview")).status_code == 403
    client.force_login(front_office)
    assert client.get(reverse("wmo:work")).status_code == 403


@pytest.mark.parametrize("count", [1, 20])
def test_work_list_query_count_is_constant(client, desk, consultant, django_assert_num_queries, count):
    for _ in range(count):
        report_for(desk, investigation=True, consultant=consultant, support_types=["household", "aids"])
    client.force_login(consultant)
    client.get(reverse("wmo:work"))  # warm up: the content types and permissions caches
    # session, user, two permission reads, the count of the current list, the page's rows
    # (resident, desk and consultant joined), their support requests, the counts of the other
    # two lists, the user's groups and the access-log row, the session save (savepoint,
    # update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("wmo:work"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_overview_query_count_is_constant(client, desk, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        report_for(desk, reported_on=TODAY - datetime.timedelta(days=count))
    client.force_login(coordinator)
    client.get(reverse("wmo:overview"))
    # session, user, two permission reads, the consultants for the filter, the count and the
    # page's rows with their support requests, the per-phase summary (one grouped query), the
    # user's groups and the access-log row, the session save (three).
    with django_assert_num_queries(9):
        response = client.get(reverse("wmo:overview"))
    assert response.status_code == 200


def test_detail_query_count(client, desk, consultant, resident, django_assert_num_queries):
    report = report_for(desk, resident, application=True, support_types=["household", "aids"])
    client.force_login(consultant)
    client.get(reverse("wmo:detail", args=[report.pk]))
    # session, user, two permission reads, the report with everything it shows joined, its
    # support requests, suspensions and status history (with who), the user's groups and the
    # access-log row, the documents, the consultants for the assign form, the session save
    # (savepoint, update, release). (The client-support trajectory is read only when the
    # resident asked for it.)
    with django_assert_num_queries(10):
        response = client.get(reverse("wmo:detail", args=[report.pk]))
    assert response.status_code == 200


def test_status_page_query_count(client, desk, front_office, resident, django_assert_num_queries):
    report = report_for(desk, resident, application=True)
    client.force_login(front_office)
    client.get(reverse("wmo:detail", args=[report.pk]))
    # session, user, two permission reads, the report's status fields (desk and consultant
    # joined), the user's groups and the access-log row, the resident's name, the session save
    # (savepoint, update, release). Nothing of the content is read.
    with django_assert_num_queries(6):
        response = client.get(reverse("wmo:detail", args=[report.pk]))
    assert response.status_code == 200


# --- the timeline ---------------------------------------------------------------------------------


def test_the_timeline_shows_the_whole_chain(client, desk, consultant, front_office, question):
    report_for(desk, question.resident, question=question, decided=True)
    url = reverse("residents:detail", args=[question.resident_id])
    client.force_login(consultant)
    page = client.get(url).text
    kinds = re.findall(r'data-kind="(\w+)"', page)
    assert kinds.count("wmo") == 4  # reported, investigation, application, decided
    assert "question" in kinds
    for phase in ("gedaan", ": In onderzoek", ": Aanvraag ontvangen", ": Besluit genomen"):
        assert phase in page
    assert SUMMARY[:40] in page and "Drie uur hulp bij het huishouden" in page
    # The front office sees the phases, not the content.
    client.force_login(front_office)
    page = client.get(url).text
    assert re.findall(r'data-kind="(\w+)"', page).count("wmo") == 4
    assert SUMMARY[:40] not in page and "Drie uur hulp bij het huishouden" not in page


def test_the_timeline_leaves_out_other_desks_reports(client, desk, front_office, resident):
    report_for(DeskFactory(), resident)
    client.force_login(front_office)
    page = client.get(reverse("residents:detail", args=[resident.pk])).text
    assert 'data-kind="wmo"' not in page


def test_navigation_shows_wmo_to_who_sees_reports(client, consultant, front_office):
    client.force_login(consultant)
    assert 'href="/wmo/">Wmo-meldingen' in client.get("/").text
    client.force_login(front_office)
    assert "Wmo-meldingen" not in client.get("/").text


def test_every_status_change_of_the_factories_shows(desk):
    """The factories' history rows are what the timeline reads: a guard for the tests above."""
    report = report_for(desk, decided=True)
    assert list(report.status_history.values_list("to_status", flat=True)) == [
        S.REPORTED,
        S.INVESTIGATION,
        S.APPLICATION,
        S.DECIDED,
    ]
    assert WmoStatusChange.objects.count() == 4
