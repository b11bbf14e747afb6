"""One person sending the same ballot (or motion vote) twice at once on PostgreSQL: exactly one is counted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from innovatorium.governance import services
from innovatorium.governance.models import ElectionBallot, ElectionVoter, MotionVote


def _race(n, action):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except services.AlreadyVoted:
            outcomes.append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_the_same_ballot_sent_four_times_at_once_is_counted_once(election, facilitator, patients):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database; the race needs PostgreSQL")
    nom = services.nominate(election=election, actor=patients[0], statement="s")
    services.election_open_voting(election=election, actor=facilitator)
    outcomes = _race(4, lambda: services.ballot_cast(election=election, actor=patients[1], ranking=[nom.pk]))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert ElectionVoter.objects.count() == 1 and ElectionBallot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_motion_vote_sent_four_times_at_once_is_counted_once(seated_board, facilitator, patients):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database; the race needs PostgreSQL")
    motion = services.motion_propose(body=seated_board, actor=facilitator, title="M", text="t")
    outcomes = _race(4, lambda: services.motion_vote(motion=motion, actor=patients[0], option="agree"))
    assert outcomes == ["ok", "refused", "refused", "refused"]
    assert MotionVote.objects.count() == 1
