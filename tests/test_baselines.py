import json

import numpy as np
import pytest

from glasslib.tg import baselines
from glasslib.tg.metrics import auc


def _toy(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.dirichlet(np.ones(5), size=n).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0.35).astype(int)
    return X, y


def test_unknown_baseline_names_the_choices():
    with pytest.raises(ValueError, match="'XGB'.*KNN, RF, SVM, DT, MLP, HGB"):
        baselines.make_baseline("XGB")


@pytest.mark.parametrize("name", baselines.PAPER_BASELINES + baselines.MODERN_BASELINES)
def test_every_baseline_ranks_a_learnable_problem(name):
    X, y = _toy()
    model = baselines.fit_baseline(name, X[:400], y[:400], seed=0)
    scores = baselines.baseline_scores(model, X[400:])
    assert len(np.unique(scores)) > 2, "scores must be continuous for a ranking metric"
    assert auc(scores, y[400:]) > 0.8


def test_svm_cap_subsamples_the_training_rows():
    X, y = _toy(800)
    model = baselines.fit_baseline("SVM", X, y, seed=3, max_train=250)
    assert model[-1].shape_fit_[0] == 250


def test_compare_bands_resumes_from_its_cache(tmp_path, monkeypatch):
    calls = []

    def fake_compare(problem, dgn_params, **kw):
        calls.append((problem.split, problem.band))
        return [{"band": f"{problem.band[0]:g}-{problem.band[1]:g}", "split": problem.split,
                 "model": m, "auc": 0.5 + 0.01 * len(calls)} for m in ("DeepGlassNet",) + tuple(kw["models"])]

    monkeypatch.setattr(baselines, "compare_on_band", fake_compare)
    cache = tmp_path / "fig7.jsonl"
    bands = [(400, 500), (500, 600), (600, 700)]
    kw = dict(splits=("random",), dgn_params={"epochs": 2}, models=("DT",), cache=cache, progress=False)
    first = baselines.compare_bands(bands, **kw)
    assert len(calls) == 3 and len(first) == 6
    # a kill in the middle of writing the last block leaves half a line: only that block is redone
    lines = cache.read_text().splitlines()
    cache.write_text("\n".join(lines[:2]) + "\n" + lines[2][: len(lines[2]) // 2])
    second = baselines.compare_bands(bands, **kw)
    assert calls[3:] == [("random", (600.0, 700.0))]
    assert second.iloc[:4].equals(first.iloc[:4])
    # other settings never reuse cached blocks
    baselines.compare_bands(bands[:1], **{**kw, "dgn_params": {"epochs": 3}})
    assert len(calls) == 5
    assert all(json.loads(line)["records"] for line in cache.read_text().splitlines()[-2:])


def test_compare_on_band_end_to_end_on_sciglass():
    from glasslib.tg.dataset import TgProblem

    records = baselines.compare_on_band(TgProblem((500, 600), "random"), {"epochs": 1}, models=("DT", "KNN"))
    assert [r["model"] for r in records] == ["DeepGlassNet", "DT", "KNN"]
    for r in records:
        assert r["band"] == "500-600" and r["split"] == "random"
        assert 0.6 < r["auc"] <= 1.0 and 0.0 <= r["precision@100"] <= 1.0
