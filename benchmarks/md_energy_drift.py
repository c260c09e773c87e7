"""Energy conservation of dataset v2's MD at 1 and 2 fs: the textbook check of a timestep, and
what it reveals about the BMP three-body term.

    python benchmarks/md_energy_drift.py [--glass NBS SiO2] [--nve-ps 3]

Two states per glass, each run at constant energy (NVE) from one starting point per timestep:
- the liquid at 4000 K (the study's melt): the campaign's 1,000-atom random packing, held 5 ps
  at 4000 K (NVT, 1 fs);
- the glass at 300 K: the committed 50 K/ps study glass of seed 1 (its final.data: positions
  and velocities at the end of production).
Each with two force fields: the published potential as the campaign runs it, and the same
without its three-body term (pair terms only: Morse/Pedone, Buckingham, damped shifted-force
Coulomb, all continuous at their cut-offs).

Printed per row: the drift of the total energy (slope of a line fitted to E_total(t),
meV/atom/ps), its RMS about that line, the temperature reached and the simulated ps per hour
on one core. Velocity Verlet's own energy error depends on the timestep; a drift that does not
change with the timestep comes from the force field. BMP's screened three-body term
(LAMMPS nb3b/screened, the 3.3 A cut-off of the file LAMMPS distributes for Bertani et al.
2021) is not zero at its cut-off, so every neighbour crossing 3.3 A changes the energy without
a force doing work: the run heats. The thermostat of every campaign stage removes that heat;
this benchmark shows how much it removes. Results go to benchmarks/results/md_energy_drift.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from glasslib.pcf import campaign, md, potentials
from glasslib.pcf.compositions import Glass

RESULTS = Path(__file__).parent / "results" / "md_energy_drift.json"
N_ATOMS = 1000
TIMESTEPS_FS = (1.0, 2.0)
SAMPLE_PS = 0.1
FORCE_FIELDS = ("published (with three-body)", "pair terms only")


def _commands(glass: Glass, data_file: str, dt: float, three_body: bool) -> list[str]:
    elements = list(glass.atom_counts(N_ATOMS))
    pair = potentials.lammps_pair_commands(elements, potentials.DEFAULT_POTENTIAL, glass.oxides)
    if not three_body:           # the same hybrid style, every three-body constant set to zero
        pair = [c.replace(potentials.NB3B_FILE, "zero.nb3b") for c in pair]
    # the campaign's neighbour list and timestep settings, then a thermo line with the total energy
    return (["units metal", "atom_style charge", "boundary p p p", f"read_data {data_file}"] + pair
            + md._settings(replace(md.STUDY_MELT, timestep_fs=dt)) + ["thermo_style custom step temp etotal"])


def _nve(lammps, commands: list[str], dt: float, nve_ps: float) -> dict:
    lmp = lammps.lammps(cmdargs=["-nocite", "-log", "none", "-screen", "none"])
    try:
        for cmd in commands + ["fix nve all nve", "run 0"]:
            lmp.command(cmd)
        every = round(SAMPLE_PS * 1000 / dt)
        energy, temps = [lmp.get_thermo("etotal")], [lmp.get_thermo("temp")]
        start = time.perf_counter()
        for _ in range(round(nve_ps / SAMPLE_PS)):
            lmp.command(f"run {every} pre no post no")
            energy.append(lmp.get_thermo("etotal"))
            temps.append(lmp.get_thermo("temp"))
        seconds = time.perf_counter() - start
    finally:
        lmp.close()
    times = SAMPLE_PS * np.arange(len(energy))
    e = 1000.0 * np.asarray(energy) / N_ATOMS                        # meV per atom
    slope, intercept = np.polyfit(times, e, 1)
    return {"drift_meV_per_atom_per_ps": float(slope),
            "rms_about_fit_meV_per_atom": float(np.std(e - (slope * times + intercept))),
            "temperature_start_K": float(temps[0]), "temperature_end_K": float(np.mean(temps[-5:])),
            "ps_per_hour": float(nve_ps / seconds * 3600)}


def drift_rows(glass: Glass, nve_ps: float, seed: int = 1) -> list[dict]:
    """Both states x both force fields x both timesteps; see the module docstring."""
    elements = list(glass.atom_counts(N_ATOMS))
    lammps = md.load_lammps()
    study_glass = campaign.STUDY_DIR / f"{glass.name}__50Kps__seed{seed}"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = os.getcwd()
        os.chdir(tmp)
        try:
            text = potentials.nb3b_file_text(elements)
            if text:
                Path(potentials.NB3B_FILE).write_text(text)
                Path("zero.nb3b").write_text("".join(" ".join(line.split()[:3]) + " 0.0 0.0 1.0 0.0\n"
                                                     for line in text.splitlines() if not line.startswith("#")))
            protocol = replace(md.STUDY_MELT, melt_ps=5.0)
            setup, stages = md.lammps_stages(glass, N_ATOMS, protocol, seed)
            lmp = lammps.lammps(cmdargs=["-nocite", "-log", "none", "-screen", "none"])
            for cmd in setup + list(stages[0].commands):          # packing, minimisation, 5 ps at 4000 K
                lmp.command(cmd)
            lmp.command("write_data liquid.data")
            lmp.close()
            states = {"liquid, 4000 K": "liquid.data"}
            if (study_glass / "final.data.gz").exists():
                with gzip.open(study_glass / "final.data.gz") as src, open("glass.data", "wb") as dst:
                    shutil.copyfileobj(src, dst)
                states["glass, 300 K (study glass, 50 K/ps, seed 1)"] = "glass.data"
            for state, data_file in states.items():
                for field in FORCE_FIELDS if text else FORCE_FIELDS[:1]:
                    for dt in TIMESTEPS_FS:
                        row = _nve(lammps, _commands(glass, data_file, dt, field == FORCE_FIELDS[0]), dt, nve_ps)
                        rows.append({"glass": glass.name, "state": state, "force_field": field, "timestep_fs": dt,
                                     "nve_ps": nve_ps, **row})
                        print(f"{glass.name:13s} {state:45s} {field:28s} dt {dt:g} fs: drift "
                              f"{row['drift_meV_per_atom_per_ps']:+8.3f} meV/atom/ps, RMS about the line "
                              f"{row['rms_about_fit_meV_per_atom']:6.3f} meV/atom, T {row['temperature_start_K']:5.0f}"
                              f" -> {row['temperature_end_K']:5.0f} K, {row['ps_per_hour']:,.0f} ps/hour", flush=True)
        finally:
            os.chdir(old)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glass", nargs="*", choices=["NBS", "SiO2"], default=["NBS", "SiO2"])
    parser.add_argument("--nve-ps", type=float, default=3.0)
    args = parser.parse_args()
    rows = [row for base in args.glass for row in drift_rows(Glass(base), args.nve_ps)]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"date": date.today().isoformat(), "host": platform.node(), "cores_used": 1,
                                   "n_atoms": N_ATOMS, "potential": potentials.DEFAULT_POTENTIAL, "rows": rows},
                                  indent=1) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
