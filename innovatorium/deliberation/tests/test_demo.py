from __future__ import annotations

import random

import pytest

from innovatorium.deliberation.demo import STATEMENTS, create_demo_conversation
from innovatorium.deliberation.models import AnalysisSnapshot, Conversation
from innovatorium.factories import member

pytestmark = pytest.mark.django_db


def test_the_demo_conversation_has_its_statements_participants_and_an_analysis_finding_the_camps(network):
    for slug in ["patients-public"] * 6 + ["industry"] * 6:
        member(network, slug)
    made = create_demo_conversation(random.Random(1), 150)
    conversation = Conversation.objects.get()
    assert conversation.is_open and conversation.statements.count() == len(STATEMENTS)
    assert "150 participants" in made
    result = AnalysisSnapshot.objects.get(conversation=conversation).result
    assert result["k"] in (2, 3, 4)
    assert result["clusters"]["group_aware_consensus"]
