"""Opinion groups: k-means on the 2-D opinion map, k from 2 to 5 chosen by silhouette.

Why on the map and not on the full vote matrix: that is what Pol.is does and what people see; groups
drawn on the map are the groups the map shows. The map is two columns, so every step here is a
vectorised pass over an ``n × k`` array (k ≤ 5) and costs milliseconds even for 100,000 people.

The silhouette needs all pairwise distances, which for 100,000 points is 10^10; it is computed on a seeded
sample of at most ``sample_size`` points (5,000 by default), in row chunks so the distance block stays small.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # (n,), 0..k-1, group 0 the largest
    centres: np.ndarray  # (k, 2)
    k: int
    k_tried: list[int]
    silhouettes: list[float]  # one per k tried


def _squared_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """``(len(points), len(centres))`` squared distances, one coordinate at a time.

    Summing a broadcast ``n × k × 2`` array over its last, length-2 axis is several times slower than two
    ``n × k`` passes, and this runs inside every Lloyd iteration and every silhouette block.
    """
    out = np.subtract.outer(points[:, 0], centres[:, 0])
    out *= out
    for dim in range(1, points.shape[1]):
        diff = np.subtract.outer(points[:, dim], centres[:, dim])
        diff *= diff
        out += diff
    return out


def kmeans_plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Arthur & Vassilvitskii's seeding: each new centre drawn with probability ∝ squared distance."""
    n = points.shape[0]
    centres = np.empty((k, points.shape[1]))
    centres[0] = points[rng.integers(n)]
    nearest = ((points - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = nearest.sum()
        index = rng.integers(n) if total <= 0 else rng.choice(n, p=nearest / total)
        centres[j] = points[index]
        np.minimum(nearest, ((points - centres[j]) ** 2).sum(axis=1), out=nearest)
    return centres


def _lloyd(
    points: np.ndarray, centres: np.ndarray, *, max_iter: int, tol: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd iterations from ``centres`` until no label changes or no centre moves more than ``tol``."""
    n, k = points.shape[0], centres.shape[0]
    centres = centres.copy()
    labels = np.full(n, -1)
    rows = np.arange(n)
    for _ in range(max_iter):
        d2 = _squared_distances(points, centres)
        new = d2.argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        sizes = np.bincount(labels, minlength=k)
        previous = centres.copy()
        for dim in range(points.shape[1]):
            sums = np.bincount(labels, weights=points[:, dim], minlength=k)
            np.divide(sums, sizes, out=centres[:, dim], where=sizes > 0)
        empty = np.flatnonzero(sizes == 0)
        if empty.size:  # re-seed an empty group at the points worst served by their centre
            worst = np.argsort(d2[rows, labels])[::-1][: empty.size]
            centres[empty] = points[worst]
            labels = np.full(n, -1)
        elif ((centres - previous) ** 2).sum(axis=1).max() <= tol:
            break
    d2 = _squared_distances(points, centres)
    labels = d2.argmin(axis=1)
    return labels, centres, float(d2[rows, labels].sum())


def kmeans(
    points: np.ndarray,
    k: int,
    rng: np.random.Generator,
    *,
    n_init: int = 4,
    max_iter: int = 100,
    tol: float = 1e-8,
    init_sample: int = 10_000,
) -> tuple[np.ndarray, np.ndarray, float]:
    """k-means from ``n_init`` k-means++ starts; the lowest within-group sum of squares wins.

    For big inputs the starts compete on a seeded sample of ``init_sample`` points and only the winner is
    refined on all of them: the restarts guard against a bad seeding, which a 10,000-point sample of a 2-D
    map shows as well as the whole map does, at a fraction of the cost. ``tol`` is relative to the data's
    variance: a centre moving less than that no longer changes what the map shows.
    """
    n = points.shape[0]
    scale = float(points.var(axis=0).sum()) or 1.0
    trial = points[np.sort(rng.choice(n, size=init_sample, replace=False))] if n > init_sample else points
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(n_init):
        run = _lloyd(trial, kmeans_plus_plus(trial, k, rng), max_iter=max_iter, tol=tol * scale)
        if best is None or run[2] < best[2]:
            best = run
    assert best is not None  # noqa: S101 - n_init >= 1
    if trial is points:
        return best
    return _lloyd(points, best[1], max_iter=max_iter, tol=tol * scale)


def silhouette_many(points: np.ndarray, labelings: list[np.ndarray], ks: list[int], chunk: int = 500) -> list[float]:
    """Mean silhouette of each labelling of the same points, sharing one pass over the distance matrix.

    The per-group sums of distances for every labelling at once are one product of a distance block with the
    stacked one-hot membership matrix, so the O(n²) distance work is done once however many k are tried.
    A point alone in its group scores 0 (Rousseeuw's convention).
    """
    n = points.shape[0]
    offsets = np.concatenate([[0], np.cumsum(ks)])
    onehot = np.zeros((n, int(offsets[-1])))
    for labels, start in zip(labelings, offsets[:-1], strict=True):
        onehot[np.arange(n), start + labels] = 1.0
    sums = np.empty((n, onehot.shape[1]))
    for start in range(0, n, chunk):
        block = points[start : start + chunk]
        d = _squared_distances(block, points)
        np.sqrt(d, out=d)
        sums[start : start + chunk] = d @ onehot
    scores = []
    for labels, k, start in zip(labelings, ks, offsets[:-1], strict=True):
        sizes = onehot[:, start : start + k].sum(axis=0)
        group_sums = sums[:, start : start + k]
        own_size = sizes[labels]
        a = group_sums[np.arange(n), labels] / np.maximum(own_size - 1, 1)
        means = group_sums / np.where(sizes > 0, sizes, np.inf)
        means[np.arange(n), labels] = np.inf
        means[:, sizes == 0] = np.inf
        b = means.min(axis=1)
        denom = np.maximum(a, b)
        s = np.where((own_size > 1) & np.isfinite(b) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
        scores.append(float(s.mean()))
    return scores


def _relabel_by_size(labels: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number groups largest first (ties: leftmost centre), so group A is the same group on every rerun."""
    k = centres.shape[0]
    sizes = np.bincount(labels, minlength=k)
    order = np.lexsort((centres[:, 1], centres[:, 0], -sizes))
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    return rank[labels], centres[order]


def choose_groups(
    points: np.ndarray, *, seed: int = 0, k_min: int = 2, k_max: int = 5, sample_size: int = 5000
) -> Clustering:
    """Cluster for each k in ``k_min..k_max`` and keep the k with the best silhouette (ties: fewer groups)."""
    n = points.shape[0]
    if n == 0:
        return Clustering(np.zeros(0, dtype=np.int64), np.zeros((0, 2)), 0, [], [])
    distinct = np.unique(points, axis=0).shape[0]
    top = min(k_max, distinct)
    if top < max(k_min, 2):
        return Clustering(np.zeros(n, dtype=np.int64), points.mean(axis=0, keepdims=True), 1, [], [])
    rng = np.random.default_rng(seed)
    ks = list(range(max(k_min, 2), top + 1))
    runs = [kmeans(points, k, rng) for k in ks]
    sample = np.sort(rng.choice(n, size=sample_size, replace=False)) if n > sample_size else np.arange(n)
    scores = silhouette_many(points[sample], [labels[sample] for labels, _, _ in runs], ks)
    best = int(np.argmax(scores))
    labels, centres = _relabel_by_size(runs[best][0], runs[best][1])
    return Clustering(labels, centres, ks[best], ks, scores)
