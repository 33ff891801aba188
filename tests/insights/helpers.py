from schakelpunt.insights.tables import Table


def shown(table: Table, column: str | None = None) -> dict[str, object]:
    """{row key: what the page shows} for one column (the first by default), total under "total"."""
    key = column or table.columns[0].key
    result = {row.key: row.cell(key).display() for row in table.rows}
    if table.total is not None:
        result["total"] = table.total.cell(key).display()
    return result


def values(table: Table, column: str | None = None) -> dict[str, object]:
    """{row key: the raw value} for one column, total under "total"; hidden cells as "< 5"."""
    key = column or table.columns[0].key
    rows = [*table.rows, *([table.total] if table.total else [])]
    return {row.key: row.cell(key).export_value() for row in rows}
