"""The screen's trust columns: the applicability domain and the split-conformal probability,
checked on held-out rows the fit never saw."""

import numpy as np
import pytest

from glasslib.tg.screening import SimplexGrid, screen
from glasslib.tg.sciglass import COMPONENTS
from glasslib.tg.trust import ScreenTrust


@pytest.fixture(scope="module")
def trust():
    return ScreenTrust.cached()


@pytest.mark.parametrize("band", [(300, 400), (500, 600), (700, 800)])
def test_probability_is_calibrated_on_held_out_rows(trust, band):
    check = trust.calibration(band)
    assert check["rows"] > 3000
    assert check["ece"] < 0.03, check                   # measured 0.007-0.010
    assert check["brier"] < 0.6 * check["brier_base_rate"]


def test_probabilities_of_adjacent_bands_add_up(trust):
    X = trust.check_X[:200]
    edges = [-1e9, 300, 500, 700, 1e9]
    total = sum(trust.probability(X, (a, b)) for a, b in zip(edges, edges[1:]))
    assert np.allclose(total, 1.0)


def test_domain_flags_glasses_far_from_the_training_set(trust):
    twin = trust.train_X[:3]
    d, _ = trust.nearest(twin)
    assert np.allclose(d, 0)
    alien = np.zeros((1, len(COMPONENTS)), np.float32)
    alien[0, COMPONENTS.index("TiO2")] = 1.0             # pure TiO2 is no glass in SciGlass
    columns = trust.annotate(np.vstack([twin, alien]), (500, 600))
    assert columns.in_domain.tolist() == [True, True, True, False]
    assert 2 < trust.threshold_wt < 20                   # measured 7.6 wt% (95 % of held-out rows)


class _Linear:
    def __init__(self, w):
        self.w = np.asarray(w, np.float32)

    def decision_function(self, X):
        return X @ self.w


def test_screen_in_domain_only(trust):
    grid = SimplexGrid(("SiO2", "Al2O3", "Na2O", "CaO", "B2O3", "ZnO"), 10)
    model = _Linear(np.random.default_rng(1).normal(size=len(COMPONENTS)))
    every, n = screen(model, grid, top=len(grid), trust=trust, band=(500, 600))   # all, ranked
    assert n == len(grid) == len(every) and 0 < every.in_domain.sum() < len(grid)
    inside, _ = screen(model, grid, top=5, trust=trust, band=(500, 600), in_domain_only=True, pool=len(grid))
    assert inside.in_domain.all() and list(inside["rank"]) == [1, 2, 3, 4, 5]
    expected = every[every.in_domain].head(5)
    assert np.allclose(inside.similarity, expected.similarity)
    with pytest.raises(ValueError, match="in_domain_only needs trust"):
        screen(model, grid, top=5, in_domain_only=True)
