"""Import an HSDS 3.1 dataset into the directory: ``schakelpunt import_hsds PATH``.

The import runs in four steps:

1. **read** (:mod:`.reader`): every form becomes flat records, each in a *group* (a nested
   document, or one row of the tabular form);
2. **check** each record: against its official schema (:mod:`.validation`), then its values
   against the model (lengths, dates and times, opening before closing, age range);
3. **resolve references**: to records of this import or rows already in the database. An
   unknown organisation on a service, or a missing service or location on a service at a
   location, is an error; an unknown optional reference (the organisation of a location, a
   parent term) is a warning and the link is left empty. A group with an error is rejected as a
   whole, and so is every record that needs a rejected record, until nothing changes;
4. **write** what is left, table by table in bulk: rows are compared with what the database
   holds (upsert by HSDS id) and only real changes are written, with history for the models
   that keep it. Importing the same dataset again changes nothing.

Rejected records change nothing: they are left out before anything is written. Should the
database still refuse a batch, the batch is written again group by group, each in a savepoint,
and the groups it refuses are reported. The import does not delete: what a dataset no longer
holds stays until someone removes it.
"""

from __future__ import annotations

import gc
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from schakelpunt.directory import models as directory
from schakelpunt.directory.hsds import extension, validation
from schakelpunt.directory.hsds.mapping import (
    NOUN,
    NOUN_WITH_ARTICLE,
    TABLE_MODELS,
    field_maps,
    fields_from_row,
    parse_uuid,
)
from schakelpunt.directory.hsds.reader import Dataset, Record, read
from schakelpunt.directory.indexing import refresh_search_text

HISTORY_MODELS = {
    directory.Organization,
    directory.Location,
    directory.Service,
    directory.ServiceAtLocation,
    directory.Schedule,
}
CHANGE_REASON = "HSDS-import"
BATCH_SIZE = 1000
LOOKUP_CHUNK = 5000
# After writing this many rows the import refreshes the planner's statistics (and flushes the
# search indexes' pending lists) itself instead of waiting for autovacuum: see _after_bulk_write.
BULK_ROWS = 1000
# References whose absence makes a record unusable (HSDS requires them in the tabular form,
# or the model cannot hold the record without them).
REQUIRED_REFERENCES = {
    ("services", "organization_id"),
    ("service_at_location", "service_id"),
    ("service_at_location", "location_id"),
    ("addresses", "location_id"),
    ("accessibility", "location_id"),
    ("cost_options", "service_id"),
}


@dataclass
class Issue:
    level: str  # "fout" or "waarschuwing"
    label: str
    message: str
    source: str = ""

    def __str__(self) -> str:
        where = f" [{self.source}]" if self.source else ""
        return f"{self.label}: {self.message}{where}"


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    not_kept: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    service_ids: set = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{sum(self.created.values())} nieuw, {sum(self.updated.values())} bijgewerkt, "
            f"{sum(self.unchanged.values())} ongewijzigd, {sum(self.invalid.values())} ongeldig"
        )


@dataclass
class _Item:
    """One record that survived the checks: the model values to write."""

    record: Record
    table: str
    pk: uuid.UUID
    values: dict[str, Any]
    refs: dict[str, tuple[str, uuid.UUID]]  # attname → (table, id)


