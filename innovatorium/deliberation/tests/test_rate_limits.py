from __future__ import annotations

import pytest

from innovatorium.deliberation import ratelimits, services

pytestmark = pytest.mark.django_db


def test_the_121st_vote_in_a_minute_is_refused_with_a_clear_message(conversation, statements, patient):
    participant = services.participant_for(conversation=conversation, person=patient)
    for _ in range(ratelimits.VOTES.limit):
        services.vote_cast(participant=participant, statement=statements[0], value="agree")
    with pytest.raises(ratelimits.RateLimited, match="Wait a minute"):
        services.vote_cast(participant=participant, statement=statements[0], value="pass")


def test_the_limit_is_per_identity(conversation, statements, patient, industry_member):
    first = services.participant_for(conversation=conversation, person=patient)
    for _ in range(ratelimits.VOTES.limit):
        services.vote_cast(participant=first, statement=statements[0], value="agree")
    other = services.participant_for(conversation=conversation, person=industry_member)
    services.vote_cast(participant=other, statement=statements[0], value="agree")
    browser = services.participant_for(conversation=conversation, browser_token="z" * 43)
    services.vote_cast(participant=browser, statement=statements[0], value="agree")


def test_a_browser_may_add_5_statements_in_10_minutes_and_the_6th_is_refused(conversation):
    participant = services.participant_for(conversation=conversation, browser_token="y" * 43)
    for n in range(ratelimits.STATEMENTS.limit):
        services.statement_submit(participant=participant, text=f"Statement number {n} about diabetes.")
    with pytest.raises(ratelimits.RateLimited, match="5 statements in the last 10 minutes"):
        services.statement_submit(participant=participant, text="One more statement about diabetes.")
