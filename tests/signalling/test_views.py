"""The signal pages: who sees which signals, what they see of the evidence, and the forms."""

import pytest
from django.urls import reverse

from schakelpunt.audit.models import AccessLog
from schakelpunt.organisations.selectors import municipalities_of
from schakelpunt.signalling.models import Signal
from tests.organisations.factories import (
    DeskFactory,
    DistrictFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from tests.signalling.factories import SignalFactory, UnmetNeedFactory

pytestmark = pytest.mark.django_db
S = Signal.Status


def titles(response) -> list[str]:
    return [signal.title for signal in response.context["page"].object_list]


# --- Who sees what ------------------------------------------------------------------------------


def test_municipalities_of_a_user(user_for, desk, municipality, municipality_org):
    """A municipality's own staff work for that municipality, desk or not; others for the
    municipalities their desks serve; a partner at no desk for none."""
    other = MunicipalityFactory()
    desk.municipalities.add(other)
    assert set(municipalities_of(user_for("Coördinator", organisation=None))) == {municipality, other}
    assert list(municipalities_of(user_for("Beleidsmedewerker", desks=[]))) == [municipality]
    assert list(municipalities_of(user_for("Beleidsmedewerker"))) == [municipality]
    assert list(municipalities_of(user_for("Partner", organisation=OrganisationFactory(), desks=[]))) == []


def test_a_coordinator_sees_the_signals_of_their_desks_only(client, coordinator, desk):
    SignalFactory(desk=desk, title="Van ons loket")
    SignalFactory(desk=desk, title="Ons voorstel", status=S.DISMISSED)
    theirs = SignalFactory(
        desk=DeskFactory(municipalities=[desk.municipalities.first()]), title="Van het andere loket"
    )
    client.force_login(coordinator)
    response = client.get(reverse("signalling:list"))
    assert sorted(titles(response)) == ["Ons voorstel", "Van ons loket"]
    assert client.get(reverse("signalling:detail", args=[theirs.pk])).status_code == 404


def test_policy_sees_sent_signals_to_its_municipality_and_only_counts(
    client, policy, desk, municipality, partner_org, no_supply
):
    evidence = [no_supply() for _ in range(3)]
    need = UnmetNeedFactory(referral__question=evidence[0], referral__referring_desk=desk)
    ours = SignalFactory(
        desk=desk, sent=True, title="Aan onze gemeente", questions=evidence, unmet_needs=[need]
    )
    SignalFactory(desk=desk, title="Nog een voorstel")  # stays at the desk
    SignalFactory(desk=desk, sent=True, addressed_to=partner_org, title="Aan een partner")
    elsewhere = DeskFactory()
    other = SignalFactory(desk=elsewhere, sent=True, title="Aan een andere gemeente")
    client.force_login(policy)
    response = client.get(reverse("signalling:list"))
    assert titles(response) == ["Aan onze gemeente"]
    assert response.context["page"].object_list[0].shown_questions == "< 5"
    assert client.get(reverse("signalling:detail", args=[other.pk])).status_code == 404

    response = client.get(reverse("signalling:detail", args=[ours.pk]))
    html = response.content.decode()
    assert response.context["counts"] == {"questions": "< 5", "unmet_needs": "< 5", "residents": "< 5"}
    # No rows, no names, no links to questions or referrals.
    assert response.context["questions"] is None and response.context["needs"] is None
    assert "/vragen/" not in html and "/verwijzingen/" not in html
    assert not any(question.resident.surname in html for question in evidence)
    assert not AccessLog.objects.filter(object_type="contacts.question").exists()


def test_policy_sees_counts_of_five_and_more(client, policy, desk, no_supply):
    ours = SignalFactory(desk=desk, sent=True, questions=[no_supply() for _ in range(5)])
    client.force_login(policy)
    response = client.get(reverse("signalling:detail", args=[ours.pk]))
    assert response.context["counts"] == {"questions": "5", "unmet_needs": "0", "residents": "5"}


def test_a_partner_sees_only_signals_addressed_to_it(client, partner, partner_org, desk):
    SignalFactory(desk=desk, sent=True, addressed_to=partner_org, title="Aan ons")
    SignalFactory(desk=desk, addressed_to=partner_org, title="Nog een voorstel aan ons")
    SignalFactory(desk=desk, sent=True, title="Aan de gemeente")
    SignalFactory(desk=desk, sent=True, addressed_to=OrganisationFactory(), title="Aan een ander")
    client.force_login(partner)
    assert titles(client.get(reverse("signalling:list"))) == ["Aan ons"]


def test_the_desk_sees_the_evidence_rows_it_may_open_and_that_is_logged(client, coordinator, desk, no_supply):
    mine = no_supply()
    foreign = no_supply(desk=DeskFactory())  # linked by its own desk's signal earlier, say
    signal = SignalFactory(desk=desk, questions=[mine, foreign])
    client.force_login(coordinator)
    response = client.get(reverse("signalling:detail", args=[signal.pk]))
    assert response.context["counts"]["questions"] == "2"  # the desk sees exact numbers
    assert response.context["questions"] == [mine]
    assert reverse("contacts:question", args=[mine.pk]) in response.content.decode()
    assert AccessLog.objects.filter(
        object_type="contacts.question", action="search", purpose=f"signal {signal.pk}"
    ).exists()


# --- The list -------------------------------------------------------------------------------------


def test_filters(client, coordinator, desk, municipality, partner_org, safety):
    district = DistrictFactory(municipality=municipality)
    SignalFactory(desk=desk, title="Voorstel veiligheid", life_domain=safety)
    SignalFactory(desk=desk, sent=True, title="Verstuurd in de wijk", district=district)
    SignalFactory(desk=desk, sent=True, title="Aan de partner", addressed_to=partner_org)
    client.force_login(coordinator)
    url = reverse("signalling:list")
    assert titles(client.get(url, {"status": "sent"})) == ["Aan de partner", "Verstuurd in de wijk"]
    assert titles(client.get(url, {"life_domain": safety.pk})) == ["Voorstel veiligheid"]
    assert titles(client.get(url, {"district": district.pk})) == ["Verstuurd in de wijk"]
    assert titles(client.get(url, {"addressee": partner_org.pk})) == ["Aan de partner"]
    assert titles(client.get(url, {"addressee": "gemeente", "status": "proposed"})) == ["Voorstel veiligheid"]
    response = client.get(url, {"status": "declined"})
    assert "Geen signalen gevonden met deze filters." in response.content.decode()


def test_empty_state_and_pagination(client, coordinator, desk):
    client.force_login(coordinator)
    response = client.get(reverse("signalling:list"))
    assert "Er zijn nog geen signalen." in response.content.decode()
    for number in range(27):
        SignalFactory(desk=desk, title=f"Signaal {number}")
    response = client.get(reverse("signalling:list"))
    assert len(titles(response)) == 25
    assert 'rel="next"' in response.content.decode()
    assert len(titles(client.get(reverse("signalling:list"), {"pagina": 2}))) == 2


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client, coordinator, desk, no_supply, count, django_assert_num_queries):
    for _ in range(count):
        SignalFactory(desk=desk, questions=[no_supply()])
    client.force_login(coordinator)
    # session, user, the user's and its groups' permissions (2), the user's desks (for exact
    # counts), the addressees in the filter, the page count, the page's rows (domain, district,
    # municipality, addressee and desk joined, evidence counted in subqueries), the districts
    # and the life domains of the filter, the session save (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("signalling:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_policy_list_query_count_is_constant(client, policy, desk, count, django_assert_num_queries):
    for _ in range(count):
        SignalFactory(desk=desk, sent=True)
    client.force_login(policy)
    # As the coordinator's list, less the user's desks: a policy officer has no desk side, so
    # every count is shown suppressed without asking (the municipalities are a subquery).
    with django_assert_num_queries(8):
        response = client.get(reverse("signalling:list"))
    assert response.status_code == 200


