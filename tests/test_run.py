"""The notebook run context: folders per profile, figures with provenance, metrics, seeds."""

import hashlib
import json
import random

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import glasslib  # noqa: E402
from glasslib import paths  # noqa: E402


@pytest.fixture
def figures(tmp_path, monkeypatch):
    monkeypatch.setenv("GLASSLIB_FIGURES", str(tmp_path / "figures"))
    return tmp_path / "figures"


def test_save_fig_writes_png_with_provenance_of_this_runs_inputs(figures, tmp_path):
    read_before = tmp_path / "earlier.csv"
    read_before.write_text("x\n")
    paths.record_input(read_before)           # read by another run: must not be listed
    run = glasslib.notebook_run("99_test", "quick", seed=3)
    data = tmp_path / "input.csv"
    data.write_text("a,b\n1,2\n")
    paths.record_input(data)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    assert run.save_fig(fig, "line") is None  # nothing for Jupyter to print instead of the figure
    plt.close(fig)
    target = figures / "99_test" / "line.png"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    record = json.loads((figures / "99_test" / "provenance.json").read_text())["line.png"]
    assert record["notebook"] == "notebooks/99_test.ipynb" and record["profile"] == "quick"
    assert record["seed"] == 3 and record["glasslib"] == glasslib.__version__
    assert record["inputs"] == {str(data.resolve()): hashlib.sha256(data.read_bytes()).hexdigest()}


def test_full_profile_has_its_own_folders(figures):
    run = glasslib.notebook_run("99_test", "full")
    fig = plt.figure()
    run.save_fig(fig, "x.png")
    plt.close(fig)
    assert (figures / "99_test" / "full" / "x.png").exists()
    assert run.model_dir("m") == paths.MODELS / "m"
    assert glasslib.notebook_run("99_test", "quick").model_dir("m") == paths.CACHE / "models" / "m"
    assert run.pick(1, 2) == 2


def test_a_variant_keeps_its_outputs_apart(figures):
    """A run on other data (variant "md-v1") writes beside the default's figures and models and is
    not held to the default's seed-study expectations."""
    run = glasslib.notebook_run("07_rdf_forest_pipeline", "full", variant="md-v1")
    run.save_metrics({"latent_r2": 0.1})
    assert (figures / "07_rdf_forest_pipeline" / "full" / "md-v1" / "metrics.json").exists()
    assert not (figures / "07_rdf_forest_pipeline" / "full" / "metrics.json").exists()
    assert run.model_dir("rdf_pipeline") == paths.MODELS / "rdf_pipeline-md-v1"
    quick = glasslib.notebook_run("07_rdf_forest_pipeline", "quick", variant="md-v1")
    quick.save_metrics({"latent_r2": -5.0})          # far outside the default's tolerance
    quick.check_metrics()
    assert quick.figure_dir == figures / "07_rdf_forest_pipeline" / "md-v1"


def test_metrics_carry_profile_and_seed(figures):
    run = glasslib.notebook_run("99_test", "quick", seed=7)
    run.save_metrics({"auc": np.float32(0.5)})
    saved = json.loads((figures / "99_test" / "metrics.json").read_text())
    assert saved == {"profile": "quick", "seed": 7, "auc": 0.5}
    assert run.load_metrics() == saved


def test_seeds_are_set_once_by_the_run():
    glasslib.notebook_run("99_test", "quick", seed=11)
    a = (random.random(), np.random.rand())
    glasslib.notebook_run("99_test", "quick", seed=11)
    assert (random.random(), np.random.rand()) == a


@pytest.mark.parametrize("kwargs, message", [
    ({"profile": "medium"}, "profile 'medium' is not known; choose one of quick, full"),
    ({"seed": -1}, "seed -1 must be a non-negative integer"),
    ({"notebook": "a/b"}, "must be a notebook stem"),
    ({"variant": "../v2"}, "variant '../v2' must be a plain name such as 'md-v1'"),
    ({"variant": ""}, "variant '' must be a plain name"),
    ({"variant": "md-v1..seed-4"}, "variant 'md-v1..seed-4' must be a plain name"),
    ({"variant": "."}, "variant '.' must be a plain name"),
])
def test_bad_run_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        glasslib.notebook_run(**{"notebook": "99_test", **kwargs})


def test_a_variant_named_by_reproduce_names_the_run_folders(figures):
    # reproduce --set md_dataset=v1 --set seed=4 names its run md-v1.seed-4; the run must accept it
    from glasslib import reproduce

    variant = reproduce.variant_name({"md_dataset": "v1", "seed": 4})
    run = glasslib.notebook_run("99_test", "full", seed=4, variant=variant)
    assert run.figure_dir == figures / "99_test" / "full" / "md-v1.seed-4"
    assert run.model_dir("rdf_pipeline").name == "rdf_pipeline-md-v1.seed-4"


@pytest.mark.parametrize("name", ["", "sub/fig"])
def test_bad_figure_names(figures, name):
    run = glasslib.notebook_run("99_test")
    with pytest.raises(ValueError, match="plain file name"):
        run.save_fig(plt.figure(), name)
    plt.close("all")


