"""Paper 2's learning problem: splits of the cleaned SciGlass table and band labels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .sciglass import COMPONENTS, load_clean

SPLITS = ("random", "publication", "composition", "extrapolation")
# compositions equal after rounding the mass fractions to this many decimals are "identical"
COMPOSITION_DECIMALS = 3
EXTRAPOLATION_QUANTILE = 0.9
VALIDATION_FRACTION = 0.2


def random_split(n_rows: int, seed: int = 0, fraction: float = VALIDATION_FRACTION):
    """Paper 2's random 80/20 split: (train_idx, val_idx), each sorted."""
    order = np.random.default_rng(seed).permutation(n_rows)
    n_val = int(round(fraction * n_rows))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def publication_split(groups, seed: int = 0, fraction: float = VALIDATION_FRACTION):
    """Leave-publication-out 80/20: whole publications go to validation (in a seeded random
    order) until it holds `fraction` of the rows, so no paper's series sits on both sides."""
    groups = np.asarray(groups)
    unique, counts = np.unique(groups, return_counts=True)
    order = np.random.default_rng(seed).permutation(len(unique))
    target = fraction * len(groups)
    cumulative = np.cumsum(counts[order])
    n_groups = int(np.searchsorted(cumulative, target)) + 1
    val_groups = unique[order[:n_groups]]
    is_val = np.isin(groups, val_groups)
    return np.nonzero(~is_val)[0], np.nonzero(is_val)[0]


def composition_groups(table: pd.DataFrame, decimals: int = COMPOSITION_DECIMALS) -> np.ndarray:
    """An integer id per row; rows with identical (rounded) compositions share it."""
    keys = table[list(COMPONENTS)].round(decimals).to_numpy()
    _, ids = np.unique(keys, axis=0, return_inverse=True)
    return ids.ravel()


def extrapolation_split(tg_celsius, quantile: float = EXTRAPOLATION_QUANTILE):
    """Train on every row below the `quantile` of Tg, validate on the rows above: can a model
    find glasses hotter than any it was shown?"""
    tg = np.asarray(tg_celsius, float)
    cut = np.quantile(tg, quantile)
    return np.nonzero(tg < cut)[0], np.nonzero(tg >= cut)[0]


def split_path(kind: str, seed: int = 0) -> Path:
    return paths.SCIGLASS_SPLITS / f"{kind}_seed{seed}.npz"


def make_splits(table: pd.DataFrame | None = None, seed: int = 0, save: bool = True) -> dict:
    """Both splits of the cleaned table; saved as index files under data/sciglass/splits/."""
    table = load_clean() if table is None else table
    result = {"random": random_split(len(table), seed),
              "publication": publication_split(table["publication_id"], seed),
              # publication_split over composition ids: no composition on both sides
              "composition": publication_split(composition_groups(table), seed),
              "extrapolation": extrapolation_split(table["tg_celsius"])}
    if save:
        paths.SCIGLASS_SPLITS.mkdir(parents=True, exist_ok=True)
        for kind, (train, val) in result.items():
            np.savez_compressed(split_path(kind, seed), train=train, validation=val,
                                n_rows=len(table))
    return result


def load_split(kind: str = "random", seed: int = 0, n_rows: int | None = None):
    """(train_idx, val_idx) from the saved index file. A missing file is an error, never
    silently remade: `glasslib sciglass-build` writes the splits."""
    if kind not in SPLITS:
        raise ValueError(f"split {kind!r} is not known; choose one of {', '.join(SPLITS)}")
    path = split_path(kind, seed)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; make it with tg.dataset.make_splits(seed={seed}) "
                                "or `glasslib sciglass-build`")
    with np.load(paths.record_input(path)) as saved:
        if n_rows is not None and int(saved["n_rows"]) != n_rows:
            raise ValueError(f"{path} was made for {int(saved['n_rows'])} rows, the table has {n_rows}")
        return saved["train"], saved["validation"]


def band_labels(tg_celsius, band: tuple[float, float]) -> np.ndarray:
    """1 where a <= Tg < b, else 0. Half-open so that adjacent bands partition the Tg axis."""
    a, b = check_band(band)
    tg = np.asarray(tg_celsius, dtype=float)
    return ((tg >= a) & (tg < b)).astype(np.int64)


def check_band(band) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in band)
    except (TypeError, ValueError) as err:
        raise ValueError(f"band {band!r} must be two numbers (a, b) in °C") from err
    if not a < b:
        raise ValueError(f"band [{a:g}, {b:g}] °C is empty: a must be below b")
    return a, b


class TgProblem:
    """Arrays for one band on one split: X (mass fractions), y (0/1) and Tg, train and val."""

    def __init__(self, band, split: str = "random", seed: int = 0, table: pd.DataFrame | None = None):
        self.table = load_clean() if table is None else table
        self.band = check_band(band)
        self.split = split
        train, val = load_split(split, seed, n_rows=len(self.table))
        X = self.table[list(COMPONENTS)].to_numpy(np.float32)
        tg = self.table["tg_celsius"].to_numpy(float)
        y = band_labels(tg, self.band)
        self.X_train, self.y_train, self.tg_train = X[train], y[train], tg[train]
        self.X_val, self.y_val, self.tg_val = X[val], y[val], tg[val]
        for name, labels in (("training", self.y_train), ("validation", self.y_val)):
            positives = int(labels.sum())
            if positives == 0 or positives == len(labels):
                kind = "positive" if positives == 0 else "negative"
                raise ValueError(f"band [{self.band[0]:g}, {self.band[1]:g}) °C has no {kind} rows in "
                                 f"the {name} split ({split}); widen or move the band")

    def __repr__(self):
        return (f"TgProblem(band={self.band}, split={self.split!r}, train={len(self.y_train)} "
                f"({self.y_train.mean():.1%} in band), val={len(self.y_val)})")
