"""Forest, dataset assembly, splits, evaluation and the pipeline estimator on a synthetic RDF table."""

import numpy as np
import pandas as pd
import pytest

from glasslib.pcf import dataset, evaluation, forest, pipeline
from glasslib.pcf.images import rdf_to_image


def _table():
    r = np.arange(0, 10, 0.05) + 0.025
    rows = []
    for base, dopant, pct in [("SiO2", "none", 0), ("SiO2", "ZnO", 5), ("SiO2", "ZnO", 10), ("SiO2", "ZnO", 20),
                              ("SiO2", "BaO", 10), ("SiO2", "BaO", 20)]:
        glass = f"{base}-{dopant}-{pct}"
        pairs = ["Si-O", "O-O", "Si-Si"] + ([f"{dopant[:2]}-O"] if dopant != "none" else [])
        for k, pair in enumerate(pairs):
            peak = 1.6 + 0.5 * k + 0.002 * pct
            g = np.where(r > peak - 0.2, 1 + 5 * np.exp(-((r - peak) / 0.08) ** 2), 0)
            rows.append(pd.DataFrame({"glass": glass, "base": base, "dopant": dopant, "mol_percent": pct,
                                      "pair": pair, "r_angstrom": r, "g": g}))
    return pd.concat(rows, ignore_index=True)


def test_dataset_assembly():
    data = dataset.load_rdf_dataset(_table())
    assert len(data) == 3 + 5 * 4
    assert data.images.shape == (23, 64, 64) and data.X.shape == (23, 58)
    i = data.rows.index[(data.rows.glass == "SiO2-ZnO-10") & (data.rows.pair == "Zn-O")][0]
    assert np.allclose(data.images[i], rdf_to_image(data.r, data.g[i]))


def test_glass_split_holds_out_whole_glasses():
    data = dataset.load_rdf_dataset(_table())
    train, test = dataset.glass_split(data.rows, seed=0)
    assert not set(data.rows.glass[train]) & set(data.rows.glass[test])
    assert "SiO2-none-0" in set(data.rows.glass[train])
    # a replica (another seed of a glass) goes wherever its glass goes
    table = _table()
    replica = table[table.glass.isin(["SiO2-ZnO-10", "SiO2-BaO-20"])].assign(glass=lambda t: t.glass + "__seed2")
    rows = dataset.load_rdf_dataset(pd.concat([table, replica], ignore_index=True)).rows
    for seed in range(6):
        train, test = dataset.glass_split(rows, seed=seed)
        held = set(rows.glass[test])
        assert not held & set(rows.glass[train])
        assert ("SiO2-ZnO-10" in held) == ("SiO2-ZnO-10__seed2" in held)
        assert ("SiO2-BaO-20" in held) == ("SiO2-BaO-20__seed2" in held)


def test_nearest_composition_baseline_picks_closest_same_dopant():
    data = dataset.load_rdf_dataset(_table())
    test_mask = (data.rows.glass == "SiO2-ZnO-10").to_numpy()
    train, test = data.subset(np.nonzero(~test_mask)[0]), data.subset(np.nonzero(test_mask)[0])
    base = evaluation.nearest_composition_images(train, test)
    j = test.rows.index[test.rows.pair == "Zn-O"][0]
    k = train.rows.index[(train.rows.glass == "SiO2-ZnO-5") & (train.rows.pair == "Zn-O")][0]
    assert np.array_equal(base[j], train.images[k])


def test_forest_defaults_and_sweep():
    rng = np.random.default_rng(0)
    X, Y = rng.random((60, 58)), rng.random((60, 8))
    model = forest.make_forest()
    assert (model.n_estimators, model.max_features, model.max_depth, model.min_samples_split) == (15, 30, 20, 2)
    res = forest.sweep(X[:40], Y[:40], X[40:], Y[40:], "max_depth", values=[1, 20])
    assert res["train_mse"][1] < res["train_mse"][0]  # deeper trees fit training data better
    with pytest.raises(ValueError, match="hyperparameter 'depth' has no sweep"):
        forest.sweep(X, Y, X, Y, "depth")


