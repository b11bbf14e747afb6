"""Stratified sortition: a panel drawn at random by constituency, re-runnable by anyone from a public seed.

Why: a panel chosen by lot is fair only if nobody could have steered the draw and everybody can check it. So the
candidate list is published first, then a public seed is fixed (e.g. the next national lottery numbers, or a
string read out at an open meeting), and the draw is a pure function of the two. The algorithm, step by step,
so that it can be re-implemented in a few lines of any language:

1. **Candidates.** Each is ``(candidate id, stratum)``; ids must be unique. Within each stratum the candidates
   are sorted by id (Unicode code-point order), so the order they were listed in does not matter.
   ``candidates_hash`` is sha256 of the lines ``"<stratum>\\t<id>\\n"`` sorted, for the record.
2. **Quotas** (seats per stratum), sum = panel size:
   * ``"equal"``: the panel size split equally among the strata;
   * ``"proportional"``: split in proportion to the number of candidates in each stratum;
   both by largest remainder (Hamilton) with ties broken by larger remainder, then larger weight, then smaller
   stratum id; or explicit quotas per stratum. A stratum with fewer candidates than its quota is refused.
3. **Random numbers.** For each stratum, a stream of 256-bit numbers: block ``k`` (k = 0, 1, 2, ...) is the
   big-endian integer of ``sha256(seed + "\\x1f" + stratum + "\\x1f" + str(k))`` (UTF-8). A number below ``n``
   takes the next block ``x``; if ``x >= 2**256 - (2**256 mod n)`` it is rejected and the next block taken
   (so every value is exactly equally likely); otherwise the number is ``x mod n``.
4. **Draw.** Strata in ascending id order; within a stratum of ``n`` sorted candidates and quota ``q``, a
   partial Fisher-Yates shuffle: for ``i = 0 .. q-1``, take ``j = i + below(n - i)`` and swap positions ``i``
   and ``j``; the first ``q`` are selected, in that order (the order is published; it can seat reserves).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .allocation import largest_remainder

_SEP = "\x1f"
_SPACE = 1 << 256


class HashStream:
    """The deterministic random stream of step 3: sha256 blocks of seed, stratum and a counter."""

    def __init__(self, seed: str, stratum: str) -> None:
        self.prefix = f"{seed}{_SEP}{stratum}{_SEP}"
        self.counter = 0

    def block(self) -> int:
        """The next 256-bit block."""
        digest = hashlib.sha256(f"{self.prefix}{self.counter}".encode()).digest()
        self.counter += 1
        return int.from_bytes(digest, "big")

    def below(self, n: int) -> int:
        """A uniformly distributed integer in ``[0, n)`` by rejection sampling (no modulo bias)."""
        if n <= 0:
            raise ValueError("below(n) needs n >= 1")
        limit = _SPACE - _SPACE % n
        while True:
            x = self.block()
            if x < limit:
                return x % n


@dataclass(frozen=True)
class Draw:
    """A finished draw: everything needed to publish it and for anyone to re-run it."""

    seed: str
    candidates_hash: str
    quotas: dict[str, int]
    selected: dict[str, tuple[str, ...]]

    @property
    def panel(self) -> tuple[str, ...]:
        """All selected ids, stratum by stratum in ascending stratum order, each in draw order."""
        return tuple(cid for stratum in sorted(self.selected) for cid in self.selected[stratum])


def _pools(candidates: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    pools: dict[str, list[str]] = {}
    seen: set[str] = set()
    for cid, stratum in candidates:
        if not isinstance(cid, str) or not cid or not isinstance(stratum, str) or not stratum:
            raise ValueError(f"candidate ids and strata must be non-empty strings, not {(cid, stratum)!r}")
        if _SEP in cid or _SEP in stratum or "\t" in cid + stratum or "\n" in cid + stratum:
            raise ValueError(f"candidate ids and strata must not contain tabs, newlines or \\x1f: {cid!r}")
        if cid in seen:
            raise ValueError(f"candidate {cid!r} is listed twice")
        seen.add(cid)
        pools.setdefault(stratum, []).append(cid)
    for pool in pools.values():
        pool.sort()
    return pools


def candidates_hash(candidates: Iterable[tuple[str, str]]) -> str:
    """sha256 of the canonical candidate list (step 1), published with the draw."""
    lines = sorted(f"{stratum}\t{cid}\n" for cid, stratum in candidates)
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def quotas(size: int, pool_sizes: Mapping[str, int], rule: str | Mapping[str, int] = "proportional") -> dict[str, int]:
    """Seats per stratum (step 2): ``"equal"``, ``"proportional"`` to pool size, or explicit per stratum."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"panel size must be a whole number >= 0, not {size!r}")
    if not pool_sizes:
        raise ValueError("there are no candidates to draw from")
    if isinstance(rule, Mapping):
        unknown = set(rule) - set(pool_sizes)
        if unknown:
            raise ValueError(f"quotas name strata with no candidates: {', '.join(sorted(unknown))}")
        result = {s: rule.get(s, 0) for s in pool_sizes}
        if any(isinstance(q, bool) or not isinstance(q, int) or q < 0 for q in result.values()):
            raise ValueError("explicit quotas must be whole numbers >= 0")
        if sum(result.values()) != size:
            raise ValueError(f"explicit quotas sum to {sum(result.values())}, not the panel size {size}")
    elif rule == "equal":
        result = largest_remainder(size, dict.fromkeys(pool_sizes, 1))
    elif rule == "proportional":
        result = largest_remainder(size, dict(pool_sizes))
    else:
        raise ValueError(f"unknown quota rule {rule!r}; use 'equal', 'proportional' or explicit quotas")
    short = [f"{s} (quota {q}, {pool_sizes[s]} candidates)" for s, q in sorted(result.items()) if q > pool_sizes[s]]
    if short:
        raise ValueError(f"too few candidates to fill the quota in: {'; '.join(short)}")
    return result


def draw(
    candidates: Iterable[tuple[str, str]],
    size: int,
    seed: str,
    rule: str | Mapping[str, int] = "proportional",
) -> Draw:
    """Draw a panel of ``size`` from ``(candidate id, stratum)`` pairs with the public ``seed`` (steps 1-4)."""
    if not isinstance(seed, str) or not seed:
        raise ValueError("the draw needs a public seed string")
    candidates = list(candidates)
    pools = _pools(candidates)
    seats = quotas(size, {s: len(p) for s, p in pools.items()}, rule)
    selected: dict[str, tuple[str, ...]] = {}
    for stratum in sorted(pools):
        pool = list(pools[stratum])
        q = seats[stratum]
        stream = HashStream(seed, stratum)
        for i in range(q):
            j = i + stream.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        selected[stratum] = tuple(pool[:q])
    return Draw(seed=seed, candidates_hash=candidates_hash(candidates), quotas=seats, selected=selected)