# --- Raising a signal, linking evidence, answering -----------------------------------------------------


def test_signaleren_from_the_question_page(client, employee, desk, district, safety, no_supply, user_for):
    question = no_supply()
    client.force_login(employee)
    page = client.get(reverse("contacts:question", args=[question.pk])).content.decode()
    url = reverse("signalling:create-from-question", args=[question.pk])
    assert url in page
    response = client.get(url)
    form = response.context["form"]
    assert (form["district"].value(), form["life_domain"].value(), form["unmet_reason"].value()) == (
        district.pk,
        safety.pk,
        "not_available",
    )
    response = client.post(
        url,
        {
            "title": "Geen personenalarmering voor inwoners zonder netwerk",
            "description": "Alarmopvolging vraagt drie contactpersonen in de buurt.",
            "kind": "gap",
            "life_domain": safety.pk,
            "unmet_reason": "not_available",
            "desk": desk.pk,
            "municipality": district.municipality_id,
            "district": district.pk,
            "addressed_to": "",
        },
    )
    signal = Signal.objects.get()
    assert response.status_code == 302 and response.url == reverse("signalling:detail", args=[signal.pk])
    assert list(signal.questions.all()) == [question]
    # A volunteer raises no signals: no button.
    client.force_login(user_for("Vrijwilliger"))
    assert url not in client.get(reverse("contacts:question", args=[question.pk])).content.decode()