class HsdsImporter:
    def __init__(
        self,
        *,
        progress: Callable[[str], None] | None = None,
        progress_every: int = 1000,
        batch_size: int = BATCH_SIZE,
    ):
        self.progress = progress or (lambda text: None)
        self.progress_every = progress_every
        self.batch_size = batch_size
        self.result = ImportResult()
        self.now = timezone.now()
        # New services whose search text was built while writing them (_prepare_search_text):
        # the refresh afterwards leaves them out.
        self.prepared: set[uuid.UUID] = set()

    # --- 1 and 2: read and check --------------------------------------------------------------

    def run(self, path: Path | str) -> ImportResult:
        dataset = read(path)
        return self.run_dataset(dataset)

    def run_dataset(self, dataset: Dataset) -> ImportResult:
        # A large import makes hundreds of thousands of small objects that live until the end;
        # the cyclic garbage collector would walk them again and again for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._run(dataset)
        finally:
            if collecting:
                gc.enable()

    def _run(self, dataset: Dataset) -> ImportResult:
        result = self.result
        for problem in dataset.file_problems:
            result.errors.append(Issue("fout", f"bestand {problem.source}", problem.message))
        result.notes += dataset.notes
        self.progress(f"{len(dataset.records)} records gelezen; controleren…")
        items, rejected_groups = self._check(dataset.records)
        items = self._resolve(items, rejected_groups)
        self._write(items)
        return result

    def _reject(self, record: Record, message: str, groups: set[str]) -> None:
        self.result.errors.append(Issue("fout", record.label, message, record.source))
        groups.add(record.group)

    def _warn(self, record: Record, message: str) -> None:
        self.result.warnings.append(Issue("waarschuwing", record.label, message, record.source))

    def _check(self, records: list[Record]) -> tuple[list[_Item], set[str]]:
        rejected: set[str] = set()
        items: list[_Item] = []
        for count, record in enumerate(records, start=1):
            if count % self.progress_every == 0:
                self.progress(f"  {count} records gecontroleerd")
            if record.table not in TABLE_MODELS:
                self.result.not_kept[record.table] += 1
                continue
            problems = list(record.problems)
            problems += validation.record_errors(validation.TABLE_SCHEMAS[record.table], record.data)
            if problems:
                for problem in problems:
                    self._reject(record, problem, rejected)
                continue
            values, problems = fields_from_row(record.table, record.data)
            if problems:
                for problem in problems:
                    self._reject(record, problem, rejected)
                continue
            refs = {}
            for fmap in field_maps(record.table):
                if fmap.target and values.get(fmap.attname) is not None:
                    refs[fmap.attname] = (fmap.target, values[fmap.attname])
                elif fmap.target and (record.table, fmap.hsds) in REQUIRED_REFERENCES:
                    self._reject(record, f"{fmap.hsds} ontbreekt: {_NEEDS[record.table]}", rejected)
            if record.table == "attributes" and record.data.get("link_entity", "service") != "service":
                refs.pop("service_id", None)
            items.append(_Item(record, record.table, parse_uuid(record.id), values, refs))
        return items, rejected

    # --- 3: references ------------------------------------------------------------------------

    def _existing_ids(self, items: list[_Item]) -> dict[str, set[uuid.UUID]]:
        """The referenced ids that are not in this import but are in the database."""
        in_input = defaultdict(set)
        for item in items:
            in_input[item.table].add(item.pk)
        wanted = defaultdict(set)
        for item in items:
            for table, pk in item.refs.values():
                if pk not in in_input[table]:
                    wanted[table].add(pk)
        found = defaultdict(set)
        for table, pks in wanted.items():
            model = TABLE_MODELS[table]
            pks = list(pks)
            for start in range(0, len(pks), LOOKUP_CHUNK):
                chunk = pks[start : start + LOOKUP_CHUNK]
                found[table].update(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        return found

    def _resolve(self, items: list[_Item], rejected: set[str]) -> list[_Item]:
        in_db = self._existing_ids(items)
        ext_meanings = extension.meanings()
        ext_taxonomy_ids = extension.TAXONOMY_IDS
        self.area_term_ids = {
            item.pk
            for item in items
            if item.table == "taxonomy_terms" and item.values.get("taxonomy_detail_id") == extension.AREA.id
        }
        # Records of our own taxonomies are not directory terms: leave them out quietly.
        items = [
            item
            for item in items
            if not (item.table == "taxonomies" and item.pk in ext_taxonomy_ids)
            and not (
                item.table == "taxonomy_terms" and item.values.get("taxonomy_detail_id") in ext_taxonomy_ids
            )
        ]
        area_terms = self._area_terms() if any(item.table == "attributes" for item in items) else {}
        in_input = defaultdict(set)
        for item in items:
            in_input[item.table].add(item.pk)
        dropped: set[int] = set()
        while True:
            valid = defaultdict(set)
            for item in items:
                if item.record.group not in rejected:
                    valid[item.table].add(item.pk)
            newly = set()
            for item in items:
                if item.record.group in rejected or id(item) in dropped:
                    continue
                for attname, (table, pk) in item.refs.items():
                    if pk in valid[table] or pk in in_db[table]:
                        continue
                    hsds = _hsds_name(item.table, attname)
                    if pk in in_input[table]:
                        if item.table == "attributes":
                            dropped.add(id(item))  # goes with its rejected record, quietly
                            break
                        self._reject(
                            item.record,
                            f"{hsds} verwijst naar {NOUN[table]} {pk}, die is afgewezen",
                            newly,
                        )
                        break
                    if (item.table, hsds) in REQUIRED_REFERENCES:
                        self._reject(
                            item.record,
                            f"{hsds} verwijst naar {NOUN_WITH_ARTICLE.get(table, NOUN[table])}",
                            newly,
                        )
                        break
            if not newly:
                break
            rejected |= newly
        kept = []
        for item in items:
            if item.record.group in rejected:
                self.result.invalid[item.table] += 1
            elif id(item) not in dropped:
                kept.append(item)
        # Optional references to what exists nowhere: a warning, and the link left empty.
        for item in kept:
            if item.table == "attributes":
                continue
            for attname, (table, pk) in list(item.refs.items()):
                if pk not in valid[table] and pk not in in_db[table]:
                    self._warn(
                        item.record,
                        f"{_hsds_name(item.table, attname)} verwijst naar "
                        f"{NOUN_WITH_ARTICLE.get(table, NOUN[table])} ({pk}); de koppeling blijft leeg",
                    )
                    item.values[attname] = None
                    del item.refs[attname]
        return self._apply_attributes(kept, valid, in_db, ext_meanings, area_terms)

    def _area_terms(self) -> dict[uuid.UUID, tuple[str, Any]]:
        terms = {}
        for municipality in directory.Location._meta.get_field("municipality").related_model.objects.all():
            terms[extension.term_id(extension.AREA, municipality.code)] = ("municipality", municipality)
        for district in directory.Location._meta.get_field("district").related_model.objects.all():
            terms[extension.term_id(extension.AREA, district.code)] = ("district", district)
        return terms

    def _apply_attributes(self, items, valid, in_db, meanings, area_terms) -> list[_Item]:
        """Attributes: our own set fields of their record; others become service terms."""
        by_key = {(item.table, item.pk): item for item in items}
        kept = []
        links: dict[tuple, _Item] = {}
        for item in items:
            if item.table != "attributes":
                kept.append(item)
                continue
            data = item.record.data
            entity = data.get("link_entity", "service")
            term = item.values.get("taxonomy_term_id")
            link = data.get("link_id")
            meaning = meanings.get(term)
            area = area_terms.get(term)
            if meaning is not None or area is not None or term in self.area_term_ids:
                target_table = {"service": "services", "taxonomy": "taxonomies", "location": "locations"}.get(
                    entity, "service_areas" if entity == "service_area" else None
                )
                target = by_key.get((target_table, _uuid(link))) if target_table else None
                if target is None:
                    self._warn(
                        item.record, "hoort bij een record dat niet in deze import staat; overgeslagen"
                    )
                    continue
                if area is None and meaning is None:
                    self._warn(item.record, "onbekende gemeente of wijk (CBS-code); overgeslagen")
                    continue
                if area is not None:
                    kind, place = area
                    target.values[f"{kind}_id"] = place.pk
                else:
                    _apply_meaning(target, meaning, data.get("value", ""))
                continue
            if entity != "service":
                self.result.not_kept["attributes"] += 1
                continue
            service = item.values.get("service_id")
            if term not in valid["taxonomy_terms"] and term not in in_db["taxonomy_terms"]:
                self._warn(
                    item.record,
                    f"taxonomy_term_id verwijst naar een onbekende taxonomieterm ({term}); overgeslagen",
                )
                continue
            if service not in valid["services"] and service not in in_db["services"]:
                self._warn(item.record, f"link_id verwijst naar een onbekende dienst ({link}); overgeslagen")
                continue
            links[(service, term)] = item  # one link per service and term: the last one counts
        kept += links.values()
        # Checks that need the whole service: a wait band only with a waiting list.
        for item in kept:
            if item.table == "services":
                capacity = item.values.get("capacity")
                if item.values.get("capacity_wait_band") and capacity not in (None, "waiting_list"):
                    self._warn(
                        item.record, "een verwachte wachttijd hoort alleen bij een wachtlijst; genegeerd"
                    )
                    item.values["capacity_wait_band"] = ""
        return kept

    # --- 4: write ------------------------------------------------------------------------------

    def _write(self, items: list[_Item]) -> None:
        by_table: dict[str, dict[uuid.UUID, _Item]] = defaultdict(dict)
        for item in items:
            by_table[item.table][item.pk] = item  # the last record with an id counts
        try:
            with transaction.atomic():
                self._write_tables(by_table)
        except DatabaseError as error:
            # Should not happen after the checks; write group by group to find the culprit.
            self.progress(f"De database weigerde een batch ({error}); nu per groep…")
            self.result.created.clear()
            self.result.updated.clear()
            self.result.unchanged.clear()
            self.result.service_ids.clear()
            self._write_per_group(by_table)
            self.prepared.clear()  # a group may miss the terms of another: refresh them all
        # The refresh reads a service's terms in table order: on PostgreSQL the order they were
        # written in (COPY), the order _prepare_search_text used; SQLite may read them in
        # another order, so there every service is refreshed (the tests' small imports).
        prepared = self.prepared if connection.vendor == "postgresql" else set()
        if self.result.service_ids - prepared:
            refresh_search_text(self.result.service_ids - prepared)
        self._after_bulk_write(by_table)

    def _after_bulk_write(self, by_table) -> None:
        """After a large import on PostgreSQL: move the rows waiting in the GIN pending lists of
        the service table (full-text and trigram search) into the indexes, and ANALYZE the
        tables written. Until autovacuum does both, every search reads the whole pending list
        (10,000 rows after a first import) and the planner plans with the statistics of an
        empty directory (sequential scans, search p95 several times higher). Both are allowed
        inside a transaction (VACUUM is not); a role that does not own the tables skips them."""
        written = {table: self.result.created[table] + self.result.updated[table] for table in by_table}
        if connection.vendor != "postgresql" or sum(written.values()) < BULK_ROWS:
            return
        tables = sorted(
            {
                (directory.ServiceTerm if table == "attributes" else TABLE_MODELS[table])._meta.db_table
                for table, rows in written.items()
                if rows
            }
            | {directory.Service._meta.db_table}
        )
        self.progress("Zoekindexen en statistieken bijwerken…")
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am m ON m.oid = c.relam "
                    "WHERE i.indrelid = %s::regclass AND m.amname = 'gin'",
                    [directory.Service._meta.db_table],
                )
        except DatabaseError:
            pass  # not the owner of the indexes: autovacuum will do it
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(name) for name in tables))

    def _write_per_group(self, by_table) -> None:
        groups = defaultdict(lambda: defaultdict(dict))
        for table, items in by_table.items():
            for pk, item in items.items():
                groups[item.record.group][table][pk] = item
        for tables in groups.values():
            try:
                with transaction.atomic():
                    self._write_tables(tables)
            except DatabaseError as error:
                for items in tables.values():
                    for item in items.values():
                        self.result.errors.append(
                            Issue(
                                "fout",
                                item.record.label,
                                f"de database weigerde het: {error}",
                                item.record.source,
                            )
                        )
                        self.result.invalid[item.table] += 1

    def _write_tables(self, by_table) -> None:
        self.by_table = by_table
        for table, model in TABLE_MODELS.items():
            items = by_table.get(table)
            if not items:
                continue
            if table == "attributes":
                self._write_service_terms(list(items.values()))
            else:
                self._upsert(table, model, items)
            self.progress(
                f"{table}: {self.result.created[table]} nieuw, {self.result.updated[table]} bijgewerkt, "
                f"{self.result.unchanged[table]} ongewijzigd"
            )

    def _upsert(self, table: str, model, items: dict[uuid.UUID, _Item]) -> None:
        pks = list(items)
        history = model in HISTORY_MODELS
        present = _existing_pks(model, pks)
        for start in range(0, len(pks), self.batch_size):
            chunk = pks[start : start + self.batch_size]
            stored = [pk for pk in chunk if pk in present]
            existing = model.objects.in_bulk(stored) if stored else {}
            create, update, changed = [], [], set()
            for pk in chunk:
                values = items[pk].values
                obj = existing.get(pk)
                if obj is None:
                    create.append(self._new(model, pk, values))
                    continue
                diff = [name for name, value in values.items() if getattr(obj, name) != value]
                if not diff:
                    self.result.unchanged[table] += 1
                    continue
                for name in diff:
                    setattr(obj, name, values[name])
                obj.updated_at = self.now
                if table == "services":
                    obj.version += 1
                    changed.add("version")
                changed.update(diff)
                update.append(obj)
            if create:
                if table == "services":
                    self._prepare_search_text(create)
                    self.prepared.update(obj.pk for obj in create)
                self._insert(model, create, history=history)
            if update:
                fields = sorted(changed | {"updated_at"})
                if history:
                    bulk_update_with_history(
                        update, model, fields, batch_size=self.batch_size, default_change_reason=CHANGE_REASON
                    )
                else:
                    model.objects.bulk_update(update, fields, batch_size=self.batch_size)
            self.result.created[table] += len(create)
            self.result.updated[table] += len(update)
            if table == "services":
                self.result.service_ids.update(obj.pk for obj in create + update)
            if table in ("organizations", "taxonomy_terms") and update:
                self._touch_services_of(table, [obj.pk for obj in update])

    def _new(self, model, pk, values: dict):
        """A new row: a model instance, or on PostgreSQL (COPY) only its values, which is
        several times cheaper for a hundred thousand rows."""
        if connection.vendor != "postgresql":
            return model(pk=pk, **values)
        defaults = _defaults(model)
        row = SimpleNamespace(**defaults)
        row.__dict__.update(values)
        row.pk = row.id = pk
        return row

    def _insert(self, model, objs: list, *, history: bool) -> None:
        """New rows: COPY on PostgreSQL (with their history rows), bulk_create elsewhere."""
        if connection.vendor != "postgresql":
            if history:
                bulk_create_with_history(
                    objs, model, batch_size=self.batch_size, default_change_reason=CHANGE_REASON
                )
            else:
                model.objects.bulk_create(objs, batch_size=self.batch_size)
            return
        for obj in objs:
            obj.created_at = obj.updated_at = self.now
        fields = model._meta.concrete_fields
        _copy(
            model._meta.db_table,
            [f.column for f in fields],
            ([getattr(obj, f.attname) for f in fields] for obj in objs),
        )
        if history:
            historical = model.history.model
            tracked = [
                f
                for f in historical._meta.concrete_fields
                if f.attname
                not in (
                    "history_id",
                    "history_date",
                    "history_change_reason",
                    "history_type",
                    "history_user_id",
                )
            ]
            columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type"]
            _copy(
                historical._meta.db_table,
                columns,
                ([getattr(obj, f.attname) for f in tracked] + [self.now, CHANGE_REASON, "+"] for obj in objs),
            )

    def _prepare_search_text(self, services: list) -> None:
        """Give new services the search text :func:`refresh_search_text` would give them, so that
        the refresh afterwards (which still runs, and corrects any difference) has nothing to
        write: one bulk update of 10,000 rows costs more than the whole insert."""
        # Organisations and terms are written before services, so the database holds them as
        # the refresh would read them; a new service's terms are all in this import. Read once.
        if not hasattr(self, "_terms"):
            wanted = {
                item.values.get("organization_id") for item in self.by_table.get("services", {}).values()
            } - {None}
            self._organizations = {
                pk: (name, alternate)
                for pk, name, alternate in directory.Organization.objects.filter(
                    pk__in=list(wanted)
                ).values_list("pk", "name", "alternate_name")
            }
            self._terms = {
                pk: (name, parent)
                for pk, name, parent in directory.TaxonomyTerm.objects.values_list("pk", "name", "parent_id")
            }
            self._terms_of = defaultdict(list)
            for item in self.by_table.get("attributes", {}).values():
                self._terms_of[item.values["service_id"]].append(item.values["taxonomy_term_id"])
        organizations, terms_of = self._organizations, self._terms_of
        for service in services:
            parts = [
                service.name,
                service.alternate_name,
                service.description,
                service.eligibility_description,
            ]
            if service.organization_id:
                parts += list(organizations.get(service.organization_id, ("", "")))
            names: list[str] = []
            for term in terms_of.get(service.pk, ()):
                seen = set()
                while term is not None and term in self._terms and term not in seen:
                    seen.add(term)
                    name, term = self._terms[term][0], self._terms[term][1]
                    if name not in names:
                        names.append(name)
            parts += names
            service.search_text = " ".join(part.strip() for part in parts if part and part.strip())

    def _touch_services_of(self, table: str, pks: list) -> None:
        """A renamed organisation or term changes the search text of its services."""
        if table == "organizations":
            services = directory.Service.objects.filter(organization_id__in=pks)
        else:
            services = directory.Service.objects.filter(service_terms__taxonomy_term_id__in=pks)
        self.result.service_ids.update(services.values_list("pk", flat=True))

    def _write_service_terms(self, items: list[_Item]) -> None:
        table = "attributes"
        model = directory.ServiceTerm
        wanted = {(item.values["service_id"], item.values["taxonomy_term_id"]): item for item in items}
        # A service created by this import has no links yet.
        services = list({service for service, _ in wanted} - self.prepared)
        existing = {}
        for start in range(0, len(services), LOOKUP_CHUNK):
            for link in model.objects.filter(service_id__in=services[start : start + LOOKUP_CHUNK]):
                existing[(link.service_id, link.taxonomy_term_id)] = link
        create, update = [], []
        names = ["link_type", "value", "label"]
        for key, item in wanted.items():
            link = existing.get(key)
            if link is None:
                create.append(self._new(model, item.pk, item.values))
                continue
            diff = [name for name in names if getattr(link, name) != item.values[name]]
            if not diff:
                self.result.unchanged[table] += 1
                continue
            for name in diff:
                setattr(link, name, item.values[name])
            link.updated_at = self.now
            update.append(link)
        self._insert(model, create, history=False)
        model.objects.bulk_update(update, [*names, "updated_at"], batch_size=self.batch_size)
        self.result.created[table] += len(create)
        self.result.updated[table] += len(update)
        self.result.service_ids.update(link.service_id for link in create + update)


