"""The standalone re-count reproduces the official result from the published export, and notices tampering."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from innovatorium.voting import (
    Ballot,
    Election,
    Method,
    ballot_set_hash,
    canonical_marks,
    export_ballots,
    load_export,
    receipt,
    tally,
    tally_balanced,
)

ROOT = Path(__file__).resolve().parents[3]
RECOUNT = ROOT / "tools" / "recount.py"
OPTIONS = ("pain", "sleep", "foot-care", "diet", "peer-support", "apps")


def _round(method: Method, seats: int, n: int = 60, seed: int = 5) -> tuple[Election, list[Ballot]]:
    rng = random.Random(seed)
    e = Election(f"round-{method}", method, OPTIONS, seats)
    ballots = []
    for i in range(n):
        if method is Method.SCORE:
            marks: object = {o: rng.randint(0, 5) for o in rng.sample(OPTIONS, rng.randint(0, 6))}
        elif method is Method.APPROVAL:
            marks = tuple(rng.sample(OPTIONS, rng.randint(0, 4)))
        else:
            marks = tuple(rng.sample(OPTIONS, rng.randint(0, 6)))
        b = Ballot(marks, rng.choice(["patients", "carers", "clinicians", ""]))  # type: ignore[arg-type]
        ballots.append(Ballot(b.marks, b.constituency, receipt(e.round_id, canonical_marks(e, b), f"salt-{i}")))
    return e, ballots


@pytest.mark.parametrize(
    ("method", "seats"), [(Method.STV, 3), (Method.IRV, 1), (Method.BORDA, 2), (Method.SCORE, 1), (Method.APPROVAL, 2)]
)
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_round_trips(method: Method, seats: int, fmt: str) -> None:
    e, ballots = _round(method, seats)
    election, loaded, declared = load_export(export_ballots(e, ballots, fmt))
    assert election == e
    assert ballot_set_hash(election, loaded) == ballot_set_hash(e, ballots)
    assert declared == (ballot_set_hash(e, ballots) if fmt == "json" else None)
    assert tally(election, loaded).to_json() == tally(e, ballots).to_json()


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages, so the re-count provably needs nothing beyond the standard library
    command = [sys.executable, "-S", str(RECOUNT), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603


def test_recount_reproduces_the_published_result_with_the_standard_library_only(tmp_path: Path) -> None:
    e, ballots = _round(Method.STV, 3)
    (tmp_path / "ballots.json").write_text(export_ballots(e, ballots))
    published = {"raw": tally(e, ballots).to_dict(), "balanced": tally_balanced(e, ballots).to_dict()}
    (tmp_path / "result.json").write_text(json.dumps(published))
    done = _run(
        tmp_path / "ballots.json", "--expect", tmp_path / "result.json", "--steps", "--receipt", ballots[3].receipt
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "raw result reproduced exactly" in done.stdout and "balanced result reproduced exactly" in done.stdout
    assert "declared hash matches" in done.stdout
    assert canonical_marks(e, ballots[3]) in done.stdout


def test_recount_reads_csv(tmp_path: Path) -> None:
    e, ballots = _round(Method.BORDA, 2)
    (tmp_path / "ballots.csv").write_text(export_ballots(e, ballots, "csv"))
    (tmp_path / "result.json").write_text(tally(e, ballots).to_json())
    done = _run(tmp_path / "ballots.csv", "--expect", tmp_path / "result.json")
    assert done.returncode == 0, done.stdout + done.stderr


def test_recount_notices_a_changed_ballot(tmp_path: Path) -> None:
    e, ballots = _round(Method.IRV, 1)
    data = json.loads(export_ballots(e, ballots))
    (tmp_path / "result.json").write_text(tally(e, ballots).to_json())
    data["ballots"][0]["marks"] = list(reversed(OPTIONS))
    (tmp_path / "ballots.json").write_text(json.dumps(data))
    done = _run(tmp_path / "ballots.json", "--expect", tmp_path / "result.json")
    assert done.returncode == 1
    assert "DOES NOT MATCH" in done.stdout and "MISMATCH" in done.stdout


def test_recount_refuses_a_bad_ballot_clearly(tmp_path: Path) -> None:
    e, ballots = _round(Method.IRV, 1)
    data = json.loads(export_ballots(e, ballots))
    data["ballots"][2]["marks"] = ["pain", "pain"]
    (tmp_path / "ballots.json").write_text(json.dumps(data))
    done = _run(tmp_path / "ballots.json")
    assert done.returncode == 2
    assert "ballot 2: option 'pain' ranked twice" in done.stderr
