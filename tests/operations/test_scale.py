"""`manage.py demo_data --scale`: the same seed makes the same rows, an interrupted load resumes to the same
rows, and the public record verifies afterwards. Run at the small scale (a few seconds)."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from innovatorium.adoption.models import Adoption, AdoptionStatusChange
from innovatorium.atlas.models import Innovation
from innovatorium.deliberation.models import Participant, Vote
from innovatorium.demo.scale import (
    SCALE_ACTION,
    SCALE_DOMAIN,
    SCALES,
    Interrupted,
    planner_statistics_missing,
    scale_load,
)
from innovatorium.people.models import Membership, Person
from innovatorium.record.models import RecordEntry
from innovatorium.record.selectors import record_verify
from innovatorium.search.models import SearchDocument

pytestmark = pytest.mark.django_db

SEED = 7


class Discard(Exception):
    pass


def digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def snapshot() -> dict[str, object]:
    """What makes a load what it is, independent of primary keys and the clock."""
    return {
        "people": Person.objects.count(),
        "memberships": digest(Membership.objects.order_by("person__pseudonym", "network__slug").values_list(
            "person__user__email", "person__pseudonym", "person__display_name", "person__show_name_publicly",
            "network__slug", "constituency__kind", "verification", "organisation__name")),
        # the ordinary demo load dates joins by the clock; the scale load never does
        "joined": digest(Membership.objects.filter(person__user__email__endswith=SCALE_DOMAIN)
                         .order_by("person__pseudonym", "network__slug").values_list("joined_at", "verified_at")),
        "innovations": digest(Innovation.objects.order_by("network__slug", "slug").values_list(
            "network__slug", "slug", "name", "stage", "innovation_type", "published_at")),
        "search documents": SearchDocument.objects.count(),
        "adoptions": digest(Adoption.objects.order_by("innovation__slug", "site__ods_code").values_list(
            "innovation__slug", "site__ods_code", "status", "status_on", "started_on", "patients_reached")),
        "status changes": AdoptionStatusChange.objects.count(),
        "participants": Participant.objects.count(),
        "votes": digest(Vote.objects.order_by("participant__anonymous_hash", "participant__person__pseudonym",
                                              "statement__text").values_list(
            "participant__anonymous_hash", "participant__person__pseudonym", "statement__text", "value")),
    }


def discarded_load(**kwargs) -> dict[str, object]:
    with pytest.raises(Discard), transaction.atomic():
        scale_load(scale="small", seed=SEED, **kwargs)
        made = snapshot()
        raise Discard
    assert not Person.objects.exists()
    return made


def test_the_small_scale_makes_what_it_promises_and_the_record_verifies():
    out = StringIO()
    call_command("demo_data", scale="small", seed=SEED, verbosity=0, stdout=out, stderr=StringIO())
    size = SCALES["small"]

    assert Person.objects.count() == size.members + size.base_people
    assert Innovation.objects.filter(name__contains=" #").count() == size.innovations
    assert SearchDocument.objects.filter(kind="innovation").count() == Innovation.objects.count()
    assert Adoption.objects.count() > size.adoptions * 0.6
    assert Participant.objects.count() == size.participants
    assert Vote.objects.count() >= size.participants * 4
    assert record_verify().ok
    assert "members: 600 people" in out.getvalue()


def test_the_same_seed_makes_the_same_rows():
    first = discarded_load()

    scale_load(scale="small", seed=SEED)

    assert snapshot() == first


def test_an_interrupted_load_resumes_where_it_stopped_and_ends_the_same():
    whole = discarded_load()

    with pytest.raises(Interrupted):
        scale_load(scale="small", seed=SEED, stop_after=5)  # members, and two chunks of innovations
    assert RecordEntry.objects.filter(action=SCALE_ACTION).count() == 5
    reports = scale_load(scale="small", seed=SEED)

    assert snapshot() == whole
    assert {r.phase: r.skipped_chunks for r in reports}["members"] == SCALES["small"].plan()[0][1]
    assert record_verify().ok


def test_a_finished_load_run_again_changes_nothing():
    scale_load(scale="small", seed=SEED)
    entries = RecordEntry.objects.count()

    reports = scale_load(scale="small", seed=SEED)

    assert RecordEntry.objects.count() == entries
    assert all(r.skipped_chunks == r.chunks for r in reports[1:])


def test_a_load_ends_with_analyze_so_query_plans_see_the_real_row_counts():
    reports = scale_load(scale="small", seed=SEED)

    assert reports[-1].phase == "ANALYZE"
    assert not planner_statistics_missing()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'atlas_innovation'")
            # each index's row starts with the table's row count
            assert {int(stat.split()[0]) for (stat,) in cursor.fetchall()} == {Innovation.objects.count()}
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'atlas_innovation'")
            assert cursor.fetchone()[0] == Innovation.objects.count()
    # a rerun that loads nothing does not analyse again
    assert "ANALYZE" not in [r.phase for r in scale_load(scale="small", seed=SEED)]
