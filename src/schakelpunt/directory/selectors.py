"""Reads of the social map: the search at the desk and in the public guide, and one service.

How the search works on each database is described in docs/subsystems/directory-search.md.
In short: every service keeps one ``search_text`` (``directory.indexing``); a query is split
into words and every word must match. On PostgreSQL a word matches by Dutch full-text search
with prefix ("woningen" finds "woning", "schuld" finds "schuldhulpverlening"), as a substring,
or by trigram word similarity (typos: "schuldhlup" finds "schuldhulp"); results are ranked.
On SQLite a word matches as a substring (also without a Dutch plural ending) or by a trigram
similarity computed in Python; results are ranked by where the words occur.
"""

from __future__ import annotations

import datetime
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lower
from django.http import Http404

from schakelpunt.directory.models import (
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from schakelpunt.directory.opening import open_now_filter
from schakelpunt.organisations.models import District, Municipality

# A count above this is shown as "more than 500": counting every match of a broad query
# costs more than the page itself.
COUNT_CAP = 500
MAX_WORDS = 8
# Trigram word similarity from which a word counts as a typo of a word in the text
# (PostgreSQL's default pg_trgm.word_similarity_threshold).
SIMILARITY = 0.6

PUBLIC_STATUSES = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
WORD = re.compile(r"[^\W_]+", re.UNICODE)

# The columns a result row shows; the rest of a service is read on its own page.
RESULT_FIELDS = (
    "id",
    "name",
    "description",
    "status",
    "alert",
    "is_free",
    "capacity",
    "capacity_wait_band",
    "capacity_confirmed_on",
    "assured_date",
    "minimum_age",
    "maximum_age",
    "organization_id",
    "organization__name",
)


# PostgreSQL's Dutch stop words (snowball ``dutch.stop``): they carry no meaning for a search
# and the Dutch configuration drops them, so they are left out on every database.
STOP_WORDS = frozenset(
    [
        "aan",
        "al",
        "alles",
        "als",
        "altijd",
        "andere",
        "ben",
        "bij",
        "daar",
        "dan",
        "dat",
        "de",
        "der",
        "deze",
        "die",
        "dit",
        "doch",
        "doen",
        "door",
        "dus",
        "een",
        "eens",
        "en",
        "er",
        "ge",
        "geen",
        "geweest",
        "haar",
        "had",
        "heb",
        "hebben",
        "heeft",
        "hem",
        "het",
        "hier",
        "hij",
        "hoe",
        "hun",
        "iemand",
        "iets",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "kan",
        "kon",
        "kunnen",
        "maar",
        "me",
        "meer",
        "men",
        "met",
        "mij",
        "mijn",
        "moet",
        "na",
        "naar",
        "niet",
        "niets",
        "nog",
        "nu",
        "of",
        "om",
        "omdat",
        "onder",
        "ons",
        "ook",
        "op",
        "over",
        "reeds",
        "te",
        "tegen",
        "toch",
        "toen",
        "tot",
        "u",
        "uit",
        "uw",
        "van",
        "veel",
        "voor",
        "want",
        "waren",
        "was",
        "wat",
        "werd",
        "wezen",
        "wie",
        "wil",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zelf",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zonder",
        "zou",
    ]
)


def query_words(query: str) -> list[str]:
    """The words of a query that count: lower case, two letters or more, no stop words.

    At most MAX_WORDS. A query of stop words only keeps its last word, which may be the
    beginning of a longer word still being typed ("de" → "dementie").
    """
    words = [word.lower() for word in WORD.findall(query or "") if len(word) >= 2]
    meaningful = [word for word in words if word not in STOP_WORDS]
    if not meaningful and words:
        meaningful = words[-1:]
    return meaningful[:MAX_WORDS]


# --- Matching on PostgreSQL ---------------------------------------------------------------------
# Migrations 0002 and 0005 add two stored columns PostgreSQL generates from ``search_text``:
# ``search_vector`` (``to_tsvector('dutch', search_text)``, GIN index) and ``search_lower``
# (``LOWER(search_text)``, GIN trigram index), and a trigram index on ``LOWER(name)``. The
# expressions below are written exactly as those, so the planner uses them.


class _GeneratedColumn(Func):
    """A stored column PostgreSQL generates from ``search_text``, reached through
    ``search_text``'s table alias (so it stays right inside subqueries). The model does not know
    these columns."""

    column = ""
    output_field = FloatField()  # never read; only used inside the expressions below

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        source = connection.ops.quote_name("search_text")
        assert sql.endswith(source), sql
        return sql[: -len(source)] + connection.ops.quote_name(self.column), params


class _SearchVector(_GeneratedColumn):
    column = "search_vector"


class _SearchLower(_GeneratedColumn):
    column = "search_lower"
    output_field = CharField()


class _DutchMatch(Func):
    """``search_vector @@ to_tsquery('dutch', %s)``."""

    template = "(%(expressions)s))"
    arg_joiner = " @@ to_tsquery('dutch'::regconfig, "
    output_field = BooleanField()


class _DutchRank(Func):
    template = "ts_rank(%(expressions)s))"
    arg_joiner = ", to_tsquery('dutch'::regconfig, "
    output_field = FloatField()


class _WordSimilar(Func):
    """``%s <% text``: the word is similar to some part of the text (pg_trgm)."""

    template = "(%(expressions)s)"
    arg_joiner = " <%% "
    output_field = BooleanField()


class _Like(Func):
    """``text LIKE %s``, served by the trigram index on the same expression."""

    template = "(%(expressions)s)"
    arg_joiner = " LIKE "
    output_field = BooleanField()


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def _tsquery_word(word: str) -> str:
    return f"{word}:*"


def _postgresql_search(
    services: QuerySet[Service], visible: QuerySet[Service], words: list[str]
) -> QuerySet[Service]:
    """Every word matches as a Dutch word or prefix, or as a substring (inside compounds:
    "hulp" in "schuldhulp"). Only when that finds no visible service at all (whatever the
    filters) do words of four letters or more also match by trigram similarity (typos): that
    test reads the whole text of each candidate, so it is kept for the searches that need it.
    Deciding on the words alone keeps a filter that empties the result from scanning again."""
    text = _SearchLower(F("search_text"))
    vector = _SearchVector(F("search_text"))

    def word_condition(word: str, *, typos: bool) -> Q:
        condition = Q(_DutchMatch(vector, Value(_tsquery_word(word))))
        if len(word) >= 3:
            condition |= Q(_Like(text, Value(f"%{_escape_like(word)}%")))
        if typos and len(word) >= 4:
            condition |= Q(_WordSimilar(Value(word), text))
        return condition

    exact = services
    for word in words:
        exact = exact.filter(word_condition(word, typos=False))
        visible = visible.filter(word_condition(word, typos=False))
    all_words = " & ".join(_tsquery_word(word) for word in words)
    rank = _DutchRank(vector, Value(all_words))
    if visible.exists():
        # Names first: a name that starts with the first word, then one that holds it. A
        # cheap test, since a broad word ("hulp") ranks most of the table.
        first = _escape_like(dutch_stem(words[0]))
        name = Lower("name")
        rank = rank + Case(
            When(Q(_Like(name, Value(f"{first}%"))), then=Value(2.0)),
            When(Q(_Like(name, Value(f"%{first}%"))), then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        services = exact
    else:
        for word in words:
            services = services.filter(word_condition(word, typos=True))
        rank = rank + _WordSimilarity(Value(" ".join(words)), Lower("name"))
    return services.annotate(_rank=rank).order_by("-_rank", "name", "id")


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- Matching on SQLite (and any other database) ------------------------------------------------

DUTCH_ENDINGS = ("tjes", "jes", "'s", "en", "s")


def dutch_stem(word: str) -> str:
    """A crude Dutch stem for the simple match: "woningen" → "woning", "cursussen" → "cursuss"."""
    for ending in DUTCH_ENDINGS:
        if len(word) - len(ending) >= 4 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def word_similarity(word: str, text: str) -> float:
    """How much of ``word``'s trigrams the most similar word of ``text`` shares (0..1).

    A simpler relative of pg_trgm's ``word_similarity``, for the SQLite search.
    """
    if not word or not text:
        return 0.0
    wanted = _trigrams(word.lower())
    best = 0.0
    for candidate in WORD.findall(text.lower()):
        if abs(len(candidate) - len(word)) > 3:
            continue
        shared = len(wanted & _trigrams(candidate)) / len(wanted)
        best = max(best, shared)
    return best


def _register_sqlite_functions() -> None:
    connection.ensure_connection()
    connection.connection.create_function("sp_word_similarity", 2, word_similarity, deterministic=True)


class _SqliteSimilarity(Func):
    function = "sp_word_similarity"
    output_field = FloatField()


def _simple_search(
    services: QuerySet[Service], visible: QuerySet[Service], words: list[str]
) -> QuerySet[Service]:
    if connection.vendor == "sqlite":
        _register_sqlite_functions()
    exact = services
    for word in words:
        condition = Q(search_text__icontains=word)
        stem = dutch_stem(word)
        if stem != word:
            condition |= Q(search_text__icontains=stem)
        exact = exact.filter(condition)
        visible = visible.filter(condition)
    # As on PostgreSQL: typos only when the words match no visible service, whatever the filters.
    if connection.vendor != "sqlite" or visible.exists():
        services = exact
    else:
        # Nothing found: try again with typos allowed, as on PostgreSQL.
        for index, word in enumerate(words):
            condition = Q(search_text__icontains=word) | Q(search_text__icontains=dutch_stem(word))
            if len(word) >= 4:
                alias = f"_similarity_{index}"
                services = services.alias(**{alias: _SqliteSimilarity(Value(word), F("search_text"))})
                condition |= Q(**{f"{alias}__gte": SIMILARITY})
            services = services.filter(condition)
    phrase = " ".join(words)
    first = words[0]
    return services.annotate(
        _rank=Case(
            When(name__iexact=phrase, then=Value(4)),
            When(name__istartswith=first, then=Value(3)),
            When(name__icontains=first, then=Value(2)),
            When(search_text__icontains=phrase, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-_rank", "name", "id")


# --- Filters ------------------------------------------------------------------------------------


def term_with_descendants(term: TaxonomyTerm) -> list:
    """The ids of a term and all terms below it, by parent chain and by code prefix."""
    rows = list(
        TaxonomyTerm.objects.filter(taxonomy_detail_id=term.taxonomy_detail_id).values_list(
            "id", "parent_id", "code"
        )
    )
    children: dict[Any, list] = {}
    for pk, parent_id, _code in rows:
        children.setdefault(parent_id, []).append(pk)
    found = {term.pk}
    stack = [term.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    if term.code:
        found.update(pk for pk, _parent, code in rows if code.startswith(f"{term.code}-"))
    return list(found)


def _with_term(term: TaxonomyTerm) -> Exists:
    return Exists(
        ServiceTerm.objects.filter(
            service_id=OuterRef("pk"), taxonomy_term_id__in=term_with_descendants(term)
        )
    )


def _serves(*, municipality: Municipality | None, district: District | None) -> Q:
    """Services offered in the municipality or district.

    A service without any area that names a municipality or district serves the whole region.
    In a municipality: services for all of it and for any of its districts. In a district:
    services for that district and for the whole municipality it lies in.
    """
    located = ServiceArea.objects.filter(service_id=OuterRef("pk")).filter(
        Q(municipality__isnull=False) | Q(district__isnull=False)
    )
    if district is not None:
        matching = located.filter(Q(district=district) | Q(municipality_id=district.municipality_id))
    else:
        matching = located.filter(Q(municipality=municipality) | Q(district__municipality=municipality))
    return ~Q(Exists(located)) | Q(Exists(matching))


def service_search(
    *,
    query: str = "",
    category: TaxonomyTerm | None = None,
    target_group: TaxonomyTerm | None = None,
    municipality: Municipality | None = None,
    district: District | None = None,
    age: int | None = None,
    free: bool | None = None,
    open_now: bool | None = None,
    has_capacity: bool | None = None,
    public: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Service]:
    """Services matching the query and every filter given, best match first.

    ``public``: only what the public guide shows (active and temporarily closed); the desk
    also sees inactive services, with their status. Defunct services never show.
    """
    services = Service.objects.all()
    if public:
        services = services.filter(status__in=PUBLIC_STATUSES)
    else:
        services = services.exclude(status=Service.Status.DEFUNCT)
    visible = services  # before the filters: whether to allow typos depends on the words only
    if category is not None:
        services = services.filter(_with_term(category))
    if target_group is not None:
        services = services.filter(_with_term(target_group))
    if municipality is not None or district is not None:
        services = services.filter(_serves(municipality=municipality, district=district))
    if age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
        )
    if free:
        services = services.filter(is_free=True)
    if has_capacity:
        services = services.filter(capacity=Service.Capacity.AVAILABLE)
    if open_now:
        services = services.filter(open_now_filter(now))
    words = query_words(query)
    if not words:
        return services.order_by("name", "id")
    if connection.vendor == "postgresql":
        return _postgresql_search(services, visible, words)
    return _simple_search(services, visible, words)


# --- A page of results --------------------------------------------------------------------------


@dataclass
class ServicePage:
    services: list[Service]
    number: int
    page_size: int
    count: int
    capped: bool  # more than COUNT_CAP matches: count says COUNT_CAP
    num_pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.num_pages = max((self.count + self.page_size - 1) // self.page_size, 1)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.services) - 1 if self.services else 0


@dataclass(frozen=True)
class TermName:
    """A term as a result row shows it: read as plain values, not as model objects."""

    pk: Any
    name: str
    code: str

    @property
    def id(self) -> Any:
        return self.pk


def _attach_terms(rows: list[Service]) -> list[Service]:
    """Give the rows of a page their categories and target groups (``categories``,
    ``target_groups``, by code and name) and their stale flag, in one query of plain values."""
    by_service: dict[Any, tuple[list[TermName], list[TermName]]] = {row.pk: ([], []) for row in rows}
    if by_service:
        terms = (
            ServiceTerm.objects.filter(
                service_id__in=list(by_service),
                taxonomy_term__taxonomy_detail__facet__in=[
                    Taxonomy.Facet.CATEGORY,
                    Taxonomy.Facet.TARGET_GROUP,
                ],
            )
            .order_by("taxonomy_term__code", "taxonomy_term__name")
            .values_list(
                "service_id",
                "taxonomy_term_id",
                "taxonomy_term__name",
                "taxonomy_term__code",
                "taxonomy_term__taxonomy_detail__facet",
            )
        )
        for service_id, pk, name, code, facet in terms:
            categories, groups = by_service[service_id]
            (groups if facet == Taxonomy.Facet.TARGET_GROUP else categories).append(TermName(pk, name, code))
    for row in rows:
        row.stale = is_stale(row)
        row.categories, row.target_groups = by_service[row.pk]
    return rows


def _detail_prefetches() -> list[Prefetch]:
    return [
        Prefetch(
            "service_terms",
            queryset=ServiceTerm.objects.select_related("taxonomy_term__taxonomy_detail")
            .only(
                "id",
                "service_id",
                "taxonomy_term__id",
                "taxonomy_term__name",
                "taxonomy_term__code",
                "taxonomy_term__taxonomy_detail__id",
                "taxonomy_term__taxonomy_detail__facet",
            )
            .order_by("taxonomy_term__code", "taxonomy_term__name"),
        ),
        Prefetch(
            "service_areas",
            queryset=ServiceArea.objects.select_related("municipality", "district").order_by("name"),
        ),
    ]


def service_page(services: QuerySet[Service], *, page: int = 1, page_size: int | None = None) -> ServicePage:
    """One page of a search: a capped count and the page's rows with their terms.

    A search with words is ranked, so every match is read anyway: one query ranks them and
    counts them (a window count) and returns the page's ids, then the rows are read by id.
    Without words: a count capped at COUNT_CAP + 1, then the rows. Either way three queries
    (count and ids or count, rows, terms as plain values) however many rows match, and only
    the first when nothing does; a search with words adds one more (do the words match any
    service without typos?) in ``service_search``. Areas are not read: no result shows them.
    """
    page_size = page_size or settings.DIRECTORY_PAGE_SIZE
    if "_rank" in services.query.annotations:
        return _ranked_page(services, page=page, page_size=page_size)
    count = services.order_by().values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    count = min(count, COUNT_CAP)
    last = max((count + page_size - 1) // page_size, 1)
    number = min(max(page, 1), last)
    offset = (number - 1) * page_size
    rows = []
    if count:
        rows = list(services.select_related("organization").only(*RESULT_FIELDS)[offset : offset + page_size])
    return ServicePage(_attach_terms(rows), number, page_size, count, capped)


# Queries ``_without_sequential_scans`` adds on PostgreSQL: the setting, and putting it back.
PLANNER_QUERIES = {"postgresql": 2}


@contextmanager
def _without_sequential_scans():
    """On PostgreSQL: ``enable_seqscan = off`` for the ranked query only.

    For a broad word the planner adds up the full-text and substring estimates although they
    overlap, and then prefers reading the whole table (10–12 ms for "maaltijd") to a bitmap scan
    of the GIN indexes (2–3 ms); every word condition can use those indexes, so the setting only
    steers the choice. A local setting lasts until the transaction ends: outside one, this opens
    one; inside a caller's, the previous value is put back afterwards (an error inside marks that
    transaction for rollback, which undoes the setting)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH before AS MATERIALIZED (SELECT current_setting('enable_seqscan') AS value) "
                "SELECT value, set_config('enable_seqscan', 'off', true) FROM before"
            )
            previous = cursor.fetchone()[0]
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])


def _ranked_page(services: QuerySet[Service], *, page: int, page_size: int) -> ServicePage:
    """A page of a ranked search. Ranking reads every match, so counting them in the same scan
    (``COUNT(*) OVER ()``) is nearly free, where a separate count reads them all again; the
    scan carries only ids and sort keys, and the page's 25 rows are read by primary key."""
    ranked = services.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")

    def ids_of(number: int) -> list[tuple[Any, int]]:
        offset = (number - 1) * page_size
        return list(ranked[offset : offset + page_size])

    number = max(page, 1)
    with _without_sequential_scans():
        top = ids_of(number)
        if top:
            total = top[0][1]
        elif number > 1:
            # Beyond the last match: count (capped), then show the last page.
            total = services.order_by().values("pk")[: COUNT_CAP + 1].count()
        else:
            total = 0
        capped = total > COUNT_CAP
        count = min(total, COUNT_CAP)
        last = max((count + page_size - 1) // page_size, 1)
        if number > last:
            number = last
            top = ids_of(number) if count else []
    ids = [pk for pk, _total in top]
    found = {}
    if ids:
        found = Service.objects.select_related("organization").only(*RESULT_FIELDS).in_bulk(ids)
    rows = [found[pk] for pk in ids if pk in found]
    return ServicePage(_attach_terms(rows), number, page_size, count, capped)


# --- What a row shows ---------------------------------------------------------------------------


def is_stale(service: Service, today: datetime.date | None = None) -> bool:
    from django.utils import timezone

    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)
    return service.assured_date is None or service.assured_date < limit


def decorate(service: Service) -> Service:
    """Add what templates show: stale flag, category and target-group names (from prefetches)."""
    service.stale = is_stale(service)
    cache = getattr(service, "_prefetched_objects_cache", {})
    if "service_terms" in cache:
        categories, groups = [], []
        for link in cache["service_terms"]:
            term = link.taxonomy_term
            facet = term.taxonomy_detail.facet if term.taxonomy_detail_id else Taxonomy.Facet.OTHER
            if facet == Taxonomy.Facet.TARGET_GROUP:
                groups.append(term)
            elif facet == Taxonomy.Facet.CATEGORY:
                categories.append(term)
        service.categories = categories
        service.target_groups = groups
    return service


# --- Choices for the filters --------------------------------------------------------------------


@dataclass(frozen=True)
class TermChoices:
    """The category tree (grouped by top-level term) and the target groups, from one query.

    ``parent_of`` maps each category term to its parent: the ``parent`` field, or else the
    term whose code is the longest prefix of its code ("WON" for "WON-AAN").
    """

    categories: list[tuple[TaxonomyTerm, list[TaxonomyTerm]]]
    target_groups: list[TaxonomyTerm]
    by_id: dict[str, TaxonomyTerm]
    parent_of: dict[Any, Any]

    def ancestors(self, pk) -> list:
        """``pk`` and the ids above it, nearest first."""
        chain = [pk]
        while self.parent_of.get(chain[-1]) is not None and self.parent_of[chain[-1]] not in chain:
            chain.append(self.parent_of[chain[-1]])
        return chain

    def children(self, parent_pk) -> list[TaxonomyTerm]:
        return [term for term in self.by_id.values() if self.parent_of.get(term.pk, "-") == parent_pk]


def term_choices() -> TermChoices:
    terms = list(
        TaxonomyTerm.objects.filter(
            taxonomy_detail__facet__in=[Taxonomy.Facet.CATEGORY, Taxonomy.Facet.TARGET_GROUP]
        )
        .select_related("taxonomy_detail")
        .order_by("code", "name")
    )
    target_groups = [term for term in terms if term.taxonomy_detail.facet == Taxonomy.Facet.TARGET_GROUP]
    categories = [term for term in terms if term.taxonomy_detail.facet == Taxonomy.Facet.CATEGORY]
    by_pk = {term.pk: term for term in categories}
    by_code = {(term.taxonomy_detail_id, term.code): term for term in categories if term.code}
    parent_of: dict[Any, Any] = {}
    for term in categories:
        parent = term.parent_id if term.parent_id in by_pk else None
        if parent is None and term.code and "-" in term.code:
            code = term.code
            while "-" in code and parent is None:
                code = code.rsplit("-", 1)[0]
                found = by_code.get((term.taxonomy_detail_id, code))
                parent = found.pk if found else None
        parent_of[term.pk] = parent
    choices = TermChoices([], target_groups, {str(term.pk): term for term in terms}, parent_of)
    groups: dict[Any, list[TaxonomyTerm]] = {}
    tops = []
    for term in categories:
        root = choices.ancestors(term.pk)[-1]
        if root == term.pk:
            tops.append(term)
            groups.setdefault(term.pk, [])
        else:
            groups.setdefault(root, []).append(term)
    choices.categories.extend((top, groups.get(top.pk, [])) for top in tops)
    return choices


def category_counts(
    *, parent: TaxonomyTerm | None = None, public: bool = True, choices: TermChoices | None = None
) -> list[tuple[TaxonomyTerm, int]]:
    """The categories directly under ``parent`` (top level when None), each with the number
    of services in it or below it. Two queries (terms, counts), however many categories."""
    choices = choices or term_choices()
    if parent is None:
        buckets = [top for top, _children in choices.categories]
    else:
        buckets = sorted(choices.children(parent.pk), key=lambda term: (term.code, term.name))
    bucket_ids = {term.pk for term in buckets}
    members: dict[Any, list] = {}
    for term in choices.by_id.values():
        if term.pk not in choices.parent_of:
            continue  # a target group
        for ancestor in choices.ancestors(term.pk):
            if ancestor in bucket_ids:
                members.setdefault(ancestor, []).append(term.pk)
                break
    if not members:
        return [(term, 0) for term in buckets]
    services = (
        Service.objects.filter(status__in=PUBLIC_STATUSES)
        if public
        else Service.objects.exclude(status=Service.Status.DEFUNCT)
    )
    rows = (
        ServiceTerm.objects.filter(service__in=services.values("pk"))
        .annotate(
            bucket=Case(
                *[When(taxonomy_term_id__in=ids, then=Value(str(pk))) for pk, ids in members.items()],
                default=Value(""),
                output_field=CharField(),
            )
        )
        .exclude(bucket="")
        .values("bucket")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("bucket", "n")
    )
    counts = dict(rows)
    return [(term, counts.get(str(term.pk), 0)) for term in buckets]


# --- One service --------------------------------------------------------------------------------


def service_detail(*, pk, public: bool = False) -> Service:
    """A service with everything its page shows; defunct services (and, for the public,
    inactive ones) are not found."""
    services = (
        Service.objects.filter(status__in=PUBLIC_STATUSES)
        if public
        else Service.objects.exclude(status=Service.Status.DEFUNCT)
    )
    at_locations = ServiceAtLocation.objects.select_related("location").prefetch_related(
        "location__addresses",
        "location__accessibility",
        "location__phones",
        "location__languages",
        Prefetch("location__schedules", queryset=Schedule.objects.order_by("opens_at")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
        "phones",
    )
    try:
        service = (
            services.select_related("organization")
            .prefetch_related(
                Prefetch("service_at_locations", queryset=at_locations),
                Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
                "phones",
                "contacts__phones",
                "cost_options",
                "languages",
                *_detail_prefetches(),
            )
            .get(pk=pk)
        )
    except Service.DoesNotExist:
        raise Http404 from None
    return decorate(service)
