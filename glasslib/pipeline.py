"""Paper 1's pipeline (Fig. 5): fingerprint -> random forest -> decoder -> image -> g(r).

Also the dataset assembly from the MD campaign and the evaluations: random 80/20 over RDFs
(the paper) and whole-glass hold-out with a nearest-composition baseline (beyond the paper).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from . import paths
from .compositions import DOPANTS, OXIDE_ATOMS
from .fingerprint import fingerprint, fingerprints
from .images import image_to_rdf, rdf_to_image
from .rdf import first_peak

PIPELINE_DIR = paths.DATA / "models" / "rdf_pipeline"


@dataclass
class RDFDataset:
    """Every partial RDF of the campaign as rows (glass, base, dopant, mol_percent, pair),
    native curves (r, g), images and fingerprints."""

    rows: pd.DataFrame
    r: np.ndarray
    g: np.ndarray          # (n, len(r))
    images: np.ndarray     # (n, 64, 64)
    X: np.ndarray          # (n, 58)

    def __len__(self):
        return len(self.rows)

    def subset(self, idx) -> "RDFDataset":
        idx = np.asarray(idx)
        return RDFDataset(self.rows.iloc[idx].reset_index(drop=True), self.r, self.g[idx],
                          self.images[idx], self.X[idx])


def load_rdf_dataset(table: pd.DataFrame | str | os.PathLike | None = None) -> RDFDataset:
    """Assemble the dataset from data/md/rdf_table.csv.gz (or a given long table)."""
    if table is None or isinstance(table, (str, os.PathLike)):
        path = Path(table or paths.MD_DATA / "rdf_table.csv.gz")
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `glasslib md-campaign` first")
        table = pd.read_csv(paths.record_input(path))
    table = table.copy()
    table["dopant"] = table["dopant"].fillna("none")
    keys = ["glass", "base", "dopant", "mol_percent", "pair"]
    wide = table.pivot_table(index=keys, columns="r_angstrom", values="g", sort=True)
    rows = wide.index.to_frame(index=False)
    r = wide.columns.to_numpy(float)
    g = wide.to_numpy(float)
    images = np.stack([rdf_to_image(r, gi) for gi in g]) if len(g) else np.zeros((0, 64, 64))
    X = fingerprints([(b, None if d == "none" else d, m, p) for b, d, m, p in
                      rows[["base", "dopant", "mol_percent", "pair"]].itertuples(index=False)])
    return RDFDataset(rows, r, g, images, X)


def random_split(n: int, seed: int = 0, fraction: float = 0.2):
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, int(round(fraction * n)))
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def glass_split(rows: pd.DataFrame, seed: int = 0, fraction: float = 0.2):
    """Whole glasses held out: every pair of a test glass is unseen in training. Undoped base
    glasses always stay in training (they anchor the composition axis)."""
    glasses = sorted(rows.loc[rows["dopant"] != "none", "glass"].unique())
    rng = np.random.default_rng(seed)
    n_test = max(1, int(round(fraction * rows["glass"].nunique())))
    test_glasses = set(rng.choice(glasses, size=min(n_test, len(glasses)), replace=False))
    is_test = rows["glass"].isin(test_glasses).to_numpy()
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


class RDFPipeline:
    """Random forest (fingerprint -> latent) followed by the autoencoder's decoder."""

    def __init__(self, forest, decoder):
        self.forest, self.decoder = forest, decoder

    def predict_images(self, X) -> np.ndarray:
        latent = self.forest.predict(np.asarray(X, np.float32))
        return np.asarray(self.decoder.predict(latent.astype(np.float32), verbose=0))[..., 0]

    def predict_rdf(self, base: str, dopant: str | None, mol_percent: float, pair: str):
        """(r_angstrom, g) predicted for one pair of one glass."""
        image = self.predict_images(fingerprint(base, dopant, mol_percent, pair)[None])[0]
        return image_to_rdf(image)

    def save(self, folder: str | os.PathLike = PIPELINE_DIR, meta: dict | None = None) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.decoder.save(folder / "decoder.keras")
        joblib.dump(self.forest, folder / "forest.joblib", compress=3)
        (folder / "meta.json").write_text(json.dumps(meta or {}, indent=1, default=float))
        return folder


def load_pipeline(folder: str | os.PathLike | None = None) -> RDFPipeline:
    import keras

    folder = Path(folder or PIPELINE_DIR)
    if not (folder / "decoder.keras").exists():
        raise FileNotFoundError(f"no saved RDF pipeline in {folder}; run notebook 07 to train one")
    return RDFPipeline(joblib.load(paths.record_input(folder / "forest.joblib")),
                       keras.models.load_model(paths.record_input(folder / "decoder.keras")))


def image_mse(true_images, pred_images) -> np.ndarray:
    """Mean squared pixel error of each image (images scaled to 0-1)."""
    true_images, pred_images = np.asarray(true_images), np.asarray(pred_images)
    return ((pred_images - true_images) ** 2).mean(axis=(-2, -1))


def curve_errors(true_images, pred_images) -> pd.DataFrame:
    """Per RDF: image MSE, first-peak position error (A) and height error (g units)."""
    records = []
    for t, p, mse in zip(true_images, pred_images, image_mse(true_images, pred_images)):
        r, g_t = image_to_rdf(t)
        _, g_p = image_to_rdf(p)
        pos_t, h_t = first_peak(r, g_t)
        pos_p, h_p = first_peak(r, g_p)
        records.append({"image_mse": float(mse),
                        "peak_position_error_A": abs(pos_p - pos_t),
                        "peak_height_error": abs(h_p - h_t), "peak_height_true": h_t})
    return pd.DataFrame(records)


def nearest_composition_images(train: RDFDataset, test: RDFDataset) -> np.ndarray:
    """Baseline: for each test RDF, the training RDF of the same pair from the glass with the
    same base and dopant and the closest mol% (else the same base, closest mol%)."""
    out = []
    tr = train.rows
    for row in test.rows.itertuples(index=False):
        cand = tr[(tr["pair"] == row.pair) & (tr["base"] == row.base)]
        same = cand[cand["dopant"] == row.dopant]
        pool = same if len(same) else cand
        if not len(pool):
            pool = tr[tr["pair"] == row.pair]
        if not len(pool):
            out.append(np.zeros_like(test.images[0]))
            continue
        best = (pool["mol_percent"] - row.mol_percent).abs().idxmin()
        out.append(train.images[tr.index.get_loc(best)])
    return np.stack(out)
