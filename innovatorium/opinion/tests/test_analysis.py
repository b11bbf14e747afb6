"""Opinion analysis: planted structure is recovered, and properties hold on arbitrary small conversations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.opinion import Z_90, analyse, group_name
from innovatorium.opinion.clustering import silhouette_many
from innovatorium.opinion.matrix import build_vote_matrix
from innovatorium.opinion.pca import pca_2d
from innovatorium.opinion.tables import two_proportion_z


def planted(n: int = 300, m: int = 30, seed: int = 3, noise: float = 0.05, rate: float = 0.7):
    """Two camps that disagree on statements 1..m/2, agree on 0, and vote at random on the rest."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 2, n)
    p, s = np.nonzero(rng.random((n, m)) < rate)
    v = rng.integers(-1, 2, p.size)
    split = (s >= 1) & (s <= m // 2)
    v[split] = np.where(camp[p[split]] == 0, 1, -1)
    v[s == 0] = 1
    flip = rng.random(p.size) < noise
    v[flip] = rng.integers(-1, 2, int(flip.sum()))
    return p, s, v, camp


def test_two_planted_camps_are_recovered_and_the_shared_statement_is_consensus():
    p, s, v, camp = planted()
    result = analyse(p, s, v, 300, 30, seed=1)
    assert result.k == 2
    groups = np.array(result.group)
    truth = camp[result.participants]
    purity = max(np.mean(groups == truth), np.mean(groups != truth))
    assert purity >= 0.95
    assert 0 in [c.statement for c in result.clusters.consensus_agree]
    assert result.clusters.group_aware_consensus[0].statement == 0
    # Each camp's most representative statements (either way) are the ones the camps split on.
    tables = result.clusters
    for agree, disagree in zip(tables.representative_agree, tables.representative_disagree, strict=True):
        strongest = sorted(agree + disagree, key=lambda r: -r.z)[:5]
        assert len(strongest) == 5 and all(1 <= r.statement <= 15 for r in strongest)
    assert all(1 <= d.statement <= 15 for d in result.clusters.divisive)


def test_constituency_view_and_suppression_of_small_constituencies():
    p, s, v, camp = planted()
    labels: list[str | None] = ["patients" if c == 0 else "clinicians" for c in camp]
    labels[0:3] = ["industry"] * 3  # three people: too few to report
    labels[3] = None
    result = analyse(p, s, v, 300, 30, constituencies=labels)
    tables = result.constituencies
    assert tables is not None
    assert tables.names == ["clinicians", "patients"]
    assert tables.suppressed == ["industry"]
    assert tables.unassigned == 4
    assert sum(tables.sizes) == len(result.participants) - 4
    assert 0 in [c.statement for c in tables.consensus_agree]
    for agree, disagree in zip(tables.representative_agree, tables.representative_disagree, strict=True):
        strongest = sorted(agree + disagree, key=lambda r: -r.z)[:5]
        assert len(strongest) == 5 and all(1 <= r.statement <= 15 for r in strongest)


def test_the_last_vote_on_a_statement_counts():
    matrix = build_vote_matrix([0, 0, 1, 0], [2, 1, 0, 2], [1, 1, -1, -1], 2, 3)
    assert matrix.indptr.tolist() == [0, 2, 3]
    assert matrix.indices.tolist() == [1, 2, 0]
    assert matrix.votes.tolist() == [1, -1, -1]


@pytest.mark.parametrize(
    ("p", "s", "v", "message"),
    [
        ([0], [0], [2], "votes must be"),
        ([5], [0], [1], "participant index"),
        ([0], [-1], [1], "statement index"),
        ([0, 1], [0], [1], "same length"),
        ([0.5], [0], [1], "integers"),
    ],
)
def test_bad_input_is_refused(p, s, v, message):
    with pytest.raises(ValueError, match=message):
        analyse(p, s, v, 2, 2)


def test_empty_conversation():
    result = analyse([], [], [], 0, 0)
    assert result.participants == [] and result.k == 0
    json.loads(result.to_json())


def test_pca_matches_a_dense_svd_of_the_imputed_centred_matrix():
    rng = np.random.default_rng(5)
    p, s, v, _ = planted(n=60, m=12, seed=5, rate=0.6)
    matrix = build_vote_matrix(p, s, v, 60, 12)
    dense = np.full((60, 12), np.nan)
    dense[matrix.row_of_each_vote(), matrix.indices] = matrix.votes
    means = np.nanmean(dense, axis=0)
    centred = np.where(np.isnan(dense), 0.0, dense - means)
    _, sv, vt = np.linalg.svd(centred, full_matrices=False)
    projection = pca_2d(matrix, seed=int(rng.integers(100)), scale_by_votes=False, tol=1e-12, max_iter=200)
    # Same plane (the axes may differ in sign), same share of variance.
    overlap = np.linalg.svd(vt[:2] @ projection.components.T, compute_uv=False)
    assert np.allclose(overlap, 1.0, atol=1e-4)
    assert np.allclose(projection.explained_variance_ratio, sv[:2] ** 2 / (sv**2).sum(), rtol=1e-4)


def test_silhouette_matches_the_definition():
    rng = np.random.default_rng(2)
    points = rng.normal(size=(40, 2))
    labels = rng.integers(0, 3, 40)
    d = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    expected = []
    for i in range(40):
        own = labels == labels[i]
        if own.sum() == 1:
            expected.append(0.0)
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == c].mean() for c in set(labels.tolist()) - {labels[i]})
        expected.append((b - a) / max(a, b))
    assert silhouette_many(points, [labels], [3], chunk=7)[0] == pytest.approx(np.mean(expected))