def test_the_form_shows_errors_at_their_fields(client, employee, desk, municipality):
    client.force_login(employee)
    elsewhere = DistrictFactory()
    response = client.post(
        reverse("signalling:create"),
        {
            "title": "",
            "description": "x",
            "kind": "gap",
            "desk": desk.pk,
            "municipality": municipality.pk,
            "district": elsewhere.pk,
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "district"}
    assert not Signal.objects.exists()


def test_linking_evidence_on_its_page(client, employee, desk, no_supply):
    signal = SignalFactory(desk=desk, unmet_reason="not_available")
    matching = no_supply()
    other_reason = no_supply(reason="refused")
    client.force_login(employee)
    url = reverse("signalling:evidence", args=[signal.pk])
    response = client.get(url)
    assert response.context["question_rows"] == [matching]
    assert other_reason in client.get(url, {"alle": "1"}).context["question_rows"]
    response = client.post(url, {"questions": [matching.pk], "question_number": other_reason.pk})
    assert response.status_code == 302
    assert set(signal.questions.all()) == {matching, other_reason}
    # Nothing chosen, or a question of another desk: refused with a message.
    assert client.post(url, {}).status_code == 400
    foreign = no_supply(desk=DeskFactory())
    response = client.post(url, {"question_number": foreign.pk})
    assert "Er is geen hulpvraag met dit nummer bij uw loket." in response.content.decode()


def test_answering_through_the_page(client, policy, desk):
    signal = SignalFactory(desk=desk, sent=True)
    client.force_login(policy)
    url = reverse("signalling:transition", args=[signal.pk])
    response = client.post(url, {"to_status": "declined", "version": signal.version, "note": ""})
    assert response.status_code == 400
    assert "Vul dit in." in response.content.decode()
    response = client.post(url, {"to_status": "declined", "version": signal.version, "note": "Geen budget."})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.decline_reason) == (S.DECLINED, "Geen budget.")


def test_a_user_without_moves_cannot_post_one(client, employee, desk):
    signal = SignalFactory(desk=desk)
    client.force_login(employee)
    response = client.post(
        reverse("signalling:transition", args=[signal.pk]), {"to_status": "sent", "version": 1}
    )
    assert response.status_code == 403
    signal.refresh_from_db()
    assert signal.status == S.PROPOSED


def test_editing_a_proposal(client, coordinator, desk, partner_org):
    signal = SignalFactory(desk=desk)
    client.force_login(coordinator)
    url = reverse("signalling:edit", args=[signal.pk])
    data = {
        "title": "Scherper",
        "description": signal.description,
        "kind": "access",
        "municipality": signal.municipality_id,
        "addressed_to": partner_org.pk,
        "version": signal.version,
    }
    assert client.post(url, data).status_code == 302
    signal.refresh_from_db()
    assert (signal.title, signal.kind, signal.addressed_to, signal.version) == (
        "Scherper",
        "access",
        partner_org,
        2,
    )
    # The old version again: someone saved in between.
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Iemand anders" in response.content.decode()
