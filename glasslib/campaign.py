"""The MD campaign: many glasses, one single-threaded LAMMPS per dask worker, resumable.

Each finished glass is written atomically to data/md/glasses/<name>/ (meta.json written
last inside a temporary folder that is then renamed), so a killed campaign never leaves a
partial glass counted as done; its leftovers are removed and the glass is redone.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
import time
import traceback
from pathlib import Path

import pandas as pd

from . import paths
from .compositions import Glass, campaign_grid
from .md import Protocol, run_glass
from .rdf import coordination_numbers, first_peak, partial_rdfs

# the campaign protocol: 10 ps melt, 50 K/ps quench (94 ps), 15 ps relax, 20 ps production
CAMPAIGN_PROTOCOL = Protocol(melt_ps=10.0, quench_rate_K_per_ps=50.0, relax_ps=15.0,
                             production_ps=20.0, frame_every_ps=0.2)
GLASSES_DIR = paths.MD_DATA / "glasses"
RDF_TABLE = paths.MD_DATA / "rdf_table.csv.gz"


def glass_dir(glass: Glass, root: Path = GLASSES_DIR) -> Path:
    return Path(root) / glass.name


def is_finished(glass: Glass, root: Path = GLASSES_DIR) -> bool:
    return (glass_dir(glass, root) / "meta.json").exists()


def simulate_and_store(glass: Glass, root: str | os.PathLike = GLASSES_DIR, n_atoms: int = 1000,
                       protocol: Protocol = CAMPAIGN_PROTOCOL, seed: int = 1,
                       keep_workdir: bool = False) -> dict:
    """MD + OVITO RDFs of one glass, stored atomically under root/<glass.name>/."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = glass_dir(glass, root)
    staging = root / f".{glass.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)  # leftovers of an interrupted run
    workdir = Path(tempfile.mkdtemp(prefix=f"md-{glass.name}-"))
    try:
        meta = run_glass(glass, workdir, n_atoms=n_atoms, protocol=protocol, seed=seed)
        rdf = partial_rdfs(workdir / "production.dump")
        meta["rdf_frames"] = int(rdf.attrs["n_frames"])
        meta["coordination_numbers"] = coordination_numbers(rdf, meta["atom_counts"],
                                                            meta["box_lengths_angstrom"])
        meta["first_peaks_angstrom"] = {
            p: first_peak(rdf["r_angstrom"], rdf[p])[0] for p in rdf.columns[1:]}
        meta["ovito_version"] = _ovito_version()
        staging.mkdir()
        rdf.to_csv(staging / "rdf.csv.gz", index=False, float_format="%.5g")
        with open(workdir / "final.data", "rb") as src, gzip.open(staging / "final.data.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        meta["sha256"] = {f.name: paths.sha256_of(f) for f in sorted(staging.iterdir())}
        (staging / "meta.json").write_text(json.dumps(meta, indent=1, default=float))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        return meta
    finally:
        if not keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def _ovito_version() -> str:
    import ovito

    return ".".join(map(str, ovito.version))


def _task(glass: Glass, root: str, n_atoms: int, protocol: Protocol, seed: int) -> dict:
    try:
        meta = simulate_and_store(glass, root, n_atoms, protocol, seed)
        return {"glass": glass.name, "ok": True, "minutes": meta["wall_seconds"] / 60}
    except Exception as err:  # reported, the campaign goes on
        return {"glass": glass.name, "ok": False, "error": f"{err}\n{traceback.format_exc()[-2000:]}"}


def run_campaign(glasses: list[Glass] | None = None, root: str | os.PathLike = GLASSES_DIR,
                 n_atoms: int = 1000, protocol: Protocol = CAMPAIGN_PROTOCOL, seed: int = 1,
                 scheduler: str | None = None, n_workers: int | None = None,
                 commit: bool = False, progress: bool = True) -> list[dict]:
    """Run every unfinished glass on dask; returns one status dict per glass run.

    scheduler: address of an existing dask scheduler (e.g. from dask-jobqueue); without
    it a LocalCluster with one single-threaded worker process per core is started.
    commit: git-commit each finished glass and the refreshed RDF table as it arrives.
    """
    from dask.distributed import Client, LocalCluster, as_completed
    from tqdm.auto import tqdm

    glasses = campaign_grid() if glasses is None else glasses
    root = Path(root)
    todo = [g for g in glasses if not is_finished(g, root)]
    print(f"{len(glasses) - len(todo)} of {len(glasses)} glasses already finished; {len(todo)} to run")
    if not todo:
        write_rdf_table(root)
        return []
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        workers = n_workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=min(workers, len(todo)), threads_per_worker=1,
                               processes=True, dashboard_address=None,
                               env={"OMP_NUM_THREADS": "1"})
        client = Client(cluster)
    results = []
    try:
        # priority keeps the interleaved grid order (dask otherwise picks its own order)
        futures = [client.submit(_task, g, str(root), n_atoms, protocol, seed, key=f"glass-{g.name}",
                                 pure=False, priority=len(todo) - i) for i, g in enumerate(todo)]
        bar = tqdm(total=len(futures), desc="glasses", unit="glass", disable=not progress)
        for future in as_completed(futures):
            status = future.result()
            results.append(status)
            bar.update(1)
            if status["ok"]:
                bar.set_postfix_str(f"{status['glass']} {status['minutes']:.1f} min")
                write_rdf_table(root)
                if commit:
                    _git_commit(root, f"MD campaign: {status['glass']}")
            else:
                print(f"FAILED {status['glass']}:\n{status['error']}")
        bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results


