"""Paper 1's dataset: every partial RDF of the MD campaign as a row with its curve, its 64x64
image and its 58-number fingerprint; the paper's random 80/20 split over RDFs and a
whole-glass split (beyond the paper)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .compositions import DOPANTS, OXIDE_ATOMS
from .fingerprint import fingerprints
from .images import rdf_to_image
from .rdf import PAIR_COUNT_THRESHOLD


@dataclass
class RDFDataset:
    """Every partial RDF of the campaign as rows (glass, base, dopant, mol_percent, pair),
    native curves (r, g), images and fingerprints."""

    rows: pd.DataFrame
    r: np.ndarray
    g: np.ndarray          # (n, len(r))
    images: np.ndarray     # (n, 64, 64)
    X: np.ndarray          # (n, 58)
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)   # curves left out: too few pairs

    def __len__(self):
        return len(self.rows)

    def subset(self, idx) -> "RDFDataset":
        idx = np.asarray(idx)
        return RDFDataset(self.rows.iloc[idx].reset_index(drop=True), self.r, self.g[idx],
                          self.images[idx], self.X[idx], self.excluded)


def load_rdf_dataset(table: pd.DataFrame | str | os.PathLike | None = None,
                     min_pairs: int | None = PAIR_COUNT_THRESHOLD) -> RDFDataset:
    """Assemble the dataset from a dataset version ("v1", "v2": see paths.MD_TABLES; None is
    paths.MD_DEFAULT), a table file or a given long table.

    Where the table counts the pairs behind each curve (column first_shell_pairs, dataset v2),
    curves with fewer than `min_pairs` pairs within 5 Å are left out of training and evaluation:
    their g(r) is noise (a 2 % dopant's cation-cation curve rests on a handful of pairs). They
    are listed in `RDFDataset.excluded`. min_pairs=None keeps every curve. Dataset v1 has no
    counts, so nothing is left out."""
    if min_pairs is not None and (isinstance(min_pairs, bool) or int(min_pairs) != min_pairs or min_pairs < 0):
        raise ValueError(f"min_pairs={min_pairs!r} must be a non-negative whole number or None")
    if isinstance(table, str) and table in paths.MD_TABLES:
        table = paths.MD_TABLES[table]
    elif isinstance(table, str) and not table.endswith((".csv", ".csv.gz")):
        raise ValueError(f"dataset {table!r} is neither a dataset version ({', '.join(paths.MD_TABLES)}) "
                         "nor a .csv/.csv.gz table")
    if table is None or isinstance(table, (str, os.PathLike)):
        path = Path(table or paths.MD_TABLES[paths.MD_DEFAULT])
        if not path.exists():
            command = "md-campaign-v2 --rate R" if path == paths.MD_TABLES["v2"] else "md-campaign"
            raise FileNotFoundError(f"{path} is missing: run `glasslib {command}` first")
        table = pd.read_csv(paths.record_input(path))
    table = table.copy()
    table["dopant"] = table["dopant"].fillna("none")
    excluded = pd.DataFrame(columns=["glass", "pair", "first_shell_pairs"])
    if "first_shell_pairs" in table and min_pairs is not None:
        low = table["first_shell_pairs"] < min_pairs
        excluded = (table.loc[low, ["glass", "pair", "first_shell_pairs"]].drop_duplicates()
                    .sort_values(["glass", "pair"]).reset_index(drop=True))
        table = table.loc[~low]
    keys = ["glass", "base", "dopant", "mol_percent", "pair"]
    wide = table.pivot_table(index=keys, columns="r_angstrom", values="g", sort=True)
    rows = wide.index.to_frame(index=False)
    r = wide.columns.to_numpy(float)
    g = wide.to_numpy(float)
    images = np.stack([rdf_to_image(r, gi) for gi in g]) if len(g) else np.zeros((0, 64, 64))
    X = fingerprints([(b, None if d == "none" else d, m, p) for b, d, m, p in
                      rows[["base", "dopant", "mol_percent", "pair"]].itertuples(index=False)])
    return RDFDataset(rows, r, g, images, X, excluded)


def variant(version: str) -> str | None:
    """The folder name a notebook run on MD dataset `version` keeps its figures and models under:
    None (the plain folders) for paths.MD_DEFAULT, "md-v1" for the older version."""
    if version not in paths.MD_TABLES:
        raise ValueError(f"md_dataset {version!r} is not a dataset version; choose one of {', '.join(paths.MD_TABLES)}")
    return None if version == paths.MD_DEFAULT else f"md-{version}"


def composition_of(glass: pd.Series) -> pd.Series:
    """The composition behind each run name: replicas (<glass>__seed<k>) map to <glass>."""
    return glass.str.replace(r"__seed\d+$", "", regex=True)


def replica_groups(rows: pd.DataFrame) -> pd.Series:
    """One label per RDF, shared by the replicas of one curve: composition and pair."""
    return composition_of(rows["glass"]) + " " + rows["pair"]


def random_split(n: int, seed: int = 0, fraction: float = 0.2, groups=None):
    """The paper's random 80/20 split over RDFs (indices of training and test rows).

    With `groups` (a label per RDF, e.g. `replica_groups(rows)`), RDFs that share a label land on
    the same side: the replicas of one curve (other seeds, dataset v2) would otherwise sit on both
    sides, and the test would score the model on a curve it has seen with other MD noise. A
    fraction `fraction` of the labels is held out. Without a repeated label this is the plain split."""
    if not 0 < fraction < 1:
        raise ValueError(f"fraction={fraction!r} must lie strictly between 0 and 1")
    if groups is not None:
        groups = np.asarray(groups)
        if len(groups) != n:
            raise ValueError(f"groups has {len(groups)} labels for {n} RDFs; give one label per RDF")
        labels, inverse = np.unique(groups, return_inverse=True)
        if len(labels) < n:
            held = random_split(len(labels), seed, fraction)[1]
            is_test = np.isin(inverse, held)
            return np.nonzero(~is_test)[0], np.nonzero(is_test)[0]
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, int(round(fraction * n)))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def glass_split(rows: pd.DataFrame, seed: int = 0, fraction: float = 0.2):
    """Whole glasses held out: every pair of a test glass is unseen in training, and so are its
    replicas (runs named <glass>__seed<k>: one composition, other seeds). Undoped base glasses
    always stay in training (they anchor the composition axis)."""
    composition = composition_of(rows["glass"])
    glasses = sorted(composition[rows["dopant"] != "none"].unique())
    rng = np.random.default_rng(seed)
    n_test = max(1, int(round(fraction * composition.nunique())))
    test_glasses = set(rng.choice(glasses, size=min(n_test, len(glasses)), replace=False))
    is_test = composition.isin(test_glasses).to_numpy()
    return np.nonzero(~is_test)[0], np.nonzero(is_test)[0]


PAIR_KINDS = ("base", "dopant-other", "dopant-dopant")


def pair_kinds(rows: pd.DataFrame) -> pd.Series:
    """Each RDF's kind: both elements from the base glass, one from the dopant oxide, or both
    the dopant cation (e.g. Ti-Ti). Dopant-dopant g(r) of a 1,000-atom glass rests on a few
    dozen cations at most, so these curves are the noisiest and the hardest to reconstruct."""
    cation = {d: next(el for el in OXIDE_ATOMS[d] if el != "O") for d in DOPANTS}

    def kind(dopant: str, pair: str) -> str:
        if dopant not in cation:
            return "base"
        hits = pair.split("-").count(cation[dopant])
        return PAIR_KINDS[hits]

    return pd.Series([kind(d, p) for d, p in zip(rows["dopant"], rows["pair"])], index=rows.index, name="kind")


