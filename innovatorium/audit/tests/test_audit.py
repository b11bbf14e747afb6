"""The audit log records sign-ins, failed sign-ins, sign-outs, refusals and staff writes, in UTC, append-only,
and never a secret."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innovatorium.audit.models import AppendOnlyError, AuditEvent, EventKind
from innovatorium.audit.tests.rows import all_audit_text
from innovatorium.factories import member
from innovatorium.people.models import Role, Verification

SENTINEL_PASSWORD = "Sentinel-Pa55word-QX7Z-never-stored"  # noqa: S105 - a test value that must never be stored


def _text(response) -> str:  # noqa: ANN001
    """A page's HTML without the points where long paths may wrap on a phone."""
    return response.content.decode().replace("<wbr>", "")


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


# --- What is recorded --------------------------------------------------------------------------------


def test_signing_in_is_recorded_with_the_person_address_and_utc_time(client, patient):
    patient.user.set_password(SENTINEL_PASSWORD)
    patient.user.save()
    before = timezone.now()

    response = client.post(reverse("account_login"), {"login": patient.user.email, "password": SENTINEL_PASSWORD},
                           REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 302
    [event] = _events(EventKind.SIGN_IN)
    assert event.person == patient
    assert event.ip_address == "198.51.100.23"
    assert event.method == "POST" and event.path == reverse("account_login")
    assert event.occurred_at.tzinfo is not None and event.occurred_at.utcoffset() == timedelta(0)
    assert before <= event.occurred_at <= timezone.now()


def test_the_log_never_holds_the_password_session_key_or_csrf_token(patient):
    patient.user.set_password(SENTINEL_PASSWORD)
    patient.user.save()
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"))
    token = client.cookies["csrftoken"].value
    client.post(reverse("account_login"), {"login": patient.user.email, "password": "wrong-" + SENTINEL_PASSWORD,
                                           "csrfmiddlewaretoken": token})
    client.post(reverse("account_login"), {"login": patient.user.email, "password": SENTINEL_PASSWORD,
                                           "csrfmiddlewaretoken": token})
    session_key = client.session.session_key
    token = client.cookies["csrftoken"].value
    client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})

    text = all_audit_text()

    assert {e.kind for e in AuditEvent.objects.all()} >= {EventKind.SIGN_IN, EventKind.SIGN_IN_FAILED,
                                                          EventKind.SIGN_OUT}
    assert SENTINEL_PASSWORD not in text
    assert session_key and session_key not in text
    assert token not in text
    assert patient.user.email not in text
    assert patient.user.password not in text  # not even the hash


def test_a_failed_sign_in_points_at_the_account_without_storing_the_address(client, patient):
    client.post(reverse("account_login"), {"login": patient.user.email.upper(), "password": "wrong-password-1"},
                REMOTE_ADDR="203.0.113.9")

    [event] = _events(EventKind.SIGN_IN_FAILED)
    assert event.person == patient
    assert event.ip_address == "203.0.113.9"
    assert patient.user.email.lower() not in all_audit_text().lower()


def test_a_failed_sign_in_for_an_unknown_address_is_recorded_without_it(client, db):
    client.post(reverse("account_login"), {"login": "nobody-x91@example.org", "password": "wrong-password-1"})

    [event] = _events(EventKind.SIGN_IN_FAILED)
    assert event.person is None
    assert "nobody-x91" not in all_audit_text()


def test_signing_out_is_recorded(client, patient):
    client.force_login(patient.user)

    client.post(reverse("account_logout"))

    [event] = _events(EventKind.SIGN_OUT)
    assert event.person == patient


def test_a_refusal_by_a_view_rule_names_the_rule(client, patient, network):
    client.force_login(patient.user)

    response = client.get(reverse("people:verification_queue", args=[network.slug]))

    assert response.status_code == 403
    [event] = _events(EventKind.PERMISSION_DENIED)
    assert event.person == patient
    assert event.detail == "people.verify_membership"
    assert event.network_slug == network.slug
    assert event.status_code == 403
    assert event.view_name == "people:verification_queue"


