"""Same seed, same data, another floating-point path: how far does DeepGlassNet's AUC move?

Notebook 02's quick profile (8 epochs) is checked by the tests against a seed study. On one host
the same seed gave DeepGlassNet 0.81 on the random 500-520 degC band where the study had 0.83,
and 0.56 on the publication split where it had 0.79. Training is bit-for-bit repeatable at a
fixed thread count on one machine, so the only things left that differ between two runs are the
floating-point kernels: the thread count (how sums are split), PyTorch's vector kernels (chosen
per CPU: AVX2, AVX-512, ...) and MKL's code path. This script trains the quick profile's
DeepGlassNet on notebook 02's bands and splits under each of those paths, each in a fresh
process, with one seed, and beside it the spread over seeds on the native path, so the two
kinds of spread can be compared.

    python benchmarks/deepglassnet_numerics.py [--seeds 0 1 2] [--out benchmarks/results/deepglassnet_numerics.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "deepglassnet_numerics.json"
BANDS = [(500, 600), (500, 520)]                 # notebook 02's quick bands
SPLITS = ("random", "publication")
DGN = dict(epochs=8, embed_dim=8, hidden_dim=64, out_dim=16, batch_size=512)   # its quick DeepGlassNet
# (label, threads, environment): the native path and one change of path each
PATHS = [
    ("native, 1 thread", 1, {}),
    ("native, 2 threads", 2, {}),
    ("PyTorch kernels without AVX (ATEN_CPU_CAPABILITY=default)", 1, {"ATEN_CPU_CAPABILITY": "default"}),
    ("MKL's compatible code path (MKL_CBWR=COMPATIBLE)", 1, {"MKL_CBWR": "COMPATIBLE"}),
]


def train(threads: int, seeds: list[int]) -> list[dict]:
    """Runs in the child process: one record per (split, band, seed)."""
    import torch

    from glasslib.tg.dataset import TgProblem
    from glasslib.tg.metrics import auc
    from glasslib.tg.model import DeepGlassNetClassifier

    records = []
    for split in SPLITS:
        for band in BANDS:
            prob = TgProblem(band, split, 0)
            for seed in seeds:
                start = time.perf_counter()
                model = DeepGlassNetClassifier(seed=seed, n_threads=threads, **DGN).fit(prob.X_train, prob.y_train)
                records.append({"split": split, "band": f"{band[0]}-{band[1]}", "seed": seed,
                                "auc": auc(model.decision_function(prob.X_val), prob.y_val),
                                "validation_positives": int(prob.y_val.sum()),
                                "seconds": time.perf_counter() - start,
                                "cpu_capability": torch.backends.cpu.get_cpu_capability()})
    return records


def run_path(label: str, threads: int, env: dict, seeds: list[int]) -> list[dict]:
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            f"from deepglassnet_numerics import train; print(json.dumps(train({threads}, {seeds!r})))")
    child_env = dict(os.environ, OMP_NUM_THREADS=str(threads), TF_CPP_MIN_LOG_LEVEL="2", **env)
    out = subprocess.run([sys.executable, "-c", code], env=child_env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"path {label!r} failed:\n{out.stderr[-2000:]}")
    return [{"path": label, **r} for r in json.loads(out.stdout.strip().splitlines()[-1])]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="seeds on the native 1-thread path (the first one also on every other path)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if any(s < 0 for s in args.seeds):
        parser.error(f"--seeds {args.seeds} must be non-negative integers")
    records = []
    for k, (label, threads, env) in enumerate(PATHS):
        seeds = args.seeds if k == 0 else args.seeds[:1]
        print(f"{label}: seeds {seeds} ...", flush=True)
        records += run_path(label, threads, env, seeds)
    import pandas as pd

    table = pd.DataFrame(records)
    seed0 = table[table.seed == args.seeds[0]].pivot_table(index=["split", "band"], columns="path", values="auc", sort=False)
    native = table[table.path == PATHS[0][0]].groupby(["split", "band"], sort=False).auc
    summary = pd.DataFrame({"range over paths (seed %d)" % args.seeds[0]: seed0.max(axis=1) - seed0.min(axis=1),
                            "SD over paths": seed0.std(axis=1),
                            f"SD over seeds {args.seeds} (native)": native.std()})
    print(seed0.round(4).to_string(), "\n")
    print(summary.round(4).to_string())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"host": {"machine": platform.machine(), "processor": platform.processor() or None,
                                             "cores": os.cpu_count()},
                                    "dgn": DGN, "records": records}, indent=1) + "\n")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
