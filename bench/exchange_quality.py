"""Matching quality of the Innovation Exchange: `uv run python bench/exchange_quality.py [--tune]`.

Builds a fresh temporary SQLite database (migrated; the demo Atlas of ~400 innovations created with the same
seeded rng `manage.py demo_data` uses), raises each need of the labelled set (`innovatorium/exchange/labelled.py`)
as a challenge, runs `matches_for_challenge` and reports precision@5 and MRR:

- for the weights in use (`ranking.DEFAULT_WEIGHTS`),
- for a text-only baseline (the same candidates, ranked with the "words" part alone),

separately for the tuning half (even-numbered needs) and the held-out half (odd-numbered). `--tune` grid-searches
the weights on the tuning half only and reports the best weights on both halves, so any change to the defaults
can be checked against needs it was not tuned on.

"Ceiling" is the best precision@5 possible: a need with one relevant innovation can score at most 0.2.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ["INNOVATORIUM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite database, never a real one
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_atlas() -> int:
    from innovatorium.atlas.demo import create_demo_atlas
    from innovatorium.demo.constants import DEMO_SEED

    rng = random.Random(f"{DEMO_SEED}:innovatorium.atlas.demo.create_demo_atlas")  # noqa: S311 - made-up data
    return create_demo_atlas(rng, 400).innovations


def raise_needs() -> list:
    from django.utils.text import slugify

    from innovatorium.atlas.models import TaxonomyTerm
    from innovatorium.challenges.models import Challenge
    from innovatorium.exchange.labelled import NEEDS
    from innovatorium.networks.models import Network

    networks = list(Network.objects.order_by("slug"))
    terms = {(t.vocabulary, t.slug): t for t in TaxonomyTerm.objects.all()}
    challenges = []
    for index, need in enumerate(NEEDS):
        challenges.append(Challenge.objects.create(
            network=networks[index % len(networks)], slug=slugify(need.title)[:100], title=need.title,
            description=need.description,
            care_setting=terms.get(("care_setting", need.care_setting)),
            clinical_area=terms.get(("clinical_area", need.clinical_area)),
        ))
    return challenges


def evaluate(rows: list, weights: dict[str, float] | None) -> dict[str, float]:
    """rows: (need, challenge, candidates, relevant ids). Mean precision@5 and MRR over the rows."""
    from innovatorium.exchange import ranking, selectors

    precision, rr = [], []
    for _need, challenge, candidates, relevant in rows:
        ranked = selectors.rank_innovations(challenge=challenge, innovations=candidates, limit=None, weights=weights)
        ids = [m.innovation.pk for m in ranked]
        precision.append(ranking.precision_at_k(ids, relevant, k=5))
        rr.append(ranking.reciprocal_rank(ids, relevant))
    return {"p@5": statistics.mean(precision), "mrr": statistics.mean(rr)}


def ceiling(rows: list) -> float:
    return statistics.mean(min(5, len(relevant)) / 5 for *_, relevant in rows)


TEXT_ONLY = {"words": 1.0, "clinical area": 0.0, "care setting": 0.0, "stage": 0.0, "region": 0.0}


def grid() -> list[dict[str, float]]:
    options = []
    for area, setting, stage, region in itertools.product((0, .1, .2, .3), (0, .06, .12, .2), (0, .04, .08),
                                                          (0, .05)):
        words = round(1 - area - setting - stage - region, 4)
        if words >= 0.3:
            options.append({"words": words, "clinical area": area, "care setting": setting, "stage": stage,
                            "region": region})
    return options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="grid-search weights on the tuning half")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exchange-quality-") as var_dir:
        started = time.perf_counter()
        setup_django(var_dir)
        count = load_atlas()
        challenges = raise_needs()
        from innovatorium.atlas.models import Innovation
        from innovatorium.exchange import ranking, selectors
        from innovatorium.exchange.labelled import NEEDS, is_relevant

        names = dict(Innovation.objects.values_list("pk", "name"))
        rows, timings = [], []
        for need, challenge in zip(NEEDS, challenges, strict=True):
            t0 = time.perf_counter()
            candidates = selectors.innovation_candidates(challenge=challenge)
            selectors.rank_innovations(challenge=challenge, innovations=candidates)
            timings.append((time.perf_counter() - t0) * 1000)
            relevant = {pk for pk, name in names.items() if is_relevant(name, need)}
            if not relevant:
                raise SystemExit(f"No innovation in the demo Atlas is labelled relevant for “{need.title}”.")
            rows.append((need, challenge, candidates, relevant))
        tune, held_out = rows[0::2], rows[1::2]
        print(f"Demo Atlas: {count} innovations; labelled needs: {len(rows)} "
              f"({len(tune)} tuning, {len(held_out)} held out); set-up {time.perf_counter() - started:.0f} s")
        print(f"matches_for_challenge: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms; "
              f"candidates per need: median {statistics.median(len(r[2]) for r in rows):.0f}")
        candidates_recall = statistics.mean(
            len({c.pk for c in r[2]} & r[3]) / len(r[3]) for r in rows
        )
        print(f"Share of relevant innovations among the candidates (recall of candidate generation): "
              f"{candidates_recall:.2f}")
        print()
        configurations = [("weights in use", dict(ranking.DEFAULT_WEIGHTS)), ("text only (baseline)", TEXT_ONLY)]
        if args.tune:
            scores = [(evaluate(tune, w), w) for w in grid()]
            best = max(scores, key=lambda s: (s[0]["p@5"], s[0]["mrr"]))[1]
            configurations.append(("best on tuning half", best))
        header = f"{'':24} {'tuning p@5':>10} {'MRR':>6} {'held-out p@5':>13} {'MRR':>6}"
        print(header)
        results = {}
        for label, weights in configurations:
            a, b = evaluate(tune, weights), evaluate(held_out, weights)
            results[label] = (a, b)
            print(f"{label:24} {a['p@5']:>10.3f} {a['mrr']:>6.3f} {b['p@5']:>13.3f} {b['mrr']:>6.3f}")
        print(f"{'ceiling':24} {ceiling(tune):>10.3f} {1:>6.3f} {ceiling(held_out):>13.3f} {1:>6.3f}")
        ours, base = results["weights in use"], results["text only (baseline)"]
        for half, index in (("tuning", 0), ("held-out", 1)):
            p = ours[index]["p@5"] / base[index]["p@5"] if base[index]["p@5"] else float("inf")
            m = ours[index]["mrr"] / base[index]["mrr"] if base[index]["mrr"] else float("inf")
            print(f"Weights in use vs text only, {half}: precision@5 ×{p:.2f}, MRR ×{m:.2f}")
        if args.tune:
            print(f"Best on the tuning half: {configurations[-1][1]}")
        print(f"Weights in use: {ranking.DEFAULT_WEIGHTS}")


if __name__ == "__main__":
    main()
