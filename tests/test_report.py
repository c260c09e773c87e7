"""The README's results table is generated from the metrics files, and its verdicts follow the
numbers (not typed text)."""

import json
import shutil
from pathlib import Path

import pytest

from glasslib import paths, report, reproduce


def test_readme_table_matches_the_metrics_files():
    text = report.README.read_text()
    assert report.render(text) == text, "README results table is stale: run `glasslib report`"
    block = text.split(report.START)[1].split(report.END)[0]
    # only the seeded study (notebook 08, hours of 2-core time, resumed across sessions) may be pending
    pending = [line for line in block.splitlines() if "not available" in line]
    assert all("08_tg_claims_tested" in line for line in pending), pending


def test_verdicts_follow_the_numbers(tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    monkeypatch.setattr(paths, "FIGURES", figures)
    target = figures / "02_deepglassnet_benchmark" / "full" / "metrics.json"
    m = json.loads(target.read_text())
    before = report.table()
    assert "**not met** in 5 of 5 bands" in before
    # DeepGlassNet made the best model on every band: the row must turn to "met"
    for r in m["comparison"]:
        if r["model"] == "DeepGlassNet":
            r["auc"] = 0.999
    for r in m["ablation"]:
        r["auc"] = 0.999 if r["variant"] == "DeepGlassNet" else 0.9
    target.write_text(json.dumps(m))
    after = report.table()
    assert "— met (one seed" in after and "reproduced (5 bands" in after and "**not reproduced** (5" not in after
    # a missing metrics file is said, not papered over
    shutil.rmtree(figures / "06_rdf_autoencoder")
    assert "not available: no run of 06_rdf_autoencoder yet" in report.table()


def test_md_v2_study_line_quotes_mean_sd_and_seeds():
    study = {"runs_finished": 3, "runs_planned": 16, "chosen_rate_K_per_ps": None, "by_glass_and_rate": [
        {"glass": "NBS-undoped", "rate_K_per_ps": 50.0, "n4_mean": 0.69, "n4_std": 0.031, "n4_count": 2,
         "density_g_cm3_mean": 2.479, "density_g_cm3_std": 0.011, "density_g_cm3_count": 2,
         "fsdp_per_angstrom_mean": 1.65, "fsdp_per_angstrom_std": 0.15, "fsdp_per_angstrom_count": 2},
        {"glass": "SiO2-undoped", "rate_K_per_ps": 20.0, "n4_mean": float("nan"), "n4_std": float("nan"), "n4_count": 0,
         "density_g_cm3_mean": 2.2, "density_g_cm3_std": float("nan"), "density_g_cm3_count": 1,
         "fsdp_per_angstrom_mean": 1.55, "fsdp_per_angstrom_std": float("nan"), "fsdp_per_angstrom_count": 1}]}
    line = report._md_v2(study)
    assert "study 3 of 16 runs" in line and "rate not chosen yet" in line
    assert "50 K/ps: NBS N4 0.69 ± 0.03" in line and "density 2.479 ± 0.011 g/cm³" in line
    assert "20 K/ps: silica density 2.200 (1 seed) g/cm³" in line and "FSDP 1.55 (1 seed)" in line
    assert line.index("50 K/ps") < line.index("20 K/ps")
    assert report._md_v2({**study, "chosen_rate_K_per_ps": 20.0}).endswith("chosen rate 20 K/ps")
    rows = [{"rate_K_per_ps": 20.0, "glass": "SiO2-undoped", "check": "density_g_cm3", "difference": -0.0147,
             "relative": True, "within_tolerance": False, "resolved": True, "welch_t": -3.2},
            {"rate_K_per_ps": 20.0, "glass": "NBS-undoped", "check": "n4", "difference": -0.034,
             "relative": False, "within_tolerance": False, "resolved": False, "welch_t": -1.6}]
    line = report._md_v2({**study, "chosen_rate_K_per_ps": 5.0, "rate_comparison": rows})
    assert line.endswith("chosen rate 5 K/ps (faster rates out, beyond tolerance and seed spread: "
                         "20 K/ps SiO2 density -1.5%, Welch t -3.2)")      # the unresolved N4 row is not named
    line = report._md_v2({**study, "chosen_rate_K_per_ps": 5.0, "rate_comparison": rows[1:]})
    assert line.endswith("chosen rate 5 K/ps (faster rates out only by checks the seeds do not resolve)")
    assert "study 3 of 16 runs and 2 extra seeds, mean" in report._md_v2({**study, "runs_extra_seeds": 2})
    assert report._md_v2(None) == report._md_v2({**study, "runs_finished": 0}) == ""
    assert line.startswith("; dataset v2 (in progress), quench-rate")
    assert report._md_v2(study, complete=True).startswith("; dataset v2, quench-rate study 3 of 16 runs")


def test_md_v2_campaign_line_gives_progress_replicas_and_the_study_check():
    progress = {"rate_K_per_ps": 5.0, "runs_finished": 4, "runs_planned": 48}
    silica = {"glass": "SiO2-undoped", "n_seeds": 3, "density_g_cm3_mean": 2.2102, "density_g_cm3_std": 0.0212,
              "fsdp_per_angstrom_mean": 1.588, "fsdp_per_angstrom_std": 0.017, "sciglass_density_g_cm3": 2.202,
              "density_deviation_percent": 0.37}
    nbs = {"glass": "NBS-undoped", "n_seeds": 1, "n4_mean": 0.7297, "n4_std": float("nan"), "dell_bray_n4": 0.6875,
           "density_g_cm3_mean": 2.4747, "density_g_cm3_std": float("nan"), "sciglass_density_g_cm3": 2.5175}
    versus = [{"glass": "SiO2-undoped", "check": "density_g_cm3", "difference": -0.0156, "relative": True,
               "welch_t": -2.76, "seeds_candidate": 3, "seeds_reference": 2},
              {"glass": "NBS-undoped", "check": "n4", "difference": 0.042, "relative": False,
               "welch_t": 1.1, "seeds_candidate": 1, "seeds_reference": 2}]
    line = report._md_v2_campaign(progress, [nbs, silica], versus)
    assert line.startswith("; dataset v2 campaign at 5 K/ps: 4 of 48 runs: silica (3 seeds) density 2.210 ± 0.021")
    assert "(SciGlass 2.202, +0.4 %)" in line and "FSDP 1.59 ± 0.02" in line
    assert "NBS (1 seed) N4 0.73 (Dell–Bray 0.69), density 2.475 g/cm³" in line      # no SD from one seed
    assert line.endswith("SiO2 density -1.6% (Welch t -2.76, 3 vs 2 seeds) distinguishable")   # the N4 row is not
    assert line.index("silica") < line.index("NBS (1 seed)")
    close = {**versus[1], "welch_t": 1.97}           # named as the closest, and not rounded up to 2.0
    assert report._md_v2_campaign(progress, [], [versus[1], close]).endswith(
        "no check distinguishable (the closest: NBS n4 +0.042 (Welch t +1.97, 1 vs 2 seeds))")
    assert "5 K/ps: 4 of 48 runs and 2 extra seeds: silica" in report._md_v2_campaign(
        {**progress, "runs_extra_seeds": 2}, [silica], [])
    assert report._md_v2_campaign(None, [nbs], []) == report._md_v2_campaign({**progress, "runs_finished": 0}, [], []) == ""


def test_the_v1_paper_scale_run_stands_between_the_v2_runs(tmp_path, monkeypatch):
    """Each paper-1 row shows the paper-scale run on MD dataset v2 (the default), then the one on v1
    (figures/<stem>/full/md-v1/) while it exists, then the quick run: before and after in one cell."""
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    monkeypatch.setattr(paths, "FIGURES", figures)
    for stem in ("06_rdf_autoencoder", "07_rdf_forest_pipeline"):   # the committed v1 run is set aside
        shutil.rmtree(figures / stem / "full" / "md-v1", ignore_errors=True)
    assert "full, MD v1" not in report.table()
    for stem in ("06_rdf_autoencoder", "07_rdf_forest_pipeline"):
        (figures / stem / "full" / "md-v1").mkdir()
        shutil.copy(figures / stem / "full" / "metrics.json", figures / stem / "full" / "md-v1" / "metrics.json")
    v1 = figures / "06_rdf_autoencoder" / "full" / "md-v1" / "metrics.json"
    m = json.loads(v1.read_text())
    m["mse_validation"] = 0.0012345
    v1.write_text(json.dumps(m))
    rows = {line.split(" | ")[0].lstrip("| "): line for line in report.table().splitlines()}
    ae = rows["P1 autoencoder MSE train / validation"]
    assert "full, MD v1 (" in ae and "/ 0.0012 mean" in ae and "validation goal met" in ae
    assert ae.index("full, MD v2 (") < ae.index("; full, MD v1 (") < ae.index("; quick, MD v2 (")
    for label in ("P1 latent R², pipeline first-peak error", "P1 whole-glass hold-out, image MSE",
                  "P1 Fig. 8 like for like: R² on the 100-point g(r)",
                  "P1 MD noise floor (replica scatter) vs pipeline error"):
        assert "full, MD v2" in rows[label] and "full, MD v1" in rows[label], label


def test_the_readme_lists_every_notebook_s_reading_copy_and_the_links_resolve():
    block = report.README.read_text().split(report.READING_START)[1].split(report.READING_END)[0]
    links = [line.split("](")[1].split(")")[0] for line in block.strip().splitlines()]
    assert [Path(link).name.split(".")[0] for link in links] == [nb.stem for nb in reproduce.numbered_notebooks()]
    assert all((paths.ROOT / link).exists() for link in links), links
    assert "notebooks/full/08_tg_claims_tested.ipynb" in links   # a committed paper-scale copy is preferred


def test_the_md_row_counts_the_curves_notebooks_06_07_train_on():
    """The paper-scale run of 06 saw every curve of the default dataset (v2) that has enough pairs."""
    from glasslib.pcf import dataset

    row = next(line for line in report.table().splitlines() if line.startswith("| P1 MD glasses"))
    assert f"train on dataset v2: **{len(dataset.load_rdf_dataset())} partial RDFs**" in row


def test_the_md_row_leads_with_dataset_v2_and_ends_with_v1():
    """Counted from the committed runs themselves, not from notebook 05's metrics."""
    from glasslib.pcf import campaign

    runs = [json.loads(p.read_text()) for p in sorted(campaign.V2_GLASSES.glob("*/meta.json"))]
    row = next(line for line in report.table().splitlines() if line.startswith("| P1 MD glasses"))
    here = row.split(" | ")[2]
    assert here.startswith(f"dataset v2: **{len({m['glass'] for m in runs})} glasses in {len(runs)} runs, ")
    v1 = len(list(campaign.GLASSES_DIR.glob("*/meta.json")))
    assert f"; dataset v1 (kept as the \"before\"): {v1} glasses" in here
    # the campaign's structure checks and the protocol study each have their own row, not this one
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[2] for line in report.table().splitlines()[2:]}
    assert "5 K/ps" not in here
    assert rows["P1 MD undoped glasses against experiment"].startswith("dataset v2 campaign at 5 K/ps: ")
    assert rows["P1 MD quench rate and speed levers"].startswith("dataset v2, quench-rate study ")


