"""The intake screen through the Django test client: what it shows, what it saves, what it refuses."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.contacts.models import Contact, FollowUp, LifeDomain, Question
from schakelpunt.residents.models import Resident
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import DeskFactory, LocationFactory
from tests.residents.factories import BSNS, ResidentFactory

pytestmark = pytest.mark.django_db

URL = "/intake/"


def intake_data(desk, **overrides) -> dict[str, str]:
    """What the browser sends for an anonymous phone question that was answered at once."""
    data = {
        "who": "anonymous",
        "desk": str(desk.pk),
        "channel": "phone",
        "location": "",
        "duration_minutes": "4",
        "asked_by": "resident",
        "asker_name": "",
        "vragen-TOTAL_FORMS": "1",
        "vragen-INITIAL_FORMS": "0",
        "vragen-MIN_NUM_FORMS": "1",
        "vragen-MAX_NUM_FORMS": "10",
        "vragen-0-question_text": "Waar kan ik een rollator lenen?",
        "vragen-0-clarification": "",
        "vragen-0-urgency": "normal",
        "vragen-0-status": "closed",
        "vragen-0-outcome": "information",
        "vragen-0-unmet_reason": "",
        "vragen-0-answer": "Bij de uitleenservice van de thuiszorgwinkel.",
        "vragen-0-minutes_spent": "4",
        "vragen-0-follow_up_date": "",
    }
    data.update(overrides)
    return data


def new_resident(**overrides) -> dict[str, str]:
    data = {
        "who": "new",
        "nieuw-bsn": BSNS[0],
        "nieuw-given_names": "Johanna",
        "nieuw-surname_prefix": "",
        "nieuw-surname": "Jansen",
        "nieuw-birth_date": "12-03-1948",
        "nieuw-postcode": "7511ab",
        "nieuw-house_number": "12",
        "nieuw-house_number_addition": "",
        "nieuw-street": "Marktstraat",
        "nieuw-town": "Enschede",
        "nieuw-phone": "053 123 45 67",
        "nieuw-email": "",
    }
    data.update(overrides)
    return data


def field_error(html: str, field_id: str) -> str:
    """The error text shown next to the field with this id (its ``<id>_error`` element)."""
    match = re.search(rf'id="{re.escape(field_id)}_error">(.*?)</div>', html, re.DOTALL)
    assert match, f"no error shown next to {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def nothing_saved() -> bool:
    return not (
        Contact.objects.exists()
        or Question.objects.exists()
        or FollowUp.objects.exists()
        or Resident.objects.exists()
    )


@pytest.fixture
def frontoffice(client, user_for):
    user = user_for("Frontoffice")
    client.force_login(user)
    return user


@pytest.fixture
def volunteer(client, user_for):
    user = user_for("Vrijwilliger")
    client.force_login(user)
    return user


# --- showing the screen ------------------------------------------------------------------------


def test_intake_screen_shows_search_contact_and_one_question(client, frontoffice, desk):
    LocationFactory(desk=desk, name="Stadskantoor")
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zoek inwoner" in html
    assert "Naam, geboortedatum (dd-mm-jjjj), postcode en huisnummer, of BSN" in html
    assert f'hx-post="{reverse("residents:search")}"' in html
    assert 'hx-trigger="submit, input changed delay:250ms from:#id_q"' in html
    # For whom: anonymous by default, or a new resident; nobody chosen yet.
    assert re.search(r'<input type="radio" name="who" value="anonymous"[^>]*checked>', html)
    assert 'name="who" value="known"' not in html
    assert 'name="nieuw-bsn"' in html
    # The contact: the only desk is a given, the phone the default channel.
    assert "Zorgloket Teststad" in html and 'type="hidden" name="desk"' in html
    assert '<option value="phone" selected>' in html
    assert "Stadskantoor" in html
    # One question with everything a front-office employee may fill in.
    assert 'name="vragen-TOTAL_FORMS" value="1"' in html
    for name in ("question_text", "clarification", "health_notes", "domains", "outcome", "follow_up_date"):
        assert f'name="vragen-0-{name}"' in html
    assert html.count('name="vragen-0-domains"') == LifeDomain.objects.filter(is_active=True).count()
    assert "Nog een vraag" in html and "Opslaan" in html
    assert "Ctrl+Enter of Alt+S" in html
    # JavaScript only from a file; the search field has the cursor.
    assert html.count("<script") == html.count('<script src="')
    assert "onclick" not in html and "hx-on" not in html
    assert 'src="/static/js/intake.js" defer' in html
    assert re.search(r'<input type="search" name="q"[^>]*autofocus', html)


def test_no_desk_no_form(client, user_for):
    client.force_login(user_for("Frontoffice", desks=[]))
    response = client.get(URL)
    assert response.status_code == 200
    assert "nog niet aan een loket gekoppeld" in response.content.decode()
    assert 'id="intake-form"' not in response.content.decode()


def test_several_desks_give_a_choice_and_a_location_must_belong_to_the_desk(client, user_for, desk):
    other = DeskFactory(name="Loket Noord")
    elsewhere = LocationFactory(desk=other, name="Wijkcentrum Noord")
    client.force_login(user_for("Frontoffice", desks=[desk, other]))
    html = client.get(URL).content.decode()
    assert '<select name="desk"' in html and "Kies een loket" in html
    assert '<optgroup label="Loket Noord">' in html

    response = client.post(URL, intake_data(desk, location=str(elsewhere.pk)))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "id_location") == "Deze locatie hoort niet bij dit loket."
    assert nothing_saved()


def test_partner_may_not_use_the_intake(client, user_for):
    client.force_login(user_for("Partner"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


# --- saving --------------------------------------------------------------------------------------


def test_anonymous_phone_question_is_saved_in_one_submit(client, frontoffice, desk):
    zorg = LifeDomain.objects.get(code="zorg")
    response = client.post(URL, intake_data(desk, **{"vragen-0-domains": [str(zorg.pk)]}))
    assert response.status_code == 302
    assert response["Location"] == URL  # no resident: a fresh intake screen
    contact = Contact.objects.get()
    assert (contact.desk, contact.channel, contact.resident, contact.handled_by) == (
        desk,
        Contact.Channel.PHONE,
        None,
        frontoffice,
    )
    # Asked by "the resident" without a resident is an anonymous contact.
    assert contact.asked_by == Contact.AskedBy.ANONYMOUS
    assert contact.duration_minutes == 4
    assert abs(contact.started_at - timezone.now()) < datetime.timedelta(minutes=1)
    question = contact.questions.get()
    assert question.status == Question.Status.CLOSED and question.outcome == Question.Outcome.INFORMATION
    assert question.closed_at is not None
    assert list(question.domains.all()) == [zorg]
    page = client.get(response["Location"]).content.decode()
    assert "Contact opgeslagen" in page
    assert not AccessLog.objects.exists()  # no personal data involved


def _resident_page(resident) -> str:
    try:
        return reverse("residents:detail", args=[resident.pk])
    except NoReverseMatch:
        return URL


def test_new_resident_with_bsn_and_question_are_saved_together(client, frontoffice, desk):
    due = timezone.localdate() + datetime.timedelta(days=2)
    data = intake_data(
        desk,
        **new_resident(),
        **{
            "vragen-0-question_text": "Ik kan de trap niet meer op.",
            "vragen-0-status": "open",
            "vragen-0-outcome": "",
            "vragen-0-health_notes": "Nieuwe heup sinds maart.",
            "vragen-0-follow_up_date": due.isoformat(),
        },
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert response["Location"] == _resident_page(resident)
    assert (resident.bsn, resident.surname, resident.birth_date, resident.postcode) == (
        BSNS[0],
        "Jansen",
        datetime.date(1948, 3, 12),
        "7511 AB",
    )
    assert resident.registered_desk == desk
    contact = Contact.objects.get()
    assert contact.resident == resident and contact.asked_by == Contact.AskedBy.RESIDENT
    question = contact.questions.get()
    assert question.resident == resident and question.health_notes == "Nieuwe heup sinds maart."
    assert question.follow_ups.get().due_date == due
    rows = set(AccessLog.objects.values_list("action", "object_type"))
    assert rows == {("create", "residents.resident"), ("create", "contacts.contact")}


def test_question_for_an_existing_resident(client, frontoffice, desk):
    resident = ResidentFactory(registered_desk=desk)
    response = client.post(URL, intake_data(desk, who="known", inwoner=str(resident.pk)))
    assert response.status_code == 302
    assert response["Location"] == _resident_page(resident)
    contact = Contact.objects.get()
    assert contact.resident == resident and contact.questions.get().resident == resident
    # Saving is logged by the service as a change on the resident's behalf, not as a read.
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.on_behalf_of) == (
        "create",
        "contacts.contact",
        f"residents.resident#{resident.pk}",
    )


def test_two_questions_in_one_contact_and_an_untouched_extra_block_is_ignored(client, frontoffice, desk):
    data = intake_data(
        desk,
        **{
            "vragen-TOTAL_FORMS": "3",
            "vragen-1-question_text": "En kan ik hulp krijgen bij de boodschappen?",
            "vragen-1-urgency": "soon",
            "vragen-1-status": "open",
            "vragen-1-outcome": "",
            "vragen-1-minutes_spent": "0",
            # Block 3 was added and left as it came.
            "vragen-2-question_text": "",
            "vragen-2-urgency": "normal",
            "vragen-2-status": "open",
            "vragen-2-outcome": "",
            "vragen-2-unmet_reason": "",
            "vragen-2-minutes_spent": "0",
        },
    )
    assert client.post(URL, data).status_code == 302
    texts = sorted(Question.objects.values_list("question_text", flat=True))
    assert texts == ["En kan ik hulp krijgen bij de boodschappen?", "Waar kan ik een rollator lenen?"]
    assert Contact.objects.count() == 1


def test_nog_een_vraag_without_javascript_adds_a_block_and_saves_nothing(client, frontoffice, desk):
    data = intake_data(
        desk, **{"vragen-0-question_text": "", "nog_een_vraag": "1", "asker_name": "Buurvrouw"}
    )
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="vragen-TOTAL_FORMS" value="2"' in html
    assert 'name="vragen-1-question_text"' in html
    assert re.search(r'<textarea name="vragen-1-question_text"[^>]*autofocus', html)
    assert 'value="Buurvrouw"' in html  # what was typed stays
    assert "_error" not in html and "Er is niets opgeslagen" not in html  # no complaints yet
    assert nothing_saved()


# --- bad input: a Dutch message next to the field, and nothing saved -------------------------------


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        (new_resident(**{"nieuw-bsn": "123456789"}), "id_nieuw-bsn", "Dit is geen geldig BSN"),
        (
            new_resident(**{"nieuw-birth_date": "31-02-1950"}),
            "id_nieuw-birth_date",
            "Dit is geen bestaande datum",
        ),
        (
            new_resident(**{"nieuw-birth_date": "01-01-2999"}),
            "id_nieuw-birth_date",
            "Een geboortedatum kan niet in de toekomst liggen.",
        ),
        (
            new_resident(**{"nieuw-postcode": "1234 A"}),
            "id_nieuw-postcode",
            "Vul een postcode in als 1234 AB",
        ),
        (new_resident(**{"nieuw-surname": ""}), "id_nieuw-surname", "Dit veld is vereist."),
        (
            {"vragen-0-question_text": "x" * 100_000},
            "id_vragen-0-question_text",
            "Zorg dat deze waarde niet meer dan 5000 tekens bevat (het zijn er nu 100000).",
        ),
        (
            {"asker_name": "x" * 100_000},
            "id_asker_name",
            "Zorg dat deze waarde niet meer dan 200 tekens bevat",
        ),
        ({"vragen-0-question_text": ""}, "id_vragen-0-question_text", "Dit veld is vereist."),
        (
            {"vragen-0-outcome": ""},
            "id_vragen-0-outcome",
            "Kies een uitkomst: een vraag kan alleen worden afgesloten met een uitkomst.",
        ),
        (
            {"vragen-0-outcome": "no_supply"},
            "id_vragen-0-unmet_reason",
            "Geef aan waarom er geen passend aanbod is.",
        ),
        (
            {"vragen-0-follow_up_date": "2000-01-01"},
            "id_vragen-0-follow_up_date",
            "Kies vandaag of een datum in de toekomst.",
        ),
        ({"duration_minutes": "veel"}, "id_duration_minutes", "Voer een geheel getal in."),
    ],
)
def test_bad_input_gets_a_dutch_message_next_to_the_field(
    client, frontoffice, desk, overrides, field_id, message
):
    response = client.post(URL, intake_data(desk, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in field_error(html, field_id)
    assert "Er is niets opgeslagen" in html
    assert nothing_saved()


def test_new_resident_data_with_anonymous_chosen_is_not_silently_dropped(client, frontoffice, desk):
    response = client.post(URL, intake_data(desk, **new_resident(who="anonymous")))
    assert response.status_code == 200
    assert "Kies ‘Nieuwe inwoner’" in field_error(response.content.decode(), "id_who")
    assert nothing_saved()


def test_a_bsn_already_in_use_is_refused_next_to_the_bsn(client, frontoffice, desk):
    ResidentFactory(registered_desk=desk, bsn=BSNS[0])
    response = client.post(URL, intake_data(desk, **new_resident()))
    assert response.status_code == 200
    assert (
        field_error(response.content.decode(), "id_nieuw-bsn") == "Er is al een actieve inwoner met dit BSN."
    )
    assert Resident.objects.count() == 1 and not Contact.objects.exists()


def test_new_resident_is_rolled_back_when_registering_the_contact_fails(
    client, frontoffice, desk, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"question_text": ["Deze vraag kan niet worden opgeslagen."]})

    monkeypatch.setattr("schakelpunt.contacts.views_intake.intake_register", refuse)
    response = client.post(URL, intake_data(desk, **new_resident()))
    assert response.status_code == 200
    assert field_error(response.content.decode(), "id_vragen-0-question_text") == (
        "Deze vraag kan niet worden opgeslagen."
    )
    assert nothing_saved()
    assert not AccessLog.objects.filter(action="create").exists()


def test_someone_elses_desk_cannot_be_posted(client, frontoffice, desk):
    response = client.post(URL, intake_data(DeskFactory()))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in field_error(response.content.decode(), "id_desk")
    assert nothing_saved()


# --- the chosen resident, and who sees what -----------------------------------------------------


def test_opening_a_resident_from_the_search_shows_it_and_logs_one_read(client, frontoffice, desk):
    resident = ResidentFactory(registered_desk=desk, bsn=BSNS[1], given_names="Johanna", surname="Jansen")
    response = client.get(URL, {"inwoner": resident.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="who" value="known"' in html and "checked" in html
    assert f'<input type="hidden" name="inwoner" value="{resident.pk}">' in html
    assert "Johanna Jansen" in html and "12-03-1948" in html and BSNS[1] in html
    assert "Marktstraat" in html
    assert re.search(r'<textarea name="vragen-0-question_text"[^>]*autofocus', html)
    row = AccessLog.objects.get()
    assert (row.action, row.object_type, row.object_id, row.purpose) == (
        "read",
        "residents.resident",
        str(resident.pk),
        "intake",
    )


def test_picking_a_result_with_htmx_returns_only_the_choice(client, frontoffice, desk):
    resident = ResidentFactory(registered_desk=desk)
    response = client.get(
        URL, {"inwoner": resident.pk}, headers={"HX-Request": "true", "HX-Target": "resident-choice"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<div id="resident-choice"')
    assert f'name="inwoner" value="{resident.pk}"' in html
    assert 'id="search-results" hx-swap-oob="innerHTML"' in html
    assert f"Gekozen: {resident.full_name}" in html
    assert "HX-Request" in response["Vary"]
    assert AccessLog.objects.get().action == "read"


def test_a_resident_of_another_desk_is_not_found(client, user_for, desk):
    stranger = ResidentFactory()  # another desk, another municipality
    client.force_login(user_for("Frontoffice"))
    assert client.get(URL, {"inwoner": stranger.pk}).status_code == 404
    assert client.get(URL, {"inwoner": "abc"}).status_code == 404
    assert client.post(URL, intake_data(desk, who="known", inwoner=str(stranger.pk))).status_code == 404
    assert not Contact.objects.exists()
    assert not AccessLog.objects.filter(action="read", result="success").exists()


def test_volunteer_sees_no_bsn_and_no_health_notes(client, volunteer, desk):
    resident = ResidentFactory(registered_desk=desk, bsn=BSNS[2])
    html = client.get(URL, {"inwoner": resident.pk}).content.decode()
    assert BSNS[2] not in html
    assert "BSN" not in re.search(r'id="resident-choice".*?</fieldset>', html, re.DOTALL).group()
    assert 'name="nieuw-bsn"' not in html
    assert "health_notes" not in html and "Gezondheidsnotities" not in html
    # Also not in the empty block that "Nog een vraag" copies.
    assert "__prefix__-question_text" in html and "__prefix__-health_notes" not in html


def test_volunteer_saves_without_health_notes_even_when_posted(client, volunteer, desk):
    data = intake_data(desk, **{"vragen-0-health_notes": "diabetes"})
    assert client.post(URL, data).status_code == 302
    assert Question.objects.get().health_notes == ""


def test_volunteer_registers_a_new_resident_without_bsn(client, volunteer, desk):
    data = intake_data(desk, **new_resident(**{"nieuw-bsn": BSNS[3]}))
    assert client.post(URL, data).status_code == 302
    assert Resident.objects.get().bsn == ""  # the field is not there for them; a posted value is ignored


# --- query counts --------------------------------------------------------------------------------


def _count_queries(client, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, *args).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_residents_history(client, frontoffice, desk):
    LocationFactory(desk=desk)
    resident = ResidentFactory(registered_desk=desk)
    QuestionFactory(contact=ContactFactory(desk=desk, resident=resident))
    empty = _count_queries(client)
    chosen = _count_queries(client, {"inwoner": resident.pk})
    for _ in range(49):
        QuestionFactory(contact=ContactFactory(desk=desk, resident=resident))
    assert _count_queries(client) == empty
    assert _count_queries(client, {"inwoner": resident.pk}) == chosen
    # GET /intake/: the session, the user, the user's own and group permissions (2), the
    # user's desks, their locations (one prefetch), the active life domains = 7; and the
    # session's new expiry written back (savepoint, update, release) = 10.
    assert empty == 6
    # GET /intake/?inwoner=<pk>: the same 10, plus the resident through the access rules (one
    # query with municipality, district and desk), the user's roles for the access log and the
    # access-log row = 13.
    assert chosen == 8