def test_pipeline_estimator_fits_predicts_and_round_trips(tmp_path):
    data = dataset.load_rdf_dataset(_table())
    pipe = pipeline.RDFPipeline(epochs=2, batch_size=8, latent_activation="linear",
                                forest_params={"n_estimators": 4}, seed=3).fit(data.X, data.images)
    assert pipe.forest_.n_estimators == 4 and pipe.autoencoder_.latent_activation == "linear"
    r, g = pipe.predict_rdf("SiO2", "ZnO", 7.5, "Zn-O")
    assert r.shape == g.shape == (64,) and (g >= 0).all()
    pipe.save(tmp_path / "p", meta={"note": "test"})
    again = pipeline.RDFPipeline.load(tmp_path / "p")
    # every hyperparameter comes back, the bottleneck included (it once came back as ReLU)
    assert again.get_params() == pipe.get_params()
    assert again.autoencoder_.get_params() == pipe.autoencoder_.get_params()
    assert np.allclose(again.predict_rdf("SiO2", "ZnO", 7.5, "Zn-O")[1], g, atol=1e-5)
    with pytest.raises(ValueError, match="pair B-O does not occur"):
        pipe.predict_rdf("SiO2", "ZnO", 7.5, "B-O")
    with pytest.raises(FileNotFoundError, match="no saved RDF pipeline"):
        pipeline.load_pipeline(tmp_path / "nothing")
    with pytest.raises(ValueError, match="X has 3 rows but there are 23 images"):
        pipeline.RDFPipeline(epochs=1).fit(data.X[:3], data.images)


def test_pipeline_reuses_a_fitted_autoencoder():
    from glasslib.pcf import autoencoder

    data = dataset.load_rdf_dataset(_table())
    ae = autoencoder.RDFAutoencoder(epochs=1, batch_size=8).fit(data.images)
    pipe = pipeline.RDFPipeline(seed=0).fit(data.X, data.images, autoencoder=ae)
    assert pipe.autoencoder_ is ae
    assert np.allclose(pipe.predict_latent(data.X[:2]), pipe.forest_.predict(data.X[:2]))
    with pytest.raises(ValueError, match="must be fitted"):
        pipeline.RDFPipeline().fit(data.X, data.images, autoencoder=autoencoder.RDFAutoencoder())


def test_curve_errors_are_zero_for_identical_images():
    data = dataset.load_rdf_dataset(_table())
    errors = evaluation.curve_errors(data.images[:3], data.images[:3])
    assert (errors.image_mse == 0).all() and (errors.peak_position_error_A == 0).all()


def test_shipped_pipeline_loads_with_its_hyperparameters():
    pipe = pipeline.load_pipeline()
    assert pipe.get_params()["epochs"] == 800 and pipe.autoencoder_.latent_activation == "relu"
    r, g = pipe.predict_rdf("SiO2", "ZnO", 10, "Si-O")
    assert 1.5 < r[np.argmax(g)] < 1.75      # the Si-O bond of silica, from the shipped model


def test_pair_kinds_follow_the_dopant_cation():
    rows = pd.DataFrame({"dopant": ["none", "TiO2", "TiO2", "TiO2", "BaO", "ZnO", "ZnO"],
                         "pair": ["Si-O", "Si-O", "Ti-O", "Ti-Ti", "Ba-Ba", "Si-Zn", "O-O"]})
    assert list(dataset.pair_kinds(rows)) == ["base", "base", "dopant-other", "dopant-dopant",
                                               "dopant-dopant", "dopant-other", "base"]


def test_image_mse_is_per_image():
    true = np.zeros((3, 4, 4), np.float32)
    pred = true + np.array([0.0, 0.1, 0.3], np.float32)[:, None, None]
    assert np.allclose(evaluation.image_mse(true, pred), [0.0, 0.01, 0.09])


