"""The pair terms as one spline table: how exact, how much faster? (issue: MD glasses, speed levers)

    python benchmarks/md_pair_table.py [--points 2000 5000 10000] [--steps 500] [--repeats 3]
    python benchmarks/md_pair_table.py --hot-only        # only the hot-liquid check (about a minute)

BMP's pair terms run in LAMMPS as three analytic styles overlaid (coul/dsf, pedone, buck), three
passes over the neighbours with an erfc and two exponentials per pair. `potentials.pair_table_text`
writes their sum as one `pair_style table spline` file (`Protocol.pair_table_points`). On stored
glasses (the study's undoped 50 K/ps glasses, and dataset v1's 10 % BaO, ZnO and TiO2 glasses for
the dopants' pairs) this prints the table's force error against the analytic styles (RMS over
atoms relative to the RMS force, and the largest component error), the potential-energy
difference per atom (LAMMPS's coul/dsf adds a per-atom self energy, a constant for a glass that
moves no atom and that the table leaves out; tests/test_potentials.py pins it down on two ions),
and simulated ps per hour per core at 300 K, analytic and table runs
interleaved so host drift hits both alike. A glass's structure is set in the hot liquid, where
atoms come closer than in the 300 K glass, so the undoped glasses are also heated (analytic
styles, NVT, 3 ps at 2,000 K and at 4,000 K) and the table is compared with the analytic styles on
those liquid configurations: forces and the pressure the barostat acts on.
Writes benchmarks/results/md_pair_table.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from glasslib import paths
from glasslib.pcf import campaign, md, potentials
from glasslib.pcf.compositions import Glass

GLASSES = {  # name -> stored glass whose last frame is used (positions only)
    "SiO2-undoped": paths.DATA / "md-v2" / "quench-study" / "SiO2-undoped__50Kps__seed1",
    "NBS-undoped": paths.DATA / "md-v2" / "quench-study" / "NBS-undoped__50Kps__seed1",
    "NBS-BaO-10": paths.DATA / "md" / "glasses" / "NBS-BaO-10",
    "NBS-ZnO-10": paths.DATA / "md" / "glasses" / "NBS-ZnO-10",
    "SiO2-TiO2-10": paths.DATA / "md" / "glasses" / "SiO2-TiO2-10",
}
RESULTS = paths.ROOT / "benchmarks" / "results" / "md_pair_table.json"


def glass_of(name: str) -> Glass:
    parts = name.split("-")
    return Glass(parts[0]) if parts[1] == "undoped" else Glass(parts[0], parts[1], float(parts[2]))


def open_glass(folder: Path, glass: Glass, points: int | None, workdir: Path):
    """A LAMMPS instance on the glass's final frame with the analytic (points None) or tabulated pair terms."""
    elements = list(glass.atom_counts(1000))
    (workdir / "final.data").write_bytes(gzip.open(folder / "final.data.gz").read())
    three_body = potentials.nb3b_file_text(elements)
    if three_body:
        (workdir / potentials.NB3B_FILE).write_text(three_body)
    if points:
        (workdir / potentials.PAIR_TABLE_FILE).write_text(
            potentials.pair_table_text(elements, points, oxides=glass.oxides))
    lmp = md.load_lammps().lammps(cmdargs=["-nocite", "-log", "none", "-screen", "none"])
    for cmd in (["units metal", "atom_style charge", "boundary p p p", "read_data final.data"]
                + potentials.lammps_pair_commands(elements, oxides=glass.oxides, table_points=points)
                + ["neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes", "timestep 0.001",
                   "velocity all create 300 7 dist gaussian mom yes", "fix nve all nve", "run 0"]):
        lmp.command(cmd)
    return lmp


def forces(lmp) -> tuple[np.ndarray, np.ndarray, float]:
    n = lmp.get_natoms()
    ids = np.array(lmp.numpy.extract_atom("id")[:n])
    order = np.argsort(ids)
    return (np.array(lmp.numpy.extract_atom("f")[:n])[order], np.array(lmp.numpy.extract_atom("q")[:n])[order],
            float(lmp.get_thermo("pe")))


def compare(folder: Path, glass: Glass, points: int, workdir: Path) -> dict:
    """The table's force and pressure error against the analytic styles on the glass in `folder`."""
    lmp = open_glass(folder, glass, None, workdir)
    f_ref, _, _ = forces(lmp)
    p_ref = lmp.get_thermo("press")
    lmp.close()
    lmp = open_glass(folder, glass, points, workdir)
    f, _, _ = forces(lmp)
    p = lmp.get_thermo("press")
    lmp.close()
    return {**force_errors(f_ref, f), "pressure_analytic_bar": p_ref, "pressure_difference_bar": p - p_ref}


