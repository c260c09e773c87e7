"""The MD campaign: many glasses, one single-threaded LAMMPS per dask worker, resumable.

Each finished run is written atomically to <root>/<name>/ (meta.json written last inside a
temporary folder that is then renamed), so a killed campaign never leaves a partial glass
counted as done; its leftovers are removed and the glass is redone. Beside the RDFs each run
keeps its provenance: the LAMMPS input, the compressed log, a few compressed production
frames, the potential's SHA-256 and the glasslib version, so every check can be recomputed.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .. import __version__, paths, vcs
from . import structure
from .dataset import RDFDataset, composition_of, load_rdf_dataset
from .evaluation import replicate_oracle
from .compositions import ATOMIC_MASS, Glass, campaign_grid
from .md import CHECKPOINT_DATA, CHECKPOINT_STATE, Protocol, run_glass
from .potentials import DEFAULT_POTENTIAL, NB3B_FILE
from .rdf import (PAIR_COUNT_THRESHOLD, coordination_numbers, first_peak, first_shell_pairs,
                  normalise_like_pairs, partial_rdfs)

FRAMES_KEPT = 5   # production frames stored with each glass (compressed), for recomputing checks

# the campaign protocol: 10 ps melt, 50 K/ps quench (94 ps), 15 ps relax, 20 ps production
CAMPAIGN_PROTOCOL = Protocol(melt_ps=10.0, quench_rate_K_per_ps=50.0, relax_ps=15.0,
                             production_ps=20.0, frame_every_ps=0.2)
GLASSES_DIR = paths.MD_GLASSES
RDF_TABLE = paths.MD_RDF_TABLE

# Dataset version 2 (issue: a consistent potential with composition-dependent boron, constant-
# pressure quench): BMP potential, melt at 4000 K, NPT quench; the rate comes from the study.
V2_ROOT = paths.MD_V2
STUDY_DIR = V2_ROOT / "quench-study"
PROBE_DIR = V2_ROOT / "protocol-probe"
STUDY_RATES_K_PER_PS = (50.0, 20.0, 10.0, 5.0)
STUDY_SEEDS = (1, 2)
STUDY_PROTOCOL = Protocol(melt_K=4000.0, melt_ps=10.0, quench_rate_K_per_ps=50.0, relax_ps=20.0,
                          production_ps=20.0, frame_every_ps=0.2, quench_ensemble="npt")
# Where the barostat starts, per base glass (chosen by the probe runs in PROBE_DIR, 50 K/ps, seed 1):
# silica is quenched at 1 bar from the 4000 K melt (2.205 g/cm3 against 2.20 measured; with the melt's
# volume kept down to 2000 K it ends at 2.280, +3.6 %). The NBS liquid at 4000 K and 1 bar expands to
# about 1.5 g/cm3 and never recovers (2.35 against 2.52 in SciGlass); kept at the packing density down
# to 2000 K, far above where its network freezes in, and quenched at 1 bar below, it ends at 2.47.
NPT_FROM_K = {"SiO2": None, "NBS": 2000.0}
# The constant-volume part of an NBS quench (4000 -> 2000 K, a liquid far above the temperature where
# its network freezes in) cools at the fastest study rate whatever the rate under study: the rate
# under study is that of the constant-pressure part, where the glass forms. Halves the cost of a
# slow NBS quench (5 K/ps: 740 -> 380 ps).
HOT_RATE_K_PER_PS = 50.0


def study_protocol(glass: Glass, rate_K_per_ps: float) -> Protocol:
    """The dataset-v2 protocol for `glass` at a quench rate: STUDY_PROTOCOL with its base glass's
    barostat start (NPT_FROM_K) and, above it, the hot liquid cooled at HOT_RATE_K_PER_PS."""
    if glass.base not in NPT_FROM_K:
        raise ValueError(f"base glass {glass.base!r} has no protocol; choose one of {', '.join(NPT_FROM_K)}")
    npt_from = NPT_FROM_K[glass.base]
    hot = npt_from is not None and rate_K_per_ps < HOT_RATE_K_PER_PS    # at 50 K/ps: one rate
    return replace(STUDY_PROTOCOL, quench_rate_K_per_ps=float(rate_K_per_ps), npt_from_K=npt_from,
                   hot_rate_K_per_ps=HOT_RATE_K_PER_PS if hot else None)


@dataclass(frozen=True)
class MDRun:
    """One simulation of the campaign: a glass, its protocol and seed, stored as root/<name>/."""

    name: str
    glass: Glass
    protocol: Protocol
    seed: int = 1


STUDY_GLASSES = ("SiO2-undoped", "NBS-undoped")


def quench_study_runs(rates=STUDY_RATES_K_PER_PS, seeds=STUDY_SEEDS, glasses=STUDY_GLASSES) -> list[MDRun]:
    """The undoped glasses (both by default) at every quench rate and seed, cheapest (fastest
    quench) first."""
    runs = []
    for rate in sorted(rates, reverse=True):
        for seed in seeds:
            for base in ("SiO2", "NBS"):
                glass = Glass(base)
                if glass.name in glasses:
                    runs.append(MDRun(f"{glass.name}__{rate:g}Kps__seed{seed}", glass, study_protocol(glass, rate), seed))
    return runs


V2_GLASSES = V2_ROOT / "glasses"
V2_REPLICA_SEEDS = (1, 2, 3)
# replicas: both undoped glasses and one doped glass per base and dopant (the 10 mol% ones)
V2_REPLICA_GLASSES = ("SiO2-undoped", "NBS-undoped", "SiO2-BaO-10", "SiO2-TiO2-10", "SiO2-ZnO-10",
                      "NBS-BaO-10", "NBS-TiO2-10", "NBS-ZnO-10")


# The campaign's pair terms as one 5,000-point spline table (Protocol.pair_table_points): forces
# within 3e-5 to 1.5e-4 of the RMS force of LAMMPS's analytic styles, 1.8-2.0x the ps per hour on
# one core (benchmarks/md_pair_table.py); the study's runs stay analytic, and the probe runs
# (..__table5000__..) check the glasses against them (notebook 05, validation.table_comparison).
# At the campaign's 5 K/ps the undoped replicas were checked again against the study's analytic
# seeds: NBS N4 +0.036 (Welch t +1.97, 5 vs 5 seeds), density and silica FSDP/density well inside
# the spread; on hot liquid frames (2,000 and 4,000 K) the table gives the analytic forces to 5e-5 of
# the RMS force and the pressure to 1 bar, so nothing is left through which it could change the glass.
CAMPAIGN_TABLE_POINTS = 5000


def v2_campaign_runs(rate_K_per_ps: float, glasses=None, extra_seeds=()) -> list[MDRun]:
    """Dataset v2: the undoped glasses with every replica seed, every other campaign glass with
    seed 1, then the doped replica glasses' other seeds; the study's protocol at the rate the
    quench-rate study chose, its pair terms tabulated (CAMPAIGN_TABLE_POINTS). Names carry the
    seed (SiO2-undoped__seed2); a seed sets both the random packing and the velocities.
    `glasses` keeps only those glasses; `extra_seeds` (beyond V2_REPLICA_SEEDS) adds replicas of
    them (default: of the replica glasses), e.g. to resolve a check against the study."""
    if rate_K_per_ps > 20.0:
        raise ValueError(f"quench rate {rate_K_per_ps:g} K/ps is faster than the 20 K/ps the protocol allows")
    grid = {g.name: g for g in campaign_grid()}
    unknown = [g for g in glasses or () if g not in grid]
    if unknown:
        raise ValueError(f"glass {unknown[0]!r} is not in the campaign; choose from {', '.join(grid)}")
    bad = [s for s in extra_seeds if s in V2_REPLICA_SEEDS or s < 1]
    if bad:
        raise ValueError(f"extra seed {bad[0]} must be a positive integer other than the replica seeds "
                         f"{', '.join(map(str, V2_REPLICA_SEEDS))}")

    def protocol(glass: Glass) -> Protocol:
        return replace(study_protocol(glass, rate_K_per_ps), pair_table_points=CAMPAIGN_TABLE_POINTS)

    def run(name: str, seed: int) -> MDRun:
        return MDRun(f"{name}__seed{seed}", grid[name], protocol(grid[name]), seed)

    # first the undoped glasses with all their seeds (the checks against experiment, the noise
    # floor), then every other glass once, then the doped glasses' replicas
    undoped = [name for name in V2_REPLICA_GLASSES if grid[name].dopant is None]
    runs = [run(name, s) for name in undoped for s in V2_REPLICA_SEEDS]
    runs += [run(name, 1) for name in grid if name not in undoped]
    runs += [run(name, s) for s in V2_REPLICA_SEEDS[1:] for name in V2_REPLICA_GLASSES if name not in undoped]
    runs += [run(name, s) for s in extra_seeds for name in (glasses or V2_REPLICA_GLASSES)]
    return [r for r in runs if not glasses or r.glass.name in glasses]


def glass_dir(glass: Glass, root: Path = GLASSES_DIR) -> Path:
    return Path(root) / glass.name


def is_finished(glass: Glass, root: Path = GLASSES_DIR) -> bool:
    return (glass_dir(glass, root) / "meta.json").exists()


CHECKPOINT_FILES = (CHECKPOINT_DATA, CHECKPOINT_STATE, "log.lammps", "in.lammps")
CHECKPOINT_COMMIT_SECONDS = 900.0   # a running glass commits its checkpoint at most this often


def checkpoint_dir(root: str | os.PathLike, name: str) -> Path:
    """Where an unfinished run keeps its last checkpoint: root/.checkpoints/<name>/ (committed
    with --commit, so the next session resumes there; removed when the run finishes)."""
    return Path(root) / ".checkpoints" / name


def _restore_checkpoint(source: Path, workdir: Path) -> None:
    for name in CHECKPOINT_FILES:
        with gzip.open(source / f"{name}.gz", "rb") as src, open(workdir / name, "wb") as dst:
            shutil.copyfileobj(src, dst)


def _save_checkpoint(workdir: Path, target: Path, commit_to: Path | None, last_commit: list[float]) -> None:
    """Copy the checkpoint of `workdir` into `target` (gzip, atomically); git-commit it when
    asked and the last commit is older than CHECKPOINT_COMMIT_SECONDS."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in CHECKPOINT_FILES:
        with open(workdir / name, "rb") as src, open(tmp / f"{name}.gz", "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    if commit_to is not None and time.monotonic() - last_commit[0] > CHECKPOINT_COMMIT_SECONDS:
        stage = json.loads((workdir / CHECKPOINT_STATE).read_text())["stage"]
        _git_commit(commit_to, f"MD checkpoint: {target.name} after {stage}")
        last_commit[0] = time.monotonic()


def simulate_and_store(glass: Glass, root: str | os.PathLike = GLASSES_DIR, n_atoms: int = 1000,
                       protocol: Protocol = CAMPAIGN_PROTOCOL, seed: int = 1,
                       keep_workdir: bool = False, name: str | None = None,
                       potential: str = DEFAULT_POTENTIAL, commit_checkpoints: bool = False) -> dict:
    """MD + OVITO RDFs + structure checks of one glass, stored atomically under root/<name>/
    (name defaults to the glass's name; replicas and protocol variants pass their own).

    The MD writes a checkpoint after every stage to root/.checkpoints/<name>/; a later call
    resumes from it (when the input is the same) and removes it once the glass is stored.
    """
    name = name or glass.name
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    staging = root / f".{name}.partial"
    shutil.rmtree(staging, ignore_errors=True)  # leftovers of an interrupted run
    saved = checkpoint_dir(root, name)
    workdir = Path(tempfile.mkdtemp(prefix=f"md-{name}-"))
    try:
        if (saved / f"{CHECKPOINT_STATE}.gz").exists():
            _restore_checkpoint(saved, workdir)
        last_commit = [time.monotonic()]
        meta = run_glass(glass, workdir, n_atoms=n_atoms, protocol=protocol, seed=seed, potential=potential,
                         on_checkpoint=lambda w: _save_checkpoint(w, saved, root if commit_checkpoints else None,
                                                                  last_commit))
        meta["name"] = name
        meta["glasslib_version"] = __version__
        meta["potential_sha256"] = paths.sha256_of(paths.POTENTIALS / f"{potential}.json")
        meta["structure"] = structure_summary(workdir / "production.dump", meta["atom_counts"])
        meta["density_log"] = density_log(workdir / "log.lammps", protocol.timestep_fs)
        rdf = normalise_like_pairs(partial_rdfs(workdir / "production.dump"), meta["atom_counts"])
        meta["rdf_frames"] = int(rdf.attrs["n_frames"])
        meta["rdf_normalisation"] = "like pairs by N(N-1), unlike by N_a N_b"
        meta["first_shell_pairs"] = first_shell_pairs(rdf, meta["atom_counts"], meta["box_lengths_angstrom"],
                                                      meta["rdf_frames"])
        meta["flagged_pairs"] = sorted(p for p, n in meta["first_shell_pairs"].items() if n < PAIR_COUNT_THRESHOLD)
        meta["coordination_numbers"] = coordination_numbers(rdf, meta["atom_counts"],
                                                            meta["box_lengths_angstrom"])
        meta["first_peaks_angstrom"] = {
            p: first_peak(rdf["r_angstrom"], rdf[p])[0] for p in rdf.columns[1:]}
        meta["ovito_version"] = _ovito_version()
        staging.mkdir()
        rdf.to_csv(staging / "rdf.csv.gz", index=False, float_format="%.5g")
        for source, target in (("final.data", "final.data.gz"), ("log.lammps", "log.lammps.gz")):
            with open(workdir / source, "rb") as src, open(staging / target, "wb") as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as dst:
                shutil.copyfileobj(src, dst)
        shutil.copy(workdir / "in.lammps", staging / "in.lammps")
        if (workdir / NB3B_FILE).exists():
            shutil.copy(workdir / NB3B_FILE, staging / NB3B_FILE)
        _keep_frames(workdir / "production.dump", staging / "frames.dump.gz", FRAMES_KEPT)
        meta["sha256"] = {f.name: paths.sha256_of(f) for f in sorted(staging.iterdir())}
        (staging / "meta.json").write_text(json.dumps(meta, indent=1, default=float))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
        shutil.rmtree(saved, ignore_errors=True)
        try:
            saved.parent.rmdir()                 # no unfinished run left: no .checkpoints folder
        except OSError:                          # another run's checkpoint is there (or none was)
            pass
        return meta
    finally:
        if not keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def structure_summary(dump: Path, counts: dict[str, int]) -> dict:
    """The checks a glass scientist asks for, over every production frame: density, N4 and
    the B coordination histogram, oxygen species, the Si-O-Si angle, the neutron FSDP."""
    frames = structure.read_dump(dump)
    out = {"frames": len(frames),
           "density_g_cm3": float(sum(structure.density_g_cm3(f, ATOMIC_MASS) for f in frames) / len(frames)),
           "oxygen": structure.oxygen_species(frames)}
    if counts.get("B"):
        out["n4"] = structure.n4(frames)
        out["boron_coordination"] = structure.coordination_histogram(frames, "B")
    if counts.get("Si", 0) > 1:
        angles = structure.tot_angles(frames, "Si")
        if len(angles):
            out["si_o_si_mean_deg"] = float(angles.mean())
            out["si_o_si_sd_deg"] = float(angles.std())
    q, s, n = structure.neutron_sq_direct(frames)
    try:
        out["fsdp_per_angstrom"] = structure.fsdp_fit(q, s, n)
    except (RuntimeError, ValueError):          # no peak to fit (e.g. a tiny test box)
        out["fsdp_per_angstrom"] = None
    out["neutron_sq"] = {"q_per_angstrom": [round(float(v), 3) for v in q], "s": [round(float(v), 4) for v in s],
                         "vectors": [int(v) for v in n]}
    return out


def density_log(log: Path, timestep_fs: float = 1.0) -> dict:
    """Density (g/cm3) against time (ps) from the thermo lines of the run after the quench:
    the relaxation at 300 K and the production, to show the density converged."""
    rows, block = [], []
    for line in log.read_text().splitlines():
        parts = line.split()
        if parts[:2] == ["Step", "Temp"]:
            block = []
            rows.append(block)
        elif block is not None and len(parts) == 5:
            try:
                block.append([float(v) for v in parts])
            except ValueError:
                block = None
    # the last two thermo blocks are the relaxation and the production
    tail = [r for b in rows[-2:] if b for r in b]
    if not tail:
        return {}
    step0 = tail[0][0]
    return {"t_ps": [round((r[0] - step0) * timestep_fs / 1000.0, 3) for r in tail],
            "density_g_cm3": [round(r[3], 5) for r in tail]}


def _keep_frames(dump: Path, target: Path, keep: int) -> None:
    """Copy `keep` evenly spaced frames of a LAMMPS dump into a gzip file."""
    text = dump.read_text().split("ITEM: TIMESTEP\n")[1:]
    pick = sorted({round(i * (len(text) - 1) / max(keep - 1, 1)) for i in range(keep)}) if text else []
    with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        for i in pick:
            handle.write(("ITEM: TIMESTEP\n" + text[i]).encode())


def _ovito_version() -> str:
    import ovito

    return ".".join(map(str, ovito.version))


def _task(run: MDRun, root: str, n_atoms: int, commit: bool = False) -> dict:
    try:
        meta = simulate_and_store(run.glass, root, n_atoms, run.protocol, run.seed, name=run.name,
                                  commit_checkpoints=commit)
        return {"glass": run.name, "ok": True, "minutes": meta["wall_seconds"] / 60}
    except Exception as err:  # reported, the campaign goes on
        return {"glass": run.name, "ok": False, "error": f"{err}\n{traceback.format_exc()[-2000:]}"}


def _advance_task(run: MDRun, root: str, n_atoms: int, stop_before: str) -> dict:
    saved = checkpoint_dir(root, run.name)
    workdir = Path(tempfile.mkdtemp(prefix=f"md-{run.name}-"))
    try:
        if (saved / f"{CHECKPOINT_STATE}.gz").exists():
            _restore_checkpoint(saved, workdir)
        run_glass(run.glass, workdir, n_atoms=n_atoms, protocol=run.protocol, seed=run.seed,
                  on_checkpoint=lambda w: _save_checkpoint(w, saved, None, [0.0]), stop_before=stop_before)
        return {"glass": run.name, "ok": True}
    except Exception as err:  # reported, the others go on
        return {"glass": run.name, "ok": False, "error": f"{err}\n{traceback.format_exc()[-2000:]}"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def advance_runs(runs: list[MDRun], root: str | os.PathLike, n_workers: int, n_atoms: int = 1000,
                 stop_before: str = "production") -> list[dict]:
    """Advance the unfinished `runs` up to the stage `stop_before`, one LAMMPS per process,
    leaving only their checkpoints in root/.checkpoints/ (no dask, no OVITO, no git): for a
    lent many-core machine whose slot ends by a kill, which loses at most the stage in flight
    of each run. The runs then finish where the campaign runs (run_campaign resumes them)."""
    import multiprocessing

    root = Path(root)
    todo = [r for r in runs if not (root / r.name / "meta.json").exists()]
    print(f"advancing {len(todo)} unfinished runs to '{stop_before}' on {n_workers} processes", flush=True)
    with multiprocessing.get_context("spawn").Pool(n_workers, maxtasksperchild=1) as pool:
        results = pool.starmap(_advance_task, [(r, str(root), n_atoms, stop_before) for r in todo], chunksize=1)
    for status in results:
        print(f"{status['glass']}: {'ok' if status['ok'] else 'FAILED ' + status['error']}", flush=True)
    return results


def run_campaign(glasses: list[Glass] | None = None, root: str | os.PathLike = GLASSES_DIR,
                 n_atoms: int = 1000, protocol: Protocol = CAMPAIGN_PROTOCOL, seed: int = 1,
                 scheduler: str | None = None, n_workers: int | None = None,
                 commit: bool = False, progress: bool = True, runs: list[MDRun] | None = None,
                 rdf_table: bool = True) -> list[dict]:
    """Run every unfinished glass (or every unfinished `runs` entry) on dask; returns one
    status dict per run.

    scheduler: address of an existing dask scheduler (e.g. from dask-jobqueue); without
    it a LocalCluster with one single-threaded worker process per core is started, whose
    scheduler hands a worker one glass at a time (worker-saturation 1.0: with dask's default
    1.1 a worker may hold a second hours-long glass in its queue while another worker idles;
    set the same on an external scheduler).
    commit: git-commit each finished glass (and the refreshed RDF table) as it arrives.
    """
    import dask
    from dask.distributed import Client, LocalCluster, as_completed
    from tqdm.auto import tqdm

    if runs is None:
        glasses = campaign_grid() if glasses is None else glasses
        runs = [MDRun(g.name, g, protocol, seed) for g in glasses]
    root = Path(root)
    todo = [r for r in runs if not (root / r.name / "meta.json").exists()]
    print(f"{len(runs) - len(todo)} of {len(runs)} runs already finished; {len(todo)} to run")
    if not todo:
        if rdf_table:
            write_rdf_table(root)
        return []
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        workers = n_workers or os.cpu_count() or 1
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
            cluster = LocalCluster(n_workers=min(workers, len(todo)), threads_per_worker=1,
                                   processes=True, dashboard_address=None,
                                   # no dashboard; its HTTP server (health checks) takes any free
                                   # port, so two campaigns on one machine never contend for 8787
                                   scheduler_kwargs={"dashboard_address": ":0"},
                                   env={"OMP_NUM_THREADS": "1"})
        client = Client(cluster)
    results = []
    try:
        # priority keeps the interleaved grid order (dask otherwise picks its own order)
        futures = [client.submit(_task, r, str(root), n_atoms, commit, key=f"glass-{r.name}",
                                 pure=False, priority=len(todo) - i) for i, r in enumerate(todo)]
        bar = tqdm(total=len(futures), desc="glasses", unit="glass", disable=not progress)
        for future in as_completed(futures):
            status = future.result()
            results.append(status)
            bar.update(1)
            if status["ok"]:
                bar.set_postfix_str(f"{status['glass']} {status['minutes']:.1f} min")
                if rdf_table:
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


def rdf_table(root: str | os.PathLike = GLASSES_DIR) -> pd.DataFrame:
    """Long table (glass, base, dopant, mol_percent, pair, r_angstrom, g) of every finished glass
    under `root`, with first_shell_pairs (pairs within 5 Å over the production frames) where the
    runs counted them. `glass` is the run's own name (replicas and study runs carry one)."""
    root = Path(root)
    frames = []
    for meta in load_glasses(root):
        name = meta.get("name") or meta["glass"]
        rdf = pd.read_csv(root / name / "rdf.csv.gz")
        long = rdf.melt(id_vars="r_angstrom", var_name="pair", value_name="g")
        if "first_shell_pairs" in meta:              # dataset v2: the pairs behind each curve
            long["first_shell_pairs"] = long["pair"].map(meta["first_shell_pairs"])
        long.insert(0, "mol_percent", meta["mol_percent"])
        long.insert(0, "dopant", meta["dopant"] or "none")
        long.insert(0, "base", meta["base"])
        long.insert(0, "glass", name)
        frames.append(long)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["glass", "base", "dopant", "mol_percent", "pair", "r_angstrom", "g"])


def write_rdf_table(root: str | os.PathLike = GLASSES_DIR, target: Path | None = None) -> pd.DataFrame:
    """`rdf_table(root)` written (gzipped CSV, atomically) to `target`, by default beside `root`.
    A table whose text is unchanged is not rewritten, and the gzip header carries no timestamp, so a
    rerun over the same glasses changes no byte (the figures' provenance hashes stay valid)."""
    root = Path(root)
    target = Path(target) if target else root.parent / "rdf_table.csv.gz"
    table = rdf_table(root)
    text = table.to_csv(index=False, float_format="%.5g").encode()
    if target.exists() and gzip.decompress(target.read_bytes()) == text:
        return table
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(text, mtime=0))
    os.replace(tmp, target)
    return table


