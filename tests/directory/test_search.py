"""The social-map search (directory.selectors.service_search): words, filters, ranking, pages.

Every test runs on SQLite and on PostgreSQL; the matching differs (docs/subsystems/
directory-search.md) but what the desk sees must not.
"""

import datetime
import zoneinfo

import pytest
from django.db import connection

from schakelpunt.directory.models import Schedule, Service, Taxonomy
from schakelpunt.directory.selectors import (
    COUNT_CAP,
    PLANNER_QUERIES,
    category_counts,
    dutch_stem,
    query_words,
    service_page,
    service_search,
    word_similarity,
)
from tests.directory.factories import (
    LocationFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceAreaFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTermFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
    indexed,
)
from tests.organisations.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def names(services) -> list[str]:
    return [service.name for service in services]


def make(name: str, description: str = "", **kwargs) -> Service:
    return indexed(ServiceFactory(name=name, description=description, **kwargs))


# --- words --------------------------------------------------------------------------------------


def test_query_words_drop_stop_words_and_punctuation():
    assert query_words("Hulp bij schulden!") == ["hulp", "schulden"]
    assert query_words("de") == ["de"]  # still typing "dementie"
    assert query_words("a") == []
    assert dutch_stem("woningen") == "woning"


def test_every_word_must_match_name_description_or_organisation():
    organisation = OrganizationFactory(name="Stichting Humanitas")
    make("Schuldhulpverlening", "Hulp bij schulden en geldzaken")
    make("Thuisadministratie", "Vrijwilligers helpen met de post", organization=organisation)
    make("Woningaanpassing", "Traplift, douche en drempels")

    assert names(service_search(query="schulden")) == ["Schuldhulpverlening"]
    assert names(service_search(query="humanitas post")) == ["Thuisadministratie"]
    assert names(service_search(query="traplift schulden")) == []
    assert len(service_search(query="")) == 3


def test_terms_and_their_parents_are_searched():
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    wonen = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="WON", name="Wonen")
    aanpassing = TaxonomyTermFactory(
        taxonomy_detail=taxonomy, code="WON-AAN", name="Aanpassingen", parent=wonen
    )
    service = ServiceFactory(name="Klussendienst", description="Kleine klussen in huis")
    ServiceTermFactory(service=service, taxonomy_term=aanpassing)
    indexed(service)

    assert names(service_search(query="wonen")) == ["Klussendienst"]


def test_prefix_while_typing():
    make("Mantelzorgondersteuning", "Steun voor mantelzorgers")
    assert names(service_search(query="mantelz")) == ["Mantelzorgondersteuning"]


def test_dutch_plural_finds_singular():
    make("Urgentieverklaring", "Voorrang bij het zoeken naar een woning")
    make("Tuinonderhoud", "Hulp in de tuin")
    assert names(service_search(query="woningen")) == ["Urgentieverklaring"]


def test_a_typo_still_finds_the_service():
    make("Schuldhulp Enschede", "Budgetcoaching en schuldregeling")
    make("Maaltijdservice", "Warme maaltijden aan huis")
    assert names(service_search(query="schuldhlup")) == ["Schuldhulp Enschede"]


def test_typos_are_allowed_only_when_the_words_match_nothing_whatever_the_filters(django_assert_num_queries):
    make("Budgetcoach", "Schuldhulp voor iedereen", is_free=False)
    make("Schuldhulk", "Gratis spreekuur", is_free=True)
    assert names(service_search(query="schuldhulp")) == ["Budgetcoach"]
    # The words match a service, so no typo search: the free-of-charge filter empties the
    # result instead of finding "Schuldhulk" by its likeness (and scanning a second time).
    # "Do the words match?", then the ranked page (and on PostgreSQL its planner setting).
    with django_assert_num_queries(2 + PLANNER_QUERIES.get(connection.vendor, 0)):
        page = service_page(service_search(query="schuldhulp", free=True))
    assert page.services == []
    # Words that match nothing may be typos, also with filters.
    assert names(service_search(query="schuldhlup", free=True)) == ["Schuldhulk"]


def test_name_matches_rank_above_description_matches():
    make("Budgetcoach", "Ook bij mantelzorg en geldzorgen")
    make("Mantelzorgsteunpunt", "Informatie en advies")
    assert names(service_search(query="mantelzorg"))[0] == "Mantelzorgsteunpunt"


