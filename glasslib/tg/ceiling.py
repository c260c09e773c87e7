"""The label-noise ceiling of Tg-band classification on SciGlass.

The same composition measured in different publications carries different Tg values. A
"replicate oracle" predicts a glass's band from the other publications' measurements of the
identical composition; no model that sees only the composition can do better on those rows,
so its AUC is the ceiling that label noise allows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dataset import COMPOSITION_DECIMALS as DECIMALS
from .dataset import band_labels, check_band, composition_groups
from .metrics import auc


def replicate_spread(table: pd.DataFrame, decimals: int = DECIMALS) -> dict:
    """Tg scatter among publications for compositions measured in more than one: the pooled
    within-composition SD of the per-publication mean Tg, and how many compositions it uses."""
    frame = pd.DataFrame({"group": composition_groups(table, decimals), "pub": table["publication_id"].to_numpy(),
                          "tg": table["tg_celsius"].to_numpy()})
    per_pub = frame.groupby(["group", "pub"]).tg.mean().reset_index()
    multi = per_pub.groupby("group").filter(lambda g: len(g) > 1)
    if multi.empty:
        return {"compositions": 0, "pooled_sd_celsius": float("nan"), "median_range_celsius": float("nan")}
    dev = multi.tg - multi.groupby("group").tg.transform("mean")
    dof = len(multi) - multi.group.nunique()
    ranges = multi.groupby("group").tg.agg(lambda t: t.max() - t.min())
    return {"compositions": int(multi.group.nunique()), "measurements": int(len(multi)),
            "pooled_sd_celsius": float(np.sqrt((dev ** 2).sum() / dof)),
            "median_range_celsius": float(ranges.median())}


def replicate_oracle(table: pd.DataFrame, rows, band, decimals: int = DECIMALS) -> dict:
    """AUC of predicting each of `rows` (indices into `table`) from the other publications'
    measurements of its composition: the score is the share of those measurements inside the
    band, ties broken by the closeness of their mean Tg to the band centre. Only rows whose
    composition another publication also measured are scored (vectorised over groups)."""
    a, b = check_band(band)
    rows = np.asarray(rows)
    tg = table["tg_celsius"].to_numpy(float)
    frame = pd.DataFrame({"group": composition_groups(table, decimals), "pub": table["publication_id"].to_numpy(),
                          "tg": tg, "label": band_labels(tg, (a, b))})
    by_group = frame.groupby("group")
    by_pub = frame.groupby(["group", "pub"])
    n_others = (by_group.tg.transform("size") - by_pub.tg.transform("size")).to_numpy()
    label_others = (by_group.label.transform("sum") - by_pub.label.transform("sum")).to_numpy()
    tg_others = (by_group.tg.transform("sum") - by_pub.tg.transform("sum")).to_numpy()
    pick = rows[n_others[rows] > 0]
    share = label_others[pick] / n_others[pick]
    closeness = -np.abs(tg_others[pick] / n_others[pick] - 0.5 * (a + b)) / (b - a)
    truth = frame.label.to_numpy()[pick]
    if len(truth) == 0 or truth.min() == truth.max():
        return {"rows": int(len(truth)), "auc": float("nan"), "positives": int(truth.sum())}
    return {"rows": int(len(truth)), "positives": int(truth.sum()), "auc": auc(share + 1e-3 * closeness, truth)}


def twin_share(table: pd.DataFrame, train, validation, decimals: int = DECIMALS) -> float:
    """Share of validation rows whose composition also occurs among the training rows."""
    groups = composition_groups(table, decimals)
    return float(np.isin(groups[np.asarray(validation)], groups[np.asarray(train)]).mean())
