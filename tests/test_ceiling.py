"""The label-noise ceiling and the harder splits of paper 2's data."""

import numpy as np
import pandas as pd
import pytest

from glasslib.tg import ceiling, dataset
from glasslib.tg.sciglass import COMPONENTS


def _table():
    """Three compositions measured by several publications with known Tg values."""
    rows = []
    comps = {0: ("SiO2", 0.7), 1: ("SiO2", 0.5), 2: ("SiO2", 0.3)}
    tgs = {0: [510, 520, 530], 1: [450, 455], 2: [590, 650, 700]}
    pub = 0
    for group, values in tgs.items():
        for tg in values:
            frac = dict.fromkeys(COMPONENTS, 0.0)
            frac[comps[group][0]] = comps[group][1]
            frac["Na2O"] = 1 - comps[group][1]
            rows.append({"publication_id": pub, "glass_id": pub, **frac, "tg_celsius": tg})
            pub += 1
    return pd.DataFrame(rows)


def test_groups_and_spread():
    table = _table()
    groups = ceiling.composition_groups(table)
    assert len(set(groups)) == 3 and groups[0] == groups[1] == groups[2]
    spread = ceiling.replicate_spread(table)
    assert spread["compositions"] == 3 and spread["measurements"] == 8
    # deviations from each composition's mean: group 0: -10, 0, 10; 1: -2.5, 2.5; 2: -56.7, 3.3, 53.3
    dev = np.array([-10, 0, 10, -2.5, 2.5, 590 - 646.667, 650 - 646.667, 700 - 646.667])
    assert spread["pooled_sd_celsius"] == pytest.approx(np.sqrt((dev ** 2).sum() / (8 - 3)), rel=1e-4)


def test_replicate_oracle_predicts_from_other_publications():
    table = _table()
    result = ceiling.replicate_oracle(table, np.arange(len(table)), (500, 600))
    # group 0 all in band, group 1 all out, group 2: 590 in, 650/700 out
    assert result["rows"] == 8 and result["positives"] == 4
    # the 590 row is predicted from 650 and 700 (both out): the oracle misses it
    assert 0.5 < result["auc"] < 1.0


def test_composition_split_has_no_twins_across_and_extrapolation_split_is_by_tg():
    table = _table()
    train, val = dataset.make_splits(table, save=False)["composition"]
    assert ceiling.twin_share(table, train, val) == 0.0
    train, val = dataset.extrapolation_split(table.tg_celsius, 0.75)
    assert table.tg_celsius.iloc[train].max() < table.tg_celsius.iloc[val].min()


def test_real_splits_are_committed_and_disjoint():
    for kind in dataset.SPLITS:
        train, val = dataset.load_split(kind, 0)
        assert not np.intersect1d(train, val).size, kind
        share = len(val) / (len(train) + len(val))
        expected = 1 - dataset.EXTRAPOLATION_QUANTILE if kind == "extrapolation" else dataset.VALIDATION_FRACTION
        assert share == pytest.approx(expected, abs=0.01), kind


def test_missing_split_is_an_error_not_a_silent_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr(dataset.paths, "SCIGLASS_SPLITS", tmp_path)
    with pytest.raises(FileNotFoundError, match="random_seed0.npz is missing"):
        dataset.load_split("random", 0)
    assert not list(tmp_path.iterdir())
