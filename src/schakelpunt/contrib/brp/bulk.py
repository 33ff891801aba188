"""Bulk reads and writes for the register's batches: many rows in one statement, cheaply.

On PostgreSQL a batch's rows go as one array per column, each written here as a single text
literal (``{1,2,NULL}``, ``{"a","b \\"c\\""}``): an update is ``UPDATE … FROM unnest(…)``, an
insert ``INSERT … SELECT … FROM unnest(…)``, and a long ``IN`` list one array parameter. Django
would instead write a ``CASE WHEN pk = … THEN …`` per field and row (time in the square of the
rows), or prepare a list value by value, and psycopg would make each array element by element
in Python, which cost more than the statements themselves. A column with the same value in
every row goes as that one value. Other databases use plain statements: ``executemany`` for
updates, Django's ``bulk_create`` for inserts. The values are never spliced into the SQL text:
they go as parameters; only names from the models are.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone


def among(model: type[models.Model], name: str, values: Iterable) -> Any:
    """The right-hand side of ``<name>__in`` for a batch's many values.

    On PostgreSQL one array parameter, made by :func:`_array_literal`
    (``IN (SELECT unnest(%s::integer[]))``): Django prepares a list value by value, which costs
    more than the query for a thousand of them. Elsewhere the plain list.
    """
    values = list(values)
    if connection.vendor != "postgresql":
        return values
    column = _column(model, name)
    return RawSQL(  # noqa: S611 - the type comes from the model, the values go as a parameter
        f"SELECT unnest(%s::{column.db_type(connection)}[])",
        [_array_literal(column, values)],
        output_field=column,
    )


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _each_once(values: list, write) -> list[str]:
    """``write(value)`` for each distinct value once (a batch's dates and moments repeat)."""
    written = {value: "NULL" if value is None else write(value) for value in set(values)}
    return [written[value] for value in values]


def _array_literal(column: models.Field, values: list) -> str:
    """The values of one column as a PostgreSQL array literal, NULL for None."""
    internal = column.get_internal_type()
    if internal == "BooleanField":
        items = ["NULL" if v is None else ("t" if v else "f") for v in values]
    elif internal in _INTEGER_TYPES:
        items = ["NULL" if v is None else str(int(v)) for v in values]
    elif internal == "DateField":
        items = _each_once(values, lambda v: v.isoformat())
    elif internal == "DateTimeField":
        items = _each_once(values, lambda v: '"' + _aware(v).isoformat() + '"')
    elif internal == "JSONField":
        encoder = column.encoder  # type: ignore[attr-defined]
        items = ["NULL" if v is None else _quoted(json.dumps(v, cls=encoder)) for v in values]
    elif internal in ("CharField", "TextField", "SlugField", "EmailField", "GenericIPAddressField"):
        items = ["NULL" if v is None else _quoted(str(v)) for v in values]
    else:
        raise TypeError(f"no array literal for {column!r} ({internal})")
    return "{" + ",".join(items) + "}"


def _aware(value: datetime.datetime) -> datetime.datetime:
    return value if value.tzinfo is not None else timezone.make_aware(value)


# Values the database drivers take as Python gives them (dates and moments Django prepares).
_AS_THEY_ARE = {"BooleanField", "CharField", "TextField", "ForeignKey", "OneToOneField"}

_INTEGER_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField",
}  # fmt: skip
_AS_THEY_ARE |= _INTEGER_TYPES


