#!/usr/bin/env python3
"""Re-count a priority-setting round from its published, anonymised ballot list - with nothing but Python.

    python3 tools/recount.py BALLOTS.json [--expect RESULT.json] [--balanced] [--steps] [--receipt HASH]

Needs only the Python standard library (3.11+) and one file, ``innovatorium/voting/counting.py``, which this script
loads by path (so no Django, no install, no numpy; copy both files anywhere and it still works). It counts the
ballots, prints the result, checks the declared ballot-set hash, and with ``--expect`` compares the count with the
published result exactly (the canonical JSON, every stage and every transfer) - exit status 0 when everything
matches, 1 when anything does not, 2 for unreadable input.

Export format
-------------
**JSON** (``innovatorium-ballots/1``)::

    {"format": "innovatorium-ballots/1",
     "round_id": "2026-diabetes-final",          # fixes the tie-break order
     "method": "stv",                             # approval | score | borda | irv | stv
     "seats": 5,                                   # winners (top N for approval/score/borda, seats for STV; IRV 1)
     "options": ["opt-12", "opt-7", ...],          # option ids
     "ballot_set_hash": "9f2c...",                 # sha256 commitment, see counting.ballot_set_hash
     "ballots": [                                  # one per ballot, sorted by receipt
        {"receipt": "<sha256 hex>",               # the voter's receipt: sha256(round, marks, secret salt)
         "constituency": "patients",              # the declared constituency kind ("undeclared" if none)
         "marks": ["opt-7", "opt-12"]},           # ranked: best first; approval: approved ids;
                                                  # score: {"opt-7": 5, "opt-12": 2} (unscored = 0)
        ...]}

**CSV**: header ``round_id,method,seats,options,receipt,constituency,marks`` then one ballot per line; the first
four columns repeat on every line (options joined by ``|``); marks are ``a>b>c`` (ranked), ``a|b`` (approval) or
``a=5|b=2`` (score), empty for a blank ballot. A CSV export cannot describe a round with no ballots and carries no
hash line: use JSON for the official record.

``--expect`` takes the published result: either one result object (``Result.to_dict()``) or an object with
``raw`` and/or ``balanced`` results; each present is re-counted and compared. ``--receipt`` checks that your
receipt is in the list and shows the ballot recorded against it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

COUNTING = Path(__file__).resolve().parent.parent / "innovatorium" / "voting" / "counting.py"


def load_counting(path: Path = COUNTING) -> ModuleType:
    """Import counting.py from its file, without the package (and so without anything but the standard library)."""
    spec = importlib.util.spec_from_file_location("innovatorium_counting", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is being built
    spec.loader.exec_module(module)
    return module


def _print_result(label: str, result: dict, steps: bool) -> None:
    print(
        f"{label}: {result['method']}, {result['seats']} seat(s), {result['ballots']} ballots ({result['blank']} blank)"
    )
    if result.get("quota") is not None:
        print(f"  quota {result['quota']:g}")
    print(f"  winners: {', '.join(result['winners']) or '(none)'}")
    print(f"  ranking: {', '.join(result['ranking'])}")
    for tie in result["tie_breaks"]:
        print(
            f"  tie at stage {tie['stage']} ({tie['kind']}) between {', '.join(tie['tied'])}: "
            f"{tie['chosen']} by {tie['rule']}"
        )
    if steps:
        for step in result["steps"]:
            tallies = ", ".join(f"{o} {v:g}" for o, v in step["tallies"].items())
            action = step.get("action", "")
            what = f" {step['option']}" if "option" in step else ""
            print(f"  stage {step['stage']}: {tallies} | exhausted {step['exhausted']:g} | {action}{what}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ballots", type=Path, help="the published ballot export (.json or .csv)")
    parser.add_argument("--expect", type=Path, help="the published result to compare with")
    parser.add_argument("--balanced", action="store_true", help="also count constituency-balanced")
    parser.add_argument("--steps", action="store_true", help="print every counting stage")
    parser.add_argument("--receipt", help="look up one receipt in the ballot list")
    parser.add_argument("--counting", type=Path, default=COUNTING, help="path to counting.py")
    args = parser.parse_args(argv)

    counting = load_counting(args.counting)
    try:
        election, ballots, declared_hash = counting.load_export(args.ballots.read_text(encoding="utf-8"))
        raw = counting.tally(election, ballots, backend="python")
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot count {args.ballots}: {error}", file=sys.stderr)
        return 2
    ok = True
    computed_hash = counting.ballot_set_hash(election, ballots)
    print(f"round {election.round_id}: ballot-set hash {computed_hash}")
    if declared_hash is not None:
        same = declared_hash == computed_hash
        ok &= same
        print(f"  declared hash {'matches' if same else 'DOES NOT MATCH: ' + declared_hash}")
    receipts = [b.receipt for b in ballots if b.receipt]
    if len(set(receipts)) != len(receipts):
        ok = False
        print("  DUPLICATE receipts in the ballot list")
    if args.receipt:
        mine = [b for b in ballots if b.receipt == args.receipt]
        print(
            f"  receipt {args.receipt[:12]}…: " + (counting.canonical_marks(election, mine[0]) if mine else "NOT FOUND")
        )
        ok &= bool(mine)

    results = {"raw": raw.to_dict()}
    if args.balanced:
        results["balanced"] = counting.tally_balanced(election, ballots, backend="python").to_dict()
    if args.expect:
        expected = json.loads(args.expect.read_text(encoding="utf-8"))
        wanted = {k: v for k, v in expected.items() if k in ("raw", "balanced")} or {"raw": expected}
        for label, published in wanted.items():
            if label not in results:
                results[label] = counting.tally_balanced(election, ballots, backend="python").to_dict()
            same = json.dumps(published, sort_keys=True) == json.dumps(results[label], sort_keys=True)
            ok &= same
            print(f"  {label} result {'reproduced exactly' if same else 'DIFFERS from the published one'}")
            if not same:
                for key in sorted(set(published) | set(results[label])):
                    if published.get(key) != results[label].get(key):
                        print(
                            f"    {key}: published {published.get(key)!r}\n"
                            f"    {' ' * len(key)}  recount  {results[label].get(key)!r}"
                        )
    for label, result in results.items():
        _print_result(label, result, args.steps)
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