def study_dataset(root: str | os.PathLike = STUDY_DIR) -> RDFDataset | None:
    """The quench-rate study's finished runs as an RDFDataset (curves, images, fingerprints) with
    each run's quench rate in `rows["rate_K_per_ps"]`: two seeds of both undoped glasses per rate,
    the replicas behind the provisional MD noise floor (evaluation.noise_floor) until dataset v2's
    replicas are complete."""
    rates = {m["name"]: float(m["protocol"]["quench_rate_K_per_ps"]) for m in load_glasses(root)}
    data = load_rdf_dataset(rdf_table(root), min_pairs=None) if rates else None
    if data is not None:
        data.rows["rate_K_per_ps"] = data.rows["glass"].map(rates)
    return data


def _git_commit(root: Path, message: str, tries: int = 5) -> None:
    vcs.commit_paths([root.parent], message, tries)


def md_replicas() -> tuple[str, pd.DataFrame]:
    """Where the MD noise floor comes from, and its replicate-oracle table
    (evaluation.replicate_oracle; evaluation.noise_floor summarises it): dataset v2's replicas
    once every replica glass (V2_REPLICA_GLASSES) has two finished seeds, else the quench-rate
    study's runs (both undoped glasses, seeds matched at the same rate). Same size (1,000 atoms)
    and production (20 ps, 100 frames) as both datasets' glasses. ("none", empty table) without
    replicas."""
    v2 = rdf_table(V2_GLASSES)
    seeds = composition_of(v2.drop_duplicates("glass").glass).value_counts()
    if len(v2) and all(seeds.get(name, 0) >= 2 for name in V2_REPLICA_GLASSES):
        oracle = replicate_oracle(load_rdf_dataset(v2))
        return (f"dataset v2: {oracle.glass.nunique()} runs, {len(V2_REPLICA_GLASSES)} glasses with "
                f"{int(seeds[list(V2_REPLICA_GLASSES)].min())} or more seeds"), oracle
    study = study_dataset()
    oracle = replicate_oracle(study, by=("rate_K_per_ps",)) if study is not None else pd.DataFrame()
    if oracle.empty:
        return "none", oracle
    rates = sorted(oracle.rate_K_per_ps.unique(), reverse=True)
    return (f"quench-rate study: {oracle.glass.nunique()} runs of the two undoped glasses, "
            f"two or more seeds at {', '.join(f'{r:g}' for r in rates)} K/ps"), oracle
