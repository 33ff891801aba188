"""Write generated rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of a table's declared columns. Moments are given as
seconds since the epoch (UTC) and turned into the database's own format here, so the
generator never builds a model instance for the millions of rows it writes.

On PostgreSQL a large load can *defer* a table's secondary indexes and foreign keys: they
are dropped before the load and rebuilt afterwards, which is several times faster than
maintaining them row by row. Their definitions are kept in the table's comment until they
are back, so a load that is killed half-way is repaired by the next run (or by
:func:`restore_deferred`).
"""

from __future__ import annotations

import datetime
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models, transaction

UTC = datetime.UTC
COMMENT_PREFIX = "schakelpunt-synthetic-deferred:"


@dataclass
class Table:
    """One table being written: its columns, its id counter and the rows not yet written."""

    model: type[models.Model] | None
    name: str
    columns: tuple[str, ...]
    moments: tuple[int, ...] = ()  # positions of columns given as epoch seconds
    dates: tuple[int, ...] = ()  # positions of datetime.date columns
    next_id: int = 1
    limit: int = 0  # the highest id this writer may hand out (0: no limit), when parts share a table
    auto_id: bool = False  # the database numbers the rows, in the order they are written
    rows: list[tuple] = field(default_factory=list)
    written: int = 0

    def take_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


def table_for(model: type[models.Model], columns: Sequence[str], *, auto_id: bool = False) -> Table:
    """A Table for ``model``, checked against the model: every required column must be written."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    if auto_id:
        fields.pop("id")
    unknown = [column for column in columns if column not in fields]
    if unknown:
        raise ValueError(f"{model._meta.db_table}: no such columns {unknown}")
    missing = [
        column
        for column, f in fields.items()
        if column not in columns and not f.null and not f.has_db_default()
    ]
    if missing:
        raise ValueError(
            f"{model._meta.db_table}: the generator does not write the required columns {missing}; "
            "add them to schakelpunt.core.synthetic"
        )
    moments = tuple(i for i, column in enumerate(columns) if isinstance(fields[column], models.DateTimeField))
    dates = tuple(
        i
        for i, column in enumerate(columns)
        if isinstance(fields[column], models.DateField) and i not in moments
    )
    return Table(model, model._meta.db_table, tuple(columns), moments, dates, auto_id=auto_id)


class BulkWriter:
    """Buffers rows per table and writes them in one transaction per flush.

    On PostgreSQL the COPY runs in a thread with its own connection, so the database takes in
    one batch while the generator makes the next (the thread mostly waits on the server, which
    releases the interpreter lock). At most one batch waits in line, which bounds the memory.
    """

    def __init__(self, *, defer: Iterable[str] = (), log: Callable[[str], None] = print, repair: bool = True):
        self.vendor = connection.vendor
        self.repair = repair  # rebuild what an interrupted run left deferred (not in a part of a run)
        self.tables: list[Table] = []
        self.defer = set(defer) if self.vendor == "postgresql" else set()
        self.log = log
        self.deferred: dict[str, dict] = {}
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def add(self, table: Table) -> Table:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
            table.next_id = (cursor.fetchone()[0] or 0) + 1
        self.tables.append(table)
        return table

    def buffered(self) -> int:
        return sum(len(table.rows) for table in self.tables)

    # --- the load -------------------------------------------------------------------------

    def prepare_database(self) -> None:
        """Repair an interrupted run, and defer the big tables' indexes and foreign keys."""
        if self.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
        if self.repair:
            restore_deferred(log=self.log)
        for name in sorted(self.defer):
            self.deferred[name] = _defer_table(name)

    def start(self) -> None:
        """Ready to write: the database prepared, and on PostgreSQL the COPY thread running."""
        self.prepare_database()
        if self.vendor != "postgresql" or connection.in_atomic_block:
            return  # a caller's transaction must see every row: then write on its connection
        self._queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._copy_loop, name="synthetic-copy", daemon=True)
        self._thread.start()

    def flush(self) -> int:
        """Hand every buffered row to the database, one transaction per flush; returns how many."""
        self._raise()
        for table in self.tables:
            if table.limit and table.next_id - 1 > table.limit:
                raise RuntimeError(f"{table.name}: ids ran past this part's block ({table.limit})")
        batch = [(table, table.rows) for table in self.tables if table.rows]
        count = 0
        for table, rows in batch:
            count += len(rows)
            table.written += len(rows)
            table.rows = []
        if self._queue is not None:
            self._queue.put(batch)
            return count
        with transaction.atomic():
            raw = connection.connection
            for table, rows in batch:
                if self.vendor == "postgresql":
                    _copy(raw, table, rows)
                else:
                    _insert_sqlite(raw, table, rows)
            if self.vendor == "postgresql":
                _set_sequences(raw, self.tables)
        return count

    def drain(self) -> None:
        """Wait until the COPY thread has written every batch."""
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        self._raise()

    def finish(self) -> None:
        """Wait for the last batches, rebuild what was deferred, refresh the planner's statistics."""
        self.drain()
        if self.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            return
        with connection.cursor() as cursor:
            for table in self.tables:
                if table.written and not table.auto_id:  # past the highest id any part wrote
                    quoted = connection.ops.quote_name(table.name)
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {quoted}))",  # noqa: S608
                        [table.name],
                    )
        for name in list(self.deferred):
            started = time.monotonic()
            _restore_table(name)
            self.log(f"  {name}: indexes and foreign keys rebuilt in {time.monotonic() - started:.0f} s")
            del self.deferred[name]
        started = time.monotonic()
        # VACUUM sets the visibility map (index-only scans) and the hint bits, so the first reads
        # afterwards do not write; ANALYZE gives the planner the facts. VACUUM cannot run inside
        # a transaction (the caller's, or a test's): then ANALYZE alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in self.tables:
                if table.written:
                    cursor.execute(f"{command} {connection.ops.quote_name(table.name)}")
        self.log(f"  vacuum and analyze: {time.monotonic() - started:.0f} s")

    def _raise(self) -> None:
        if self._error is not None:
            raise RuntimeError("writing the generated rows failed") from self._error

    # --- the COPY thread (PostgreSQL) -------------------------------------------------------

    def _copy_loop(self) -> None:
        import psycopg
        from psycopg.conninfo import make_conninfo

        database = connection.settings_dict
        conninfo = make_conninfo(
            dbname=database["NAME"],
            user=database["USER"] or None,
            password=database["PASSWORD"] or None,
            host=database["HOST"] or None,
            port=str(database["PORT"]) if database["PORT"] else None,
        )
        try:
            with psycopg.connect(conninfo) as conn:
                # Only this session: a crash loses at most the last batches, never consistency.
                conn.execute("SET synchronous_commit = off")
                conn.commit()
                while (batch := self._queue.get()) is not None:
                    with conn.transaction():
                        for table, rows in batch:
                            _copy(conn, table, rows)
                        _set_sequences(conn, self.tables)
        except BaseException as error:
            self._error = error
            while self._queue.get() is not None:  # let the producer finish without blocking
                pass