def test_a_request_refused_for_a_missing_csrf_token_is_recorded(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)

    response = client.post(reverse("people:profile"), {"display_name": "x"})

    assert response.status_code == 403
    [event] = _events(EventKind.PERMISSION_DENIED)
    assert event.person == patient and event.method == "POST"


def test_a_staff_write_is_recorded_with_its_view_and_outcome(client, facilitator, network):
    pending = member(network, "nhs", verification=Verification.PENDING)
    client.force_login(facilitator.user)

    response = client.post(reverse("people:verify_membership", args=[network.slug, pending.pk]),
                           {"decision": "approve", "note": "Checked the trust's staff list"})

    assert response.status_code == 302
    [event] = _events(EventKind.STAFF_ACTION)
    assert event.person == facilitator
    assert event.view_name == "people:verify_membership"
    assert event.network_slug == network.slug
    assert event.status_code == 302
    assert "Checked the trust" not in all_audit_text(), "form bodies are never stored"


def test_a_write_by_someone_who_is_not_staff_is_not_a_staff_action(client, patient):
    client.force_login(patient.user)

    client.post(reverse("people:profile"), {"display_name": "Pat", "access_needs": ""})

    assert _events(EventKind.STAFF_ACTION) == []


def test_a_staff_read_is_not_logged(client, facilitator, network):
    client.force_login(facilitator.user)

    client.get(reverse("people:verification_queue", args=[network.slug]))

    assert _events(EventKind.STAFF_ACTION) == []


def test_a_password_reset_key_in_the_path_is_never_stored(client, db):
    client.get("/accounts/password/reset/key/1-secretkeyvalue123/")
    client.post("/accounts/password/reset/key/1-secretkeyvalue123/", {"password1": "x", "password2": "x"})

    assert "secretkeyvalue123" not in all_audit_text()


def test_query_strings_are_never_stored(client, patient, network):
    client.force_login(patient.user)

    client.get(reverse("people:verification_queue", args=[network.slug]) + "?token=leaky-query-value")

    assert AuditEvent.objects.exists()
    assert "leaky-query-value" not in all_audit_text()


# --- Append-only ------------------------------------------------------------------------------------


@pytest.fixture
def event(patient):
    return AuditEvent.objects.create(kind=EventKind.SIGN_IN, person=patient, ip_address="192.0.2.1")


def test_an_event_cannot_be_changed_through_the_model(event):
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")


def test_an_event_cannot_be_deleted_through_the_model(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@postgres_only
@pytest.mark.parametrize("sql", [
    pytest.param("UPDATE audit_auditevent SET detail = 'rewritten' WHERE id = %s", id="update"),
    pytest.param("UPDATE audit_auditevent SET occurred_at = now() - interval '9 years' WHERE id = %s",
                 id="backdating-to-get-past-retention"),
    pytest.param("DELETE FROM audit_auditevent WHERE id = %s", id="delete"),
])
def test_on_postgresql_the_database_refuses_raw_updates_and_deletes(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def _old_event() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, kind, network_slug, method, path, view_name, detail) "
            "VALUES (%s, 'sign_in', '', '', '', '', '') RETURNING id",
            [timezone.now() - timedelta(days=401)],
        )
        return cursor.fetchone()[0]


@postgres_only
def test_on_postgresql_the_trigger_lets_only_expired_rows_go(event, capsys):
    old = _old_event()

    call_command("prune_audit_log")

    assert not AuditEvent.objects.filter(pk=old).exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_pruning_removes_only_entries_past_the_retention_period(event, capsys):
    old = AuditEvent.objects.create(kind=EventKind.SIGN_IN, occurred_at=timezone.now() - timedelta(days=401))

    call_command("prune_audit_log")

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert "Deleted 1 audit-log entry older than 400 days" in capsys.readouterr().out


# --- The page -----------------------------------------------------------------------------------------


@pytest.fixture
def network_admin(network):
    return member(network, "nhs", role=Role.ADMIN).person


URL = "/facilitate/audit/"


