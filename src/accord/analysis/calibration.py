"""The error model: how far a model's forecasts have strayed from real outcomes, out of sample.

A model's point forecast ``f`` of an issue becomes a predictive distribution by adding its own past
errors on similar issues, rescaled to the issue at hand (locally weighted split conformal
prediction, [Lei2018]_ section 5.2, with the residuals weighted by similarity as in localised
conformal prediction, [Guan2023]_):

1. On training issues, residuals ``r = y - f`` (unit scale) and features ``z`` the scenario shows:
   the spread of the ensemble members' forecasts, the dispersion of positions and of saliences
   among the actors taking part, whether the status quo is known and the forecast's distance
   from it, and the forecast's distance from the nearer end of the scale.
2. A log-linear scale ``s(z) = exp(z' beta)``, ``beta`` by least squares of ``log(|r| + 0.02)``
   on ``z``; the standardised residuals ``r / s(z)`` are kept as an empirical distribution.
3. For a new issue, the outcome is ``clip(f + s(z) e, 0, 1)`` with ``e`` drawn from the kept
   residuals, each weighted by a Gaussian kernel in the forecast's position on the scale
   (bandwidth ``BANDWIDTH_FORECAST``) and the members' spread (``BANDWIDTH_SPREAD``): errors made
   near a scale end, or where the models agreed, count most for such issues. No symmetric or
   Gaussian shape is assumed, the mass beyond a scale end becomes a point mass at that end, and a
   model that often lands exactly on the outcome (the status quo, a weighted median) keeps a
   point mass at its forecast.
4. The issue's own error counts as one more observation, with the weight of a residual made at
   the same place, about which nothing is known: that weight is spread evenly over the scale (the
   finite-sample correction of conformal prediction, which keeps intervals from being too
   narrow where few similar errors have been seen).
5. The ensemble's error model alone also moves a fitted share of the mass onto the positions
   stated at the table, where outcomes often land (:mod:`accord.analysis.positions`).

The features and the two bandwidths were chosen by comparing a handful of settings in grouped
cross-validations of DEU III (README, "Calibration"); only the numbers (``beta``, the residuals)
are fitted, on training issues only.

With Monte Carlo draws of the inputs, the spread of the draws' forecasts around their own median
is added to ``f`` and the error to every draw, so the interval includes both. (The draws' shift
away from the coded forecast is left out: the residuals were measured from coded forecasts.)
Fitted scales are clipped to the range seen in training, so an unusual scenario cannot
extrapolate the scale without bound.

.. [Lei2018] J. Lei, M. G'Sell, A. Rinaldo, R. J. Tibshirani, L. Wasserman, "Distribution-free
   predictive inference for regression", J. American Statistical Association 113(523), 2018.
.. [Guan2023] L. Guan, "Localized conformal prediction: a generalized inference framework for
   conformal prediction", Biometrika 110(1), 2023.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.distribution import STEP, Predictive, bin_mass
from accord.analysis.positions import on_grid, pool
from accord.scenario.arrays import ScenarioArrays

FEATURES = ("spread", "position_sd", "salience_sd", "status_quo_known", "status_quo_distance",
            "edge")
FLOOR = 0.02  # two points on a 0-100 scale: |r| below it counts as "on target"
BANDWIDTH_FORECAST = 0.10  # ten points on a 0-100 scale
BANDWIDTH_SPREAD = 0.20


@dataclass(frozen=True)
class IssueFeatures:
    """What a scenario shows about each issue, before any model is chosen (unit scale); and
    ``positions``, the stated positions (and status quo) marked on the distributions' grid."""

    spread: np.ndarray
    position_sd: np.ndarray
    salience_sd: np.ndarray
    status_quo: np.ndarray
    positions: np.ndarray

    @classmethod
    def of(cls, arrays: ScenarioArrays, members: np.ndarray) -> IssueFeatures:
        """Features of every issue of ``arrays``; ``members`` (m, k) the members' unit forecasts."""
        mask = arrays.mask
        x = np.where(mask, arrays.to_unit(arrays.position), np.nan)
        s = np.where(mask, arrays.salience, np.nan)
        with np.errstate(invalid="ignore"):
            spread = np.nanmax(members, axis=0) - np.nanmin(members, axis=0)
        status_quo = arrays.to_unit(arrays.status_quo)
        return cls(np.nan_to_num(spread), _sd(x), _sd(s), status_quo,
                   on_grid(np.vstack([x, status_quo])))

    @classmethod
    def concat(cls, parts: list[IssueFeatures]) -> IssueFeatures:
        """The features of several scenarios, issue after issue."""
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))

    def take(self, rows: np.ndarray) -> IssueFeatures:
        """The features of the selected issues."""
        return IssueFeatures(*(getattr(self, f)[rows] for f in _FIELDS))

    def design(self, forecast: np.ndarray) -> np.ndarray:
        """The (n, 1 + len(FEATURES)) design matrix for a model's unit-scale ``forecast``."""
        known = np.isfinite(self.status_quo)
        distance = np.where(known, np.abs(forecast - np.nan_to_num(self.status_quo)), 0.0)
        edge = np.minimum(forecast, 1.0 - forecast)
        return np.column_stack([np.ones_like(forecast), self.spread, self.position_sd,
                                self.salience_sd, known.astype(float), distance, edge])


_FIELDS = ("spread", "position_sd", "salience_sd", "status_quo", "positions")