def test_replicate_oracle_predicts_each_seed_from_the_others():
    """Three seeds of one glass whose Si-O peak sits at 1.60, 1.62 and 1.64 A: each seed is
    predicted by the mean image of the other two; glasses without a replica are left out."""
    table = _table()
    seeds = []
    for seed, shift in ((2, 0.02), (3, 0.04)):
        extra = table[table.glass == "SiO2-none-0"].copy()
        extra["glass"] = f"SiO2-none-0__seed{seed}"
        extra.loc[extra.pair == "Si-O", "g"] = np.interp(extra.r_angstrom[extra.pair == "Si-O"] - shift,
                                                          extra.r_angstrom[extra.pair == "Si-O"],
                                                          extra.g[extra.pair == "Si-O"])
        seeds.append(extra)
    data = dataset.load_rdf_dataset(pd.concat([table, *seeds], ignore_index=True))
    oracle = evaluation.replicate_oracle(data)
    assert len(oracle) == 9 and (oracle.replicas == 3).all()
    assert set(oracle.glass) == {"SiO2-none-0", "SiO2-none-0__seed2", "SiO2-none-0__seed3"}
    same = oracle[oracle.pair != "Si-O"]
    assert np.allclose(same.image_mse, 0) and np.allclose(same.peak_position_error_A, 0)
    si_o = oracle[oracle.pair == "Si-O"].set_index("glass")
    # the middle seed sits between the others: its oracle error is the smallest
    assert si_o.image_mse.idxmin() == "SiO2-none-0__seed2"
    assert (si_o.image_mse > 0).all()
    # the outer seeds sit 0.03 A from the others' mean peak: within one 0.125 A image column
    assert 0 < si_o.peak_position_error_A.drop("SiO2-none-0__seed2").min()
    assert si_o.peak_position_error_A.max() <= 0.125 and si_o.peak_position_error_A["SiO2-none-0__seed2"] < 0.01
    assert evaluation.replicate_oracle(dataset.load_rdf_dataset(table)).empty


def _noisy_replicas(k: int, sigma: float, n_glasses: int = 6, seed: int = 0):
    """k replicas of n glasses' one 64x64 image each: a shared smooth image plus independent
    Gaussian pixel noise of SD sigma (the seed-to-seed scatter of an MD curve)."""
    rng = np.random.default_rng(seed)
    rows, images = [], []
    for g in range(n_glasses):
        clean = 0.3 + 0.2 * np.sin(np.linspace(0, 3, 64))[None, :] * np.ones((64, 1)) + 0.02 * g
        for s in range(k):
            rows.append({"glass": f"SiO2-ZnO-{g + 1}__seed{s + 1}", "base": "SiO2", "dopant": "ZnO",
                         "mol_percent": g + 1.0, "pair": "Si-O", "rate": 20.0})
            images.append(clean + rng.normal(0, sigma, (64, 64)))
    n = len(rows)
    return dataset.RDFDataset(pd.DataFrame(rows), np.arange(3), np.zeros((n, 3)), np.stack(images), np.zeros((n, 58)))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_noise_floor_is_the_replica_variance_not_the_oracle_error(k):
    """Predicting a replica from the mean of the other k-1 costs sigma^2 k/(k-1) per pixel; a
    perfect model of the glass's mean would make sigma^2, which is what the floor reports."""
    sigma = 0.05
    data = _noisy_replicas(k, sigma)
    oracle = evaluation.replicate_oracle(data)
    assert len(oracle) == 6 * k and (oracle.replicas == k).all()
    assert oracle.image_mse.mean() == pytest.approx(sigma ** 2 * k / (k - 1), rel=0.03)
    floor = evaluation.noise_floor(oracle)
    assert list(floor.index) == ["base", "all"]      # Si-O in a ZnO glass: a base-glass pair
    assert floor.loc["all", "image_mse_mean"] == pytest.approx(sigma ** 2, rel=0.03)
    assert floor.loc["all", "curves"] == 6 * k and floor.loc["all", "replicas"] == k


def test_replicate_oracle_matches_further_columns_and_names_a_missing_one():
    data = _noisy_replicas(2, 0.05)
    data.rows.loc[data.rows.glass.str.endswith("seed2"), "rate"] = 10.0   # seeds now differ in rate
    assert evaluation.replicate_oracle(data).replicas.eq(2).all()
    assert evaluation.replicate_oracle(data, by=("rate",)).empty
    assert evaluation.noise_floor(evaluation.replicate_oracle(data, by=("rate",))).empty
    with pytest.raises(ValueError, match="'quench'.*columns are glass, base"):
        evaluation.replicate_oracle(data, by=("quench",))


