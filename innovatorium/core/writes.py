"""Who needs to know that a table was written to: cached pages (core/pagecache.py) and cached figures
(core/figures.py) are renewed when a write to a table they are made from commits.

Writes are seen where every one of them passes: a database execute wrapper on each connection (installed by
CoreConfig), which reads the table name from the SQL of each INSERT, UPDATE and DELETE. So a model save, a
QuerySet.update or bulk_create, raw SQL in an importer and the admin all count alike, and no model signal is
needed. (PostgreSQL COPY bypasses the wrapper; every importer that uses it also writes the public record in the
same transaction, which counts.)

    writes.watch(("people_membership", "networks_"), on_commit=lambda: figures.bump_now("memberships"))

A callback runs once per transaction, after it commits (before, a reader could cache what is about to change
under the new version); a write outside any transaction calls it at once; a rolled-back one never. Under a test's
wrapping transaction, which never commits, it runs at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|REPLACE\s+INTO)\s+((?:[\"`]?\w+[\"`]?\.)*[\"`]?\w+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Watch:
    matches: Callable[[str], bool]
    on_commit: Callable[[], None]


_WATCHES: list[Watch] = []


def watch(tables: Iterable[str] | Callable[[str], bool], *, on_commit: Callable[[], None]) -> None:
    """Call `on_commit` after each transaction that wrote to one of `tables` (names or prefixes, lower case),
    or to a table the predicate accepts."""
    if callable(tables):
        matches = tables
    else:
        prefixes = tuple(tables)

        def matches(table: str) -> bool:
            return table.startswith(prefixes)

    _WATCHES.append(Watch(matches=matches, on_commit=on_commit))


def table_written(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes to (lower case, unquoted), else None."""
    if not isinstance(sql, str) or sql.lstrip()[:1] not in "IiUuDdRr":
        return None
    match = _WRITE.match(sql)
    return match.group(1).replace('"', "").replace("`", "").rsplit(".", 1)[-1].lower() if match else None


def note_write(connection: BaseDatabaseWrapper, callback: Callable[[], None]) -> None:
    """`callback` should run once the write just made on `connection` is visible to other connections."""
    blocks = connection.atomic_blocks
    if (blocks and getattr(blocks[0], "_from_testcase", False)) or not connection.in_atomic_block:
        callback()
    elif not any(registered is callback for _, registered, _ in connection.run_on_commit):
        connection.on_commit(callback, robust=True)  # once per transaction, however many rows it writes


def track_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper: run the statement, then tell the watchers of the table it wrote to."""
    result = execute(sql, params, many, context)
    table = table_written(sql)
    if table is not None:
        for watched in _WATCHES:
            if watched.matches(table):
                note_write(context["connection"], watched.on_commit)
    return result


def install(connection: BaseDatabaseWrapper, **_: Any) -> None:
    """`connection_created` receiver: add the write tracker once to this connection's wrappers."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)