def test_every_readme_table_row_has_exactly_its_three_cells():
    """A bare | inside a generated cell splits it, and GitHub silently drops the cells past the header's."""
    import re

    readme = (paths.ROOT / "README.md").read_text()
    for table, width in ((report.table(), 3), (report.claims_table(), 4)):
        rows = table.splitlines()
        assert all(row in readme for row in rows)
        for row in rows:
            cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
            assert len(cells) == width, (len(cells), row[:120])
    assert report._cell("a | b \\| c") == "a \\| b \\| c"


def test_claims_verdicts_follow_the_metrics(tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    monkeypatch.setattr(paths, "FIGURES", figures)
    for stray in figures.glob("0[67]_*/full/seed-*"):                # the test's own seeds only
        shutil.rmtree(stray)
    claims = {c["claim"]: c for c in report.claims()}
    tested = json.loads((figures / "08_tg_claims_tested" / "full" / "metrics.json").read_text())["claims"]
    assert all(claims[c["claim"]]["verdict"] == c["verdict"] for c in tested)
    fig8 = next(c for c in claims if "(Fig. 8)" in c)
    target = figures / "07_rdf_forest_pipeline" / "full" / "metrics.json"
    m = json.loads(target.read_text())
    m["pipeline_g_r2"], m["direct_rf_r2"] = 0.95, 0.90
    m["glass_holdout"]["pipeline"]["image_mse"] = 2 * m["glass_holdout"]["nearest composition"]["image_mse"]
    m["by_kind_median"]["paper (ReLU bottleneck) | dopant-dopant"]["image_mse"] = 0.25
    m["md_noise_floor"]["dopant-dopant"]["image_mse_median"] = 0.125
    target.write_text(json.dumps(m))
    fig9 = next(c for c in report.claims() if "(MSE, Fig. 9)" in c["claim"])
    assert "dopant–dopant 0.2500 (MD replicas 0.1250)" in fig9["evidence"]   # each pair kind beside its floor
    after = {c["claim"]: c["verdict"] for c in report.claims()}
    assert after[fig8] == "reproduced" and "R² 0.950 (latent) vs 0.900 (direct)" in next(
        c["evidence"] for c in report.claims() if c["claim"] == fig8)
    assert after["the pipeline predicts the RDFs of a glass composition it has never seen"] == "not reproduced"
    # a second training seed that disagrees: the claim is not distinguishable, and the evidence gives mean ± SD
    seed1 = target.parent / "seed-1"
    seed1.mkdir(exist_ok=True)
    (seed1 / "metrics.json").write_text(json.dumps({**m, "seed": 1, "pipeline_g_r2": 0.85}))
    two = next(c for c in report.claims() if c["claim"] == fig8)
    assert two["verdict"] == "not distinguishable"
    # a value claim (latent R² about 0.92) holds when 0.92 lies in the 95 % t-interval of the mean over
    # training seeds: with two seeds mean ± 12.71 SD / sqrt(2) (t quantile 12.706 for 1 degree of freedom)
    latent = next(c for c in claims if "latent numbers" in c)
    assert claims[latent]["verdict"] == "one training seed so far"
    for values, verdict in (((0.90, 0.94), "reproduced"), ((0.80, 0.81), "not reproduced"),
                            ((0.89, 0.90), "reproduced"),          # 0.895 ± 0.064 (twice the SD would not reach)
                            ((0.84, 0.85), "not reproduced")):     # 0.845 ± 0.064 stops at 0.909
        for folder, value in ((target.parent, values[0]), (seed1, values[1])):
            path = folder / "metrics.json"
            path.write_text(json.dumps({**json.loads(path.read_text()), "latent_r2": value}))
        assert {c["claim"]: c["verdict"] for c in report.claims()}[latent] == verdict, values
    assert "training seeds 0, 1: R² 0.900 ± 0.071 (latent) vs 0.900 ± 0.000 (direct)" in two["evidence"]
    shutil.rmtree(figures / "08_tg_claims_tested")                  # a missing run leaves its claims out
    assert all(c["paper"] == "P1" for c in report.claims())


def test_the_seed_row_gives_mean_and_sd_once_a_second_training_seed_is_in(tmp_path, monkeypatch):
    import statistics

    figures = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figures)
    monkeypatch.setattr(paths, "FIGURES", figures)

    def row():
        return next(line for line in report.table().splitlines() if line.startswith("| P1 paper scale over training seeds"))

    for stem in ("06_rdf_autoencoder", "07_rdf_forest_pipeline"):
        for stray in (figures / stem / "full").glob("seed-*"):
            shutil.rmtree(stray)
    assert "one training seed so far (seed 0)" in row()
    m0 = json.loads((figures / "06_rdf_autoencoder" / "full" / "metrics.json").read_text())
    seed1 = figures / "06_rdf_autoencoder" / "full" / "seed-1"
    seed1.mkdir()
    (seed1 / "metrics.json").write_text(json.dumps({**m0, "seed": 1, "mse_validation": 0.0100}))
    values = [m0["mse_validation"], 0.0100]
    want = f"AE validation MSE {statistics.mean(values):.4f} ± {statistics.stdev(values):.4f} (seeds 0, 1)"
    assert want in row()
    assert "latent R² " in row() and "(seed 0 only)" in row()        # 07 has no second seed yet
    table = report.p1_seed_table("06_rdf_autoencoder")              # notebook 06's paper-scale cell
    assert list(table.columns) == ["seed 0", "seed 1", "mean ± SD"]
    assert table.loc["AE validation MSE", "seed 1"] == "0.0100"
    assert f"AE validation MSE {table.loc['AE validation MSE', 'mean ± SD']} (seeds 0, 1)" == want
    assert report.p1_seed_table("07_rdf_forest_pipeline")["mean ± SD"].eq("—").all()
    other = figures / "06_rdf_autoencoder" / "full" / "seed-2.epochs-10"    # a run with another setting too
    other.mkdir()
    (other / "metrics.json").write_text(json.dumps({**m0, "seed": 2, "mse_validation": 0.5}))
    assert want in row() and "seeds 0, 1, 2" not in row()


