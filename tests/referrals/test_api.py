import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from schakelpunt.audit.models import AccessLog
from schakelpunt.referrals.models import ApiToken, Referral
from tests.contacts.factories import ContactFactory, QuestionFactory
from tests.organisations.factories import OrganisationFactory
from tests.referrals.factories import ReferralFactory
from tests.residents.factories import ResidentFactory

S = Referral.Status


@pytest.fixture
def partner_org(db):
    return OrganisationFactory(name="Thuiszorg Twente", type="care_provider")


def issue_key(organisation) -> str:
    out = io.StringIO()
    call_command("referral_api_token", str(organisation.pk), "--name", "ECD", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def api(partner_org):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_key(partner_org)}")
    return client


def referral_for(organisation, desk, **kwargs):
    resident = ResidentFactory(registered_desk=desk, surname="Jansen")
    question = QuestionFactory(contact=ContactFactory(desk=desk, resident=resident))
    return ReferralFactory(organisation=organisation, question=question, **kwargs)


def test_only_a_hash_of_the_key_is_stored(partner_org):
    key = issue_key(partner_org)
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.key_prefix) and token.key_hash == ApiToken.hash(key)
    assert token.account.organisation == partner_org
    assert not token.account.has_usable_password()


def test_the_key_lists_only_its_organisations_referrals_with_consented_data(api, partner_org, desk):
    mine = referral_for(partner_org, desk)
    referral_for(OrganisationFactory(), desk)
    response = api.get("/api/referrals/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    resident = response.json()["results"][0]["resident"]
    assert resident["name"].endswith("Jansen") and "question" in resident and "bsn" not in resident
    assert AccessLog.objects.filter(action="search", object_type="referrals.referral").exists()


def test_another_organisations_referral_is_404_on_every_endpoint(api, desk):
    other = referral_for(OrganisationFactory(), desk)
    assert api.get(f"/api/referrals/{other.pk}/").status_code == 404
    response = api.post(f"/api/referrals/{other.pk}/status/", {"to_status": "accepted"}, format="json")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == S.REQUESTED


def test_status_changes_through_the_api(api, partner_org, desk):
    referral = referral_for(partner_org, desk)
    url = f"/api/referrals/{referral.pk}/status/"
    response = api.post(url, {"to_status": "accepted", "version": referral.version}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    response = api.post(url, {"to_status": "completed"}, format="json")
    assert response.status_code == 400
    assert "outcome" in response.json()
    response = api.post(url, {"to_status": "in-progress", "version": 1}, format="json")
    assert response.status_code == 409
    response = api.post(url, {"to_status": "cancelled", "reason": "other"}, format="json")
    assert response.status_code == 403
    response = api.post(url, {"to_status": "completed", "outcome": "Hulp gestart"}, format="json")
    assert response.json()["status"] == "completed"
    assert AccessLog.objects.filter(action="change", object_id=str(referral.pk)).count() == 2


def test_withdrawn_consent_hides_the_data_in_the_api_at_once(api, partner_org, desk):
    referral = referral_for(partner_org, desk)
    referral.consent.withdrawn_at = timezone.now()
    referral.consent.save()
    assert api.get(f"/api/referrals/{referral.pk}/").json()["resident"] == {}


def test_bad_and_revoked_keys_are_refused(partner_org, desk):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    # 403 rather than 401: the first authentication scheme (the session) names no challenge.
    response = client.get("/api/referrals/")
    assert response.status_code == 403
    assert "Ongeldige of ingetrokken API-sleutel" in response.json()["detail"]
    key = issue_key(partner_org)
    call_command("referral_api_token", str(partner_org.pk), "--revoke", key[:8], stdout=io.StringIO())
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert "ingetrokken" in client.get("/api/referrals/").json()["detail"]


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(api, partner_org, desk, django_assert_num_queries, count):
    for _ in range(count):
        referral_for(partner_org, desk)
    # token + account, last-used update, two permission reads, count, page (everything joined),
    # the account's groups and the access-log row.
    with django_assert_num_queries(6):
        assert api.get("/api/referrals/").status_code == 200