def load_glasses(root: str | os.PathLike = GLASSES_DIR) -> list[dict]:
    """Metadata of every finished glass (folders with meta.json)."""
    root = Path(root)
    return [json.loads(paths.record_input(d / "meta.json").read_text())
            for d in sorted(root.iterdir()) if (d / "meta.json").exists()] if root.exists() else []


def write_rdf_table(root: str | os.PathLike = GLASSES_DIR, target: Path | None = None) -> pd.DataFrame:
    """Long table (glass, base, dopant, mol_percent, pair, r_angstrom, g) of every finished glass."""
    root = Path(root)
    target = Path(target) if target else root.parent / "rdf_table.csv.gz"
    frames = []
    for meta in load_glasses(root):
        rdf = pd.read_csv(root / meta["glass"] / "rdf.csv.gz")
        long = rdf.melt(id_vars="r_angstrom", var_name="pair", value_name="g")
        long.insert(0, "mol_percent", meta["mol_percent"])
        long.insert(0, "dopant", meta["dopant"] or "none")
        long.insert(0, "base", meta["base"])
        long.insert(0, "glass", meta["glass"])
        frames.append(long)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["glass", "base", "dopant", "mol_percent", "pair", "r_angstrom", "g"])
    tmp = target.with_suffix(".tmp")
    table.to_csv(tmp, index=False, float_format="%.5g", compression="gzip")
    os.replace(tmp, target)
    return table


def _git_commit(root: Path, message: str, tries: int = 5) -> None:
    data_dir = root.parent
    for attempt in range(tries):
        add = subprocess.run(["git", "add", str(data_dir)], cwd=paths.ROOT, capture_output=True, text=True)
        done = add.returncode == 0 and subprocess.run(
            ["git", "commit", "-q", "-m", message, "--", str(data_dir)], cwd=paths.ROOT,
            capture_output=True, text=True).returncode == 0
        if done:
            return
        time.sleep(2 + 3 * attempt)  # another git process holds the index lock
    print(f"warning: could not git-commit {data_dir} ({message})")


# Validation windows (issue: structure checks against experiment), first peaks in A.
VALIDATION_WINDOWS = {
    "SiO2": {"Si-O": (1.57, 1.67, 1.61), "O-O": (2.55, 2.72, 2.63), "Si-Si": (2.95, 3.25, 3.10),
             "CN Si-O": (3.9, 4.1, 4.0), "density": (2.0, 2.4, 2.20)},
    "NBS": {"B-O": (1.33, 1.52, 1.37), "Na-O": (2.2, 2.6, 2.35)},
    "BaO": {"Ba-O": (2.6, 3.0, 2.8)},
    "ZnO": {"Zn-O": (1.85, 2.10, 1.96)},
    "TiO2": {"Ti-O": (1.75, 2.00, 1.87)},
}


def validation_table(glasses: list[dict] | None = None) -> pd.DataFrame:
    """One row per (glass, check): value, accepted window, experimental value, pass/fail.
    Silica checks apply to undoped silica, NBS checks to every NBS glass, dopant checks to
    every glass with that dopant."""
    glasses = load_glasses() if glasses is None else glasses
    rows = []
    for meta in glasses:
        groups = []
        if meta["base"] == "SiO2" and not meta["dopant"]:
            groups.append("SiO2")
        if meta["base"] == "NBS":
            groups.append("NBS")
        if meta["dopant"]:
            groups.append(meta["dopant"])
        for group in groups:
            for check, (lo, hi, exp) in VALIDATION_WINDOWS[group].items():
                if check == "density":
                    value = meta["final_density_g_cm3"]
                elif check.startswith("CN "):
                    value = meta["coordination_numbers"].get(check[3:], float("nan"))
                else:
                    value = meta["first_peaks_angstrom"].get(check, float("nan"))
                rows.append({"glass": meta["glass"], "check": check, "value": value, "low": lo,
                             "high": hi, "experiment": exp, "pass": bool(lo <= value <= hi)})
    return pd.DataFrame(rows, columns=["glass", "check", "value", "low", "high", "experiment", "pass"])
