"""Reads for priority-setting rounds."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from innovatorium.networks.models import Network
from innovatorium.people.models import Person
from innovatorium.priorities.models import Ballot, Elector, Round, RoundStatus, VoterRoll


def rounds_for_network(*, network: Network, include_drafts: bool = False) -> QuerySet[Round]:
    rounds = Round.objects.filter(network=network).select_related("network", "result")
    return rounds if include_drafts else rounds.exclude(status=RoundStatus.DRAFT)


def round_get(*, network_slug: str, round_slug: str, include_drafts: bool = False) -> Round:
    """A round by its address; drafts only for those who may see them (others get 404)."""
    round_ = Round.objects.select_related("network").filter(network__slug=network_slug, slug=round_slug).first()
    if round_ is None or (round_.status == RoundStatus.DRAFT and not include_drafts):
        raise Http404("No such priority-setting round.")
    return round_


def ranked_array(round_: Round, k: int, *, with_kinds: bool = True) -> tuple[Any, list[str]]:
    """The round's ballots as an (N, K) int array of option indices (-1 padded) and their constituency kinds
    (empty when `with_kinds` is False: the raw count needs none).

    Read with one raw query over the packed one-byte-per-option column: no model objects, no JSON.
    """
    import numpy as np

    columns = "packed, constituency_kind" if with_kinds else "packed"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {Ballot._meta.db_table} WHERE round_id = %s",  # noqa: S608
            [round_.pk],
        )
        rows = cursor.fetchall()
    if not rows:
        return np.empty((0, k), dtype=np.int8), []
    if with_kinds:
        packed, kinds = zip(*rows, strict=True)
    else:
        packed, kinds = tuple(row[0] for row in rows), ()
    data = np.frombuffer(b"".join(packed), dtype=np.uint8).reshape(len(rows), k)
    if k < 127:
        rankings = data.view(np.int8)  # 255 (no rank) reads as -1
    else:
        rankings = data.astype(np.int16)
        rankings[rankings == 255] = -1
    return rankings, list(kinds)


def electorate_size(round_: Round) -> int:
    return Elector.objects.filter(round=round_).count()


def turnout(round_: Round) -> int:
    return VoterRoll.objects.filter(round=round_, has_voted=True).count()


def is_elector(round_: Round, person: Person | None) -> bool:
    return person is not None and Elector.objects.filter(round=round_, person=person).exists()


def has_voted(round_: Round, person: Person | None) -> bool:
    return person is not None and VoterRoll.objects.filter(round=round_, person=person, has_voted=True).exists()


def my_rounds(*, person: Person) -> list[dict[str, Any]]:
    """The rounds a person may vote in or voted in, with their receipt where it can still be derived."""
    from innovatorium.priorities.services import my_receipt

    rows = []
    electors = Elector.objects.filter(person=person).select_related("round__network").order_by("-round__created_at")
    for elector in electors:
        round_ = elector.round
        rows.append({
            "round": round_, "voted": has_voted(round_, person),
            "receipt": my_receipt(round=round_, person=person),
        })
    return rows
