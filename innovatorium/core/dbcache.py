"""Django's database cache, with `set` as one statement.

Django's `DatabaseCache.set` counts the whole table (to cull it), reads the key, then updates or inserts it, inside
a savepoint: four or five round trips. The page cache stores a page on every miss and renews a version token on
every write (a vote is one), so on PostgreSQL that cost about 3 ms a miss (measured in process on the national
bench data). Here `set` is a single upsert (`INSERT … ON CONFLICT (cache_key) DO UPDATE`, which PostgreSQL and
SQLite both accept), and the table is counted, and culled as Django culls it, on one set in `CULL_EVERY` of each
cache connection (Django makes one per thread) instead of on every one. So the table may pass `MAX_ENTRIES` by up
to `CULL_EVERY` entries per web thread between culls; `MAX_ENTRIES` is a bound on the table's size, not on
correctness, and the settings leave room.

Everything else (`get`, `add`, `touch`, `delete`, expiry) is Django's own.
"""

# ruff: noqa: S608 - SQL names only the configured table and Django's column names, quoted
from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 50


class DatabaseCache(DjangoDatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self._sets = 0  # Django's cache handler makes a cache object per thread, so no lock is needed

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        if timeout is None:
            expires = datetime.max  # noqa: DTZ901 - "never", as Django's own backend writes it
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        value_text = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        table, key_column, value_column, expires_column = (
            quote(self._table), quote("cache_key"), quote("value"), quote("expires"),
        )
        with connection.cursor() as cursor:
            if self._time_to_cull():
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
            upsert = self._upsert_sql(table, key_column, value_column, expires_column)
            cursor.execute(upsert, [key, value_text, expires])

    @staticmethod
    def _upsert_sql(table: str, key_column: str, value_column: str, expires_column: str) -> str:
        return (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) VALUES (%s, %s, %s) "
            f"ON CONFLICT ({key_column}) DO UPDATE "
            f"SET {value_column} = EXCLUDED.{value_column}, {expires_column} = EXCLUDED.{expires_column}"
        )

    def _time_to_cull(self) -> bool:
        self._sets += 1
        return self._sets % CULL_EVERY == 1  # the first set of a connection counts, then one in CULL_EVERY
