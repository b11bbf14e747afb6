"""The running tallies on each statement (kept by vote_cast) always equal a recount of the stored votes."""

from __future__ import annotations

import random

import pytest
from django.db.models import Count, Q

from innovatorium.deliberation import selectors, services
from innovatorium.deliberation.models import AnalysisSnapshot, Statement, Vote

pytestmark = pytest.mark.django_db


def recount(conversation) -> dict[int, tuple[int, int, int]]:
    rows = Vote.objects.filter(conversation=conversation).values("statement_id").annotate(
        n=Count("pk"), agree=Count("pk", filter=Q(value=1)), disagree=Count("pk", filter=Q(value=-1))).order_by()
    counted = {row["statement_id"]: (row["n"], row["agree"], row["disagree"]) for row in rows}
    return {s.pk: counted.get(s.pk, (0, 0, 0)) for s in Statement.objects.filter(conversation=conversation)}


def tallies(conversation) -> dict[int, tuple[int, int, int]]:
    return {s.pk: (s.n_votes, s.n_agree, s.n_disagree) for s in Statement.objects.filter(conversation=conversation)}


def test_first_votes_changed_votes_and_repeated_votes_keep_the_tallies_equal_to_a_recount(conversation, statements):
    rng = random.Random(9)  # noqa: S311 - test data
    browsers = [services.participant_for(conversation=conversation, browser_token=f"{i:043d}") for i in range(6)]
    for _ in range(120):
        services.vote_cast(participant=rng.choice(browsers), statement=rng.choice(statements),
                           value=rng.choice(["agree", "disagree", "pass"]))
        assert tallies(conversation) == recount(conversation)
    assert sum(n for n, _, _ in tallies(conversation).values()) == Vote.objects.filter(
        conversation=conversation).count()


def test_changing_a_vote_moves_it_between_agree_and_disagree_without_counting_it_twice(conversation, statements):
    browser = services.participant_for(conversation=conversation, browser_token="b" * 43)
    statement = statements[0]
    services.vote_cast(participant=browser, statement=statement, value="agree")
    services.vote_cast(participant=browser, statement=statement, value="disagree")
    statement.refresh_from_db()
    assert (statement.n_votes, statement.n_agree, statement.n_disagree) == (1, 0, 1)
    services.vote_cast(participant=browser, statement=statement, value="pass")
    services.vote_cast(participant=browser, statement=statement, value="pass")
    statement.refresh_from_db()
    assert (statement.n_votes, statement.n_agree, statement.n_disagree) == (1, 0, 0)


def test_a_refused_vote_leaves_the_tallies_alone(conversation, statements, facilitator):
    browser = services.participant_for(conversation=conversation, browser_token="c" * 43)
    services.vote_cast(participant=browser, statement=statements[0], value="agree")
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal
        services.vote_cast(participant=browser, statement=statements[0], value="maybe")
    assert tallies(conversation) == recount(conversation)


def test_votes_loaded_in_bulk_are_recounted_by_a_full_analysis(conversation, statements):
    browser = services.participant_for(conversation=conversation, browser_token="d" * 43)
    Vote.objects.bulk_create([Vote(conversation=conversation, participant=browser, statement=s, value=1)
                              for s in statements[:3]])
    assert tallies(conversation) != recount(conversation)
    services.analysis_refresh(conversation_id=conversation.pk, force=True)
    assert tallies(conversation) == recount(conversation)


def test_choosing_the_next_statement_reads_the_tallies_in_a_fixed_number_of_queries(
    conversation, statements, django_assert_max_num_queries
):
    browsers = [services.participant_for(conversation=conversation, browser_token=f"{i:043d}") for i in range(5)]
    for browser in browsers:
        for statement in statements[:4]:
            services.vote_cast(participant=browser, statement=statement, value="agree")
    with django_assert_max_num_queries(2):
        progress = selectors.next_for(conversation=conversation, participant=browsers[0])
    assert progress.answered == 4
    assert progress.statement is not None
    assert progress.statement.pk not in {s.pk for s in statements[:4]}