def _set_sequences(conn, tables: list[Table]) -> None:
    """Move the id sequences past the ids written (SQLite's AUTOINCREMENT does that itself)."""
    with conn.cursor() as cursor:
        for table in tables:
            if table.written and not table.auto_id:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table.name, table.next_id - 1]
                )


def _copy(conn, table: Table, rows: list[tuple]) -> None:
    columns = ", ".join(f'"{column}"' for column in table.columns)
    with conn.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        moments = table.moments
        if moments:
            from_epoch = datetime.datetime.fromtimestamp
            for row in rows:
                row = list(row)
                for i in moments:
                    if row[i] is not None:
                        row[i] = from_epoch(row[i], UTC)
                copy.write_row(row)
        else:
            for row in rows:
                copy.write_row(row)


def _insert_sqlite(raw, table: Table, rows: list[tuple]) -> None:
    columns = ", ".join(f'"{column}"' for column in table.columns)
    placeholders = ", ".join("?" * len(table.columns))
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'  # noqa: S608
    if table.moments or table.dates:
        rows = [_sqlite_row(row, table.moments, table.dates) for row in rows]
    raw.executemany(sql, rows)


def _sqlite_row(row: tuple, moments: tuple[int, ...], dates: tuple[int, ...]) -> list:
    values = list(row)
    for i in moments:
        if values[i] is not None:
            moment = datetime.datetime.fromtimestamp(values[i], UTC).replace(tzinfo=None)
            values[i] = moment.isoformat(" ")
    for i in dates:
        if values[i] is not None:
            values[i] = values[i].isoformat()
    return values


# --- deferring indexes and foreign keys (PostgreSQL) ----------------------------------------


def _defer_table(name: str) -> dict:
    """Drop the secondary indexes and foreign keys of ``name``, remembering them in its comment."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [name],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
            """,
            [name],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [name])
        comment = cursor.fetchone()[0]
        state = {"indexes": indexes, "foreign_keys": foreign_keys, "comment": comment}
        quoted = connection.ops.quote_name(name)
        cursor.execute(_comment_on_table(name, COMMENT_PREFIX + json.dumps(state)))
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
        for constraint, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
    return state


def _comment_on_table(name: str, comment: str | None) -> str:
    """``COMMENT ON TABLE`` with the text as a literal: a utility statement takes no parameters
    when they are sent apart from the query (``DB_SERVER_SIDE_BINDING``)."""
    from psycopg import sql

    statement = sql.SQL("COMMENT ON TABLE {} IS {}").format(sql.Identifier(name), sql.Literal(comment))
    return statement.as_string(connection.connection)


def _restore_table(name: str) -> None:
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [name])
        comment = cursor.fetchone()[0] or ""
        if not comment.startswith(COMMENT_PREFIX):
            return
        state = json.loads(comment[len(COMMENT_PREFIX) :])
        for _index, definition in state["indexes"]:
            cursor.execute(definition)
        for constraint, definition in state["foreign_keys"]:
            cursor.execute(
                f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(constraint)} {definition}"
            )
        cursor.execute(_comment_on_table(name, state["comment"]))


def restore_deferred(*, log: Callable[[str], None] = print) -> list[str]:
    """Rebuild indexes and foreign keys that an interrupted load left deferred."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
            WHERE c.relkind IN ('r', 'p') AND d.description LIKE %s
            """,
            [COMMENT_PREFIX + "%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        log(f"  {name}: rebuilding the indexes an interrupted run left out")
        _restore_table(name)
    return names
