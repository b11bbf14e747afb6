"""Secret ballots in the schema, and the published export re-counted by tools/recount.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from innovatorium.priorities import services
from innovatorium.priorities.models import Ballot

ROOT = Path(__file__).resolve().parents[3]


def _reachable(model, seen=None):
    """Every model reachable from `model` by following foreign keys and one-to-one links forwards."""
    seen = set() if seen is None else seen
    for field in model._meta.get_fields():
        if field.is_relation and (field.many_to_one or field.one_to_one) and field.concrete:
            target = field.related_model
            if target not in seen:
                seen.add(target)
                _reachable(target, seen)
    return seen


def test_no_foreign_key_path_leads_from_a_ballot_to_a_person():
    reachable = _reachable(Ballot)
    people = {apps.get_model("people", name) for name in ("Person", "User", "Membership")}
    assert not reachable & people
    assert not reachable & {apps.get_model("priorities", n) for n in ("VoterRoll", "Elector")}


def test_a_ballot_stores_no_time_that_could_be_matched_against_the_roll():
    kinds = {f.get_internal_type() for f in Ballot._meta.concrete_fields}
    assert not kinds & {"DateTimeField", "DateField", "AutoField", "BigAutoField"}


@pytest.mark.parametrize("method, seats", [("stv", 2), ("irv", 1), ("borda", 2), ("approval", 2), ("score", 2)])
def test_the_recount_script_reproduces_the_published_result_from_the_export(
    client, tmp_path, voters, make_round, facilitator, method, seats
):
    round_ = make_round(method, options=5, seats=seats)
    receipts = []
    for i, person in enumerate(voters):
        if method == "score":
            marks = {f"option-{k}": (i * k) % 6 for k in range(1, 6)}
        elif method == "approval":
            marks = [f"option-{k}" for k in range(1, 6) if (i + k) % 3 == 0]
        else:
            marks = [f"option-{(i * 7 + j) % 5 + 1}" for j in range(i % 4 + 1)]
        receipts.append(services.ballot_cast(round=round_, person=person, marks=marks))
    services.round_close(round=round_, actor=facilitator)
    args = [round_.network.slug, round_.slug]
    ballots = client.get(reverse("priorities:ballots", args=[*args, "json"]))
    result = client.get(reverse("priorities:result_export", args=[*args, "json"]))
    assert ballots.status_code == result.status_code == 200
    (tmp_path / "ballots.json").write_bytes(ballots.content)
    (tmp_path / "result.json").write_bytes(result.content)
    (tmp_path / "ballots.csv").write_bytes(client.get(reverse("priorities:ballots", args=[*args, "csv"])).content)
    run = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "tools" / "recount.py"), str(tmp_path / "ballots.json"),
         "--expect", str(tmp_path / "result.json"), "--balanced", "--receipt", receipts[3]],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "raw result reproduced exactly" in run.stdout and "balanced result reproduced exactly" in run.stdout
    csv_run = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tools" / "recount.py"), str(tmp_path / "ballots.csv"),
         "--expect", str(tmp_path / "result.json")],
        capture_output=True, text=True, check=False,
    )
    assert csv_run.returncode == 0, csv_run.stdout + csv_run.stderr
    exported = json.loads(ballots.content)
    assert exported["ballot_set_hash"] == round_.result.ballot_set_hash
    assert sorted(b["receipt"] for b in exported["ballots"]) == sorted(receipts)
    assert not any(key in json.dumps(exported) for key in ("person", "email", "pseudonym"))


def test_a_tampered_export_fails_the_recount(client, tmp_path, voters, make_round, facilitator):
    round_ = make_round("approval", seats=1)
    for person in voters:
        services.ballot_cast(round=round_, person=person, marks=["option-1"])
    services.round_close(round=round_, actor=facilitator)
    args = [round_.network.slug, round_.slug]
    data = json.loads(client.get(reverse("priorities:ballots", args=[*args, "json"])).content)
    data["ballots"][0]["marks"] = ["option-2"]
    (tmp_path / "ballots.json").write_text(json.dumps(data))
    result = client.get(reverse("priorities:result_export", args=[*args, "json"]))
    (tmp_path / "result.json").write_bytes(result.content)
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tools" / "recount.py"), str(tmp_path / "ballots.json"),
         "--expect", str(tmp_path / "result.json")],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 1 and "DOES NOT MATCH" in run.stdout