def _column(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    if field.is_relation:  # a foreign key: the column holds the target's key
        return field.target_field  # type: ignore[union-attr]
    return field  # type: ignore[return-value]


class _Rows:
    """Columns of values as the source of an ``INSERT`` or ``UPDATE`` on PostgreSQL: one array
    per column, ``unnest(…) AS v(…)``, except that a column with the same value in every row
    (the run, the source, this moment) goes as that one value. The first column is always an
    array: it carries the number of rows."""

    def __init__(self, model: type[models.Model], fields: list[models.Field], columns: list[list]) -> None:
        quote = connection.ops.quote_name
        self.expressions: list[str] = []  # per field: ``v."column"`` or ``%s::type``
        self.scalars: list[Any] = []
        arrays, names, self.arrays = [], [], []
        for i, (f, values) in enumerate(zip(fields, columns, strict=True)):
            column = _column(model, f.name)
            db_type = f.db_type(connection)
            if i and values.count(values[0]) == len(values):
                self.expressions.append(f"%s::{db_type}")
                self.scalars.append(column.get_db_prep_save(values[0], connection))
            else:
                self.expressions.append(f"v.{quote(f.column)}")
                arrays.append(f"%s::{db_type}[]")
                names.append(quote(f.column))
                self.arrays.append(_array_literal(column, values))
        self.source = f"unnest({', '.join(arrays)}) AS v({', '.join(names)})"


def update_values(model: type[models.Model], columns: dict[str, list]) -> None:
    """Set the columns of the rows with these keys: ``{"id": [pks], field: [values], …}``."""
    keys = columns[model._meta.pk.attname]
    if not keys:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    if connection.vendor != "postgresql":
        # One statement run for each row (``executemany``): Django's ``bulk_update`` writes a
        # ``CASE`` per field and row, which costs time in the square of the rows.
        names = [name for name in columns if name != meta.pk.attname]
        prepared = []
        for name in names:
            column, values = _column(model, name), columns[name]
            if column.get_internal_type() not in _AS_THEY_ARE:
                values = [column.get_db_prep_save(value, connection) for value in values]
            prepared.append(values)
        assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s",  # noqa: S608
                list(zip(*prepared, keys, strict=True)),
            )
        return
    fields = [meta.get_field(name) for name in columns]  # the key first
    rows = _Rows(model, fields, list(columns.values()))
    assignments = ", ".join(
        f"{quote(f.column)} = {value}" for f, value in zip(fields[1:], rows.expressions[1:], strict=True)
    )
    pk = quote(meta.pk.column)
    # ``t.pk = ANY(keys)`` as well: it tells the planner how few rows of the table take part, so
    # it fetches them by key instead of reading a small table whole for a hash join.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from the model
            f"FROM {rows.source} WHERE t.{pk} = v.{pk} AND t.{pk} = ANY(%s::{meta.pk.db_type(connection)}[])",
            [*rows.scalars, *rows.arrays, rows.arrays[0]],
        )


def update(model: type[models.Model], objs: list, fields: list[str]) -> None:
    """``bulk_update`` of these fields of these objects (model instances, or anything with the
    model's attribute names: :class:`ResidentRow`); see :func:`update_values`."""
    if not objs:
        return
    attnames = [model._meta.pk.attname, *(model._meta.get_field(name).attname for name in fields)]
    update_values(model, {name: [getattr(obj, name) for obj in objs] for name in attnames})


def insert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    now: datetime.datetime,
    on_conflict: tuple[str, list[str]] | None = None,
) -> None:
    """Insert rows given as ``{attname: value}``, without reading their new ids back.

    A column a row leaves out gets the field's default, or ``now`` for ``auto_now(_add)``.
    ``on_conflict=(unique field, fields)``: a row whose unique field exists already updates
    these fields of the existing row instead.
    """
    if not rows:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults: dict[str, Any] = {}  # as Django fills in a field the row leaves out; made anew: callables
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif not (f.has_default() and callable(f.default)):
            defaults[f.attname] = f.get_default()
    if connection.vendor != "postgresql":
        objs = [model(**{**defaults, **row}) for row in rows]
        if on_conflict is None:
            model._default_manager.bulk_create(objs)
        else:
            unique, update = on_conflict
            model._default_manager.bulk_create(
                objs, update_conflicts=True, unique_fields=[unique], update_fields=update
            )
        return
    columns = []
    for f in fields:
        name = f.attname
        if name in defaults:
            default = defaults[name]
            columns.append([row.get(name, default) for row in rows])
        else:
            columns.append([row[name] if name in row else f.get_default() for row in rows])
    quote = connection.ops.quote_name
    source = _Rows(model, fields, columns)
    conflict = ""
    if on_conflict is not None:
        unique, update = on_conflict
        columns_set = ", ".join(
            f"{quote(meta.get_field(name).column)} = EXCLUDED.{quote(meta.get_field(name).column)}"
            for name in update
        )
        conflict = f" ON CONFLICT ({quote(meta.get_field(unique).column)}) DO UPDATE SET {columns_set}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"SELECT {', '.join(source.expressions)} FROM {source.source}{conflict}",
            [*source.scalars, *source.arrays],
        )
