"""Paper 2's classical baselines (Fig. 7): KNN, RF, SVM, DT, MLP, plus gradient boosting.

All are scikit-learn classifiers on the same z-scored 18 fractions; each is scored by its
continuous output (probability or decision function), as AUC needs a ranking.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from ..jsonl import append_record, read_records

PAPER_BASELINES = ("KNN", "RF", "SVM", "DT", "MLP")
MODERN_BASELINES = ("HGB",)


def make_baseline(name: str, seed: int = 0, n_jobs: int = 1):
    """A fresh, unfitted baseline pipeline (StandardScaler -> classifier)."""
    models = {
        "KNN": lambda: KNeighborsClassifier(n_neighbors=15, weights="distance", n_jobs=n_jobs),
        "RF": lambda: RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=n_jobs),
        "SVM": lambda: SVC(C=10.0, gamma="scale", random_state=seed),
        "DT": lambda: DecisionTreeClassifier(min_samples_leaf=5, random_state=seed),
        "MLP": lambda: MLPClassifier(hidden_layer_sizes=(128, 64), max_iter=200, early_stopping=True,
                                     random_state=seed),
        "HGB": lambda: HistGradientBoostingClassifier(max_iter=300, random_state=seed),
    }
    if name not in models:
        raise ValueError(f"baseline {name!r} is not known; choose one of {', '.join(models)}")
    return make_pipeline(StandardScaler(), models[name]())


def make_regressor(name: str, seed: int = 0, n_jobs: int = 1):
    """A fresh Tg regressor (StandardScaler -> regressor) on the same inputs as the classifiers:
    the regression route, where one model serves every band."""
    models = {
        "RF-reg": lambda: RandomForestRegressor(n_estimators=200, random_state=seed, n_jobs=n_jobs),
        "HGB-reg": lambda: HistGradientBoostingRegressor(max_iter=300, random_state=seed),
        "MLP-reg": lambda: MLPRegressor(hidden_layer_sizes=(128, 64), max_iter=300, early_stopping=True,
                                        random_state=seed),
    }
    if name not in models:
        raise ValueError(f"regressor {name!r} is not known; choose one of {', '.join(models)}")
    return make_pipeline(StandardScaler(), models[name]())


def baseline_scores(model, X) -> np.ndarray:
    """Continuous scores for ranking: P(target) where available, else the decision function."""
    if hasattr(model, "predict_proba"):
        try:
            return model.predict_proba(X)[:, 1]
        except AttributeError:  # SVC without probability=True
            pass
    return model.decision_function(X)


def fit_baseline(name: str, X, y, seed: int = 0, max_train: int | None = None):
    """Fit one baseline; `max_train` caps the rows (seeded subsample) for O(n^2) models (SVM)."""
    X, y = np.asarray(X), np.asarray(y)
    if max_train is not None and len(y) > max_train:
        keep = np.sort(np.random.default_rng(seed).choice(len(y), max_train, replace=False))
        X, y = X[keep], y[keep]
    return make_baseline(name, seed).fit(X, y)


def compare_on_band(problem, dgn_params: dict, models=PAPER_BASELINES + MODERN_BASELINES,
                    svm_max_train: int | None = 10000, k: int = 100, seed: int = 0) -> list[dict]:
    """AUC (Eq. 13) and Precision@k (Eq. 14) of DeepGlassNet and the baselines on one
    TgProblem; one record per model with its fit time."""
    import time

    from .model import DeepGlassNetClassifier
    from .metrics import auc, precision_at_k

    records = []
    base = {"band": _band_name(problem.band), "width": problem.band[1] - problem.band[0],
            "split": problem.split, "positives_val": int(problem.y_val.sum())}
    start = time.perf_counter()
    dgn = DeepGlassNetClassifier(seed=seed, band=problem.band, **dgn_params).fit(problem.X_train, problem.y_train)
    scores = dgn.decision_function(problem.X_val)
    records.append({**base, "model": "DeepGlassNet", "auc": auc(scores, problem.y_val),
                    f"precision@{k}": precision_at_k(scores, problem.y_val, k),
                    "seconds": time.perf_counter() - start})
    for name in models:
        start = time.perf_counter()
        cap = svm_max_train if name == "SVM" else None
        model = fit_baseline(name, problem.X_train, problem.y_train, seed, max_train=cap)
        scores = baseline_scores(model, problem.X_val)
        records.append({**base, "model": name, "auc": auc(scores, problem.y_val),
                        f"precision@{k}": precision_at_k(scores, problem.y_val, k),
                        "seconds": time.perf_counter() - start})
    return records


def _band_name(band) -> str:
    return f"{band[0]:g}-{band[1]:g}"


def _settings(dgn_params: dict, models, svm_max_train, k: int, seed: int) -> dict:
    return {"dgn": dict(sorted(dgn_params.items())), "models": list(models),
            "svm_max_train": svm_max_train, "k": k, "seed": seed}


def _read_cache(cache: Path, settings: dict) -> dict:
    """Finished (split, band) blocks in a JSONL cache that were made with these settings."""
    return {(b["split"], b["band"]): b["records"] for b in read_records(cache) if b.get("settings") == settings}


def compare_bands(bands, splits=("random", "publication"), dgn_params: dict | None = None,
                  models=PAPER_BASELINES + MODERN_BASELINES, svm_max_train: int | None = 10000,
                  k: int = 100, seed: int = 0, cache: str | os.PathLike | None = None,
                  progress: bool = True):
    """`compare_on_band` over every band of every split, as one DataFrame.

    cache: a JSONL file that gets one line per finished (split, band) block, written whole
    and flushed, so an interrupted run, started again, redoes only the unfinished blocks.
    Blocks made with other settings (epochs, models, seed, ...) are not reused.
    """
    import pandas as pd
    from tqdm.auto import tqdm

    from .dataset import TgProblem, check_band, load_clean

    dgn_params = dict(dgn_params or {})
    settings = _settings(dgn_params, models, svm_max_train, k, seed)
    bands = [check_band(b) for b in bands]
    done = _read_cache(Path(cache), settings) if cache else {}
    todo = [(s, b) for s in splits for b in bands if (s, _band_name(b)) not in done]
    if cache:
        print(f"{len(splits) * len(bands) - len(todo)} of {len(splits) * len(bands)} "
              f"(split, band) blocks read from {Path(cache).name}; {len(todo)} to run")
    table = load_clean() if todo else None
    for split, band in tqdm(todo, desc="bands", unit="band", disable=not progress):
        records = compare_on_band(TgProblem(band, split, 0, table=table), dgn_params,   # fixed split
                                  models=models, svm_max_train=svm_max_train, k=k, seed=seed)
        key = (split, _band_name(band))
        done[key] = records
        if cache:
            append_record(cache, {"split": split, "band": key[1], "settings": settings, "records": records})
    ordered = [r for s in splits for b in bands for r in done[(s, _band_name(b))]]
    return pd.DataFrame(ordered)