def test_group_names():
    assert [group_name(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


@st.composite
def conversations(draw):
    n = draw(st.integers(1, 30))
    m = draw(st.integers(1, 12))
    cells = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1), st.sampled_from([-1, 0, 1]))))
    # Dense voters too, so that most examples place people and form groups.
    heavy = draw(st.integers(0, n))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    for i in range(heavy):
        for j in range(m):
            cells.append((i, j, int(rng.integers(-1, 2))))
    p = [c[0] for c in cells]
    s = [c[1] for c in cells]
    v = [c[2] for c in cells]
    return n, m, p, s, v


@settings(max_examples=40, deadline=None)
@given(conversations(), st.integers(0, 3))
def test_properties_on_arbitrary_conversations(conversation, seed):
    n, m, p, s, v = conversation
    labels = [["a", "b", None][i % 3] for i in range(n)]
    result = analyse(p, s, v, n, m, constituencies=labels, seed=seed, min_constituency_size=1)

    # Only participants with at least min(7, m) distinct statements voted are placed.
    voted = {}
    for i, j in zip(p, s, strict=True):
        voted.setdefault(i, set()).add(j)
    expected = sorted(i for i, js in voted.items() if len(js) >= min(7, m))
    assert result.participants == expected

    # Groups partition the placed participants; k is 2..5 when the map has two distinct points.
    placed = len(expected)
    assert len(result.group) == len(result.x) == len(result.y) == placed
    distinct = len(set(zip(result.x, result.y, strict=True)))
    if distinct >= 2:
        assert 2 <= result.k <= 5
    else:
        assert result.k == min(placed, 1)
    assert sorted(set(result.group)) == list(range(result.k))
    assert result.clusters.sizes == [result.group.count(g) for g in range(result.k)]
    assert sum(result.clusters.sizes) == placed
    assert np.all(np.isfinite(result.x)) and np.all(np.isfinite(result.y))

    # Representative statements really differ from the rest, in the stated direction.
    for tables in (result.clusters, result.constituencies):
        for table in tables.representative_agree + tables.representative_disagree:
            for r in table:
                z = two_proportion_z(
                    np.float64(r.group_hits), np.float64(r.group_seen), np.float64(r.rest_hits), np.float64(r.rest_seen)
                )
                assert z == pytest.approx(r.z) and r.z >= Z_90 and r.p_group > r.p_rest
        for c in tables.consensus_agree:
            assert all(x > 0.5 for x in c.group_p)

    # Plain, JSON-ready, and the same seed gives the same result.
    assert json.loads(result.to_json())["k"] == result.k
    again = analyse(p, s, v, n, m, constituencies=labels, seed=seed, min_constituency_size=1)
    assert again.to_dict() == result.to_dict()
