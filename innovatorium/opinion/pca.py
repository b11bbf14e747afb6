"""Two-dimensional PCA of the vote matrix without ever building it densely.

Missing votes are imputed with the statement's mean vote (over those who voted on it), as Pol.is does, and
the matrix is then centred by that same mean. The two steps together leave an imputed cell at exactly zero,
so the centred matrix has the sparsity pattern of the votes: entry ``v_ij - mu_j`` where participant ``i``
voted, zero elsewhere. (This is the brief's implicit ``X v - 1 (mu . v)`` centring with the correction
falling only on the cells that were voted.) Nothing of size participants × statements is materialised.

The top two principal axes come from a randomised block power (subspace) iteration with Rayleigh-Ritz
(Halko, Martinsson & Tropp 2011): each step is one sparse product ``A V`` and one ``A^T Y``, O(votes × block).
It stops when the top two Ritz values (the variance the axes capture) change by less than 0.01 % in a step,
or after 15 steps; for data without structure the top eigenvalues are nearly tied and the axes are not
identifiable anyway, but the variance they capture is (pure-noise 100k × 1k input hits the 15-step cap).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .matrix import VoteMatrix


@dataclass(frozen=True)
class Projection:
    """Participants' coordinates on the two principal axes and what those axes are."""

    coordinates: np.ndarray  # (n_participants, 2)
    components: np.ndarray  # (2, n_statements): each statement's loading on each axis
    explained_variance_ratio: np.ndarray  # (2,)
    column_means: np.ndarray  # (n_statements,): mean vote among those who voted
    iterations: int


def _fix_signs(components: np.ndarray) -> np.ndarray:
    """Make each axis's largest-magnitude loading positive, so a rerun draws the same map, not a mirror."""
    for row in components:
        if row.size and row[np.argmax(np.abs(row))] < 0:
            row *= -1
    return components


def _orthonormalise(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Orthonormal basis of the columns of ``z`` by Gram-Schmidt, twice ("twice is enough").

    Why not ``np.linalg.qr``: on a busy machine a multi-threaded LAPACK QR of this tall, thin (statements × 12)
    matrix was measured at 50-100 ms a call against 0.1 ms single-threaded; a dozen vector operations are
    immune to that. A column that vanishes (a rank-deficient block) is replaced by a seeded random direction.
    """
    q = np.array(z, dtype=np.float64, copy=True)
    for j in range(q.shape[1]):
        for _attempt in range(3):
            v = q[:, j]
            norm_before = np.sqrt(v @ v)
            for _ in range(2):
                v -= q[:, :j] @ (q[:, :j].T @ v)
            norm = np.sqrt(v @ v)
            if norm > 1e-10 * max(norm_before, 1e-300) and norm > 0:
                q[:, j] = v / norm
                break
            q[:, j] = rng.standard_normal(q.shape[0])
    return q


def pca_2d(
    matrix: VoteMatrix,
    *,
    seed: int = 0,
    oversample: int = 10,
    max_iter: int = 15,
    tol: float = 1e-4,
    scale_by_votes: bool = True,
) -> Projection:
    """Project every participant of ``matrix`` onto the top two principal axes.

    ``scale_by_votes`` applies Pol.is's correction: a participant who voted on few statements sits near the
    centre only because their unseen statements were imputed with the mean, so their coordinates are
    multiplied by ``sqrt(n_statements / n_votes)`` to put them where their actual votes point.
    """
    n, m = matrix.n_participants, matrix.n_statements
    cols = matrix.indices
    votes = matrix.votes.astype(np.float64)
    counts = np.bincount(cols, minlength=m)
    sums = np.bincount(cols, weights=votes, minlength=m)
    means = sums / np.maximum(counts, 1)
    centred = votes - means[cols]
    total = float(centred @ centred)

    coordinates = np.zeros((n, 2))
    components = np.zeros((2, m))
    ratio = np.zeros(2)
    if n == 0 or m == 0 or total <= 0.0:
        return Projection(coordinates, components, ratio, means, 0)

    a = matrix.to_csr(centred, dtype=np.float32)
    at = a.T  # a CSC view: A^T Y runs as column scatters into the small m × l output
    block = min(m, 2 + oversample)
    rng = np.random.default_rng(seed)
    basis = _orthonormalise(rng.standard_normal((m, block)), rng)
    previous = None
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        y = a @ basis.astype(np.float32)
        z = np.asarray(at @ y, dtype=np.float64)  # A^T A V
        ritz = np.linalg.eigvalsh(basis.T @ z)[::-1][:2]
        if previous is not None and np.all(np.abs(ritz - previous) <= tol * max(ritz[0], 1e-300)):
            break
        previous = ritz
        basis = _orthonormalise(z, rng)
    # Rayleigh-Ritz on the final basis: the best two axes within the subspace found.
    z = np.asarray(at @ (a @ basis.astype(np.float32)), dtype=np.float64)
    h = basis.T @ z
    values, vectors = np.linalg.eigh((h + h.T) / 2)
    order = np.argsort(values)[::-1][:2]
    found = (basis @ vectors[:, order]).T
    components[: found.shape[0]] = found
    components = _fix_signs(components)
    coordinates = np.asarray(a @ components.T.astype(np.float32), dtype=np.float64)
    ratio[: order.size] = np.clip(values[order], 0.0, None) / total
    if scale_by_votes:
        seen = np.diff(matrix.indptr)
        coordinates *= np.sqrt(m / np.maximum(seen, 1))[:, None]
    return Projection(coordinates, components, ratio, means, iterations)
