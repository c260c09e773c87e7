import numpy as np
import pytest

from glasslib.tg import dataset as tg_dataset
from glasslib.tg.sciglass import load_clean

TABLE = load_clean()


@pytest.mark.parametrize("kind", tg_dataset.SPLITS)
def test_splits_are_disjoint_complete_and_80_20(kind):
    train, val = tg_dataset.load_split(kind, 0, n_rows=len(TABLE))
    assert len(np.intersect1d(train, val)) == 0
    assert len(train) + len(val) == len(TABLE)
    # the extrapolation split validates on the hottest tenth, the others on a random fifth
    expected = 1 - tg_dataset.EXTRAPOLATION_QUANTILE if kind == "extrapolation" else 0.2
    assert abs(len(val) / len(TABLE) - expected) < 0.005


def test_saved_splits_equal_regenerated_ones():
    fresh = tg_dataset.make_splits(TABLE, seed=0, save=False)
    for kind in tg_dataset.SPLITS:
        train, val = tg_dataset.load_split(kind, 0)
        assert np.array_equal(train, fresh[kind][0]) and np.array_equal(val, fresh[kind][1])


def test_publication_split_shares_no_publication():
    train, val = tg_dataset.load_split("publication", 0)
    pubs = TABLE.publication_id.to_numpy()
    assert not set(pubs[train]) & set(pubs[val])


def test_band_labels_half_open():
    labels = tg_dataset.band_labels([299.9, 300, 350, 399.99, 400], (300, 400))
    assert labels.tolist() == [0, 1, 1, 1, 0]


@pytest.mark.parametrize("band, message", [
    ((600, 500), r"band \[600, 500\] °C is empty"),
    ((500, 500), "is empty"),
    (("a", 3), "must be two numbers"),
    ((5000, 6000), "has no positive rows in the training split"),
    ((-1000, 5000), "has no negative rows in the training split"),
])
def test_bad_bands(band, message):
    with pytest.raises(ValueError, match=message):
        tg_dataset.TgProblem(band, table=TABLE)


def test_unknown_split():
    with pytest.raises(ValueError, match="split 'time' is not known; choose one of random, publication"):
        tg_dataset.TgProblem((500, 600), split="time", table=TABLE)