_NEEDS = {
    "services": "elke dienst hoort bij een organisatie",
    "service_at_location": "een dienst-op-locatie koppelt een dienst aan een locatie",
    "addresses": "een adres hoort bij een locatie",
    "accessibility": "toegankelijkheid hoort bij een locatie",
    "cost_options": "een tarief hoort bij een dienst",
}


@cache
def _defaults(model) -> dict:
    return {field.attname: field.get_default() for field in model._meta.concrete_fields}


def _existing_pks(model, pks: list) -> set:
    """Which of ``pks`` the table holds: on PostgreSQL one query with one array parameter
    (a first import finds none, and then reads no rows at all)."""
    if not pks:
        return set()
    if connection.vendor != "postgresql":
        found = set()
        for start in range(0, len(pks), LOOKUP_CHUNK):
            found.update(
                model.objects.filter(pk__in=pks[start : start + LOOKUP_CHUNK]).values_list("pk", flat=True)
            )
        return found
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        # Quoted names from the model, the ids as a parameter.
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)", [pks])  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def _copy(table: str, columns: list[str], rows: Iterable[list]) -> None:
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _hsds_name(table: str, attname: str) -> str:
    for fmap in field_maps(table):
        if fmap.attname == attname:
            return fmap.hsds
    return attname


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _apply_meaning(target: _Item, meaning: extension.Meaning, value: str) -> None:
    kind, _, code = meaning.code.partition(":")
    if meaning.taxonomy is extension.CAPACITY and kind == "capacity":
        target.values["capacity"] = code
        target.values.setdefault("capacity_wait_band", "")
        target.values["capacity_confirmed_on"] = validation.parse_date(value) if value else None
    elif meaning.taxonomy is extension.CAPACITY and kind == "wait_band":
        target.values["capacity_wait_band"] = code
    elif meaning.taxonomy is extension.COSTS:
        target.values["is_free"] = value.strip().lower() in ("true", "1", "ja", "yes")
    elif meaning.taxonomy is extension.FACET:
        target.values["facet"] = code


def hsds_import(
    *,
    path: Path | str,
    progress: Callable[[str], None] | None = None,
    progress_every: int = 1000,
) -> ImportResult:
    """Import an HSDS dataset (file or directory); see the module's docstring."""
    return HsdsImporter(progress=progress, progress_every=progress_every).run(path)


def import_documents(documents: Iterable[dict], *, source: str = "documenten") -> ImportResult:
    """Import HSDS documents already in memory (the generator and tests use it)."""
    from schakelpunt.directory.hsds.reader import read_json

    dataset = Dataset()
    read_json(list(documents), source, dataset)
    return HsdsImporter().run_dataset(dataset)
