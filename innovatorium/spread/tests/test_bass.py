"""Bass fit: recovers known parameters, intervals and bands behave, forecasts stay below the market."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innovatorium.spread import AdoptionEvent, adoption_curves, bass_cumulative, curve_series, fit_bass, fit_curve


def simulate(p, q, m, rng, noise=0.005, years_past_peak=2.0):
    """Monthly cumulative adoptions out to twice the peak time, with Gaussian noise of noise*m."""
    peak = np.log(q / p) / (p + q)
    t = np.arange(1, int(np.ceil(years_past_peak * peak * 12)) + 1) / 12
    return t, bass_cumulative(t, p, q, m) + rng.normal(0, noise * m, len(t))


@pytest.mark.parametrize(
    ("p", "q", "m"),
    [(0.01, 0.4, 500), (0.03, 0.38, 3000), (0.005, 0.8, 1200), (0.05, 0.3, 250), (0.02, 1.5, 800)],
)
def test_recovers_known_parameters_within_10_percent(p, q, m):
    t, n = simulate(p, q, m, np.random.default_rng(7))
    f = fit_bass(t, n)
    assert f.p == pytest.approx(p, rel=0.10)
    assert f.q == pytest.approx(q, rel=0.10)
    assert f.m == pytest.approx(m, rel=0.10)
    for k, v in {"p": p, "q": q, "m": m}.items():
        lo, hi = f.ci[k]
        assert lo < getattr(f, k) < hi and f.se[k] > 0
        assert lo < v * 1.1 and hi > v * 0.9


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    p=st.floats(0.005, 0.06),
    q=st.floats(0.2, 1.2),
    m=st.floats(100, 5000),
    seed=st.integers(0, 2**16),
)
def test_recovery_over_a_parameter_range(p, q, m, seed):
    t, n = simulate(p, q, m, np.random.default_rng(seed))
    f = fit_bass(t, n, n_draws=50)
    assert abs(f.p / p - 1) < 0.10 and abs(f.q / q - 1) < 0.10


def test_poisson_counts_from_sites():
    """Integer site counts: each month's new adopters are Poisson around the Bass increment."""
    rng = np.random.default_rng(3)
    p, q, m = 0.02, 0.6, 2000
    t = np.arange(1, 13 * 12) / 12
    inc = np.diff(np.concatenate([[0.0], bass_cumulative(t, p, q, m)]))
    n = np.cumsum(rng.poisson(inc))
    f = fit_bass(t, n)
    assert f.p == pytest.approx(p, rel=0.1) and f.q == pytest.approx(q, rel=0.1)


def test_forecast_bounded_by_market_and_bands_ordered():
    t, n = simulate(0.01, 0.5, 400, np.random.default_rng(1), noise=0.02, years_past_peak=0.8)  # before the peak
    f = fit_bass(t, n, m_max=600)
    horizon = np.linspace(0.1, 40, 200)
    fc = f.forecast(horizon)
    assert np.all(fc.mean < f.m) and np.all(fc.upper <= 600)
    assert np.all(fc.lower <= fc.mean) and np.all(fc.mean <= fc.upper)
    assert np.all(np.diff(fc.mean) >= 0)
    assert np.all(fc.upper <= np.quantile(f.draws[:, 2], 0.975) + 1e-9)


def test_bootstrap_intervals_cover_truth():
    t, n = simulate(0.02, 0.5, 1000, np.random.default_rng(5), noise=0.01)
    f = fit_bass(t, n, uncertainty="bootstrap", n_boot=40)
    assert f.method == "bootstrap" and f.draws.shape == (40, 3)
    for k, v in {"p": 0.02, "q": 0.5, "m": 1000}.items():
        lo, hi = f.ci[k]
        assert lo < v * 1.05 and hi > v * 0.95


def test_fit_from_adoption_events():
    """Sites adopt at Bass-distributed times (inverse CDF), the curve is sampled monthly and fitted."""
    p, q, m = 0.03, 0.7, 1500
    rng = np.random.default_rng(11)
    u = rng.uniform(size=m)
    e = (1 - u) / (1 + (q / p) * u)
    years = -np.log(e) / (p + q)
    launch = date(2015, 1, 1)
    cut = launch + timedelta(days=365 * 9)
    events = [
        AdoptionEvent("x", i, launch + timedelta(days=int(y * 365.25)), "adopted")
        for i, y in enumerate(years)
        if launch + timedelta(days=int(y * 365.25)) <= cut
    ]
    curve = adoption_curves(events)["x"]
    t, n, origin = curve_series(curve, origin=launch)
    assert origin == launch and np.all(np.diff(n) >= 0) and n[-1] == curve.ever_adopted[-1]
    f = fit_curve(curve, origin=launch)
    assert f.p == pytest.approx(p, rel=0.1) and f.q == pytest.approx(q, rel=0.1) and f.m == pytest.approx(m, rel=0.1)


def test_bad_input():
    with pytest.raises(ValueError, match="at least 4"):
        fit_bass([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="t > 0"):
        fit_bass([0, 1, 2, 3], [0, 1, 2, 3])
    with pytest.raises(ValueError, match="no adoptions"):
        fit_bass([1, 2, 3, 4], [0, 0, 0, 0])
    with pytest.raises(ValueError, match="m_max"):
        fit_bass([1, 2, 3, 4], [1, 2, 3, 4], m_max=2)
    with pytest.raises(ValueError, match="unknown"):
        fit_bass([1, 2, 3, 4], [1, 2, 3, 4], uncertainty="guess")