@pytest.mark.parametrize(("persona", "status"), [
    ("anonymous", 302), ("patient", 403), ("industry_member", 403), ("facilitator", 403), ("other_admin", 200),
    ("network_admin", 200), ("site_admin", 200),
])
def test_permission_matrix(request, client, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona).user)

    response = client.get(URL)

    assert response.status_code == status
    if status == 302:
        assert reverse("account_login") in response["Location"]


def test_a_network_admin_sees_only_their_networks_events(client, network_admin, network, other_network, patient):
    AuditEvent.objects.create(kind=EventKind.STAFF_ACTION, network_slug=network.slug, path="/mine/")
    AuditEvent.objects.create(kind=EventKind.STAFF_ACTION, network_slug=other_network.slug, path="/theirs/")
    AuditEvent.objects.create(kind=EventKind.SIGN_IN, person=patient, path="/accounts/login/")
    client.force_login(network_admin.user)

    body = client.get(URL).content.decode().replace("<wbr>", "")

    assert "/mine/" in body
    assert "/theirs/" not in body and "/accounts/login/" not in body
    assert "Sign-ins are seen only by site administrators" in body


def test_a_site_admin_sees_everything_with_times_in_utc(client, site_admin, network, other_network, settings):
    when = datetime(2026, 7, 1, 12, 30, 5, tzinfo=UTC)  # 13:30:05 in London (BST)
    AuditEvent.objects.create(kind=EventKind.STAFF_ACTION, network_slug=other_network.slug, path="/theirs/",
                              occurred_at=when)
    client.force_login(site_admin.user)

    body = client.get(URL).content.decode().replace("<wbr>", "")

    assert "/theirs/" in body
    assert "2026-07-01 12:30:05" in body
    assert "Signed in" in body  # the admin's own sign-in


def test_the_filters_narrow_the_log(client, site_admin, patient, network):
    AuditEvent.objects.create(kind=EventKind.PERMISSION_DENIED, person=patient, network_slug=network.slug,
                              path="/refused/", occurred_at=timezone.now() - timedelta(days=3))
    AuditEvent.objects.create(kind=EventKind.STAFF_ACTION, network_slug=network.slug, path="/acted/")
    client.force_login(site_admin.user)

    by_kind = client.get(URL, {"kind": "permission_denied"}).content.decode().replace("<wbr>", "")
    by_person = client.get(URL, {"person": patient.pseudonym.lower()}).content.decode().replace("<wbr>", "")
    today = timezone.now().date().isoformat()
    by_day = _text(client.get(URL, {"since": today, "until": today, "network": network.slug}))

    assert "/refused/" in by_kind and "/acted/" not in by_kind
    assert "/refused/" in by_person and "/acted/" not in by_person
    assert "/acted/" in by_day and "/refused/" not in by_day


def test_a_bad_date_range_is_explained_on_the_field(client, site_admin):
    client.force_login(site_admin.user)

    body = client.get(URL, {"since": "2026-11-20", "until": "2026-11-01"}).content.decode().replace("<wbr>", "")

    assert "The end date must be the same as or after the start date." in body
    assert "nhsuk-error-summary" in body


def test_no_matches_says_so(client, site_admin):
    client.force_login(site_admin.user)

    body = _text(client.get(URL, {"kind": "staff_action", "since": "2020-01-01", "until": "2020-01-02"}))

    assert "No entries match these filters" in body


def test_the_page_takes_a_bounded_number_of_queries(client, site_admin, patient, django_assert_max_num_queries):
    AuditEvent.objects.bulk_create(
        [AuditEvent(kind=EventKind.SIGN_IN, person=patient, path=f"/p{i}/") for i in range(150)]
    )
    client.force_login(site_admin.user)
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Older" in response.content.decode().replace("<wbr>", "")


def test_admins_find_the_log_from_the_facilitate_page(client, network_admin, facilitator):
    client.force_login(network_admin.user)
    assert URL in client.get(reverse("people:facilitate")).content.decode().replace("<wbr>", "")

    client.force_login(facilitator.user)
    assert URL not in client.get(reverse("people:facilitate")).content.decode().replace("<wbr>", "")
