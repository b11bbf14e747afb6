"""Bass diffusion fit (innovation p, imitation q, market m) with uncertainty and a forecast.

Why Bass: it is the standard two-force model of spread - sites adopt on their own (p) and because others already have
(q) - and its parameters answer the questions networks are asked ("how far will this go, how fast?").

Model (time ``t`` in years from the launch ``origin``, so N(0) = 0)::

    F(t) = (1 - exp(-(p+q) t)) / (1 + (q/p) exp(-(p+q) t)),    N(t) = m F(t)

N is *cumulative first adoptions* (the ever-adopted curve), never the current adopting count.

Fitting: nonlinear least squares on N (``scipy.optimize.least_squares``, trust-region reflective) in log parameters,
so p, q, m stay positive and differently-scaled parameters are treated alike; bounds keep m at or above the observed
count and below ``m_max`` (e.g. the number of eligible sites) when known. Several starts - the classic discrete Bass
regression (n_t on N_{t-1}, N_{t-1}^2) when it gives a valid answer, plus a few fixed shapes - and the lowest cost wins,
because the Bass surface has long flat valleys (notably before the peak, where m and q trade off).

Uncertainty: ``"jacobian"`` (default) uses cov = s^2 (J'J)^-1 at the optimum in log space, so intervals are
exp(log θ ± t_{0.975,n-3}·se) - asymmetric and positive; ``"bootstrap"`` refits to B parametric resamples
(fitted curve + Gaussian noise of the residual scale). Both assume independent errors; residuals of a cumulative
series are autocorrelated, so the intervals are optimistic - read them as a floor on the uncertainty. Forecast bands
are parameter bands for the mean curve (2.5/97.5 % of N(t) over parameter draws); each draw is bounded by its own m,
so the bands never exceed the upper quantile of m, and never exceed ``m_max``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import optimize, stats

from .curves import AdoptionCurve

DAYS_PER_YEAR = 365.25
MONTH_DAYS = DAYS_PER_YEAR / 12
P_BOUNDS = (1e-5, 5.0)
Q_BOUNDS = (1e-5, 20.0)
M_MAX_FACTOR = 50.0  # without m_max, m may be at most this times the observed count


def bass_cumulative(t: np.ndarray | float, p: float, q: float, m: float) -> np.ndarray:
    """N(t) = m F(t); 0 at t <= 0 and strictly below m for all t."""
    t = np.maximum(np.asarray(t, dtype=float), 0.0)
    s = p + q
    e = np.exp(-s * t)
    return m * (-np.expm1(-s * t)) / (1.0 + (q / p) * e)


def _jac_log(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """d N / d(log p, log q, log m), analytic (faster and steadier than finite differences)."""
    p, q, m = np.exp(x)
    s, r = p + q, q / p
    e = np.exp(-s * t)
    den = 1.0 + r * e
    f = (-np.expm1(-s * t)) / den
    df_de = -(1.0 + r) / den**2
    df_dr = -(1.0 - e) * e / den**2
    de = -t * e  # de/dp == de/dq
    df_dp = df_de * de + df_dr * (-q / p**2)
    df_dq = df_de * de + df_dr * (1.0 / p)
    return np.column_stack([m * df_dp * p, m * df_dq * q, m * f])


def _ols_guess(t: np.ndarray, n: np.ndarray) -> tuple[float, float, float] | None:
    """Discrete Bass regression n_t = a + b N_{t-1} + c N_{t-1}^2 (Bass 1969), per-year rates; None if invalid."""
    if len(t) < 4:
        return None
    dt = np.diff(np.concatenate([[0.0], t]))
    prev = np.concatenate([[0.0], n[:-1]])
    inc = np.diff(np.concatenate([[0.0], n])) / dt
    design = np.column_stack([np.ones_like(prev), prev, prev**2])
    try:
        (a, b, c), *_ = np.linalg.lstsq(design, inc, rcond=None)
    except np.linalg.LinAlgError:
        return None
    if c >= 0 or b * b - 4 * a * c <= 0:
        return None
    m = (-b - np.sqrt(b * b - 4 * a * c)) / (2 * c)
    if not np.isfinite(m) or m <= 0:
        return None
    p, q = a / m, -c * m
    if p <= 0 or q <= 0:
        return None
    return float(p), float(q), float(m)


@dataclass(frozen=True)
class Forecast:
    """Point forecast and band of cumulative adoptions at times ``t`` (years from origin)."""

    t: np.ndarray
    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float


@dataclass(frozen=True)
class BassFit:
    """Fitted Bass parameters with standard errors, intervals and the parameter draws behind the bands."""

    p: float
    q: float
    m: float
    se: dict[str, float]
    ci: dict[str, tuple[float, float]]
    sigma: float  # residual standard deviation, adoptions
    n_obs: int
    cost: float
    method: str
    m_max: float | None = None
    draws: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 3)))  # rows: p, q, m

    @property
    def peak_time(self) -> float:
        """Years from origin to the fastest adoption, ln(q/p)/(p+q); 0 when q <= p (no S shape)."""
        return max(0.0, float(np.log(self.q / self.p) / (self.p + self.q)))

    def cumulative(self, t: np.ndarray | float) -> np.ndarray:
        """Fitted cumulative adoptions at ``t``."""
        return bass_cumulative(t, self.p, self.q, self.m)

    def forecast(self, t: np.ndarray | Sequence[float], level: float = 0.95) -> Forecast:
        """Mean curve and parameter band at ``t``; everything is clipped to m_max when it was given."""
        t = np.asarray(t, dtype=float)
        mean = self.cumulative(t)
        if len(self.draws):
            curves = np.stack([bass_cumulative(t, *d) for d in self.draws])
            lo, hi = np.quantile(curves, [(1 - level) / 2, (1 + level) / 2], axis=0)
        else:
            lo = hi = mean
        if self.m_max is not None:
            mean, lo, hi = (np.minimum(a, self.m_max) for a in (mean, lo, hi))
        return Forecast(t, mean, np.minimum(lo, mean), np.maximum(hi, mean), level)


def _solve(t, n, x0, lo, hi, weights=None):
    x0 = np.clip(x0, lo + 1e-9, hi - 1e-9)

    def resid(x):
        return bass_cumulative(t, *np.exp(x)) - n

    def jac(x):
        return _jac_log(t, x)

    return optimize.least_squares(resid, x0, jac=jac, bounds=(lo, hi), method="trf", x_scale=1.0, max_nfev=200)


def fit_bass(
    t: Sequence[float] | np.ndarray,
    n: Sequence[float] | np.ndarray,
    *,
    m_max: float | None = None,
    uncertainty: str = "jacobian",
    n_boot: int = 200,
    n_draws: int = 400,
    n_starts: int = 2,
    seed: int | None = 0,
) -> BassFit:
    """Fit Bass to cumulative adoptions ``n`` at times ``t`` (years since launch; t > 0).

    ``n_starts`` solver runs start from the best-scoring grid points (the regression guess always gets one).
    Needs at least 4 points and some growth. ``m_max`` caps the market (e.g. eligible sites). ``uncertainty`` is
    ``"jacobian"`` (draws from the normal approximation in log space, for the bands) or ``"bootstrap"``.
    """
    t = np.asarray(t, dtype=float)
    n = np.asarray(n, dtype=float)
    if t.shape != n.shape or t.ndim != 1:
        raise ValueError("t and n must be 1-D and the same length")
    if len(t) < 4:
        raise ValueError("a Bass fit needs at least 4 points")
    if np.any(t <= 0):
        raise ValueError("times must be after the origin (t > 0)")
    top = float(n.max())
    if top <= 0:
        raise ValueError("no adoptions to fit")
    m_hi = m_max if m_max is not None else M_MAX_FACTOR * top
    if m_hi < top:
        raise ValueError("m_max is below the observed number of adopters")
    lo = np.log([P_BOUNDS[0], Q_BOUNDS[0], top])
    hi = np.log([P_BOUNDS[1], Q_BOUNDS[1], max(m_hi, top * (1 + 1e-6))])
    # multi-start: score a grid of shapes (plus the Bass regression's answer) by cost in one vectorised pass,
    # then run the solver from the best few - as safe as many full starts, at a fraction of the time
    pp, qq, mm = np.meshgrid([0.002, 0.01, 0.03, 0.1], [0.1, 0.3, 0.6, 1.2, 2.5], [1.05, 1.5, 3.0, 8.0], indexing="ij")
    grid = np.column_stack([pp.ravel(), qq.ravel(), np.minimum(mm.ravel() * top, m_hi)])
    guess = _ols_guess(t, n)
    if guess is not None:
        grid = np.vstack([grid, np.clip(guess, np.exp(lo), np.exp(hi))])
    p_, q_, m_ = (grid[:, i : i + 1] for i in range(3))
    e = np.exp(-(p_ + q_) * t)
    costs = (((m_ * (1 - e) / (1 + (q_ / p_) * e)) - n) ** 2).sum(axis=1)
    order = np.argsort(costs)[:n_starts]
    if guess is not None and len(grid) - 1 not in order:
        order = np.append(order, len(grid) - 1)
    best = None
    for i in order:
        res = _solve(t, n, np.log(grid[i]), lo, hi)
        if best is None or res.cost < best.cost:
            best = res
    assert best is not None  # noqa: S101 - starts is never empty
    x = best.x
    dof = max(len(t) - 3, 1)
    sigma = float(np.sqrt(2 * best.cost / dof))
    rng = np.random.default_rng(seed)
    if uncertainty == "jacobian":
        jtj = best.jac.T @ best.jac
        cov = sigma**2 * np.linalg.pinv(jtj)
        se_log = np.sqrt(np.clip(np.diag(cov), 0, None))
        draws_log = rng.multivariate_normal(x, cov, size=n_draws, method="eigh", check_valid="ignore")
        draws_log = np.clip(draws_log, lo, hi)
    elif uncertainty == "bootstrap":
        fitted = bass_cumulative(t, *np.exp(x))
        draws_list = []
        for _ in range(n_boot):
            res = _solve(t, fitted + rng.normal(0.0, sigma, size=len(t)), x, lo, hi)
            draws_list.append(res.x)
        draws_log = np.asarray(draws_list)
        se_log = draws_log.std(axis=0, ddof=1)
    else:
        raise ValueError(f"unknown uncertainty method {uncertainty!r}")
    tq = float(stats.t.ppf(0.975, dof))
    theta = np.exp(x)
    names = ("p", "q", "m")
    if uncertainty == "bootstrap":
        qlo, qhi = np.exp(np.quantile(draws_log, [0.025, 0.975], axis=0))
        ci = {k: (float(qlo[i]), float(qhi[i])) for i, k in enumerate(names)}
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ci = {
                k: (float(np.exp(x[i] - tq * se_log[i])), float(np.exp(x[i] + tq * se_log[i])))
                for i, k in enumerate(names)
            }
    se = {k: float(theta[i] * se_log[i]) for i, k in enumerate(names)}  # delta method
    return BassFit(
        p=float(theta[0]),
        q=float(theta[1]),
        m=float(theta[2]),
        se=se,
        ci=ci,
        sigma=sigma,
        n_obs=len(t),
        cost=float(best.cost),
        method=uncertainty,
        m_max=m_max,
        draws=np.exp(draws_log),
    )


def curve_series(
    curve: AdoptionCurve, origin: date | None = None, period_days: float = MONTH_DAYS
) -> tuple[np.ndarray, np.ndarray, date]:
    """Sample the ever-adopted curve at the end of each period from ``origin`` → (t years, N, origin).

    Default origin: one period before the first adoption, so N(origin) = 0 as the model requires; pass the
    programme's launch date when there is one. Periods run until the one containing the last change.
    """
    if not curve.dates:
        raise ValueError("empty curve")
    from datetime import timedelta

    if origin is None:
        origin = curve.dates[0] - timedelta(days=round(period_days))
    span = (curve.dates[-1] - origin).days
    k = int(np.ceil(span / period_days))
    days = np.arange(1, k + 1) * period_days
    n = np.array([curve.ever_adopted_by(origin + timedelta(days=int(np.floor(d)))) for d in days], dtype=float)
    return days / DAYS_PER_YEAR, n, origin


def fit_curve(curve: AdoptionCurve, origin: date | None = None, **kwargs) -> BassFit:
    """Bass fit of an adoption curve sampled monthly (see ``curve_series``); kwargs go to ``fit_bass``."""
    t, n, _ = curve_series(curve, origin)
    return fit_bass(t, n, **kwargs)
