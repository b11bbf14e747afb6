"""Schemathesis against the OpenAPI schema the API serves at /api/openapi.json, in process through the WSGI
application (no network): for every operation, generated requests (valid and invalid parameters and bodies) must
never get a 5xx, and every response must match the schema the operation documents.

Signed-out requests, then the same writes signed in as a member (session cookie and CSRF token), so the endpoints
that need a session are exercised beyond their 401. Examples per operation are bounded (RELIABILITY_EXAMPLES).
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from innovatorium.api import api
from tests.reliability.conftest import API_EXAMPLES, COUNTS

pytestmark = pytest.mark.reliability

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema(path_prefix="/api/")["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def app():
    return get_wsgi_application()


@contextmanager
def connection_kept():
    """As Django's test client does, requests do not close the database connection (on PostgreSQL that would end
    the test's transaction). The test client reconnects these signals after each of its own requests, so this
    wraps only the generated requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


_SCHEMA: dict = {}


@pytest.fixture
def loaded_schema(db):
    """The schema as served at /api/openapi.json, fetched and parsed once."""
    if "schema" not in _SCHEMA:
        response = Client().get("/api/openapi.json")
        assert response.status_code == 200
        _SCHEMA["schema"] = schemathesis.openapi.from_dict(json.loads(response.content))
    return _SCHEMA["schema"]


@pytest.fixture
def world(network, patient, facilitator, industry_member):
    """Something for the operations to find: a network with members and a published innovation."""
    from innovatorium.atlas import services as atlas_services

    innovation = atlas_services.innovation_create(network=network, actor=facilitator, name="Virtual ward kit",
                                                  summary="Monitoring at home.", innovation_type="digital")
    atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
    return {"network": network, "innovation": innovation}


def _session_headers(person) -> dict[str, str]:
    """A signed-in member's session cookie and CSRF token, as a browser would send them."""
    client = Client()
    client.force_login(person.user)
    client.get("/api/docs")  # sets the CSRF cookie
    cookies = {k: v.value for k, v in client.cookies.items()}
    token = cookies.get("csrftoken", "")
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "X-CSRFToken": token}


def _run(app, schema, method: str, path: str, headers: dict[str, str] | None, label: str) -> None:
    operation = schema[path][method]
    strategy = operation.as_strategy()

    @settings(max_examples=API_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        with transaction.atomic():  # as a request in production: a refused value rolls back only its own work
            response = case.call(app=app, headers=headers)
        COUNTS[f"api requests tried ({label})"] += 1
        if response.status_code >= 500:
            COUNTS["api 5xx responses (Hypothesis repeats one while shrinking it)"] += 1
            COUNTS[f"api 5xx, distinct: {method} {path}"] = 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    with connection_kept():
        check()


# Found by this test and reported to the apps' owners: an `offset` beyond the database's 64-bit integer (e.g.
# ?offset=60487155332817403904) reaches the SQL and answers 500 ("datatype mismatch" on SQLite, "bigint out of
# range" on PostgreSQL, which the API now answers with 422). Fixed for the Atlas and networks lists
# (core.pagination) and needs; still open on SQLite in the lists below, whose apps their owners are changing now.
# Clamping (as dashboard.api does) fixes each; the mark then reports XPASS.
KNOWN_500: dict[tuple[str, str], str] = {}


def _params(operations: list[tuple[str, str]]) -> list:
    return [pytest.param(m, p, id=f"{m} {p}", marks=pytest.mark.xfail(strict=False, reason=KNOWN_500[(m, p)]))
            if (m, p) in KNOWN_500 else pytest.param(m, p, id=f"{m} {p}") for m, p in operations]


@pytest.mark.parametrize(("method", "path"), _params(OPERATIONS))
def test_an_operation_never_answers_5xx_and_matches_its_schema_signed_out(app, loaded_schema, world, method, path):
    _run(app, loaded_schema, method, path, None, "signed out")


WRITES = [(m, p) for m, p in OPERATIONS if m != "GET"]


@pytest.mark.parametrize(("method", "path"), _params(WRITES))
def test_a_write_never_answers_5xx_and_matches_its_schema_signed_in(app, loaded_schema, world, patient, method, path):
    _run(app, loaded_schema, method, path, _session_headers(patient), "signed in")