def test_like_wildcards_in_a_query_are_plain_characters():
    make("Dienst A", "Honderd procent vrijwillig")
    assert names(service_search(query="100%")) == []
    # Only letters and digits make words: a LIKE wildcard never reaches the database.
    assert query_words("pro_ent 5%") == ["pro", "ent"]


# --- status -------------------------------------------------------------------------------------


def test_defunct_never_shows_and_the_public_sees_only_active_and_temporarily_closed():
    make("Actief loket")
    make("Opgeheven loket", status=Service.Status.DEFUNCT)
    make("Slapend loket", status=Service.Status.INACTIVE)
    make("Gesloten loket", status=Service.Status.TEMPORARILY_CLOSED, alert="Gesloten tot 1 maart")

    assert names(service_search(query="loket")) == ["Actief loket", "Gesloten loket", "Slapend loket"]
    assert names(service_search(query="loket", public=True)) == ["Actief loket", "Gesloten loket"]


# --- filters ------------------------------------------------------------------------------------


def test_category_includes_its_descendants_by_parent_and_by_code():
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    zorg = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG", name="Zorg")
    thuiszorg = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG-THU", name="Thuiszorg", parent=zorg)
    # No parent set, only the code says where it belongs.
    wijkverpleging = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG-WYK", name="Wijkverpleging")
    wonen = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="WON", name="Wonen")
    for name, term in [("Thuishulp", thuiszorg), ("Wijkzuster", wijkverpleging), ("Woonhulp", wonen)]:
        ServiceTermFactory(service=ServiceFactory(name=name), taxonomy_term=term)

    assert names(service_search(category=zorg)) == ["Thuishulp", "Wijkzuster"]
    assert names(service_search(category=thuiszorg)) == ["Thuishulp"]
    assert names(service_search(category=wonen)) == ["Woonhulp"]


def test_target_group_filter():
    groups = TaxonomyFactory(facet=Taxonomy.Facet.TARGET_GROUP)
    youth = TaxonomyTermFactory(taxonomy_detail=groups, name="Jongeren")
    ServiceTermFactory(service=ServiceFactory(name="Jongerenwerk"), taxonomy_term=youth)
    ServiceFactory(name="Ouderenwerk")
    assert names(service_search(target_group=youth)) == ["Jongerenwerk"]


def test_area_filter_without_area_means_the_whole_region():
    enschede = MunicipalityFactory(name="Enschede")
    hengelo = MunicipalityFactory(name="Hengelo")
    centrum = DistrictFactory(name="Centrum", municipality=enschede)
    noord = DistrictFactory(name="Noord", municipality=enschede)
    ServiceFactory(name="Regionaal")
    ServiceAreaFactory(service=ServiceFactory(name="Heel Enschede"), municipality=enschede)
    ServiceAreaFactory(service=ServiceFactory(name="Centrum Enschede"), district=centrum, municipality=None)
    ServiceAreaFactory(service=ServiceFactory(name="Hengelo"), municipality=hengelo)
    # A named area without municipality or district reads as the region.
    ServiceAreaFactory(service=ServiceFactory(name="Twente"), name="Twente", municipality=None)

    assert names(service_search(municipality=enschede)) == [
        "Centrum Enschede",
        "Heel Enschede",
        "Regionaal",
        "Twente",
    ]
    assert names(service_search(municipality=hengelo)) == ["Hengelo", "Regionaal", "Twente"]
    assert names(service_search(district=centrum)) == [
        "Centrum Enschede",
        "Heel Enschede",
        "Regionaal",
        "Twente",
    ]
    assert names(service_search(district=noord)) == ["Heel Enschede", "Regionaal", "Twente"]


def test_age_free_and_capacity_filters():
    ServiceFactory(name="Jeugd", minimum_age=12, maximum_age=23, is_free=True, available=True)
    ServiceFactory(name="Ouderen", minimum_age=65, waiting_list=True)
    ServiceFactory(name="Iedereen", full=True)

    assert names(service_search(age=16)) == ["Iedereen", "Jeugd"]
    assert names(service_search(age=70)) == ["Iedereen", "Ouderen"]
    assert names(service_search(age=23)) == ["Iedereen", "Jeugd"]
    assert names(service_search(free=True)) == ["Jeugd"]
    assert names(service_search(has_capacity=True)) == ["Jeugd"]


def at(day: str, time: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=AMSTERDAM)


