"""Which statement to show a participant next: a pure function, no Django.

Among the statements the participant has not answered, each gets a weight that is higher when few people have
seen it (so new statements catch up) and when the answers so far split evenly between agree and disagree (so the
groups can be told apart sooner). One is then drawn at random in proportion to its weight, from a
`random.Random(seed)`: the same seed gives the same statement, so a page reload shows the same one.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

NOVELTY_FLOOR = 0.05  # so a statement everyone has seen is still shown, just less often
SPLIT_FLOOR = 0.1  # so a statement everyone agrees with is still shown


def statement_weight(*, seen: int, agree: int, disagree: int) -> float:
    """Novelty × split: 1/(1+seen) and 1 − |2p − 1| with p the smoothed agree share, each with a floor."""
    novelty = 1.0 / (1.0 + max(seen, 0))
    p_agree = (agree + 1.0) / (agree + disagree + 2.0)
    split = 1.0 - abs(2.0 * p_agree - 1.0)
    return (novelty + NOVELTY_FLOOR) * (split + SPLIT_FLOOR)


def next_statement(
    *,
    statements: Sequence[int],
    seen: Sequence[int],
    agree: Sequence[int],
    disagree: Sequence[int],
    answered: Collection[int],
    seed: int,
) -> int | None:
    """The id of the next statement to show, or None when the participant has answered them all.

    `statements` are ids; `seen`, `agree` and `disagree` are parallel counts over everyone; `answered` holds the
    ids this participant has voted on.
    """
    if not len(statements) == len(seen) == len(agree) == len(disagree):
        raise ValueError("statements, seen, agree and disagree must be the same length")
    answered = set(answered)
    candidates = [
        (statement, statement_weight(seen=s, agree=a, disagree=d))
        for statement, s, a, d in zip(statements, seen, agree, disagree, strict=True)
        if statement not in answered
    ]
    if not candidates:
        return None
    candidates.sort()
    rng = random.Random(seed)  # noqa: S311 - not security: a reproducible choice of what to show
    point = rng.random() * sum(weight for _, weight in candidates)
    for statement, weight in candidates:
        point -= weight
        if point < 0:
            return statement
    return candidates[-1][0]