def test_a_stream_of_votes_queues_one_recompute_and_a_vote_after_it_starts_queues_the_next(
    conversation, statements, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.cache import cache

    from innovatorium.deliberation import tasks

    queued: list[int] = []
    class Recorder:  # a backend that cannot defer, like the tests' immediate one
        @staticmethod
        def get_backend() -> object:
            return object()

        @staticmethod
        def enqueue(pk: int) -> None:
            queued.append(pk)

    monkeypatch.setattr(tasks, "recompute_analysis", Recorder)
    browser = services.participant_for(conversation=conversation, browser_token="e" * 43)
    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements[:5]:
            services.vote_cast(participant=browser, statement=statement, value="agree")
    assert queued == [conversation.pk]
    cache.delete(services.recompute_queued_key(conversation.pk))  # what the task does as it starts
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(participant=browser, statement=statements[5], value="pass")
    assert queued == [conversation.pk, conversation.pk]


def test_with_a_task_queue_that_can_wait_the_recompute_runs_a_few_seconds_after_the_first_vote(
    conversation, statements, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    browser = services.participant_for(conversation=conversation, browser_token="f" * 43)
    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements[:3]:
            services.vote_cast(participant=browser, statement=statement, value="disagree")
    queued = list(DBTaskResult.objects.filter(task_path__endswith="recompute_analysis"))
    assert len(queued) == 1
    assert queued[0].run_after is not None
    assert queued[0].run_after > queued[0].enqueued_at


def test_the_conversation_list_counts_accepted_statements_and_everyone_taking_part_in_one_query(
    conversation, statements, network, django_assert_max_num_queries
):
    for n in range(3):
        browser = services.participant_for(conversation=conversation, browser_token=f"{n:043d}")
        for statement in statements[:2]:
            services.vote_cast(participant=browser, statement=statement, value="agree")
    writer = services.participant_for(conversation=conversation, browser_token="w" * 43)
    services.statement_submit(participant=writer, text="A statement still waiting for a facilitator.")
    with django_assert_max_num_queries(1):
        (listed,) = list(selectors.conversations_for_network(network=network))
    assert (listed.n_statements, listed.n_participants) == (len(statements), 4)


def test_after_a_long_analysis_run_the_next_one_waits_ten_times_as_long_within_a_bound(
    conversation, statements, django_capture_on_commit_callbacks, settings, monkeypatch
):
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    browser = services.participant_for(conversation=conversation, browser_token="g" * 43)
    services.vote_cast(participant=browser, statement=statements[0], value="agree")
    ticks = iter([100.0, 106.5])  # the run reads the clock before and after: it took 6.5 s
    monkeypatch.setattr(services, "monotonic", lambda: next(ticks))
    services.analysis_refresh(conversation_id=conversation.pk, force=True)
    assert AnalysisSnapshot.objects.get(conversation=conversation).compute_seconds == pytest.approx(6.5)

    waits = []
    for statement, last_run in ((statements[1], None), (statements[2], 30.0), (statements[3], 0.2)):
        if last_run is not None:
            AnalysisSnapshot.objects.filter(conversation=conversation).update(compute_seconds=last_run)
        cache.delete(services.recompute_queued_key(conversation.pk))  # as the task does when it starts
        DBTaskResult.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_cast(participant=browser, statement=statement, value="disagree")
        queued = DBTaskResult.objects.get(task_path__endswith="recompute_analysis")
        waits.append((queued.run_after - queued.enqueued_at).total_seconds())
    assert waits[0] == pytest.approx(65, abs=1)  # 10 x 6.5 s
    assert waits[1] == pytest.approx(services.RECOMPUTE_DELAY_MAX_SECONDS, abs=1)  # 10 x 30 s, capped
    assert waits[2] == pytest.approx(services.RECOMPUTE_DELAY_SECONDS, abs=1)  # a quick run: the usual wait
