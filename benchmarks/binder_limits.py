"""Each quick-profile notebook under Binder's limits (1 CPU, 2 GB RAM): wall time and peak
memory on one core, printed as the README's table.

    python benchmarks/binder_limits.py [--core N] [NN ...]

Every notebook runs with papermill in a fresh process pinned to one core (taskset -c N, default
0) with one thread for BLAS/OpenMP/PyTorch/TensorFlow; its peak memory is the peak resident set
of its kernel plus that of papermill itself (both live in Binder's 2 GB). The notebooks run in
order with one fresh, initially empty cache folder, as in a new Binder session (notebook 07
finds the autoencoder that 06 saved; 04 fits its trust model). Outputs go to a temporary
folder, so nothing tracked changes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER_MEMORY_MIB = 2048
RESULTS = ROOT / "benchmarks" / "results" / "binder_limits.json"   # the README's table (glasslib report)


def measure(notebook: Path, workdir: Path, cache: Path, core: int) -> tuple[float, float]:
    env = dict(os.environ, GLASSLIB_CACHE=str(cache), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               TF_NUM_INTRAOP_THREADS="1", TF_NUM_INTEROP_THREADS="1", GLASSLIB_FIGURES=str(workdir / "figures"),
               TF_CPP_MIN_LOG_LEVEL="2")
    code = ("import resource, sys, papermill; "
            f"papermill.execute_notebook({str(notebook)!r}, {str(workdir / notebook.name)!r}, "
            "parameters={'profile': 'quick'}, cwd=%r, progress_bar=False); " % str(notebook.parent) +
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    start = time.perf_counter()
    out = subprocess.run(["taskset", "-c", str(core), sys.executable, "-c", code], env=env, capture_output=True, text=True)
    minutes = (time.perf_counter() - start) / 60
    if out.returncode != 0:
        raise RuntimeError(f"{notebook.name} failed:\n{out.stderr[-2000:]}")
    kernel, papermill_itself = (int(v) for v in out.stdout.strip().splitlines()[-1].split())
    return minutes, (kernel + papermill_itself) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="numbers, e.g. 01 04 (default: all)")
    parser.add_argument("--core", type=int, default=0, help="the one core to run on (default 0)")
    args = parser.parse_args()
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        notebooks = [nb for nb in notebooks if nb.name[:2] in args.notebooks]
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    print("| notebook | minutes on 1 core | peak memory (MiB) | within Binder's 2 GB |")
    print("|---|---|---|---|")
    cache = Path(tempfile.mkdtemp(prefix="binder-cache-"))
    for nb in notebooks:
        workdir = Path(tempfile.mkdtemp(prefix="binder-"))
        try:
            minutes, mib = measure(nb, workdir, cache, args.core)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        results[nb.stem] = {"minutes_one_core": round(minutes, 2), "peak_memory_MiB": round(mib),
                            "within_binder": mib < BINDER_MEMORY_MIB}
        print(f"| `{nb.stem}` | {minutes:.1f} | {mib:.0f} | {'yes' if mib < BINDER_MEMORY_MIB else '**no**'} |", flush=True)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n")
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