def test_open_now_weekly_monthly_and_validity():
    # Monday 2 March 2026.
    ScheduleFactory(service=ServiceFactory(name="Werkdagen"), byday="MO,TU,WE,TH,FR")
    ScheduleFactory(service=ServiceFactory(name="Weekend"), byday="SA,SU")
    ScheduleFactory(
        service=ServiceFactory(name="Eerste maandag"),
        freq=Schedule.Freq.MONTHLY,
        byday="1MO",
        opens_at=datetime.time(10),
        closes_at=datetime.time(12),
    )
    ScheduleFactory(
        service=ServiceFactory(name="Tweede van de maand"),
        freq=Schedule.Freq.MONTHLY,
        byday="",
        bymonthday="2,16",
    )
    ScheduleFactory(service=ServiceFactory(name="Zomer"), valid_from=datetime.date(2026, 6, 1))
    ServiceFactory(name="Zonder tijden")

    assert names(service_search(open_now=True, now=at("2026-03-02", "10:30"))) == [
        "Eerste maandag",
        "Tweede van de maand",
        "Werkdagen",
    ]
    assert names(service_search(open_now=True, now=at("2026-03-02", "17:00"))) == []
    assert names(service_search(open_now=True, now=at("2026-03-09", "11:00"))) == ["Werkdagen"]
    assert names(service_search(open_now=True, now=at("2026-03-07", "09:00"))) == ["Weekend"]
    # Times are Dutch wall-clock times: 09:30 UTC is 10:30 in Amsterdam in winter.
    utc = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    assert "Eerste maandag" in names(service_search(open_now=True, now=utc))


def test_open_now_uses_the_location_only_without_own_hours():
    location = LocationFactory()
    ScheduleFactory(service=None, location=location, byday="MO,TU,WE,TH,FR")
    ServiceAtLocationFactory(service=ServiceFactory(name="Op de locatie"), location=location)
    own = ServiceFactory(name="Eigen tijden")
    ScheduleFactory(service=own, byday="TU")
    ServiceAtLocationFactory(service=own, location=location)

    assert names(service_search(open_now=True, now=at("2026-03-02", "10:00"))) == ["Op de locatie"]
    assert names(service_search(open_now=True, now=at("2026-03-03", "10:00"))) == [
        "Eigen tijden",
        "Op de locatie",
    ]


# --- pages --------------------------------------------------------------------------------------


def test_page_has_a_capped_count(settings):
    Service.objects.bulk_create(
        [Service(name=f"Dienst {index:03d}", search_text=f"Dienst {index}") for index in range(COUNT_CAP + 3)]
    )
    page = service_page(service_search(), page=3, page_size=10)
    assert page.count == COUNT_CAP and page.capped
    assert names(page.services)[0] == "Dienst 020"
    assert page.has_previous and page.has_next
    # Beyond the last page: the last page.
    assert service_page(service_search(), page=9999, page_size=10).number == COUNT_CAP // 10


def test_a_ranked_page_counts_orders_and_falls_back_to_the_last_page():
    for index in range(7):
        make(f"Taalcafe {index}", "Samen Nederlands oefenen")
    make("Buurthuis", "Met een taalcafe op dinsdag")
    search = service_search(query="taalcafe")
    page = service_page(search, page=2, page_size=3)
    assert (page.count, page.capped, page.num_pages, page.number) == (8, False, 3, 2)
    assert names(page.services) == ["Taalcafe 3", "Taalcafe 4", "Taalcafe 5"]
    assert names(service_page(search, page=1, page_size=3).services) == [
        "Taalcafe 0",
        "Taalcafe 1",
        "Taalcafe 2",
    ]
    # The name match ranks first; the description match last.
    last = service_page(search, page=3, page_size=3)
    assert names(last.services) == ["Taalcafe 6", "Buurthuis"] and last.end_index == 8
    # Beyond the last page: the last page.
    beyond = service_page(search, page=99, page_size=3)
    assert (beyond.number, names(beyond.services)) == (3, ["Taalcafe 6", "Buurthuis"])
    nothing = service_page(service_search(query="zwemles"), page=4)
    assert (nothing.count, nothing.number, nothing.services) == (0, 1, [])


