"""The pages and the API, and who may reach them: anonymous, patient, industry member, facilitator, other admin."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.urls import reverse

from innovatorium.priorities import services
from innovatorium.priorities.models import Ballot, Round, RoundStatus

PERSONAS = ("anonymous", "patient", "industry_member", "facilitator", "other_admin")


@pytest.fixture
def personas(request, patient, industry_member, facilitator, other_admin):
    return {"anonymous": None, "patient": patient, "industry_member": industry_member,
            "facilitator": facilitator, "other_admin": other_admin}


def _client(client, personas, who):
    if personas[who] is not None:
        client.force_login(personas[who].user)
    return client


def _url(name, round_=None, *extra):
    if round_ is None:
        return reverse(f"priorities:{name}", args=["test-region"])
    return reverse(f"priorities:{name}", args=[round_.network.slug, round_.slug, *extra])


LOGIN, FORBIDDEN, OK, NOT_FOUND = "login", 403, 200, 404
# (page, round state) -> expected answer for each persona in PERSONAS order.
MATRIX = {
    ("list", None): (OK, OK, OK, OK, OK),
    ("promises", None): (OK, OK, OK, OK, OK),
    ("mine", None): (LOGIN, OK, OK, OK, OK),
    ("new", None): (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    ("detail", "draft"): (NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ("detail", "open"): (OK, OK, OK, OK, OK),
    ("vote", "open"): (LOGIN, OK, OK, OK, FORBIDDEN),
    ("vote", "closed"): (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("results", "open"): (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ("results", "closed"): (OK, OK, OK, OK, OK),
    ("manage", "draft"): (LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND),
    ("manage", "open"): (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
}


@pytest.mark.parametrize("page, state", list(MATRIX))
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(client, personas, make_round, facilitator, page, state, who):
    round_ = None
    if state is not None:
        round_ = make_round(open=state != "draft")
        if state == "closed":
            services.round_close(round=round_, actor=facilitator)
    response = _client(client, personas, who).get(_url(page, round_))
    expected = MATRIX[(page, state)][PERSONAS.index(who)]
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_a_member_votes_without_javascript_gets_a_receipt_once_and_sees_it_on_their_page(
    client_for, make_round, patient
):
    round_ = make_round("irv", seats=1)
    client = client_for(patient)
    page = client.get(_url("vote", round_)).content.decode()
    assert 'name="rank-option-1"' in page and "<script" not in page.split("<main")[1].split("</main>")[0]
    response = client.post(_url("vote", round_), {"rank-option-2": "1", "rank-option-1": "2"})
    assert response.status_code == 302 and response["Location"] == _url("receipt", round_)
    shown = client.get(_url("receipt", round_)).content.decode()
    receipt = Ballot.objects.get().receipt
    assert " ".join(receipt[i: i + 8] for i in range(0, 64, 8)) in shown
    assert client.get(_url("receipt", round_)).status_code == 302  # shown once
    assert receipt[:8] in client.get(_url("mine")).content.decode()
    assert Ballot.objects.get().marks == "option-2>option-1"


def test_a_gap_in_the_ranking_is_refused_with_the_form_kept(client_for, make_round, patient):
    round_ = make_round("borda", seats=1)
    response = client_for(patient).post(_url("vote", round_), {"rank-option-2": "1", "rank-option-1": "3"})
    assert response.status_code == 200
    assert "without gaps" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_person_outside_the_electorate_is_told_why(client_for, make_round, other_admin):
    round_ = make_round()
    response = client_for(other_admin).post(_url("vote", round_), {"option": ["option-1"]})
    assert response.status_code == 403
    assert "fixed when voting opened" in response.content.decode()


def test_the_facilitator_runs_a_round_from_the_pages(client_for, facilitator, patient):
    client = client_for(facilitator)
    response = client.post(_url("new"), {"title": "Our top priorities", "stage": "final", "method": "stv",
                                          "seats": "2", "secret": "on", "texts": "A\nB\nC"})
    round_ = Round.objects.get()
    assert response.status_code == 302 and round_.method == "stv" and round_.secret
    assert client.post(_url("manage", round_), {"action": "open"}).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    services.ballot_cast(round=round_, person=patient, marks=["option-3", "option-1"])
    assert client.post(_url("manage", round_), {"action": "close"})["Location"] == _url("results", round_)
    page = client.get(_url("results", round_)).content.decode()
    assert "Every step of the count" in page and "Stage 1" in page
    assert client.post(_url("manage", round_), {"action": "publish"}).status_code == 302
    response = client.post(_url("next", round_), {"title": "Next", "method": "irv", "take": "3", "seats": "1"})
    assert response.status_code == 302
    assert Round.objects.get(title="Next").previous == round_


def test_the_results_page_calls_out_where_balancing_changes_the_answer(client, voters, make_round, facilitator):
    round_ = make_round("approval", seats=1)
    for i, person in enumerate(voters):
        services.ballot_cast(round=round_, person=person, marks=["option-1"] if i < 6 else ["option-2"])
    services.ballot_cast(round=round_, person=facilitator, marks=["option-1"])
    services.round_close(round=round_, actor=facilitator)
    page = client.get(_url("results", round_)).content.decode()
    assert 'id="disagreements"' in page
    assert 'data-suppressed="industry"' in page
    csv_text = client.get(_url("result_export", round_, "csv")).content.decode()
    assert csv_text.startswith("count,position,option,text,total,winner") and "industry" not in csv_text
    assert client.get(_url("ballots", round_, "xml")).status_code == 404


def test_results_page_query_count_does_not_grow_with_ballots(client, voters, make_round, facilitator,
                                                             django_assert_max_num_queries):
    round_ = make_round("stv", options=5, seats=2)
    for i, person in enumerate(voters):
        services.ballot_cast(round=round_, person=person, marks=[f"option-{i % 5 + 1}"])
    services.round_close(round=round_, actor=facilitator)
    with django_assert_max_num_queries(8):
        assert client.get(_url("results", round_)).status_code == 200


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_lists_rounds_and_results_without_drafts(client, make_round, facilitator):
    draft = make_round(open=False)
    closed = make_round()
    services.round_close(round=closed, actor=facilitator)
    rounds = client.get("/api/priorities/rounds?network=test-region").json()
    assert [r["id"] for r in rounds] == [closed.pk]
    assert client.get(f"/api/priorities/rounds/{draft.pk}").status_code == 404
    assert client.get(f"/api/priorities/rounds/{closed.pk}/result").json()["ballots"] == 0


def test_casting_through_the_api_needs_a_session_and_the_csrf_token(make_round, patient, other_admin):
    from django.test import Client

    round_ = make_round()
    url = f"/api/priorities/rounds/{round_.pk}/ballot"
    body = json.dumps({"marks": ["option-1"]})
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, body, content_type="application/json").status_code in (401, 403)  # signed out
    strict.force_login(patient.user)
    assert strict.post(url, body, content_type="application/json").status_code == 403  # no CSRF token
    strict.get(reverse("priorities:list", args=["test-region"]))
    token = strict.cookies["csrftoken"].value
    ok = strict.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert ok.status_code == 200 and len(ok.json()["receipt"]) == 64
    bad = strict.post(url, json.dumps({"marks": ["option-9"]}), content_type="application/json",
                      headers={"X-CSRFToken": token})
    assert bad.status_code == 422 and "not one of this round's options" in bad.json()["detail"]
    outsider = Client()
    outsider.force_login(other_admin.user)
    assert outsider.post(url, body, content_type="application/json").status_code == 403


# --- Two ballots at the same instant (PostgreSQL) -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_ballots_from_one_member_at_the_same_instant_leave_exactly_one(network, facilitator, patient):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the row-lock race needs PostgreSQL")
    round_ = services.round_create(network=network, actor=facilitator, title="Race", method="approval",
                                   seats=1, texts=["A", "B", "C"])
    services.round_open(round=round_, actor=facilitator)
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def cast(option):
        try:
            barrier.wait()
            services.ballot_cast(round=round_, person=patient, marks=[option])
        except Exception as exc:  # noqa: BLE001 - collected and checked below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(f"option-{i % 3 + 1}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Ballot.objects.filter(round=round_).count() == 1