def _sd(values: np.ndarray) -> np.ndarray:
    """Standard deviation over actors (axis 0) of the non-missing values; 0 where fewer than 2."""
    count = np.isfinite(values).sum(axis=0)
    with np.errstate(invalid="ignore"), np.errstate(divide="ignore"):
        mean = np.nansum(values, axis=0) / np.maximum(count, 1)
        var = np.nansum((values - mean) ** 2, axis=0) / np.maximum(count, 1)
    return np.where(count >= 2, np.sqrt(var), 0.0)


@dataclass(frozen=True)
class ErrorModel:
    """A fitted error model: log-scale coefficients, and the standardised residuals it keeps with
    where each was made (the training forecast and the members' spread there)."""

    coefficients: np.ndarray
    residuals: np.ndarray
    forecasts: np.ndarray
    spreads: np.ndarray
    log_scale_range: tuple[float, float]
    position_share: float = 0.0  # the ensemble's: see accord.analysis.positions

    @classmethod
    def fit(cls, forecast: np.ndarray, actual: np.ndarray, features: IssueFeatures) -> ErrorModel:
        """Fit on training issues: unit-scale forecasts, outcomes and the issues' features."""
        design = features.design(forecast)
        residual = actual - forecast
        beta = np.linalg.lstsq(design, np.log(np.abs(residual) + FLOOR), rcond=None)[0]
        log_scale = design @ beta
        return cls(beta, residual / np.exp(log_scale), np.asarray(forecast, dtype=float),
                   design[:, 1].copy(), (float(log_scale.min()), float(log_scale.max())))

    def scale(self, design: np.ndarray) -> np.ndarray:
        """The error scale of each issue, within the range seen in training."""
        return np.exp(np.clip(design @ self.coefficients, *self.log_scale_range))

    def weights(self, forecast: np.ndarray, design: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kernel weights (n, s) of the kept residuals for each issue, and (n,) the weight of the
        issue's own error (its distance to itself is 0), scaled so the nearest residual has 1."""
        z = ((forecast[:, None] - self.forecasts[None, :]) / BANDWIDTH_FORECAST) ** 2 \
            + ((design[:, 1][:, None] - self.spreads[None, :]) / BANDWIDTH_SPREAD) ** 2
        nearest = z.min(axis=1, keepdims=True)
        return np.exp(-0.5 * (z - nearest)), np.exp(0.5 * np.minimum(nearest[:, 0], 50.0))

    def predictive(self, forecast: np.ndarray, features: IssueFeatures,
                   draws: np.ndarray | None = None) -> Predictive:
        """The predictive distribution of each issue (unit scale).

        ``forecast`` (n,) the point forecasts, ``features`` the issues'; ``draws`` (n, d), if
        given, each issue's forecast under d Monte Carlo draws of the inputs: their spread around
        their own median is added to the forecast, and the error to every draw. With a
        ``position_share``, that share of the mass goes onto the issue's stated positions.
        """
        design = features.design(forecast)
        errors = self.scale(design)[:, None] * self.residuals[None, :]
        weights, own = self.weights(forecast, design)
        if draws is None:
            known = Predictive.from_samples(forecast[:, None] + errors, weights)
        else:
            spread = draws - np.nanmedian(draws, axis=1, keepdims=True)
            known = convolve(Predictive.from_samples(forecast[:, None] + spread), errors, weights)
        # the issue's own error is one more observation, of which nothing is known: its weight
        # goes evenly over the scale (a finite-sample correction, as in conformal prediction)
        share = (own / (weights.sum(axis=1) + own))[:, None]
        spread = Predictive(known.pmf * (1.0 - share) + share / known.pmf.shape[1])
        return pool(spread, features.positions, self.position_share)

    def to_dict(self) -> dict:
        """JSON-ready numbers (rounded to 1e-6: far below the grid's 0.005)."""
        return {"features": ["intercept", *FEATURES],
                "coefficients": [round(float(b), 9) for b in self.coefficients],
                "log_scale_range": [round(v, 9) for v in self.log_scale_range],
                "residuals": _rounded(self.residuals), "forecasts": _rounded(self.forecasts),
                "spreads": _rounded(self.spreads)} | (
                    {"position_share": self.position_share} if self.position_share else {})

    @classmethod
    def from_dict(cls, data: dict) -> ErrorModel:
        """Read what :meth:`to_dict` wrote."""
        low, high = data["log_scale_range"]
        array = lambda key: np.array(data[key], dtype=float)  # noqa: E731
        return cls(array("coefficients"), array("residuals"), array("forecasts"),
                   array("spreads"), (float(low), float(high)),
                   float(data.get("position_share", 0.0)))


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


def convolve(inputs: Predictive, errors: np.ndarray, weights: np.ndarray | None = None
             ) -> Predictive:
    """The distribution of ``clip(X + E)``: X ~ ``inputs`` per issue, E the (n, s) error samples
    (with their weights).

    Both are put on the grid (errors on offsets from -1 to 1) and convolved by FFT; the mass that
    falls beyond either end of the scale becomes a point mass at that end.
    """
    n, g = inputs.pmf.shape
    offsets = bin_mass((np.clip(errors, -1.0, 1.0) + 1.0) / STEP, 2 * g - 1, weights)  # -1 .. 1
    size = 1 << int(np.ceil(np.log2(3 * g)))
    full = np.fft.irfft(np.fft.rfft(inputs.pmf, size) * np.fft.rfft(offsets, size), size)
    full = np.clip(full[:, : 3 * g - 2], 0.0, None)  # values -1 .. 2, STEP apart
    inside = full[:, g - 1: 2 * g - 1].copy()
    inside[:, 0] += full[:, : g - 1].sum(axis=1)
    inside[:, -1] += full[:, 2 * g - 1:].sum(axis=1)
    return Predictive(inside / inside.sum(axis=1, keepdims=True))