def test_a_ranked_page_caps_its_count(settings):
    Service.objects.bulk_create(
        [
            Service(name=f"Dienst {index:03d}", search_text=f"Dienst {index} welzijn")
            for index in range(COUNT_CAP + 3)
        ]
    )
    page = service_page(service_search(query="welzijn"), page=9999, page_size=100)
    assert (page.count, page.capped, page.number) == (COUNT_CAP, True, COUNT_CAP // 100)
    assert len(page.services) == 100


def test_no_match_takes_only_the_search_queries(django_assert_num_queries):
    make("Maaltijdservice", "Warme maaltijden aan huis")
    # "Any match without typos?", then the typo search, which counts nothing: no rows to read
    # (and on PostgreSQL the planner setting around it).
    with django_assert_num_queries(2 + PLANNER_QUERIES.get(connection.vendor, 0)):
        page = service_page(service_search(query="zwemles"))
    assert page.count == 0 and page.services == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: a planner setting")
def test_a_ranked_page_puts_the_planner_setting_back():
    make("Maaltijdservice", "Warme maaltijden aan huis")

    def seqscan() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    assert seqscan() == "on"
    assert service_page(service_search(query="maaltijd")).count == 1
    assert seqscan() == "on"


def test_a_large_import_leaves_the_search_ready(monkeypatch):
    """After many rows the import flushes the search indexes and refreshes the statistics
    (PostgreSQL; a no-op elsewhere) inside the import's transaction."""
    from schakelpunt.directory.hsds import importer
    from schakelpunt.directory.hsds.synthetic import service_documents

    monkeypatch.setattr(importer, "BULK_ROWS", 1)
    result = importer.import_documents(service_documents(3, seed=5))
    assert result.ok, result.errors
    found = service_search(query=Service.objects.order_by("name").first().name.split()[0])
    assert found.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_a_page_takes_the_same_queries_for_1_or_30_services(rows, django_assert_num_queries):
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    term = TaxonomyTermFactory(taxonomy_detail=taxonomy, name="Welzijn")
    municipality = MunicipalityFactory()
    for index in range(rows):
        service = ServiceFactory(name=f"Welzijnswerk {index}")
        ServiceTermFactory(service=service, taxonomy_term=term)
        ServiceAreaFactory(service=service, municipality=municipality)
        indexed(service)
    # The category's terms, "do the words match without typos?", the count with the page's
    # ids, the rows, their terms (as plain values). No areas: no result shows them.
    with django_assert_num_queries(5 + PLANNER_QUERIES.get(connection.vendor, 0)):
        page = service_page(service_search(query="welzijn", category=term), page_size=25)
        assert page.services[0].categories[0].name == "Welzijn"
        assert page.services[0].categories[0].pk == term.pk
        assert page.services[0].target_groups == []
    assert page.count == rows


def test_category_counts_count_services_once_per_category():
    taxonomy = TaxonomyFactory(facet=Taxonomy.Facet.CATEGORY)
    zorg = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG", name="Zorg")
    thuis = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG-THU", name="Thuiszorg", parent=zorg)
    wijk = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="ZRG-WYK", name="Wijk", parent=zorg)
    wonen = TaxonomyTermFactory(taxonomy_detail=taxonomy, code="WON", name="Wonen")
    both = ServiceFactory()
    ServiceTermFactory(service=both, taxonomy_term=thuis)
    ServiceTermFactory(service=both, taxonomy_term=wijk)
    ServiceTermFactory(service=ServiceFactory(), taxonomy_term=wijk)
    ServiceTermFactory(service=ServiceFactory(status=Service.Status.INACTIVE), taxonomy_term=wonen)

    # Migration 0003 seeds the Dutch taxonomy too: look at this test's own categories.
    counts = {term.pk: count for term, count in category_counts()}
    assert (counts[wonen.pk], counts[zorg.pk]) == (0, 2)
    assert thuis.pk not in counts
    assert [(term.name, count) for term, count in category_counts(parent=zorg)] == [
        ("Thuiszorg", 1),
        ("Wijk", 2),
    ]


def test_word_similarity_of_the_simple_search():
    assert word_similarity("schuldhlup", "Schuldhulp Enschede") >= 0.6
    assert word_similarity("schuldhlup", "Maaltijden aan huis") < 0.6


def test_search_uses_the_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the indexes of migration 0002")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'directory_service'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {
        "directory_service_fts",
        "directory_service_text_trigram",
        "directory_service_name_trigram",
    } <= indexes
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'directory_service_text_trigram'")
        assert "search_lower gin_trgm_ops" in cursor.fetchone()[0]  # the stored column of 0005
