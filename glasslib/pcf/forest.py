"""Paper 1's random forest: fingerprint (58) -> latent vector (8), and its Fig. 7 sweeps."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error

# the paper's chosen values (§V)
PAPER_FOREST = {"n_estimators": 15, "max_features": 30, "max_depth": 20, "min_samples_split": 2}
SWEEPS = {
    "n_estimators": [1, 2, 5, 10, 15, 20, 30, 50, 80, 120],
    "max_features": [1, 2, 5, 10, 20, 30, 40, 50, 58],
    "max_depth": [1, 2, 3, 5, 8, 12, 16, 20, 30, 40],
    "min_samples_split": [2, 3, 4, 6, 8, 12, 16, 24],
}


def make_forest(seed: int = 0, **overrides) -> RandomForestRegressor:
    params = {**PAPER_FOREST, **overrides}
    unknown = set(params) - set(RandomForestRegressor().get_params())
    if unknown:
        raise ValueError(f"unknown forest hyperparameter(s) {sorted(unknown)}")
    return RandomForestRegressor(random_state=seed, n_jobs=1, **params)


def sweep(X_train, Y_train, X_test, Y_test, name: str, values=None, seed: int = 0) -> dict:
    """Train/test MSE of the forest as one hyperparameter varies (others at the paper's values)."""
    if name not in SWEEPS:
        raise ValueError(f"hyperparameter {name!r} has no sweep; choose one of {', '.join(SWEEPS)}")
    values = list(values or SWEEPS[name])
    if name == "max_features":
        values = [v for v in values if v <= np.shape(X_train)[1]]
    train, test = [], []
    for v in values:
        model = make_forest(seed, **{name: v}).fit(X_train, Y_train)
        train.append(mean_squared_error(Y_train, model.predict(X_train)))
        test.append(mean_squared_error(Y_test, model.predict(X_test)))
    return {"values": values, "train_mse": train, "test_mse": test}