def test_random_split_keeps_replicas_of_a_curve_on_one_side():
    rows = pd.DataFrame({"glass": [f"G{g}__seed{s}" for g in range(20) for s in (1, 2, 3) for _ in range(4)],
                         "pair": [p for _ in range(20) for _ in (1, 2, 3) for p in ("Si-O", "O-O", "Si-Si", "Zn-O")]})
    labels = dataset.replica_groups(rows)
    assert labels.nunique() == 80 and labels[0] == "G0 Si-O" and labels[4] == "G0 Si-O"
    train, test = dataset.random_split(len(rows), 3, groups=labels)
    assert len(train) + len(test) == 240 and not set(train) & set(test)
    assert not set(labels[train]) & set(labels[test])           # no curve on both sides
    assert labels[test].nunique() == 16                          # 20 % of the 80 curves, 3 seeds each
    assert len(test) == 48


def test_random_split_without_repeated_labels_is_the_plain_split():
    """Dataset v1 has one run per glass: its split, and so its published numbers, stay as they were."""
    labels = [f"glass{i} Si-O" for i in range(50)]
    plain = dataset.random_split(50, 7)
    grouped = dataset.random_split(50, 7, groups=labels)
    assert all(np.array_equal(a, b) for a, b in zip(plain, grouped))
    with pytest.raises(ValueError, match="49 labels for 50 RDFs"):
        dataset.random_split(50, 7, groups=labels[:49])
    with pytest.raises(ValueError, match="fraction=1.5"):
        dataset.random_split(50, 7, fraction=1.5)


def test_dataset_versions_by_name():
    v1, v2 = dataset.load_rdf_dataset("v1"), dataset.load_rdf_dataset()
    assert v1.rows.glass.nunique() == 32 and len(v1) == 328
    assert v2.rows.glass.str.endswith("__seed1").sum() > 0 and v2.rows.glass.nunique() == 50   # the default: v2
    assert dataset.variant("v2") is None and dataset.variant("v1") == "md-v1"
    with pytest.raises(ValueError, match="md_dataset 'v3' is not a dataset version; choose one of v1, v2"):
        dataset.variant("v3")
    with pytest.raises(ValueError, match="'v3' is neither a dataset version \\(v1, v2\\)"):
        dataset.load_rdf_dataset("v3")


def test_plot_against_floor_marks_ratios_and_kinds_without_a_floor():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    errors = pd.Series({"base": 0.006, "dopant-dopant": 0.04, "all": 0.01})
    floor = pd.Series({"base": 0.002})
    fig, ax = plt.subplots()
    evaluation.plot_against_floor(ax, errors, floor, "median image MSE")
    texts = [t.get_text() for t in ax.texts]
    plt.close(fig)
    assert texts.count("no floor\nyet") == 2 and "3.0×" in texts
    assert ax.get_yscale() == "log" and [t.get_text() for t in ax.get_xticklabels()] == ["base", "dopant–\ndopant", "all"]


@pytest.mark.parametrize("version, folder", [("v2", "rdf_pipeline"), ("v1", "rdf_pipeline-md-v1")])
def test_each_shipped_pipeline_was_trained_on_its_dataset_s_training_split(version, folder):
    """data/models/rdf_pipeline (what `glasslib predict-rdf` loads) was trained on the default dataset
    v2, the one kept as the "before" on v1: its images' fingerprint and its training count say so."""
    import json

    from glasslib import paths
    from glasslib.pcf.autoencoder import data_fingerprint

    data = dataset.load_rdf_dataset(version)
    train_idx, test_idx = dataset.random_split(len(data), 0, groups=dataset.replica_groups(data.rows))
    saved = json.loads((paths.MODELS / folder / "autoencoder" / "params.json").read_text())
    meta = json.loads((paths.MODELS / folder / "meta.json").read_text())
    assert meta["n_train"] == len(train_idx)
    if saved.get("trained_on"):          # the v1 model predates the fingerprint
        assert saved["trained_on"] == data_fingerprint(data.images[train_idx], data.images[test_idx])
    assert pipeline.PIPELINE_DIR == paths.MODELS / "rdf_pipeline" and paths.MD_DEFAULT == "v2"