def test_library_writes_no_environment_variables():
    """The profile and notebook travel in the run object, never through os.environ."""
    sources = "\n".join(p.read_text() for p in (paths.ROOT / "glasslib").rglob("*.py"))
    assert "GLASSLIB_PROFILE" not in sources and "GLASSLIB_NOTEBOOK" not in sources
    writes = [line.strip() for line in sources.splitlines() if "os.environ[" in line and "=" in line.split("os.environ[")[1]]
    assert not writes, writes


def test_select_picks_records_and_keys():
    from glasslib.run import select

    m = {"comparison": [{"band": "500-600", "model": "RF", "auc": 0.96}, {"band": "500-600", "model": "DGN", "auc": 0.9}],
         "glass_holdout": {"pipeline": {"image_mse": 0.007}}}
    assert select(m, "comparison/band=500-600&model=DGN/auc") == 0.9
    assert select(m, "glass_holdout/pipeline/image_mse") == 0.007
    with pytest.raises(KeyError, match="2 records match"):
        select(m, "comparison/band=500-600/auc")


def test_check_metrics_fails_a_broken_model(figures):
    """A DeepGlassNet that learned nothing (AUC 0.5, as with shuffled labels) fails the check; the
    seed study's own mean passes it."""
    expected = json.loads(paths.EXPECTED_QUICK.read_text())["03_deepglassnet_training"]["final_val_auc"]
    run = glasslib.notebook_run("03_deepglassnet_training", "quick", 0)
    run.save_metrics({"final_val_auc": expected["mean"]})
    run.check_metrics()
    run.save_metrics({"final_val_auc": 0.5})
    with pytest.raises(AssertionError, match="final_val_auc = 0.5, expected"):
        run.check_metrics()


def test_check_metrics_tells_the_top_candidate_from_its_runners_up(figures):
    """The screen's top candidate is checked by its P(Tg in band) and predicted Tg: a screen whose
    best candidate is any of the committed run's ranks 2-5 fails, the committed rank 1 passes."""
    import pandas as pd

    table = pd.read_csv(paths.ROOT / "figures" / "04_screening" / "top5_500-600C.csv")
    expected = json.loads(paths.EXPECTED_QUICK.read_text())["04_screening"]
    run = glasslib.notebook_run("04_screening", "quick", 0)
    for rank, row in table.iterrows():
        metrics = {path: want["mean"] for path, want in expected.items()}
        metrics.update({"500-600/top1_p_in_band": row.p_in_band, "500-600/top1_tg_predicted_C": row.tg_predicted_C})
        nested = {}
        for path, value in metrics.items():
            band, key = path.split("/")
            nested.setdefault(band, {})[key] = value
        run.save_metrics(nested)
        if rank == 0:
            run.check_metrics()
        else:
            with pytest.raises(AssertionError, match="top1_"):
                run.check_metrics()


def test_every_headline_of_the_seed_study_has_its_expectation():
    """The metrics the quick notebooks check are exactly those the seed study measures: a headline
    added to benchmarks/quick_seed_study.py is checked only once the study has been rerun."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("quick_seed_study", paths.ROOT / "benchmarks" / "quick_seed_study.py")
    study = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(study)
    expected = json.loads(paths.EXPECTED_QUICK.read_text())
    assert {stem: sorted(m) for stem, m in expected.items()} == {stem: sorted(m) for stem, m in study.HEADLINES.items()}
    # DeepGlassNet on the random 20 degC band is checked, with room for the floating-point paths' spread
    dgn = expected["02_deepglassnet_benchmark"]["comparison/split=random&band=500-520&model=DeepGlassNet/auc"]
    assert dgn["tol"] >= 4 * study.numerics_sd("comparison/split=random&band=500-520&model=DeepGlassNet/auc") > 0


def test_closing_line_names_the_machine_and_the_minutes():
    run = glasslib.notebook_run("99_test", "quick", seed=3)
    line = run.closing_line()
    assert line.startswith("quick profile, seed 3: 0.") and " CPU-minutes of this kernel" in line
    assert f"of {__import__('os').cpu_count()} cores" in line
    run.cpu_started -= 120.0            # as if the run had used two CPU-minutes so far
    cpu = float(run.closing_line().split(" minutes (")[1].split(" CPU-minutes")[0])
    assert 2.0 <= cpu <= 2.2


def test_committed_figures_name_inputs_a_clone_has_with_these_hashes():
    """A reader follows a figure's provenance to the data and models it came from: every input
    outside the download cache (.cache/, fetched on first use) is in the repository, unchanged.
    (Caught: a figure of the v1 run still named the models' folder from before they moved.)"""
    stale = []
    for index in sorted(paths.FIGURES.rglob("provenance.json")):
        for figure, entry in json.loads(index.read_text()).items():
            for name, digest in entry.get("inputs", {}).items():
                if name.startswith(".cache/"):
                    continue
                source = paths.ROOT / name
                if not source.is_file():
                    stale.append(f"{index.parent.relative_to(paths.FIGURES)}/{figure}: {name} is missing")
                elif hashlib.sha256(source.read_bytes()).hexdigest() != digest:
                    stale.append(f"{index.parent.relative_to(paths.FIGURES)}/{figure}: {name} has changed")
    assert not stale, "\n".join(stale[:10])