def test_before_and_after_are_judged_by_welch_s_test_over_the_training_seeds_of_each_dataset(tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    monkeypatch.setattr(paths, "FIGURES", figures)
    monkeypatch.setattr(report, "P1_SEED_HEADLINES", (
        ("06_rdf_autoencoder", "mse_validation", "AE validation MSE", 4),
        ("06_rdf_autoencoder", "mse_train", "AE training MSE", 4),
        ("07_rdf_forest_pipeline", "latent_r2", "latent R²", 3)))

    def write(stem, folder, seed, **values):
        (figures / stem / "full" / folder).mkdir(parents=True, exist_ok=True)
        (figures / stem / "full" / folder / "metrics.json").write_text(json.dumps({"seed": seed, **values}))

    # dataset v1's seed 0 predates metrics that record their seed: its folder (md-v1) names it
    (figures / "06_rdf_autoencoder" / "full" / "md-v1").mkdir(parents=True)
    (figures / "06_rdf_autoencoder" / "full" / "md-v1" / "metrics.json").write_text(
        json.dumps({"mse_validation": 0.020, "mse_train": 0.003}))
    write("06_rdf_autoencoder", "", 0, mse_validation=0.010, mse_train=0.0020)
    write("06_rdf_autoencoder", "seed-1", 1, mse_validation=0.012, mse_train=0.0025)
    write("07_rdf_forest_pipeline", "", 0, latent_r2=0.856)
    write("07_rdf_forest_pipeline", "seed-1", 1, latent_r2=0.876)
    write("07_rdf_forest_pipeline", "md-v1", 0, latent_r2=0.80)
    assert all(r["verdict"] is None for r in report.p1_before_after())      # one v1 seed: nothing judged
    write("06_rdf_autoencoder", "md-v1.seed-1", 1, mse_validation=0.022, mse_train=0.001)
    write("07_rdf_forest_pipeline", "md-v1.seed-1", 1, latent_r2=0.82)
    write("07_rdf_forest_pipeline", "md-v1.seed-2.epochs-10", 2, latent_r2=0.1)  # another setting: not a seed
    rows = {r["label"]: r for r in report.p1_before_after()}
    assert rows["latent R²"]["before"]["seeds"] == [0, 1]
    # two seeds a side with equal SDs: Welch's t is the difference over one SD, with 2 degrees of freedom,
    # where Student's two-sided p is 1 - t / sqrt(t^2 + 2) (closed form of the t distribution, 2 df)
    mse = rows["AE validation MSE"]                 # 0.021 ± 0.0014 -> 0.011 ± 0.0014: t = -0.010 / 0.0014
    assert mse["welch_t"] == pytest.approx(-0.010 / (0.002 / 2 ** 0.5)) and mse["df"] == pytest.approx(2.0)
    assert mse["p"] == pytest.approx(1 - 50 ** 0.5 / 52 ** 0.5, rel=1e-6)          # 0.0194
    # alone below 5 %, but the smallest of 3 p-values must lie below 0.05 / 3 = 0.0167 (Holm)
    assert mse["alone"] == "lower" and mse["verdict"] == "not distinguishable" and mse["family"] == 3
    r2 = rows["latent R²"]                          # 0.810 -> 0.866, SD 0.0141 each: t = 3.96, p 0.058
    assert r2["welch_t"] == pytest.approx(0.056 / (0.02 / 2 ** 0.5)) and r2["alone"] == "not distinguishable"
    # unequal spreads: v1 0.003, 0.001 (var 2e-6), v2 0.0020, 0.0025 (var 1.25e-7); each over n = 2
    train = rows["AE training MSE"]
    assert train["welch_t"] == pytest.approx(0.00025 / (1e-6 + 6.25e-8) ** 0.5)
    assert train["df"] == pytest.approx((1e-6 + 6.25e-8) ** 2 / (1e-12 + 6.25e-8 ** 2))
    assert train["verdict"] == "not distinguishable"
    table = report.p1_before_after_table("06_rdf_autoencoder")
    assert table.loc["AE validation MSE", "v2 against v1"] == (
        "not distinguishable over the 3 metrics (Holm), alone lower (Welch t -7.1, 2.0 degrees of freedom, p 0.019)")
    write("07_rdf_forest_pipeline", "", 0, latent_r2=0.940)          # 0.810 -> 0.950, SD 0.0141 each:
    write("07_rdf_forest_pipeline", "seed-1", 1, latent_r2=0.960)    # t = 0.14 / 0.0141 = sqrt(98), p = 0.0101
    rows = {r["label"]: r for r in report.p1_before_after()}
    # Holm steps down: 0.0101 <= 0.05 / 3 rejects, then the validation MSE's 0.0194 <= 0.05 / 2 does too
    assert rows["latent R²"]["p"] == pytest.approx(1 - 98 ** 0.5 / 100 ** 0.5, rel=1e-6)
    assert rows["latent R²"]["verdict"] == "higher" and rows["AE validation MSE"]["verdict"] == "lower"
    assert rows["AE training MSE"]["verdict"] == "not distinguishable"
    table = report.p1_before_after_table("07_rdf_forest_pipeline")
    assert table.loc["latent R²"].tolist() == ["0.810 ± 0.014", "0.950 ± 0.014", "+0.140",
                                               "higher (Welch t +9.9, 2.0 degrees of freedom, p 0.010)"]
    assert list(table.columns)[:2] == ["MD v1 (seeds 0, 1)", "MD v2 (seeds 0, 1)"]


def test_holm_steps_down_until_the_first_p_value_above_its_bound():
    # textbook case, m = 4 at 5 %: sorted 0.005 <= 0.0125 and 0.01 <= 0.0167 are rejected;
    # 0.03 > 0.025 stops, so 0.04 is kept although it lies below 0.05
    assert report.holm([0.01, 0.04, 0.03, 0.005]) == [True, False, False, True]
    assert report.holm([0.03, 0.04]) == [False, False]          # 0.03 > 0.05 / 2: nothing rejected
    assert report.holm([0.02, 0.024]) == [True, True]           # 0.02 <= 0.025, then 0.024 <= 0.05
    assert report.holm([]) == []


def test_the_sd_caveat_quotes_the_chi_square_interval_of_an_sd():
    """Textbook quantiles: chi2(1) 0.000982 and 5.024, chi2(2) 0.0506 and 7.378 (2.5 % and 97.5 %)."""
    assert "within 0.45–31.9 times it" in report._sd_caveat(2)      # sqrt(1/5.024), sqrt(1/0.000982)
    assert "within 0.52–6.3 times it" in report._sd_caveat(3)       # sqrt(2/7.378), sqrt(2/0.0506)


def test_the_readme_lists_every_checked_metric_with_its_tolerance():
    expected = json.loads(paths.EXPECTED_QUICK.read_text())
    block = report.README.read_text().split(report.CHECKS_START)[1].split(report.CHECKS_END)[0]
    rows = block.strip().splitlines()[2:]
    assert len(rows) == sum(len(m) for m in expected.values())
    want = expected["06_rdf_autoencoder"]["mse_validation"]
    row = next(r for r in rows if "`mse_validation`" in r)
    assert f"| {len(want['values'])} | {want['mean']:.4f} ± {want['sd']:.4f} | ± {want['tol']:.4f} |" in row
    assert "| RF AUC, random split, 500-520 °C |" in block
    assert sum("exactly this" in r for r in rows) == sum(m["tol"] == 0 for e in expected.values() for m in e.values())


def test_binder_launch_addresses_follow_mybinder_s_form():
    # mybinder.org: https://mybinder.org/v2/gh/OWNER/NAME/REF?labpath=<url-quoted path>
    for url in ("https://github.com/acme/glass-ml", "https://github.com/acme/glass-ml.git",
                "git@github.com:acme/glass-ml.git", "https://www.github.com/acme/glass-ml/"):
        assert report.github_slug(url) == "acme/glass-ml", url
    assert (report.binder_url("https://github.com/acme/glass-ml", "notebooks/06_rdf_autoencoder.ipynb")
            == "https://mybinder.org/v2/gh/acme/glass-ml/main?labpath=notebooks%2F06_rdf_autoencoder.ipynb")


def test_a_repository_that_is_not_on_github_is_refused_and_nothing_is_written(monkeypatch, capsys):
    from glasslib import cli

    for bad in ("https://gitlab.com/acme/glass-ml", "github.com/acme", "/work/main"):
        with pytest.raises(ValueError, match="accepted: https://github.com/OWNER/NAME") as err:
            report.github_slug(bad)
        assert repr(bad) in str(err.value)
    before = {p: p.read_text() for p in [report.README, *report.launch_files()]}
    monkeypatch.setattr(report, "repository", lambda: "https://gitlab.com/acme/glass-ml")
    assert cli.main(["report"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "gitlab.com/acme/glass-ml" in err
    assert all(p.read_text() == text for p, text in before.items())


def test_the_committed_launch_blocks_match_pyproject():
    url = report.repository()
    files = report.launch_files()
    assert len(files) >= 2 * 9, files            # the nine numbered pairs, plus the paper-scale copies
    for path in files:
        assert report.render_notebook(path, url) == path.read_text(), f"{path.name}: run `glasslib report`"


def test_the_badges_go_into_every_notebook_pair_and_come_out_again(tmp_path, monkeypatch):
    import jupytext

    committed = report.repository()
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "notebooks", ignore=shutil.ignore_patterns("_failed", "variants"))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path / "notebooks")
    files = report.launch_files()
    original = {p: p.read_text() for p in files}
    url = "https://github.com/acme/glass-ml"
    for p in files:
        p.write_text(report.render_notebook(p, url))
    for py in (p for p in files if p.suffix == ".py"):
        stem = py.stem
        link = f"https://mybinder.org/v2/gh/acme/glass-ml/main?labpath=notebooks%2F{stem}.ipynb"
        assert f"# [![Launch on Binder](https://mybinder.org/badge_logo.svg)]({link})\n" in py.read_text()
        first = [c for c in json.loads(py.with_suffix(".ipynb").read_text())["cells"] if c["cell_type"] == "markdown"][0]
        paired = [c for c in jupytext.read(py).cells if c.cell_type == "markdown"][0]
        assert "".join(first["source"]) == paired.source and link in paired.source   # the pair stays in sync
        full = paths.NOTEBOOKS / "full" / f"{stem}.ipynb"
        if full.exists():                         # a paper-scale copy launches its runnable notebook
            assert link in full.read_text()
    json.loads((paths.NOTEBOOKS / "full" / "06_rdf_autoencoder.ipynb").read_text())   # still a notebook
    for p in files:
        p.write_text(report.render_notebook(p, committed))
    assert all(p.read_text() == text for p, text in original.items())


def test_the_screen_row_names_each_band_s_top_candidate():
    """Read from notebook 04's metrics: every oxide of the top candidate with its wt%, none of the
    absent ones, and its P(Tg in band) and predicted Tg."""
    m = json.loads((paths.FIGURES / "04_screening" / "metrics.json").read_text())
    row = next(line for line in report.table().splitlines() if line.startswith("| P2 screen"))
    for band in ("300-400", "400-500", "500-600"):
        v = m[band]
        part = row.split(f"{band} °C: top candidate ")[1].split(" wt% (")[0]
        assert sorted(part.split(" · ")) == sorted(f"{wt:g} {ox}" for ox, wt in v["top1"].items() if wt)
        assert f"(P(Tg in band) {round(v['top1_p_in_band'], 2):.2f}, predicted Tg {round(v['top1_tg_predicted_C'])} °C)" in row


def test_a_p_below_half_a_thousandth_is_quoted_as_a_bound_not_as_zero():
    row = {"verdict": "lower", "alone": "lower", "welch_t": -5.1, "df": 9.9, "family": 10}
    assert report._before_after_text({**row, "p": 0.0004}) == (
        "lower (Welch t -5.1, 9.9 degrees of freedom, p < 0.001)")
    assert report._before_after_text({**row, "p": 0.0006}).endswith("degrees of freedom, p 0.001)")
