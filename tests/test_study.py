"""Paper 2's seeded study: the paired bootstrap, the regression ranking, and a tiny real block
run twice (the second time from the cache)."""

import json

import numpy as np
import pytest

from glasslib.tg import study
from glasslib.tg.metrics import auc


def test_paired_bootstrap_tells_better_from_noise():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.2).astype(int)
    good = [y + rng.normal(0, 0.5, len(y)) for _ in range(3)]   # AUC about 0.84
    bad = [rng.normal(0, 1, len(y)) for _ in range(3)]           # AUC about 0.5
    out = study.paired_bootstrap(good, bad, y, n_boot=200)
    assert out["auc"]["verdict"] == "better" and out["auc"]["lo"] > 0.2
    assert study.paired_bootstrap(bad, good, y, n_boot=200)["auc"]["verdict"] == "worse"
    # the same model under other seeds: inside the spread, whichever way the point estimate falls
    twin = [y + rng.normal(0, 0.5, len(y)) for _ in range(3)]
    same = study.paired_bootstrap(good, twin, y, n_boot=200)
    assert same["auc"]["verdict"] == "not distinguishable"
    assert same["auc"]["lo"] < same["auc"]["diff"] < same["auc"]["hi"]


def test_regression_ranking_prefers_the_band_centre():
    scores = study.regression_scores([550.0, 505.0, 700.0, 580.0], (500, 600))
    assert list(np.argsort(-scores)) == [0, 3, 1, 2]
    truth = np.array([1, 1, 0, 1])
    assert auc(scores, truth) == 1.0


def test_block_runs_and_resumes_from_cache(tmp_path):
    plan = study.StudyPlan(splits=("random", "extrapolation"), wide_bands=((500, 600),), narrow_bands=(),
                           wide_seeds=(0, 1), ablation_splits=("random",), n_boot=30,
                           dgn=dict(epochs=1, batch_size=1024), classifiers=("KNN", "DT"), regressors=("HGB-reg",))
    cache = tmp_path / "blocks.jsonl"
    seen = []
    records = study.run_study(plan, cache, progress=False, on_block=seen.append)
    assert [r["split"] for r in seen] == ["random", "extrapolation"]
    random, extrapolation = records
    # the extrapolation split validates above the 90th percentile of Tg (~720 °C): no 500-600 °C rows
    assert "no positive rows in the validation split" in extrapolation["skipped"]
    assert set(random["models"]) == {"DeepGlassNet", "w/o Iter", "w/o Augmentation", "KNN", "DT", "HGB-reg"}
    assert all(len(v["auc"]) == 2 for v in random["models"].values())
    # a Tg regressor ranks 100 °C bands well; a 1-epoch DeepGlassNet is far from it
    assert np.mean(random["models"]["HGB-reg"]["auc"]) > 0.85
    assert random["best_baseline"] in ("KNN", "DT", "HGB-reg")
    expected = {f"DeepGlassNet - {random['best_baseline']}", "DeepGlassNet - w/o Iter", "DeepGlassNet - w/o Augmentation",
                f"{random['best_classifier']} - HGB-reg"}
    assert set(random["paired"]) == expected - {"HGB-reg - HGB-reg"} and random["best_regressor"] == "HGB-reg"
    assert 0.9 < random["ceiling"]["auc"] <= 1.0 and random["ceiling"]["rows"] > 1000
    assert 0.1 < random["twin_share"] < 0.4
    # again: everything comes from the cache, nothing is trained
    again = study.run_study(plan, cache, progress=False, on_block=pytest.fail)
    assert json.dumps(again, sort_keys=True) == json.dumps(records, sort_keys=True)
    assert study.run_study(plan, cache, missing="skip") == again
    assert study.run_study(plan, tmp_path / "empty.jsonl", missing="skip") == []   # a reading copy trains nothing
    table = study.summary_table(again)
    assert set(table.model) == set(random["models"]) and (table.seeds == 2).all()


def test_blocks_in_two_processes_match_one_process(tmp_path):
    """The same records from two worker processes as from one (timings aside), and the Tg
    regressors' predictions come back from disk instead of being fitted again."""
    plan = study.StudyPlan(splits=("random",), wide_bands=((400, 500), (500, 600)), narrow_bands=(),
                           wide_seeds=(0,), ablation_splits=(), n_boot=20,
                           dgn=dict(epochs=1, batch_size=1024), classifiers=("KNN",), regressors=("HGB-reg",))

    def comparable(records):
        return json.dumps([{k: v for k, v in r.items() if k != "fit_seconds"} for r in records], sort_keys=True)

    one = study.run_study(plan, tmp_path / "one.jsonl", progress=False)
    two = study.run_study(plan, tmp_path / "two.jsonl", progress=False, workers=2)
    assert [r["band"] for r in two] == ["400-500", "500-600"]
    assert comparable(one) == comparable(two)
    # the regressor was fitted by the first run; every later block reports that same fit time
    assert len({r["fit_seconds"]["HGB-reg"] for r in one + two}) == 1
    with pytest.raises(ValueError, match="workers=0 must be a positive whole number"):
        study.run_study(plan, tmp_path / "three.jsonl", workers=0)
    # two shards sharing one cache: each runs its own block, and together they make the study
    first = study.run_study(plan, tmp_path / "shared.jsonl", progress=False, shard=(0, 2))
    assert [r["band"] for r in first] == ["400-500"]
    second = study.run_study(plan, tmp_path / "shared.jsonl", progress=False, shard=(1, 2))
    assert comparable(second) == comparable(one)
    with pytest.raises(ValueError, match=r"shard=\(2, 2\) must be \(i, n\) with 0 <= i < n"):
        study.run_study(plan, tmp_path / "four.jsonl", shard=(2, 2))
