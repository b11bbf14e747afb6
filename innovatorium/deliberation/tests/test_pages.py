from __future__ import annotations

import re

import pytest
from django.urls import reverse

from innovatorium.deliberation import services
from innovatorium.deliberation.models import Participant, Statement, StatementStatus, Vote
from innovatorium.deliberation.views import COOKIE

pytestmark = pytest.mark.django_db


def url(name, conversation):
    return reverse(f"deliberation:{name}", kwargs={"network_slug": conversation.network.slug,
                                                   "slug": conversation.slug})


def shown_statement(response) -> int:
    return int(re.search(rb'name="statement" value="(\d+)"', response.content).group(1))


@pytest.fixture
def results(conversation, statements):
    for n in range(12):
        participant = services.participant_for(conversation=conversation, browser_token=f"{n:043d}")
        for statement in statements:
            services.vote_cast(participant=participant, statement=statement, value=["agree", "disagree"][n % 2])
    return services.analysis_refresh(conversation_id=conversation.pk)


PERSONAS = ["anonymous", "patient", "facilitator", "other_admin"]
# (view, who may use it): 200 for those, a sign-in redirect for the anonymous visitor, 403 for the rest.
MATRIX = [
    ("list", set(PERSONAS)),
    ("conversation", set(PERSONAS)),
    ("report", set(PERSONAS)),
    ("moderate", {"facilitator"}),
    ("close", {"facilitator"}),
    ("open", {"facilitator"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("view", "allowed"), MATRIX)
def test_permission_matrix(request, client, client_for, conversation, view, allowed, persona):
    if persona != "anonymous":
        client = client_for(request.getfixturevalue(persona))
    if view in ("list", "open"):
        path = reverse(f"deliberation:{view}", kwargs={"network_slug": conversation.network.slug})
    else:
        path = url(view, conversation)
    response = client.get(path)
    if persona in allowed:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_a_signed_out_visitor_votes_and_gets_a_cookie_holding_only_a_random_token(client, conversation, statements):
    page = client.get(url("conversation", conversation))
    first = shown_statement(page)
    response = client.post(url("vote", conversation), {"statement": first, "vote": "agree"})
    assert response.status_code == 302
    token = response.cookies[COOKIE].value
    participant = Participant.objects.get(conversation=conversation)
    assert participant.anonymous_hash == services.browser_hash(conversation=conversation, token=token)
    assert Vote.objects.get(participant=participant).value == 1
    page = client.get(url("conversation", conversation))
    assert shown_statement(page) != first
    assert b"Statement 2 of 8" in page.content


def test_htmx_voting_swaps_in_the_next_statement(client, conversation, statements):
    first = shown_statement(client.get(url("conversation", conversation)))
    response = client.post(url("vote", conversation), {"statement": first, "vote": "disagree"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="statement-card"')
    assert "You disagreed." in body
    assert shown_statement(response) != first


def test_an_htmx_vote_looks_its_participant_up_once_and_shows_their_progress(client, conversation, statements):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = shown_statement(client.get(url("conversation", conversation)))
    client.post(url("vote", conversation), {"statement": first, "vote": "agree"}, headers={"HX-Request": "true"})
    second = shown_statement(client.get(url("conversation", conversation)))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("vote", conversation), {"statement": second, "vote": "pass"},
                               headers={"HX-Request": "true"})
    lookups = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith("SELECT") and 'FROM "deliberation_participant"' in q["sql"]]
    assert len(lookups) == 1
    assert "Statement 3 of 8" in response.content.decode() and shown_statement(response) not in (first, second)


def test_after_the_last_statement_the_page_says_so(client, conversation, statements):
    for _ in statements:
        statement = shown_statement(client.get(url("conversation", conversation)))
        client.post(url("vote", conversation), {"statement": statement, "vote": "pass"})
    assert b"You have voted on every statement" in client.get(url("conversation", conversation)).content


def test_a_signed_out_visitor_is_asked_to_sign_in_for_a_members_only_conversation(client, members_only):
    page = client.get(url("conversation", members_only))
    assert b"Sign in</a> to take part" in page.content
    statement = members_only.statements.first()
    response = client.post(url("vote", members_only), {"statement": statement.pk, "vote": "agree"}, follow=True)
    assert b"Only members of" in response.content
    assert not Vote.objects.exists()


def test_voting_on_a_closed_conversation_says_it_has_closed(client, conversation, statements, facilitator):
    services.conversation_close(conversation=conversation, actor=facilitator)
    response = client.post(url("vote", conversation), {"statement": statements[0].pk, "vote": "agree"}, follow=True)
    assert b"has closed" in response.content
    assert not Vote.objects.exists()


def test_a_patient_adds_a_statement_and_the_facilitator_accepts_it(client, client_for, conversation, patient,
                                                                   facilitator):
    client_for(patient).post(url("add_statement", conversation), {"text": "Pumps for every child with type 1."})
    statement = Statement.objects.get(status=StatementStatus.PENDING)
    assert statement.author.person == patient
    client.logout()
    queue = client_for(facilitator).get(url("moderate", conversation))
    assert b"Pumps for every child with type 1." in queue.content
    response = client.post(url("moderate", conversation), {"statement": statement.pk, "decision": "accept"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.ACCEPTED


def test_rejecting_without_a_reason_shows_the_error_on_that_statement(client_for, conversation, facilitator):
    participant = services.participant_for(conversation=conversation, browser_token="r" * 43)
    statement = services.statement_submit(participant=participant, text="Something off topic.")
    response = client_for(facilitator).post(url("moderate", conversation),
                                            {"statement": statement.pk, "decision": "reject"})
    assert response.status_code == 200
    assert b"Say why this statement is not accepted" in response.content
    assert f'id="id_reason_{statement.pk}"'.encode() in response.content


def test_an_empty_or_too_long_statement_shows_the_error_on_the_form(client, conversation):
    response = client.post(url("add_statement", conversation), {"text": "x" * 300})
    assert b"Keep a statement to 280 characters or fewer. It has 300." in response.content
    assert b"There is a problem" in response.content


def test_the_facilitator_opens_a_conversation_with_one_seed_statement_per_line(client_for, network, facilitator):
    response = client_for(facilitator).post(
        reverse("deliberation:open", kwargs={"network_slug": network.slug}),
        {"question": "How should we spend the innovation fund?", "seed_statements": "First idea\n\nSecond idea\n",
         "allow_anonymous": "on"},
    )
    assert response.status_code == 302
    assert list(Statement.objects.values_list("text", flat=True)) == ["First idea", "Second idea"]


def test_the_report_shows_the_map_tables_and_consensus(client, conversation, results):
    page = client.get(url("report", conversation))
    body = page.content.decode()
    assert 'id="opinion-map"' in body and 'id="map-table"' in body
    assert "Where the opinion groups differ most" in body
    assert "By partner group" in body
    assert "style=" not in body


def test_the_map_is_an_svg_with_a_title_and_a_description_and_no_style_attributes(client, conversation, results):
    response = client.get(url("map", conversation))
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<title>Opinion map: What should our network tackle next" in svg
    assert "<desc>Each dot is a participant" in svg
    assert "style=" not in svg


def test_the_report_before_any_votes_says_there_are_no_results(client, conversation):
    assert b"There are no results yet" in client.get(url("report", conversation)).content
    assert client.get(url("map", conversation)).status_code == 404


def test_the_voting_page_takes_a_bounded_number_of_queries(client, conversation, results,
                                                            django_assert_max_num_queries):
    first = shown_statement(client.get(url("conversation", conversation)))
    client.post(url("vote", conversation), {"statement": first, "vote": "agree"})
    with django_assert_max_num_queries(6):
        client.get(url("conversation", conversation))


def test_the_voting_page_takes_a_bounded_number_of_queries_signed_in(client_for, conversation, results, patient,
                                                                      django_assert_max_num_queries):
    client = client_for(patient)
    first = shown_statement(client.get(url("conversation", conversation)))
    client.post(url("vote", conversation), {"statement": first, "vote": "agree"})
    with django_assert_max_num_queries(10):
        client.get(url("conversation", conversation))


def test_the_report_takes_a_bounded_number_of_queries(client, conversation, results, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(url("report", conversation))
