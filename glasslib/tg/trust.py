"""What a screen's user needs beside the ranking: is the candidate near anything the model was
trained on, and how likely is its Tg really in the band?

- **Applicability domain**: the composition distance from a candidate to the nearest training
  glass, in wt% moved (half the L1 distance of the wt% vectors: 0 for a twin, 100 for glasses
  with no oxide in common). The flag threshold is chosen on held-out rows: the 95th percentile
  of the validation rows' distances to the training rows, i.e. a candidate is "out of domain"
  when it is farther from the training glasses than 95 % of real held-out glasses are.
- **Probability that Tg is in [a, b)**, split-conformal: a Tg regressor (gradient boosting,
  the same inputs) is fitted on the training rows; its residuals on one half of the validation
  rows (the calibration half) give each candidate the predictive distribution
  predicted Tg + residual, and P(a <= Tg < b) is the share of it inside the band. The other
  half of the validation rows checks the calibration (Brier score, reliability bins).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dataset import check_band, load_split
from .sciglass import COMPONENTS, load_clean

DOMAIN_QUANTILE = 0.95


def composition_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """wt% moved between mass-fraction rows a (n, 18) and b (m, 18): (n, m), 50 * L1."""
    return 50.0 * np.abs(a[:, None, :] - b[None, :, :]).sum(-1)


@dataclass
class ScreenTrust:
    """Domain and calibrated-probability columns for screened candidates (see module doc)."""

    regressor: object
    residuals: np.ndarray          # Tg - predicted Tg on the calibration half (°C)
    train_X: np.ndarray            # mass fractions of the training rows
    train_tg: np.ndarray
    threshold_wt: float            # distance above which a candidate is out of domain
    check_X: np.ndarray            # the other validation half: calibration is checked there
    check_tg: np.ndarray

    @classmethod
    def fit(cls, table: pd.DataFrame | None = None, split: str = "random", seed: int = 0) -> "ScreenTrust":
        from .baselines import make_regressor

        table = load_clean() if table is None else table
        X = table[list(COMPONENTS)].to_numpy(np.float32)
        tg = table["tg_celsius"].to_numpy(float)
        train, val = load_split(split, 0, n_rows=len(table))
        regressor = make_regressor("HGB-reg", seed).fit(X[train], tg[train])
        order = np.random.default_rng(seed).permutation(val)
        calib, check = np.sort(order[: len(order) // 2]), np.sort(order[len(order) // 2:])
        residuals = tg[calib] - regressor.predict(X[calib])
        trust = cls(regressor, np.sort(residuals), X[train], tg[train], 0.0, X[check], tg[check])
        trust.threshold_wt = float(np.quantile(trust.nearest(X[val])[0], DOMAIN_QUANTILE))
        return trust

    @classmethod
    def cached(cls, split: str = "random", seed: int = 0) -> "ScreenTrust":
        """`fit` on the committed table, kept in the git-ignored cache (keyed by the table's
        SHA-256) so a second screen starts at once."""
        import joblib

        from .. import paths

        key = paths.sha256_of(paths.SCIGLASS_CLEAN)[:16]
        file = paths.CACHE / "models" / f"screen_trust_{split}_seed{seed}_{key}.joblib"
        if file.exists():
            return joblib.load(file)
        trust = cls.fit(split=split, seed=seed)
        paths.replace_atomically(lambda tmp: joblib.dump(trust, tmp), file)
        return trust

    def nearest(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(distance in wt%, index into the training rows) of each row's nearest training glass
        (a k-d tree in the L1 metric; exact)."""
        if getattr(self, "_tree", None) is None:
            from sklearn.neighbors import NearestNeighbors

            self._tree = NearestNeighbors(n_neighbors=1, metric="manhattan", algorithm="kd_tree").fit(self.train_X)
        d, i = self._tree.kneighbors(np.asarray(X, np.float32))
        return 50.0 * d[:, 0], i[:, 0]

    def probability(self, X: np.ndarray, band) -> np.ndarray:
        """Split-conformal P(a <= Tg < b) for each row of X."""
        a, b = check_band(band)
        mu = self.regressor.predict(np.asarray(X, np.float32))
        r = self.residuals
        inside = np.searchsorted(r, b - mu, side="left") - np.searchsorted(r, a - mu, side="left")
        return inside / len(r)

    def annotate(self, X: np.ndarray, band) -> pd.DataFrame:
        """The trust columns for candidates X (mass fractions, 18 columns)."""
        dist, idx = self.nearest(X)
        return pd.DataFrame({"p_in_band": self.probability(X, band),
                             "tg_predicted_C": self.regressor.predict(np.asarray(X, np.float32)),
                             "nearest_wt": dist, "nearest_tg_C": self.train_tg[idx],
                             "in_domain": dist <= self.threshold_wt})

    def calibration(self, band, bins: int = 10) -> dict:
        """Reliability of p_in_band on the held-out check half: Brier score, expected calibration
        error, and per-bin mean predicted vs observed frequency."""
        a, b = check_band(band)
        p = self.probability(self.check_X, band)
        y = ((self.check_tg >= a) & (self.check_tg < b)).astype(float)
        edges = np.linspace(0, 1, bins + 1)
        which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
        table = [{"p_mean": float(p[which == k].mean()), "observed": float(y[which == k].mean()),
                  "rows": int((which == k).sum())} for k in range(bins) if (which == k).any()]
        ece = sum(t["rows"] * abs(t["p_mean"] - t["observed"]) for t in table) / len(p)
        return {"band": [a, b], "rows": int(len(p)), "brier": float(np.mean((p - y) ** 2)),
                "brier_base_rate": float(np.mean((y.mean() - y) ** 2)), "ece": float(ece), "bins": table}
