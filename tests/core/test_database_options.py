"""The options the application's PostgreSQL connections run with (docs/performance.md)."""

import pytest
from django.db import connection

from schakelpunt.organisations.models import Municipality

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connection options"),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_no_jit_and_random_reads_priced_for_ssd():
    assert setting("jit") == "off"
    assert setting("random_page_cost") == "1.1"


def test_parameters_are_bound_by_the_server_and_nothing_is_prepared():
    assert connection.features.uses_server_side_binding

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%municipality%"]
            )
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(6):
        list(Municipality.objects.filter(code="GM0153"))
    assert prepared() == before  # preparing cost PostgreSQL more than it saved