def force_errors(f_ref: np.ndarray, f: np.ndarray) -> dict:
    """RMS force error relative to the RMS force, and the largest component error (eV/Å)."""
    rms = float(np.sqrt((f_ref ** 2).sum(axis=1).mean()))
    return {"force_rms_error_relative": float(np.sqrt(((f - f_ref) ** 2).sum(axis=1).mean()) / rms),
            "force_max_error_eV_per_A": float(np.abs(f - f_ref).max())}


def hot_accuracy(points: int, workdir: Path, temperatures=(2000.0, 4000.0)) -> list[dict]:
    """The table against the analytic styles on liquid configurations: each undoped glass heated
    with the analytic styles (NVT, 3 ps) to each temperature."""
    rows = []
    for name in ("SiO2-undoped", "NBS-undoped"):
        glass = glass_of(name)
        for kelvin in temperatures:
            lmp = open_glass(GLASSES[name], glass, None, workdir)
            for cmd in ("unfix nve", f"velocity all create {kelvin} 11 dist gaussian mom yes rot yes",
                        f"fix nvt all nvt temp {kelvin} {kelvin} 0.1", "run 3000",
                        f"write_data {workdir / 'hot.data'} nocoeff"):
                lmp.command(cmd)
            lmp.close()
            hot = workdir / "hot"
            hot.mkdir(exist_ok=True)
            with gzip.open(hot / "final.data.gz", "wb") as fh:
                fh.write((workdir / "hot.data").read_bytes())
            rows.append({"glass": name, "temperature_K": kelvin, "points": points,
                         **compare(hot, glass, points, workdir)})
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="*", default=[2000, 5000, 10000])
    parser.add_argument("--steps", type=int, default=500, help="NVE steps per timing")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved timings per variant")
    parser.add_argument("--hot-only", action="store_true",
                        help="only the hot-liquid check with the campaign's table; keeps the other results")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = os.getcwd()
        os.chdir(tmp)
        try:
            hot = hot_accuracy(campaign.CAMPAIGN_TABLE_POINTS, Path(tmp))
            if args.hot_only:
                results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
                RESULTS.write_text(json.dumps({**results, "accuracy_hot": hot}, indent=1))
                print(f"wrote {RESULTS.relative_to(paths.ROOT)}")
                return
            for name, folder in GLASSES.items():
                glass = glass_of(name)
                lmp = open_glass(folder, glass, None, Path(tmp))
                f_ref, charges, e_ref = forces(lmp)
                lmp.close()
                for points in args.points:
                    lmp = open_glass(folder, glass, points, Path(tmp))
                    f, _, e = forces(lmp)
                    lmp.close()
                    rows.append({"glass": name, "points": points, **force_errors(f_ref, f),
                                 "energy_difference_eV_per_atom": (e_ref - e) / len(charges)})
                    print(rows[-1], flush=True)
            speed = []
            for name in ("SiO2-undoped", "NBS-undoped"):
                glass = glass_of(name)
                for _ in range(args.repeats):
                    for points in (None, *args.points):
                        lmp = open_glass(GLASSES[name], glass, points, Path(tmp))
                        start = time.perf_counter()
                        lmp.command(f"run {args.steps}")
                        seconds = time.perf_counter() - start
                        lmp.close()
                        speed.append({"glass": name, "points": points, "ps_per_hour": args.steps / 1000 / seconds * 3600})
            summary = []
            for name in ("SiO2-undoped", "NBS-undoped"):
                base = np.array([s["ps_per_hour"] for s in speed if s["glass"] == name and s["points"] is None])
                for points in args.points:
                    here = np.array([s["ps_per_hour"] for s in speed if s["glass"] == name and s["points"] == points])
                    ratios = here / base          # paired: each table run against the analytic run just before it
                    summary.append({"glass": name, "points": points, "analytic_ps_per_hour": float(base.mean()),
                                    "table_ps_per_hour": float(here.mean()), "speedup_median": float(np.median(ratios)),
                                    "speedup_min": float(ratios.min()), "speedup_max": float(ratios.max())})
                    print(summary[-1], flush=True)
        finally:
            os.chdir(old)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"accuracy": rows, "accuracy_hot": hot, "speed": summary, "steps": args.steps,
                                   "repeats": args.repeats, "cpu": os.uname().machine,
                                   "note": "one core; analytic and table runs interleaved"}, indent=1))
    print(f"wrote {RESULTS.relative_to(paths.ROOT)}")


if __name__ == "__main__":
    main()
