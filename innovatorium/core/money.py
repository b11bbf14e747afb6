"""Sums of money to the penny on every database.

SQLite keeps a DecimalField as a binary float, so ``Sum("amount")`` over many postings drifts
(842.869999999988 instead of 842.87): a ledger must never lose a penny. ``MoneySum`` adds whole pence,
rounded per row, which SQLite sums exactly (integers in a double are exact up to 2**53 pence), and turns the
total back into pounds as a ``Decimal`` with two places. PostgreSQL's numeric is exact either way.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Sum
from django.db.models.functions import Round

PENNY = Decimal("0.01")


class MoneySum(Sum):
    """``Sum`` of a money column (two decimal places), exact on SQLite and PostgreSQL; ``None`` over no rows."""

    def __init__(self, field: str, **extra: Any) -> None:
        super().__init__(Round(F(field) * 100), output_field=DecimalField(max_digits=30, decimal_places=0), **extra)

    def convert_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:  # noqa: ARG002
        if value is None:
            return None
        return (Decimal(value).quantize(Decimal(1)) / 100).quantize(PENNY)
