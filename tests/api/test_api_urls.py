"""Every API URL as anonymous and as every role: the same walk as tests/core/test_all_urls.py.

The full walk covers the API too; this one walks only the API's patterns, so a broken page
elsewhere does not hide a problem here, and it checks that each endpoint was requested.
"""

import pytest
from django.urls import get_resolver

from tests.core.url_walk import iter_patterns, walk

API_ONLY = "tests.api.urls_api_only"
API_URL_NAMES = {
    "api:schema",
    "api:docs",
    "api:resident-search",
    "api:resident-detail",
    "api:contact-list",
    "api:contact-detail",
    "api:question-list",
    "api:question-detail",
    "api:referral-list",
    "api:referral-detail",
    "api:referral-transition",
    "api:wmo-report-list",
    "api:wmo-report-detail",
    "api:wmo-report-transition",
    # The open HSDS API (directory/api_urls.py).
    "api:hsds-about",
    "api:hsds-openapi",
    "api:hsds-services",
    "api:hsds-service",
    "api:hsds-organizations",
    "api:hsds-organization",
    "api:hsds-taxonomies",
    "api:hsds-taxonomy",
    "api:hsds-taxonomy-terms",
    "api:hsds-taxonomy-term",
    "api:hsds-service-at-locations",
    "api:hsds-service-at-location",
}


@pytest.mark.django_db
def test_every_api_url_follows_its_access_rule(users_by_role):
    assert {entry.name for entry in iter_patterns(get_resolver(API_ONLY).url_patterns)} == API_URL_NAMES
    problems, requests = walk({"anonymous": None, **users_by_role}, urlconf=API_ONLY)
    assert problems == []
    assert requests == len(API_URL_NAMES) * (len(users_by_role) + 1)


@pytest.mark.django_db
def test_a_refused_api_call_is_logged(client, user_for):
    from schakelpunt.audit.models import AccessLog

    partner = user_for("Partner")
    client.force_login(partner)
    response = client.get("/api/questions/")
    assert response.status_code == 403
    row = AccessLog.objects.get(user=partner)
    assert (row.result, row.object_type) == ("refused", "view")
