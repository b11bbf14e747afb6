from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innovatorium.benefits import services

pytestmark = pytest.mark.django_db


def test_posting_an_event_takes_a_fixed_number_of_queries_whatever_the_parties(adopted, facilitator):
    def post(key: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.event_record(actor=facilitator, agreement=adopted.agreement, kind="grant", amount="10.00",
                                  occurred_on=dt.date(2026, 1, 1), idempotency_key=key)
        return len(ctx.captured_queries)

    post("warm")
    first = post("A")
    with CaptureQueriesContext(connection) as ctx:
        services.event_record(actor=facilitator, agreement=adopted.agreement, kind="grant", amount="10.00",
                              occurred_on=dt.date(2026, 1, 1), idempotency_key="A")
    repeat = len(ctx.captured_queries)
    assert first <= 20 and repeat <= 4
