"""The OpenAPI schema: it generates without warnings, is valid, and documents our endpoints."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/residents/search/": {"post"},
    "/api/residents/{id}/": {"get"},
    "/api/contacts/": {"get", "post"},
    "/api/contacts/{id}/": {"get"},
    "/api/questions/": {"get"},
    "/api/questions/{id}/": {"get"},
}


def test_schema_generates_without_warnings_and_validates(tmp_path):
    """What ``schakelpunt spectacular --validate --fail-on-warn`` does in CI.

    Validation uses drf-spectacular's bundled OpenAPI 3 JSON schema (with jsonschema); a
    warning, such as a field whose type cannot be worked out, fails the command.
    """
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert PATHS.keys() <= schema["paths"].keys()


def test_schema_served_to_a_logged_in_user_holds_our_endpoints(client, user_for):
    client.force_login(user_for("Vrijwilliger"))
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    for path, methods in PATHS.items():
        assert set(schema["paths"][path]) == methods, path
    search = schema["paths"]["/api/residents/search/"]["post"]
    assert "Waarom POST" in search["description"]
    assert "Why POST" in search["description"]
    assert {tag for path in PATHS for op in schema["paths"][path].values() for tag in op["tags"]} == {
        "inwoners",
        "contactmomenten",
        "hulpvragen",
    }
    # The fields some users may not see are documented, and documented as optional.
    components = schema["components"]["schemas"]
    assert "bsn" in components["Resident"]["properties"]
    assert "bsn" not in components["Resident"]["required"]
    assert "street" not in components["ResidentSummary"]["required"]
    assert "health_notes" in components["Question"]["properties"]
    assert "health_notes" not in components["Question"]["required"]


def test_schema_is_the_same_for_every_user(client, user_for):
    """The schema documents the API, not what the requesting user may see."""
    schemas = []
    for role in ("Frontoffice", "Vrijwilliger", "Partner"):
        client.force_login(user_for(role))
        schemas.append(client.get(reverse("api:schema"), {"format": "json"}).json())
    assert schemas[0] == schemas[1] == schemas[2]


def test_docs_page_loads(client, user_for):
    client.force_login(user_for("Frontoffice"))
    assert client.get(reverse("api:docs")).status_code == 200


def test_schema_and_docs_need_a_login(client):
    assert client.get(reverse("api:schema")).status_code == 403
    # The docs are a page for people: anonymous visitors go to the login page.
    response = client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse('api:docs')}"
