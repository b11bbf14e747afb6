"""Background work: recompute a conversation's opinion analysis after votes arrive."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_analysis(conversation_id: int) -> bool:
    """Recompute unless a snapshot newer than the last vote exists (many queued runs collapse into one)."""
    from django.core.cache import cache

    from innovatorium.deliberation.services import analysis_refresh, recompute_queued_key

    cache.delete(recompute_queued_key(conversation_id))  # a vote from now on queues the next run
    return analysis_refresh(conversation_id=conversation_id) is not None
