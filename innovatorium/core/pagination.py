"""ninja's limit/offset pagination with a bounded offset.

ninja's own accepts any offset ≥ 0; one past the database's 64-bit integer (?offset=60487155332817403904) reached the
SQL and answered 500. Here an offset above MAX_OFFSET is refused with a 422 that names the parameter.
"""

# No `from __future__ import annotations`: ninja reads the Input schema's types at runtime.

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination as _LimitOffsetPagination

MAX_OFFSET = 10**9  # far beyond any real list


class LimitOffsetPagination(_LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
