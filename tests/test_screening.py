import itertools
import math

import numpy as np
import pytest

from glasslib.tg.screening import PAPER_COMPONENTS, SimplexGrid, count_compositions, screen, subgrids
from glasslib.tg.sciglass import COMPONENTS


def test_paper_grid_size():
    grid = SimplexGrid()
    assert len(PAPER_COMPONENTS) == 12
    assert len(grid) == math.comb(21, 11) == 352716


def _brute(k, units, lo, hi):
    return {c for c in itertools.product(*(range(a, b + 1) for a, b in zip(lo, hi))) if sum(c) == units}


@pytest.mark.parametrize("block", [1, 7, 1000])
def test_enumeration_is_complete_and_unique(block):
    grid = SimplexGrid(("SiO2", "Na2O", "CaO", "B2O3"), 20, minimum={"SiO2": 20}, maximum={"CaO": 40})
    rows = np.concatenate(list(grid.blocks(block)))
    expected = _brute(4, 5, [1, 0, 0, 0], [5, 5, 2, 5])
    assert len(rows) == len(expected) == len(grid)
    assert {tuple(r) for r in rows} == expected


def test_count_matches_dp():
    assert count_compositions(10, [10] * 3) == math.comb(12, 2)


class _Linear:
    def __init__(self, w):
        self.w = np.asarray(w, np.float32)

    def decision_function(self, X):
        return X @ self.w


def test_screen_keeps_the_true_top_k():
    grid = SimplexGrid(("SiO2", "Al2O3", "Na2O", "CaO"), 10)
    w = np.random.default_rng(0).normal(size=len(COMPONENTS))
    table, n = screen(_Linear(w), grid, top=7, batch_size=13)
    every = np.concatenate(list(grid.blocks()))
    scores = grid.fractions(every) @ w.astype(np.float32)
    assert n == len(grid)
    assert np.allclose(np.sort(scores)[::-1][:7], table.similarity.to_numpy(), atol=1e-6)
    assert (table[list(grid.components)].sum(axis=1) == 100).all()


def test_pieces_of_the_grid_are_the_grid_in_order():
    grid = SimplexGrid(("SiO2", "Na2O", "CaO", "B2O3", "ZnO"), 10, minimum={"SiO2": 30}, maximum={"Na2O": 20})
    pieces = subgrids(grid)
    assert len(pieces) > 5
    whole = np.concatenate(list(grid.blocks(64)))
    assert np.array_equal(np.concatenate([np.concatenate(list(p.blocks(64))) for p in pieces]), whole)
    assert sum(len(p) for p in pieces) == len(grid)


def test_parallel_screen_equals_one_process_ties_included():
    """Scores on one component only: whole families of candidates tie, and both screens must
    keep the same ones (the earliest in grid order)."""
    grid = SimplexGrid(("SiO2", "Al2O3", "Na2O", "CaO", "MgO"), 10)
    w = np.zeros(len(COMPONENTS))
    w[COMPONENTS.index("SiO2")] = 1.0
    one, n1 = screen(_Linear(w), grid, top=20, batch_size=17)
    two, n2 = screen(_Linear(w), grid, top=20, batch_size=17, workers=2)
    assert n1 == n2 == len(grid)
    assert one.equals(two)
    every = np.concatenate(list(grid.blocks())) * 10           # grid order
    expected = every[np.argsort(-every[:, 0], kind="stable")][:20]
    assert (one[list(grid.components)].to_numpy() == expected).all()
    assert sorted(one.SiO2.value_counts().items()) == [(70, 5), (80, 10), (90, 4), (100, 1)]   # 70 % is cut
    with pytest.raises(ValueError, match="workers=0 must be a positive whole number"):
        screen(_Linear(w), grid, workers=0)


def test_deepglassnet_fused_grid_scorer_gives_decision_function_scores():
    """The fused scorer folds normalisation, BatchNorm and the grid's scale into the weights;
    its scores must be decision_function's on the grid's mass fractions, and the screen's top-k
    the one decision_function alone picks."""
    from glasslib.tg.model import DeepGlassNetClassifier

    rng = np.random.default_rng(0)
    X = rng.dirichlet(np.ones(len(COMPONENTS)) * 0.5, size=600).astype(np.float32)
    y = (X[:, COMPONENTS.index("SiO2")] > X[:, COMPONENTS.index("Na2O")]).astype(int)
    model = DeepGlassNetClassifier(epochs=2, batch_size=64, seed=1).fit(X, y)
    model.model_.head[1].running_mean.add_(0.3)       # BatchNorm statistics that are not 0 / 1
    model.model_.head[1].running_var.mul_(2.0)
    grid = SimplexGrid(("SiO2", "Al2O3", "Na2O", "CaO", "B2O3"), 10)
    units = np.concatenate(list(grid.blocks()))
    fused = model.grid_scorer([COMPONENTS.index(c) for c in grid.components], grid.step / 100, chunk=100)
    expected = model.decision_function(grid.fractions(units))
    assert np.abs(fused(units) - expected).max() < 1e-5
    assert np.ptp(expected) > 0.1                        # the scores differ: a real comparison
    table, _ = screen(model, grid, top=10)
    order = np.argsort(-expected, kind="stable")[:10]
    assert np.allclose(table.similarity, expected[order], atol=1e-5)
    assert DeepGlassNetClassifier(epochs=1, interaction=False).fit(X, y).grid_scorer([0], 0.1) is None


@pytest.mark.parametrize("kwargs, message", [
    (dict(components=("SiO2", "MgO2")), r"component\(s\) \['MgO2'\] are not supported"),
    (dict(step=7), "step 7 wt% must divide 100"),
    (dict(step=-5), "must divide 100"),
    (dict(components=("SiO2", "Na2O"), minimum={"SiO2": 60}, maximum={"SiO2": 50}), "leave no composition"),
    (dict(components=("SiO2", "Na2O"), maximum={"CaO": 10}), "maximum given for 'CaO'"),
    (dict(components=("SiO2", "Na2O"), minimum={"SiO2": -5}), r"minimum -5 wt% for SiO2 must be within \[0, 100\]"),
])
def test_bad_grids(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SimplexGrid(**kwargs)
