import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from glasslib.tg.metrics import auc, precision_at_k


def test_auc_by_hand():
    # pairs (pos, neg): 0.9>0.1, 0.9>0.5, 0.4>0.1, 0.4<0.5 -> 3 of 4
    assert auc([0.9, 0.4, 0.1, 0.5], [1, 1, 0, 0]) == 0.75


def test_auc_equals_sklearn_without_ties():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 3000)
    s = rng.normal(size=3000) + y
    assert auc(s, y) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


def test_auc_ties_paper_vs_half():
    scores, labels = [1.0, 1.0, 0.0], [1, 0, 0]
    assert auc(scores, labels, ties="paper") == 0.5    # Eq. (13): a tie scores 0
    assert auc(scores, labels, ties="half") == 0.75 == roc_auc_score(labels, scores)


def test_precision_at_k():
    s = [0.9, 0.8, 0.7, 0.1]
    y = [1, 0, 1, 1]
    assert precision_at_k(s, y, 1) == 1.0
    assert precision_at_k(s, y, 2) == 0.5
    assert precision_at_k(s, y, 3) == pytest.approx(2 / 3)


@pytest.mark.parametrize("call, message", [
    (lambda: auc([1, 2], [1, 1]), "at least one target and one non-target"),
    (lambda: auc([1, 2], [1, 2]), "labels must be 0/1"),
    (lambda: auc([1, 2, 3], [1, 0]), "differ in length"),
    (lambda: precision_at_k([1, 2], [1, 0], 3), "k=3 must be between 1"),
    (lambda: auc([1, 2], [1, 0], ties="sklearn"), "ties 'sklearn' is not known"),
])
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_pr_auc_matches_average_precision_and_ranks():
    from sklearn.metrics import average_precision_score

    from glasslib.tg.metrics import pr_auc

    rng = np.random.default_rng(3)
    y = (rng.random(400) < 0.15).astype(int)
    s = np.round(rng.normal(size=400) + 1.5 * y, 1)          # rounded: ties must be handled
    assert pr_auc(s, y) == pytest.approx(average_precision_score(y, s), abs=1e-12)
    assert pr_auc(y.astype(float), y) == 1.0                  # a perfect ranking
    with pytest.raises(ValueError, match="at least one target"):
        pr_auc(s, np.zeros(400, int))
