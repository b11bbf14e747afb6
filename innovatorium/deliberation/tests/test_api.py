from __future__ import annotations

import pytest
from django.test import Client

from innovatorium.deliberation.models import Vote

pytestmark = pytest.mark.django_db


def test_conversations_statements_and_results_are_public(client, conversation, statements):
    listing = client.get("/api/deliberation/conversations", {"network": conversation.network.slug}).json()
    assert listing["count"] == 1 and listing["items"][0]["question"] == conversation.question
    rows = client.get(f"/api/deliberation/conversations/{conversation.pk}/statements").json()
    assert [r["text"] for r in rows] == [s.text for s in statements]
    assert client.get(f"/api/deliberation/conversations/{conversation.pk}/results").status_code == 404


def test_voting_through_the_api_needs_a_session_and_the_csrf_token(conversation, statements, patient):
    client = Client(enforce_csrf_checks=True)
    path = f"/api/deliberation/conversations/{conversation.pk}/votes"
    body = {"statement": statements[0].pk, "vote": "agree"}
    assert Client().post(path, body, content_type="application/json").status_code == 401
    client.force_login(patient.user)
    assert client.post(path, body, content_type="application/json").status_code == 403  # no CSRF token
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post(path, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json() == {"statement": statements[0].pk, "vote": "agree"}
    assert Vote.objects.get().value == 1


def test_voting_through_the_api_on_a_closed_conversation_is_refused(client_for, conversation, statements, patient,
                                                                     facilitator):
    from innovatorium.deliberation import services

    services.conversation_close(conversation=conversation, actor=facilitator)
    response = client_for(patient).post(f"/api/deliberation/conversations/{conversation.pk}/votes",
                                        {"statement": statements[0].pk, "vote": "agree"},
                                        content_type="application/json")
    assert response.status_code == 409 and "closed" in response.json()["detail"]
