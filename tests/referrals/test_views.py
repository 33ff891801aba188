import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schakelpunt.audit.models import AccessLog
from schakelpunt.referrals.models import Referral
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import OrganisationFactory
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import ConsentFactory, ResidentFactory

S = Referral.Status


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="Thuiszorg Twente", type="care_provider")


@pytest.fixture
def partner(user_for, partner_org):
    return user_for("Partner", organisation=partner_org, desks=[], email="partner@thuiszorg.example")


@pytest.fixture
def employee(user_for):
    return user_for("Frontoffice")


@pytest.fixture
def question(desk, employee):
    resident = ResidentFactory(registered_desk=desk, surname="Jansen", phone="0612345678")
    return QuestionFactory(contact=ContactFactory(desk=desk, resident=resident, handled_by=employee))


def referral_to(partner_org, question, **kwargs):
    return ReferralFactory(organisation=partner_org, question=question, **kwargs)


def test_the_desk_refers_a_question_with_consent(
    client, employee, question, partner_org, partner, django_capture_on_commit_callbacks
):
    consent = ConsentFactory(
        resident=question.resident, organisation=partner_org, scope=["contact_details", "question"]
    )
    client.force_login(employee)
    url = reverse("referrals:create", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Thuiszorg Twente" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "organisation": partner_org.pk,
                "reason": "Hulp bij het huishouden",
                "urgency": "normal",
                "consent": consent.pk,
                "shared_data": ["contact_details", "question"],
            },
        )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    assert mail.outbox[0].to == ["partner@thuiszorg.example"]
    # The question page shows the referral.
    assert (
        f"Verwijzing {referral.pk} naar Thuiszorg Twente"
        in client.get(reverse("contacts:question", args=[question.pk])).text
    )


def test_without_consent_the_form_says_what_to_do(client, employee, question, partner_org):
    client.force_login(employee)
    response = client.post(
        reverse("referrals:create", args=[question.pk]),
        {"organisation": partner_org.pk, "reason": "Hulp", "urgency": "normal", "shared_data": ["question"]},
    )
    assert response.status_code == 200
    assert "Leg eerst de toestemming van de inwoner vast" in response.text
    assert not Referral.objects.exists()


def test_a_partner_sees_only_what_the_consent_covers(client, partner, partner_org, question):
    referral = referral_to(partner_org, question, shared_data=["question"])
    referral.consent.scope = ["question"]
    referral.consent.save()
    client.force_login(partner)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert question.question_text[:30] in page
    assert "Jansen" not in page and "0612345678" not in page
    inbox = client.get(reverse("referrals:inbox")).text
    assert "Niet gedeeld" in inbox and "Jansen" not in inbox
    row = AccessLog.objects.filter(object_type="referrals.referral", object_id=str(referral.pk)).get()
    assert row.on_behalf_of == f"residents.resident#{question.resident_id}"


def test_withdrawing_consent_hides_the_data_from_the_partner_at_once(client, partner, partner_org, question):
    referral = referral_to(partner_org, question)
    client.force_login(partner)
    assert "Jansen" in client.get(reverse("referrals:detail", args=[referral.pk])).text
    referral.consent.withdrawn_at = timezone.now()
    referral.consent.save()
    page = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "Jansen" not in page
    assert "toestemming ingetrokken" in page


def test_a_partner_gets_404_for_another_organisations_referral(client, partner, question):
    other = ReferralFactory(question=question)  # to another organisation
    client.force_login(partner)
    assert client.get(reverse("referrals:detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("referrals:transition", args=[other.pk]), {"to_status": S.ACCEPTED, "version": 1}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == S.REQUESTED


def test_the_inbox_lists_only_the_partners_referrals(client, partner, partner_org, question):
    mine = referral_to(partner_org, question)
    theirs = ReferralFactory()
    client.force_login(partner)
    page = client.get(reverse("referrals:inbox")).text
    assert reverse("referrals:detail", args=[mine.pk]) in page
    assert reverse("referrals:detail", args=[theirs.pk]) not in page


def test_partner_accepts_and_a_bad_move_shows_its_error(client, partner, partner_org, question):
    referral = referral_to(partner_org, question)
    client.force_login(partner)
    url = reverse("referrals:transition", args=[referral.pk])
    response = client.post(url, {"to_status": S.ACCEPTED, "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    response = client.post(url, {"to_status": S.COMPLETED, "version": referral.version, "outcome": ""})
    assert response.status_code == 400
    assert "Beschrijf het resultaat" in response.text
    # A move that is not on offer (completed → accepted is not in the table) is refused.
    response = client.post(url, {"to_status": S.REQUESTED, "version": referral.version})
    assert response.status_code == 400


def test_a_stale_form_is_refused(client, partner, partner_org, question):
    referral = referral_to(partner_org, question)
    client.force_login(partner)
    url = reverse("referrals:transition", args=[referral.pk])
    client.post(url, {"to_status": S.ACCEPTED, "version": 1})
    response = client.post(url, {"to_status": S.IN_PROGRESS, "version": 1}, follow=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in response.text
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED


@pytest.mark.parametrize("count", [1, 50])
def test_inbox_query_count_is_constant(client, partner, partner_org, desk, django_assert_num_queries, count):
    for _ in range(count):
        resident = ResidentFactory(registered_desk=desk)
        referral_to(partner_org, QuestionFactory(contact=ContactFactory(desk=desk, resident=resident)))
    client.force_login(partner)
    # session, user, permissions and roles, the counts of all four tabs (one query), the page's
    # keys in the tab's order, those rows (resident, consent, service, organisation and desk
    # joined), and the access-log row.
    with django_assert_num_queries(7):
        response = client.get(reverse("referrals:inbox"), {"lijst": "nieuw"})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_desk_list_query_count_is_constant(
    client, employee, partner_org, desk, django_assert_num_queries, count
):
    for _ in range(count):
        resident = ResidentFactory(registered_desk=desk)
        referral_to(partner_org, QuestionFactory(contact=ContactFactory(desk=desk, resident=resident)))
    client.force_login(employee)
    # As the inbox, with the user's desks in the query.
    with django_assert_num_queries(7):
        response = client.get(reverse("referrals:desk-list"))
    assert response.status_code == 200


def test_detail_query_count(client, partner, partner_org, question, django_assert_num_queries):
    referral = referral_to(partner_org, question)
    client.force_login(partner)
    # session, user, two permission reads, the referral with everything it shows joined, the
    # user's groups and the access-log row, the status history, the session save (3).
    with django_assert_num_queries(6):
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
