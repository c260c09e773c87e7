"""How good is a predicted RDF image: per-image MSE, first-peak position and height errors,
and the nearest-composition baseline that a model has to beat on unseen glasses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dataset import RDFDataset, pair_kinds
from .images import image_to_rdf
from .rdf import first_peak


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


REPLICA_KEYS = ["base", "dopant", "mol_percent", "pair"]


def replicate_oracle(ds: RDFDataset, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The MD noise floor: every curve whose composition and pair were also simulated with other
    seeds, predicted by the mean image of those other seeds (leave one seed out). No model that
    learns from the other seeds can expect to do much better on a fresh seed, so its errors
    (image MSE, first-peak errors; `curve_errors`'s columns) stand beside the models' errors.
    `by` names further columns of ds.rows that must match too (e.g. the quench rate of the
    study's runs). Curves without a replica are left out; an empty table when the dataset has
    no replicas."""
    keys = [*REPLICA_KEYS, *by]
    missing = [k for k in keys if k not in ds.rows]
    if missing:
        raise ValueError(f"by={list(by)!r}: no column {missing[0]!r} in the dataset's rows; "
                         f"columns are {', '.join(map(str, ds.rows.columns))}")
    rows = ds.rows.reset_index(drop=True)
    groups = rows.groupby(keys, sort=False).indices
    index, predicted = [], []
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            others = [j for j in members if j != i]
            index.append(i)
            predicted.append(ds.images[others].mean(axis=0))
    if not index:
        return pd.DataFrame(columns=["glass", *keys, "replicas", "image_mse",
                                     "peak_position_error_A", "peak_height_error", "peak_height_true"])
    errors = curve_errors(ds.images[index], np.stack(predicted))
    out = rows.loc[index, ["glass", *keys]].reset_index(drop=True)
    out.insert(len(out.columns), "replicas", [len(groups[tuple(k)]) for k in out[keys].itertuples(index=False)])
    return pd.concat([out, errors], axis=1)


FLOOR_COLUMNS = ("image_mse", "peak_position_error_A", "peak_height_error")


def noise_floor(oracle: pd.DataFrame) -> pd.DataFrame:
    """The MD noise floor by kind of pair (dataset.pair_kinds) and over all curves, from a
    `replicate_oracle` table: what a perfect model (one that knows each glass's average over
    infinitely many seeds) would score against one fresh MD replica.

    With k replicas the oracle predicts each from the mean of the other k - 1, whose own noise
    adds to the target's: its expected squared error is k/(k-1) times the replica variance. So
    image MSEs are scaled by (k-1)/k and the first-peak errors (absolute differences) by the
    square root of it. Columns: curves, replicas (median k), mean and median image MSE, median
    first-peak position and height errors; an empty table for an empty oracle."""
    if oracle.empty:
        return pd.DataFrame(columns=["curves", "replicas", "image_mse_mean", "image_mse_median",
                                     "peak_position_error_A_median", "peak_height_error_median"])
    k = oracle["replicas"].astype(float)
    scaled = pd.DataFrame({"image_mse": oracle["image_mse"] * (k - 1) / k,
                           "peak_position_error_A": oracle["peak_position_error_A"] * np.sqrt((k - 1) / k),
                           "peak_height_error": oracle["peak_height_error"] * np.sqrt((k - 1) / k),
                           "replicas": k})
    kinds = pair_kinds(oracle)
    out = {}
    for kind, part in [*scaled.groupby(kinds, sort=True), ("all", scaled)]:
        out[kind] = {"curves": len(part), "replicas": float(part["replicas"].median()),
                     "image_mse_mean": float(part["image_mse"].mean()),
                     "image_mse_median": float(part["image_mse"].median()),
                     "peak_position_error_A_median": float(part["peak_position_error_A"].median()),
                     "peak_height_error_median": float(part["peak_height_error"].median())}
    return pd.DataFrame(out).T


def plot_against_floor(ax, errors: pd.Series, floor: pd.Series, ylabel: str, model: str = "model") -> None:
    """One panel: a model's error per kind of pair (dots, with their ratio to the floor) and the
    MD noise floor (grey bars across the same column), on a log axis where a ratio reads as a
    distance. A kind without replicas behind a floor (yet) says so instead."""
    x = np.arange(len(errors))
    values, floors = errors.to_numpy(float), floor.reindex(errors.index).to_numpy(float)
    ax.plot(x, values, "o", ms=8, label=model, zorder=3)
    shown = ~np.isnan(floors)
    ax.hlines(floors[shown], x[shown] - 0.3, x[shown] + 0.3, color="grey", lw=4, label="MD noise floor")
    for xi in x:
        if shown[xi]:
            ax.annotate(f"{values[xi] / floors[xi]:.1f}×", (xi + 0.12, values[xi]), fontsize=8, va="center")
        else:
            ax.annotate("no floor\nyet", (xi, 0.03), xycoords=("data", "axes fraction"), ha="center",
                        fontsize=7, color="grey")
    ax.set(xticks=x, yscale="log", ylabel=ylabel, xlim=(-0.6, len(x) - 0.4))
    ax.set_xticklabels([str(k).replace("-", "–\n", 1) if str(k).startswith("dopant") else str(k) for k in errors.index])
