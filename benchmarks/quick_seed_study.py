"""The seed study behind the quick profile's tests: run the quick notebooks with several seeds,
measure the spread of every headline metric, and write the expectations the notebooks check
(`run.check_metrics()`, executed by nbval in the test command).

    python benchmarks/quick_seed_study.py [--seeds 0 1 2] [--notebooks 02 03 06 07]

Tolerance per metric: max(4 SD over the seeds, FLOOR * |mean|) around the mean of the seeds;
exact (zero tolerance) for counts that do not depend on the seed at all (row counts, the
screen's size). Writes tests/expected_quick_metrics.json; prints the spread it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from glasslib import paths  # noqa: E402
from glasslib.run import select  # noqa: E402

EXPECTED = ROOT / "tests" / "expected_quick_metrics.json"
FLOOR = 0.01     # at least 1 % of the value: three seeds underestimate an SD
HEADLINES = {
    "01_sciglass_tg_dataset": ["cleaned_rows", "random_train", "random_validation", "publication_train",
                               "publication_validation"],
    "02_deepglassnet_benchmark": [f"comparison/split={s}&band={b}&model={m}/auc"
                                  for s in ("random", "publication") for b in ("500-600", "500-520")
                                  for m in ("DeepGlassNet", "RF")],
    "03_deepglassnet_training": ["final_val_auc"],
    "04_screening": ["300-400/candidates", "500-600/candidates", "500-600/top5_in_domain"],
    "06_rdf_autoencoder": ["mse_validation", "mse_train"],
    "07_rdf_forest_pipeline": ["latent_r2", "peak_position_error_median_A", "glass_holdout/pipeline/image_mse"],
    "08_tg_claims_tested": ["study/best_auc_min", "study/ceiling_auc_min"],
}


def run_notebook(stem: str, seed: int, figures: Path, cache: Path) -> dict:
    env = dict(os.environ, GLASSLIB_FIGURES=str(figures), GLASSLIB_CACHE=str(cache), TF_CPP_MIN_LOG_LEVEL="2",
               GLASSLIB_EXPECTED=str(figures / "none.json"))     # measure; do not check against the old
    code = ("import papermill; papermill.execute_notebook("
            f"{str(paths.NOTEBOOKS / (stem + '.ipynb'))!r}, {str(figures / (stem + '.ipynb'))!r}, "
            f"parameters={{'profile': 'quick', 'seed': {seed}}}, cwd={str(paths.NOTEBOOKS)!r}, progress_bar=False)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{stem} seed {seed} failed:\n{out.stderr[-2000:]}")
    return json.loads((figures / stem / "metrics.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    parser.add_argument("--notebooks", nargs="*", default=None, help="numbers, e.g. 02 06 (default: all)")
    args = parser.parse_args()
    stems = [s for s in HEADLINES if args.notebooks is None or s[:2] in args.notebooks]
    expected = {}
    values: dict[str, dict[str, list[float]]] = {s: {} for s in stems}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            figures, cache = Path(tmp) / "figures", Path(tmp) / "cache"
            figures.mkdir()
            for stem in stems:            # in order: 07 uses the autoencoder that 06 trained with this seed
                metrics = run_notebook(stem, seed, figures, cache)
                for path in HEADLINES[stem]:
                    values[stem].setdefault(path, []).append(select(metrics, path))
                print(f"seed {seed}: {stem} done", flush=True)
    for stem in stems:
        expected[stem] = {}
        for path, v in values[stem].items():
            mean, sd = float(np.mean(v)), float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
            counts = all(float(x).is_integer() for x in v) and sd == 0.0    # row counts, grid sizes
            tol = 0.0 if counts else max(4 * sd, FLOOR * abs(mean))
            expected[stem][path] = {"mean": mean, "sd": sd, "tol": tol, "values": v}
            print(f"{stem:28s} {path:60s} mean {mean:.4g}  SD {sd:.2g}  tolerance ±{tol:.2g}")
    # re-read before writing: another seed-study process may have written other notebooks meanwhile
    latest = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    latest.update({stem: expected[stem] for stem in stems})
    EXPECTED.write_text(json.dumps(dict(sorted(latest.items())), indent=1) + "\n")
    print(f"written {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
